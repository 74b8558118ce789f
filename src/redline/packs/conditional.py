"""``kind = "conditional"``: something used before it is introduced (an acronym before its
definition).

Keys: ``first`` (an RE2 pattern for a use; its first group, or the whole match, is the
key), ``second`` (an RE2 pattern for the introduction; its first group is the key). A
key used before any introduction of it is flagged once, at its first use, with the
introduction (if any comes later) as related location. ``exceptions`` lists keys that
need no introduction. Message fields: ``{match}``.
"""

from __future__ import annotations

from collections.abc import Iterator

from redline.document import Document
from redline.findings import Finding, Related
from redline.packs.base import PackOptions, PackRule, RuleSpec
from redline.packs.matching import Hit, Matcher
from redline.packs.reader import TableReader
from redline.rules.base import RuleContext


class ConditionalRule(PackRule):
    keys = frozenset({"first", "second"})
    default_message = "'{match}' is used before it is defined"

    def __init__(self, spec: RuleSpec, first: Matcher, second: Matcher) -> None:
        super().__init__(spec)
        self.first, self.second = first, second

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> ConditionalRule:
        first = cls.compile_terms(spec, reader, "first", [reader.string("first")], regex=True)
        second = cls.compile_terms(spec, reader, "second", [reader.string("second")], regex=True)
        return cls(spec, first, second)

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        allowed = {e.casefold() for e in [*self.spec.exceptions, *getattr(ctx.options, "exceptions", [])]}
        introduced: dict[str, Hit] = {}
        for hit in self.hits(document, self.second, ctx):
            introduced.setdefault(_key(hit), hit)
        reported: set[str] = set()
        for hit in self.hits(document, self.first, ctx):
            key = _key(hit)
            if key in reported or key.casefold() in allowed:
                continue
            intro = introduced.get(key)
            if intro is not None and intro.start <= hit.start:
                continue
            reported.add(key)
            start = document.prose.find(key, hit.start, hit.end)
            start = start if start >= 0 else hit.start
            related = [Related(intro.start, intro.end, "defined here")] if intro else []
            yield self.finding(start, start + len(key), self.message(key), related=related)


def _key(hit: Hit) -> str:
    return hit.groups[0] if hit.groups and hit.groups[0] else hit.text
