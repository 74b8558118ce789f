"""An inverted-file (IVF) index for candidate pairs when there are too many sentences to compare all.

:func:`redline.embedding.neighbours.candidate_pairs` compares every vector with every
other: ``O(n^2 d)``, fine for a folder, minutes for an archive of 100,000 sentences. Above
:data:`INDEX_MIN_ROWS` vectors it hands over to :func:`ivf_candidate_pairs`:

1. spherical k-means (numpy only) on a sample puts ``sqrt(n)`` centroids on the sphere;
2. every vector joins the list of its nearest centroid;
3. every vector is compared only with the members of the ``probes`` lists whose
   centroids are nearest to it.

Work is about ``n * probes * sqrt(n) * d``: sub-quadratic. Memory is the vectors plus one
list-sized block of scores at a time. It is approximate: a pair whose two sentences fall
in lists that neither probes is missed. Near-duplicates (cosine 0.8 and up) share a
nearest centroid almost always, and ``probes`` trades time for recall (the bench reports
recall against the exact search). The output has the exact search's form and order.
"""

from __future__ import annotations

import math

import numpy as np

#: Above this many vectors the exact all-pairs search gives way to the index.
INDEX_MIN_ROWS = 20_000
PROBES = 8
_KMEANS_ITERATIONS = 8
_SAMPLE_PER_LIST = 64
_BLOCK = 4096


def _nearest_centroids(vectors: np.ndarray, centroids: np.ndarray, count: int) -> np.ndarray:
    """Indexes of the ``count`` nearest centroids of each vector, computed in row blocks."""
    out = np.empty((len(vectors), count), dtype=np.int32)
    for lo in range(0, len(vectors), _BLOCK):
        scores = vectors[lo : lo + _BLOCK] @ centroids.T
        if count == 1:
            out[lo : lo + _BLOCK, 0] = scores.argmax(axis=1)
        else:
            out[lo : lo + _BLOCK] = np.argpartition(-scores, count - 1, axis=1)[:, :count]
    return out


def spherical_kmeans(vectors: np.ndarray, lists: int, seed: int = 0) -> np.ndarray:
    """``lists`` unit centroids fitted on a sample of the (unit) rows of ``vectors``."""
    rng = np.random.default_rng(seed)
    sample_size = min(len(vectors), lists * _SAMPLE_PER_LIST)
    sample = vectors[rng.choice(len(vectors), sample_size, replace=False)]
    centroids = sample[rng.choice(sample_size, lists, replace=False)].copy()
    for _ in range(_KMEANS_ITERATIONS):
        assigned = _nearest_centroids(sample, centroids, 1)[:, 0]
        sums = np.zeros_like(centroids)
        np.add.at(sums, assigned, sample)
        empty = ~sums.any(axis=1)
        sums[empty] = sample[rng.choice(sample_size, int(empty.sum()))]  # reseed empty lists
        centroids = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    return centroids.astype(np.float32)


def ivf_candidate_pairs(
    vectors: np.ndarray, k: int, threshold: float, probes: int = PROBES
) -> list[tuple[int, int, float]]:
    """Like ``candidate_pairs``: ``(i, j, cosine)``, ``i < j``, each vector's best ``k`` over ``threshold``."""
    n = len(vectors)
    if n < 2 or k < 1:
        return []
    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    lists = max(1, round(math.sqrt(n)))
    probes = min(probes, lists)
    centroids = spherical_kmeans(matrix, lists)
    home = _nearest_centroids(matrix, centroids, 1)[:, 0]
    probed = _nearest_centroids(matrix, centroids, probes)
    members = [np.flatnonzero(home == c) for c in range(lists)]
    queries_of = [[] for _ in range(lists)]  # type: list[list[np.ndarray]]
    for column in range(probes):
        order = np.argsort(probed[:, column], kind="stable")
        bounds = np.searchsorted(probed[order, column], np.arange(lists + 1))
        for c in range(lists):
            if bounds[c + 1] > bounds[c]:
                queries_of[c].append(order[bounds[c] : bounds[c + 1]])
    best: dict[int, list[tuple[float, int]]] = {}
    for c in range(lists):
        if not queries_of[c] or not len(members[c]):
            continue
        queries = np.concatenate(queries_of[c])
        scores = matrix[queries] @ matrix[members[c]].T
        rows, columns = np.nonzero(scores >= threshold)
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            i, j = int(queries[row]), int(members[c][column])
            if i != j:
                best.setdefault(i, []).append((float(scores[row, column]), j))
    pairs: dict[tuple[int, int], float] = {}
    for i, found in best.items():
        for score, j in sorted(found, reverse=True)[:k]:
            pairs[(min(i, j), max(i, j))] = score
    return [(i, j, score) for (i, j), score in sorted(pairs.items())]
