"""Which ANN library for the archive index: usearch or FAISS, measured on recall and time.

    python bench/ann_choice.py [N] [THREADS] [NAME-PREFIX...]   # default 50,000 vectors, 2 threads, all

Makes N unit vectors of dimension 384 in clusters (N / 50 centres; each vector is its
centre plus noise, so neighbourhoods are crowded the way sentence embeddings of one
topic are), with 1% of them given a planted paraphrase (the vector plus a little noise:
cosine about 0.86). For 1,000 sampled queries the exact top-10 (a matrix product) is the
reference; each index is built over all N vectors, every vector is searched for its
top 11 (itself and 10 neighbours, as the pair search does), and the script prints the
build time, the query time for all N, recall@10 on the sample, and the share of planted
pairs found from at least one end.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable

import numpy as np

DIM = 384
K = 10


def clustered(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(1, n // 50), DIM)).astype(np.float32)
    base = n - n // 100
    vectors = centres[rng.integers(0, len(centres), base)] + 0.9 * rng.standard_normal((base, DIM)).astype(
        np.float32
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    planted_of = rng.choice(base, n - base, replace=False)
    twins = vectors[planted_of] + 0.03 * rng.standard_normal((n - base, DIM)).astype(np.float32)
    twins /= np.linalg.norm(twins, axis=1, keepdims=True)
    pairs = np.stack([planted_of, np.arange(base, n)], axis=1)
    return np.ascontiguousarray(np.vstack([vectors, twins]), dtype=np.float32), pairs


def exact_topk(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    scores = vectors[queries] @ vectors.T
    scores[np.arange(len(queries)), queries] = -np.inf
    top = np.argpartition(-scores, K - 1, axis=1)[:, :K]
    return top


def recall(found: np.ndarray, queries: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(found[q].tolist()) & set(truth[i].tolist())) for i, q in enumerate(queries))
    return hits / truth.size


def planted_found(found: np.ndarray, pairs: np.ndarray) -> float:
    return float(np.mean([b in found[a] or a in found[b] for a, b in pairs.tolist()]))


def run_usearch(vectors: np.ndarray, threads: int, dtype: str) -> tuple[float, float, np.ndarray]:
    from usearch.index import Index

    start = time.perf_counter()
    index = Index(ndim=DIM, metric="ip", dtype=dtype, connectivity=16, expansion_add=128, expansion_search=64)
    index.add(np.arange(len(vectors)), vectors, threads=threads)
    built = time.perf_counter() - start
    start = time.perf_counter()
    result = index.search(vectors, K + 1, threads=threads)
    searched = time.perf_counter() - start
    return built, searched, np.asarray(result.keys)


def run_faiss_hnsw(vectors: np.ndarray, threads: int) -> tuple[float, float, np.ndarray]:
    import faiss

    faiss.omp_set_num_threads(threads)
    start = time.perf_counter()
    index = faiss.IndexHNSWFlat(DIM, 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 128
    index.add(vectors)
    built = time.perf_counter() - start
    index.hnsw.efSearch = 64
    start = time.perf_counter()
    _, keys = index.search(vectors, K + 1)
    return built, time.perf_counter() - start, keys


def run_faiss_ivf(vectors: np.ndarray, threads: int, probes: int) -> tuple[float, float, np.ndarray]:
    import faiss

    faiss.omp_set_num_threads(threads)
    start = time.perf_counter()
    lists = round(math.sqrt(len(vectors)))
    quantizer = faiss.IndexFlatIP(DIM)
    index = faiss.IndexIVFFlat(quantizer, DIM, lists, faiss.METRIC_INNER_PRODUCT)
    index.train(vectors)
    index.add(vectors)
    built = time.perf_counter() - start
    index.nprobe = probes
    start = time.perf_counter()
    _, keys = index.search(vectors, K + 1)
    return built, time.perf_counter() - start, keys


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    vectors, pairs = clustered(n)
    queries = np.random.default_rng(1).choice(n, 1000, replace=False)
    truth = exact_topk(vectors, queries)
    candidates: dict[str, Callable[[], tuple[float, float, np.ndarray]]] = {
        "usearch HNSW f32 (M=16, ef 128/64)": lambda: run_usearch(vectors, threads, "f32"),
        "usearch HNSW f16 (M=16, ef 128/64)": lambda: run_usearch(vectors, threads, "f16"),
        "faiss HNSWFlat (M=32, ef 128/64)": lambda: run_faiss_hnsw(vectors, threads),
        "faiss IVFFlat (sqrt(n) lists, 8 probes)": lambda: run_faiss_ivf(vectors, threads, 8),
        "faiss IVFFlat (sqrt(n) lists, 16 probes)": lambda: run_faiss_ivf(vectors, threads, 16),
    }
    only = sys.argv[3:]  # name prefixes: run only these
    candidates = {name: run for name, run in candidates.items() if not only or name.startswith(tuple(only))}
    print(f"n={n} dim={DIM} k={K} threads={threads} planted pairs={len(pairs)}")
    for name, run in candidates.items():
        built, searched, keys = run()
        found = np.where(keys == np.arange(n)[:, None], -1, keys)  # drop each vector itself
        print(
            f"{name:42s} build {built:6.1f} s  query-all {searched:6.1f} s  "
            f"recall@{K} {recall(found, queries, truth):.4f}  planted {planted_found(found, pairs):.4f}"
        )


if __name__ == "__main__":
    main()
