"""A progress bar on stderr while a run with many files is linted (terminals only)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from redline.results import Progress as ProgressCallback

if TYPE_CHECKING:
    from rich.console import Console

#: Runs with fewer files finish too soon for a bar to help.
MIN_FILES = 20


@contextmanager
def progress_bar(
    console: Console | None = None, min_files: int = MIN_FILES
) -> Iterator[ProgressCallback | None]:
    """A callback for :meth:`Linter.lint_paths` that draws a bar once a run has ``min_files``.

    Yields None when the console (stderr by default) is not a terminal. The bar is
    transient: it is erased when the run ends, before the report is printed.
    """
    if console is None and not _may_be_terminal():
        yield None  # rich not even imported (0.04 s): the common case of a hook or CI
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
    from rich.table import Column

    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("redline"),
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        TextColumn("files"),
        TimeElapsedColumn(),
        # The path takes what is left of the line and is cut short, never the count.
        TextColumn(
            "{task.fields[path]}",
            style="dim",
            table_column=Column(ratio=1, no_wrap=True, overflow="ellipsis"),
        ),
        console=console,
        transient=True,
        expand=True,
    )
    task: TaskID | None = None

    def advance(done: int, total: int, path: str) -> None:
        nonlocal task
        if total < min_files:
            return
        if task is None:
            bar.start()
            task = bar.add_task("lint", total=total, path="")
        bar.update(task, completed=done, path=path)

    try:
        yield advance
    finally:
        if task is not None:
            bar.stop()


def _may_be_terminal() -> bool:
    """False where rich's ``Console(stderr=True).is_terminal`` is surely False: stderr is not
    a terminal and neither ``TTY_COMPATIBLE`` nor ``FORCE_COLOR`` says otherwise."""
    if "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ:
        return True
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:
        return False
