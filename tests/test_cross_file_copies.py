"""RL101 across files (``--cross-file``): a sentence copied word for word from another file."""

from __future__ import annotations

from pathlib import Path

from redline.engine import Linter, LintOptions
from redline.selection import CommandLineSettings


def lint(
    tmp_path: Path, cross_file: bool
) -> dict[str, list[tuple[str, int, str, list[tuple[int, str | None]]]]]:
    (tmp_path / "a.md").write_text("Lowering the travel advisory will ease the anxiety of citizens.\n")
    (tmp_path / "b.md").write_text(
        "Prices rose in the spring.\n\n"
        "Lowering the travel advisory will ease the anxiety of citizens!\n\n"
        "Lowering the travel advisory will ease the anxiety of citizens.\n"
    )
    options = LintOptions(
        command_line=CommandLineSettings(select=["RL101"]), cross_file=cross_file, use_cache=False
    )
    result = Linter(options).lint_paths([str(tmp_path / "a.md"), str(tmp_path / "b.md")])
    return {
        Path(f.path).name: [
            (x.code, x.start, x.message, [(r.start, r.path and Path(r.path).name) for r in x.related])
            for x in f.findings
        ]
        for f in result.files
    }


def test_copy_from_another_file_is_rl101_with_the_original_related(tmp_path: Path) -> None:
    assert lint(tmp_path, cross_file=True) == {
        "a.md": [],
        "b.md": [
            ("RL101", 28, f"Sentence copies {tmp_path / 'a.md'}:1 word for word", [(0, "a.md")]),
            ("RL101", 93, "Sentence repeats line 3 word for word", [(28, None)]),
        ],
    }


def test_without_cross_file_only_repeats_inside_a_file(tmp_path: Path) -> None:
    assert lint(tmp_path, cross_file=False) == {
        "a.md": [],
        "b.md": [("RL101", 93, "Sentence repeats line 3 word for word", [(28, None)])],
    }
