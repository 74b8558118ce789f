"""What every pack rule shares: its spec (code, name, message, scope...) and a table reader.

A pack rule is an ordinary :class:`~redline.rules.base.Rule` *instance*: its code, name,
severity and link are set from the pack on the instance, where built-in rules set them on
their class; both describe themselves with the same :class:`~redline.rules.base.RuleMeta`. Each kind (existence, substitution...)
is a subclass that reads its own keys from the rule's TOML table and implements ``check``.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from redline.document import BlockKind, Document
from redline.findings import Severity
from redline.packs.matching import Exceptions, Hit, Matcher, PatternError, scoped_ranges
from redline.rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from redline.packs.reader import TableReader


@dataclass(frozen=True)
class PackOptions:
    #: Phrases this rule leaves alone, added to the pack's own exceptions.
    exceptions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RuleSpec:
    """The settings every kind shares, read from one ``[[rule]]`` table."""

    code: str
    name: str
    kind: str
    summary: str
    docs: str
    message: str
    severity: Severity
    enabled: bool
    link: str
    scope: frozenset[BlockKind]
    ignore_case: bool
    word_boundaries: bool
    exceptions: tuple[str, ...]
    sources: tuple[str, ...]
    pack: str  # the pack file, for messages and ``redline explain``
    line: int | None


class PackRule(Rule[PackOptions]):
    """A rule defined by data in a pack."""

    Options = PackOptions
    #: Fields a message template of this kind may use, besides ``match``.
    message_fields: ClassVar[frozenset[str]] = frozenset()
    default_message: ClassVar[str] = "{match}"
    default_scope: ClassVar[tuple[str, ...]] = ("prose", "headings", "list-items")
    #: The keys of this kind's ``[[rule]]`` table, besides those every kind has.
    keys: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, spec: RuleSpec) -> None:
        self.code = spec.code
        self.name = spec.name
        self.default_severity = spec.severity
        self.default_enabled = spec.enabled
        self.link = spec.link
        self.spec = spec

    @property
    def summary(self) -> str:
        return self.spec.summary

    @property
    def documentation(self) -> str:
        parts = [self.spec.summary + "."]
        if self.spec.docs.strip():
            parts.append(self.spec.docs.strip("\n"))
        about = [f"Defined in the rule pack {Path(self.spec.pack).name} ({self.spec.kind} rule)."]
        about.extend(self.details())
        if self.spec.link:
            about.append(f"More: {self.spec.link}")
        about.extend(f"Source: {source}" for source in self.spec.sources)
        return "\n\n".join([*parts, "\n".join(about)])

    @property
    def description(self) -> str:
        """A Vale rule's own ``description`` (empty when it has none, as in Vale)."""
        if self.spec.kind.startswith("vale "):
            return " ".join(self.spec.docs.split())
        return super().description

    def details(self) -> list[str]:
        """Lines about this rule's data for ``redline explain`` (entry counts, settings)."""
        return []

    def exceptions(self, ctx: RuleContext[PackOptions]) -> Exceptions:
        """The rule's exceptions plus the config's, built once per set (not per document)."""
        phrases = (*self.spec.exceptions, *getattr(ctx.options, "exceptions", []))
        built: dict[tuple[str, ...], Exceptions] = vars(self).setdefault("_exceptions", {})
        if phrases not in built:
            built[phrases] = Exceptions(phrases, ignore_case=self.spec.ignore_case)
        return built[phrases]

    def message(self, match: str, **fields: Any) -> str:
        """The rule's message template filled in; line breaks in the match become spaces."""
        return self.spec.message.format(match=" ".join(match.split()), **fields)

    def hits(self, document: Document, matcher: Matcher, ctx: RuleContext[PackOptions]) -> Iterator[Hit]:
        """Matches in the rule's scope, minus those inside an exception."""
        exceptions = self.exceptions(ctx)
        ranges: Iterable[tuple[int, int]] = scoped_ranges(document, self.spec.scope)
        found = matcher.term_spans(document.prose)
        if found is not None:  # literal terms: only the blocks where one occurs are searched
            if document.blocks_in_order:
                ranges = _blocks_touched(document, found, self.spec.scope)
            else:
                ranges = [(start, end) for start, end in ranges if _overlaps(found, start, end)]
        for start, end in ranges:
            skip = exceptions.spans(document.prose, start, end)
            for hit in matcher.finditer(document.prose, start, end):
                if not Exceptions.covers(skip, hit.start, hit.end) and not hides_words(document, hit):
                    yield hit

    @staticmethod
    def compile_terms(
        spec: RuleSpec, reader: TableReader, key: str, terms: list[str], *, regex: bool
    ) -> Matcher:
        """A matcher for ``terms`` with the rule's case and boundary settings."""
        try:
            return Matcher(
                terms, regex=regex, ignore_case=spec.ignore_case, word_boundaries=spec.word_boundaries
            )
        except PatternError as error:
            raise reader.error(key, str(error)) from None

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> PackRule:
        """The rule for ``spec``, reading the kind's own keys from ``reader``."""
        raise NotImplementedError


def _blocks_touched(
    document: Document, spans: list[tuple[int, int]], scope: frozenset[BlockKind]
) -> list[tuple[int, int]]:
    """``(start, end)`` of each block in ``scope`` that :func:`_overlaps` ``spans``, in
    order, for blocks in order and apart (``document.blocks_in_order``): found from each
    span by bisection instead of testing every block. A block overlaps a span that covers
    its start, or one that starts inside it (after its start, before its end); with the
    blocks apart, only the last block starting before a span can hold its start."""
    blocks, starts = document.blocks, document.block_starts
    touched: set[int] = set()
    for start, end in spans:
        first = bisect.bisect_left(starts, start)
        if first and blocks[first - 1].end > start:
            touched.add(first - 1)
        touched.update(range(first, bisect.bisect_left(starts, end)))
    return [(blocks[i].start, blocks[i].end) for i in sorted(touched) if blocks[i].kind in scope]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when a span of ``spans`` (in order, not overlapping) overlaps ``start:end``;
    an empty ``start:end`` counts when a span covers ``start``."""
    i = bisect.bisect_right(spans, (start, sys.maxsize))
    if i and spans[i - 1][1] > start:
        return True  # the last span starting at or before ``start`` reaches past it
    return i < len(spans) and spans[i][0] < end


def hides_words(document: Document, hit: Hit) -> bool:
    """True when masked text inside the match has letters or digits (code, a link target).

    Emphasis markers may sit inside a phrase (``*in order* to``); code may not: "in
    `x` order to" is not the phrase "in order to".
    """
    text, prose = document.text, document.prose
    return any(
        t != p and t.isalnum()
        for t, p in zip(text[hit.start : hit.end], prose[hit.start : hit.end], strict=True)
    )
