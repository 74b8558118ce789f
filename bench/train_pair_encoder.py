"""Train RL102's cross-encoder: the packaged MiniLM reading both sentences at once, with a
LoRA adapter on its last layers and a small head, fitted on the train documents' candidates.

    python bench/train_pair_encoder.py [--docs DIR] [--cache-dir DIR] [--epochs N] [--work DIR]

The pairs are the ones RL102 scores: the candidate pairs of the ``pair_docs.py`` train
documents (stsb-train, mrpc-train), as :func:`fit_pair_scorer.candidates` finds them
(cosine over the floor, two or more sentences apart), labelled by the gold pairs. Each pair
is read as ``[CLS] earlier [SEP] later [SEP]`` (at most :data:`MAX_LENGTH` tokens).

CPU-only training on a small budget: the first ``FROZEN`` layers of the model stay as they
are, so their output is computed once per pair and kept; only the last layers (a LoRA
adapter of rank ``RANK`` on every linear map of them) and the head (CLS and mean-pooled
last layer -> one logit) are trained, with AdamW and a fixed seed. Documents of the train
sets whose number is divisible by ``HOLDOUT`` are held out of the adapter's training: the
epoch is chosen on them, and the logistic combination of the adapter's logit with the
feature scorer's logit is fitted on them (never on dev). The threshold of the combined
score is the one with the best mean F1 over the two dev sets, pairs joined into clusters.

Writes ``src/redline/rules/redundancy/pair_encoder.safetensors`` (adapter and head, float32)
and the combination and threshold into ``pair_scorer.json`` (next to the feature weights
that ``bench/fit_pair_scorer.py`` writes; run that first). Checkpoints go to ``--work``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import pickle
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_pair_scorer import DEV, PAIR_DOCS, TRAIN, candidates, clustered_scores

from redline.embedding import get_embedder
from redline.embedding.model_source import packaged_model_dir
from redline.embedding.pair_encoder import (
    ADAPTER_FILE,
    FROZEN,
    MAX_LENGTH,
    RANK,
    lora_alpha,
)
from redline.rules.redundancy.claims import _SCORER_FILE, PairScorer
from redline.services import Services

SEED = 13
HOLDOUT = 7  # train documents 0, 7, 14, ... of each set: epoch choice and the combination
BATCH = 32
LEARNING_RATE = 1e-3
#: "veto": the encoder's probability under which it rejects a pair the features accept. Of
#: 0.3, 0.4 and 0.5 (the dev candidates' mean F1 0.864, 0.867, 0.868 with the 4-layer adapter),
#: the highest that keeps the seed article's restated claims (9 or more; 0.5 keeps 8).
VETO = 0.4
#: "veto": the threshold of the pair score (written as pair_scorer.json's "threshold", with
#: the features alone too). Of the features' own (0.525, fit_pair_scorer.py) and 0.5, measured
#: in the rule on the dev documents (pair_docs.py score), 0.5 has the better mean F1 (0.861
#: against 0.860: stsb-dev 0.889 and 0.895, mrpc-dev 0.832 and 0.825).
VETO_THRESHOLD = 0.5
PAIRS_PER_UNIT = 0.3  # "logistic": the encoder reads at most this many pairs per compared unit
# (speed bound); a veto reads every pair the features accept, so its scores can be cached.


def load_candidates(docs: Path, cache_dir: Path | None, work: Path) -> dict[str, dict[str, Any]]:
    """Candidate pairs of every set, with texts, labels and feature rows (kept in ``work``)."""
    stored = work / "candidates.pkl"
    if stored.exists():
        result: dict[str, dict[str, Any]] = pickle.loads(stored.read_bytes())
        return result
    for name in TRAIN + DEV:
        if not (docs / name / "gold.json").exists():
            subprocess.run([sys.executable, str(PAIR_DOCS), "build", name, str(docs / name)], check=True)
    embed = get_embedder(Services(cache_dir=cache_dir, use_cache=cache_dir is not None), "all-MiniLM-L6-v2")
    out = {}
    for name in TRAIN + DEV:
        texts: list[tuple[str, str]] = []
        rows, labels, keys, positives = candidates(docs / name, embed, texts)
        out[name] = {"rows": rows, "labels": labels, "keys": keys, "positives": positives, "texts": texts}
    work.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(pickle.dumps(out))
    return out


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--docs", type=Path, default=Path("/tmp/redline-pair-docs"))
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=Path("/tmp/redline-pair-encoder"))
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--finalize",
        type=int,
        default=None,
        metavar="EPOCH",
        help="train no further: combine, choose the threshold and write the files from this epoch's checkpoint",
    )
    parser.add_argument(
        "--combine",
        choices=("veto", "logistic"),
        default="veto",
        help="how the encoder joins the features in pair_scorer.json (both are measured and printed)",
    )
    args = parser.parse_args()

    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(args.threads)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    started = time.perf_counter()
    sets = load_candidates(args.docs, args.cache_dir, args.work)
    print(f"candidates ready ({time.perf_counter() - started:.0f} s)", flush=True)

    model_dir = packaged_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir))
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)

    def frozen_states(texts: list[tuple[str, str]]) -> list[torch.Tensor]:
        """The output of the first FROZEN layers for each pair (float16, no padding)."""
        order = sorted(range(len(texts)), key=lambda k: len(texts[k][0]) + len(texts[k][1]))
        states: list[torch.Tensor] = [torch.empty(0)] * len(texts)
        with torch.no_grad():
            for lo in range(0, len(order), 64):
                chunk = order[lo : lo + 64]
                batch = tokenizer(
                    [texts[k][0] for k in chunk],
                    [texts[k][1] for k in chunk],
                    padding=True,
                    truncation="longest_first",
                    max_length=MAX_LENGTH,
                    return_tensors="pt",
                )
                hidden = model(**batch, output_hidden_states=True).hidden_states[FROZEN]
                for row, k in enumerate(chunk):
                    length = int(batch["attention_mask"][row].sum())
                    states[k] = hidden[row, :length].to(torch.float16).clone()
        return states

    states_file = args.work / "frozen_states.pt"
    if states_file.exists():
        states = torch.load(states_file)
    else:
        states = {name: frozen_states(sets[name]["texts"]) for name in TRAIN + DEV}
        torch.save(states, states_file)
    print(f"frozen states ready ({time.perf_counter() - started:.0f} s)", flush=True)

    from redline.embedding.pair_encoder import TrainableHead

    head = TrainableHead(model, RANK, lora_alpha())
    trainable = [p for p in head.parameters() if p.requires_grad]
    print(f"trainable parameters: {sum(p.numel() for p in trainable)}", flush=True)

    def split(name: str, held: bool) -> list[int]:
        keys = sets[name]["keys"]
        return [k for k, (document, _, _) in enumerate(keys) if (document % HOLDOUT == 0) == held]

    train_items = [(name, k) for name in TRAIN for k in split(name, held=False)]
    held_items = [(name, k) for name in TRAIN for k in split(name, held=True)]
    print(f"train pairs {len(train_items)}, held-out pairs {len(held_items)}", flush=True)

    def batches(items: list[tuple[str, int]], shuffle: bool) -> list[list[tuple[str, int]]]:
        items = sorted(items, key=lambda item: len(states[item[0]][item[1]]))
        groups = [items[lo : lo + BATCH] for lo in range(0, len(items), BATCH)]
        if shuffle:
            random.shuffle(groups)
        return groups

    def padded(group: list[tuple[str, int]]) -> tuple[torch.Tensor, torch.Tensor]:
        width = max(len(states[name][k]) for name, k in group)
        hidden = torch.zeros(len(group), width, 384)
        mask = torch.zeros(len(group), width)
        for row, (name, k) in enumerate(group):
            state = states[name][k]
            hidden[row, : len(state)] = state.float()
            mask[row, : len(state)] = 1
        return hidden, mask

    def logits_of(items: list[tuple[str, int]]) -> np.ndarray:
        head.eval()
        out = np.zeros(len(items))
        where = {item: k for k, item in enumerate(items)}
        with torch.no_grad():
            for group in batches(items, shuffle=False):
                hidden, mask = padded(group)
                values = head(hidden, mask).numpy()
                for item, value in zip(group, values, strict=True):
                    out[where[item]] = value
        return out

    def labels_of(items: list[tuple[str, int]]) -> np.ndarray:
        return np.array([bool(sets[name]["labels"][k]) for name, k in items])

    optimizer = torch.optim.AdamW(trainable, lr=LEARNING_RATE, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(train_items) / BATCH)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    held_labels = labels_of(held_items)
    best: tuple[float, int] = (math.inf, -1)
    start_epoch = 0
    checkpoint = args.work / "checkpoint.pt"
    if checkpoint.exists() and args.finalize is None:
        saved = torch.load(checkpoint)
        head.load_state_dict(saved["head"])
        optimizer.load_state_dict(saved["optimizer"])
        schedule.load_state_dict(saved["schedule"])
        start_epoch, best = saved["epoch"] + 1, tuple(saved["best"])
        random.setstate(saved["random"])
        torch.set_rng_state(saved["torch_random"])
        print(f"resumed after epoch {saved['epoch']}", flush=True)
    if args.finalize is not None:
        start_epoch, best = args.epochs, (math.nan, args.finalize)
    for epoch in range(start_epoch, args.epochs):
        head.train()
        total, seen, tick = 0.0, 0, time.perf_counter()
        for step, group in enumerate(batches(train_items, shuffle=True)):
            hidden, mask = padded(group)
            target = torch.tensor(labels_of(group), dtype=torch.float32)
            loss = loss_fn(head(hidden, mask), target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total, seen = total + float(loss) * len(group), seen + len(group)
            if step % 50 == 0:
                print(
                    f"epoch {epoch} step {step} loss {total / seen:.4f} ({time.perf_counter() - tick:.0f} s)",
                    flush=True,
                )
        held = logits_of(held_items)
        held_loss = float(loss_fn(torch.tensor(held), torch.tensor(held_labels, dtype=torch.float32)))
        accuracy = float(((held > 0) == held_labels).mean())
        print(
            f"epoch {epoch}: train loss {total / seen:.4f}, held-out loss {held_loss:.4f} accuracy {accuracy:.3f} "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        torch.save(head.state_dict(), args.work / f"head-{epoch}.pt")
        if held_loss < best[0]:
            best = (held_loss, epoch)
        torch.save(
            {
                "head": head.state_dict(),
                "optimizer": optimizer.state_dict(),
                "schedule": schedule.state_dict(),
                "epoch": epoch,
                "best": list(best),
                "random": random.getstate(),
                "torch_random": torch.get_rng_state(),
            },
            checkpoint,
        )
    print(f"best epoch {best[1]} (held-out loss {best[0]:.4f})", flush=True)
    head.load_state_dict(torch.load(args.work / f"head-{best[1]}.pt"))

    # Two ways to join the adapter's logit to the feature scorer's, both measured and printed;
    # ``--combine`` says which is written. "veto": a pair is over the threshold when the
    # features put it there (over VETO_THRESHOLD) and the encoder does not reject it (its
    # probability at least VETO): nothing is fitted here. "logistic": a logistic regression over the two logits, fitted on the
    # held-out train documents, its threshold the best mean F1 over the dev documents.
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    fitted = json.loads(_SCORER_FILE.read_text("utf-8"))  # the feature scorer's own weights
    # The features' own threshold (fit_pair_scorer.py's; a veto written before moved "threshold").
    feature_threshold = float(fitted.get("features_threshold", fitted["threshold"]))
    scorer = PairScorer(tuple(fitted["weights"]), float(fitted["bias"]), feature_threshold, 0.0)

    def feature_logits(items: list[tuple[str, int]]) -> np.ndarray:
        rows = np.array([sets[name]["rows"][k] for name, k in items])
        return np.asarray(rows @ np.array(scorer.weights) + scorer.bias)

    def sigmoid(x: np.ndarray) -> np.ndarray:
        return np.asarray(1 / (1 + np.exp(-x)))

    def veto(features: np.ndarray, encoder: np.ndarray, level: float = VETO) -> np.ndarray:
        """As at run time: the encoder reads only the pairs the features accept, and its
        probability ``level`` lands on the features' threshold."""
        shift = math.log(VETO_THRESHOLD / (1 - VETO_THRESHOLD)) - math.log(level / (1 - level))
        accepted = sigmoid(features)
        return np.where(accepted >= VETO_THRESHOLD, np.minimum(accepted, sigmoid(encoder + shift)), accepted)

    combined_inputs = np.column_stack([feature_logits(held_items), logits_of(held_items)])
    combiner = LogisticRegression(C=1.0, random_state=SEED).fit(combined_inputs, held_labels)
    mix = [float(w) for w in combiner.coef_[0]]
    mix_bias = float(combiner.intercept_[0])
    print(
        f"logistic combination: {mix[0]:+.3f} * feature logit {mix[1]:+.3f} * encoder logit {mix_bias:+.3f}"
    )

    dev_scores = {}
    for name in DEV:
        items = [(name, k) for k in range(len(sets[name]["keys"]))]
        encoder = logits_of(items)
        features = feature_logits(items)
        dev_scores[name] = {
            "logistic": sigmoid(mix[0] * features + mix[1] * encoder + mix_bias),
            "veto": veto(features, encoder),
            **{f"veto at {level}": veto(features, encoder, level) for level in (0.3, 0.5)},
            "encoder": sigmoid(encoder),
            "features": sigmoid(features),
        }

    def figures_at(kind: str, threshold: float) -> dict[str, tuple[float, float, float]]:
        return {
            name: clustered_scores(
                sets[name]["keys"],
                dev_scores[name][kind] >= threshold,
                sets[name]["labels"],
                sets[name]["positives"],
            )
            for name in DEV
        }

    chosen = {}
    for kind in ("logistic", "veto", "veto at 0.3", "veto at 0.5", "encoder", "features"):
        if kind.startswith("veto") or kind == "features":  # not chosen here
            threshold = VETO_THRESHOLD if kind.startswith("veto") else scorer.threshold
            figures = figures_at(kind, threshold)
        else:
            table = []
            for t in np.arange(0.20, 0.96, 0.025):
                found = figures_at(kind, float(t))
                table.append((float(np.mean([f[2] for f in found.values()])), round(float(t), 3), found))
            _, threshold, figures = max(table, key=lambda row: (row[0], row[1]))
        chosen[kind] = (threshold, figures)
        print(
            f"{kind}: threshold {threshold} mean F1 {np.mean([f[2] for f in figures.values()]):.3f}; "
            + "; ".join(f"{n} P {p:.3f} R {r:.3f} F1 {f:.3f}" for n, (p, r, f) in figures.items()),
            flush=True,
        )
    held_features = feature_logits(held_items)
    if args.combine == "veto":
        threshold = VETO_THRESHOLD
        held_scores = veto(combined_inputs[:, 0], combined_inputs[:, 1])
        # The veto only lowers: the encoder need read only the pairs the features accept.
        skip_below, skip_above = threshold, 1.0
    else:
        threshold = chosen["logistic"][0]
        held_scores = combiner.predict_proba(combined_inputs)[:, 1]
        # Which pairs the encoder need not read: under the lowest feature probability of any
        # pair (held-out train or dev) that the combination puts over its threshold, rounded
        # down, and over the highest of any it puts under it, rounded up.
        over = [held_features[held_scores >= threshold]] + [
            np.log(dev_scores[n]["features"] / (1 - dev_scores[n]["features"]))[
                dev_scores[n]["logistic"] >= threshold
            ]
            for n in DEV
        ]
        lowest = float(sigmoid(np.concatenate(over).min()))
        skip_below = math.floor(lowest * 0.9 * 100) / 100
        under = [held_features[held_scores < threshold]] + [
            np.log(dev_scores[n]["features"] / (1 - dev_scores[n]["features"]))[
                dev_scores[n]["logistic"] < threshold
            ]
            for n in DEV
        ]
        highest = float(sigmoid(np.concatenate(under).max()))
        skip_above = min(1.0, math.ceil((1 - (1 - highest) * 0.9) * 100) / 100)
    print(f"the encoder reads feature probabilities in [{skip_below}, {skip_above})")
    encoded = {
        n: float(
            ((dev_scores[n]["features"] >= skip_below) & (dev_scores[n]["features"] < skip_above)).mean()
        )
        for n in DEV
    }
    print("share of dev candidates the encoder reads:", encoded)

    from safetensors.torch import save_file

    tensors = {name: value.detach().float().contiguous() for name, value in head.state_dict().items()}
    tensors = {name: value for name, value in tensors.items() if not name.startswith("frozen.")}
    # One metadata entry: safetensors writes several in no fixed order, and the file's SHA-256
    # should be the same on every run.
    save_file(tensors, str(ADAPTER_FILE), metadata={"recipe": f"seed {SEED}, rank {RANK}, frozen {FROZEN}"})
    digest = hashlib.sha256(ADAPTER_FILE.read_bytes()).hexdigest()
    figures = chosen[args.combine][1]
    data = json.loads(_SCORER_FILE.read_text("utf-8"))
    if args.combine == "veto":
        data["features_threshold"] = feature_threshold  # the one data["chosen_on"] is at
        data["threshold"] = VETO_THRESHOLD
    data["encoder"] = {
        "about": "written by bench/train_pair_encoder.py; combine 'veto': score = min(feature probability, "
        "sigmoid(encoder logit + logit(scorer threshold) - logit(threshold))), the encoder only lowers pairs "
        "the features accept (mix and bias unused); combine 'logistic': probability = sigmoid(mix[0] * "
        "feature logit + mix[1] * encoder logit + bias), the threshold on that probability",
        "file": ADAPTER_FILE.name,
        "sha256": digest,
        "trained_on": f"candidate pairs of {', '.join(TRAIN)} but documents divisible by {HOLDOUT} "
        f"({len(train_items)} pairs), after epoch {best[1] + 1} of a {args.epochs}-epoch schedule, "
        f"layers {FROZEN} to 5 adapted, seed {SEED}",
        "combine": args.combine,
        "mix": mix,
        "bias": mix_bias,
        "threshold": VETO if args.combine == "veto" else threshold,
        "skip_below": skip_below,
        "skip_above": skip_above,
        "pairs_per_unit": None if args.combine == "veto" else PAIRS_PER_UNIT,
        "chosen_on": ", ".join(f"{n}: P {p:.3f} R {r:.3f} F1 {f:.3f}" for n, (p, r, f) in figures.items()),
    }
    _SCORER_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    # A few held-out train pairs with the fit's own probabilities, for tests/test_pair_encoder.py.
    known = []
    accepted = sigmoid(combined_inputs[:, 0]) >= (VETO_THRESHOLD if args.combine == "veto" else threshold)
    turned_down = [k for k in range(len(held_items)) if accepted[k] and held_scores[k] < threshold]
    for label in (True, False):
        picks = [k for k in range(len(held_items)) if held_labels[k] == label][
            :: max(1, len(held_items) // 20)
        ][:4]
        if not label:  # and two pairs the features accept and the encoder turns down
            picks += turned_down[:2]
        for k in picks:
            name, index = held_items[k]
            known.append(
                {
                    "pair": list(sets[name]["texts"][index]),
                    "label": label,
                    "feature_logit": round(float(combined_inputs[k, 0]), 5),
                    "encoder_logit": round(float(combined_inputs[k, 1]), 5),
                    "probability": round(float(held_scores[k]), 4),
                    "over_threshold": bool(held_scores[k] >= threshold),
                }
            )
    (args.work / "known_pairs.json").write_text(json.dumps(known, indent=1), encoding="utf-8")
    print(f"wrote {args.work / 'known_pairs.json'}")
    print(f"wrote {ADAPTER_FILE} ({ADAPTER_FILE.stat().st_size} bytes, sha256 {digest})")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
