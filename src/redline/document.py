"""The markup-aware document every rule receives.

A :class:`Document` keeps the decoded source ``text`` and a ``prose`` string of the same
length in which everything that is not prose (code, markup, URLs, front matter, HTML) is
blanked out with spaces, line breaks kept. Offsets into one are offsets into the other,
so a rule can search ``prose`` and report positions that are exact in the source.

Blocks are the units prose lives in (paragraphs, headings, list items, quotes, table
cells); sentences never cross a block boundary. Sentences and tokens come from
:mod:`redline.analysis`, computed once on first use.
"""

from __future__ import annotations

import bisect
import enum
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from redline.blocks import BlockKind as BlockKind  # noqa: PLC0414 (re-exported for the rest of the code)
from redline.linecol import LineIndex

if TYPE_CHECKING:
    from redline.analysis import Analysis, Sentence, Token
    from redline.quotations import Quotations


class Syntax(enum.StrEnum):
    MARKDOWN = "markdown"
    RST = "rst"
    TEXT = "text"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    start: int
    end: int


@dataclass(frozen=True)
class Directive:
    """An inline ``redline-disable`` / ``-enable`` / ``-disable-next-line`` comment.

    ``selectors`` is empty for "all rules". ``line`` is the 1-based line the comment ends on.
    """

    action: str
    selectors: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class SentenceSpan:
    """A sentence's place and word count, without its tokens: what the cross-file rules
    (RL101, RL102) read, small enough to keep in the result cache, so that a warm
    ``--cross-file`` run needs no spaCy for an unchanged file."""

    start: int
    end: int
    block: int
    word_count: int


_NON_BREAK = re.compile(r"[^\r\n]+")


def blank_out(text: str) -> str:
    """``text`` with every character but line breaks replaced by a space."""
    if "\n" not in text and "\r" not in text:
        return " " * len(text)
    return _NON_BREAK.sub(lambda m: " " * len(m.group()), text)


def prose_from_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Build a ``prose`` string: ``text`` inside ``spans``, blanks elsewhere."""
    parts: list[str] = []
    cursor = 0
    for span_start, end in sorted(spans):
        start = max(span_start, cursor)
        if end <= start:
            continue
        parts.append(blank_out(text[cursor:start]))
        parts.append(text[start:end])
        cursor = end
    parts.append(blank_out(text[cursor:]))
    return "".join(parts)


@dataclass
class Document:
    path: str
    text: str
    prose: str
    blocks: list[Block]
    syntax: Syntax
    directives: list[Directive] = field(default_factory=list)
    spacy_model: str | None = None
    #: Offsets where sections start, sorted: every heading (one made only of code too)
    #: and, in reStructuredText, every domain directive entry (``.. variable:: NAME``).
    sections: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.prose) != len(self.text):
            raise ValueError("prose must have the same length as text")

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def analysis(self) -> Analysis:
        from redline.analysis import analyze

        return analyze(self)

    @cached_property
    def quotations(self) -> Quotations:
        """Quoted text (see :mod:`redline.quotations`), found once and shared by every rule."""
        from redline.quotations import find_quotations

        return find_quotations(self)

    @property
    def sentences(self) -> list[Sentence]:
        return self.analysis.sentences

    @cached_property
    def sentence_spans(self) -> list[SentenceSpan]:
        """Each sentence's place and word count: from the result cache on a hit (see
        :meth:`redline.result_cache.CachedResult.document`), else from the analysis."""
        return [SentenceSpan(s.start, s.end, s.block, s.word_count) for s in self.sentences]

    @property
    def words(self) -> list[Token]:
        """Every word token of the document's prose, in order."""
        return [t for s in self.analysis.sentences for t in s.words]

    @cached_property
    def block_starts(self) -> list[int]:
        """Where each block starts, in order: for finding blocks by bisection."""
        return [b.start for b in self.blocks]

    @cached_property
    def blocks_in_order(self) -> bool:
        """The blocks are sorted and apart, each ending at or before the next starts (what
        :meth:`block_of` assumes, and the parsers make)."""
        blocks = self.blocks
        return all(block.start <= block.end for block in blocks) and all(
            blocks[i].end <= blocks[i + 1].start for i in range(len(blocks) - 1)
        )

    def section_of(self, offset: int) -> int:
        """0 before the first section start, then 1, 2, ... for each section after it."""
        return bisect.bisect_right(self.sections, offset)

    def block_of(self, offset: int) -> int:
        """Index of the block containing ``offset``, or -1."""
        i = bisect.bisect_right(self.block_starts, offset) - 1
        if i >= 0 and offset < self.blocks[i].end:
            return i
        return -1
