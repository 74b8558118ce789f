"""RL301: a sentence with too many words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from redline.document import BlockKind, Document
from redline.findings import Finding
from redline.rules.base import Rule, RuleContext, bounded


@dataclass(frozen=True)
class LongSentenceOptions:
    #: More words than this is a finding.
    max_words: int = bounded(40, minimum=1)


class LongSentence(Rule):
    """Sentence too long.

    Readers lose the thread of a long sentence; plain-language guides advise an average
    of 15 to 20 words and splitting anything much longer. Headings are not checked.

    Bad::

        The committee, which met on Tuesday after a delay caused by the storm that had
        closed the roads into the city for most of the week, decided after a long debate
        that went on well into the evening to postpone the vote until the spring session.

    Good::

        The committee met on Tuesday, after a storm delayed it. It decided to postpone
        the vote until the spring session.

    Options:

    - ``max-words`` (int, default 40): the most words a sentence may have.
    """

    code = "RL301"
    name = "readability.long-sentence"
    Options = LongSentenceOptions

    def check(self, document: Document, ctx: RuleContext) -> Iterator[Finding]:
        limit = ctx.options.max_words
        for sentence in document.sentences:
            if document.blocks[sentence.block].kind is BlockKind.HEADING:
                continue
            words = sentence.word_count
            if words > limit:
                yield self.finding(
                    sentence.start, sentence.end, f"Sentence is {words} words long (limit {limit})"
                )


RULES = [LongSentence]
