"""The near-duplicate search: which sentences of one or more documents make the same claim.

Steps: pick the sentences worth comparing (long enough, not exact repeats, not quotes
unless asked), expand compound sentences into clause units, embed every unit, take the
top-k neighbours of each unit over a cosine floor, score those candidates, and join the
pairs over the threshold into clusters with union-find.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from redline.analysis import normalize_sentence
from redline.document import BlockKind, Document, SentenceSpan
from redline.embedding.cache import pair_key
from redline.embedding.neighbours import candidate_pairs
from redline.rules.redundancy.claim_structure import (
    entry_of,
    entry_starts,
    is_reference,
    kept_apart,
    parallel_frames,
    parallel_template,
    score_needed,
    voice,
)
from redline.rules.redundancy.claims import (
    COSINE_THRESHOLD,
    PairScorer,
    different_code,
    is_quotation,
    model_features,
    pair_scorer,
    raw_pair_features,
    scores_as_run,
    token_alignment,
    unit_texts,
)
from redline.rules.redundancy.phrases import introduces_code

if TYPE_CHECKING:
    from redline.embedding import Embedder
    from redline.rules.redundancy.near_duplicate import NearDuplicateOptions


@dataclass(frozen=True)
class Member:
    document: int
    sentence: SentenceSpan
    text: str  # the source text: sentences that differ in a code span are different claims
    section: int
    position: int  # index of the sentence in its document
    list_item: bool
    heading_zone: frozenset[int]  # member indices a heading is not compared with
    voice: str | None = None  # who speaks: None for the writer (see claim_structure.voice)
    reference: bool = False  # on a reference page (templates and sibling entries are parallel)
    lede: bool = False  # the lede of an article: a summary the story then tells in full


@dataclass
class Cluster:
    """Sentences that make one claim, joined transitively, in document order."""

    members: list[Member]
    #: (earlier, later) member positions -> the pair's score
    scores: dict[tuple[int, int], float] = field(default_factory=dict)

    def best_score(self) -> float:
        return max(self.scores.values())


#: Weak links (pairs over the join threshold) needed to join two claims into one.
JOIN_LINKS = 2


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
    threshold = same_claim_threshold(options)
    floor = threshold if options.scorer == "cosine" else min(pair_scorer().floor, threshold)
    pairs: list[tuple[int, int, int, int, float]] = []  # (member a, member b, unit u, unit v, cosine)
    for x, y, cosine in _candidates(units, vectors, selected, options, floor):
        u, v = sorted((x, y))
        a, b = units[u][0], units[v][0]
        if a == b or _exempt(selected, a, b, options) or different_code(selected[a].text, selected[b].text):
            continue
        pairs.append((a, b, u, v, cosine))
    scores = pair_scores(units, pairs, embedder, options)
    join = options.join_threshold if options.join_threshold is not None else threshold
    best: dict[tuple[int, int], float] = {}
    links: dict[tuple[int, int], float] = {}
    for (a, b, *_), score in zip(pairs, scores, strict=True):
        needed = score_needed(selected[a], selected[b], threshold, options)  # also the archive's
        found = best if score >= needed else links if score >= min(join, needed) else None
        if found is not None and score > found.get((a, b), -1.0):
            found[(a, b)] = score
    return _clusters(selected, best, links)


def same_claim_threshold(options: NearDuplicateOptions) -> float:
    """The score at or over which two units make the same claim: the ``threshold`` option,
    else the default of the scorer it names."""
    if options.threshold is not None:
        return options.threshold
    return COSINE_THRESHOLD if options.scorer == "cosine" else pair_scorer().threshold


def pair_scores(
    units: list[tuple[int, str]],
    pairs: list[tuple[int, int, int, int, float]],
    embedder: Embedder,
    options: NearDuplicateOptions,
) -> list[float]:
    """The score of each candidate pair ``(member a, member b, unit u, unit v, cosine)`` under
    the scorer ``options`` name: raw cosine, the features, or the features and the encoder."""
    if options.scorer == "cosine":
        return [cosine for *_, cosine in pairs]
    scorer = pair_scorer()
    learned = scorer if options.scorer == "encoder" else replace(scorer, encoder=None)
    return _learned_scores(units, pairs, embedder, learned)


def _learned_scores(
    units: list[tuple[int, str]],
    pairs: list[tuple[int, int, int, int, float]],
    embedder: Embedder,
    scorer: PairScorer,
) -> list[float]:
    """The pair scorer's probability for each candidate pair."""
    if not pairs:
        return []
    # A pair's score depends on its two units only: those of unchanged pairs come from the
    # embedding cache (a warm --cross-file run).
    # With a cross-encoder bounded per unit a pair's score also depends on which other pairs
    # it reads: those runs are not cached. The encoder runs on the packaged model only.
    if scorer.encoder is not None and not getattr(embedder.source, "packaged", False):
        scorer = replace(scorer, encoder=None)
    per_pair = scorer.encoder is None or scorer.encoder.per_pair
    cached, put = _score_cache(embedder, scorer) if per_pair else _no_score_cache()
    keys = [pair_key(units[u][1], units[v][1]) for _, _, u, v, _ in pairs]
    known = cached(keys)
    todo = [k for k, key in enumerate(keys) if key not in known]
    needed = sorted({i for k in todo for i in pairs[k][2:4]})
    tokens = dict(zip(needed, embedder.tokens([units[u][1] for u in needed]), strict=True)) if needed else {}
    rows, texts = [], []
    for k in todo:
        _, _, u, v, cosine = pairs[k]
        texts.append((units[u][1], units[v][1]))
        shared, a_over_b, b_over_a = raw_pair_features(units[u][1], units[v][1], cosine, tokens[u], tokens[v])
        rows.append(model_features(shared, a_over_b, b_over_a))
    fresh_scores, as_fitted = (
        scores_as_run(scorer, np.array(rows), texts, embedder, len(units)) if rows else (np.zeros(0), True)
    )
    fresh = {keys[k]: float(score) for k, score in zip(todo, fresh_scores, strict=True)}
    if as_fitted:  # not the features' scores under the encoder's name, where it could not run
        put(fresh)
    known.update(fresh)
    return [known[key] for key in keys]


ScoreLookup = Callable[[list[bytes]], dict[bytes, float]]
ScoreStore = Callable[[dict[bytes, float]], None]


def _score_cache(embedder: Embedder, scorer: PairScorer) -> tuple[ScoreLookup, ScoreStore]:
    """Reading and writing pair scores in the embedder's cache, under the model, the scorer
    and redline's code (any change to them is another namespace); nothing without a cache."""
    cache = embedder.cache
    if cache is None:
        return _no_score_cache()
    from redline.result_cache import code_fingerprint

    namespace = f"{embedder.model_id}|{code_fingerprint()}|{scorer!r}"
    return (lambda keys: cache.get_scores(namespace, keys)), (
        lambda scores: cache.put_scores(namespace, scores)
    )


def _no_score_cache() -> tuple[ScoreLookup, ScoreStore]:
    return (lambda keys: {}), (lambda scores: None)


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
        kept: list[tuple[SentenceSpan, str, BlockKind, int]] = []
        reference = is_reference(document)
        for position, sentence in enumerate(document.sentence_spans):  # cached on a hit: no spaCy
            kind = document.blocks[sentence.block].kind
            if sentence.word_count < options.min_words or kind is BlockKind.TABLE_CELL:
                continue
            if kind is BlockKind.HEADING and not options.include_headings:
                continue
            prose = document.prose[sentence.start : sentence.end]  # its ends are what is_quotation reads
            if not options.include_quotations and is_quotation(document, sentence.block, prose):
                continue
            text = " ".join(document.text[sentence.start : sentence.end].split())
            if kind is not BlockKind.HEADING and _names_only(text):
                continue  # "Barcelona, Bayern Munich, Porto, Real Madrid": a list of names, no claim
            if reference and (introduces_code(document, sentence) or _parameter_entry(text, kind)):
                continue  # a caption ("Example of sending a UDP packet:") or "`fn` {Function} ..."
            key = normalize_sentence(text)
            if key in seen:
                continue  # a word-for-word repeat (in this file or an earlier one): RL101 reports it
            seen.add(key)
            kept.append((sentence, text, kind, position))
        base = len(selected)
        zones = _heading_zones([k[2] is BlockKind.HEADING for k in kept], options.heading_lede_sentences)
        entries = entry_starts(document)
        article = bool(document.sections)  # a titled document: one writer reporting
        speakers = options.speakers == "always" or (options.speakers == "article" and article)
        lede = _lede(document) if article and options.lede_summary else None
        selected.extend(
            Member(
                doc_index,
                sentence,
                text,
                entry_of(entries, sentence.start),
                position,
                kind is BlockKind.LIST_ITEM,
                frozenset(base + z for z in zone),
                voice(document, sentence.start, sentence.end, text) if speakers else None,
                reference,
                position == lede,
            )
            for (sentence, text, kind, position), zone in zip(kept, zones, strict=True)
        )
    return selected


# A parameter entry of an API page: "`fn` {Function} The function to bind ..." (Node.js);
# the sentence starts after the code span, at the type.
_PARAMETER = re.compile(r"(?:`[^`]+`\s*)?\{[\w.<>|\[\] ]+\}")


def _parameter_entry(text: str, kind: BlockKind) -> bool:
    """A list item that documents one parameter: its summary of the method, or the caption
    of an example using it, says the same in other words by design."""
    return kind is BlockKind.LIST_ITEM and _PARAMETER.match(text) is not None


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
    if kept_apart(first, second, options, first.document == second.document):  # also the archive's
        return True
    if first.document != second.document:
        return False
    if options.scope == "section" and first.section != second.section:
        return True
    if abs(first.position - second.position) < options.min_distance:
        return True  # the next sentence elaborates on the one before; that is not a restatement
    if b in first.heading_zone or a in second.heading_zone:
        return True
    return first.reference and (
        parallel_template(first.text, second.text) or parallel_frames(first.text, second.text)
    )


def _lede(document: Document) -> int | None:
    """The position of an article's lede: its first paragraph sentence after the first heading."""
    headed = False
    for position, sentence in enumerate(document.sentence_spans):  # cached on a hit: no spaCy
        kind = document.blocks[sentence.block].kind
        if kind is BlockKind.HEADING:
            headed = True
        elif headed and kind is BlockKind.PARAGRAPH:
            return position
    return None


def _names_only(text: str) -> bool:
    """No plain word in lower case among at least three comma-separated parts: a list of
    names ("Barcelona, Bayern Munich, Porto") or of identifiers (a Markdown algorithm step's
    "(_packageURL_, _target_, _conditions_)"), not a claim."""
    words = _NAME_WORD.findall(text)
    plain = any(w[0].islower() and w.isalpha() and w.islower() for w in words)
    return text.count(",") >= 2 and not plain  # a headline in title case is a claim


_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _clusters(
    members: list[Member],
    pairs: dict[tuple[int, int], float],
    links: dict[tuple[int, int], float] | None = None,
) -> list[Cluster]:
    """Pairs joined transitively into claims. Two claims that each stand on their own are
    one claim when ``JOIN_LINKS`` of the weaker ``links`` (pairs under the threshold, over the
    join threshold) join their statements; a lone sentence is never added by a link."""
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        parent[root(b)] = root(a)
    claimed = {i for pair in pairs for i in pair}
    between: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for a, b in links or {}:
        if a in claimed and b in claimed and root(a) != root(b):
            between.setdefault((min(root(a), root(b)), max(root(a), root(b))), []).append((a, b))
    joined = {}
    for (x, y), found in between.items():
        if len(found) >= JOIN_LINKS:  # one weak link is chance; two are the same claim again
            parent[root(y)] = root(x)
            joined.update({pair: (links or {})[pair] for pair in found})
    pairs = {**joined, **pairs}
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
    sentence: SentenceSpan  # the commentary
    previous: SentenceSpan  # the sentence it restates
    previous_text: str
    coverage: float  # share of the commentary's tokens (after the opener) the previous one covers


def find_commentary(
    documents: list[Document], embedder: Embedder, options: NearDuplicateOptions
) -> list[Commentary]:
    """Sentences that open with "This shows that ..." and then say again what the sentence
    right before them said: the greedy token alignment of the part after the opener with the
    previous sentence covers at least ``commentary-coverage`` of it."""
    found: list[tuple[int, SentenceSpan, SentenceSpan, str, str]] = []
    for number, document in enumerate(documents):
        sentences = document.sentence_spans
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
