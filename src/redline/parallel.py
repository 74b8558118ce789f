"""``--jobs N``: per-file linting spread over worker processes, results kept in file order.

Each worker builds its own :class:`~redline.settings.Resolver` and services from the run's
options and lints whole files with :func:`redline.lint.lint_path` (read, parse, analyse,
per-file rules, metrics, result cache). The parent keeps the outcomes in the order the
files were listed, so the output is the same as a serial run, and then runs the cross-file
rules once over every document itself. Files are handed out largest first, so one big
file does not finish last on its own.

Documents come back without their sentence analysis (large to pickle) unless cross-file
rules will need it in the parent. Each worker loads its own embedding model when a
per-file rule needs one.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

from redline.config import ConfigError
from redline.gc_tuning import RUN_THRESHOLD
from redline.lint import lint_path
from redline.results import FileError, FileResult, Progress
from redline.services import Services
from redline.settings import LintOptions, Resolver

_DROPPED_ON_RETURN = ("analysis", "lines", "block_starts", "_lexicon_matches")  # caches, rebuilt on demand

#: The worker process's own resolver and services, built once by :func:`_start_worker`.
_WORKER: tuple[Resolver, Services] | None = None


def worker_count(jobs: int, files: int) -> int:
    wanted = jobs if jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, files))


def _start_worker(options: LintOptions) -> None:
    global _WORKER
    gc.set_threshold(RUN_THRESHOLD, *gc.get_threshold()[1:])  # a spawned worker's too (see gc_tuning)
    services = Services(cache_dir=options.cache_dir)
    if _WORKER is not None and _WORKER[0].options == replace(options, jobs=1):
        resolver = _WORKER[0]  # inherited by fork, its settings already resolved in the parent
        resolver.warn = services.notice
    else:
        resolver = Resolver(replace(options, jobs=1), warn=services.notice)
    _WORKER = (resolver, services)


def _warm_parent(options: LintOptions, files: list[str], services: Services) -> None:
    """Import and build, once, what every worker needs; forked workers inherit it."""
    global _WORKER
    from redline.analysis import load_pipeline
    from redline.readability import cmu_lookup, textstat_module
    from redline.tokenize_en import english_pipeline, use_port

    resolver = Resolver(replace(options, jobs=1), warn=services.notice)  # notices raised once, here
    models: set[str | None] = set()
    for path in files:
        try:
            settings = resolver.settings_for(Path(path).absolute())
        except ConfigError:
            continue  # the worker reports it
        settings.rules_for(Path(path))
        models.add(settings.config.spacy_model)
    for model in models:
        if use_port(model):
            english_pipeline().warm_up()  # built once, inherited
        else:
            load_pipeline(model)
    textstat_module()
    cmu_lookup()
    _WORKER = (resolver, Services(cache_dir=options.cache_dir))


def _lint_one(path: str) -> tuple[FileResult | FileError, list[str]]:
    assert _WORKER is not None
    resolver, services = _WORKER
    before = len(services.notices)
    outcome = lint_path(path, resolver, services)
    if isinstance(outcome, FileResult):
        try:
            cross_file = resolver.settings_for(Path(path).absolute()).cross_file
        except ConfigError:
            cross_file = False
        for name in _DROPPED_ON_RETURN:
            if not (cross_file and name == "analysis"):  # cross-file rules need it in the parent
                outcome.document.__dict__.pop(name, None)
    return outcome, services.notices[before:]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def lint_in_workers(
    options: LintOptions, files: list[str], services: Services, progress: Progress | None
) -> list[FileResult | FileError]:
    """The outcome of each of ``files``, in list order; workers' notices go to ``services``."""
    workers = worker_count(options.jobs, len(files))
    context = None
    frozen = False
    if "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        _warm_parent(options, files, services)
        # the workers' collections skip what they inherit (imports, rules, settings), so its
        # pages stay shared with the parent's (a collection writes to every object it visits);
        # left alone where the program running redline froze objects of its own
        frozen = gc.get_freeze_count() == 0
        if frozen:
            gc.freeze()
    try:
        outcomes = _run_pool(workers, context, options, files, progress)
    finally:
        if frozen:
            gc.unfreeze()
    for _, notices in outcomes:
        for notice in notices:
            services.notice(notice)
    return [outcome for outcome, _ in outcomes]


def _run_pool(
    workers: int,
    context: multiprocessing.context.BaseContext | None,
    options: LintOptions,
    files: list[str],
    progress: Progress | None,
) -> list[tuple[FileResult | FileError, list[str]]]:
    done: dict[int, tuple[FileResult | FileError, list[str]]] = {}
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(options,)
    ) as pool:
        order = sorted(range(len(files)), key=lambda i: -_size(files[i]))
        futures: dict[Future[tuple[FileResult | FileError, list[str]]], int] = {
            pool.submit(_lint_one, files[i]): i for i in order
        }
        for count, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            done[index] = future.result()
            if progress is not None:
                progress(count, len(files), files[index])
    return [done[index] for index in range(len(files))]
