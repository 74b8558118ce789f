"""The archive's only contact with RL102: its units and its pair scorer.

The archive compares exactly what RL102 compares, so it does not extract units or score
pairs itself: :func:`document_units` calls RL102's own selection of sentences and its
clause splitter, and :func:`score_pairs` is the one call into RL102's pair scorer (the
learned pair scorer over cosine and MiniLM token alignment, or raw cosine, with its
"different code" veto). When RL102's scorer changes, this module is the one place to
follow it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

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
    # What RL102's pair rules read (claim_structure.kept_apart, score_needed), as RL102's own
    # selection sets them: the file is a reference page, who speaks, the article's lede.
    reference: bool = False
    voice: str | None = None
    lede: bool = False


def document_units(document: Document, options: NearDuplicateOptions) -> list[Unit]:
    """RL102's units of one document, in its order (sentences in file order, each then its clauses)."""
    from redline.rules.redundancy.claim_search import members
    from redline.rules.redundancy.claims import unit_texts

    units = []
    for index, member in enumerate(members([document], options)):
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
                    member.reference,
                    member.voice,
                    member.lede,
                )
            )
    return units


@dataclass(frozen=True)
class Thresholds:
    threshold: float  # on the scorer's scale
    floor: float  # the lowest cosine that can still reach ``threshold``: the neighbour search's cut


def thresholds(options: NearDuplicateOptions) -> Thresholds:
    """RL102's threshold and cosine floor, as :func:`redline.rules.redundancy.claim_search.find_clusters` sets them."""
    from redline.rules.redundancy.claims import COSINE_THRESHOLD, pair_scorer

    cosine_scorer = options.scorer == "cosine"
    scorer = pair_scorer()
    default = COSINE_THRESHOLD if cosine_scorer else scorer.threshold
    threshold = options.threshold if options.threshold is not None else default
    floor = threshold if cosine_scorer else min(scorer.floor, threshold)
    return Thresholds(threshold, floor)


#: Token vectors of texts, ``(tokens, d)`` with L2-normalised rows, one per text
#: (:meth:`redline.embedding.Embedder.tokens`).
TokenLookup = Callable[[list[str]], list[np.ndarray]]

#: A unit, or ``(sentence, unit text)``.
UnitLike = Unit | tuple[str, str]


def score_pairs(
    pairs: Sequence[tuple[UnitLike, UnitLike, float]], options: NearDuplicateOptions, tokens: TokenLookup
) -> list[float | None]:
    """RL102's score for each ``(a, b, cosine)``; None where RL102 vetoes the pair.

    The learned scorer's features are those of ``claim_search._learned_scores`` for one
    pair: the two unit texts, their cosine and their token vectors (asked of ``tokens``
    once for all the pairs, and only for pairs that are not vetoed).
    """
    from redline.rules.redundancy.claims import different_code, model_features, pair_scorer, raw_pair_features

    texts: list[tuple[str, str] | None] = []
    for a, b, _ in pairs:
        sentence_a, text_a = (a.sentence, a.text) if isinstance(a, Unit) else a
        sentence_b, text_b = (b.sentence, b.text) if isinstance(b, Unit) else b
        texts.append(None if different_code(sentence_a, sentence_b) else (text_a, text_b))
    if options.scorer == "cosine":
        return [None if t is None else cosine for t, (_, _, cosine) in zip(texts, pairs, strict=True)]
    needed = list(dict.fromkeys(text for pair in texts if pair is not None for text in pair))
    if not needed:
        return [None] * len(pairs)
    vectors = dict(zip(needed, tokens(needed), strict=True))
    rows = [
        model_features(*raw_pair_features(t[0], t[1], cosine, vectors[t[0]], vectors[t[1]]))
        for t, (_, _, cosine) in zip(texts, pairs, strict=True)
        if t is not None
    ]
    probabilities = iter(pair_scorer().probabilities(np.array(rows)).tolist())
    return [None if t is None else float(next(probabilities)) for t in texts]


def score_pair(
    a: UnitLike, b: UnitLike, cosine: float, options: NearDuplicateOptions, tokens: TokenLookup
) -> float | None:
    """RL102's score for two units; None where RL102 vetoes the pair."""
    return score_pairs([(a, b, cosine)], options, tokens)[0]


def kept_apart(a: Unit, b: Unit, options: NearDuplicateOptions, same_file: bool = False) -> bool:
    """RL102's vetoes on a pair from what is known of each unit (two list items; in one file the
    lede, two voices): ``claim_structure.kept_apart``, which ``--cross-file`` calls too."""
    from redline.rules.redundancy.claim_structure import kept_apart as rl102_kept_apart

    return rl102_kept_apart(a, b, options, same_file)


def score_needed(a: Unit, b: Unit, limits: Thresholds, options: NearDuplicateOptions) -> float:
    """The score RL102 needs of a pair (``reference-threshold`` between two reference pages):
    ``claim_structure.score_needed``, which ``--cross-file`` calls too."""
    from redline.rules.redundancy.claim_structure import score_needed as rl102_score_needed

    return rl102_score_needed(a, b, limits.threshold, options)


#: The options that decide which units exist; an archive built with others is rebuilt.
UNIT_OPTIONS = (
    "min_words",
    "min_clause_words",
    "include_headings",
    "include_quotations",
    "speakers",  # the stored voices
    "lede_summary",  # the stored ledes
)


def unit_options(options: NearDuplicateOptions) -> dict[str, Any]:
    return {f.name: getattr(options, f.name) for f in fields(options) if f.name in UNIT_OPTIONS}
