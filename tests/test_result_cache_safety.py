"""The result cache holds data, never code: a hostile cache folder cannot run anything.

A repository's config may point ``cache-dir`` at a folder it ships, so every entry is
untrusted. Entries are JSON checked against a schema; whatever does not parse or check
(a pickle, garbage, another schema, offsets past the text, a device) is a miss.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from redline import result_cache
from redline.config import Config
from redline.engine import Linter, LintOptions, RunResult
from redline.result_cache import ResultCache
from redline.selection import CommandLineSettings
from reliability_helpers import within

DIRTY = "# Notes\n\nRead the the manual before you start.\n"
DOUBLED = [("RL106", 14, 21, "Doubled word: 'the' written twice")]


def lint(path: Path, cache_dir: Path) -> RunResult:
    options = LintOptions(
        command_line=CommandLineSettings(select=["RL106"]),
        cache_dir=cache_dir,
        use_cache=True,
        config=Config(root=path.parent),
    )
    return Linter(options).lint_paths([str(path)])


def found(result: RunResult) -> list[tuple[str, int, int, str]]:
    return [(f.code, f.start, f.end, f.message) for r in result.files for f in r.findings]


def entry_files(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / "results").rglob("*") if p.is_file())


class Payload:
    """Unpickling this runs ``touch MARKER`` (as the crafted entry in the report did)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def cached(tmp_path: Path) -> tuple[Path, Path, Path]:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    cache_dir = tmp_path / "cache"
    assert found(lint(doc, cache_dir)) == DOUBLED
    (entry,) = entry_files(cache_dir)
    return doc, cache_dir, entry


def test_a_crafted_pickle_entry_does_not_run_code(cached: tuple[Path, Path, Path], tmp_path: Path) -> None:
    doc, cache_dir, entry = cached
    marker = tmp_path / "pwned"
    payload = pickle.dumps(Payload(marker))
    entry.write_bytes(payload)  # in place of the real entry
    entry.with_suffix(".pickle").write_bytes(payload)  # and where the pickle cache kept it
    assert found(lint(doc, cache_dir)) == DOUBLED
    assert not marker.exists()


def test_the_entry_is_json_with_a_schema_version(cached: tuple[Path, Path, Path]) -> None:
    _, _, entry = cached
    assert entry.suffix == ".json"
    data = json.loads(entry.read_text("utf-8"))
    assert data["schema"] == result_cache.SCHEMA == 4
    assert data["key"] == entry.stem
    assert data["findings"][0]["code"] == "RL106"


def _rewrite(entry: Path, change: object) -> None:
    data = json.loads(entry.read_text("utf-8"))
    change(data)  # type: ignore[operator]
    entry.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(schema=1),
        lambda d: d.update(key="0" * 64),
        lambda d: d.pop("prose"),
        lambda d: d.update(extra=1),
        lambda d: d["findings"][0].update(start=-1),
        lambda d: d["findings"][0].update(end=10**9),
        lambda d: d["findings"][0].update(start="15"),
        lambda d: d["findings"][0].update(severity="fatal"),
        lambda d: d["findings"][0].update(fix={"applicability": "safe", "edits": [[0, 99999, "x"]]}),
        lambda d: d.update(prose=d["prose"] + " "),
        lambda d: d.update(blocks=[["chapter", 0, 5]]),
        lambda d: d.update(syntax="html"),
        lambda d: d.update(metrics=[]),
        lambda d: d.update(spans=[[0, 10**9, 0, 1]]),
        lambda d: d.update(spans=[[0, 5, 99, 1]]),
        lambda d: d.update(spans=[[0, 5, 0, -1]]),
        lambda d: d.update(spans=[[0, 5, 0]]),
    ],
    ids=[
        "old-schema", "other-key", "missing-key", "extra-key", "negative-offset", "offset-past-text",
        "string-offset", "bad-severity", "edit-past-text", "prose-length", "bad-block-kind", "bad-syntax",
        "metrics-not-object", "span-past-text", "span-block-out-of-range", "span-negative-words",
        "span-short",
    ],
)  # fmt: skip
def test_an_entry_that_does_not_validate_is_a_miss(cached: tuple[Path, Path, Path], change: object) -> None:
    doc, cache_dir, entry = cached
    _rewrite(entry, change)
    cache = ResultCache(cache_dir)
    assert cache.get(entry.stem, len(DIRTY)) is None
    assert found(lint(doc, cache_dir)) == DOUBLED  # linted afresh, and the entry rewritten
    assert cache.get(entry.stem, len(DIRTY)) is not None


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not json", b"\xff\xfe", b"[1, 2]", b'{"schema": 3}', b"[" * 100_000],
    ids=["empty", "text", "not-utf8", "list", "partial", "deep-nesting"],
)
def test_garbage_is_a_miss(cached: tuple[Path, Path, Path], garbage: bytes) -> None:
    doc, cache_dir, entry = cached
    entry.write_bytes(garbage)
    assert ResultCache(cache_dir).get(entry.stem, len(DIRTY)) is None
    assert found(lint(doc, cache_dir)) == DOUBLED


@pytest.mark.parametrize("device", ["/dev/zero", "fifo"])
def test_an_entry_that_is_a_device_or_fifo_is_a_miss_without_hanging(
    cached: tuple[Path, Path, Path], device: str
) -> None:
    doc, cache_dir, entry = cached
    entry.unlink()
    if device == "fifo":
        os.mkfifo(entry)
    else:
        entry.symlink_to(device)
    assert within(30, lambda: ResultCache(cache_dir).get(entry.stem, len(DIRTY))) is None
    assert found(within(30, lambda: lint(doc, cache_dir))) == DOUBLED


def test_a_hit_keeps_sections(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("# One\n\nText here.\n\n# Two\n\nMore text.\n", encoding="utf-8")
    first = lint(doc, tmp_path / "cache").files[0].document
    second = lint(doc, tmp_path / "cache").files[0].document
    assert first.sections == second.sections == [0, 19]


def test_prune_deletes_only_our_files(tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "results" / "ab"
    folder.mkdir(parents=True)
    ours = [folder / f"{'ab' * 32}.json", folder / f".{'ab' * 32}.k2j3h4.tmp"]
    theirs = [folder / "notes.txt", folder / "ab.json", folder / f"{'ab' * 32}.pickle"]
    for path in ours + theirs:
        path.write_text("x")
        os.utime(path, (0, 0))
    assert ResultCache(tmp_path / "cache").prune() == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in theirs)
