"""The near-duplicate search: which sentences of one or more documents make the same claim.

Steps: pick the sentences worth comparing (long enough, not exact repeats, not quotes
unless asked), expand compound sentences into clause units, embed every unit, take the
top-k neighbours of each unit over a cosine floor, score those candidates, and join the
pairs over the threshold into clusters with union-find.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from redline.analysis import Sentence, normalize_sentence
from redline.document import BlockKind, Document
from redline.embedding.neighbours import candidate_pairs
from redline.rules.redundancy.claims import (
    claim_model,
    different_code,
    pair_features,
    parallel_contrast,
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
    members: list[Member]
    scores: dict[tuple[int, int], float] = field(default_factory=dict)  # (earlier, later) -> score

    def closest_earlier(self, index: int) -> tuple[int, float | None]:
        """The earlier member that ``index`` matches best, with its score (None: no direct match)."""
        direct = [(score, -k) for (k, j), score in self.scores.items() if j == index]
        if not direct:
            return 0, None
        score, negative_k = max(direct)
        return -negative_k, score


def find_clusters(
    documents: list[Document], embedder: Embedder, options: NearDuplicateOptions
) -> list[Cluster]:
    members = _members(documents, options)
    if len(members) < 2:
        return []
    units = [
        (i, text) for i, member in enumerate(members) for text in unit_texts(member.text, options.min_clause_words)
    ]
    vectors = embedder.encode([text for _, text in units])
    model = claim_model()
    default = model.cosine_threshold if options.scorer == "cosine" else model.threshold
    threshold = options.threshold if options.threshold is not None else default
    floor = threshold if options.scorer == "cosine" else model.min_cosine(threshold)
    best: dict[tuple[int, int], float] = {}
    for u, v, cosine in _candidates(units, vectors, members, options, floor):
        (a, text_a), (b, text_b) = sorted((units[u], units[v]))
        if a == b or _exempt(members, a, b, options):
            continue
        if different_code(members[a].text, members[b].text) or parallel_contrast(text_a, text_b):
            continue  # two parallel facts about different things, not one claim twice
        score = (
            cosine if options.scorer == "cosine" else model.probability(pair_features(text_a, text_b, cosine))
        )
        if score >= threshold and score > best.get((a, b), -1.0):
            best[(a, b)] = score
    return _clusters(members, best)


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


def _members(documents: list[Document], options: NearDuplicateOptions) -> list[Member]:
    from redline.rules.redundancy.near_duplicate import is_quotation

    members: list[Member] = []
    for doc_index, document in enumerate(documents):
        seen: set[str] = set()
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
                continue  # a word-for-word repeat: RL101 reports it
            seen.add(key)
            kept.append((sentence, text, kind, position))
        base = len(members)
        zones = _heading_zones([k[2] is BlockKind.HEADING for k in kept], options.heading_lede_sentences)
        members.extend(
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
    return members


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


def _clusters(members: list[Member], pairs: dict[tuple[int, int], float]) -> list[Cluster]:
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
