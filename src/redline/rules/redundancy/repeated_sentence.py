"""RL101: the same sentence, word for word, more than once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from redline.analysis import normalize_sentence
from redline.document import BlockKind, Document, SentenceSpan
from redline.findings import Finding, Related
from redline.rules.base import Rule, RuleContext, bounded

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


def _compared(document: Document, options: RepeatedSentenceOptions) -> Iterator[SentenceSpan]:
    skipped = set() if options.include_headings else {BlockKind.HEADING, BlockKind.TABLE_CELL}
    for sentence in document.sentence_spans:  # from the result cache on a hit: no spaCy
        if sentence.word_count >= options.min_words and document.blocks[sentence.block].kind not in skipped:
            yield sentence


RULES = [RepeatedSentence]
