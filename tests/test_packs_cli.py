"""A user pack from a temporary folder, end to end through the real ``redline`` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HOUSE = """[pack]
name = "house"
description = "Our newsroom's words"

[[rule]]
code = "HS101"
name = "house.no-jargon"
kind = "substitution"
summary = "Business jargon with a plain word"
message = "House style: write '{replacement}', not '{match}'"
severity = "error"
docs = \"\"\"
We write for readers, not for shareholders.

Bad::

    We leverage the data.

Good::

    We use the data.
\"\"\"
[rule.swap]
"leverage" = "use"

[[rule]]
code = "HS102"
name = "house.korea-task-force"
kind = "consistency"
either = [["Korea Task Force", "Korean Task Force"]]
"""


def in_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The same command through typer's test runner: faster, for everything but the end-to-end test."""
    from typer.testing import CliRunner

    from redline.cli import app, with_default_command

    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, with_default_command(list(args)))
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)


def redline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [shutil.which("redline") or sys.executable, *args]
    if command[0] == sys.executable:
        command[1:1] = ["-m", "redline"]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"}
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "house.toml").write_text(HOUSE, encoding="utf-8")
    (tmp_path / "redline.toml").write_text(
        'select = ["house"]\nrule-packs = ["styles/house.toml"]\n', encoding="utf-8"
    )
    (tmp_path / "story.md").write_text(
        "# Story\n\nWe leverage the Korea Task Force. The Korea Task Force and the Korean Task Force.\n",
        encoding="utf-8",
    )
    return tmp_path


def test_user_pack_findings_and_exit_code(project: Path) -> None:
    done = redline("story.md", cwd=project)
    assert done.stdout.splitlines()[:3] == [
        "story.md:3:4: HS101 House style: write 'use', not 'leverage'",
        "story.md:3:64: HS102 Both 'Korean Task Force' and 'Korea Task Force' are used in this document; "
        "keep to 'Korea Task Force'",
        "Found 2 findings (1 error, 1 warning) in 1 of 1 file.",
    ]
    assert (done.returncode, done.stderr) == (1, "")


def test_user_pack_rules_can_be_ignored_and_fixed(project: Path) -> None:
    assert (
        redline("--ignore", "HS101", "--ignore", "house.korea-task-force", "story.md", cwd=project).returncode
        == 0
    )
    done = redline("--fix", "story.md", cwd=project)
    # HS102 (consistency) has an unsafe fix only: the editor picks the form.
    assert done.stdout.splitlines()[-1] == "Fixed 1 finding. 1 more with --unsafe-fixes."
    assert (project / "story.md").read_text("utf-8").startswith("# Story\n\nWe use the Korea")


def test_rules_and_explain_show_pack_rules(project: Path) -> None:
    listing = in_process("rules", "--config", "redline.toml", cwd=project).stdout.splitlines()
    assert "HS101   house.no-jargon" in "\n".join(listing)
    assert [line.split()[0] for line in listing if line.startswith("HS")] == ["HS101", "HS102"]
    done = in_process("explain", "HS101", "--config", "redline.toml", cwd=project)
    assert done.returncode == 0
    assert done.stdout.splitlines()[:4] == [
        "HS101 house.no-jargon (default: on, severity error)",
        "",
        "Business jargon with a plain word.",
        "",
    ]
    assert "Defined in the rule pack house.toml (substitution rule)." in done.stdout


def test_a_bad_user_pack_is_exit_2_naming_file_line_and_rule(project: Path) -> None:
    (project / "styles" / "house.toml").write_text(
        HOUSE.replace('kind = "consistency"', 'kind = "consistency"\nmax = 3'), encoding="utf-8"
    )
    for args in (
        ["story.md"],
        ["rules", "--config", "redline.toml"],
        ["explain", "HS101", "--config", "redline.toml"],
    ):
        done = redline(*args, cwd=project)
        assert done.returncode == 2, args
        assert done.stderr.startswith("redline: error: "), args
        assert "styles/house.toml:30: rule HS102: unknown key 'max'\n" in done.stderr, args
