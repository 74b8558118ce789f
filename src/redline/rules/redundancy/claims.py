"""Claims for the near-duplicate rule: clause units, pair features, the second-stage scorer.

A sentence often makes two claims ("X is expected to reassure travellers and contribute
to economic cooperation"), and editors mark a restated *claim* even when the rest of the
sentence differs. So each sentence is compared whole and, when it is compound, clause by
clause (split at "; ", ", and", ", while", "but also", ...).

Raw cosine similarity of sentence embeddings misses what editors care about: two
sentences that differ only in a number, a name or a negation look alike to the model.
The second stage is a logistic model over the cosine and three lexical features, fitted
on the STS-B train split (``bench/fit_near_duplicate_model.py``) and stored as data in
``near_duplicate_model.json``; its threshold was chosen on the dev split.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

_MODEL_FILE = Path(__file__).with_name("near_duplicate_model.json")
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
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def pair_features(a: str, b: str, cosine: float) -> list[float]:
    """``[cosine, content-word Jaccard, numbers differ, negation differs]``."""
    words_a = [w.lower() for w in _WORD.findall(a)]
    words_b = [w.lower() for w in _WORD.findall(b)]
    stop = _stop_words()
    content_a = {w for w in words_a if w not in stop}
    content_b = {w for w in words_b if w not in stop}
    jaccard = len(content_a & content_b) / max(1, len(content_a | content_b))
    numbers_differ = float(_numbers(words_a) != _numbers(words_b))
    negation_differs = float(_negated(words_a) != _negated(words_b))
    return [cosine, jaccard, numbers_differ, negation_differs]


# Code spans and roles in the source text: ``x``, `x`, :role:`x`.
_CODE = re.compile(r"``[^`]+``|:[\w:.-]+:`[^`]+`|`[^`]+`")


def parallel_contrast(a: str, b: str) -> bool:
    """True when two sentences are one template with a different name, verb or noun in a slot.

    "Emitted when client starts a request." / "Emitted when server receives a request.",
    "On Linux platforms, ..." / "On Windows platforms, ...": reference docs describe
    sibling things in parallel sentences. The embedding sees near-identical sentences;
    an editor sees two different facts. A restatement rewords a claim at length, so this
    looks only at pairs that differ in a few words, one of which replaces a content word.
    """
    import difflib

    words_a = [_stem(w.lower()) for w in _WORD.findall(a)]
    words_b = [_stem(w.lower()) for w in _WORD.findall(b)]
    matcher = difflib.SequenceMatcher(a=words_a, b=words_b, autojunk=False)
    stop = _stop_words()
    changed = 0
    swapped = False
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        changed += max(i2 - i1, j2 - j1)
        if op == "replace":
            swapped = swapped or (
                any(w not in stop for w in words_a[i1:i2]) and any(w not in stop for w in words_b[j1:j2])
            )
    return swapped and changed <= _PARALLEL_MAX_CHANGED and matcher.ratio() >= _PARALLEL_MIN_SHARED


_PARALLEL_MAX_CHANGED = 4
_PARALLEL_MIN_SHARED = 0.6  # difflib ratio: most of the words are the shared template
_SUFFIXES = ("ing", "ed", "es", "s")


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


def best_match(
    texts_a: list[str], vectors_a: np.ndarray, texts_b: list[str], vectors_b: np.ndarray, model: ClaimModel
) -> tuple[float, float]:
    """``(probability, cosine)`` of the best-matching pair of units of two sentences."""
    cosines = vectors_a @ vectors_b.T
    best = (0.0, 0.0)
    for (i, j), cosine in np.ndenumerate(cosines):
        probability = model.probability(pair_features(texts_a[i], texts_b[j], cosine))
        best = max(best, (probability, float(cosine)))
    return best


@dataclass(frozen=True)
class ClaimModel:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # on the probability scale, chosen on STS-B dev
    cosine_threshold: float  # the best raw-cosine threshold on dev, for ``scorer = "cosine"``

    def probability(self, features: list[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def min_cosine(self, threshold: float) -> float:
        """The lowest cosine at which a pair can still reach ``threshold`` (best lexical case)."""
        logit = math.log(threshold / (1.0 - threshold))
        best_rest = self.bias + sum(max(0.0, w) for w in self.weights[1:])
        return (logit - best_rest) / self.weights[0]


@cache
def claim_model() -> ClaimModel:
    data = json.loads(_MODEL_FILE.read_text("utf-8"))
    return ClaimModel(
        weights=tuple(float(w) for w in data["weights"]),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        cosine_threshold=float(data["cosine_threshold"]),
    )
