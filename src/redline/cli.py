"""The ``redline`` command line.

``redline FILES...`` is short for ``redline check FILES...``. Exit codes: 0 when no finding
is at or above the fail level, 1 when one is, 2 for usage, config or unreadable input.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from redline import __version__, with_default_command
from redline.cli_common import (
    CacheDirOption,
    ConfigOption,
    error,
    open_linter,
    print_notices_and_errors,
    write_output,
)
from redline.output.escape import visible
from redline.typer_lazy import install as _lazy_typer_values

_lazy_typer_values()  # no pydantic import for plain option values (typer_lazy.py)

if TYPE_CHECKING:
    from redline.engine import Linter
    from redline.results import RunResult
    from redline.rules import Registry

app = typer.Typer(
    name="redline",
    help="An editorial redundancy and style linter: repeated claims, hedges, padding, house style.",
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    rdjson = "rdjson"
    junit = "junit"
    vale_json = "vale-json"


class Preset(StrEnum):  # the names of redline.presets.PRESETS
    general = "general"
    news = "news"
    docs = "docs"


class SortOrder(StrEnum):
    position = "position"
    impact = "impact"


def _sort(result: RunResult, order: SortOrder) -> None:
    if order is SortOrder.impact:
        from redline.impact import sort_by_impact

        for file_result in result.files:
            file_result.findings = sort_by_impact(file_result.findings)


class Level(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"redline {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """redline: lint prose for repetition, hedging, padding and house style."""


@app.command()
def check(
    paths: Annotated[list[str] | None, typer.Argument(help="Files or folders; '-' reads stdin.")] = None,
    select: Annotated[
        list[str] | None, typer.Option(help="Rules to run (codes, prefixes or names; comma-separated).")
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option(help="Rules to run in addition to the selection.")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Rules not to run.")] = None,
    extend_ignore: Annotated[
        list[str] | None, typer.Option(help="Rules not to run (the same as --ignore).")
    ] = None,
    config: ConfigOption = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "--output-format", help="Output format.")
    ] = OutputFormat.text,
    fail_on: Annotated[Level | None, typer.Option(help="Lowest severity that makes the exit code 1.")] = None,
    min_severity: Annotated[
        Level | None,
        typer.Option(help="Show only findings at or above this severity (Vale's MinAlertLevel)."),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print the findings only: no summary lines.")
    ] = False,
    show_fixes: Annotated[
        bool, typer.Option("--show-fixes", help="List the fixes applied (with --fix) or available.")
    ] = False,
    stdin_filename: Annotated[str | None, typer.Option(help="Name for text read from stdin.")] = None,
    cross_file: Annotated[
        bool | None,
        typer.Option("--cross-file/--no-cross-file", help="Compare claims across all files of the run."),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    cache_dir: CacheDirOption = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0, help="Lint files in N processes (0: one per CPU).")
    ] = 1,
    statistics: Annotated[bool, typer.Option(help="Print the number of findings per rule.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Report every occurrence of budgeted findings.")
    ] = False,
    output_file: Annotated[
        Path | None, typer.Option("--output-file", "-o", help="Write the report to a file.")
    ] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes, then report what is left.")] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the fixes as a unified diff; write nothing.")
    ] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="With --fix/--diff: apply unsafe fixes too.")
    ] = False,
    preset: Annotated[
        Preset | None, typer.Option(help="Genre preset (replaces the config's 'preset').")
    ] = None,
    sort: Annotated[
        SortOrder, typer.Option(help="Order of findings in each file: by position or by impact.")
    ] = SortOrder.position,
) -> None:
    """Lint files and folders (the default command)."""
    from redline.findings import Severity
    from redline.output import OutputOptions, formatter
    from redline.selection import CommandLineSettings
    from redline.settings import LintOptions

    options = LintOptions(
        command_line=CommandLineSettings(
            select=_split(select) if select else None,
            extend_select=_split(extend_select),
            ignore=_split(ignore),
            extend_ignore=_split(extend_ignore),
            preset=preset.value if preset else None,
        ),
        config_path=config,
        cross_file=cross_file,
        use_cache=False if no_cache else None,
        cache_dir=cache_dir,
        fail_on=Severity.parse(fail_on.value) if fail_on else None,
        min_severity=Severity.parse(min_severity.value) if min_severity else None,
        verbose=verbose,
        jobs=jobs,
    )
    linter = open_linter(options)
    targets = paths or ["."]
    result = _lint_targets(linter, targets, stdin_filename)
    fixed = None
    if fix or diff:
        from redline.fixes import run_fix_command

        fixed, done = run_fix_command(
            linter,
            result,
            diff=diff,
            unsafe=unsafe_fixes,
            stdin=targets == ["-"],
            out=sys.stdout,
            err=sys.stderr,
        )
        if done is not None:
            if show_fixes:
                from redline.fixes import fixes_applied

                for row in fixes_applied(fixed):
                    typer.echo(row, err=True)
            for problem in result.errors:
                error(str(problem))
            raise typer.Exit(0 if exit_zero and done == 1 else done)
    print_notices_and_errors(result)
    _sort(result, sort)
    to_terminal = output_file is None and sys.stdout.isatty()
    output = OutputOptions(
        color=to_terminal and not os.environ.get("NO_COLOR"),
        show_source=to_terminal,
        statistics=statistics,
        quiet=quiet,
    )
    write_output(formatter(output_format.value)(result, output), output_file)
    to_stderr = output_file is not None or output_format is not OutputFormat.text
    if fixed is not None and not quiet:
        from redline.fixes import summary as fix_summary

        typer.echo(fix_summary(fixed), err=to_stderr)
    if show_fixes:
        from redline.fixes import fixes_applied, fixes_available

        for row in fixes_applied(fixed) if fixed is not None else fixes_available(result, unsafe_fixes):
            typer.echo(row, err=to_stderr)
    if statistics and output_format is not OutputFormat.text:
        from redline.output.text import statistics as statistics_table

        # Machine-read formats keep their output parseable: the table goes to stderr.
        for row in statistics_table(result):
            typer.echo(row, err=True)
    code = result.exit_code()
    raise typer.Exit(0 if exit_zero and code == 1 else code)


def _lint_targets(linter: Linter, targets: list[str], stdin_filename: str | None) -> RunResult:
    """Lint the paths, or stdin for ``-``; exit 2 first for a selector that names no rule."""
    unknown = linter.selector_errors([stdin_filename or "."] if targets == ["-"] else targets)
    for problem in unknown:
        error(str(problem))
    if unknown:
        raise typer.Exit(2)
    if targets == ["-"]:
        return _lint_stdin(linter, stdin_filename)
    if "-" in targets:
        error("'-' (stdin) cannot be mixed with paths")
        raise typer.Exit(2)
    from redline.output.progress import progress_bar

    with progress_bar() as progress:
        return linter.lint_paths(targets, progress=progress)


def _lint_stdin(linter: Linter, stdin_filename: str | None) -> RunResult:
    """Lint stdin as the file ``stdin_filename``; without one, the text's syntax is sniffed."""
    from redline.results import FileError, RunResult
    from redline.source import SourceError, decode

    name = stdin_filename or "-"
    try:
        source = decode(name, sys.stdin.buffer.read())
    except SourceError as problem:
        return RunResult(errors=[FileError(name, str(problem))])
    return linter.lint_source(source, Path(name) if name != "-" else Path.cwd() / "stdin")


@app.command("rules")
def list_rules(
    config: Annotated[Path | None, typer.Option(help="Include the rule packs of this config.")] = None,
) -> None:
    """List every rule: code, name, default on/off, description."""
    registry = _registry(config)
    width = max((len(r.name) for r in registry), default=10)
    for rule in registry:
        state = "on " if rule.default_enabled else "off"
        typer.echo(f"{rule.code:<7} {rule.name:<{width}}  {state}  {visible(rule.summary)}")


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A rule code or name, e.g. RL101.")],
    config: Annotated[Path | None, typer.Option(help="Include the rule packs of this config.")] = None,
) -> None:
    """Print a rule's documentation."""
    rule = _registry(config).get(code)
    if rule is None:
        error(f"no rule '{code}' (see 'redline rules')")
        raise typer.Exit(2)
    state = "on" if rule.default_enabled else "off"
    typer.echo(f"{rule.code} {rule.name} (default: {state}, severity {rule.default_severity.label})\n")
    typer.echo("\n".join(visible(line) for line in rule.documentation.split("\n")))


def _registry(config_path: Path | None) -> Registry:
    from redline.config import Config, ConfigError, find_config, load_config
    from redline.settings import registry_for

    try:
        found = config_path or find_config(Path.cwd())
        return registry_for(load_config(found) if found else Config())
    except ConfigError as problem:
        error(str(problem))
        raise typer.Exit(2) from None


@app.command()
def report(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to review.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file to write (default: stdout).")
    ] = None,
    select: Annotated[list[str] | None, typer.Option(help="Rules to run (codes, prefixes or names).")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Rules not to run.")] = None,
    config: ConfigOption = None,
    cross_file: Annotated[
        bool | None, typer.Option("--cross-file/--no-cross-file", help="Compare claims across all files.")
    ] = None,
    title: Annotated[str, typer.Option(help="Title of the page.")] = "redline review",
) -> None:
    """Write an HTML review page: the text with every finding highlighted and noted in the margin."""
    from redline.report import render
    from redline.selection import CommandLineSettings
    from redline.settings import LintOptions

    selectors = CommandLineSettings(select=_split(select) or None, ignore=_split(ignore))
    linter = open_linter(LintOptions(command_line=selectors, config_path=config, cross_file=cross_file))
    result = _lint_targets(linter, paths, None)
    print_notices_and_errors(result)
    write_output(render(result, title), output)
    raise typer.Exit(2 if result.errors else 0)


@app.command()
def lsp() -> None:
    """Run the language server on stdin/stdout (for editors)."""
    from redline.lsp import serve

    serve()


from redline.archive.command import archive_app  # noqa: E402 (the subcommand's options, typer only)

app.add_typer(archive_app)


def main(argv: list[str] | None = None) -> None:
    app(args=with_default_command(list(sys.argv[1:] if argv is None else argv)), prog_name="redline")
