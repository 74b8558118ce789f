"""RL101: the same sentence, word for word, more than once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from redline.analysis import normalize_sentence
from redline.document import Block, BlockKind, Document, SentenceSpan
from redline.findings import Finding, Related
from redline.rules.base import Rule, RuleContext, bounded
from redline.rules.redundancy.phrases import introduces_code

_MAX_RELATED = 20  # earlier occurrences listed on one finding


@dataclass(frozen=True)
class RepeatedSentenceOptions:
    #: Sentences with fewer words are ignored ("See below." may recur on purpose).
    min_words: int = bounded(5, minimum=1)
    #: Compare headings and table cells too (off: "Example" headings repeat by design).
    include_headings: bool = False
    #: "section": a repeat counts within one section (reference docs repeat a note under
    #: every entry on purpose); "document": anywhere in the file.
    scope: Literal["section", "document"] = "section"


class RepeatedSentence(Rule[RepeatedSentenceOptions]):
    """Sentence repeated word for word.

    A sentence that appears again, ignoring case, spacing and punctuation, is padding or
    a copy-paste slip: the reader has already read it. The finding marks the repeat and
    points at every earlier occurrence.

    Bad::

        The new release improves startup time. Users can upgrade today.
        The new release improves startup time.

    Good::

        The new release improves startup time. Users can upgrade today.

    Options:

    - ``min-words`` (int, default 5): shorter sentences are not compared.
    - ``include-headings`` (bool, default false): also compare headings and table cells.
    - ``scope`` ("section" or "document", default "section"): where a repeat counts.
      Sections start at headings (and at reStructuredText entries such as
      ``.. variable:: NAME``); reference pages repeat a note under each entry by design,
      while a repeat inside one section is a slip.

    Sections start at headings, at reStructuredText entries and ``.. _label:`` targets,
    and at Markdown paragraphs made only of bold text (an API entry's signature). A sentence
    shared by different entries of a list (sibling options that each say "Default value is
    configurable ...", the same step under two branches of an algorithm, the last step of
    two procedures) is a parallel entry, not a repeat; a list entry pasted whole twice
    among its siblings still is. A cross-reference ("See the ... manual for available
    expressions.") is navigation, repeated so that each part of a page stands alone: it
    is not compared.

    With ``--cross-file``, a sentence copied word for word from an earlier file of the run
    is reported too, on the copy, with the original (and its path) related.
    """

    code = "RL101"
    name = "redundancy.repeated-sentence"
    Options = RepeatedSentenceOptions
    cross_file = True

    def check_corpus(
        self, documents: list[Document], ctx: RuleContext[RepeatedSentenceOptions]
    ) -> dict[str, list[Finding]]:
        """Repeats inside each file, and (``--cross-file``) a sentence copied word for word
        from an earlier file of the run, reported on the copy with the original related."""
        options: RepeatedSentenceOptions = ctx.options
        results: dict[str, list[Finding]] = {}
        first_seen: dict[str, tuple[Document, int, int]] = {}
        for document in documents:
            found = results.setdefault(document.path, list(self.check(document, ctx)))
            copied: set[str] = set()
            for sentence in _compared(document, options):
                key = normalize_sentence(document.text[sentence.start : sentence.end])
                origin = first_seen.get(key)
                if origin is None:
                    first_seen[key] = (document, sentence.start, sentence.end)
                    continue
                other, start, end = origin
                if other is document or key in copied:
                    continue  # a repeat inside the file: reported above
                copied.add(key)
                line = other.lines.line_of(start)
                found.append(
                    self.finding(
                        sentence.start,
                        sentence.end,
                        f"Sentence copies {other.path}:{line} word for word",
                        related=[Related(start, end, "the original", path=other.path)],
                    )
                )
        return results

    def check(self, document: Document, ctx: RuleContext[RepeatedSentenceOptions]) -> Iterator[Finding]:
        options: RepeatedSentenceOptions = ctx.options
        seen: dict[str, list[tuple[int, int]]] = {}
        for sentence in _compared(document, options):
            # The source text, not the prose: sentences that differ only in masked code
            # spans or link targets are different sentences.
            key = normalize_sentence(document.text[sentence.start : sentence.end])
            # Every heading opens a section of its own, so headings compare across the file.
            if options.scope == "section" and document.blocks[sentence.block].kind is not BlockKind.HEADING:
                key = f"{document.section_of(sentence.start)}\0{key}"
            earlier = seen.setdefault(key, [])
            if earlier and _parallel_entries(document, earlier[-1], sentence):
                earlier.append((sentence.start, sentence.end))
                continue
            if earlier:
                first_line = document.lines.line_of(earlier[0][0])
                times = len(earlier) + 1
                message = (
                    f"Sentence repeats line {first_line} word for word"
                    if times == 2
                    else f"Sentence repeated word for word ({times} times; first at line {first_line})"
                )
                yield self.finding(
                    sentence.start,
                    sentence.end,
                    message,
                    # Capped: a sentence pasted n times would otherwise carry n*n/2 related places.
                    related=[Related(s, e, "earlier occurrence") for s, e in earlier[:_MAX_RELATED]],
                )
            earlier.append((sentence.start, sentence.end))


def _parallel_entries(document: Document, earlier: tuple[int, int], sentence: SentenceSpan) -> bool:
    """True when the two uses sit in different entries of a list, as parallel entries do:
    sibling options that each say "Default value is configurable ...", algorithm steps that
    each end "Throw an error.", tiers that each say who maintains them. An entry repeated
    whole among its siblings (a bullet pasted twice) is still a repeat."""
    blocks = document.blocks
    first, second = document.block_of(earlier[0]), sentence.block
    if first == second or first < 0:
        return False
    if blocks[first].kind is not BlockKind.LIST_ITEM or blocks[second].kind is not BlockKind.LIST_ITEM:
        return False
    whole = all(
        _is_whole_block(document, blocks[b], span)
        for b, span in ((first, earlier), (second, (sentence.start, sentence.end)))
    )
    return not (whole and _siblings(document, blocks[first].start, blocks[second].start))


def _is_whole_block(document: Document, block: Block, span: tuple[int, int]) -> bool:
    return (
        not document.prose[block.start : span[0]].strip() and not document.prose[span[1] : block.end].strip()
    )


_MARGIN = re.compile(r"[ \t]*(?:>[ \t]*)*")
_MARKER = re.compile(r"(?:[-*+•‣⁃]|\(?(?:\d+|#|[A-Za-z]|[ivxlcdm]+)[.)])(?:[ \t]|$)")


def _indent(document: Document, line: int) -> int | None:
    """Where a line's text (a list marker, for an item's first line) starts, past block-quote
    markers; None for a blank line."""
    start, end = document.lines.line_start(line), document.lines.line_end(line)
    margin = _MARGIN.match(document.text, start, end)
    at = margin.end() if margin else start
    return at - start if at < end else None


def _siblings(document: Document, first: int, second: int) -> bool:
    """True when two list blocks are entries of one list: they open at one indentation,
    and every line between is indented more or opens another entry there (a paragraph or a
    less-indented line between means two lists, or steps under two branches)."""
    lines, text = document.lines, document.text
    top, bottom = lines.line_of(first), lines.line_of(second)
    indent = _indent(document, top)
    if indent is None or _indent(document, bottom) != indent:
        return False
    for number in range(top + 1, bottom):
        at = _indent(document, number)
        if at is None or at > indent:
            continue
        start = lines.line_start(number) + at
        if at < indent or not _MARKER.match(text, start, lines.line_end(number)):
            return False
    return True


#: A cross-reference ("See the cmake-generator-expressions(7) manual for ...", "For more
#: information, see ..."): navigation, repeated so that each part of a page stands alone.
_CROSS_REFERENCE = re.compile(
    r"(?:see|refer to|for (?:more )?(?:information|details)(?: \w+)*?, see)\b", re.I
)


def _compared(document: Document, options: RepeatedSentenceOptions) -> Iterator[SentenceSpan]:
    skipped = set() if options.include_headings else {BlockKind.HEADING, BlockKind.TABLE_CELL}
    for sentence in document.sentence_spans:  # from the result cache on a hit: no spaCy
        if (
            sentence.word_count >= options.min_words
            and document.blocks[sentence.block].kind not in skipped
            and not introduces_code(document, sentence)  # a caption: "Continuing the above example, the code"
            and not _CROSS_REFERENCE.match(document.prose, sentence.start)
        ):
            yield sentence


RULES = [RepeatedSentence]
