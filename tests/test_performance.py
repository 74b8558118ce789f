"""The per-file result cache and ``--jobs``: same findings, less work.

A cache hit must skip parsing and analysis entirely (``parse`` is made to fail to prove
it); any change to the text, the rule options, the version or redline's own code is a
miss; ``--no-cache`` neither reads nor writes. ``--jobs 2`` must print exactly what a
serial run prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import redline
import redline.engine
import redline.result_cache
from redline.cli import app, with_default_command
from redline.config import Config, RuleSettings
from redline.engine import Linter, LintOptions, RunResult
from redline.fastimport import import_spacy
from redline.selection import CommandLineSettings

DIRTY = "# Notes\n\nRead the the manual before you start.\n"
FIXED = "# Notes\n\nRead the manual before you start.\n"
DOUBLED = "1:6: RL106 Doubled word: 'the' written twice"


def lint(path: Path, cache_dir: Path | None, config: Config | None = None, jobs: int = 1) -> RunResult:
    options = LintOptions(
        command_line=CommandLineSettings(select=["RL1", "RL3"]),
        cache_dir=cache_dir,
        use_cache=cache_dir is not None,
        jobs=jobs,
    )
    linter = Linter(options)
    linter._forced_config = config or Config(root=path.parent)
    return linter.lint_paths([str(path)])


def described(result: RunResult) -> list[str]:
    out = []
    for file_result in result.files:
        for finding in file_result.findings:
            line, column = file_result.document.lines.position(finding.start)
            out.append(f"{line - 2}:{column}: {finding.code} {finding.message}")
    return out


def entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "results").rglob("*.pickle"))


def test_second_run_is_a_hit_that_skips_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    first = lint(doc, tmp_path / "cache")
    assert described(first) == [DOUBLED]
    assert len(entries(tmp_path / "cache")) == 1
    monkeypatch.setattr(redline.engine, "parse", None)  # any parse would now raise TypeError
    second = lint(doc, tmp_path / "cache")
    assert described(second) == [DOUBLED]
    assert second.files[0].metrics == first.files[0].metrics
    assert second.files[0].document.prose == first.files[0].document.prose


def test_changed_text_is_a_miss(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    lint(doc, tmp_path / "cache")
    doc.write_text(FIXED, encoding="utf-8")
    assert described(lint(doc, tmp_path / "cache")) == []
    assert len(entries(tmp_path / "cache")) == 2


def test_changed_rule_options_are_a_miss(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    words = " ".join(f"word{i}" for i in range(50))
    doc.write_text(f"# Notes\n\n{words} end.\n", encoding="utf-8")
    config = Config(root=tmp_path)
    assert [d.split(" ")[1] for d in described(lint(doc, tmp_path / "cache", config))] == ["RL301"]
    config.rules["RL301"] = RuleSettings(options={"max-words": 100})
    assert described(lint(doc, tmp_path / "cache", config)) == []
    assert len(entries(tmp_path / "cache")) == 2


def test_new_version_or_edited_code_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    lint(doc, tmp_path / "cache")
    monkeypatch.setattr(redline, "__version__", "999.0.0")
    assert described(lint(doc, tmp_path / "cache")) == [DOUBLED]
    assert len(entries(tmp_path / "cache")) == 2
    monkeypatch.setattr(redline.result_cache, "code_fingerprint", lambda: "edited")
    lint(doc, tmp_path / "cache")
    assert len(entries(tmp_path / "cache")) == 3


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    cache_dir = tmp_path / "cache"
    code, _ = run_cli("--no-cache", "--cache-dir", str(cache_dir), "--select", "RL106", str(doc))
    assert code == 1
    assert not cache_dir.exists()
    run_cli("--cache-dir", str(cache_dir), "--select", "RL106", str(doc))
    assert len(entries(cache_dir)) == 1
    calls: list[str] = []
    real_parse = redline.engine.parse

    def counting(path: str, text: str, **kwargs: object) -> object:
        calls.append(path)
        return real_parse(path, text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(redline.engine, "parse", counting)
    run_cli("--no-cache", "--cache-dir", str(cache_dir), "--select", "RL106", str(doc))
    assert calls == [str(doc)]


def test_unreadable_entry_is_a_miss(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    lint(doc, tmp_path / "cache")
    (entry,) = entries(tmp_path / "cache")
    entry.write_bytes(b"not a pickle")
    assert described(lint(doc, tmp_path / "cache")) == [DOUBLED]


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, with_default_command(list(args)))
    return result.exit_code, result.stdout


def test_jobs_print_what_a_serial_run_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redline.toml").write_text('select = ["RL1", "RL3"]\n', encoding="utf-8")
    for i in range(6):
        body = DIRTY if i % 2 else FIXED
        (tmp_path / f"doc{i}.md").write_text(body * (i + 1) + "\nIt is is here.\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe\x00broken")
    serial = run_cli("--no-cache", "--format", "json", ".")
    parallel = run_cli("--no-cache", "--format", "json", "--jobs", "2", ".")
    assert serial[0] == parallel[0] == 2  # the unreadable file is an error in both
    assert parallel[1] == serial[1]
    assert '"code": "RL106"' in serial[1]


def test_jobs_zero_means_one_per_cpu() -> None:
    from redline.parallel import worker_count

    assert worker_count(0, 1000) >= 1
    assert worker_count(8, 3) == 3
    assert worker_count(2, 40) == 2


@pytest.mark.slow
def test_spacy_is_imported_without_torch() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from redline.fastimport import import_spacy; import_spacy(); "
        "print('torch' in sys.modules); import torch; print(torch.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "torch"]
    assert import_spacy().blank("en")("It works.")[0].text == "It"
