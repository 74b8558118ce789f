"""Pieces every markup reader shares: URL masking and inline directives."""

from __future__ import annotations

import re

from redline.document import Directive, blank_out
from redline.linecol import LineIndex

DIRECTIVE_ACTIONS = ("redline-disable", "redline-enable", "redline-disable-next-line", "redline-disable-line")
#: A redline directive or a Vale comment in an HTML comment (Markdown, plain text).
HTML_COMMENT_DIRECTIVE = re.compile(r"<!--\s*(redline-[a-z-]+\b|vale\b)(.*?)-->", re.DOTALL)
_VALE_SWITCH = re.compile(r"^\s*(off|on)\s*$", re.IGNORECASE)
_VALE_RULE = re.compile(r"([\w.-]+)\s*=\s*(NO|YES)\b", re.IGNORECASE)

# Bare URLs, www. hosts and e-mail addresses are not prose.
_URL = re.compile(
    r"\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b",
    re.IGNORECASE,
)
_SELECTOR_SPLIT = re.compile(r"[\s,]+")
#: What every match of ``_URL`` holds: a scheme's "://", "www." or an "@".
_URL_HINT = re.compile(r"://|www\.|@", re.IGNORECASE)
_NON_SPACE = re.compile(r"\S*")


def mask_urls(prose: str) -> str:
    """``prose`` with bare URLs and e-mail addresses blanked out.

    ``_URL`` is only tried on the runs of non-space characters that hold a hint of one:
    no match of it holds white space, so each lies in one such run, and the same matches
    are found as over the whole text (a word boundary at a run's edge sees the same space
    either way), without the regex being tried at every word of the text.
    """
    parts: list[str] = []
    last = 0
    hint = _URL_HINT.search(prose)
    while hint is not None:
        begin = hint.start()
        while begin > 0 and not prose[begin - 1].isspace():
            begin -= 1
        run = _NON_SPACE.match(prose, hint.start())
        end = run.end() if run else hint.end()
        for match in _URL.finditer(prose, begin, end):
            parts.append(prose[last : match.start()])
            parts.append(blank_out(match.group()))
            last = match.end()
        hint = _URL_HINT.search(prose, end)
    if not parts:
        return prose
    parts.append(prose[last:])
    return "".join(parts)


def find_directives(
    text: str, start: int, end: int, lines: LineIndex, pattern: re.Pattern[str]
) -> list[Directive]:
    """Directives matched by ``pattern`` (groups: action, selectors) in ``text[start:end]``."""
    found = []
    for match in pattern.finditer(text, start, end):
        action, line = match.group(1), lines.line_of(match.end() - 1)
        if action == "vale":
            found.extend(_vale(match.group(2), line))
            continue
        if action not in DIRECTIVE_ACTIONS:
            continue
        selectors = tuple(s for s in _SELECTOR_SPLIT.split(match.group(2).strip()) if s)
        found.append(Directive(action, selectors, line))
    return found


def _vale(body: str, line: int) -> list[Directive]:
    """Vale's ``vale off``/``vale on`` and ``vale Style.Rule = NO``/``= YES`` as directives.

    A Vale rule imported into redline keeps ``Style.Rule`` as its name, so the name (or the
    style alone, for all its rules) selects it; redline codes and names work too.
    """
    switch = _VALE_SWITCH.match(body)
    if switch:
        action = "redline-disable" if switch.group(1).lower() == "off" else "redline-enable"
        return [Directive(action, (), line)]
    return [
        Directive("redline-disable" if value.upper() == "NO" else "redline-enable", (name,), line)
        for name, value in _VALE_RULE.findall(body)
    ]
