"""Shared loading for the STS-B benchmarks: labelled pairs, embeddings, unit-level scores."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from redline.embedding import Embedder, get_embedder
from redline.rules.redundancy.claims import ClaimModel, best_match, pair_features, unit_texts
from redline.services import Services

STSB_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "stsb"
SAME_CLAIM = 4.0  # gold score at or above which a pair says the same thing
CLAUSE_MIN_WORDS = 5


@dataclass
class Pairs:
    first: list[str]
    second: list[str]
    same: np.ndarray  # bool, gold score >= SAME_CLAIM


def load_pairs(split: str, directory: Path = STSB_DIR) -> Pairs:
    with (directory / f"stsb-en-{split}.csv").open(encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.reader(stream) if len(row) == 3]
    return Pairs(
        [r[0] for r in rows], [r[1] for r in rows], np.array([float(r[2]) >= SAME_CLAIM for r in rows])
    )


def embedder(cache_dir: Path | None, model: str = "all-MiniLM-L6-v2") -> Embedder:
    return get_embedder(Services(cache_dir=cache_dir, use_cache=True), model)


def sentence_features(pairs: Pairs, embed: Embedder) -> np.ndarray:
    """One feature row per pair, whole sentences only (what the model is fitted on)."""
    a, b = embed.encode(pairs.first), embed.encode(pairs.second)
    cosines = (a * b).sum(axis=1)
    return np.array(
        [pair_features(x, y, float(c)) for x, y, c in zip(pairs.first, pairs.second, cosines, strict=True)]
    )


def detector_scores(pairs: Pairs, embed: Embedder, model: ClaimModel) -> tuple[np.ndarray, np.ndarray]:
    """``(probability, cosine)`` per pair as the rule computes them (best sentence/clause unit pair)."""
    probabilities, cosines = [], []
    for x, y in zip(pairs.first, pairs.second, strict=True):
        units_x, units_y = unit_texts(x, CLAUSE_MIN_WORDS), unit_texts(y, CLAUSE_MIN_WORDS)
        probability, cosine = best_match(
            units_x, embed.encode(units_x), units_y, embed.encode(units_y), model
        )
        probabilities.append(probability)
        cosines.append(cosine)
    return np.array(probabilities), np.array(cosines)


def precision_recall_f1(predicted: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    true_pos = int((predicted & gold).sum())
    precision = true_pos / max(1, int(predicted.sum()))
    recall = true_pos / max(1, int(gold.sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_threshold(scores: np.ndarray, gold: np.ndarray, grid: np.ndarray) -> tuple[float, float]:
    """``(threshold, F1)`` with the best F1 over ``grid`` (ties: the higher threshold)."""
    results = [(precision_recall_f1(scores >= t, gold)[2], float(t)) for t in grid]
    f1, threshold = max(results)
    return round(threshold, 2), f1
