"""Configs and rule packs read with the guards of input files (issue 18, item 2).

A repository under review may commit ``styles/house.toml`` as a symlink to ``/dev/zero``
or make it a FIFO; ``--config`` may name one too. Each is refused before a byte is read,
with the file's name and exit 2, never a hang: every run here has a timeout.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reliability_helpers import no_traceback, run_cli

GOOD = "Read the the manual first.\n"
TIMEOUT = 30  # a guarded read takes well under a second; an unguarded one never ends


def _make(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "huge":
        with path.open("wb") as handle:
            handle.truncate(65 * 1024 * 1024)  # sparse: 65 MiB without writing them
    else:
        path.symlink_to(kind)


REASONS = {
    "/dev/zero": "not a regular file (a character device)",
    "/dev/urandom": "not a regular file (a character device)",
    "fifo": "not a regular file (a FIFO)",
    "huge": "68,157,440 bytes is over the limit for TOML files (67,108,864 bytes)",
}


@pytest.mark.parametrize("kind", list(REASONS))
def test_a_rule_pack_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    (tmp_path / "styles").mkdir()
    _make(tmp_path / "styles" / "house.toml", kind)
    (tmp_path / "redline.toml").write_text('rule-packs = ["styles/house.toml"]\n')
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "doc.md"], tmp_path, timeout=TIMEOUT)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"redline: error: {tmp_path}/styles/house.toml: cannot read rule pack: {REASONS[kind]}"
    ]


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo", "huge"])
def test_a_config_option_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    _make(tmp_path / "house.toml", kind)
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "--config", "house.toml", "doc.md"], tmp_path, timeout=TIMEOUT)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [f"redline: error: house.toml: cannot read config: {REASONS[kind]}"]


def test_config_naming_dev_zero_directly(tmp_path: Path) -> None:
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "--config", "/dev/zero", "doc.md"], tmp_path, timeout=TIMEOUT)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "redline: error: /dev/zero: cannot read config: not a regular file (a character device)"
    ]


def test_a_pack_refused_with_the_cache_on(tmp_path: Path) -> None:
    # The result cache hashes the packs' bytes: that read is guarded as well.
    _make(tmp_path / "house.toml", "fifo")
    (tmp_path / "redline.toml").write_text('rule-packs = ["house.toml"]\ncache-dir = ".c"\n')
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["doc.md"], tmp_path, timeout=TIMEOUT)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"redline: error: {tmp_path}/house.toml: cannot read rule pack: not a regular file (a FIFO)"
    ]


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo"])
def test_a_vale_rule_file_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    style = tmp_path / "styles" / "Acme"
    style.mkdir(parents=True)
    (style / "Wordy.yml").write_text(
        "extends: existence\nmessage: \"Avoid '%s'\"\nlevel: warning\ntokens:\n  - utilize\n",
        encoding="utf-8",
    )
    _make(style / "Zero.yml", kind)
    (tmp_path / "redline.toml").write_text('rule-packs = ["styles/Acme"]\n')
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "doc.md"], tmp_path, timeout=TIMEOUT)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"redline: error: {style}/Zero.yml: cannot read the Vale rule: {REASONS[kind]}"
    ]
