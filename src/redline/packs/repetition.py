"""``kind = "repetition"``: the same word or phrase twice in a row.

Keys: ``tokens`` or ``patterns`` (what may not repeat; ``patterns = ["[\\\\pL']+"]`` for any
word). Two matches repeat when their text is the same (case follows ``ignore-case``) and
only whitespace separates them. Message fields: ``{match}``.
"""

from __future__ import annotations

from collections.abc import Iterator

from redline.document import Document
from redline.findings import Finding, Related
from redline.packs.base import PackOptions, PackRule, RuleSpec
from redline.packs.matching import Hit, Matcher
from redline.packs.reader import TableReader
from redline.rules.base import RuleContext


class RepetitionRule(PackRule):
    keys = frozenset({"tokens", "patterns"})
    default_message = "'{match}' is repeated"

    def __init__(self, spec: RuleSpec, matcher: Matcher) -> None:
        super().__init__(spec)
        self.matcher = matcher

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> RepetitionRule:
        tokens, patterns = reader.strings("tokens"), reader.strings("patterns")
        if bool(tokens) == bool(patterns):
            raise reader.error(None, "a repetition rule needs either 'tokens' or 'patterns'")
        matcher = cls.compile_terms(
            spec, reader, "patterns" if patterns else "tokens", patterns or tokens, regex=bool(patterns)
        )
        return cls(spec, matcher)

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        previous: Hit | None = None
        for hit in self.hits(document, self.matcher, ctx):
            if (
                previous is not None
                and self._same(previous, hit)
                and not document.prose[previous.end : hit.start].strip()
            ):
                yield self.finding(
                    hit.start,
                    hit.end,
                    self.message(hit.text),
                    related=[Related(previous.start, previous.end, "first written here")],
                )
            previous = hit

    def _same(self, a: Hit, b: Hit) -> bool:
        if self.spec.ignore_case:
            return a.text.casefold() == b.text.casefold()
        return a.text == b.text
