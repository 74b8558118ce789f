"""``--fix`` and ``--diff`` respect the file (issue 18, items 6 to 9).

Read-only files are refused; owner, mode and hard links are kept; fixes that would not
settle are refused when the pack loads or stopped with a message; every ``--diff`` is
accepted by ``git apply`` and ``patch`` and reproduces what ``--fix`` writes; what a
killed write left behind is removed by the next ``--fix``, and nothing else is.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app, with_default_command

DIRTY = "We met in order to plan.\n"
CLEAN = "We met to plan.\n"
OLD = time.time() - 3600


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(app, with_default_command(["--no-cache", *args]))
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redline.toml").write_text('select = ["RL401", "RL106"]\n', encoding="utf-8")
    return tmp_path


# -- item 6: the file's mode, owner and links -------------------------------------------


def test_a_read_only_file_is_refused(tree: Path) -> None:
    target = tree / "a.md"
    target.write_text(DIRTY, encoding="utf-8")
    target.chmod(0o444)
    code, _, err = run("--fix", "a.md")
    assert code == 2
    assert err.splitlines() == ["redline: error: a.md: read-only file (mode 0444); not fixed"]
    assert target.read_text("utf-8") == DIRTY
    assert sorted(p.name for p in tree.iterdir()) == ["a.md", "redline.toml"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_owner_and_group_are_kept(tree: Path) -> None:
    target = tree / "a.md"
    target.write_text(DIRTY, encoding="utf-8")
    os.chown(target, 65534, 65534)  # nobody:nogroup, fixed by root
    target.chmod(0o664)
    code, _, _ = run("--fix", "a.md")
    assert code == 0
    info = target.stat()
    assert (target.read_text("utf-8"), info.st_uid, info.st_gid, oct(info.st_mode & 0o7777)) == (
        CLEAN, 65534, 65534, "0o664",
    )  # fmt: skip


def test_hard_links_are_kept(tree: Path) -> None:
    target = tree / "a.md"
    target.write_text(DIRTY, encoding="utf-8")
    os.link(target, tree / "b.txt")
    inode = target.stat().st_ino
    assert run("--fix", "a.md")[0] == 0
    assert target.stat().st_ino == inode
    assert target.stat().st_nlink == 2
    assert (tree / "b.txt").read_text("utf-8") == CLEAN


# -- item 7: fixes that settle ----------------------------------------------------------

PACK = """[pack]
name = "house"

[[rule]]
code = "HS1"
name = "house.swap"
kind = "substitution"
{extra}
[rule.swap]
{swaps}
"""


@pytest.mark.parametrize(
    ("swaps", "line", "message"),
    [
        ('"dog" = "big dog"', 10, "swap 'dog' -> 'big dog' does not settle: its output matches 'dog' again"),
        ('"cat" = "cat cat"', 10, "swap 'cat' -> 'cat cat' does not settle: its output matches 'cat' again"),
        ('"mouse" = "mice"\n"mice" = "mouse"', 10, "swap 'mouse' -> 'mice' does not settle: its output matches 'mice' again"),
        ('"colo(u)?r" = "color"', 10, "swap 'colo(u)?r' -> 'color' does not settle: its output matches 'colo(u)?r' again"),
    ],
    ids=["grows", "doubles", "loop", "regex"],
)  # fmt: skip
def test_a_swap_that_does_not_settle_is_refused_at_load(
    tree: Path, swaps: str, line: int, message: str
) -> None:
    extra = "regex = true" if "(" in swaps else ""
    (tree / "house.toml").write_text(PACK.format(extra=extra, swaps=swaps), encoding="utf-8")
    (tree / "redline.toml").write_text('rule-packs = ["house.toml"]\nselect = ["HS"]\n', encoding="utf-8")
    (tree / "a.md").write_text("A dog and a cat.\n", encoding="utf-8")
    code, _, err = run("--fix", "a.md")
    assert code == 2
    assert err.splitlines() == [
        f"redline: error: {tree}/house.toml:{line}: rule HS1: {message}, so every --fix pass would change it"
    ]
    assert (tree / "a.md").read_text("utf-8") == "A dog and a cat.\n"


def test_a_swap_whose_output_is_an_exception_settles(tree: Path) -> None:
    pack = PACK.format(extra='exceptions = ["big dog"]', swaps='"dog" = "big dog"')
    (tree / "house.toml").write_text(pack, encoding="utf-8")
    (tree / "redline.toml").write_text('rule-packs = ["house.toml"]\nselect = ["HS"]\n', encoding="utf-8")
    (tree / "a.md").write_text("A dog.\n", encoding="utf-8")
    assert run("--fix", "a.md")[0] == 0
    assert (tree / "a.md").read_text("utf-8") == "A big dog.\n"


def test_fixing_stops_with_a_message_when_a_pass_resolves_nothing(tree: Path) -> None:
    # A regex swap with a group is only known at fix time: "dog" -> "big dog".
    pack = PACK.format(extra="regex = true", swaps='"(dog)" = "big \\\\1"')
    (tree / "house.toml").write_text(pack, encoding="utf-8")
    (tree / "redline.toml").write_text('rule-packs = ["house.toml"]\nselect = ["HS"]\n', encoding="utf-8")
    (tree / "a.md").write_text("A dog.\n", encoding="utf-8")
    code, out, err = run("--fix", "a.md")
    assert err.splitlines() == [
        "redline: warning: a.md: fixes did not settle (pass 1 re-created what it fixed); stopped"
    ]
    assert (tree / "a.md").read_text("utf-8") == "A big dog.\n"
    assert code == 1
    assert out.decode().splitlines()[0] == "a.md:1:7: HS1 Prefer 'big dog' over 'dog'"


# -- item 8: diffs that git apply and patch accept -------------------------------------

CASES = {
    "no-final-newline": DIRTY.rstrip("\n").encode(),
    "lone-cr": b"Intro.\rWe met in order to plan.\rEnd.\r",
    "lone-cr-no-final": b"Intro.\rWe met in order to plan.",
    "crlf": b"Intro.\r\nWe met in order to plan.\r\nEnd.\r\n",
    "bom": codecs.BOM_UTF8 + b"We met in order to plan.\nEnd.\n",
    "bom-no-final": codecs.BOM_UTF8 + b"We met in order to plan.",
    "utf-16-le": codecs.BOM_UTF16_LE + "Intro.\nWe met in order to plan.\nEnd.\n".encode("utf-16-le"),
    "utf-16-be": codecs.BOM_UTF16_BE + "We met in order to plan.".encode("utf-16-be"),
    "form-feed-and-nel": "Intro.\x0cStill one line\x85 for git. We met in order to plan.\n".encode(),
}


@pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("patch") is None, reason="needs git and patch"
)
@pytest.mark.parametrize("case", list(CASES))
def test_diff_is_accepted_by_git_apply_and_patch(tree: Path, case: str) -> None:
    data = CASES[case]
    (tree / "a.txt").write_bytes(data)
    code, diff, err = run("--diff", "a.txt")
    assert (code, err) == (1, "Would fix 1 finding.\n")
    assert (tree / "a.txt").read_bytes() == data  # --diff writes nothing
    assert run("--fix", "a.txt")[0] == 0
    fixed = (tree / "a.txt").read_bytes()
    assert fixed == data.replace(b"in order to", b"to").replace(
        "in order to".encode("utf-16-le"), "to".encode("utf-16-le")
    ).replace("in order to".encode("utf-16-be"), "to".encode("utf-16-be"))
    (tree / "patch.diff").write_bytes(diff)
    for tool in (["git", "apply"], ["patch", "-p1", "--quiet", "-i"]):
        copy = tree / f"copy-{tool[0]}"
        copy.mkdir()
        (copy / "a.txt").write_bytes(data)
        if tool[0] == "git":
            subprocess.run(["git", "init", "-q", "."], cwd=copy, check=True)
            check = subprocess.run(
                [*tool, "--check", "../patch.diff"], cwd=copy, capture_output=True, text=True, check=False
            )
            assert check.returncode == 0, check.stderr
        done = subprocess.run([*tool, "../patch.diff"], cwd=copy, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert (copy / "a.txt").read_bytes() == fixed, tool[0]


def test_diff_without_a_final_newline_has_the_marker(tree: Path) -> None:
    (tree / "a.txt").write_bytes(b"We met in order to plan.")
    assert run("--diff", "a.txt")[1] == (
        b"--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-We met in order to plan.\n\\ No newline at end of file\n"
        b"+We met to plan.\n\\ No newline at end of file\n"
    )


# -- item 9: stale temporaries ----------------------------------------------------------


def _temporary(tree: Path, name: str, age: float = OLD) -> Path:
    path = tree / name
    path.write_bytes(b"half a fi")
    os.utime(path, (age, age))
    return path


def test_a_stale_temporary_is_removed_by_the_next_fix(tree: Path) -> None:
    (tree / "a.md").write_text(CLEAN, encoding="utf-8")
    stale = _temporary(tree, ".a.md.k2j_h4x9.redline")
    assert run("--fix", "a.md")[0] == 0
    assert not stale.exists()
    assert sorted(p.name for p in tree.iterdir()) == ["a.md", "redline.toml"]


def test_files_that_are_not_ours_are_left_alone(tree: Path) -> None:
    (tree / "a.md").write_text(DIRTY, encoding="utf-8")
    kept = [
        _temporary(tree, ".gone.md.k2j_h4x9.redline"),  # no gone.md beside it
        _temporary(tree, ".a.md.K2J_H4X9.redline"),  # not mkstemp's alphabet
        _temporary(tree, ".a.md.k2j_h4x.redline"),  # 7 characters
        _temporary(tree, "a.md.k2j_h4x9.redline"),  # no leading dot
        _temporary(tree, ".a.md.k2j_h4x9.redline.bak"),
        _temporary(tree, ".a.md.youngone.redline", age=time.time()),  # a live writer's, maybe
    ]
    (tree / ".a.md.symlink1.redline").symlink_to(tree / "a.md")
    (tree / ".a.md.folder11.redline").mkdir()
    linked = _temporary(tree, ".a.md.linked11.redline")
    os.link(linked, tree / "elsewhere.bin")
    locked = _temporary(tree, ".a.md.locked11.redline")
    with locked.open("rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # as a running redline holds its temporary
        code, _, _ = run("--fix", "a.md")
    assert code == 0
    assert (tree / "a.md").read_text("utf-8") == CLEAN
    for path in [*kept, linked, locked, tree / ".a.md.symlink1.redline", tree / ".a.md.folder11.redline"]:
        assert path.exists() or path.is_symlink(), path.name


def test_diff_and_check_never_delete(tree: Path) -> None:
    (tree / "a.md").write_text(DIRTY, encoding="utf-8")
    stale = _temporary(tree, ".a.md.k2j_h4x9.redline")
    run("--diff", "a.md")
    run("a.md")
    assert stale.exists()
