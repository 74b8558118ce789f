"""Claims for the near-duplicate rule: clause units, pair features, the second-stage scorer.

A sentence often makes two claims ("X is expected to reassure travellers and contribute
to economic cooperation"), and editors mark a restated *claim* even when the rest of the
sentence differs. So each sentence is compared whole and, when it is compound, clause by
clause (split at "; ", ", and", ", while", "but also", ...).

Raw cosine similarity of sentence embeddings misses what editors care about: two
sentences from one news story share most of their words but not their claim ("sold it in
1998 for $2.5 billion" / "bought it in 1995 for $693 million"). The second stage looks
inside the pair: a BERTScore-style greedy alignment of the model's token vectors (from
the same forward pass as the sentence vectors) says how much of each sentence the other
covers and which token is worst covered, next to numbers, names and content words new in
one sentence, negation and length. A logistic regression over these, fitted on the train
documents by ``bench/fit_pair_scorer.py``, is stored as data in ``pair_scorer.json``.
Where it can run, a cross-encoder (:mod:`redline.embedding.pair_encoder`: the same MiniLM
reading both sentences at once, with a small trained adapter) reads the pairs the features
find probable, and its logit joins theirs (``bench/train_pair_encoder.py``); the threshold
was chosen on the dev documents.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from redline.document import BlockKind, Document

if TYPE_CHECKING:
    from redline.embedding import Embedder

_CLAUSE_BREAK = re.compile(r";\s+|,?\s+(?:and|but|while|whereas)(?:\s+also)?\s+|,\s+which\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NEGATIONS = frozenset(
    ["not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot", "without"]
)


def clause_units(sentence: str, min_words: int) -> list[str]:
    """The clauses of a compound sentence that are long enough to be claims ([] if not compound)."""
    parts = [p.strip(" ,;") for p in _CLAUSE_BREAK.split(sentence)]
    parts = [p for p in parts if len(_WORD.findall(p)) >= min_words]
    return parts if len(parts) > 1 else []


@cache
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words, without importing spaCy (and torch through thinc): the
    tokenizer port ships them (:func:`redline.tokenize_en.stop_words`)."""
    from redline.tokenize_en import stop_words as english_stop_words

    return english_stop_words()


def stop_words() -> frozenset[str]:
    """spaCy's English stop words (:func:`_stop_words`): for the other modules of RL102."""
    return _stop_words()


# Code spans and roles in the source text: ``x``, `x`, :role:`x`.
_CODE = re.compile(r"``[^`]+``|:[\w:.-]+:`[^`]+`|`[^`]+`")


_SUFFIXES = ("ing", "ed", "es", "s")
#: ``scorer = "cosine"``: raw cosine's best threshold on the stsb-dev documents (F1 0.843).
COSINE_THRESHOLD = 0.70


def _stem(word: str) -> str:
    """A crude stem, so that "developing" and "develop" are one word to the diff above."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def different_code(a: str, b: str) -> bool:
    """True when both sentences name code (identifiers, options, commands) and not the same.

    "Returns ``x``." and "Returns ``y``." describe two things; so do two sentences about
    ``RUNTIME`` and ``ARCHIVE``. Prose without code is not affected.
    """
    code_a = {m.group().strip("`") for m in _CODE.finditer(a)}
    code_b = {m.group().strip("`") for m in _CODE.finditer(b)}
    return bool(code_a and code_b and code_a != code_b)


def _numbers(words: list[str]) -> set[str]:
    return {w for w in words if any(ch.isdigit() for ch in w)}


def _negated(words: list[str]) -> bool:
    return sum(w in _NEGATIONS or w.endswith("n't") for w in words) % 2 == 1


def unit_texts(sentence: str, min_words: int) -> list[str]:
    """What is embedded for one sentence: the sentence, then its clauses if it is compound."""
    return [sentence, *clause_units(sentence, min_words)]


# -- the pair scorer: what is inside the pair, not only the two sentence vectors ------------

#: Words that start a name when capitalised inside a sentence, but are not names.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]*")


def token_alignment(tokens_a: np.ndarray, tokens_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """BERTScore-style greedy alignment: for each token of A the cosine of its best match in
    B, and for each token of B its best match in A (rows of both are L2-normalised)."""
    if len(tokens_a) == 0 or len(tokens_b) == 0:
        return np.zeros(len(tokens_a)), np.zeros(len(tokens_b))
    similarity = tokens_a @ tokens_b.T
    return similarity.max(axis=1), similarity.max(axis=0)


def direction_features(
    words_a: list[str], words_b: list[str], raw_b: str, cover_b: np.ndarray
) -> list[float]:
    """What B has that A has not: ``[mean coverage of B's tokens by A, worst-covered token,
    share of tokens covered below 0.5, numbers new in B, names new in B, content words new in B]``."""
    stop = _stop_words()
    numbers_a = _numbers(words_a)
    new_numbers = len(_numbers(words_b) - numbers_a)
    lower_a = set(words_a)
    names_b = {m.group().lower() for m in _NAME.finditer(raw_b)} - stop
    new_names = len({n for n in names_b if n not in lower_a})
    content_b = {w for w in words_b if w not in stop}
    stems_a = {_stem(w) for w in lower_a}
    new_content = sum(_stem(w) not in stems_a for w in content_b) / max(1, len(content_b))
    if len(cover_b) == 0:
        return [0.0, 0.0, 1.0, float(new_numbers), float(new_names), new_content]
    return [
        float(cover_b.mean()),
        float(cover_b.min()),
        float((cover_b < 0.5).mean()),
        float(new_numbers),
        float(new_names),
        new_content,
    ]


def raw_pair_features(
    a: str, b: str, cosine: float, tokens_a: np.ndarray, tokens_b: np.ndarray
) -> tuple[list[float], list[float], list[float]]:
    """``(shared, a_over_b, b_over_a)``: features of the pair as a whole, of what A adds
    that B does not say, and of what B adds that A does not."""
    words_a = [w.lower() for w in _WORD.findall(a)]
    words_b = [w.lower() for w in _WORD.findall(b)]
    stop = _stop_words()
    content_a = {w for w in words_a if w not in stop}
    content_b = {w for w in words_b if w not in stop}
    jaccard = len(content_a & content_b) / max(1, len(content_a | content_b))
    negation_differs = float(_negated(words_a) != _negated(words_b))
    length_ratio = min(len(words_a), len(words_b)) / max(1, len(words_a), len(words_b))
    cover_a, cover_b = token_alignment(tokens_a, tokens_b)
    shared = [cosine, jaccard, negation_differs, length_ratio]
    return (
        shared,
        direction_features(words_b, words_a, a, cover_a),
        direction_features(words_a, words_b, b, cover_b),
    )


PAIR_FEATURES = (
    "cosine",
    "content_word_jaccard",
    "negation_differs",
    "length_ratio",
    *(
        f"{side}_{name}"
        for side in ("least", "most")
        for name in (
            "token_coverage",
            "worst_token_coverage",
            "share_uncovered_tokens",
            "new_numbers",
            "new_names",
            "share_new_content_words",
        )
    ),
)


def model_features(shared: list[float], a_over_b: list[float], b_over_a: list[float]) -> list[float]:
    """The scorer's input: order-free (the lesser and the greater of each directed feature)."""
    low = [min(x, y) for x, y in zip(a_over_b, b_over_a, strict=True)]
    high = [max(x, y) for x, y in zip(a_over_b, b_over_a, strict=True)]
    return [*shared, *low, *high]


@dataclass(frozen=True)
class EncoderMix:
    """How the cross-encoder (:mod:`redline.embedding.pair_encoder`) joins the features
    (written by ``bench/train_pair_encoder.py``).

    ``combine = "veto"`` (the default one): the encoder can only lower a pair the features
    accept. A pair's score is the lesser of its feature probability and the encoder's
    probability moved onto the features' scale (the encoder's own boundary, ``threshold``,
    lands on the scorer's threshold), so a pair is over the threshold when the features
    put it there and the encoder does not reject it. ``mix`` and ``bias`` are unused.

    ``combine = "logistic"``: probability = sigmoid(mix[0] * feature logit + mix[1] *
    encoder logit + bias), fitted on held-out train documents; ``threshold`` is the one
    chosen for it on the dev documents."""

    sha256: str  # of the adapter file it was fitted with
    mix: tuple[float, float]
    bias: float
    threshold: float
    #: Pairs whose feature probability is under this are not read by the encoder (they stay
    #: under the threshold whatever it says; see ``bench/train_pair_encoder.py``).
    skip_below: float
    #: ... nor pairs whose feature probability is at least this (they stay over it).
    skip_above: float
    #: The encoder reads at most this many pairs per unit compared (``inf``: every pair in
    #: the band, so that a pair's score depends on the pair alone and can be cached).
    pairs_per_unit: float
    combine: str = "logistic"

    @property
    def per_pair(self) -> bool:
        """True when a pair's score depends on its two sentences only, not on which other
        pairs the encoder reads (no bound per unit)."""
        return math.isinf(self.pairs_per_unit)


@dataclass(frozen=True)
class PairScorer:
    """Probability that two sentences make the same claim, from :data:`PAIR_FEATURES`: a
    logistic regression fitted by ``bench/fit_pair_scorer.py`` and stored as data; with the
    cross-encoder where it can run (:meth:`scores`)."""

    weights: tuple[float, ...]
    bias: float
    threshold: float  # on the probability scale, chosen on the dev documents
    floor: float  # candidate pairs need at least this cosine
    encoder: EncoderMix | None = None

    def logits(self, features: np.ndarray) -> np.ndarray:
        result: np.ndarray = np.asarray(features, dtype=np.float64) @ np.array(self.weights) + self.bias
        return result

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        return _sigmoid(self.logits(features))

    def scores(
        self,
        features: np.ndarray,
        texts: list[tuple[str, str]],
        encoder_logits: Callable[[list[tuple[str, str]]], np.ndarray] | None,
        units: int,
    ) -> np.ndarray:
        """Each pair's probability: the features' alone, or, where the encoder runs, the
        combination, put on the features' scale (its dev threshold maps to ``threshold``,
        so one ``threshold`` option means the same with and without the encoder). The
        encoder reads only pairs whose feature probability is in ``[skip_below, skip_above)``,
        where it can change a decision, and at most ``pairs_per_unit * units`` of them (the
        highest); the others keep their feature probability."""
        feature_logits = self.logits(features)
        result = _sigmoid(feature_logits)
        mix = self.encoder
        if mix is None or encoder_logits is None or len(texts) == 0:
            return result
        probable = np.flatnonzero((result >= mix.skip_below) & (result < mix.skip_above))
        limit = len(probable) if mix.per_pair else max(1, int(mix.pairs_per_unit * units))
        # A veto reads the most doubtful accepted pairs first; a combination the most probable.
        order = result[probable] if mix.combine == "veto" else -result[probable]
        chosen = probable[np.argsort(order, kind="stable")[:limit]]
        if len(chosen) == 0:
            return result
        encoded = encoder_logits([texts[k] for k in chosen])
        shift = _logit(self.threshold) - _logit(mix.threshold)
        if mix.combine == "veto":
            result[chosen] = np.minimum(result[chosen], _sigmoid(encoded + shift))
            return result
        combined = mix.mix[0] * feature_logits[chosen] + mix.mix[1] * encoded + mix.bias + shift
        result[chosen] = _sigmoid(combined)
        return result


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=np.float64)))
    return result


def _logit(probability: float) -> float:
    return math.log(probability / (1.0 - probability))


_SCORER_FILE = Path(__file__).with_name("pair_scorer.json")


@cache
def pair_scorer() -> PairScorer:
    data = json.loads(_SCORER_FILE.read_text("utf-8"))
    if list(data["features"]) != list(PAIR_FEATURES):
        raise ValueError(f"{_SCORER_FILE.name} was fitted on other features; rerun bench/fit_pair_scorer.py")
    encoder = data.get("encoder")
    return PairScorer(
        tuple(float(w) for w in data["weights"]),
        float(data["bias"]),
        float(data["threshold"]),
        float(data["floor"]),
        None
        if encoder is None
        else EncoderMix(
            str(encoder["sha256"]),
            (float(encoder["mix"][0]), float(encoder["mix"][1])),
            float(encoder["bias"]),
            float(encoder["threshold"]),
            float(encoder["skip_below"]),
            float(encoder["skip_above"]),
            math.inf if encoder["pairs_per_unit"] is None else float(encoder["pairs_per_unit"]),
            str(encoder.get("combine", "logistic")),
        ),
    )


def candidate_scores(
    scorer: PairScorer, features: np.ndarray, texts: list[tuple[str, str]], embedder: Embedder, units: int
) -> np.ndarray:
    """:meth:`PairScorer.scores` with the cross-encoder on the embedder's backend where it runs
    (the packaged model, torch or ONNX Runtime installed), else the features alone."""
    return scores_as_run(scorer, features, texts, embedder, units)[0]


def scores_as_run(
    scorer: PairScorer, features: np.ndarray, texts: list[tuple[str, str]], embedder: Embedder, units: int
) -> tuple[np.ndarray, bool]:
    """:func:`candidate_scores`, and whether they are the scorer's own: False when it has
    a cross-encoder that could not run here (the scores are then the features' alone)."""
    encoder = None
    if scorer.encoder is not None and texts:
        from redline.embedding.pair_encoder import pair_encoder_for

        loaded = pair_encoder_for(embedder, scorer.encoder.sha256)
        encoder = None if loaded is None else loaded.logits
    as_fitted = scorer.encoder is None or not texts or encoder is not None
    return scorer.scores(features, texts, encoder, units), as_fitted


def is_quotation(document: Document, block: int, text: str) -> bool:
    """A block quote, or a sentence that is one quotation from its first mark to its last."""
    if document.blocks[block].kind is BlockKind.BLOCKQUOTE:
        return True
    stripped = text.strip()
    return len(stripped) > 1 and stripped[0] in "\"“'‘" and stripped.rstrip(".,!?")[-1:] in "\"”'’"
