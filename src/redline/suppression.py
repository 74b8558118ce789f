"""Inline directives: ``redline-disable``, ``-enable``, ``-disable-next-line``, ``-disable-line``.

``disable``/``enable`` toggle rules from the directive's line on; the last directive that
names a finding's rule (by code prefix, dotted name or short name, or all rules when it
names none) before the finding's line decides. ``disable-next-line`` silences the next
line that is not blank (reStructuredText needs a blank line after a comment).
``disable-line`` silences its own line; a comment alone on its line (the only form
reStructuredText has) silences the nearest line above it that is not blank.

Vale's comments (``<!-- vale off -->``, ``<!-- vale Style.Rule = NO -->``) are read by
the markup readers as ``disable``/``enable`` directives.
"""

from __future__ import annotations

from redline.document import Directive
from redline.findings import Finding
from redline.linecol import LineIndex
from redline.rules import code_or_name_specificity

NEXT_LINE = "redline-disable-next-line"
THIS_LINE = "redline-disable-line"
_COMMENT_STARTS = ("<!--", "..")


def _names(directive: Directive, finding: Finding) -> bool:
    if not directive.selectors:
        return True
    short = finding.rule.lower().rsplit(".", 1)[-1]
    return any(
        code_or_name_specificity(s, finding.code, finding.rule) is not None or s.lower() == short
        for s in directive.selectors
    )


class _Lines:
    """The text's lines, to find the line a line directive points at."""

    def __init__(self, text: str, lines: LineIndex) -> None:
        self.text, self.lines = text, lines

    def content(self, line: int) -> str:
        return self.text[self.lines.line_start(line) : self.lines.line_end(line)].strip()

    def target(self, directive: Directive) -> int:
        if directive.action == NEXT_LINE:
            line = directive.line + 1
            while line < self.lines.line_count and not self.content(line):
                line += 1
            return line
        line = directive.line
        if self.content(line).startswith(_COMMENT_STARTS):
            line -= 1
            while line > 1 and not self.content(line):
                line -= 1
        return line


def is_suppressed(
    finding: Finding, directives: list[Directive], lines: LineIndex, text: str | None = None
) -> bool:
    """Whether ``finding`` is silenced; without ``text`` line directives count every line as not blank."""
    line = lines.line_of(finding.start)
    targets = _Lines(text, lines) if text is not None else None
    disabled = False
    for directive in directives:
        if directive.action == THIS_LINE:
            target = targets.target(directive) if targets else directive.line
            if target == line and _names(directive, finding):
                return True
            continue
        if directive.line > line:
            continue  # a later line directive may still point back at this line
        if not _names(directive, finding):
            continue
        if directive.action == NEXT_LINE:
            if (targets.target(directive) if targets else directive.line + 1) == line:
                return True
        else:
            disabled = directive.action == "redline-disable"
    return disabled


def unsuppressed(
    findings: list[Finding], directives: list[Directive], lines: LineIndex, text: str | None = None
) -> list[Finding]:
    if not directives:
        return findings
    return [f for f in findings if not is_suppressed(f, directives, lines, text)]
