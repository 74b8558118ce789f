"""Escape sequences from a document, a file name or a pack never reach a terminal raw.

Issue 18, item 4: "set title" (``ESC ] 0 ; ... BEL``), "clear screen" (``ESC [ 2 J``) and
friends in a document reached the ``text`` and ``github`` outputs and the terminal
excerpts unescaped. They are shown as ``\\x1b``-style escapes, and the excerpt's
underline stays under the span they are part of.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app, with_default_command
from redline.config import Config
from redline.engine import Linter, LintOptions, RunResult
from redline.output import OutputOptions
from redline.output.escape import visible
from redline.output.github import render as render_github
from redline.output.rich_text import render as render_colour
from redline.output.text import render as render_text
from redline.selection import CommandLineSettings

PACK = """[pack]
name = "house"

[[rule]]
code = "HS1"
name = "house.zap"
kind = "existence"
word-boundaries = false
message = "Zap: '{match}'"
patterns = ['zap\\S*']
"""
TITLE, CLEAR, BEL = "\x1b]0;pwned\x07", "\x1b[2J", "\x07"
TEXT = f"Tab\there {TITLE}x zap{CLEAR}zap{BEL} and\rmore.\n"
# Rich's own styling is SGR (ESC [ ... m) only; anything else came from the document.
SGR = re.compile(r"\x1b\[[0-9;]*m")


def lint(tmp_path: Path, name: str = "doc.md") -> RunResult:
    (tmp_path / "house.toml").write_text(PACK, encoding="utf-8")
    (tmp_path / name).write_text(TEXT, encoding="utf-8")
    config = Config(root=tmp_path, rule_packs=[tmp_path / "house.toml"])
    options = LintOptions(command_line=CommandLineSettings(select=["HS1"]), use_cache=False, config=config)
    return Linter(options).lint_paths([str(tmp_path / name)])


def no_raw_controls(output: str) -> None:
    leftover = SGR.sub("", output).replace("\n", "").replace("\t", "")
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", leftover), repr(output)


def test_visible() -> None:
    assert visible(f"a{TITLE}b{CLEAR}\r\n\t\x7f\x9b\u202e.") == (
        "a\\x1b]0;pwned\\x07b\\x1b[2J\\x0d\\x0a\t\\x7f\\x9b\\u202e."
    )
    assert visible("plain ü 😀 text") == "plain ü 😀 text"


def test_text_output_and_its_excerpt(tmp_path: Path) -> None:
    run = lint(tmp_path)
    out = render_text(run, OutputOptions(show_source=True))
    no_raw_controls(out)
    path = tmp_path / "doc.md"
    assert out.splitlines()[:3] == [
        f"{path}:1:22: HS1 Zap: 'zap\\x1b[2Jzap\\x07'",
        "  1 | Tab here \\x1b]0;pwned\\x07x zap\\x1b[2Jzap\\x07 and",  # a lone CR ends a line
        "    |                            ^^^^^^^^^^^^^^^^^",
    ]
    source, marks = out.splitlines()[1:3]
    start = marks.index("^")
    assert source[start : start + marks.count("^")] == "zap\\x1b[2Jzap\\x07"


def test_terminal_excerpt_underline_stays_aligned(tmp_path: Path) -> None:
    out = render_colour(lint(tmp_path), OutputOptions(color=True, show_source=True))
    no_raw_controls(out)
    source, marks = SGR.sub("", out).splitlines()[1:3]
    start = marks.index("^")
    assert source[start : start + marks.count("^")] == "zap\\x1b[2Jzap\\x07"


def test_github_output(tmp_path: Path) -> None:
    out = render_github(lint(tmp_path), OutputOptions())
    no_raw_controls(out)
    assert out == (
        f"::warning file={tmp_path}/doc.md,line=1,col=22,endLine=1,endColumn=33,title=HS1 house.zap"
        "::Zap: 'zap\\x1b[2Jzap\\x07'\n"
    )


def test_a_file_name_with_an_escape_sequence(tmp_path: Path) -> None:
    name = f"doc{CLEAR}.md"
    out = render_text(lint(tmp_path, name), OutputOptions())
    no_raw_controls(out)
    assert out.splitlines()[0] == f"{tmp_path}/doc\\x1b[2J.md:1:22: HS1 Zap: 'zap\\x1b[2Jzap\\x07'"


def run_cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(app, with_default_command(list(args)))
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout, result.stderr


def test_errors_on_stderr_name_the_file_visibly(tmp_path: Path) -> None:
    (tmp_path / f"bin{TITLE}.md").write_bytes(b"a\x00b")
    code, _, err = run_cli(tmp_path, "--no-cache", f"bin{TITLE}.md")
    assert code == 2
    assert err.splitlines() == [
        "redline: error: bin\\x1b]0;pwned\\x07.md: binary file (NUL byte at offset 1); not linted"
    ]


def test_pack_errors_and_explain_are_visible(tmp_path: Path) -> None:
    (tmp_path / "redline.toml").write_text('rule-packs = ["house.toml"]\n', encoding="utf-8")
    (tmp_path / "house.toml").write_text(
        PACK.replace(
            'message = "Zap',
            'summary = "Zaps\\u001b[2J"\ndocs = "Do not\\u001b]0;x\\u0007 zap."\nmessage = "Zap',
        ),
        encoding="utf-8",
    )
    code, out, err = run_cli(tmp_path, "explain", "HS1", "--config", "redline.toml")
    assert code == 0, err
    no_raw_controls(out)
    assert out.splitlines()[2:4] == ["Zaps\\x1b[2J.", ""]
    assert "Do not\\x1b]0;x\\x07 zap." in out
    code, out, _ = run_cli(tmp_path, "rules", "--config", "redline.toml")
    no_raw_controls(out)
    (listed,) = [line for line in out.splitlines() if line.startswith("HS1")]
    assert listed.split() == ["HS1", "house.zap", "on", "Zaps\\x1b[2J"]
    (tmp_path / "house.toml").write_text(
        PACK + "bad\\u001bkey = 1\n".replace("\\u001b", "\x1b"), encoding="utf-8"
    )
    code, _, err = run_cli(tmp_path, "--no-cache", "redline.toml")
    assert code == 2
    no_raw_controls(err)


@pytest.mark.parametrize("text", ["\x1b[31mred\x1b[0m", "\x9b2J", "\u202eevil"])
def test_visible_leaves_no_control_character(text: str) -> None:
    assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e]", visible(text))
