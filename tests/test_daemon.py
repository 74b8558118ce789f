"""The resident server (``redlined``): same answers as in-process, never stale, one per root.

Every wait is bounded (``wait_for_server``, ``Popen.wait(timeout=...)``); nothing sleeps a
fixed time. Sockets go to a private runtime folder made for each test.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from redline import daemon

REPO = Path(__file__).resolve().parent.parent
TEXT = (
    "The committee met on Monday. The committee met on Monday.\n\n"
    "It is very important to note that the the plan is going ahead.\n"
)


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="rl", dir="/tmp"))  # short: socket paths are limited
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    monkeypatch.setenv("PYTHONPATH", str(REPO / "src"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def make_repo(base: Path, name: str) -> Path:
    root = base / name
    (root / ".git").mkdir(parents=True)
    (root / "doc.md").write_text(TEXT, encoding="utf-8")
    return root.resolve()


def in_process(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDLINE_CACHE_DIR": str(root / ".cache")}
    return subprocess.run(
        [sys.executable, "-m", "redline", "check", *args],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def through_server(root: Path, *args: str) -> dict[str, object]:
    old = os.getcwd()
    os.chdir(root)
    try:
        request = daemon.request_for(["check", *args], root)
        request["env"] = {"REDLINE_CACHE_DIR": str(root / ".cache")}
        return daemon.ask(daemon.socket_path(root), request, timeout=120)
    finally:
        os.chdir(old)


@pytest.fixture
def server(runtime: Path, tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[bytes]]]:
    root = make_repo(tmp_path, "one")
    process = daemon.start_server(root, idle=120)
    assert daemon.wait_for_server(root, timeout=60) is not None
    yield root, process
    daemon.stop_server(root)
    process.wait(timeout=30)


def test_socket_folder_is_private(runtime: Path) -> None:
    folder = daemon.private_dir()
    assert folder == runtime / "redline"
    info = os.lstat(folder)
    assert stat.S_IMODE(info.st_mode) == 0o700
    assert info.st_uid == os.getuid()


def test_a_folder_others_can_use_is_refused(runtime: Path) -> None:
    (runtime / "redline").mkdir(mode=0o755)
    os.chmod(runtime / "redline", 0o755)
    with pytest.raises(daemon.DaemonUnavailable, match="not a private folder"):
        daemon.private_dir()


def test_answer_is_the_in_process_output(server: tuple[Path, subprocess.Popen[bytes]]) -> None:
    root, _ = server
    expected = in_process(root, "--no-cache", "--format", "json", "doc.md")
    got = through_server(root, "--no-cache", "--format", "json", "doc.md")
    assert got["exit"] == expected.returncode == 1
    assert got["stdout"] == expected.stdout
    codes = [f["code"] for f in json.loads(str(got["stdout"]))["files"][0]["findings"]]
    assert "RL101" in codes and "RL106" in codes


def test_config_and_file_bytes_are_read_for_every_request(
    server: tuple[Path, subprocess.Popen[bytes]],
) -> None:
    root, _ = server
    first = json.loads(str(through_server(root, "--no-cache", "--format", "json", "doc.md")["stdout"]))
    assert "RL106" in {f["code"] for f in first["files"][0]["findings"]}
    (root / "redline.toml").write_text('ignore = ["RL106"]\n', encoding="utf-8")
    second = json.loads(str(through_server(root, "--no-cache", "--format", "json", "doc.md")["stdout"]))
    assert "RL106" not in {f["code"] for f in second["files"][0]["findings"]}
    (root / "doc.md").write_text("A plain sentence.\n", encoding="utf-8")
    third = through_server(root, "--no-cache", "--format", "json", "doc.md")
    assert json.loads(str(third["stdout"]))["files"][0]["findings"] == []
    assert third["exit"] == 0


def test_other_code_gets_stale_and_the_server_exits(server: tuple[Path, subprocess.Popen[bytes]]) -> None:
    root, process = server
    request = daemon.request_for(["check", "doc.md"], root)
    request["code"] = "another checkout"
    assert daemon.ask(daemon.socket_path(root), request, timeout=60) == {"stale": True}
    assert process.wait(timeout=30) == 0
    assert not daemon.socket_path(root).exists()


def test_two_repositories_get_two_servers(runtime: Path, tmp_path: Path) -> None:
    one, two = make_repo(tmp_path, "one"), make_repo(tmp_path, "two")
    assert daemon.socket_path(one) != daemon.socket_path(two)
    processes = [daemon.start_server(root, idle=120) for root in (one, two)]
    try:
        pids = [daemon.wait_for_server(root, timeout=60) for root in (one, two)]
        assert pids[0] is not None and pids[1] is not None
        assert pids[0]["pid"] != pids[1]["pid"]
        assert (pids[0]["root"], pids[1]["root"]) == (str(one), str(two))
        request = daemon.request_for(["check", "doc.md"], one)
        assert "error" in daemon.ask(daemon.socket_path(two), request, timeout=60)  # wrong root
    finally:
        for root, process in zip((one, two), processes, strict=True):
            daemon.stop_server(root)
            process.wait(timeout=30)


def test_a_second_server_for_the_same_root_exits_at_once(
    server: tuple[Path, subprocess.Popen[bytes]],
) -> None:
    root, _ = server
    assert daemon.start_server(root, idle=120).wait(timeout=60) == 0
    assert daemon.ping(root) is not None


def test_server_exits_after_idle(runtime: Path, tmp_path: Path) -> None:
    root = make_repo(tmp_path, "idle")
    process = daemon.start_server(root, idle=1)
    assert process.wait(timeout=60) == 0
    assert not daemon.socket_path(root).exists()


def test_client_runs_in_process_and_starts_a_server_when_none(runtime: Path, tmp_path: Path) -> None:
    root = make_repo(tmp_path, "cold")
    env = {**os.environ, "REDLINE_CACHE_DIR": str(root / ".cache"), "REDLINE_DAEMON_IDLE": "60"}
    command = [sys.executable, "-c", "from redline.daemon import client_main; client_main()", "--no-cache"]
    cold = subprocess.run(
        [*command, "doc.md"], cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    expected = in_process(root, "--no-cache", "doc.md")
    assert (cold.returncode, cold.stdout) == (expected.returncode, expected.stdout)
    reply = daemon.wait_for_server(root, timeout=60)
    assert reply is not None
    warm = subprocess.run(
        [*command, "doc.md"], cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert (warm.returncode, warm.stdout) == (expected.returncode, expected.stdout)
    assert daemon.stop_server(root)


def test_fix_and_stdin_run_in_process() -> None:
    assert daemon.served(["check", "doc.md"])
    assert not daemon.served(["check", "--fix", "doc.md"])
    assert not daemon.served(["check", "-"])
    assert not daemon.served(["check", "--stdin-filename=a.md"])
    assert not daemon.served(["report", "doc.md"])
    assert not daemon.served(["check", "--jobs", "2", "docs"])
    assert not daemon.served(["check", "-j2", "docs"])
