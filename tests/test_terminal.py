"""Terminal output: colour and source excerpts on a tty, plain when piped or NO_COLOR is
set, and a progress bar on stderr for runs with many files.

Rendering is checked in-process (the colour formatter is a pure function); the CLI's
choices are checked end to end under a real pseudo-terminal.
"""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from output_sample import assert_snapshot, sample_run
from redline.engine import Linter, LintOptions
from redline.output import OutputOptions
from redline.output.progress import progress_bar
from redline.output.rich_text import render
from redline.output.text import render as render_plain

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plain(text: str) -> str:
    return ANSI.sub("", text)


def test_colour_snapshot() -> None:
    assert_snapshot(
        "sample.text-colour.ansi", render(sample_run(), OutputOptions(color=True, show_source=True))
    )


def test_colour_output_reads_like_the_plain_one() -> None:
    run, options = sample_run(), OutputOptions(show_source=True, statistics=True)
    coloured = plain(render(run, OutputOptions(color=True, show_source=True, statistics=True)))
    plain_text = render_plain(run, options)
    # One line differs: the marks sit one cell further right, the cake emoji is two cells wide.
    emoji_marks = "    |                   ^^^^^^^\n"
    assert emoji_marks in plain_text
    assert coloured == plain_text.replace(emoji_marks, "    |                    ^^^^^^^\n")


def test_span_is_underlined_in_its_severity_colour() -> None:
    lines = render(sample_run(), OutputOptions(color=True, show_source=True)).splitlines()
    assert (
        lines[0]
        == "\x1b[1mdocs/guide.md\x1b[0m:3:19: \x1b[1;33mRL106\x1b[0m Doubled word: 'the' written twice"
    )
    assert lines[1] == "\x1b[2m  3 |\x1b[0m Our café 🍰 serves \x1b[4;33mthe the\x1b[0m best coffee in town."
    assert (
        lines[3]
        == "\x1b[1mdocs/guide.md\x1b[0m:5:1: \x1b[1;31mRL101\x1b[0m Sentence repeats docs/intro.md line 3 word for word"
    )
    assert lines[6] == "\x1b[2m  = related: docs/intro.md:3:1: earlier occurrence\x1b[0m"


def test_colour_ignores_no_color_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI decides (NO_COLOR means it never asks for colour); the formatter does as told.
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[1;33mRL106" in render(sample_run(), OutputOptions(color=True))


# -- progress bar ------------------------------------------------------------------------


def files(folder: Path, count: int) -> list[str]:
    folder.mkdir(exist_ok=True)
    for n in range(count):
        (folder / f"note{n:02}.md").write_text(f"Note {n} reads well.\n", encoding="utf-8")
    return [str(folder)]


def test_progress_bar_draws_on_a_terminal(tmp_path: Path) -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=100)
    with progress_bar(console, min_files=3) as progress:
        assert progress is not None
        result = Linter(LintOptions(use_cache=False)).lint_paths(
            files(tmp_path / "docs", 4), progress=progress
        )
    assert len(result.files) == 4
    frames = plain(stream.getvalue())
    assert re.search(r"redline .* 4/4 files", frames), frames


def test_no_progress_bar_for_few_files_or_off_a_terminal(tmp_path: Path) -> None:
    stream = io.StringIO()
    with progress_bar(Console(file=stream, force_terminal=True), min_files=5) as progress:
        assert progress is not None
        Linter(LintOptions(use_cache=False)).lint_paths(files(tmp_path / "docs", 4), progress=progress)
    assert stream.getvalue() == ""
    with progress_bar(Console(file=io.StringIO(), force_terminal=False)) as progress:
        assert progress is None


# -- the CLI under a pseudo-terminal -----------------------------------------------------

DIRTY = "# Notes\n\nRead the the manual first.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "redline.toml").write_text('select = ["RL106"]\n', encoding="utf-8")
    (tmp_path / "dirty.md").write_text(DIRTY, encoding="utf-8")
    return tmp_path


def environment(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "TTY_COMPATIBLE"}
    }
    return {**env, "TERM": "xterm-256color", **extra}


def run_cli(cwd: Path, *args: str, tty_stdout: bool, tty_stderr: bool, **env: str) -> tuple[int, str, str]:
    """Run ``python -m redline`` with stdout and/or stderr on a pseudo-terminal (outputs are small)."""
    masters: dict[str, int] = {}
    slaves: dict[str, int] = {}
    for name, on_tty in (("stdout", tty_stdout), ("stderr", tty_stderr)):
        if on_tty:
            masters[name], slaves[name] = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "redline", *args],
        cwd=cwd,
        env=environment(**env),
        stdin=subprocess.DEVNULL,
        stdout=slaves.get("stdout", subprocess.PIPE),
        stderr=slaves.get("stderr", subprocess.PIPE),
    )
    for slave in slaves.values():
        os.close(slave)
    captured = {name: _drain(master) for name, master in masters.items()}
    for name, pipe in (("stdout", process.stdout), ("stderr", process.stderr)):
        if pipe is not None:
            captured[name] = pipe.read().decode("utf-8")
            pipe.close()
    code = process.wait(timeout=120)
    return code, captured["stdout"].replace("\r\n", "\n"), captured["stderr"].replace("\r\n", "\n")


def _drain(master: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return b"".join(chunks).decode("utf-8")


def test_cli_on_a_terminal_is_coloured_with_the_source(project: Path) -> None:
    code, out, _ = run_cli(project, "dirty.md", tty_stdout=True, tty_stderr=False)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "\x1b[1mdirty.md\x1b[0m:3:6: \x1b[1;33mRL106\x1b[0m Doubled word: 'the' written twice"
    assert lines[1] == "\x1b[2m  3 |\x1b[0m Read \x1b[4;33mthe the\x1b[0m manual first."
    assert plain(lines[2]) == "    |      ^^^^^^^"


def test_cli_on_a_terminal_with_no_color_is_plain_with_the_source(project: Path) -> None:
    code, out, _ = run_cli(project, "dirty.md", tty_stdout=True, tty_stderr=False, NO_COLOR="1")
    assert code == 1
    assert "\x1b[" not in out
    assert out.splitlines()[:4] == [
        "dirty.md:3:6: RL106 Doubled word: 'the' written twice",
        "  3 | Read the the manual first.",
        "    |      ^^^^^^^",
        "Found 1 finding (1 warning) in 1 of 1 file.",
    ]


def test_cli_piped_is_plain_without_the_source(project: Path) -> None:
    code, out, err = run_cli(project, "dirty.md", tty_stdout=False, tty_stderr=False)
    assert (code, err) == (1, "")
    assert out.splitlines()[:2] == [
        "dirty.md:3:6: RL106 Doubled word: 'the' written twice",
        "Found 1 finding (1 warning) in 1 of 1 file.",
    ]


def test_cli_progress_bar_on_stderr_while_stdout_is_piped(project: Path) -> None:
    files(project / "many", 20)
    code, out, err = run_cli(project, "many", "--format", "json", tty_stdout=False, tty_stderr=True)
    assert code == 0
    assert out.startswith("{\n")
    assert re.search(r"redline .* 20/20 files", plain(err)), err
