"""The near-duplicate search: which sentences of one or more documents make the same claim.

Steps: pick the sentences worth comparing (long enough, not exact repeats, not quotes
unless asked), expand compound sentences into clause units, embed every unit, take the
top-k neighbours of each unit over a cosine floor, score those candidates, and join the
pairs over the threshold into clusters with union-find.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from redline.analysis import Sentence, normalize_sentence
from redline.document import BlockKind, Document
from redline.embedding.neighbours import candidate_pairs
from redline.rules.redundancy.claims import (
    COSINE_THRESHOLD,
    PairScorer,
    candidate_scores,
    different_code,
    is_quotation,
    model_features,
    pair_scorer,
    raw_pair_features,
    token_alignment,
    unit_texts,
)

if TYPE_CHECKING:
    from redline.embedding import Embedder
    from redline.rules.redundancy.near_duplicate import NearDuplicateOptions


@dataclass(frozen=True)
class Member:
    document: int
    sentence: Sentence
    text: str  # the source text: sentences that differ in a code span are different claims
    section: int
    position: int  # index of the sentence in its document
    list_item: bool
    heading_zone: frozenset[int]  # member indices a heading is not compared with


@dataclass
class Cluster:
    """Sentences that make one claim, joined transitively, in document order."""

    members: list[Member]
    #: (earlier, later) member positions -> (score, share of the later covered by the earlier,
    #: share of the earlier covered by the later)
    scores: dict[tuple[int, int], tuple[float, float, float]] = field(default_factory=dict)

    def best_score(self) -> float:
        return max(score for score, _, _ in self.scores.values())

    def most_complete(self) -> int:
        """The member to keep: the earliest, unless another says clearly more: it covers a
        share of the other members' tokens at least ``KEEP_MARGIN`` higher (mean greedy
        alignment over its direct matches) than the earliest does."""
        covered: dict[int, list[float]] = {}
        for (earlier, later), (_, covers_later, covers_earlier) in self.scores.items():
            covered.setdefault(earlier, []).append(covers_later)
            covered.setdefault(later, []).append(covers_earlier)
        mean = {k: sum(v) / len(v) for k, v in covered.items()}
        best = max(mean, key=lambda k: (mean[k], -k))
        return best if mean[best] >= mean.get(0, 0.0) + KEEP_MARGIN else 0


#: How much more of the others a later statement must cover to be the one to keep.
KEEP_MARGIN = 0.05


def find_clusters(
    documents: list[Document], embedder: Embedder, options: NearDuplicateOptions
) -> list[Cluster]:
    selected = members(documents, options)
    if len(selected) < 2:
        return []
    units = [
        (i, text)
        for i, member in enumerate(selected)
        for text in unit_texts(member.text, options.min_clause_words)
    ]
    vectors = embedder.encode([text for _, text in units])
    scorer = pair_scorer()
    cosine_scorer = options.scorer == "cosine"
    default = COSINE_THRESHOLD if cosine_scorer else scorer.threshold
    threshold = options.threshold if options.threshold is not None else default
    floor = threshold if cosine_scorer else min(scorer.floor, threshold)
    pairs: list[tuple[int, int, int, int, float]] = []  # (member a, member b, unit u, unit v, cosine)
    for x, y, cosine in _candidates(units, vectors, selected, options, floor):
        u, v = sorted((x, y))
        a, b = units[u][0], units[v][0]
        if a == b or _exempt(selected, a, b, options) or different_code(selected[a].text, selected[b].text):
            continue
        pairs.append((a, b, u, v, cosine))
    if cosine_scorer:
        scores = [cosine for *_, cosine in pairs]
        coverage = [(1.0, 1.0)] * len(pairs)
    else:
        learned = scorer if options.scorer == "encoder" else replace(scorer, encoder=None)
        scores, coverage = _learned_scores(units, pairs, embedder, learned)
    best: dict[tuple[int, int], tuple[float, float, float]] = {}
    for (a, b, *_), score, (covers_b, covers_a) in zip(pairs, scores, coverage, strict=True):
        if score >= threshold and score > best.get((a, b), (-1.0, 0.0, 0.0))[0]:
            best[(a, b)] = (score, covers_b, covers_a)
    return _clusters(selected, best)


def _learned_scores(
    units: list[tuple[int, str]],
    pairs: list[tuple[int, int, int, int, float]],
    embedder: Embedder,
    scorer: PairScorer,
) -> tuple[list[float], list[tuple[float, float]]]:
    """The pair scorer's probability for each candidate pair, with how much of the later unit
    the earlier covers and the other way round (mean greedy token alignment)."""
    if not pairs:
        return [], []
    whole: dict[int, int] = {}  # member -> its whole-sentence unit (the first of its units)
    for unit, (member, _) in enumerate(units):
        whole.setdefault(member, unit)
    needed = sorted({i for a, b, u, v, _ in pairs for i in (u, v, whole[a], whole[b])})
    tokens = dict(zip(needed, embedder.tokens([units[u][1] for u in needed]), strict=True))
    rows, coverage, texts = [], [], []
    for a, b, u, v, cosine in pairs:
        texts.append((units[u][1], units[v][1]))
        shared, a_over_b, b_over_a = raw_pair_features(units[u][1], units[v][1], cosine, tokens[u], tokens[v])
        rows.append(model_features(shared, a_over_b, b_over_a))
        # Which statement says more is a question about whole sentences, not the matched clauses.
        covers_a, covers_b = token_alignment(tokens[whole[a]], tokens[whole[b]])
        coverage.append((float(covers_b.mean()), float(covers_a.mean())))
    scores = candidate_scores(scorer, np.array(rows), texts, embedder, len(units))
    return [float(p) for p in scores], coverage


def _candidates(
    units: list[tuple[int, str]],
    vectors: np.ndarray,
    members: list[Member],
    options: NearDuplicateOptions,
    floor: float,
) -> Iterator[tuple[int, int, float]]:
    """Neighbour pairs of units; per section when only sections are compared, so that the
    top-k of a unit is not used up by look-alike sentences elsewhere."""
    groups: dict[tuple[int, int], list[int]] = {}
    single_file = len({m.document for m in members}) == 1
    for unit, (member, _) in enumerate(units):
        key = (members[member].document, members[member].section) if options.scope == "section" else (0, 0)
        groups.setdefault(key if single_file else (0, 0), []).append(unit)
    for indices in groups.values():
        for i, j, cosine in candidate_pairs(vectors[indices], options.neighbours, floor):
            yield indices[i], indices[j], cosine


def members(documents: list[Document], options: NearDuplicateOptions) -> list[Member]:
    """The sentences RL102 compares, in document order (also the archive's selection)."""
    selected: list[Member] = []
    seen: set[str] = set()  # across files too: a word-for-word copy from another file is RL101's
    for doc_index, document in enumerate(documents):
        kept: list[tuple[Sentence, str, BlockKind, int]] = []
        for position, sentence in enumerate(document.sentences):
            kind = document.blocks[sentence.block].kind
            if sentence.word_count < options.min_words or kind is BlockKind.TABLE_CELL:
                continue
            if kind is BlockKind.HEADING and not options.include_headings:
                continue
            if not options.include_quotations and is_quotation(document, sentence.block, sentence.text):
                continue
            text = " ".join(document.text[sentence.start : sentence.end].split())
            key = normalize_sentence(text)
            if key in seen:
                continue  # a word-for-word repeat (in this file or an earlier one): RL101 reports it
            seen.add(key)
            kept.append((sentence, text, kind, position))
        base = len(selected)
        zones = _heading_zones([k[2] is BlockKind.HEADING for k in kept], options.heading_lede_sentences)
        selected.extend(
            Member(
                doc_index,
                sentence,
                text,
                document.section_of(sentence.start),
                position,
                kind is BlockKind.LIST_ITEM,
                frozenset(base + z for z in zone),
            )
            for (sentence, text, kind, position), zone in zip(kept, zones, strict=True)
        )
    return selected


def _heading_zones(is_heading: list[bool], lede: int) -> list[set[int]]:
    """For each heading: the headings right after it and the first ``lede`` body sentences."""
    zones: list[set[int]] = []
    for index, heading in enumerate(is_heading):
        zone: set[int] = set()
        body = 0
        following = index + 1
        while heading and following < len(is_heading) and body < lede:
            zone.add(following)
            body += not is_heading[following]
            following += 1
        zones.append(zone)
    return zones


def _exempt(members: list[Member], a: int, b: int, options: NearDuplicateOptions) -> bool:
    first, second = members[a], members[b]
    if not options.include_list_items and first.list_item and second.list_item:
        return True  # the items of a list are parallel by design
    if first.document != second.document:
        return False
    if options.scope == "section" and first.section != second.section:
        return True
    if abs(first.position - second.position) < options.min_distance:
        return True  # the next sentence elaborates on the one before; that is not a restatement
    return b in first.heading_zone or a in second.heading_zone


def _clusters(
    members: list[Member], pairs: dict[tuple[int, int], tuple[float, float, float]]
) -> list[Cluster]:
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        parent[root(b)] = root(a)
    groups: dict[int, list[int]] = {}
    for index in sorted({i for pair in pairs for i in pair}):
        groups.setdefault(root(index), []).append(index)
    clusters = []
    for indices in groups.values():
        position = {member: k for k, member in enumerate(indices)}
        scores = {(position[a], position[b]): s for (a, b), s in pairs.items() if a in position}
        clusters.append(Cluster([members[i] for i in indices], scores))
    return sorted(clusters, key=lambda c: (c.members[0].document, c.members[0].sentence.start))


#: An interpretive opener: "This shows that", "This decision reflects", "This is interpreted as".
#: Not "This means" / "This implies": in the reference docs they draw a consequence (all 7
#: such sentences there that the coverage test flagged added a fact).
_COMMENTARY = re.compile(
    r"^(?:this|that|these|such)(?:\s+[\w'’-]+){0,2}?\s+"
    r"(?:shows?|demonstrates?|indicates?|suggests?|reflects?|highlights?|underscores?|"
    r"signals?|confirms?|proves?|(?:is|are|can be|may be) (?:interpreted|seen|read|viewed) as)"
    r"(?:\s+that)?\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Commentary:
    document: int
    sentence: Sentence  # the commentary
    previous: Sentence  # the sentence it restates
    previous_text: str
    coverage: float  # share of the commentary's tokens (after the opener) the previous one covers


def find_commentary(
    documents: list[Document], embedder: Embedder, options: NearDuplicateOptions
) -> list[Commentary]:
    """Sentences that open with "This shows that ..." and then say again what the sentence
    right before them said: the greedy token alignment of the part after the opener with the
    previous sentence covers at least ``commentary-coverage`` of it."""
    found: list[tuple[int, Sentence, Sentence, str, str]] = []
    for number, document in enumerate(documents):
        sentences = document.sentences
        for previous, sentence in itertools.pairwise(sentences):
            if document.blocks[previous.block].kind is BlockKind.HEADING:
                continue
            if document.section_of(previous.start) != document.section_of(sentence.start):
                continue
            text = " ".join(document.text[sentence.start : sentence.end].split())
            opener = _COMMENTARY.match(text)
            if opener is None or len(text[opener.end() :].split()) < 4:
                continue
            previous_text = " ".join(document.text[previous.start : previous.end].split())
            found.append((number, sentence, previous, previous_text, text[opener.end() :]))
    if not found:
        return []
    texts = [t for *_, before, after in found for t in (before, after)]
    tokens = embedder.tokens(texts)
    result = []
    for k, (number, sentence, previous, previous_text, _) in enumerate(found):
        _, covered = token_alignment(tokens[2 * k], tokens[2 * k + 1])
        coverage = float(covered.mean()) if len(covered) else 0.0
        if coverage >= options.commentary_coverage:
            result.append(Commentary(number, sentence, previous, previous_text, coverage))
    return result
