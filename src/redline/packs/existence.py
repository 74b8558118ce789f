"""``kind = "existence"``: flag any of a list of words, phrases or patterns.

Keys: ``tokens`` (literal words and phrases; any whitespace matches between words) and
``patterns`` (RE2 regular expressions; when a pattern has a capture group, the first
group is what is reported; a pattern that matches context around the group, such as
``'[a-z] (Spokesperson) [A-Z]'``, needs ``word-boundaries = false``). Message fields:
``{match}``.
"""

from __future__ import annotations

from collections.abc import Iterator

from redline.document import Document
from redline.findings import Finding
from redline.packs.base import PackOptions, PackRule, RuleSpec
from redline.packs.matching import Matcher
from redline.packs.reader import TableReader
from redline.rules.base import RuleContext


class ExistenceRule(PackRule):
    keys = frozenset({"tokens", "patterns"})
    default_message = "Avoid '{match}'"

    def __init__(self, spec: RuleSpec, matchers: list[Matcher], count: int) -> None:
        super().__init__(spec)
        self.matchers = matchers
        self.count = count

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> ExistenceRule:
        tokens = reader.strings("tokens")
        patterns = reader.strings("patterns")
        if not tokens and not patterns:
            raise reader.error(None, "an existence rule needs 'tokens' or 'patterns'")
        matchers = []
        if tokens:
            matchers.append(cls.compile_terms(spec, reader, "tokens", tokens, regex=False))
        if patterns:
            matchers.append(cls.compile_terms(spec, reader, "patterns", patterns, regex=True))
        return cls(spec, matchers, len(tokens) + len(patterns))

    def details(self) -> list[str]:
        return [f"Entries: {self.count}."]

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        for matcher in self.matchers:
            for hit in self.hits(document, matcher, ctx):
                start, end, text = hit.start, hit.end, hit.text
                if hit.groups and hit.groups[0]:
                    # Report the first capture group: the pattern's context stays unflagged.
                    offset = document.prose.find(hit.groups[0], start, end)
                    if offset >= 0:
                        start, end, text = offset, offset + len(hit.groups[0]), hit.groups[0]
                yield self.finding(start, end, self.message(text))
