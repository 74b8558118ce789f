"""Embedding backends side by side: throughput and cosine agreement with sentence-transformers.

    python bench/embed_backends.py SENTENCES.json WORKDIR

Each backend runs in a fresh process: import + load, then ``encode`` of every sentence
(no cache). Agreement is the cosine between a backend's vector and plain
sentence-transformers' vector for the same sentence (min and mean over all sentences).
The ONNX files are exported before timing (once per machine; see onnx_backend).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
BACKENDS = ["torch", "onnx", "onnx-int8"]


def one(name: str, sentences_file: Path, out: Path) -> None:
    sentences = json.loads(sentences_file.read_text())
    start = time.perf_counter()
    from redline.embedding import BACKENDS as FACTORIES
    from redline.embedding.model_source import DEFAULT_MODEL, resolve_model

    module_name, factory_name = FACTORIES[name].split(":")
    import importlib

    backend = getattr(importlib.import_module(module_name), factory_name)(resolve_model(DEFAULT_MODEL))
    loaded = time.perf_counter()
    cpu = time.process_time()
    vectors = np.asarray(backend.encode(sentences), dtype=np.float32)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    np.save(out, vectors)
    print(json.dumps({"load": loaded - start, "encode": done - loaded, "cpu": cpu, "n": len(sentences)}))


def main() -> None:
    if sys.argv[1] == "--one":
        one(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    sentences_file, work = Path(sys.argv[1]), Path(sys.argv[2])
    from redline.embedding import BACKENDS as FACTORIES

    names = [n for n in BACKENDS if n in FACTORIES]
    if "onnx-int8" in names:  # export and quantise once, outside the timing
        subprocess.run(
            [sys.executable, __file__, "--one", "onnx-int8", str(sentences_file), str(work / "warm.npy")],
            check=True,
            capture_output=True,
        )
    rows = {}
    for name in names:
        out = work / f"{name}.npy"
        text = subprocess.run(
            [sys.executable, __file__, "--one", name, str(sentences_file), str(out)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows[name] = json.loads(text.strip().splitlines()[-1])
    reference = np.load(work / "torch.npy")
    n = rows["torch"]["n"]
    print(f"\nEmbedding backends on {n} sentences (encode only, no cache; load = import + model load):\n")
    print(
        "| backend | import+load (s) | encode wall (s) | encode CPU (s) | sentences/s | vs torch (wall, CPU) |"
        " cosine min | cosine mean |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in rows.items():
        cosines = (np.load(work / f"{name}.npy") * reference).sum(axis=1)
        speed = n / row["encode"]
        ratio = f"{rows['torch']['encode'] / row['encode']:.2f}x, {rows['torch']['cpu'] / row['cpu']:.2f}x"
        print(
            f"| {name} | {row['load']:.2f} | {row['encode']:.2f} | {row['cpu']:.2f} | {speed:,.0f} | {ratio} | "
            f"{cosines.min():.4f} | {cosines.mean():.4f} |"
        )


if __name__ == "__main__":
    main()
