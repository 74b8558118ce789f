"""The ``redline archive`` command: ``--index DIR`` then ``build``, ``check`` or ``report``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from redline.cli_common import (
    CacheDirOption,
    ConfigOption,
    error,
    open_linter,
    print_notices_and_errors,
    write_output,
)

if TYPE_CHECKING:
    from redline.engine import Linter

archive_app = typer.Typer(
    name="archive",
    help="Check new text against an archive of what was already published (RL102 at archive scale).",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

_ENGINE_HELP = "Where the stages run: 'local' (this process) or 'ray' (Ray tasks; needs redline[ray])."
EngineOption = Annotated[str, typer.Option(help=_ENGINE_HELP)]
AddressOption = Annotated[str | None, typer.Option(help="Ray cluster address ('auto', 'ray://host:10001').")]
NumCpusOption = Annotated[int | None, typer.Option(min=1, help="CPUs for a local Ray (default: all).")]


@archive_app.callback()
def _archive(
    ctx: typer.Context,
    index: Annotated[Path, typer.Option("--index", help="The archive folder (created by build).")],
) -> None:
    """Check new text against an archive: build it, check files against it, report its clusters."""
    ctx.obj = index


def _linter(
    config: Path | None, no_cache: bool, cache_dir: Path | None, cross_file: bool, fail_on: str | None = None
) -> Linter:
    """A linter with the config and cache options of the command that runs RL102 and, in
    cross-file mode (``check``), RL101 for word-for-word copies."""
    from redline.findings import Severity
    from redline.selection import CommandLineSettings
    from redline.settings import LintOptions

    try:
        level = Severity.parse(fail_on) if fail_on is not None else None
    except ValueError as problem:
        error(str(problem))
        raise typer.Exit(2) from None
    options = LintOptions(
        command_line=CommandLineSettings(select=["RL102", "RL101"] if cross_file else ["RL102"]),
        config_path=config,
        cross_file=cross_file,
        use_cache=False if no_cache else None,
        cache_dir=cache_dir,
        fail_on=level,
    )
    return open_linter(options)


def _settings(linter: object, no_cache: bool) -> object:
    """RL102's options (and the spaCy model) from the config of the current folder or ``--config``."""
    from redline.archive.build import Settings
    from redline.archive.check import rl102_options
    from redline.config import ConfigError
    from redline.engine import Linter

    assert isinstance(linter, Linter)
    place = Path.cwd() / "archive"
    try:
        found = rl102_options(linter, str(place))
        settings = linter.settings_for(place)
    except ConfigError as problem:
        error(str(problem))
        raise typer.Exit(2) from None
    if found is None:
        error("RL102 is not active in this config, so there is nothing to archive")
        raise typer.Exit(2)
    options, _ = found
    use_cache = settings.use_cache and not no_cache
    resolved = (
        linter.services.with_cache(True, settings.cache_dir).resolved_cache_dir() if use_cache else None
    )
    return Settings(options, settings.config.spacy_model, str(resolved) if resolved else None)


@archive_app.command()
def build(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files or folders to archive.")],
    config: ConfigOption = None,
    engine: EngineOption = "local",
    address: AddressOption = None,
    num_cpus: NumCpusOption = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the embedding cache.")] = False,
    cache_dir: CacheDirOption = None,
) -> None:
    """Add files to the archive; a second build embeds only new or changed sentences."""
    from redline.archive.build import Settings
    from redline.archive.build import build as run_build
    from redline.archive.engines import EngineError
    from redline.archive.engines import engine as make_engine
    from redline.archive.store import ArchiveError
    from redline.embedding import ModelUnavailable
    from redline.embedding.index import IndexUnavailable
    from redline.engine import RunResult
    from redline.files import expand
    from redline.source import SourceError, read_source

    folder: Path = ctx.obj
    linter = _linter(config, no_cache, cache_dir, cross_file=False)
    settings = _settings(linter, no_cache)
    assert isinstance(settings, Settings)
    scan = RunResult()
    files = sorted(set(expand(paths, linter.resolver, scan)))
    texts: dict[str, str] = {}
    for path in files:
        try:
            texts[path] = read_source(path, None).text
        except SourceError as problem:
            error(f"{path}: {problem}")
    for failure in scan.errors:
        error(str(failure))
    try:
        runner = make_engine(engine, address, num_cpus)
    except EngineError as problem:
        error(str(problem))
        raise typer.Exit(2) from None
    try:
        report = run_build(sorted(texts), paths, folder, settings, runner, texts)
    except (ArchiveError, IndexUnavailable, ModelUnavailable) as problem:
        error(str(problem))
        raise typer.Exit(2) from None
    finally:
        runner.close()
    for note in report.notes:
        typer.echo(f"redline: note: {note}", err=True)
    for message in report.errors:
        error(message)
    typer.echo(f"redline archive: {folder}: {report.summary()}", err=True)
    bad = scan.errors or report.errors or len(texts) < len(files)
    raise typer.Exit(2 if bad else 0)


@archive_app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files or folders to check against the archive.")],
    config: ConfigOption = None,
    output_format: Annotated[
        str, typer.Option("--format", help="text, json, sarif, github, rdjson or junit.")
    ] = "text",
    fail_on: Annotated[str | None, typer.Option(help="Lowest severity that makes the exit code 1.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    cache_dir: CacheDirOption = None,
    output_file: Annotated[
        Path | None, typer.Option("--output-file", "-o", help="Write the report to a file.")
    ] = None,
) -> None:
    """RL102 and RL101 on the files, across them and against the archive (exit 1 when a finding fails)."""
    from redline.archive.check import check_files
    from redline.archive.store import ArchiveError
    from redline.output import FORMATS, OutputOptions, formatter

    if output_format not in FORMATS:
        error(f"unknown format {output_format!r} (known: {', '.join(FORMATS)})")
        raise typer.Exit(2)
    folder: Path = ctx.obj
    linter = _linter(config, no_cache, cache_dir, cross_file=True, fail_on=fail_on)
    try:
        run = check_files(linter, paths, folder)
    except ArchiveError as problem:
        error(str(problem))
        raise typer.Exit(2) from None
    print_notices_and_errors(run)
    to_terminal = output_file is None and sys.stdout.isatty()
    options = OutputOptions(color=to_terminal and not os.environ.get("NO_COLOR"), show_source=to_terminal)
    write_output(formatter(output_format)(run, options), output_file)
    raise typer.Exit(run.exit_code())


@archive_app.command()
def report(
    ctx: typer.Context,
    config: ConfigOption = None,
    engine: EngineOption = "local",
    address: AddressOption = None,
    num_cpus: NumCpusOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="json or html.")] = "json",
) -> None:
    """The archive's claims made in more than one file, as JSON or HTML, largest clusters first."""
    from redline.archive.build import Settings
    from redline.archive.engines import EngineError, LocalEngine
    from redline.archive.engines import engine as make_engine
    from redline.archive.report import clusters, render_html
    from redline.archive.store import ArchiveError
    from redline.embedding import ModelUnavailable
    from redline.embedding.index import IndexUnavailable

    if output_format not in {"json", "html"}:
        error(f"unknown format {output_format!r} (known: json, html)")
        raise typer.Exit(2)
    folder: Path = ctx.obj
    linter = _linter(config, True, None, cross_file=False)
    settings = _settings(linter, True)
    assert isinstance(settings, Settings)
    try:
        runner = make_engine(engine, address, num_cpus)
    except EngineError as problem:
        error(str(problem))
        raise typer.Exit(2) from None
    try:
        # Token vectors for the scorer: redline's embedding cache in-process; Ray workers compute them.
        cache = settings.cache_dir if isinstance(runner, LocalEngine) else None
        data = clusters(folder, settings.options, runner, cache)
    except (ArchiveError, IndexUnavailable, ModelUnavailable) as problem:
        error(str(problem))
        raise typer.Exit(2) from None
    finally:
        runner.close()
    text = (
        render_html(data)
        if output_format == "html"
        else json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    )
    write_output(text, output)
