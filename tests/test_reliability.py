"""Bad input through the real command: every file gets a result or a message naming it.

A pre-commit hook runs on every file of a repository: redline must not crash, hang or
skip a file in silence. Each case here runs ``python -m redline`` in a subprocess and
checks the message, the exit code (2 only when some input could not be read), that the
other files are still linted, that no traceback is printed, and the time and peak memory
(bounds leave room for a busy 2-core CI machine: measured figures are in the comments
and in the README, Reliability).
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from redline import cli
from redline.source import Source, read_source
from reliability_helpers import PROSE, Run, no_traceback, run_cli

GOOD = "Read the the manual first.\n"


def json_run(tmp: Path, *args: str, timeout: float = 240) -> tuple[Run, dict[str, object]]:
    run = run_cli(["--no-cache", "--format", "json", "--ignore", "RL102", *args], tmp, timeout=timeout)
    no_traceback(run)
    return run, json.loads(run.stdout)


def errors_of(data: dict[str, object]) -> dict[str, str]:
    return {e["path"]: e["message"] for e in data["errors"]}  # type: ignore[attr-defined]


def findings_of(data: dict[str, object]) -> dict[str, list[str]]:
    return {
        f["path"]: [f"{x['start']['line']}:{x['start']['column']}: {x['code']}" for x in f["findings"]]
        for f in data["files"]  # type: ignore[attr-defined]
    }


@pytest.fixture(scope="module")
def bad_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("bad")
    (tree / "good.md").write_text(GOOD)
    (tree / "latin1.md").write_bytes("café the the\n".encode("latin-1"))
    (tree / "utf16.md").write_bytes(codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"))
    (tree / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tree / "empty.md").write_bytes(b"")
    (tree / "markup.md").write_text(
        "```\nRead the the code.\n```\n\n<div>the the</div>\n\n[a]: https://x.org/the/the\n"
    )
    (tree / "crlf.txt").write_bytes(b"Title\r\n\r\nRead the the manual.\r\n")
    (tree / "quotes.md").write_text("> " * 15 + "Read the the quote.\n")
    (tree / "deep-quotes.md").write_text("> " * 3000 + "Read the the quote.\n")
    (tree / "lists.md").write_text("".join("  " * i + "- Read the the item.\n" for i in range(600)))
    (tree / "brackets.md").write_text("[" * 50_000 + "x" + "]" * 50_000 + "\n\nRead the the end.\n")
    (tree / "rst-deep.rst").write_text("".join("   " * i + "- Read the the item.\n\n" for i in range(300)))
    os.mkfifo(tree / "fifo.md")
    (tree / "folder.md").mkdir()  # a directory named like a file: walked, holds nothing
    (tree / "loop").mkdir()
    (tree / "loop" / "self").symlink_to("..")  # a directory symlink loop: not followed
    (tree / "self-loop.md").symlink_to("self-loop.md")
    (tree / "broken.md").symlink_to("missing.md")
    return tree


@pytest.fixture(scope="module")
def bad_tree_run(bad_tree: Path) -> tuple[Run, dict[str, object]]:
    return json_run(bad_tree, ".", timeout=300)


def test_unreadable_files_are_named_with_the_reason(bad_tree_run: tuple[Run, dict[str, object]]) -> None:
    run, data = bad_tree_run
    assert run.returncode == 2
    assert errors_of(data) == {
        "binary.md": "binary file (NUL byte at offset 8); not linted",
        "broken.md": "broken symbolic link",
        "fifo.md": "not a regular file (a FIFO); not linted",
        "latin1.md": "not valid UTF-8: byte 0xe9 at offset 3 (line 1); redline reads UTF-8 text",
        "self-loop.md": "cannot read: Too many levels of symbolic links",
    }
    for path, message in errors_of(data).items():
        assert f"redline: error: {path}: {message}" in run.stderr


def test_every_readable_file_is_still_linted(bad_tree_run: tuple[Run, dict[str, object]]) -> None:
    _, data = bad_tree_run
    found = {path: [f for f in fs if f.endswith("RL106")] for path, fs in findings_of(data).items()}
    assert found == {
        "brackets.md": ["3:6: RL106"],
        "crlf.txt": ["3:6: RL106"],
        "empty.md": [],
        "good.md": ["1:6: RL106"],
        # markdown-it stops nesting at 20 levels (its CommonMark default; raising it makes
        # "[[[[..." bombs slower): deeper text is left masked, not linted, and not a crash.
        "deep-quotes.md": [],
        "lists.md": [f"{i + 1}:{2 * i + 8}: RL106" for i in range(9)],
        "markup.md": [],
        "quotes.md": ["1:36: RL106"],
        "rst-deep.rst": [
            f"{2 * i + 1}:{3 * i + 8}: RL106" for i in range(40)
        ],  # the RST reader's depth limit
        "utf16.md": ["1:6: RL106"],
    }


def test_bad_tree_time_and_memory(bad_tree_run: tuple[Run, dict[str, object]]) -> None:
    run, _ = bad_tree_run
    assert run.seconds < 60, run.seconds  # measured: 2.7-4.0 s idle, 11.5 s busy
    assert run.max_rss_mb < 600, run.max_rss_mb  # measured: 145 MB


def test_named_bad_paths_each_get_a_message(bad_tree: Path) -> None:
    run = run_cli(["--no-cache", "good.md", "nothing-here.md", "fifo.md", "folder.md", "loop"], bad_tree)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "redline: error: nothing-here.md: no such file or directory",
        "redline: error: fifo.md: not a regular file (a FIFO); not linted",
    ]
    assert run.stdout.startswith("good.md:1:6: RL106 Doubled word: 'the' written twice\n")


def test_a_report_that_cannot_be_written(bad_tree: Path) -> None:
    run = run_cli(["--no-cache", "--output-file", "folder.md", "good.md"], bad_tree)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == ["redline: error: folder.md: cannot write the report: Is a directory"]


def test_a_file_without_read_permission(tmp_path: Path) -> None:
    # As root, chmod 000 blocks nothing: the command then runs under capsh with the
    # capabilities that override file permissions dropped.
    wrapper = None
    if os.geteuid() == 0:
        if shutil.which("capsh") is None:
            pytest.skip("running as root without capsh: a file cannot be made unreadable")
        drop = "--drop=cap_dac_override,cap_dac_read_search"
        wrapper = ["capsh", drop, "--", "-c", 'exec "$@"', "sh"]
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "secret.md").write_text(GOOD)
    (tmp_path / "secret.md").chmod(0)
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "inside.md").write_text(GOOD)
    (tmp_path / "closed").chmod(0)
    try:
        run = run_cli(["--no-cache", "good.md", "secret.md", "."], tmp_path, wrapper=wrapper)
    finally:
        (tmp_path / "closed").chmod(0o755)
    no_traceback(run)
    assert run.returncode == 2
    assert sorted(run.stderr.splitlines()) == [
        "redline: error: ./closed: cannot list folder: permission denied",  # not skipped in silence
        "redline: error: secret.md: permission denied",  # named, then found in the walk of "."
        "redline: error: secret.md: permission denied",
    ]
    assert run.stdout.startswith("good.md:1:6: RL106")


def test_a_file_that_disappears_after_discovery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "gone.md").write_text(GOOD)

    def vanishing_read(path: str, max_bytes: int | None = None) -> Source:
        if path.endswith("gone.md"):
            os.unlink(path)  # removed between the folder walk and the read
        return read_source(path, max_bytes)

    monkeypatch.setattr("redline.lint.read_source", vanishing_read)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--no-cache", "--select", "RL106", "."])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert err.splitlines() == ["redline: error: gone.md: no such file"]
    assert out.startswith("a.md:1:6: RL106")


def test_a_50_mb_file_is_refused_quickly_and_the_others_linted(tmp_path: Path) -> None:
    paragraphs = PROSE.split("\n\n")
    block = "\n\n".join(f"{p} (Part {i}.)" for i, p in enumerate(paragraphs * 40)) + "\n\n"
    with (tmp_path / "big.md").open("w") as big:
        while big.tell() < 50 * 2**20:
            big.write(block)
    size = (tmp_path / "big.md").stat().st_size
    (tmp_path / "good.md").write_text(GOOD)
    run, data = json_run(tmp_path, "big.md", "good.md")
    assert run.returncode == 2
    assert errors_of(data) == {
        "big.md": f"{size:,} bytes is over max-file-size (1,048,576 bytes); not linted"
    }
    assert findings_of(data)["good.md"] == ["1:6: RL106"]
    assert run.seconds < 30, run.seconds  # measured: 1.8-2.8 s idle, 6.4 s busy (start-up, mostly)
    assert run.max_rss_mb < 400, run.max_rss_mb  # measured: 145 MB: the big file is never read


def test_a_1_mb_single_line_is_linted_in_bounded_time(tmp_path: Path) -> None:
    line = " ".join(PROSE.split())
    text = ""
    part = 0
    while len(text) < 1_000_000 - len(line) - 20:
        text += f"{line} Part {part}. "
        part += 1
    (tmp_path / "line.md").write_text(text + "\n")
    run, data = json_run(tmp_path, "line.md", timeout=400)
    assert run.returncode in (0, 1)
    assert not data["errors"]
    files: list[dict[str, Any]] = data["files"]  # type: ignore[assignment]
    assert len(files) == 1
    assert files[0]["metrics"]["words"] > 130_000
    assert run.seconds < 150, run.seconds  # measured: 13.7 s idle, 56 s with the machine busy
    assert run.max_rss_mb < 1500, run.max_rss_mb  # measured: 630 MB
