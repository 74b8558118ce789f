"""A warm ``--cross-file`` run: unchanged files come from the result cache with their
sentence spans, and scored pairs from the embedding cache, so RL101 and RL102 find the
same things without spaCy and without scoring a pair again (issue 17)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import redline.archive.rl102  # noqa: F401  (registers the hashed stand-in embedder)
from redline import analysis
from redline.document import Document
from redline.embedding.cache import VectorCache, pair_key
from redline.engine import Linter, LintOptions
from redline.result_cache import ResultCache
from redline.rules.redundancy import claim_search
from redline.selection import CommandLineSettings

CONFIG = '[rules.near-duplicate]\nbackend = "hashed"\n'
A = (
    "# Release notes\n"
    "\n"
    "The release team publishes the nightly builds to the public mirror every evening.\n"
    "\n"
    "Visitors must sign the register at the front desk before entering the laboratory.\n"
)
B = (
    "# Mirror\n"
    "\n"
    "Every evening the release team publishes nightly builds to the public mirror.\n"
    "\n"
    "Visitors must sign the register at the front desk before entering the laboratory.\n"
)

Found = list[tuple[str, str, int, int, str, list[tuple[int, str | None]]]]


def lint(root: Path) -> Found:
    options = LintOptions(
        command_line=CommandLineSettings(select=["RL101", "RL102"]),
        config_path=root / "redline.toml",
        cross_file=True,
        use_cache=True,
        cache_dir=root / "cache",
    )
    result = Linter(options).lint_paths([str(root / "a.md"), str(root / "b.md")])
    assert not result.errors and not result.notices
    return [
        (
            f.code,
            Path(r.path).name,
            *r.document.lines.position(f.start),
            f.message,
            [(x.start, x.path and Path(x.path).name) for x in f.related],
        )
        for r in result.files
        for f in r.findings
    ]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "redline.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "a.md").write_text(A, encoding="utf-8")
    (tmp_path / "b.md").write_text(B, encoding="utf-8")
    return tmp_path


def test_a_warm_cross_file_run_finds_the_same_without_analysing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = lint(root)
    a = str(root / "a.md")
    assert cold == [
        (
            "RL102",
            "b.md",
            3,
            1,
            'Restates "The release team publishes the nightly builds to the public mirror every…"; '
            "keep the earlier sentence: it came first",
            [(17, "a.md")],
        ),
        ("RL101", "b.md", 5, 1, f"Sentence copies {a}:5 word for word", [(100, "a.md")]),
    ]

    def no_spacy(document: Document) -> None:
        raise AssertionError(f"analysed {document.path} again")

    def no_scoring(*args: object) -> None:
        raise AssertionError("scored a pair again")

    monkeypatch.setattr(analysis, "analyze", no_spacy)
    monkeypatch.setattr(claim_search, "raw_pair_features", no_scoring)  # scores from the cache
    assert lint(root) == cold


def test_cached_pair_scores_are_checked_and_kept_apart_by_scorer(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "embeddings.sqlite3", print)
    good, bad, nan, other = (pair_key("a", str(i)) for i in range(4))
    cache.put_scores("model|scorer", {good: 0.91, bad: 5.0, nan: math.nan})
    cache.put_scores("model|another scorer", {other: 0.5})
    assert cache.get_scores("model|scorer", [good, bad, nan, other]) == {good: 0.91}
    assert pair_key("ab", "c") != pair_key("a", "bc")


def test_the_entries_of_a_cross_file_run_keep_the_sentence_spans(root: Path) -> None:
    lint(root)
    entries = sorted((root / "cache" / "results").rglob("*.json"))
    assert len(entries) == 2
    data = [json.loads(p.read_text("utf-8")) for p in entries]
    spans = {entry["prose"].split()[0]: entry["spans"] for entry in data}
    assert spans == {  # [start, end, block, words]: the heading, then the two body sentences
        "Release": [[2, 15, 0, 2], [17, 98, 1, 13], [100, 181, 2, 13]],
        "Mirror": [[2, 8, 0, 1], [10, 87, 1, 12], [89, 170, 2, 13]],
    }
    assert all(ResultCache(root / "cache").get(p.stem) is not None for p in entries)


def test_an_edited_file_is_analysed_again(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lint(root)
    (root / "b.md").write_text(B.replace("Every evening", "Each evening"), encoding="utf-8")
    analysed: list[str] = []
    real = analysis.analyze

    def spy(document: Document) -> analysis.Analysis:
        analysed.append(Path(document.path).name)
        return real(document)

    monkeypatch.setattr(analysis, "analyze", spy)
    assert [(code, name, line) for code, name, line, *_ in lint(root)] == [
        ("RL102", "b.md", 3),
        ("RL101", "b.md", 5),
    ]
    assert analysed == ["b.md"]


def test_the_pair_scorer_reads_spacy_stop_words_without_importing_spacy() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from redline.rules.redundancy.claims import _stop_words\n"
        "from redline.rules.redundancy import claim_structure\n"
        "words = _stop_words()\n"
        "assert claim_structure._stop_words() == words\n"
        "print('spacy' in sys.modules, len(words), 'whereby' in words, 'laboratory' in words)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    from spacy.lang.en.stop_words import STOP_WORDS

    assert done.stdout.split() == ["False", str(len(STOP_WORDS)), "True", "False"]
