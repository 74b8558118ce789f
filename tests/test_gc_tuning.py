"""A lint run raises the cyclic garbage collector's threshold, and puts it back after."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from redline import engine
from redline.engine import Linter
from redline.gc_tuning import RUN_THRESHOLD, fewer_collections
from redline.settings import LintOptions


def test_the_threshold_is_raised_inside_and_restored_after() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (RUN_THRESHOLD, *before[1:])
    assert gc.get_threshold() == before


def test_a_higher_threshold_is_left_alone_and_restored_after_an_error() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(RUN_THRESHOLD * 2, *before[1:])
        with fewer_collections():
            assert gc.get_threshold()[0] == RUN_THRESHOLD * 2
        gc.set_threshold(*before)
        with pytest.raises(RuntimeError), fewer_collections():
            raise RuntimeError
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*before)


def test_lint_paths_lints_with_the_raised_threshold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = engine.lint_path

    def recording(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold()[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "lint_path", recording)
    (tmp_path / "a.md").write_text("We saw the the cat.\n", "utf-8")
    before = gc.get_threshold()
    result = Linter(LintOptions(use_cache=False)).lint_paths([str(tmp_path / "a.md")])
    assert seen == [RUN_THRESHOLD]
    assert [(f.code, f.message) for f in result.files[0].findings] == [
        ("RL106", "Doubled word: 'the' written twice")
    ]
    assert gc.get_threshold() == before


def test_a_jobs_run_unfreezes_what_it_froze_for_its_workers(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("We saw the the cat.\n", "utf-8")
    before = gc.get_threshold()
    result = Linter(LintOptions(use_cache=False, jobs=2)).lint_paths([str(tmp_path)])
    assert [[f.code for f in r.findings] for r in result.files] == [["RL106"], ["RL106"]]
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_a_jobs_run_leaves_objects_frozen_by_the_program_frozen(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("We saw the the cat.\n", "utf-8")
    gc.freeze()
    try:
        count = gc.get_freeze_count()
        Linter(LintOptions(use_cache=False, jobs=2)).lint_paths([str(tmp_path)])
        assert gc.get_freeze_count() > count // 2  # some frozen objects may be freed; none unfrozen
    finally:
        gc.unfreeze()
