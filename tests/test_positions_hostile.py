"""Positions a hostile file could skew (issue 18 item 12): the invalid-byte error after a
BOM, and the excerpt's marks on a line with control characters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from redline.engine import Linter, LintOptions
from redline.output import OutputOptions, rich_text, text
from redline.selection import CommandLineSettings
from reliability_helpers import no_traceback, run_cli

_SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's own styling, not the document's bytes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xef\xbb\xbfabc\ndef ghi\ncaf\xe9 x\n", "not valid UTF-8: byte 0xe9 at offset 18 (line 3)"),
        (b"abc\ndef ghi\ncaf\xe9 x\n", "not valid UTF-8: byte 0xe9 at offset 15 (line 3)"),
        (b"\xff\xfea\x00\n\x00\x00\xdcb\x00", "not valid UTF-16: byte 0x00 at offset 6 (line 2)"),
    ],
    ids=["utf-8-bom", "utf-8", "utf-16-bom"],
)
def test_the_invalid_byte_and_its_offset_are_right(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "doc.md").write_bytes(data)
    run = run_cli(["--no-cache", "doc.md"], tmp_path)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [f"redline: error: doc.md: {message}; redline reads UTF-8 text"]


LINES = [
    "Say \x1b[2J\x1b]0;pwned\x07 hello the the world.\n",
    "A \x07\x08\x0b\x0c bell and the the cat.\n",
    "\x9b31m C1 then the the end.\n",
    "\x7f\x1b then\tthe the end.\n",
]


@pytest.mark.parametrize("line", LINES, ids=["csi-osc", "bell-backspace", "c1", "del-tab"])
@pytest.mark.parametrize("renderer", [text.render, rich_text.render], ids=["text", "terminal"])
def test_marks_stay_under_the_span_on_lines_with_control_characters(
    tmp_path: Path, line: str, renderer: object
) -> None:
    (tmp_path / "doc.md").write_text(line)
    linter = Linter(LintOptions(command_line=CommandLineSettings(select=["RL106"]), use_cache=False))
    run = linter.lint_paths([str(tmp_path / "doc.md")])
    assert callable(renderer)
    output = _SGR.sub("", renderer(run, OutputOptions(show_source=True)))
    source_line, marks = output.splitlines()[1:3]
    assert not set(source_line) & {chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
    start = marks.index("^")
    assert source_line[start : start + len(marks) - start] == "the the"
    assert marks.rstrip().endswith("^" * len("the the"))
