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

from redline.engine import FileResult, RunResult
from redline.findings import Finding, Severity
from redline.output import OutputOptions

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


def alert(result: FileResult, finding: Finding, rules: Any) -> dict[str, Any]:
    line, column = result.document.lines.position(finding.start)
    match = result.document.text[finding.start : finding.end]
    rule = rules.get(finding.code)
    spec = getattr(rule, "spec", None)
    return {
        "Action": action(result, finding),
        "Span": [column, max(column, column + len(match) - 1)],
        "Check": finding.rule,
        "Description": _description(rule),
        "Link": getattr(spec, "link", "") or "",
        "Message": " ".join(finding.message.split()),
        "Severity": SEVERITIES[finding.severity],
        "Match": match,
        "Line": line,
    }


def _description(rule: Any) -> str:
    """A Vale rule's own ``description`` (empty when it has none, as in Vale); a redline
    rule's one-line summary."""
    if rule is None:
        return ""
    spec = getattr(rule, "spec", None)
    if spec is not None and spec.kind.startswith("vale "):
        return " ".join(spec.docs.split())
    return f"{rule.summary}."


def _codes(result: FileResult) -> set[str]:
    return {f.code for f in result.findings}


def render(run: RunResult, options: OutputOptions) -> str:
    from redline.output import sarif

    known = sarif.known_rules()
    rules = {code: options.rules.get(code) or known.get(code) for r in run.files for code in _codes(r)}
    data = {
        result.path: [alert(result, f, rules) for f in sorted(result.findings, key=lambda f: f.start)]
        for result in sorted(run.files, key=lambda r: r.path)
        if result.findings
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
