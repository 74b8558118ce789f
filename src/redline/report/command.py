"""``redline report``: lint the files, write the review page."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def run_report(
    paths: list[str],
    output: Path | None,
    select: list[str] | None,
    ignore: list[str],
    config: Path | None,
    cross_file: bool | None,
    title: str,
    error: Callable[[str], None],
) -> int:
    """Lint ``paths`` and write the page; the exit code: 2 when a file or the config failed, else 0."""
    from redline.config import ConfigError
    from redline.engine import Linter
    from redline.report import render
    from redline.selection import CommandLineSettings
    from redline.settings import LintOptions

    options = LintOptions(
        command_line=CommandLineSettings(select=select, ignore=ignore),
        config_path=config,
        cross_file=cross_file,
    )
    try:
        linter = Linter(options)
    except ConfigError as problem:
        error(str(problem))
        return 2
    result = linter.lint_paths(paths)
    for notice in result.notices:
        print(f"redline: note: {notice}", file=sys.stderr)
    for failure in result.errors:
        error(str(failure))
    page = render(result, title)
    if output is None:
        sys.stdout.write(page)
    else:
        output.write_text(page, encoding="utf-8")
    return 2 if result.errors else 0
