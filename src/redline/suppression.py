"""Inline directives: ``redline-disable``, ``redline-enable``, ``redline-disable-next-line``.

``disable``/``enable`` toggle rules from the directive's line on; the last directive that
names a finding's rule (by code prefix or name, or all rules when it names none) before
the finding's line decides. ``disable-next-line`` silences the line after the directive.
"""

from __future__ import annotations

from redline.document import Directive
from redline.findings import Finding
from redline.linecol import LineIndex
from redline.rules import code_or_name_specificity


def _names(directive: Directive, finding: Finding) -> bool:
    if not directive.selectors:
        return True
    return any(
        code_or_name_specificity(s, finding.code, finding.rule) is not None for s in directive.selectors
    )


def is_suppressed(finding: Finding, directives: list[Directive], lines: LineIndex) -> bool:
    line = lines.line_of(finding.start)
    disabled = False
    for directive in directives:
        if directive.line > line:
            break
        if not _names(directive, finding):
            continue
        if directive.action == "redline-disable-next-line":
            if directive.line + 1 == line:
                return True
        else:
            disabled = directive.action == "redline-disable"
    return disabled


def unsuppressed(findings: list[Finding], directives: list[Directive], lines: LineIndex) -> list[Finding]:
    if not directives:
        return findings
    return [f for f in findings if not is_suppressed(f, directives, lines)]
