"""RL103's n-gram counting over integer ids (ngram_counts.py) against plain tuple counting."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from redline.rules.redundancy.ngram_counts import Positions, frequent_ngrams


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
    found = frequent_ngrams(positions, 3, 8, [3])
    # "between the two", "the two countries", "between the two countries": 4 uses each,
    # shorter phrases first, then in the order of their first use
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


def test_same_as_tuple_counting_on_long_repeated_runs() -> None:
    """Templates repeated with a word changed here and there: phrases of many lengths are
    frequent, so the counting extends far before it runs out of places."""
    rng = random.Random(1031)
    vocabulary = ["the", "of", "a", "red", "fox", "ran", "far", "away", "Fox", "'s"]
    for _ in range(60):
        template = [rng.choice(vocabulary) for _ in range(rng.randint(4, 14))]
        groups = []
        for _ in range(rng.randint(1, 3)):
            runs = []
            for _ in range(rng.randint(2, 9)):
                run = [word if rng.random() < 0.9 else rng.choice(vocabulary) for word in template]
                runs.append(run[rng.randint(0, 2) :])
            groups.append(runs)
        total = sum(len(r) for g in groups for r in g)
        covered = frozenset(i for i in range(total) if rng.random() < 0.05)
        positions = _positions(groups, covered)
        low, high = rng.randint(1, 5), rng.randint(3, 16)
        more_than = [rng.randint(0, 4) for _ in groups]
        got = sorted(frequent_ngrams(positions, low, high, more_than))
        assert got == _naive(positions, low, high, more_than)


def test_counting_a_document_does_not_import_numpy() -> None:
    """numpy's import cost more than the counting it was used for."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from redline.markup import parse\n"
        "from redline.rules.base import RuleContext\n"
        "from redline.rules.redundancy.repeated_phrase import RepeatedPhrase, RepeatedPhraseOptions\n"
        "from redline.services import Services\n"
        "path = Path('examples/seed-article.txt')\n"
        "document = parse(str(path), path.read_text('utf-8') * 8)\n"
        "context = RuleContext(options=RepeatedPhraseOptions(), services=Services())\n"
        "found = list(RepeatedPhrase().check(document, context))\n"
        "assert found, 'eight copies of the article repeat phrases'\n"
        "assert 'numpy' not in sys.modules\n"
    )
    root = Path(__file__).parents[1]
    subprocess.run([sys.executable, "-c", script], cwd=root, check=True, timeout=120)


def test_runs_grouped_by_section_as_searched() -> None:
    """RL103's grouping of word runs by section (one pass over the section starts) is the
    grouping by ``document.section_of`` of each run's first word, on the docs corpus (each
    file, and its runs out of order) and on made-up section starts."""
    from helpers import shared_corpus
    from redline.markup import parse
    from redline.rules.redundancy.phrases import word_runs
    from redline.rules.redundancy.repeated_phrase import _by_section, _by_section_searched

    checked = 0
    for path in sorted(shared_corpus("docs").glob("*.rst"))[:12]:
        document = parse(str(path), path.read_text("utf-8"))
        runs = list(word_runs(document))
        for sections in (document.sections, [], [0], [runs[0][0].start], [r[0].start for r in runs[::3]]):
            expected = _by_section_searched(runs, sections)
            assert _by_section(runs, sections) == expected
            checked += len(expected) > 1
            assert [run for group in expected for run in group] == runs
        shuffled = runs[:]
        random.Random(7).shuffle(shuffled)
        assert _by_section(shuffled, document.sections) == _by_section_searched(shuffled, document.sections)
    assert checked > 10
