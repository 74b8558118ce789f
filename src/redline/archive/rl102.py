"""The archive's only contact with RL102: its units and its pair scorer.

The archive compares exactly what RL102 compares, so it does not extract units or score
pairs itself: :func:`document_units` calls RL102's own selection of sentences and its
clause splitter, and :func:`score_pair` is the one call into RL102's pair scorer (the
calibrated claim model or raw cosine, with its "different code" and "parallel template"
vetoes). When RL102's scorer changes, this module is the one place to follow it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from redline.document import Document
from redline.embedding import BACKENDS
from redline.rules.redundancy.near_duplicate import NearDuplicateOptions

# The hashed bag-of-words stand-in (tests, benchmarks): ``backend = "hashed"``.
BACKENDS.setdefault("hashed", "redline.archive.standin:load")


@dataclass(frozen=True)
class Unit:
    """One embedded unit of a sentence RL102 compares: the sentence itself or one of its clauses."""

    member: int  # the sentence's index among the compared sentences of its file
    position: int  # the sentence's index among all sentences of its file
    section: int
    start: int  # the sentence's offsets in the file's text
    end: int
    list_item: bool
    sentence: str  # the sentence's source text, whitespace collapsed
    text: str  # what is embedded: the sentence, or a clause of it


def document_units(document: Document, options: NearDuplicateOptions) -> list[Unit]:
    """RL102's units of one document, in its order (sentences in file order, each then its clauses)."""
    from redline.rules.redundancy.claim_search import _members
    from redline.rules.redundancy.claims import unit_texts

    units = []
    for index, member in enumerate(_members([document], options)):
        for text in unit_texts(member.text, options.min_clause_words):
            units.append(
                Unit(
                    index,
                    member.position,
                    member.section,
                    member.sentence.start,
                    member.sentence.end,
                    member.list_item,
                    member.text,
                    text,
                )
            )
    return units


@dataclass(frozen=True)
class Thresholds:
    threshold: float  # on the scorer's scale
    floor: float  # the lowest cosine that can still reach ``threshold``: the neighbour search's cut


def thresholds(options: NearDuplicateOptions) -> Thresholds:
    from redline.rules.redundancy.claims import claim_model

    model = claim_model()
    default = model.cosine_threshold if options.scorer == "cosine" else model.threshold
    threshold = options.threshold if options.threshold is not None else default
    floor = threshold if options.scorer == "cosine" else model.min_cosine(threshold)
    return Thresholds(threshold, floor)


def score_pair(
    a: Unit | tuple[str, str], b: Unit | tuple[str, str], cosine: float, options: NearDuplicateOptions
) -> float | None:
    """RL102's score for two units (``Unit`` or ``(sentence, unit text)``); None where RL102 vetoes the pair."""
    from redline.rules.redundancy.claims import claim_model, different_code, pair_features, parallel_contrast

    sentence_a, text_a = (a.sentence, a.text) if isinstance(a, Unit) else a
    sentence_b, text_b = (b.sentence, b.text) if isinstance(b, Unit) else b
    if different_code(sentence_a, sentence_b) or parallel_contrast(text_a, text_b):
        return None
    if options.scorer == "cosine":
        return cosine
    return claim_model().probability(pair_features(text_a, text_b, cosine))


def both_list_items(a: bool, b: bool, options: NearDuplicateOptions) -> bool:
    """RL102 does not compare two list items unless asked (a list's items are parallel by design)."""
    return a and b and not options.include_list_items


#: The options that decide which units exist; an archive built with others is rebuilt.
UNIT_OPTIONS = ("min_words", "min_clause_words", "include_headings", "include_quotations")


def unit_options(options: NearDuplicateOptions) -> dict[str, Any]:
    return {f.name: getattr(options, f.name) for f in fields(options) if f.name in UNIT_OPTIONS}
