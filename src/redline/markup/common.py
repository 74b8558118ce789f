"""Pieces every markup reader shares: URL masking and inline directives."""

from __future__ import annotations

import re

from redline.document import Directive, blank_out
from redline.linecol import LineIndex

DIRECTIVE_ACTIONS = ("redline-disable", "redline-enable", "redline-disable-next-line")

# Bare URLs, www. hosts and e-mail addresses are not prose.
_URL = re.compile(
    r"\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b",
    re.IGNORECASE,
)
_SELECTOR_SPLIT = re.compile(r"[\s,]+")


def mask_urls(prose: str) -> str:
    return _URL.sub(lambda m: blank_out(m.group()), prose)


def find_directives(
    text: str, start: int, end: int, lines: LineIndex, pattern: re.Pattern[str]
) -> list[Directive]:
    """Directives matched by ``pattern`` (groups: action, selectors) in ``text[start:end]``."""
    found = []
    for match in pattern.finditer(text, start, end):
        action = match.group(1)
        if action not in DIRECTIVE_ACTIONS:
            continue
        selectors = tuple(s for s in _SELECTOR_SPLIT.split(match.group(2).strip()) if s)
        found.append(Directive(action, selectors, lines.line_of(match.end() - 1)))
    return found
