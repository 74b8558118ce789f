"""Candidate pairs of similar vectors from a top-k neighbour search.

The search is a chunked matrix product with ``argpartition``: memory stays at
``chunk x n`` floats, time is ``O(n^2 d)`` in BLAS, which is fast enough for a document
or a folder of them. A larger set would swap in an approximate index behind the same
function: above :data:`redline.embedding.index.INDEX_MIN_ROWS` vectors, when FAISS is
installed, :func:`redline.embedding.index.index_candidate_pairs` (the index that
``redline archive`` uses too) takes over.
"""

from __future__ import annotations

import numpy as np

CHUNK_ROWS = 1024


def candidate_pairs(vectors: np.ndarray, k: int, threshold: float) -> list[tuple[int, int, float]]:
    """``(i, j, cosine)`` with ``i < j`` for each of the ``k`` nearest neighbours at or over ``threshold``.

    ``vectors`` must be L2-normalised rows. A pair found from both ends is listed once;
    the list is sorted by ``(i, j)``.
    """
    n = len(vectors)
    if n < 2 or k < 1:
        return []
    from redline.embedding import index

    if n > index.INDEX_MIN_ROWS and index.index_available():  # an archive, not a folder: the ANN index
        return index.index_candidate_pairs(vectors, k, threshold)
    k = min(k, n - 1)
    matrix = np.asarray(vectors, dtype=np.float32)
    pairs: dict[tuple[int, int], float] = {}
    for lo in range(0, n, CHUNK_ROWS):
        rows = matrix[lo : lo + CHUNK_ROWS]
        scores = rows @ matrix.T
        own = np.arange(lo, lo + len(rows))
        scores[np.arange(len(rows)), own] = -np.inf
        nearest = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        best = np.take_along_axis(scores, nearest, axis=1)
        for row, column in zip(*np.nonzero(best >= threshold), strict=True):
            i, j = int(own[row]), int(nearest[row, column])
            pairs[(min(i, j), max(i, j))] = float(best[row, column])
    return [(i, j, score) for (i, j), score in sorted(pairs.items())]
