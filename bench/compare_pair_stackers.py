"""Compare ways of joining RL102's cross-encoder to its pair features, on the dev candidates.

    python bench/compare_pair_stackers.py --work DIR [--head FILE] [--frozen N]

``--work`` is a ``bench/train_pair_encoder.py`` work folder (``candidates.pkl``,
``frozen_states.pt`` and the epoch checkpoints ``head-N.pt``); ``--frozen`` says how many
layers that run froze (``FROZEN`` when it ran). The adapter's logit for every candidate
is computed once and kept (``encoder_logits.npz``). Then, each fitted on the held-out
train documents only (as the training script fits its combination) and scored on the dev
candidates with pairs joined into clusters, with the threshold of best mean F1 over the
two dev sets (and, where one exists, the best one that meets both precision targets):

- the encoder alone, and the feature scorer alone (``pair_scorer.json``'s weights);
- ``mix``: a logistic regression over the two logits (what ``--combine logistic`` writes);
- ``feat+enc``: over the 16 features and the encoder logit;
- ``inter``: over the two logits, the new-number and new-name flags, and the encoder logit
  times each of them and times the feature logit;
- ``feat+enc+inter``: the 16 features, the encoder logit and those three products;
- each stacker with ``C`` = 1 and 0.1 (standardised inputs, fixed seed);
- the veto (the features' threshold and the encoder's probability at least 0.3, 0.4, 0.5).

Nothing is written to the package; this is the measurement behind docs/near-duplicates.md.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_pair_scorer import DEV, TRAIN, clustered_scores
from train_pair_encoder import HOLDOUT, SEED

from redline.rules.redundancy.claims import _SCORER_FILE

TARGETS = {"stsb-dev": 0.92, "mrpc-dev": 0.80}  # precision the issue asks for


def encoder_logits(work: Path, head_file: Path, frozen: int) -> dict[str, np.ndarray]:
    stored = work / f"encoder_logits-{head_file.stem}.npz"
    if stored.exists():
        return dict(np.load(stored))
    import torch
    from transformers import AutoModel

    from redline.embedding import pair_encoder
    from redline.embedding.model_source import packaged_model_dir

    torch.set_num_threads(2)
    pair_encoder.FROZEN = frozen  # the trainable head reads it
    states = torch.load(work / "frozen_states.pt")
    model = AutoModel.from_pretrained(str(packaged_model_dir()))
    model.eval()
    head = pair_encoder.TrainableHead(model, pair_encoder.RANK, pair_encoder.lora_alpha())
    head.load_state_dict(torch.load(head_file))
    head.eval()
    out = {}
    for name, pairs in states.items():
        order = sorted(range(len(pairs)), key=lambda k: len(pairs[k]))
        values = np.zeros(len(pairs))
        with torch.no_grad():
            for lo in range(0, len(order), 64):
                chunk = order[lo : lo + 64]
                width = max(len(pairs[k]) for k in chunk)
                hidden = torch.zeros(len(chunk), width, 384)
                mask = torch.zeros(len(chunk), width)
                for row, k in enumerate(chunk):
                    hidden[row, : len(pairs[k])] = pairs[k].float()
                    mask[row, : len(pairs[k])] = 1
                values[chunk] = head(hidden, mask).numpy()
        out[name] = values
    np.savez(stored, **out)  # type: ignore[arg-type]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--head", type=Path, default=None, help="default: head-1.pt in --work")
    parser.add_argument("--frozen", type=int, default=2)
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]
    from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

    sets: dict[str, dict[str, Any]] = pickle.loads((args.work / "candidates.pkl").read_bytes())
    encoder = encoder_logits(args.work, args.head or args.work / "head-1.pt", args.frozen)
    fitted = json.loads(_SCORER_FILE.read_text("utf-8"))
    weights, bias, feature_threshold = np.array(fitted["weights"]), fitted["bias"], fitted["threshold"]

    def held(name: str) -> np.ndarray:
        return np.array([document % HOLDOUT == 0 for document, _, _ in sets[name]["keys"]])

    def inputs(kind: str, name: str) -> np.ndarray:
        rows = sets[name]["rows"]
        features, logit = rows @ weights + bias, encoder[name]
        numbers = (rows[:, 13] > 0).astype(float)  # most_new_numbers
        names = (rows[:, 14] > 0).astype(float)  # most_new_names
        products = [logit * numbers, logit * names, logit * features]
        if kind == "mix":
            return np.column_stack([features, logit])
        if kind == "feat+enc":
            return np.column_stack([rows, logit])
        if kind == "inter":
            return np.column_stack([features, logit, numbers, names, *products])
        return np.column_stack([rows, logit, *products])  # feat+enc+inter

    def report(label: str, scores: dict[str, np.ndarray], thresholds: list[float]) -> None:
        table = []
        for t in thresholds:
            figures = {
                n: clustered_scores(sets[n]["keys"], scores[n] >= t, sets[n]["labels"], sets[n]["positives"])
                for n in DEV
            }
            table.append((float(np.mean([f[2] for f in figures.values()])), t, figures))

        def line(row: tuple[float, float, dict[str, tuple[float, float, float]]]) -> str:
            mean, t, figures = row
            return f"threshold {t:.3f} mean F1 {mean:.3f}; " + "; ".join(
                f"{n} P {p:.3f} R {r:.3f} F1 {f:.3f}" for n, (p, r, f) in figures.items()
            )

        print(f"{label}: {line(max(table, key=lambda row: (row[0], row[1])))}")
        meeting = [row for row in table if all(row[2][n][0] >= TARGETS[n] for n in DEV)]
        if meeting and len(thresholds) > 1:
            print(
                f"{'':>{len(label)}}  precision targets met at best: {line(max(meeting, key=lambda r: r[0]))}"
            )

    grid = [round(float(t), 3) for t in np.arange(0.2, 0.951, 0.025)]
    probability = {n: 1 / (1 + np.exp(-(sets[n]["rows"] @ weights + bias))) for n in DEV}
    report("features", probability, [feature_threshold])
    report("encoder alone", {n: 1 / (1 + np.exp(-encoder[n])) for n in DEV}, grid)
    for kind in ("mix", "feat+enc", "inter", "feat+enc+inter"):
        for c in (1.0, 0.1):
            x = np.vstack([inputs(kind, n)[held(n)] for n in TRAIN])
            y = np.concatenate([sets[n]["labels"][held(n)] for n in TRAIN])
            model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000, random_state=SEED))
            model.fit(x, y)
            report(f"{kind} C={c}", {n: model.predict_proba(inputs(kind, n))[:, 1] for n in DEV}, grid)
    for level in (0.3, 0.4, 0.5):
        vetoed = {n: np.where(1 / (1 + np.exp(-encoder[n])) >= level, probability[n], 0.0) for n in DEV}
        report(f"veto at {level}", vetoed, [feature_threshold])


if __name__ == "__main__":
    main()
