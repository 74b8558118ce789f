"""The engine: files in, findings out.

A :class:`Linter` resolves each file's settings once per config file
(:class:`~redline.settings.Resolver`), lints each file with
:func:`~redline.lint.lint_source` (in this process or in workers, see
:mod:`redline.parallel`), then runs the cross-file rules once over every document. A file
that cannot be read, or whose config is broken, becomes an error entry and the run goes on.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from redline.config import ConfigError
from redline.files import expand
from redline.gc_tuning import fewer_collections
from redline.lint import hide_below_min_severity, lint_corpus, lint_path, lint_source
from redline.parallel import lint_in_workers
from redline.results import FileError, FileResult, Progress, RunResult
from redline.rules import Registry, builtin_rules
from redline.selection import selector_problem
from redline.services import Services
from redline.settings import LintOptions, Resolver, Settings
from redline.source import Source


class Linter:
    """One run's settings and services: lint paths, or text that did not come from disk."""

    def __init__(self, options: LintOptions | None = None, services: Services | None = None) -> None:
        self.options = options or LintOptions()
        self.services = services or Services(cache_dir=self.options.cache_dir)
        self.resolver = Resolver(self.options, warn=self.services.notice)

    def settings_for(self, path: Path) -> Settings:
        """The settings of ``path``'s config (raises :class:`~redline.config.ConfigError`)."""
        return self.resolver.settings_for(path.absolute())

    def registry_for(self, path: Path) -> Registry:
        return self.settings_for(path).registry

    def lint_paths(self, paths: Iterable[str], progress: Progress | None = None) -> RunResult:
        """Lint files and folders; ``progress(done, total, path)`` is called after each file."""
        with fewer_collections():
            return self._lint_paths(paths, progress)

    def _lint_paths(self, paths: Iterable[str], progress: Progress | None) -> RunResult:
        result = RunResult()
        paths = list(paths)
        result.errors.extend(self.selector_errors(paths))
        if result.errors:
            return result
        files = list(expand(paths, self.resolver, result))
        if self.options.jobs != 1 and len(files) > 1:
            outcomes = lint_in_workers(self.options, files, self.services, progress)
        else:
            outcomes = []
            for done, path in enumerate(files, start=1):
                outcomes.append(lint_path(path, self.resolver, self.services))
                if progress is not None:
                    progress(done, len(files), path)
        self._finish(
            result,
            [self._record(result, outcome, path) for path, outcome in zip(files, outcomes, strict=True)],
        )
        return result

    def selector_errors(self, paths: Iterable[str]) -> list[FileError]:
        """The command line's selectors that name no rule known for any of ``paths``.

        A selector is known if a rule of the registry for one of the paths' configs (the
        built-in rules plus that config's packs) answers to it.
        """
        named = self.options.command_line.named()
        if not named:
            return []
        registries = []
        for raw in paths:
            try:
                registries.append(self.registry_for(Path(raw)))
            except ConfigError:
                return []  # the config's own error is reported when the file is linted
        registries = registries or [Registry(builtin_rules())]
        errors = []
        for option, selector in named:
            problems = [selector_problem(selector, registry) for registry in registries]
            if all(problems):
                errors.append(FileError(option, str(problems[0])))
        return errors

    def lint_source(self, source: Source, config_path: Path | None = None) -> RunResult:
        """Lint text that did not come from disk (stdin, an editor buffer); ``config_path``
        is where it would live, for finding its config and overrides."""
        result = RunResult()
        path = config_path or Path(source.path)
        try:
            settings = self.settings_for(path)
        except ConfigError as error:
            result.add_error(FileError(error.path, error.message, error.line))
            return result
        limit = settings.config.max_file_size
        if limit and len(source.text) > limit:
            message = f"{len(source.text):,} characters is over max-file-size ({limit:,}); not linted"
            result.errors.append(FileError(source.path, message))
            return result
        outcome = lint_source(source, settings, self.services, path)
        self._finish(result, [self._record(result, outcome, source.path, settings)])
        return result

    def _record(
        self, result: RunResult, outcome: FileResult | FileError, path: str, settings: Settings | None = None
    ) -> tuple[FileResult, Settings] | None:
        if isinstance(outcome, FileError):
            if outcome.path == path:
                result.errors.append(outcome)  # each file named, and found, is reported
            else:
                result.add_error(outcome)  # a broken config, once for all the files under it
            return None
        result.files.append(outcome)
        return outcome, settings or self.settings_for(Path(outcome.path))

    def _finish(self, result: RunResult, linted: list[tuple[FileResult, Settings] | None]) -> None:
        pairs = [pair for pair in linted if pair is not None]
        lint_corpus(pairs, self.services)
        hide_below_min_severity(result.files)
        for settings in {id(s): s for _, s in pairs}.values():
            result.rules.update((rule.code, rule.meta) for rule in settings.registry)
        result.notices = list(self.services.notices)


__all__ = ["FileError", "FileResult", "LintOptions", "Linter", "RunResult", "lint_path"]
