"""RL106: a word written twice in a row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from redline.document import Document
from redline.findings import Edit, Finding, Fix
from redline.rules.base import Rule, RuleContext

# A name glued to itself ("류근웅류근웅", "JohnJohn"): scripts written without spaces
# between repeats, or a capitalised Latin word repeated with its capital. Lower-case
# Latin words that are doubled by nature ("couscous", "murmur") are left alone.
_GLUED = re.compile(
    r"^(?P<w>[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]{2,})(?P=w)$"
    r"|^(?P<n>[A-Z][a-z]{2,})(?P=n)$"
)


@dataclass(frozen=True)
class DoubledWordOptions:
    #: Doublings that are grammatical ("I had had enough", "that that is").
    allow: list[str] = field(default_factory=lambda: ["had had", "that that"])


class DoubledWord(Rule):
    """Word written twice in a row.

    "the the" is a typing slip that spell checkers miss, and a name glued to itself
    ("류근웅류근웅") is a copy-paste slip. Only adjacent words in one paragraph count,
    case ignored; a line break between them still counts. The fix removes the second
    copy.

    Bad::

        Read the the manual first.

    Good::

        Read the manual first.

    Options:

    - ``allow`` (list of strings, default ["had had", "that that"]): doublings that are
      grammatical.
    """

    code = "RL106"
    name = "redundancy.doubled-word"
    Options = DoubledWordOptions

    def check(self, document: Document, ctx: RuleContext) -> Iterator[Finding]:
        allowed = {a.lower() for a in ctx.options.allow}
        text = document.text
        for sentence in document.sentences:
            previous = None
            for token in sentence.tokens:
                if not any(ch.isalpha() for ch in token.text):
                    previous = None
                    continue
                glued = _GLUED.match(token.text)
                if glued:
                    half = len(token.text) // 2
                    yield self._doubled(token.text[:half], token.start + half, token.end, token.start)
                if previous is not None and previous.lower == token.lower:
                    gap = text[previous.end : token.start]
                    if gap and not gap.strip() and f"{previous.lower} {token.lower}" not in allowed:
                        yield self._doubled(token.text, previous.end, token.end, previous.start)
                previous = token

    def _doubled(self, word: str, remove_from: int, remove_to: int, first: int) -> Finding:
        return self.finding(
            first,
            remove_to,
            f"Doubled word: '{word}' written twice",
            fix=Fix((Edit(remove_from, remove_to, ""),)),
        )


RULES = [DoubledWord]
