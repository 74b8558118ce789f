"""RL305: a paragraph with too many words or sentences."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from redline.document import Document
from redline.findings import Finding
from redline.readability import sentences_by_block
from redline.rules.base import Rule, RuleContext

_ADVICE = "split it where the subject changes"


@dataclass(frozen=True)
class LongParagraphOptions:
    #: More words than this is a finding (0: no limit).
    max_words: int = 150
    #: More sentences than this is a finding (0: no limit).
    max_sentences: int = 8


class LongParagraph(Rule[LongParagraphOptions]):
    """Paragraph too long.

    A wall of text hides its structure: readers skim past the middle of a long
    paragraph. Most style guides suggest one idea per paragraph and well under 150
    words. Paragraphs, list items and blockquotes are checked; the finding spans the
    paragraph's prose.

    Bad::

        The first point. The second point. The third point. The fourth point. The fifth
        point. The sixth point. The seventh point. The eighth point. The ninth point.

    Good::

        The first point. The second point. The third point.

        The fourth point. The fifth point. The sixth point.

    Options:

    - ``max-words`` (int, default 150): the most words a paragraph may have; 0 for no
      limit.
    - ``max-sentences`` (int, default 8): the most sentences a paragraph may have; 0
      for no limit.
    """

    code = "RL305"
    name = "readability.long-paragraph"
    Options = LongParagraphOptions

    def check(self, document: Document, ctx: RuleContext[LongParagraphOptions]) -> Iterator[Finding]:
        options: LongParagraphOptions = ctx.options
        for sentences in sentences_by_block(document).values():
            words = sum(s.word_count for s in sentences)
            start, end = sentences[0].start, sentences[-1].end
            if options.max_words and words > options.max_words:
                yield self.finding(
                    start, end, f"Paragraph is {words} words long (limit {options.max_words}): {_ADVICE}"
                )
            elif options.max_sentences and len(sentences) > options.max_sentences:
                yield self.finding(
                    start,
                    end,
                    f"Paragraph has {len(sentences)} sentences (limit {options.max_sentences}): {_ADVICE}",
                )


RULES = [LongParagraph]
