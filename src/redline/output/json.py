"""``--format json``: the documented contract other tools build on (see README)."""

from __future__ import annotations

import json
from typing import Any

from redline import __version__
from redline.findings import Finding
from redline.output import OutputOptions
from redline.output.positions import point, related_view
from redline.results import FileResult, RunResult


def finding_view(run: RunResult, result: FileResult, finding: Finding) -> dict[str, Any]:
    lines = result.document.lines
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability.value,
            "edits": [
                {"start": point(lines, e.start), "end": point(lines, e.end), "text": e.replacement}
                for e in finding.fix.edits
            ],
        }
    return {
        "code": finding.code,
        "rule": finding.rule,
        "severity": finding.severity.label,
        "message": finding.message,
        "start": point(lines, finding.start),
        "end": point(lines, finding.end),
        "related": [related_view(run, result, r) for r in finding.related],
        "fix": fix,
        **({"data": finding.data} if finding.data else {}),
    }


def render(run: RunResult, options: OutputOptions) -> str:
    data = {
        "version": __version__,
        "files": [
            {
                "path": result.path,
                "findings": [finding_view(run, result, f) for f in result.findings],
                "metrics": result.metrics,
            }
            for result in run.files
        ],
        "errors": [
            {"path": e.path, "message": e.message, **({"line": e.line} if e.line else {})} for e in run.errors
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
