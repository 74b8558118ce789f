"""The approximate nearest-neighbour index (FAISS) behind ``--cross-file`` and ``redline archive``.

One class, :class:`VectorIndex`, wraps a FAISS index over L2-normalised float32 rows with
int64 ids, scored by inner product (= cosine):

- up to :data:`FLAT_MAX_ROWS` rows it is ``IndexFlatIP`` (exact; nothing to train);
- above that, ``IndexIVFFlat`` with ``sqrt(n)`` lists trained by FAISS's k-means, searched
  with :data:`PROBES` probes. The vectors are stored unquantised, so a probed list is
  scored exactly: what is approximate is only which lists are probed.

Both kinds take ``add``/``remove`` by id, which is what makes ``archive build``
incremental; an IVF index trained on far fewer rows than it now holds is rebuilt
(:meth:`VectorIndex.stale`). Why FAISS and not usearch, with the measurements, is in
``docs/archive.md`` and ``bench/README.md``.

FAISS is optional (``pip install 'redline[archive]'``, also in ``redline[embeddings]``);
:func:`index_candidate_pairs` is what :func:`redline.embedding.neighbours.candidate_pairs`
calls above :data:`INDEX_MIN_ROWS` when FAISS is importable. Without it the exact search
runs instead: the same pairs, slower.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np

#: Above this many vectors ``--cross-file`` uses the index instead of the exact all-pairs search.
INDEX_MIN_ROWS = 20_000
#: Up to this many rows the index is exact (flat); above it, IVF.
FLAT_MAX_ROWS = 20_000
#: IVF lists probed per query (recall against exact search: bench/README.md).
PROBES = 8
#: An IVF index is retrained once it holds this many times the rows it was trained on.
RETRAIN_GROWTH = 4
INSTALL_HINT = "pip install 'redline[archive]'"
#: OpenMP threads for FAISS's k-means and search; None: the cores this process may use that
#: other processes are not using now (1-minute load average), at least one. FAISS's default
#: (every core) makes its threads spin-wait for each other when other processes hold the
#: cores: at 100,000 vectors the search took 157 s on the busy 2-core machine where it had
#: taken 43.5 s (bench/README.md, ``bench/faiss_threads.py``). Results do not depend on it.
SEARCH_THREADS: int | None = None


class IndexUnavailable(Exception):
    """FAISS is not installed."""


def faiss_module() -> Any:
    try:
        import faiss
    except ImportError:
        raise IndexUnavailable(f"the vector index needs FAISS ({INSTALL_HINT})") from None
    return faiss


def threads() -> int:
    """The OpenMP threads FAISS should use now (see :data:`SEARCH_THREADS`)."""
    if SEARCH_THREADS is not None:
        return max(1, SEARCH_THREADS)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0] - 1  # the load counts this process too
    except OSError:
        busy = 0.0
    return max(1, min(cores, cores - math.ceil(max(0.0, busy))))


def _use_threads(faiss: Any) -> None:
    faiss.omp_set_num_threads(threads())


def index_available() -> bool:
    try:
        faiss_module()
    except IndexUnavailable:
        return False
    return True


class VectorIndex:
    """Unit vectors by int64 id; ``search`` gives the nearest ids by inner product."""

    def __init__(self, index: Any, trained_rows: int) -> None:
        self._index = index
        self.trained_rows = trained_rows

    @classmethod
    def build(cls, vectors: np.ndarray, ids: np.ndarray, dim: int | None = None) -> VectorIndex:
        faiss = faiss_module()
        _use_threads(faiss)
        matrix = _rows(vectors)
        d = matrix.shape[1] if len(matrix) else int(dim or 0)
        if d <= 0:
            raise ValueError("cannot size an empty index without its dimension")
        n = len(matrix)
        if n <= FLAT_MAX_ROWS:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(d))
        else:
            lists = max(1, round(math.sqrt(n)))
            quantizer = faiss.IndexFlatIP(d)
            index = faiss.IndexIVFFlat(quantizer, d, lists, faiss.METRIC_INNER_PRODUCT)
            index.cp.seed = 1234  # k-means: the same rows give the same lists
            index.train(matrix)
            index.nprobe = min(PROBES, lists)
        built = cls(index, n)
        built.add(matrix, ids)
        return built

    @property
    def is_flat(self) -> bool:
        return self.trained_rows <= FLAT_MAX_ROWS

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def stale(self, rows: int) -> bool:
        """True when an index for ``rows`` rows should be built anew rather than updated."""
        if self.is_flat:
            return rows > FLAT_MAX_ROWS
        return rows > RETRAIN_GROWTH * self.trained_rows or rows <= FLAT_MAX_ROWS

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        if len(ids):
            self._index.add_with_ids(_rows(vectors), np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            self._index.remove_ids(np.ascontiguousarray(ids, dtype=np.int64))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """``(scores, ids)``, each ``(len(queries), k)``, best first; id -1 where fewer than k exist."""
        if len(queries) == 0 or self.size == 0 or k < 1:
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        _use_threads(faiss_module())
        scores, ids = self._index.search(_rows(queries), min(k, self.size))
        return scores, ids

    def save(self, path: Path) -> None:
        faiss_module().write_index(self._index, str(path))

    def to_bytes(self) -> bytes:
        return bytes(faiss_module().serialize_index(self._index))

    @classmethod
    def from_bytes(cls, data: bytes, trained_rows: int) -> VectorIndex:
        faiss = faiss_module()
        index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        if trained_rows > FLAT_MAX_ROWS:
            index.nprobe = min(PROBES, index.nlist)
        return cls(index, trained_rows)

    @classmethod
    def load(cls, path: Path, trained_rows: int) -> VectorIndex:
        index = faiss_module().read_index(str(path))
        if trained_rows > FLAT_MAX_ROWS:
            index.nprobe = min(PROBES, index.nlist)
        return cls(index, trained_rows)


def _rows(vectors: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(vectors, dtype=np.float32)


def index_candidate_pairs(vectors: np.ndarray, k: int, threshold: float) -> list[tuple[int, int, float]]:
    """Like ``candidate_pairs``: ``(i, j, cosine)``, ``i < j``, each vector's best ``k`` over ``threshold``."""
    n = len(vectors)
    if n < 2 or k < 1:
        return []
    index = VectorIndex.build(vectors, np.arange(n, dtype=np.int64))
    scores, ids = index.search(vectors, k + 1)
    pairs: dict[tuple[int, int], float] = {}
    for i in range(n):
        kept = 0
        for score, j in zip(scores[i].tolist(), ids[i].tolist(), strict=True):
            if j < 0 or j == i:
                continue
            if kept == k or score < threshold:
                break
            kept += 1
            pairs[(min(i, j), max(i, j))] = float(score)
    return [(i, j, score) for (i, j), score in sorted(pairs.items())]
