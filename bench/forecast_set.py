"""Score RL102's stacked forecasts on the blind forecast set (``bench/forecast_set.jsonl``).

The set: 80 pairs of neighbouring sentences written and labelled by a helper that had not
seen the code (label 1: the second sentence forecasts the first's effect again; label 0: a
hard negative). Each pair is linted as a file of its own with ``--select RL102``; a pair is
flagged when RL102 reports its second sentence. Raw cosine of the two sentences is printed
next to it. Usage: ``python bench/forecast_set.py [--cosine 0.6 0.7]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SET = Path(__file__).with_name("forecast_set.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cosine", type=float, nargs="*", default=[0.6, 0.7])
    args = parser.parse_args()
    items = [json.loads(line) for line in SET.read_text("utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for item in items:
            path = Path(folder) / f"item-{item['id']:03d}.txt"
            path.write_text(f"{item['s1'].strip()} {item['s2'].strip()}\n", "utf-8")
            paths.append(str(path))
        out = Path(folder) / "out.json"
        command = [sys.executable, "-m", "redline", "--no-cache", "--select", "RL102", "--format", "json"]
        subprocess.run([*command, *paths, "-o", str(out)], check=False)
        report = json.loads(out.read_text("utf-8"))
        by_id = {item["id"]: item for item in items}
        flagged = set()
        for result in report if isinstance(report, list) else report["files"]:
            number = int(Path(result["path"]).stem.split("-")[1])
            second_starts = len(by_id[number]["s1"].strip()) + 1
            if any(finding["start"]["offset"] >= second_starts for finding in result["findings"]):
                flagged.add(number)
    positives = {item["id"] for item in items if item["label"] == 1}
    _line("RL102", flagged, positives)
    for item in items:
        if item["id"] in flagged:
            print(f"  {item['id']:3d} label {item['label']}: {item['s2'][:90]}")
    if args.cosine:
        from redline.embedding import Embedder
        from redline.embedding.model_source import resolve_model

        embedder = Embedder(resolve_model("all-MiniLM-L6-v2"), "auto", None)
        first = embedder.encode([item["s1"] for item in items])
        second = embedder.encode([item["s2"] for item in items])
        cosines = (first * second).sum(axis=1)
        for threshold in args.cosine:
            fired = {item["id"] for item, cosine in zip(items, cosines, strict=True) if cosine >= threshold}
            _line(f"cosine {threshold:.2f}", fired, positives)


def _line(name: str, flagged: set[int], positives: set[int]) -> None:
    right = len(flagged & positives)
    print(
        f"{name}: flags {len(flagged)}, right {right} "
        f"(P {right / max(1, len(flagged)):.2f}, R {right / max(1, len(positives)):.3f} of {len(positives)})"
    )


if __name__ == "__main__":
    main()
