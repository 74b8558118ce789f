"""N-gram counting over integer ids, in numpy, for RL103 (repeated phrases).

Counting phrases of 3 to 8 words as tuples of strings built a tuple per position and
length, and the rule then judged every use of every phrase; only the phrases used more
often than the budget matter. Here each (group, word) pair gets an integer id; the
phrases of n words get ids from the pairs (id of the first n-1 words, id of the last
word), one ``numpy.unique`` per length over the whole document (a short document is
counted the same way with dicts: importing numpy would cost more). Only the phrases counted
more than their group's threshold come back, with their positions, for the rule to judge.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Below this many tokens the counting runs in plain Python (the same ids and the same
#: result): importing numpy costs more than a short document's counting. Once numpy is
#: imported (by a long document earlier in the run), every document is counted with it.
NUMPY_FROM_TOKENS = 5000


@dataclass(frozen=True)
class Positions:
    """Where the tokens of a document's word runs sit, and what the counting may use.

    ``words`` are the keys compared (lower-cased words); ``groups`` the counting group of
    each token (phrases in different groups are different phrases); ``runs`` the run of
    each token (a phrase never spans two runs); ``content`` whether the token counts as a
    content word (a phrase needs one); ``may_start`` whether a phrase may start at it;
    ``ends`` the token's end offset and ``cover`` the furthest end of an excluded span
    (a hedge) starting at or before the token, or -1: a phrase from token i to token j
    is not counted when ``cover[i] >= ends[j]``.
    """

    words: Sequence[str]
    groups: Sequence[int]
    runs: Sequence[int]
    content: Sequence[bool]
    may_start: Sequence[bool]
    ends: Sequence[int]
    cover: Sequence[int]


def frequent_ngrams(
    positions: Positions, min_words: int, max_words: int, more_than: Sequence[int]
) -> list[tuple[int, list[int]]]:
    """Each phrase of ``min_words`` to ``max_words`` words counted more than
    ``more_than[group]`` times: (its length, the token index of each counted use, in order).

    A use is counted when its words are in one run and one group, one of them is content,
    a phrase may start at its first token and no excluded span covers it.
    """
    n = len(positions.words)
    if n == 0 or max_words < min_words:
        return []
    if use_numpy(n):
        return _frequent_in_numpy(positions, min_words, max_words, more_than)
    return _frequent_in_python(positions, min_words, max_words, more_than)


def use_numpy(tokens: int) -> bool:
    """Whether a document of ``tokens`` tokens is counted with numpy: a long one, or any
    once numpy is imported (then it is the faster of the two)."""
    return tokens >= NUMPY_FROM_TOKENS or "numpy" in sys.modules


def _frequent_in_numpy(
    positions: Positions, min_words: int, max_words: int, more_than: Sequence[int]
) -> list[tuple[int, list[int]]]:
    import numpy as np

    n = len(positions.words)
    found: list[tuple[int, list[int]]] = []
    ids: dict[tuple[int, str], int] = {}
    word_ids = np.fromiter(
        (ids.setdefault(key, len(ids)) for key in zip(positions.groups, positions.words, strict=True)),
        dtype=np.int64,
        count=n,
    )
    vocabulary = len(ids) + 1
    groups = np.asarray(positions.groups, dtype=np.int64)
    runs = np.asarray(positions.runs, dtype=np.int64)
    content = np.concatenate(([0], np.cumsum(np.asarray(positions.content, dtype=np.int64))))
    may_start = np.asarray(positions.may_start, dtype=bool)
    ends = np.asarray(positions.ends, dtype=np.int64)
    cover = np.asarray(positions.cover, dtype=np.int64)
    thresholds = np.asarray(more_than, dtype=np.int64)[groups]
    # the longest run bounds the lengths: max_words may be huge
    run_lengths = np.bincount(runs)
    longest = int(run_lengths.max())
    gram_ids = word_ids
    for length in range(1, min(max_words, longest) + 1):
        count = n - length + 1
        if length > 1:
            pairs = gram_ids[:count] * vocabulary + word_ids[length - 1 :]
            _, gram_ids = np.unique(pairs, return_inverse=True)
            gram_ids = gram_ids.reshape(-1).astype(np.int64)
        if length < min_words:
            continue
        last = np.arange(length - 1, n)
        counted = (
            (runs[:count] == runs[last])
            & (content[length:] - content[:count] > 0)
            & may_start[:count]
            & (cover[:count] < ends[last])
        )
        where = np.flatnonzero(counted)
        if not where.size:
            continue
        grams = gram_ids[where]
        uses = np.bincount(grams)
        frequent = where[uses[grams] > thresholds[where]]
        if not frequent.size:
            continue
        order = np.argsort(gram_ids[frequent], kind="stable")
        frequent = frequent[order]
        split = np.flatnonzero(np.diff(gram_ids[frequent])) + 1
        for part in np.split(frequent, split):
            found.append((length, part.tolist()))
    return found


def _frequent_in_python(
    positions: Positions, min_words: int, max_words: int, more_than: Sequence[int]
) -> list[tuple[int, list[int]]]:
    """:func:`frequent_ngrams` with dicts of integer pairs instead of numpy arrays."""
    n = len(positions.words)
    ids: dict[tuple[int, str], int] = {}
    word_ids = [ids.setdefault(key, len(ids)) for key in zip(positions.groups, positions.words, strict=True)]
    runs, groups, ends, cover, may_start = (
        positions.runs,
        positions.groups,
        positions.ends,
        positions.cover,
        positions.may_start,
    )
    content = [0]
    for flag in positions.content:
        content.append(content[-1] + bool(flag))
    longest = max(_run_lengths(runs))
    found: list[tuple[int, list[int]]] = []
    gram_ids: list[int] = word_ids
    for length in range(1, min(max_words, longest) + 1):
        count = n - length + 1
        if length > 1:
            pairs: dict[tuple[int, int], int] = {}
            gram_ids = [
                pairs.setdefault((gram_ids[i], word_ids[i + length - 1]), len(pairs)) for i in range(count)
            ]
        if length < min_words:
            continue
        uses: dict[int, list[int]] = {}
        for i in range(count):
            last = i + length - 1
            if (
                runs[i] == runs[last]
                and content[i + length] > content[i]
                and may_start[i]
                and cover[i] < ends[last]
            ):
                uses.setdefault(gram_ids[i], []).append(i)
        for gram in sorted(uses):
            spots = uses[gram]
            if len(spots) > more_than[groups[spots[0]]]:
                found.append((length, spots))
    return found


def _run_lengths(runs: Sequence[int]) -> Any:
    lengths: dict[int, int] = {}
    for run in runs:
        lengths[run] = lengths.get(run, 0) + 1
    return lengths.values()
