"""Cross-file scale: candidate search over 100,000 sentence vectors, time, memory, recall.

    python bench/scale.py [N]

Synthetic unit vectors in 384 dimensions shaped like sentence embeddings of a large
archive: N vectors around N/50 topics (unrelated sentences of a topic at cosine ~0.4),
with 1% of them planted as paraphrases of another (cosine ~0.9). Reports the wall time
and peak RSS of the search redline uses at that size (the FAISS IVF index above
INDEX_MIN_ROWS) and its recall of the planted pairs; at 20,000 vectors it also compares
with the exact all-pairs search.
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np

from redline.embedding import index
from redline.embedding.index import index_candidate_pairs
from redline.embedding.neighbours import candidate_pairs


def synthetic(n: int, dim: int = 384, seed: int = 1) -> tuple[np.ndarray, set[tuple[int, int]]]:
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((max(1, n // 50), dim)).astype(np.float32)
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    vectors = 0.65 * topics[rng.integers(0, len(topics), n)] + rng.standard_normal((n, dim)).astype(
        np.float32
    ) * (0.75 / np.sqrt(dim))
    planted = set()
    sources = rng.choice(n, n // 100, replace=False)
    targets = rng.choice(np.setdiff1d(np.arange(n), sources), n // 100, replace=False)
    for a, b in zip(sources.tolist(), targets.tolist(), strict=True):
        vectors[b] = vectors[a] + rng.standard_normal(dim).astype(np.float32) * (
            0.45 / np.sqrt(dim)
        ) * np.linalg.norm(vectors[a])
        planted.add((min(a, b), max(a, b)))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32), planted


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    vectors, planted = synthetic(n)
    cos = np.array([vectors[a] @ vectors[b] for a, b in list(planted)[:200]])
    print(f"{n} vectors, {len(planted)} planted pairs (cosine {cos.min():.2f}-{cos.max():.2f})")
    start = time.perf_counter()
    pairs = candidate_pairs(vectors, 10, 0.8)
    wall = time.perf_counter() - start
    found = {(i, j) for i, j, _ in pairs}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"candidate_pairs (index above {n >= 20_000}): {wall:.1f} s, peak RSS {rss:.0f} MB, "
        f"{len(pairs)} pairs, recall of planted {len(found & planted) / len(planted):.3f}"
    )
    if n <= 20_000:
        index.FLAT_MAX_ROWS = 0  # the IVF kind at this size too, to compare it with the exact search
        start = time.perf_counter()
        ivf = {(i, j) for i, j, _ in index_candidate_pairs(vectors, 10, 0.8)}
        print(
            f"IVF at {n}: {time.perf_counter() - start:.1f} s, recall vs exact {len(ivf & found) / max(1, len(found)):.3f}"
        )


if __name__ == "__main__":
    main()
