"""``kind = "capitalization"``: headings in sentence case or title case.

Keys: ``style`` (``"sentence"``: capital first word, the rest lower case; ``"title"``:
every word capitalized except short function words inside the heading), ``small-words``
(title case: the words kept lower case). Words with a capital or digit after their first
letter (``JavaScript``, ``API``, ``H2O``), the pronoun ``I`` and the words of an exception
(``exceptions = ["South Korea"]``) are left as written; after a colon a capital may start
a new phrase. With ``learn-names`` (default true), a word the document's own paragraphs
capitalize in mid-sentence ("Cambodia", "Phnom Penh") is taken for a name and keeps its
capital in sentence case. One finding per heading; the fix (unsafe: proper nouns are the editor's
call) recases the words. Default scope: headings. Message fields: ``{match}``,
``{expected}``, ``{style}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redline.document import BlockKind, Document
from redline.findings import Applicability, Edit, Finding, Fix
from redline.packs.base import PackOptions, PackRule, RuleSpec
from redline.packs.matching import Exceptions, scoped_ranges
from redline.packs.reader import TableReader
from redline.rules.base import RuleContext

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Chicago Manual of Style 8.159: articles, coordinating conjunctions and prepositions
# stay lower case in titles; AP capitalizes prepositions of four letters or more.
_OPENS_SENTENCE = ".!?:;\"'“”‘’()[]#*-•"
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
    keys = frozenset({"style", "small-words", "learn-names"})
    message_fields = frozenset({"expected", "style"})
    default_message = "Heading is not in {style} case: '{expected}'"
    default_scope = ("headings",)

    def __init__(self, spec: RuleSpec, style: str, small_words: frozenset[str], learn_names: bool) -> None:
        super().__init__(spec)
        self.style, self.small_words, self.learn_names = style, small_words, learn_names

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> CapitalizationRule:
        style = reader.choice("style", ("sentence", "title"), "sentence")
        small = reader.strings("small-words", SMALL_WORDS)
        learn = reader.boolean("learn-names", True)
        return cls(spec, style, frozenset(w.lower() for w in small), learn)

    def details(self) -> list[str]:
        return [f"Style: {self.style} case."]

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        exceptions = self.exceptions(ctx)
        prose = document.prose
        names = _names(document) if self.learn_names and self.style == "sentence" else set()
        for start, end in scoped_ranges(document, self.spec.scope):
            skip = exceptions.spans(prose, start, end)
            words = list(_WORD.finditer(prose, start, end))
            edits = []
            for position, word in enumerate(words):
                if Exceptions.covers(skip, *word.span()) or word.group() in names:
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


def _names(document: Document) -> set[str]:
    """Words the document's own sentences capitalize mid-sentence: names ("Cambodia")."""
    names: set[str] = set()
    prose = document.prose
    for block in document.blocks:
        if block.kind is BlockKind.HEADING:
            continue
        for word in _WORD.finditer(prose, block.start, block.end):
            text = word.group()
            if text[:1].isupper() and text[1:].islower():
                before = prose[max(block.start, word.start() - 40) : word.start()].rstrip()
                if before and before[-1] not in _OPENS_SENTENCE:
                    names.add(text)
    return names


def _apply(text: str, edits: list[Edit], base: int) -> str:
    for edit in sorted(edits, reverse=True):
        text = text[: edit.start - base] + edit.replacement + text[edit.end - base :]
    return text
