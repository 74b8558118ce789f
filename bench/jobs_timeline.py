"""Where the wall time of ``redline --jobs N`` goes: before the pool, the workers, after it.

    python bench/jobs_timeline.py [--jobs 2] [--runs 2] [PATH ...]   # default: the docs corpus

Each round runs, in fresh processes one after the other, ``redline --no-cache --format json
--ignore RL102 --jobs N PATHS`` and the same command in one process, with timers hooked
around redline's own functions (nothing of redline is changed; the output is compared with
the one-process run's, byte for byte). Clock: ``time.monotonic``, which forked workers
share with the parent. Printed per round:

- ``--jobs N``: the parent's time before the pool (imports, settings, the warm-up of
  :func:`redline.parallel._warm_parent`), the pool, and after it (results, output); each
  worker's files, CPU inside ``_lint_one`` and when its last file ended; the CPU of the
  parent and of the workers (``getrusage``);
- one process: wall and CPU, and the CPU inside ``lint_path`` summed over the files.

Both runs pay the same serial start (import, rule registry, tokenizer); the difference in
file CPU is what each worker does again (its own first imports and caches).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

# Runs inside the measured process: argv = [OUT, redline's arguments...].
_CHILD = r"""
import json, os, resource, sys, time
T0 = time.monotonic()
out = sys.argv[1]
import redline.engine as engine
import redline.parallel as parallel
marks = {}
def mark(name): marks[name] = [time.monotonic() - T0, time.process_time()]
def record(row):
    with open(f"{out}.{os.getpid()}", "a") as f:
        f.write(json.dumps(row) + "\n")
original_one = parallel._lint_one
def _lint_one(path):
    start, cpu = time.monotonic(), time.process_time()
    outcome = original_one(path)
    record([os.getpid(), start - T0, time.monotonic() - T0, time.process_time() - cpu, path])
    return outcome
_lint_one.__qualname__ = _lint_one.__name__ = "_lint_one"  # pickled by name, found again in the worker
_lint_one.__module__ = "redline.parallel"
parallel._lint_one = _lint_one
original_warm, original_pool = parallel._warm_parent, parallel._run_pool
def _warm_parent(*args):
    mark("warm begins"); original_warm(*args); mark("warm ends")
def _run_pool(*args):
    mark("pool begins"); result = original_pool(*args); mark("pool ends"); return result
parallel._warm_parent, parallel._run_pool = _warm_parent, _run_pool
files = []
original_path = engine.lint_path
def lint_path(path, *args, **kwargs):
    cpu = time.process_time()
    outcome = original_path(path, *args, **kwargs)
    files.append(time.process_time() - cpu)
    return outcome
engine.lint_path = lint_path
from redline.cli import main
sys.argv = ["redline", *sys.argv[2:]]
code = 0
try:
    main()
except SystemExit as stop:
    code = stop.code if isinstance(stop.code, int) else 1
mark("exit")
me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
summary = {"marks": marks, "serial_file_cpu": sum(files), "code": code,
           "parent_cpu": me.ru_utime + me.ru_stime, "children_cpu": children.ru_utime + children.ru_stime}
sys.stdout.flush()
with open(out + ".summary", "w") as f:
    json.dump(summary, f)
"""


Row = tuple[int, float, float, float, str]  # worker's pid, start, end, CPU, path


def _run(arguments: list[str], folder: str, name: str) -> tuple[dict[str, Any], list[Row], bytes]:
    out = os.path.join(folder, name)
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    command = [sys.executable, "-c", _CHILD, out, *arguments]
    output = subprocess.run(command, env=env, capture_output=True, check=False).stdout
    summary = json.loads(Path(out + ".summary").read_text())
    rows: list[Row] = []
    for worker in sorted(Path(folder).glob(name + ".[0-9]*")):
        rows.extend(tuple(json.loads(line)) for line in worker.read_text().splitlines())
    return summary, rows, output


def _round(jobs: int, paths: list[str], folder: str, index: int) -> None:
    common = ["--no-cache", "--format", "json", "--ignore", "RL102"]
    pooled, rows, pooled_output = _run([*common, "--jobs", str(jobs), *paths], folder, f"jobs{index}")
    serial, _, serial_output = _run([*common, *paths], folder, f"one{index}")
    marks = pooled["marks"]
    same = "the same" if pooled_output == serial_output else "DIFFERENT"
    load = os.getloadavg()[0]
    print(f"round {index + 1} (load average {load:.2f}), output {same}")
    if "pool begins" in marks:
        begin, end, exit_ = marks["pool begins"][0], marks["pool ends"][0], marks["exit"][0]
        warm = marks["warm ends"][0] - marks["warm begins"][0]
        print(
            f"  --jobs {jobs}: wall {exit_:.2f} s = before the pool {begin:.2f} (warm-up {warm:.2f})"
            f" + pool {end - begin:.2f} + after {exit_ - end:.2f}; CPU parent {pooled['parent_cpu']:.2f},"
            f" workers {pooled['children_cpu']:.2f}"
        )
    workers: dict[int, list[Row]] = {}
    for row in rows:
        workers.setdefault(row[0], []).append(row)
    for number, (_, done) in enumerate(sorted(workers.items()), start=1):
        cpu = sum(row[3] for row in done)
        last = max(row[2] for row in done)
        first = min(done, key=lambda row: row[1])
        print(
            f"    worker {number}: {len(done)} files, CPU in files {cpu:.2f} s, last file ended at {last:.2f} s;"
            f" first file {Path(first[4]).name} {first[3]:.2f} s"
        )
    pooled_files = sum(row[3] for row in rows)
    one = serial["marks"]
    print(
        f"  one process: wall {one['exit'][0]:.2f} s, CPU {serial['parent_cpu']:.2f}; CPU in files"
        f" {serial['serial_file_cpu']:.2f} (workers: {pooled_files:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("paths", nargs="*", default=[str(REPO / "../shared/corpus/docs")])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for index in range(args.runs):
            _round(args.jobs, args.paths, folder, index)


if __name__ == "__main__":
    main()
