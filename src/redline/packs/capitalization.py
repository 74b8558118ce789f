"""``kind = "capitalization"``: headings in sentence case or title case.

Keys: ``style`` (``"sentence"``: capital first word, the rest lower case; ``"title"``:
every word capitalized except short function words inside the heading), ``small-words``
(title case: the words kept lower case). Words with a capital or digit after their first
letter (``JavaScript``, ``API``, ``H2O``), the pronoun ``I`` and the words of an exception
(``exceptions = ["South Korea"]``) are left as written; after a colon a capital may start
a new phrase. One finding per heading; the fix (unsafe: proper nouns are the editor's
call) recases the words. Default scope: headings. Message fields: ``{match}``,
``{expected}``, ``{style}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redline.document import Document
from redline.findings import Applicability, Edit, Finding, Fix
from redline.packs.base import PackRule, RuleSpec, TableReader
from redline.packs.matching import Exceptions, scoped_ranges
from redline.rules.base import RuleContext

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Chicago Manual of Style 8.159: articles, coordinating conjunctions and prepositions
# stay lower case in titles; AP capitalizes prepositions of four letters or more.
SMALL_WORDS = [
    "a",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "en",
    "for",
    "if",
    "in",
    "nor",
    "of",
    "off",
    "on",
    "or",
    "per",
    "the",
    "to",
    "up",
    "via",
    "vs",
    "yet",
]


class CapitalizationRule(PackRule):
    keys = frozenset({"style", "small-words"})
    message_fields = frozenset({"expected", "style"})
    default_message = "Heading is not in {style} case: '{expected}'"
    default_scope = ("headings",)

    def __init__(self, spec: RuleSpec, style: str, small_words: frozenset[str]) -> None:
        super().__init__(spec)
        self.style, self.small_words = style, small_words

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> CapitalizationRule:
        style = reader.choice("style", ("sentence", "title"), "sentence")
        small = reader.strings("small-words", SMALL_WORDS)
        return cls(spec, style, frozenset(w.lower() for w in small))

    def details(self) -> list[str]:
        return [f"Style: {self.style} case."]

    def check(self, document: Document, ctx: RuleContext) -> Iterator[Finding]:
        exceptions = self.exceptions(ctx)
        prose = document.prose
        for start, end in scoped_ranges(document, self.spec.scope):
            skip = exceptions.spans(prose, start, end)
            words = list(_WORD.finditer(prose, start, end))
            edits = []
            for position, word in enumerate(words):
                if Exceptions.covers(skip, *word.span()):
                    continue
                expected = self._expected(prose, word, position == 0, position == len(words) - 1)
                if expected != word.group():
                    edits.append(Edit(word.start(), word.end(), expected))
            if edits:
                heading = prose[start:end].strip()
                fixed = _apply(prose[start:end], edits, start).strip()
                yield self.finding(
                    start,
                    end,
                    self.message(heading, expected=fixed, style=self.style),
                    fix=Fix(tuple(edits), Applicability.UNSAFE),
                )

    def _expected(self, prose: str, word: re.Match[str], first: bool, last: bool) -> str:
        text = word.group()
        if text == "I" or any(ch.isupper() or ch.isdigit() or ch == "_" for ch in text[1:]):
            return text  # an acronym, a product name, an identifier: as written
        if prose[word.end() : word.end() + 1] == "." and prose[word.end() + 1 : word.end() + 2].isalnum():
            return text  # a file or product name: node.js, setup.py
        after_colon = prose[: word.start()].rstrip().endswith(":")
        if self.style == "sentence":
            if first:
                return text[:1].upper() + text[1:]
            return text if after_colon else text.lower()
        if not (first or last or after_colon) and text.lower() in self.small_words:
            return text.lower()
        return text[:1].upper() + text[1:]


def _apply(text: str, edits: list[Edit], base: int) -> str:
    for edit in sorted(edits, reverse=True):
        text = text[: edit.start - base] + edit.replacement + text[edit.end - base :]
    return text
