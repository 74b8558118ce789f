"""RL301: a sentence with too many words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from redline.analysis import Sentence
from redline.document import BlockKind, Document
from redline.findings import Finding
from redline.rules.base import Rule, RuleContext, bounded


@dataclass(frozen=True)
class LongSentenceOptions:
    #: More words than this is a finding.
    max_words: int = bounded(40, minimum=1)
    #: Count the words inside quotation marks too (someone else's words: by default the
    #: writer cannot shorten them, so only the writer's own words count).
    include_quotes: bool = False


class LongSentence(Rule[LongSentenceOptions]):
    """Sentence too long.

    Readers lose the thread of a long sentence; plain-language guides advise an average
    of 15 to 20 words and splitting anything much longer. Headings are not checked, and
    words inside quotation marks do not count: a quotation is someone else's, and the
    writer may not shorten it. A list of names (a team sheet) is not checked.

    Bad::

        The committee, which met on Tuesday after a delay caused by the storm that had
        closed the roads into the city for most of the week, decided after a long debate
        that went on well into the evening to postpone the vote until the spring session.

    Good::

        The committee met on Tuesday, after a storm delayed it. It decided to postpone
        the vote until the spring session.

    Options:

    - ``max-words`` (int, default 40): the most words a sentence may have.
    - ``include-quotes`` (bool, default false): count the words of quotations too.
    """

    code = "RL301"
    name = "readability.long-sentence"
    Options = LongSentenceOptions

    def check(self, document: Document, ctx: RuleContext[LongSentenceOptions]) -> Iterator[Finding]:
        limit = ctx.options.max_words
        quotes = document.quotations
        for sentence in document.sentences:
            if document.blocks[sentence.block].kind is BlockKind.HEADING:
                continue
            if sentence.word_count <= limit or _mostly_names(sentence):
                continue
            own = sum(1 for w in sentence.words if ctx.options.include_quotes or not quotes.contains(w.start))
            if own > limit:
                words = sentence.word_count
                quoted = f", {words - own} of them quoted" if own < words else ""
                yield self.finding(
                    sentence.start,
                    sentence.end,
                    f"Sentence is {words} words long{quoted} (limit {limit}): split it",
                )


RULES = [LongSentence]


def _mostly_names(sentence: Sentence) -> bool:
    """A list of names (a team sheet, a cast list): nothing to split."""
    words = sentence.words[1:]
    return bool(words) and sum(w.text[:1].isupper() for w in words) * 2 > len(words)
