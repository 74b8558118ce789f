"""``kind = "consistency"``: either form is fine, but not both in one document.

``either`` is a list of groups of forms (``[["email", "e-mail"], ["toward", "towards"]]``).
When a document uses more than one form of a group, each use of a minority form is
flagged, with the first use of the majority form as the related location; on a tie the
form used first wins. The fix (unsafe: the choice is the editor's) writes the majority
form. Message fields: ``{match}``, ``{other}`` (the majority form), ``{count}`` (its uses).
"""

from __future__ import annotations

from collections.abc import Iterator

from redline.document import Document
from redline.findings import Applicability, Edit, Finding, Fix, Related
from redline.packs.base import PackOptions, PackRule, RuleSpec
from redline.packs.matching import Hit, Matcher, preserve_case, unmasked
from redline.packs.reader import TableReader
from redline.rules.base import RuleContext


class ConsistencyRule(PackRule):
    keys = frozenset({"either"})
    message_fields = frozenset({"other", "count"})
    default_message = "Both '{match}' and '{other}' are used in this document; keep to '{other}'"

    def __init__(self, spec: RuleSpec, groups: list[list[str]], matchers: list[Matcher]) -> None:
        super().__init__(spec)
        self.groups, self.matchers = groups, matchers

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> ConsistencyRule:
        raw = reader.get("either", [])
        if not isinstance(raw, list) or not raw:
            raise reader.error(
                "either", '\'either\' must be a list of groups of forms, e.g. [["email", "e-mail"]]'
            )
        groups = []
        for group in raw:
            if (
                not isinstance(group, list)
                or len(group) < 2
                or not all(isinstance(f, str) and f for f in group)
            ):
                raise reader.error("either", f"each group needs two or more forms, not {group!r}")
            groups.append(list(group))
        matchers = [cls.compile_terms(spec, reader, "either", g, regex=False) for g in groups]
        return cls(spec, groups, matchers)

    def details(self) -> list[str]:
        return [f"Groups: {len(self.groups)}."]

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        for group, matcher in zip(self.groups, self.matchers, strict=True):
            uses: dict[int, list[Hit]] = {}
            for hit in self.hits(document, matcher, ctx):
                uses.setdefault(hit.index, []).append(hit)
            if len(uses) < 2:
                continue
            majority = max(uses, key=lambda i: (len(uses[i]), -uses[i][0].start))
            first = uses[majority][0]
            for index, hits in uses.items():
                if index == majority:
                    continue
                for hit in hits:
                    yield self._finding(document, hit, group[index], first, len(uses[majority]))

    def _finding(self, document: Document, hit: Hit, key: str, first: Hit, count: int) -> Finding:
        replacement = preserve_case(hit.text, key, first.text.lower() if first.text.islower() else first.text)
        fix = None
        if replacement is not None and unmasked(document, hit.start, hit.end):
            fix = Fix((Edit(hit.start, hit.end, replacement),), Applicability.UNSAFE)
        return self.finding(
            hit.start,
            hit.end,
            self.message(hit.text, other=first.text, count=count),
            related=[Related(first.start, first.end, f"'{first.text}' first used here")],
            fix=fix,
        )
