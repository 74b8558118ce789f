"""Fewer garbage collections during a lint run.

A run allocates millions of small objects (tokens, sentences, findings) and keeps most of
them to the end, and nearly none of them form reference cycles. With the default
threshold (a young collection every 700 net allocations), the cyclic collector ran
thousands of times on the docs corpus and each older collection walked every live
object: a quarter of a style-only run's CPU time (bench/README.md, 2026-12-02). mypy
raises the threshold for the same reason. Cycles are still collected, only less often.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Net allocations of container objects between two young collections (default 700).
RUN_THRESHOLD = 100_000


@contextmanager
def fewer_collections(threshold: int = RUN_THRESHOLD) -> Iterator[None]:
    """Raise the young generation's threshold for the ``with`` block, then restore it."""
    old = gc.get_threshold()
    if old[0] >= threshold:
        yield
        return
    gc.set_threshold(threshold, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
