"""FAISS threads and probes for the ``--cross-file`` search: time and recall at N vectors.

    python bench/faiss_threads.py [N] [THREADS,...] [PROBES,...]   # default 100000 1,2 8

The synthetic set of ``scale.py`` (N vectors around N/50 topics, 1% planted paraphrases),
searched as ``candidate_pairs`` does above 20,000 vectors (IVF-Flat, sqrt(N) lists, 10
neighbours over cosine 0.8), once per (threads, probes): wall and CPU seconds of the
index build and search, and the recall of the planted pairs. OpenMP threads that wait
for each other on a machine whose cores are taken by other processes spin instead of
working, so the CPU seconds can be far above the wall seconds times one core.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import synthetic

from redline.embedding import index


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    threads = [int(t) for t in (sys.argv[2] if len(sys.argv) > 2 else "1,2").split(",")]
    probes = [int(p) for p in (sys.argv[3] if len(sys.argv) > 3 else "8").split(",")]
    vectors, planted = synthetic(n)
    print(f"{n} vectors, {len(planted)} planted pairs, load average {os.getloadavg()[0]:.1f}")
    for count in threads:
        for probe in probes:
            index.SEARCH_THREADS = count
            index.PROBES = probe
            wall, cpu = time.perf_counter(), time.process_time()
            found = {(i, j) for i, j, _ in index.index_candidate_pairs(vectors, 10, 0.8)}
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(
                f"threads {count}, probes {probe}: {wall:.1f} s wall, {cpu:.1f} s CPU, "
                f"recall of planted {len(found & planted) / len(planted):.4f}, "
                f"load average {os.getloadavg()[0]:.1f}"
            )


if __name__ == "__main__":
    main()
