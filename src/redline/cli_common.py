"""What every command of the command line does alike: open a linter, report problems on
stderr (control characters made visible), write its output. ``redline`` and
``redline archive`` both use these, so both behave the same on a bad config or an
unwritable output file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from redline.output.escape import visible

if TYPE_CHECKING:
    from redline.engine import Linter
    from redline.results import RunResult
    from redline.settings import LintOptions


#: Options that ``redline`` and ``redline archive`` declare alike.
ConfigOption = Annotated[Path | None, typer.Option(help="Use this config file instead of searching for one.")]
CacheDirOption = Annotated[Path | None, typer.Option(help="Cache folder (default: the platform cache dir).")]


def error(message: str) -> None:
    typer.echo(f"redline: error: {visible(message)}", err=True)


def open_linter(options: LintOptions) -> Linter:
    """A linter for ``options``; a ``--config`` that cannot be read ends the run with exit 2."""
    from redline.config import ConfigError
    from redline.engine import Linter  # the engine pulls in the rules: not needed for --help

    try:
        return Linter(options)
    except ConfigError as problem:
        error(str(problem))
        raise typer.Exit(2) from None


def print_notices_and_errors(result: RunResult) -> None:
    for notice in result.notices:
        typer.echo(f"redline: note: {visible(notice)}", err=True)
    for problem in result.errors:
        error(str(problem))


def write_output(text: str, path: Path | None) -> None:
    """``text`` to ``path`` (exit 2 when it cannot be written), or to stdout."""
    if path is None:
        sys.stdout.write(text)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as problem:
        error(f"{path}: cannot write the report: {problem.strerror or problem}")
        raise typer.Exit(2) from None
