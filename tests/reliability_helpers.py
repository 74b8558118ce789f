"""Running the real ``redline`` command in a subprocess, with its time and peak memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

PROSE = (Path(__file__).parents[1] / "examples" / "seed-article.txt").read_text("utf-8")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def run_cli(
    args: list[str],
    cwd: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 240,
    wrapper: list[str] | None = None,
    python_code: str | None = None,
) -> Run:
    """``python -m redline ARGS`` (or ``python -c CODE ARGS``) in ``cwd``.

    Time is wall-clock. Memory is the command's peak resident set, taken with ``wait4`` by
    a small launcher process: a child forked straight from the test session would count
    the session's own memory, which it holds for an instant before ``exec``.
    """
    command = (
        [sys.executable, "-c", python_code, *args]
        if python_code
        else [sys.executable, "-m", "redline", *args]
    )
    full_env = {**os.environ, "NO_COLOR": "1", "HF_HUB_OFFLINE": "1", **(env or {})}
    with tempfile.TemporaryDirectory() as scratch:
        out, err, rss = (Path(scratch) / name for name in ("out", "err", "rss"))
        launcher = [sys.executable, "-c", _LAUNCHER, str(rss)]
        started = time.monotonic()
        with out.open("wb") as out_file, err.open("wb") as err_file:
            process = subprocess.Popen(
                [*launcher, *(wrapper or []), *command], cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
                stdout=out_file, stderr=err_file, start_new_session=True,
            )  # fmt: skip
            try:
                returncode = process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise AssertionError(f"redline {' '.join(args)} ran past {timeout} s") from None
        seconds = time.monotonic() - started
        return Run(
            returncode,
            out.read_bytes().decode("utf-8", "replace"),
            err.read_bytes().decode("utf-8", "replace"),
            seconds,
            int(rss.read_text()) / 1024,  # ru_maxrss is in KiB on Linux
        )


_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stderr + run.stdout, run.stderr


def within(seconds: float, work: Callable[[], T]) -> T:
    """``work()``, failing the test if it has not returned after ``seconds`` (a hang test).

    It runs in a daemon thread, so a call stuck on a FIFO or a device cannot keep the
    test session alive.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as error:
            box["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise AssertionError(f"still running after {seconds} s")
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
