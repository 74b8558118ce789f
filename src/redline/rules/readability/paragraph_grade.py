"""RL303: a paragraph's reading grade is over the target."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from redline.analysis import Sentence
from redline.document import Document
from redline.findings import Finding
from redline.readability import GradeMetric, grade, sentences_by_block, sentences_text
from redline.rules.base import Rule, RuleContext, bounded


@dataclass(frozen=True)
class ParagraphGradeOptions:
    #: The highest acceptable grade for one paragraph.
    target: float = 18.0
    #: consensus, flesch-kincaid, gunning-fog, smog, coleman-liau or ari.
    metric: GradeMetric = "flesch-kincaid"
    #: Paragraphs with fewer words are not scored.
    min_words: int = bounded(40, minimum=1)


class ParagraphGrade(Rule[ParagraphGradeOptions]):
    """Paragraph reading grade over target.

    A document can score well on average and still hide one dense paragraph that
    readers give up on. Each paragraph (and list item) of at least ``min-words`` words is
    scored on its own, by textstat, offline; the finding spans the paragraph's prose.
    The target is higher than the document's because single paragraphs vary more. A
    paragraph that is mostly names (a team sheet, a list of people) is not scored: the
    formulas count a name's syllables as hard words. Nor is a paragraph of one sentence:
    its grade is that sentence's length, which RL301 judges (with the length of its
    words). When the same paragraph is also too long (RL305), the two are reported as one
    finding with both figures.

    Bad::

        Notwithstanding considerable institutional deliberation, the interdepartmental
        coordination committee's comprehensive recommendations regarding organisational
        restructuring remain fundamentally unimplemented. Notwithstanding repeated
        administrative reassurances concerning imminent operationalisation by
        departmental leadership, stakeholders increasingly characterise the
        initiative's governance arrangements as insufficiently accountable and
        organisationally incoherent.

    Good::

        The committee made its report a year ago. Little of it has been done. Staff were
        told many times that work would start soon. Now they say the plan has no clear
        owner, too little money and no shape.

    Options:

    - ``target`` (float, default 18.0): the highest acceptable grade.
    - ``metric`` (string, default "flesch-kincaid"): as for RL302.
    - ``min-words`` (int, default 40): shorter paragraphs are not scored.
    """

    code = "RL303"
    name = "readability.paragraph-grade"
    Options = ParagraphGradeOptions

    def check(self, document: Document, ctx: RuleContext[ParagraphGradeOptions]) -> Iterator[Finding]:
        options: ParagraphGradeOptions = ctx.options
        metric = options.metric
        for sentences in sentences_by_block(document).values():
            if (
                len(sentences) < 2
                or sum(s.word_count for s in sentences) < options.min_words
                or _mostly_names(sentences)
            ):
                continue
            score = grade(sentences_text(sentences), metric)
            if score > options.target:
                yield self.finding(
                    sentences[0].start,
                    sentences[-1].end,
                    f"Paragraph reads at grade {score:.1f} ({metric}; target {options.target:g}): "
                    "use shorter sentences and plainer words",
                )


def _mostly_names(sentences: list[Sentence]) -> bool:
    words = [w for s in sentences for w in s.words[1:]]
    return bool(words) and sum(w.text[:1].isupper() for w in words) * 2 > len(words)


RULES = [ParagraphGrade]
