"""``--format vale-json``: Vale's ``--output=JSON``, for tools that already read Vale.

One object keyed by file path (sorted, files without findings left out, as Vale does),
each a list of alerts in line and column order::

    {"docs/guide.md": [{"Action": {"Name": "replace", "Params": ["the"]},
                        "Span": [22, 28], "Check": "redundancy.doubled-word",
                        "Description": "...", "Link": "", "Message": "...",
                        "Severity": "warning", "Match": "the the", "Line": 3}]}

``Span`` is Vale's: the 1-based columns (in characters) of the match's first and last
character on ``Line``; a match that runs onto the next line ends past its first line's
end, as in Vale. ``Check`` is the rule's dotted name (a rule from a Vale style keeps
``Style.Rule``). ``Severity`` is ``suggestion`` for redline's ``info``. ``Action`` is
``replace`` with the fixed text of the match when the finding has a fix inside its span,
else empty. ``Description`` is a Vale rule's ``description`` and a redline rule's one-line
summary; ``Link`` is the rule's link for rules from a Vale style. File errors are not alerts: they
go to stderr, as Vale's do.
"""

from __future__ import annotations

import json
from typing import Any

from redline.findings import Finding, Severity
from redline.output import OutputOptions
from redline.results import FileResult, RunResult
from redline.rules.base import RuleMeta

SEVERITIES = {Severity.INFO: "suggestion", Severity.WARNING: "warning", Severity.ERROR: "error"}


def action(result: FileResult, finding: Finding) -> dict[str, Any]:
    """Vale's ``Action``: ``replace`` with the match as the fix would leave it."""
    fix = finding.fix
    if fix is None or not all(finding.start <= e.start <= e.end <= finding.end for e in fix.edits):
        return {"Name": "", "Params": None}
    text = result.document.text
    pieces, at = [], finding.start
    for edit in sorted(fix.edits, key=lambda e: (e.start, e.end)):
        pieces.append(text[at : edit.start])
        pieces.append(edit.replacement)
        at = edit.end
    pieces.append(text[at : finding.end])
    return {"Name": "replace", "Params": ["".join(pieces)]}


def alert(result: FileResult, finding: Finding, rule: RuleMeta | None) -> dict[str, Any]:
    line, column = result.document.lines.position(finding.start)
    match = result.document.text[finding.start : finding.end]
    return {
        "Action": action(result, finding),
        "Span": [column, max(column, column + len(match) - 1)],
        "Check": finding.rule,
        "Description": rule.description if rule is not None else "",
        "Link": rule.link if rule is not None else "",
        "Message": " ".join(finding.message.split()),
        "Severity": SEVERITIES[finding.severity],
        "Match": match,
        "Line": line,
    }


def render(run: RunResult, options: OutputOptions) -> str:
    data = {
        result.path: [
            alert(result, f, run.rules.get(f.code)) for f in sorted(result.findings, key=lambda f: f.start)
        ]
        for result in sorted(run.files, key=lambda r: r.path)
        if result.findings
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
