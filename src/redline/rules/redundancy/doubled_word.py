"""RL106: a word written twice in a row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from redline.analysis import Token
from redline.document import Document
from redline.findings import Applicability, Edit, Finding, Fix
from redline.rules.base import Rule, RuleContext
from redline.rules.redundancy.phrases import HAS_LETTER, TextFacts

# A name glued to itself ("류근웅류근웅", "JohnJohn"): scripts written without spaces
# between repeats, or a capitalised Latin word repeated with its capital. Lower-case
# Latin words that are doubled by nature ("couscous", "murmur") are left alone.
_GLUED = re.compile(
    r"^(?P<w>[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]{2,})(?P=w)$"
    r"|^(?P<n>[A-Z][a-z]{2,})(?P=n)$"
)
#: Words whose doubling is never grammatical English, so deleting one copy cannot change
#: the meaning. Particles ("log in in time"), "to" ("what it comes to to me"), "her"
#: ("gave her her coat") and the pronouns and verbs of ALLOWED can be doubled on purpose.
SAFE_TO_DELETE = frozenset(
    {"a", "an", "and", "his", "its", "my", "of", "or", "our", "than", "the", "their", "your"}
)
#: Doublings that are grammatical or deliberate: not reported unless ``allow`` drops them.
ALLOWED = ["had had", "not not", "that that", "very very"]
#: A word only of letters (an apostrophe or hyphen inside): not a path, number or code.
_PLAIN_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
_PATH_GLUE = set("/\\.:=@#~_")


@dataclass(frozen=True)
class DoubledWordOptions:
    #: Doublings that are grammatical or deliberate ("I had had enough", "that that is").
    allow: list[str] = field(default_factory=lambda: list(ALLOWED))


class DoubledWord(Rule[DoubledWordOptions]):
    """Word written twice in a row.

    "the the" is a typing slip that spell checkers miss, and a name glued to itself
    ("류근웅류근웅") is a copy-paste slip. Only adjacent plain words in one paragraph
    count, case ignored; a line break between them still counts. Not reported: the
    doublings in ``allow`` (grammatical: "she had had enough", "that that is"), names
    written with two capitals ("Walla Walla", "Bora Bora"), and anything path- or
    list-like ("/usr /usr/bin", "1 1"). Quoted words are someone else's: only a slip that
    cannot be grammatical is reported there, and never fixed.

    The fix removes the second copy. It is safe (applied by ``--fix``) only for words
    whose doubling cannot be grammatical ("the the", "a a", "of of", "and and"); for any
    other word ("this this", "be be") it is unsafe, since the doubling may be meant.

    Bad::

        Read the the manual first.

    Good::

        Read the manual first.

    Options:

    - ``allow`` (list of strings, default ["had had", "not not", "that that", "very very"]):
      doublings that are grammatical or deliberate.
    """

    code = "RL106"
    name = "redundancy.doubled-word"
    Options = DoubledWordOptions

    def check(self, document: Document, ctx: RuleContext[DoubledWordOptions]) -> Iterator[Finding]:
        allowed = {" ".join(a.lower().split()) for a in ctx.options.allow}
        text = document.text
        quotes = document.quotations
        has_letter, glued, bare_of = HAS_LETTER, _GLUED_TEXT, _BARE
        for sentence in document.sentences:
            previous = None
            previous_bare = ""
            for token in sentence.tokens:
                if not has_letter[token.text]:
                    previous = None
                    continue
                if glued[token.text] and not quotes.contains(token.start):
                    half = len(token.text) // 2
                    yield self._doubled(
                        token.text[:half], token.start + half, token.end, token.start, Applicability.UNSAFE
                    )
                bare = bare_of[token.text]
                if previous is not None and previous_bare == bare:
                    gap = text[previous.end : token.start]
                    pair = f"{previous_bare} {bare}"
                    if gap and not gap.strip() and pair not in allowed and _plain_pair(text, previous, token):
                        safe = bare in SAFE_TO_DELETE
                        if safe or not quotes.contains(previous.start):
                            applicability = Applicability.SAFE if safe else Applicability.UNSAFE
                            yield self._doubled(
                                token.text, previous.end, token.end, previous.start, applicability
                            )
                previous, previous_bare = token, bare

    def _doubled(
        self, word: str, remove_from: int, remove_to: int, first: int, applicability: Applicability
    ) -> Finding:
        return self.finding(
            first,
            remove_to,
            f"Doubled word: '{word}' written twice",
            fix=Fix((Edit(remove_from, remove_to, ""),), applicability),
        )


def _bare(token: Token) -> str:
    """The token lower-cased, without a byte order mark or zero-width space glued to it."""
    return _BARE[token.text]


#: :func:`_bare` of each token text, and whether the text is a name glued to itself.
_BARE = TextFacts(lambda text: text.lower().lstrip("\ufeff\u200b"))
_GLUED_TEXT = TextFacts(lambda text: _GLUED.match(text) is not None)


def _plain_pair(text: str, first: Token, second: Token) -> bool:
    """Two plain words, not a name ("Walla Walla") and not part of a path or a list of values."""
    if not (_PLAIN_WORD.match(_bare(first)) and _PLAIN_WORD.match(_bare(second))):
        return False
    if first.text[:1].isupper() and second.text[:1].isupper():
        return False  # a name or a title: "Bora Bora", "Sing Sing", "Duran Duran"
    before = text[first.start - 1] if first.start > 0 else " "
    after = text[second.end] if second.end < len(text) else " "
    return before not in _PATH_GLUE and after not in _PATH_GLUE


RULES = [DoubledWord]
