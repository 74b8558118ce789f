"""Fit the near-duplicate rule's second stage on STS-B train; choose its threshold on dev.

    python bench/fit_near_duplicate_model.py [--cache-dir DIR]

Writes src/redline/rules/redundancy/near_duplicate_model.json (weights, bias, threshold).
A logistic regression (Newton's method, small L2) over [cosine, content-word Jaccard,
numbers differ, negation differs] of whole sentences, labels gold score >= 4.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from stsb import best_threshold, detector_scores, embedder, load_pairs, sentence_features

from redline.rules.redundancy.claims import _MODEL_FILE, ClaimModel

FEATURES = ["cosine", "content_word_jaccard", "numbers_differ", "negation_differs"]


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 50) -> np.ndarray:
    design = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(design.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + l2 * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    return w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()
    embed = embedder(args.cache_dir)
    train, dev = load_pairs("train"), load_pairs("dev")
    w = fit_logistic(sentence_features(train, embed), train.same.astype(float))
    provisional = ClaimModel(tuple(w[:-1]), float(w[-1]), 0.5, 0.5)
    probabilities, _ = detector_scores(dev, embed, provisional)
    threshold, f1 = best_threshold(probabilities, dev.same, np.arange(0.05, 0.951, 0.01))
    cosines = sentence_features(dev, embed)[:, 0]
    cosine_threshold, cosine_f1 = best_threshold(cosines, dev.same, np.arange(0.50, 0.991, 0.01))
    data = {
        "about": "Second stage of redundancy.near-duplicate; written by bench/fit_near_duplicate_model.py",
        "features": FEATURES,
        "weights": [round(float(v), 4) for v in w[:-1]],
        "bias": round(float(w[-1]), 4),
        "threshold": threshold,
        "cosine_threshold": cosine_threshold,
        "fitted_on": "STS-B train (5,749 pairs), same claim = gold score >= 4",
        "chosen_on": f"STS-B dev (1,500 pairs): best F1 {f1:.3f}; raw cosine best F1 {cosine_f1:.3f}",
    }
    _MODEL_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(data, indent=2))


if __name__ == "__main__":
    main()
