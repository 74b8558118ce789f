"""Precision, recall and F1 of the near-duplicate detector on STS-B dev (same claim = gold >= 4).

    python bench/eval_near_duplicates.py [--split dev] [--cache-dir DIR]

Scores each labelled pair the way RL102 does (best sentence/clause unit pair, second-stage
claim scorer) at the committed threshold, next to the raw-cosine baseline. The thresholds
were chosen on dev by bench/fit_near_duplicate_model.py, so dev figures are optimistic;
the STS-B test split is held out on purpose.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from stsb import STSB_DIR, detector_scores, embedder, load_pairs, precision_recall_f1, sentence_features

from redline.rules.redundancy.claims import claim_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--stsb-dir", type=Path, default=STSB_DIR)
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    pairs = load_pairs(args.split, args.stsb_dir)
    embed, model = embedder(args.cache_dir), claim_model()
    whole = sentence_features(pairs, embed)
    probabilities, _ = detector_scores(pairs, embed, model)
    whole_probabilities = np.array([model.probability(list(row)) for row in whole])
    rows = [
        (
            f"raw cosine >= {model.cosine_threshold:.2f} (whole sentences)",
            whole[:, 0] >= model.cosine_threshold,
        ),
        (f"claim scorer >= {model.threshold:.2f} (whole sentences)", whole_probabilities >= model.threshold),
        (
            f"RL102 detector: claim scorer >= {model.threshold:.2f}, sentence + clauses",
            probabilities >= model.threshold,
        ),
    ]
    print(f"STS-B {args.split}: {len(pairs.same)} pairs, {int(pairs.same.sum())} same-claim (gold >= 4)")
    print(f"{'detector':<66} {'P':>6} {'R':>6} {'F1':>6}")
    for name, predicted in rows:
        precision, recall, f1 = precision_recall_f1(predicted, pairs.same)
        print(f"{name:<66} {precision:6.3f} {recall:6.3f} {f1:6.3f}")
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
