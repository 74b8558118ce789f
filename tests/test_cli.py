"""The command line through its real entry point: exit codes, stdin, JSON contract, listing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline import __version__
from redline.cli import app, with_default_command

DIRTY = "# Notes\n\nRead the the manual before you start.\n"
CLEAN = "# Notes\n\nRead the manual before you start.\n"


def run(*args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, with_default_command(list(args)), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redline.toml").write_text('select = ["RL101", "RL106", "RL301"]\n', encoding="utf-8")
    (tmp_path / "dirty.md").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_dirty_file_exit_1_with_flake8_style_line(tree: Path) -> None:
    code, out, err = run("dirty.md")
    assert (code, err) == (1, "")
    # Eight words: too short for a readability line (see test_cli_conventions).
    assert out.splitlines() == [
        "dirty.md:3:6: RL106 Doubled word: 'the' written twice",
        "Found 1 finding (1 warning) in 1 of 1 file.",
    ]


def test_clean_file_exit_0(tree: Path) -> None:
    code, out, err = run("clean.md")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "No findings in 1 file."


def test_folder_is_walked_by_extension(tree: Path) -> None:
    (tree / "notes.py").write_text("the the\n", encoding="utf-8")
    (tree / "sub").mkdir()
    (tree / "sub" / "more.txt").write_text("Plain the the text.\n", encoding="utf-8")
    (tree / "node_modules").mkdir()
    (tree / "node_modules" / "x.md").write_text(DIRTY, encoding="utf-8")
    code, out, _ = run(".")
    assert code == 1
    assert out.splitlines()[:3] == [
        "dirty.md:3:6: RL106 Doubled word: 'the' written twice",
        "sub/more.txt:1:7: RL106 Doubled word: 'the' written twice",
        "Found 2 findings (2 warnings) in 2 of 3 files.",
    ]


def test_missing_file_exit_2_and_others_still_linted(tree: Path) -> None:
    code, out, err = run("nope.md", "dirty.md")
    assert code == 2
    assert err == "redline: error: nope.md: no such file or directory\n"
    assert out.splitlines()[0] == "dirty.md:3:6: RL106 Doubled word: 'the' written twice"


def test_invalid_utf8_is_an_error_naming_the_file(tree: Path) -> None:
    (tree / "bad.md").write_bytes(b"Hello \xff world\n")
    code, _, err = run("bad.md", "clean.md")
    assert code == 2
    assert (
        err
        == "redline: error: bad.md: not valid UTF-8: byte 0xff at offset 6 (line 1); redline reads UTF-8 text\n"
    )


def test_utf8_bom_accepted_and_columns_exclude_it(tree: Path) -> None:
    (tree / "bom.md").write_bytes(b"\xef\xbb\xbfRead the the manual.\n")
    assert run("bom.md")[1].splitlines()[0] == "bom.md:1:6: RL106 Doubled word: 'the' written twice"


def test_stdin_with_filename(tree: Path) -> None:
    code, out, _ = run("-", "--stdin-filename", "story.md", stdin=DIRTY)
    assert code == 1
    assert out.splitlines()[0] == "story.md:3:6: RL106 Doubled word: 'the' written twice"


def test_config_error_exit_2_names_file_and_line(tree: Path) -> None:
    (tree / "redline.toml").write_text('select = ["RL1"]\nbogus = 1\n', encoding="utf-8")
    code, _, err = run("clean.md")
    assert code == 2
    assert err == f"redline: error: {tree / 'redline.toml'}:2: unknown key 'bogus'\n"


def test_fail_on_error_makes_warnings_pass(tree: Path) -> None:
    assert run("dirty.md", "--fail-on", "error")[0] == 0


def test_select_and_ignore_on_command_line(tree: Path) -> None:
    assert run("dirty.md", "--ignore", "RL106")[0] == 0
    assert run("dirty.md", "--select", "RL301,RL101")[0] == 0


def test_json_contract(tree: Path) -> None:
    (tree / "twice.md").write_text(
        "The plan was approved by the board.\n\nThe plan was approved by the board the the end.\n"
        "The plan was approved by the board.\n",
        encoding="utf-8",
    )
    code, out, _ = run("twice.md", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["version"] == __version__
    assert data["errors"] == []
    (file_entry,) = data["files"]
    assert file_entry["path"] == "twice.md"
    assert set(file_entry["metrics"]) >= {"words", "sentences", "paragraphs"}
    doubled, repeat = file_entry["findings"]
    assert doubled == {
        "code": "RL106",
        "rule": "redundancy.doubled-word",
        "severity": "warning",
        "message": "Doubled word: 'the' written twice",
        "start": {"line": 3, "column": 36, "offset": 72},
        "end": {"line": 3, "column": 43, "offset": 79},
        "related": [],
        "fix": {
            "applicability": "safe",
            "edits": [
                {
                    "start": {"line": 3, "column": 39, "offset": 75},
                    "end": {"line": 3, "column": 43, "offset": 79},
                    "text": "",
                }
            ],
        },
    }
    assert repeat["code"] == "RL101"
    assert repeat["start"] == {"line": 4, "column": 1, "offset": 85}
    assert repeat["related"] == [
        {
            "path": "twice.md",
            "start": {"line": 1, "column": 1, "offset": 0},
            "end": {"line": 1, "column": 36, "offset": 35},
            "message": "earlier occurrence",
        }
    ]
    assert repeat["fix"] is None


def test_json_errors_listed(tree: Path) -> None:
    code, out, _ = run("missing.md", "--format", "json")
    assert code == 2
    assert json.loads(out)["errors"] == [{"path": "missing.md", "message": "no such file or directory"}]


def test_rules_lists_every_rule() -> None:
    code, out, _ = run("rules")
    assert code == 0
    lines = out.splitlines()
    assert any(line.split()[:3] == ["RL101", "redundancy.repeated-sentence", "on"] for line in lines)
    assert any(line.startswith("RL106 ") and line.endswith("Word written twice in a row") for line in lines)


def test_explain_prints_documentation() -> None:
    code, out, _ = run("explain", "RL106")
    assert code == 0
    assert out.startswith(
        "RL106 redundancy.doubled-word (default: on, severity warning)\n\nWord written twice in a row."
    )
    assert "Bad::" in out


def test_explain_unknown_code() -> None:
    assert run("explain", "RL999")[0] == 2


def test_version() -> None:
    assert run("--version") == (0, f"redline {__version__}\n", "")


def test_usage_error_exit_2() -> None:
    assert run("--format", "yaml", "x.md")[0] == 2


def test_real_entry_point_on_the_sample() -> None:
    """The installed console script, as a user runs it, on the bundled sample article."""
    sample = Path(__file__).parents[1] / "examples" / "seed-article.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "redline", str(sample), "--select", "RL106,RL301", "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"{sample}:6:1: RL106 Doubled word: '류근웅' written twice"
    assert any(line.startswith("Found ") for line in lines)
