"""``--format rdjson``: reviewdog's Diagnostic Format (``reviewdog -f=rdjson``).

One ``DiagnosticResult`` for the run. Columns are 1-based **UTF-8 byte** columns, as the
format defines them (``a𐐀b``: ``b`` is column 6), so they differ from redline's code-point
columns on lines with non-ASCII text; ends are exclusive. Fixes become ``suggestions``
(each edit a range and its replacement text), related locations ``related_locations``.
"""

from __future__ import annotations

import json
from typing import Any

from redline.findings import Finding, Severity
from redline.linecol import LineIndex
from redline.output import OutputOptions
from redline.output.positions import lines_for, related_path
from redline.results import FileResult, RunResult

SEVERITIES = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}


def render(run: RunResult, options: OutputOptions) -> str:
    data = {
        "source": {"name": "redline"},
        "diagnostics": [diagnostic(run, result, f) for result in run.files for f in result.findings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def diagnostic(run: RunResult, result: FileResult, finding: Finding) -> dict[str, Any]:
    text, lines = result.source.text, result.document.lines
    line, column = lines.position(finding.start)
    data: dict[str, Any] = {
        "message": finding.message,
        "location": {"path": result.path, "range": byte_range(text, lines, finding.start, finding.end)},
        "severity": SEVERITIES[finding.severity],
        "source": {"name": "redline"},
        "code": {"value": finding.code},
        "original_output": f"{result.path}:{line}:{column}: {finding.code} {finding.message}",
    }
    if finding.fix is not None:
        data["suggestions"] = [
            {"range": byte_range(text, lines, edit.start, edit.end), "text": edit.replacement}
            for edit in finding.fix.edits
        ]
    if finding.related:
        data["related_locations"] = []
        for related in finding.related:
            other = run.file(related.path) if related.path else None
            related_text = other.source.text if other is not None else text
            location = {
                "path": related_path(result, related),
                "range": byte_range(
                    related_text, lines_for(run, result, related), related.start, related.end
                ),
            }
            data["related_locations"].append({"message": related.message, "location": location})
    return data


def byte_range(text: str, lines: LineIndex, start: int, end: int) -> dict[str, dict[str, int]]:
    return {"start": byte_position(text, lines, start), "end": byte_position(text, lines, end)}


def byte_position(text: str, lines: LineIndex, offset: int) -> dict[str, int]:
    """1-based line and 1-based UTF-8 byte column of a code-point offset."""
    line, column = lines.position(offset)
    line_start = lines.line_start(line)
    prefix = text[line_start : line_start + column - 1]
    return {"line": line, "column": len(prefix.encode("utf-8", "surrogatepass")) + 1}
