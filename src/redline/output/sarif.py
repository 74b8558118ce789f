"""``--format sarif``: SARIF 2.1.0, the format GitHub code scanning uploads.

Columns count Unicode code points, as redline's do, and the run says so
(``columnKind: unicodeCodePoints``); end columns are exclusive, as SARIF defines them.
Each rule that has a result is described in ``tool.driver.rules`` from its documentation;
related locations keep their ids and messages; fixes become ``fixes`` with artifact changes.
File errors are reported as tool execution notifications.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from redline import __version__
from redline.findings import Edit, Finding, Severity
from redline.linecol import LineIndex
from redline.output import OutputOptions
from redline.output.positions import lines_for, related_path
from redline.results import FileResult, RunResult
from redline.rules.base import RuleMeta

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(run: RunResult, options: OutputOptions) -> str:
    rules = _rules(run)
    index = {code: i for i, code in enumerate(rules)}
    results = [
        _result(run, file_result, finding, index[finding.code])
        for file_result in run.files
        for finding in file_result.findings
    ]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "redline",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": list(rules.values()),
                    }
                },
                "invocations": [_invocation(run)],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def artifact_uri(path: str) -> str:
    """A relative URI for a relative path (GitHub resolves it against the repository root)."""
    posix = PurePath(path)
    if posix.is_absolute():
        return posix.as_uri()
    return quote(posix.as_posix(), safe="/")


def region(lines: LineIndex, start: int, end: int) -> dict[str, int]:
    start_line, start_column = lines.position(start)
    end_line, end_column = lines.position(end)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def _location(path: str, lines: LineIndex, start: int, end: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(path)},
            "region": region(lines, start, end),
        }
    }


def _result(run: RunResult, file_result: FileResult, finding: Finding, rule_index: int) -> dict[str, Any]:
    lines = file_result.document.lines
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(file_result.path, lines, finding.start, finding.end)],
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": number,
                **_location(
                    related_path(file_result, related),
                    lines_for(run, file_result, related),
                    related.start,
                    related.end,
                ),
                **({"message": {"text": related.message}} if related.message else {}),
            }
            for number, related in enumerate(finding.related, start=1)
        ]
    if finding.fix is not None:
        result["fixes"] = [
            {
                "description": {"text": fix_description(file_result.source.text, finding.fix.edits)},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": artifact_uri(file_result.path)},
                        "replacements": [_replacement(lines, edit) for edit in finding.fix.edits],
                    }
                ],
                "properties": {"applicability": finding.fix.applicability.value},
            }
        ]
    return result


def _replacement(lines: LineIndex, edit: Edit) -> dict[str, Any]:
    replacement: dict[str, Any] = {"deletedRegion": region(lines, edit.start, edit.end)}
    if edit.replacement:
        replacement["insertedContent"] = {"text": edit.replacement}
    return replacement


def fix_description(text: str, edits: tuple[Edit, ...]) -> str:
    """What the edits do, in words: "Delete ' the'." / "Replace 'a' with 'b'." / "Insert 'x'."."""
    parts = []
    for edit in edits:
        old = text[edit.start : edit.end]
        if not edit.replacement:
            parts.append(f"Delete '{old}'.")
        elif edit.start == edit.end:
            parts.append(f"Insert '{edit.replacement}'.")
        else:
            parts.append(f"Replace '{old}' with '{edit.replacement}'.")
    return " ".join(parts)


def _rules(run: RunResult) -> dict[str, dict[str, Any]]:
    """Descriptors of the rules that have results, by code, in code order."""
    names = {f.code: f.rule for r in run.files for f in r.findings}
    descriptors = {}
    for code in sorted(names):
        rule = run.rules.get(code)
        descriptors[code] = describe_rule(rule) if rule is not None else _bare_descriptor(code, names[code])
    return descriptors


def describe_rule(rule: RuleMeta) -> dict[str, Any]:
    paragraphs = rule.documentation.split("\n\n")
    full = " ".join(paragraphs[1].split()) if len(paragraphs) > 1 else rule.summary + "."
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary + "."},
        "fullDescription": {"text": full},
        "help": {"text": rule.documentation, "markdown": rule.documentation.replace("::\n", ":\n")},
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.enabled},
        "properties": {"tags": [rule.family]},
        **({"helpUri": rule.link} if rule.link else {}),
    }


def _bare_descriptor(code: str, name: str) -> dict[str, Any]:
    """A rule the run has no metadata for (a hand-built result): its code and name only."""
    return {"id": code, "name": name, "shortDescription": {"text": f"{name}."}}


def _invocation(run: RunResult) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": not run.errors}
    if run.errors:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": error.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": artifact_uri(error.path)},
                            **({"region": {"startLine": error.line}} if error.line else {}),
                        }
                    }
                ],
            }
            for error in run.errors
        ]
    return invocation
