"""RL103's n-gram counting over integer ids (ngram_counts.py) against plain tuple counting."""

from __future__ import annotations

import random

import pytest

from redline.rules.redundancy import ngram_counts
from redline.rules.redundancy.ngram_counts import Positions, frequent_ngrams


@pytest.fixture(params=["numpy", "python"], autouse=True)
def counting(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs on both counters: numpy (long documents) and dicts (short ones)."""
    monkeypatch.setattr(ngram_counts, "use_numpy", lambda tokens: request.param == "numpy")
    return str(request.param)


def _positions(groups_of_runs: list[list[list[str]]], covered: frozenset[int] = frozenset()) -> Positions:
    words: list[str] = []
    groups: list[int] = []
    runs: list[int] = []
    content: list[bool] = []
    may_start: list[bool] = []
    ends: list[int] = []
    cover: list[int] = []
    run_id = 0
    for group, runs_ in enumerate(groups_of_runs):
        for run in runs_:
            for word in run:
                index = len(words)
                words.append(word.lower())
                groups.append(group)
                runs.append(run_id)
                content.append(word not in {"the", "of", "a"} and not word[:1].isupper())
                may_start.append(not word.startswith("'"))
                ends.append(index * 10 + 5)
                cover.append(index * 10 + 100 if index in covered else -1)
            run_id += 1
    return Positions(words, groups, runs, content, may_start, ends, cover)


def _naive(positions: Positions, low: int, high: int, more_than: list[int]) -> list[tuple[int, list[int]]]:
    uses: dict[tuple[int, tuple[str, ...]], list[int]] = {}
    n = len(positions.words)
    for length in range(low, high + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            if positions.runs[i] != positions.runs[j] or not any(positions.content[i : j + 1]):
                continue
            if not positions.may_start[i] or positions.cover[i] >= positions.ends[j]:
                continue
            key = (positions.groups[i], tuple(positions.words[i : j + 1]))
            uses.setdefault(key, []).append(i)
    found = [
        (len(key[1]), spots)
        for key, spots in uses.items()
        if len(spots) > more_than[positions.groups[spots[0]]]
    ]
    return sorted(found)


def test_exact_uses() -> None:
    run = ["trade", "between", "the", "two", "countries", "grew"]
    positions = _positions([[run, run, run, ["between", "the", "two", "countries"]]])
    found = sorted(frequent_ngrams(positions, 3, 8, [3]))
    # "between the two", "the two countries", "between the two countries": 4 uses each
    assert found == [(3, [1, 7, 13, 18]), (3, [2, 8, 14, 19]), (4, [1, 7, 13, 18])]


def test_groups_runs_cover_and_starts_are_respected() -> None:
    run = ["the", "red", "fox", "ran"]
    positions = _positions([[run, run], [run, run]], covered=frozenset({4}))
    # group 0: "the red fox" at token 4 is covered (reach 140 >= its end 65), so it is
    # used once; "red fox ran" at 5 is not. Group 1 counts apart from group 0.
    assert sorted(frequent_ngrams(positions, 3, 3, [1, 1])) == [(3, [1, 5]), (3, [8, 12]), (3, [9, 13])]
    assert frequent_ngrams(positions, 3, 3, [2, 2]) == []
    assert frequent_ngrams(positions, 5, 9, [0, 0]) == []  # no run has five words
    assert frequent_ngrams(positions, 3, 10**9, [1, 1]) != []  # max_words bounded by the runs


def test_same_as_tuple_counting_on_random_runs() -> None:
    rng = random.Random(103)
    vocabulary = ["the", "of", "a", "red", "fox", "ran", "Fox", "'s", "far", "away"]
    for _ in range(200):
        groups = [
            [[rng.choice(vocabulary) for _ in range(rng.randint(1, 9))] for _ in range(rng.randint(1, 6))]
            for _ in range(rng.randint(1, 3))
        ]
        total = sum(len(r) for g in groups for r in g)
        covered = frozenset(i for i in range(total) if rng.random() < 0.1)
        positions = _positions(groups, covered)
        low, high = rng.randint(1, 4), rng.randint(1, 6)
        more_than = [rng.randint(0, 2) for _ in groups]
        got = sorted(frequent_ngrams(positions, low, high, more_than))
        assert got == _naive(positions, low, high, more_than)


def test_long_documents_or_an_imported_numpy_choose_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real choice, not the fixture's
    import sys

    long = ngram_counts.NUMPY_FROM_TOKENS
    assert ngram_counts.use_numpy(long)
    monkeypatch.delitem(sys.modules, "numpy")
    assert not ngram_counts.use_numpy(long - 1)
    assert ngram_counts.use_numpy(long)
    monkeypatch.setitem(sys.modules, "numpy", object())
    assert ngram_counts.use_numpy(1)
