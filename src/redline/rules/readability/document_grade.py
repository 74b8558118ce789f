"""RL302: the document's reading grade is over the target."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from redline.analysis import Sentence
from redline.document import Document
from redline.findings import Finding
from redline.readability import GradeMetric, body_sentences, grade, prose_text, sentence_grade
from redline.rules.base import Rule, RuleContext, bounded


@dataclass(frozen=True)
class DocumentGradeOptions:
    #: The highest acceptable grade (US school grade; 12 = end of high school).
    target: float = 14.0
    #: consensus, flesch-kincaid, gunning-fog, smog, coleman-liau or ari.
    metric: GradeMetric = "consensus"
    #: Documents with fewer words are not scored (formulas need a sample).
    min_words: int = bounded(100, minimum=1)


class DocumentGrade(Rule[DocumentGradeOptions]):
    """Document reading grade over target.

    Readability formulas estimate the years of schooling a reader needs. Newspapers aim
    at about grade 8 to 10, general technical writing at 10 to 12; textstat's consensus
    grade puts edited news copy at 11 to 14, so the default target is 14. The score is
    computed by textstat on the body prose only (code, markup and headings left out),
    offline. The finding sits on the hardest paragraph (the one to rewrite first), not on
    a byline or a one-line opener; when that paragraph is also reported as long or hard
    (RL303, RL305), the findings are one, with every figure. The same scores are in the
    JSON ``metrics`` and the text summary.

    Bad::

        Notwithstanding considerable institutional deliberation, the interdepartmental
        coordination committee's comprehensive recommendations regarding organisational
        restructuring remain fundamentally unimplemented, notwithstanding repeated
        administrative reassurances concerning imminent operationalisation. Consequently,
        stakeholders increasingly characterise the initiative's governance arrangements as
        insufficiently accountable, inadequately resourced and organisationally
        incoherent. Furthermore, successive evaluations consistently emphasise
        unaddressed methodological deficiencies, particularly concerning performance
        measurement, interinstitutional communication and longitudinal accountability.
        Additionally, departmental representatives increasingly acknowledge that
        organisational fragmentation, compounded by inconsistent prioritisation and
        unpredictable budgetary allocations, substantially undermines the programme's
        operational effectiveness and institutional legitimacy. Accordingly, the
        committee's secretariat recommends establishing an independent evaluation
        mechanism, supplemented by comprehensive stakeholder consultations and
        systematic documentation of implementation responsibilities.

    Good::

        The committee made its report a year ago. Little of it has been done. Staff were
        told many times that work would start soon. Now they say the plan has no clear
        owner, too little money and no shape. Each review has found the same gaps. No one
        measures results. Teams do not talk to each other. No one is held to account over
        time. The plan needs an owner, a budget and a date. It needs a short list of
        goals. It needs one person who reports on them each month. Without these, the
        next review will say the same thing again.

    Options:

    - ``target`` (float, default 14.0): the highest acceptable grade.
    - ``metric`` (string, default "consensus"): consensus (textstat's text_standard),
      flesch-kincaid, gunning-fog, smog, coleman-liau or ari.
    - ``min-words`` (int, default 100): shorter documents are not scored.
    """

    code = "RL302"
    name = "readability.document-grade"
    Options = DocumentGradeOptions

    def check(self, document: Document, ctx: RuleContext[DocumentGradeOptions]) -> Iterator[Finding]:
        options: DocumentGradeOptions = ctx.options
        metric = options.metric
        body = body_sentences(document)
        if sum(s.word_count for s in body) < options.min_words:
            return
        score = grade(prose_text(document), metric)
        if score > options.target:
            start, end = _hardest_paragraph(body)
            yield self.finding(
                start,
                end,
                f"Document reads at grade {score:.1f} ({metric}; target {options.target:g}): "
                "start with this paragraph, its sentences are the hardest",
            )


def _hardest_paragraph(body: list[Sentence]) -> tuple[int, int]:
    """The span of the paragraph whose sentences are hardest (ARI, weighted by words).

    Paragraphs of one short sentence (a byline, a masthead, a one-line opener) are passed
    over while a fuller one exists.
    """
    paragraphs: dict[int, list[Sentence]] = {}
    for sentence in body:
        paragraphs.setdefault(sentence.block, []).append(sentence)
    groups = list(paragraphs.values())
    full = [g for g in groups if len(g) > 1 or g[0].word_count >= 20] or groups

    def difficulty(group: list[Sentence]) -> float:
        words = sum(s.word_count for s in group) or 1
        return sum(sentence_grade(s) * s.word_count for s in group) / words

    hardest = max(full, key=difficulty)
    return hardest[0].start, hardest[-1].end


RULES = [DocumentGrade]
