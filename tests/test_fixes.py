"""Fixes: safe by default, unsafe on request, atomic writes, idempotent, bytes kept."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from redline.cli import app, with_default_command
from redline.engine import Linter, LintOptions
from redline.findings import Applicability, Edit, Finding, Fix
from redline.fixes import FixError, apply_edits, encode, fix_run, fix_source, select_edits, write_atomic
from redline.selection import CommandLineSettings
from redline.source import Source

SELECT = ["RL105", "RL401", "RL402", "RL106"]
TEXT = "We met in order to plan.\r\nEvery visitor gets a free gift, an added bonus.\r\nThe the end.\r\n"
FIXED = "We met to plan.\r\nEvery visitor gets a gift, an added bonus.\r\nThe end.\r\n"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, with_default_command(list(args)), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def _finding(start: int, end: int, replacement: str, unsafe: bool = False) -> Finding:
    applicability = Applicability.UNSAFE if unsafe else Applicability.SAFE
    return Finding("X1", "x.y", "m", start, end, fix=Fix((Edit(start, end, replacement),), applicability))


def test_overlapping_edits_first_wins_then_the_rest_wait() -> None:
    findings = [
        _finding(4, 10, "a"),
        _finding(0, 5, "b"),
        _finding(12, 14, "c", unsafe=True),
        _finding(20, 22, ""),
    ]
    edits, count = select_edits(findings)
    assert (edits, count) == ([Edit(0, 5, "b"), Edit(20, 22, "")], 2)
    edits, count = select_edits(findings, unsafe=True)
    assert count == 3 and Edit(12, 14, "c") in edits
    assert (
        apply_edits("0123456789abcdefghijklmn", [Edit(0, 5, "b"), Edit(20, 22, "")]) == "b56789abcdefghijmn"
    )


def test_encode_keeps_boms() -> None:
    text = "a\r\nb"
    assert encode(text, "utf-8-sig", codecs.BOM_UTF8 + b"a") == codecs.BOM_UTF8 + b"a\r\nb"
    assert encode(text, "utf-16", codecs.BOM_UTF16_BE) == codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    assert encode(text, "utf-16", codecs.BOM_UTF16_LE) == codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    assert encode(text, "utf-8", b"") == b"a\r\nb"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redline.toml").write_text(f"select = {SELECT!r}\n".replace("'", '"'), encoding="utf-8")
    return tmp_path


def test_fix_applies_safe_fixes_keeps_crlf_bom_and_permissions(tree: Path) -> None:
    target = tree / "a.txt"
    target.write_bytes(codecs.BOM_UTF8 + TEXT.encode())
    target.chmod(0o640)
    code, out, err = run("--fix", "a.txt")
    assert target.read_bytes() == codecs.BOM_UTF8 + FIXED.encode()
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    lines = out.splitlines()
    assert lines[:2] == [
        "a.txt:2:31: RL105 Pleonasm: 'added bonus' says no more than 'bonus'",
        "Found 1 finding (1 warning) in 1 of 1 file.",
    ]
    assert lines[-1] == "Fixed 3 findings. 1 more with --unsafe-fixes."  # "an added bonus"
    assert (code, err) == (1, "")
    assert sorted(p.name for p in tree.iterdir()) == ["a.txt", "redline.toml"]  # no temporary file left
    # A second run changes nothing.
    code, out, _ = run("--fix", "a.txt")
    assert target.read_bytes() == codecs.BOM_UTF8 + FIXED.encode()
    assert out.splitlines()[-1] == "Fixed 0 findings. 1 more with --unsafe-fixes."


def test_unsafe_fixes_opt_in(tree: Path) -> None:
    target = tree / "a.md"
    target.write_text("Editors utilize it and the the end.\n", encoding="utf-8")
    _, out, _ = run("--fix", "a.md")
    assert target.read_text("utf-8") == "Editors utilize it and the end.\n"
    assert out.splitlines()[-1] == "Fixed 1 finding. 1 more with --unsafe-fixes."
    code, out, _ = run("--fix", "--unsafe-fixes", "a.md")
    assert target.read_text("utf-8") == "Editors use it and the end.\n"
    assert (code, out.splitlines()[-1]) == (0, "Fixed 1 finding.")


def test_diff_prints_and_writes_nothing(tree: Path) -> None:
    target = tree / "a.txt"
    target.write_text("We met in order to plan.\n", encoding="utf-8")
    code, out, err = run("--diff", "a.txt")
    assert target.read_text("utf-8") == "We met in order to plan.\n"
    assert out == "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-We met in order to plan.\n+We met to plan.\n"
    assert (code, err) == (1, "Would fix 1 finding.\n")
    target.write_text("We met to plan.\n", encoding="utf-8")
    assert run("--diff", "a.txt") == (0, "", "Would fix 0 findings.\n")


def test_overlapping_fixes_take_several_passes(tree: Path) -> None:
    target = tree / "a.md"
    # "in close proximity" is not in the lists; "the the the" needs two passes of RL106.
    target.write_text("Read the the the manual in order to learn.\n", encoding="utf-8")
    run("--fix", "a.md")
    assert target.read_text("utf-8") == "Read the manual to learn.\n"


def test_stdin_fix_prints_the_fixed_text() -> None:
    code, out, _ = run("--fix", "--select", "RL401", "-", stdin="We met in order to plan.\n")
    assert (code, out) == (0, "We met to plan.\n")


def test_a_file_changed_since_it_was_read_is_not_written(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("We met in order to plan.\n", encoding="utf-8")
    before, data = target.stat(), target.read_bytes()
    target.write_text("Someone else edited this.\n", encoding="utf-8")
    with pytest.raises(FixError, match="changed while being fixed"):
        write_atomic(str(target), data, before, b"We met to plan.\n")
    assert target.read_text("utf-8") == "Someone else edited this.\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temporary file left


def test_fix_run_reports_a_file_changed_after_linting(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("We met in order to plan.\n", encoding="utf-8")
    linter = Linter(LintOptions(command_line=CommandLineSettings(select=["RL401"])))
    run_result = linter.lint_paths([str(target)])
    target.write_text("We met in order to plan, again.\n", encoding="utf-8")
    report = fix_run(linter, run_result)
    assert report.files == []
    assert [str(e) for e in run_result.errors] == [f"{target}: changed since it was read; not fixed"]
    assert target.read_text("utf-8") == "We met in order to plan, again.\n"


def test_fix_through_the_real_entry_point(tree: Path) -> None:
    target = tree / "a.md"
    target.write_text("A free gift.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "redline", "--fix", "a.md"], capture_output=True, text=True, check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "Fixed 1 finding.")
    assert target.read_text("utf-8") == "A gift.\n"


PIECES = [
    "in order to",
    "free gift",
    "the the",
    "an added bonus",
    "e-mail",
    "email",
    "plan",
    "\r\n",
    "\n\n",
    ". ",
    " ",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_fixing_is_idempotent_and_keeps_the_text_outside_the_edits(pieces: list[str]) -> None:
    text = "Start " + " ".join(pieces) + " end.\n"
    linter = Linter(LintOptions(command_line=CommandLineSettings(select=SELECT)))
    first = linter.lint_source(Source("doc.md", text, "utf-8")).files[0]
    fixed, left = fix_source(linter, first)
    again, _ = fix_source(linter, left)
    assert again.fixed == fixed.fixed and again.applied == 0
    # These safe fixes only delete words: what is left is the original, in order, CRLF included.
    kept = iter(text)
    assert all(ch in kept for ch in fixed.fixed)
