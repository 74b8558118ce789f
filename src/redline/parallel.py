"""``--jobs N``: per-file linting spread over worker processes, results merged in order.

Each worker builds its own :class:`~redline.engine.Linter` from the run's options and lints
whole files (read, parse, analyse, per-file rules, metrics, result cache). The parent
merges the results in the order the files were listed, so the output is the same as a
serial run, and then runs the cross-file rules once over every document itself. Files
are handed out largest first, so one big file does not finish last on its own.

Documents come back without their sentence analysis (large to pickle) unless cross-file
rules will need it in the parent. Each worker loads its own embedding model when a
per-file rule needs one.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING

from redline.selection import active_rules

if TYPE_CHECKING:
    from redline.config import Config
    from redline.engine import Linter, LintOptions, Progress, RunResult

_WORKER: Linter | None = None
_DROPPED_ON_RETURN = ("analysis", "lines", "_block_starts")  # cached properties, rebuilt on demand


def worker_count(jobs: int, files: int) -> int:
    wanted = jobs if jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, files))


def _start_worker(options: LintOptions, forced_config: Config | None) -> None:
    global _WORKER
    from dataclasses import replace

    from redline.engine import Linter

    _WORKER = Linter(replace(options, jobs=1))
    _WORKER._forced_config = forced_config


def _lint_one(path: str) -> tuple[RunResult, list[str]]:
    from redline.engine import RunResult

    assert _WORKER is not None
    before = len(_WORKER.services.notices)
    result = RunResult()
    _WORKER.lint_path_into(result, path)
    _WORKER._pending.clear()
    for file_result in result.files:
        cross_file = _WORKER._cross_file_on(_WORKER.config_for(Path(path).absolute()))
        for name in _DROPPED_ON_RETURN:
            if not (cross_file and name == "analysis"):  # cross-file rules need it in the parent
                file_result.document.__dict__.pop(name, None)
    return result, _WORKER.services.notices[before:]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def lint_in_workers(linter: Linter, files: list[str], result: RunResult, progress: Progress | None) -> None:
    """Lint ``files`` in worker processes and merge into ``result`` in list order."""
    workers = worker_count(linter.options.jobs, len(files))
    done: dict[int, tuple[RunResult, list[str]]] = {}
    with ProcessPoolExecutor(
        workers, initializer=_start_worker, initargs=(linter.options, linter._forced_config)
    ) as pool:
        order = sorted(range(len(files)), key=lambda i: -_size(files[i]))
        futures: dict[Future[tuple[RunResult, list[str]]], int] = {
            pool.submit(_lint_one, files[i]): i for i in order
        }
        for count, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            done[index] = future.result()
            if progress is not None:
                progress(count, len(files), files[index])
    for index in range(len(files)):
        part, notices = done[index]
        _merge(linter, part, result)
        for notice in notices:
            linter.services.notice(notice)


def _merge(linter: Linter, part: RunResult, result: RunResult) -> None:
    for error in part.errors:
        if error not in result.errors:
            result.errors.append(error)
    for file_result in part.files:
        result.files.append(file_result)
        config = linter.config_for(Path(file_result.path).absolute())
        use_cache = linter.options.use_cache
        linter.services.use_cache = config.cache if use_cache is None else use_cache
        linter.services.cache_dir = linter.options.cache_dir or config.cache_dir
        if linter._cross_file_on(config):
            registry = linter.registry_for(config)
            rules = active_rules(config, registry, Path(file_result.path), linter.options.command_line)
            linter._pending.append((file_result.document, rules, config))
