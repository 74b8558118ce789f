"""The ``--fix`` summary offers ``--unsafe-fixes`` only for fixes that are unsafe (issue 18 item 14)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reliability_helpers import no_traceback, run_cli

PACK = """[pack]
name = "house"

[[rule]]
code = "HS1"
name = "house.us"
kind = "substitution"
summary = "US spelling"

[rule.swap]
"colour" = "color"

[[rule]]
code = "HS2"
name = "house.uk"
kind = "substitution"
summary = "UK spelling"

[rule.swap]
"color" = "colour"
"utilise" = { to = "use", fix = "unsafe" }
"""


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        # Two safe swaps undo each other: safe fixes are left when the passes stop.
        ("The colour is red.\n", ""),
        ("We utilise it.\n", " 1 more with --unsafe-fixes."),
        ("We utilise the colour.\n", " 1 more with --unsafe-fixes."),
    ],
    ids=["safe-left", "unsafe-left", "both-left"],
)
def test_the_unsafe_hint_counts_only_unsafe_fixes(tmp_path: Path, text: str, hint: str) -> None:
    (tmp_path / "house.toml").write_text(PACK)
    (tmp_path / "redline.toml").write_text('rule-packs = ["house.toml"]\nselect = ["HS"]\n')
    (tmp_path / "doc.md").write_text(text)
    run = run_cli(["--no-cache", "--fix", "doc.md"], tmp_path)
    no_traceback(run)
    assert run.returncode == 1
    # How many passes a loop takes before it stops is not the point here; the hint is.
    assert re.fullmatch(r"Fixed \d+ findings?\." + re.escape(hint), run.stdout.splitlines()[-1])
    assert run.stdout.count("--unsafe-fixes") == (1 if hint else 0)
