"""``kind = "occurrence"``: at most ``max`` of something per sentence, paragraph or document.

Keys: ``tokens`` or ``patterns`` (what to count), ``max`` (an integer), ``unit``
(``sentence``, ``paragraph`` or ``document``; default ``sentence``). The finding sits on the
first occurrence past the limit, with the unit's first occurrence as related location.
Counting punctuation needs ``word-boundaries = false``. Message fields: ``{match}``,
``{count}``, ``{max}``, ``{unit}``.
"""

from __future__ import annotations

from collections.abc import Iterator

from redline.document import Document
from redline.findings import Finding, Related
from redline.packs.base import PackOptions, PackRule, RuleSpec
from redline.packs.matching import Hit, Matcher
from redline.packs.reader import TableReader
from redline.rules.base import RuleContext

UNITS = ("sentence", "paragraph", "document")


class OccurrenceRule(PackRule):
    keys = frozenset({"tokens", "patterns", "max", "unit"})
    message_fields = frozenset({"count", "max", "unit"})
    default_message = "{count} uses of '{match}' in one {unit} (at most {max})"

    def __init__(self, spec: RuleSpec, matcher: Matcher, limit: int, unit: str) -> None:
        super().__init__(spec)
        self.matcher, self.limit, self.unit = matcher, limit, unit

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> OccurrenceRule:
        tokens, patterns = reader.strings("tokens"), reader.strings("patterns")
        if bool(tokens) == bool(patterns):
            raise reader.error(None, "an occurrence rule needs either 'tokens' or 'patterns'")
        matcher = cls.compile_terms(
            spec, reader, "patterns" if patterns else "tokens", patterns or tokens, regex=bool(patterns)
        )
        limit = reader.integer("max")
        unit = reader.choice("unit", UNITS, "sentence")
        return cls(spec, matcher, limit, unit)

    def details(self) -> list[str]:
        return [f"At most {self.limit} per {self.unit}."]

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        hits = list(self.hits(document, self.matcher, ctx))
        for group in self.units(document, hits):
            if len(group) > self.limit:
                extra, first = group[self.limit], group[0]
                yield self.finding(
                    extra.start,
                    extra.end,
                    self.message(extra.text, count=len(group), max=self.limit, unit=self.unit),
                    related=[Related(first.start, first.end, f"first of {len(group)} in this {self.unit}")],
                )

    def units(self, document: Document, hits: list[Hit]) -> list[list[Hit]]:
        if self.unit == "document":
            return [hits]
        groups: dict[int, list[Hit]] = {}
        if self.unit == "paragraph":
            for hit in hits:
                groups.setdefault(document.block_of(hit.start), []).append(hit)
            return list(groups.values())
        sentences = document.sentences
        index = 0
        for hit in hits:
            while index < len(sentences) and sentences[index].end <= hit.start:
                index += 1
            if index < len(sentences) and sentences[index].start <= hit.start:
                groups.setdefault(index, []).append(hit)
        return list(groups.values())
