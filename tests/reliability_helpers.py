"""Running the real ``redline`` command in a subprocess, with its time and peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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
    preexec_fn: object = None,
    python_code: str | None = None,
) -> Run:
    """``python -m redline ARGS`` (or ``python -c CODE ARGS``) in ``cwd``.

    Time is wall-clock; memory is the child's peak resident set (``wait4``'s rusage), so
    both are measured for this one process, not for the test session.
    """
    command = [sys.executable, "-c", python_code, *args] if python_code else [sys.executable, "-m", "redline", *args]
    full_env = {**os.environ, "NO_COLOR": "1", "HF_HUB_OFFLINE": "1", **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            command, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            preexec_fn=preexec_fn,  # type: ignore[arg-type]
        )  # fmt: skip
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                process.kill()
                process.wait()
                raise AssertionError(f"redline {' '.join(args)} ran past {timeout} s")
            time.sleep(0.02)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            usage.ru_maxrss / 1024,  # KiB on Linux
        )


def no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
