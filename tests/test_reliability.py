"""Bad input through the real command: every file gets a result or a message naming it.

A pre-commit hook runs on every file of a repository: redline must not crash, hang or
skip a file in silence. Each case here runs ``python -m redline`` in a subprocess and
checks the message, the exit code (2 only when some input could not be read), that the
other files are still linted, that no traceback is printed, and the time and peak memory
(bounds are about three times what was measured on a 2-core machine; see README,
Reliability).
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from reliability_helpers import PROSE, Run, no_traceback, run_cli

from redline import cli

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
    (tree / "markup.md").write_text("```\nRead the the code.\n```\n\n<div>the the</div>\n\n[a]: https://x.org/the/the\n")
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
        "rst-deep.rst": [f"{2 * i + 1}:{3 * i + 8}: RL106" for i in range(40)],  # the RST reader's depth limit
        "utf16.md": ["1:6: RL106"],
    }


def test_bad_tree_time_and_memory(bad_tree_run: tuple[Run, dict[str, object]]) -> None:
    run, _ = bad_tree_run
    assert run.seconds < 120, run.seconds  # measured: 25 s
    assert run.max_rss_mb < 1500, run.max_rss_mb  # measured: 450 MB


def test_named_bad_paths_each_get_a_message(bad_tree: Path) -> None:
    run = run_cli(["--no-cache", "good.md", "nothing-here.md", "fifo.md", "folder.md", "loop"], bad_tree)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "redline: error: nothing-here.md: no such file or directory",
        "redline: error: fifo.md: not a regular file (a FIFO); not linted",
    ]
    assert run.stdout.startswith("good.md:1:6: RL106 Doubled word: 'the' written twice\n")


def _drop_privileges() -> None:
    os.setgid(65534)
    os.setuid(65534)


def test_a_file_without_read_permission(request: pytest.FixtureRequest) -> None:
    # chmod 000 blocks nobody when the tests run as root, so then the command runs as
    # user "nobody" (uid 65534), in a folder it may enter.
    tree = Path(tempfile.mkdtemp(prefix="redline-perm-"))  # in /tmp, which anyone may enter
    tree.chmod(0o755)
    request.addfinalizer(lambda: shutil.rmtree(tree, ignore_errors=True))
    (tree / "good.md").write_text(GOOD)
    (tree / "secret.md").write_text(GOOD)
    (tree / "secret.md").chmod(0)
    as_root = os.geteuid() == 0
    if as_root:
        for directory in [tree, *tree.parents]:
            if not directory.stat().st_mode & stat.S_IXOTH:
                pytest.skip(f"user nobody cannot enter {directory}")
    run = run_cli(
        ["--no-cache", "good.md", "secret.md"], tree, preexec_fn=_drop_privileges if as_root else None,
        env={"HOME": str(tree), "REDLINE_CACHE_DIR": str(tree / "cache")},
    )  # fmt: skip
    no_traceback(run)
    assert run.returncode == 2
    assert "redline: error: secret.md: permission denied" in run.stderr
    assert run.stdout.startswith("good.md:1:6: RL106")


def test_a_file_that_disappears_after_discovery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "gone.md").write_text(GOOD)
    from redline import engine

    real_read = engine.read_source

    def vanishing_read(path: str, *args: object) -> object:
        if path.endswith("gone.md"):
            os.unlink(path)  # removed between the folder walk and the read
        return real_read(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "read_source", vanishing_read)
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
    assert errors_of(data) == {"big.md": f"{size:,} bytes is over max-file-size (1,048,576 bytes); not linted"}
    assert findings_of(data)["good.md"] == ["1:6: RL106"]
    assert run.seconds < 60, run.seconds  # measured: 6 s (most of it importing spaCy)
    assert run.max_rss_mb < 600, run.max_rss_mb  # measured: 200 MB: the file is never read


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
    (result,) = data["files"]  # type: ignore[misc]
    assert result["metrics"]["words"] > 130_000
    assert run.seconds < 180, run.seconds  # measured: 45 s
    assert run.max_rss_mb < 2500, run.max_rss_mb  # measured: 850 MB
