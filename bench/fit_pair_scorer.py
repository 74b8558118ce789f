"""Fit RL102's pair scorer on the train documents; choose its threshold on the dev documents.

    python bench/fit_pair_scorer.py [--docs DIR] [--cache-dir DIR]

Builds (if missing) the paraphrase-pair documents of ``../shared/tools/pair_docs.py``
(stsb-train, mrpc-train, stsb-dev, mrpc-dev) under ``--docs``, embeds every sentence with
the packaged MiniLM through redline's own embedder (token vectors from the same forward
pass), and takes as candidates every pair of sentences two or more apart with a cosine
over the floor, the pairs RL102 would score. Labels: the gold same-claim pairs; every
other candidate is a different claim (the hard negatives of MRPC and the look-alikes that
running text brings).

A logistic regression (scikit-learn, standardised features, fixed seed) is fitted on the
train candidates over :data:`redline.rules.redundancy.claims.PAIR_FEATURES`, and its
weights on the raw features are written to ``src/redline/rules/redundancy/pair_scorer.json``.
(Gradient-boosted trees were measured too and did worse on both dev sets.) The threshold is the one with the best mean F1 over the
two dev sets, pairs joined into clusters as the rule joins them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from redline.embedding import Embedder, get_embedder
from redline.rules.redundancy.claims import _SCORER_FILE, PAIR_FEATURES, model_features, raw_pair_features
from redline.services import Services

ROOT = Path(__file__).resolve().parents[1]
PAIR_DOCS = ROOT.parent / "shared" / "tools" / "pair_docs.py"
TRAIN, DEV = ("stsb-train", "mrpc-train"), ("stsb-dev", "mrpc-dev")
FLOOR = 0.45  # candidate pairs: cosine at least this (keeps 148 of stsb-dev's 149 gold pairs)
SEED = 13


def candidates(
    directory: Path, embed: Embedder, texts: list[tuple[str, str]] | None = None
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, int]], int]:
    """Feature rows, labels, (document, i, j) keys and the number of gold pairs of one set
    (and each candidate's two sentences appended to ``texts``, when given)."""
    gold = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    rows: list[list[float]] = []
    labels: list[bool] = []
    keys: list[tuple[int, int, int]] = []
    positives = 0
    for number, document in enumerate(gold):
        sentences = document["sentences"]
        index = {s: k for k, s in enumerate(sentences)}
        same = {frozenset((index[a], index[b])) for a, b in document["positive"]}
        positives += len(same)
        vectors = embed.encode(sentences)
        cosines = vectors @ vectors.T
        pairs = [
            (i, j)
            for i in range(len(sentences))
            for j in range(i + 2, len(sentences))
            if cosines[i, j] >= FLOOR
        ]
        needed = sorted({k for pair in pairs for k in pair})
        tokens = dict(zip(needed, embed.tokens([sentences[k] for k in needed]), strict=True))
        for i, j in pairs:
            parts = raw_pair_features(sentences[i], sentences[j], float(cosines[i, j]), tokens[i], tokens[j])
            rows.append(model_features(*parts))
            labels.append(frozenset((i, j)) in same)
            keys.append((number, i, j))
            if texts is not None:
                texts.append((sentences[i], sentences[j]))
    return np.array(rows), np.array(labels), keys, positives


def clustered_scores(
    keys: list[tuple[int, int, int]], predicted: np.ndarray, labels: np.ndarray, positives: int
) -> tuple[float, float, float]:
    """Pair-level P, R, F1 after joining predicted pairs into clusters (every pair inside a
    cluster counts as predicted, as ``pair_docs.py score`` counts a finding's related spans)."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(node: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for (document, i, j), hit in zip(keys, predicted, strict=True):
        if hit:
            parent[root((document, i))] = root((document, j))
    clusters: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for node in list(parent):
        clusters.setdefault(root(node), []).append(node)
    gold = {key for key, label in zip(keys, labels, strict=True) if label}
    true = false = 0
    for members in clusters.values():
        members.sort()
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                hit = (members[x][0], members[x][1], members[y][1]) in gold
                true, false = true + hit, false + (not hit)
    precision = true / max(1, true + false)
    recall = true / max(1, positives)
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall)


def export(model: object, features: np.ndarray) -> dict[str, object]:
    """The fitted pipeline as raw-feature weights; checked against scikit-learn's predictions."""
    from redline.rules.redundancy.claims import PairScorer

    scaler, logistic = model.named_steps["standardscaler"], model.named_steps["logisticregression"]  # type: ignore[attr-defined]
    weights = logistic.coef_[0] / scaler.scale_
    bias = float(logistic.intercept_[0] - (logistic.coef_[0] * scaler.mean_ / scaler.scale_).sum())
    scorer = PairScorer(tuple(float(w) for w in weights), bias, 0.5, FLOOR)
    expected = model.predict_proba(features)[:, 1]  # type: ignore[attr-defined]
    worst = float(np.abs(scorer.probabilities(features) - expected).max())
    assert worst < 1e-6, f"exported weights disagree with scikit-learn by {worst}"
    return {"weights": [float(w) for w in weights], "bias": bias}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--docs", type=Path, default=Path("/tmp/redline-pair-docs"))
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]
    from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

    started = time.perf_counter()
    for name in TRAIN + DEV:
        if not (args.docs / name / "gold.json").exists():
            subprocess.run([sys.executable, str(PAIR_DOCS), "build", name, str(args.docs / name)], check=True)
    embed = get_embedder(
        Services(cache_dir=args.cache_dir, use_cache=args.cache_dir is not None), "all-MiniLM-L6-v2"
    )
    sets = {name: candidates(args.docs / name, embed) for name in TRAIN + DEV}
    features = np.vstack([sets[name][0] for name in TRAIN])
    labels = np.concatenate([sets[name][1] for name in TRAIN])
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000, random_state=SEED))
    model.fit(features, labels)
    probabilities = {name: model.predict_proba(sets[name][0])[:, 1] for name in DEV}
    table = []
    for threshold in np.arange(0.30, 0.951, 0.025):
        figures = {
            name: clustered_scores(
                sets[name][2], probabilities[name] >= threshold, sets[name][1], sets[name][3]
            )
            for name in DEV
        }
        table.append((float(np.mean([f[2] for f in figures.values()])), round(float(threshold), 3), figures))
    _, threshold, figures = max(table, key=lambda row: (row[0], row[1]))
    cosine_figures = {}
    for name in DEV:
        rows, gold, keys, positives = sets[name]
        cosine_figures[name] = max(
            (
                (clustered_scores(keys, rows[:, 0] >= t, gold, positives), round(float(t), 2))
                for t in np.arange(0.60, 0.851, 0.05)
            ),
            key=lambda row: row[0][2],
        )
    data = {
        "about": "RL102 pair scorer; written by bench/fit_pair_scorer.py (do not edit by hand)",
        "features": list(PAIR_FEATURES),
        "fitted_on": f"candidate pairs of the pair_docs.py documents {', '.join(TRAIN)} "
        f"({len(labels)} pairs, {int(labels.sum())} same claim), standardised features, "
        f"LogisticRegression(C=1.0, random_state={SEED}); weights here are on the raw features",
        "chosen_on": ", ".join(
            f"{name}: P {p:.3f} R {r:.3f} F1 {f:.3f}" for name, (p, r, f) in figures.items()
        ),
        "threshold": threshold,
        "floor": FLOOR,
        **export(model, features),
    }
    _SCORER_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"threshold {threshold} (best mean F1 over {', '.join(DEV)}, clusters joined)")
    for name in DEV:
        p, r, f = figures[name]
        (cp, cr, cf), ct = cosine_figures[name]
        print(
            f"{name}: scorer P {p:.3f} R {r:.3f} F1 {f:.3f}; raw cosine >= {ct:.2f} P {cp:.3f} R {cr:.3f} F1 {cf:.3f}"
        )
    coefficients = model.named_steps["logisticregression"].coef_[0]
    ranked = sorted(zip(coefficients, PAIR_FEATURES, strict=True), key=lambda c: -abs(c[0]))
    print("standardised weights:", ", ".join(f"{name} {value:+.2f}" for value, name in ranked))
    print(f"({time.perf_counter() - started:.0f} s)")
    print(
        "pair_scorer.json now has no cross-encoder combination (it was fitted on the old feature "
        "weights): run bench/train_pair_encoder.py (--finalize EPOCH reuses a trained adapter)"
    )


if __name__ == "__main__":
    main()
