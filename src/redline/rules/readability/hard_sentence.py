"""RL304: a sentence that is hard or very hard to read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from redline.document import BlockKind, Document
from redline.findings import Finding, Severity
from redline.readability import sentence_grade
from redline.rules.base import Rule, RuleContext, bounded, in_order


@dataclass(frozen=True)
class HardSentenceOptions:
    #: A sentence at or above this grade is hard to read (reported as info).
    hard_grade: float = 10.0
    #: A sentence at or above this grade is very hard to read (reported as a warning).
    very_hard_grade: float = 14.0
    #: Shorter sentences are never hard.
    min_words: int = bounded(14, minimum=1)
    #: Report hard sentences too, not only very hard ones.
    report_hard: bool = True


class HardSentence(Rule[HardSentenceOptions]):
    """Sentence hard to read.

    Like the Hemingway editor's yellow and red highlights: a sentence of at least
    ``min-words`` words whose reading grade (the Automated Readability Index of the
    sentence alone: long words and many of them) reaches ``hard-grade`` is "hard to
    read", reported as info; one that reaches ``very-hard-grade`` is "very hard to read",
    reported as a warning. Headings are not checked. Split the sentence or use shorter
    words.

    Off by default: on the project's corpus of technical docs it reports about one
    sentence in six.

    Bad::

        The interdepartmental coordination committee's comprehensive recommendations
        regarding organisational restructuring remain fundamentally unimplemented today.

    Good::

        The committee's plan to reorganise the teams has not been carried out.

    Options:

    - ``hard-grade`` (float, default 10.0): the grade from which a sentence is hard.
    - ``very-hard-grade`` (float, default 14.0): the grade from which it is very hard.
    - ``min-words`` (int, default 14): shorter sentences are never reported.
    - ``report-hard`` (bool, default true): false reports only very hard sentences.
    """

    code = "RL304"
    name = "readability.hard-sentence"
    default_enabled = False
    Options = HardSentenceOptions

    def option_problems(self, options: Any) -> Iterator[tuple[str, str]]:
        return in_order("hard-grade", options.hard_grade, "very-hard-grade", options.very_hard_grade)

    def check(self, document: Document, ctx: RuleContext[HardSentenceOptions]) -> Iterator[Finding]:
        options: HardSentenceOptions = ctx.options
        for sentence in document.sentences:
            if document.blocks[sentence.block].kind is BlockKind.HEADING:
                continue
            if sentence.word_count < options.min_words:
                continue
            score = sentence_grade(sentence)
            if score >= options.very_hard_grade:
                yield self.finding(
                    sentence.start,
                    sentence.end,
                    f"Very hard to read: grade {score:.1f} (limit {options.very_hard_grade:g})",
                )
            elif options.report_hard and score >= options.hard_grade:
                yield self.finding(
                    sentence.start,
                    sentence.end,
                    f"Hard to read: grade {score:.1f} (limit {options.hard_grade:g})",
                    severity=Severity.INFO,
                )


RULES = [HardSentence]
