"""The whole CLI, every rule selected, never reaches for the network.

A ``sitecustomize`` on PYTHONPATH replaces every way to open a connection or resolve a
name with a function that records the attempt and raises; the test fails on any record.
textstat 0.7 is the known risk (it calls ``nltk.download`` on first use); the embedding
model loads too when it is installed, since ``--no-cache`` makes it run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED = Path(__file__).parents[1] / "examples" / "seed-article.txt"

SITECUSTOMIZE = """
import os, socket, traceback

_LOG = os.environ["REDLINE_NETWORK_LOG"]


def _refuse(what):
    def refuse(*args, **kwargs):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{what}{args!r}\\n{''.join(traceback.format_stack(limit=8))}\\n")
        raise OSError(f"network disabled in this test: {what}")
    return refuse


socket.socket.connect = _refuse("socket.connect")
socket.socket.connect_ex = _refuse("socket.connect_ex")
socket.create_connection = _refuse("socket.create_connection")
socket.getaddrinfo = _refuse("socket.getaddrinfo")
"""


@pytest.mark.slow
def test_cli_with_all_rules_never_touches_the_network(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "network.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "REDLINE_NETWORK_LOG": str(log),
        "REDLINE_CACHE_DIR": str(tmp_path / "cache"),
    }
    command = [
        sys.executable,
        "-m",
        "redline",
        "check",
        str(SEED),
        "--select",
        "ALL",
        "--no-cache",
        "--format",
        "json",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, check=False)
    attempts = log.read_text("utf-8") if log.exists() else ""
    assert attempts == "", f"network access attempted:\n{attempts}"
    assert completed.returncode in (0, 1) and "Traceback" not in completed.stderr, completed.stderr
    (file_report,) = json.loads(completed.stdout)["files"]
    assert file_report["metrics"]["readability"]["consensus_grade"] == 18.0
    assert "RL204" in {f["code"] for f in file_report["findings"]}


def test_the_guard_itself_catches_a_connection(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "REDLINE_NETWORK_LOG": str(log)}
    script = "import socket\ntry:\n    socket.getaddrinfo('pypi.org', 443)\nexcept OSError:\n    pass\n"
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    assert "socket.getaddrinfo('pypi.org', 443)" in log.read_text("utf-8")
