"""The engine: files in, sorted and suppressed findings out.

For each file: find its config, read and decode it, parse the markup, run the rules that
are active for it, drop suppressed findings, apply configured severities. Rules that can
look across files run once more over all documents when cross-file mode is on. A file
that cannot be read or parsed becomes an error entry and the run goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from redline.config import DEFAULT_EXCLUDE, Config, ConfigError, find_config, load_config
from redline.document import Document
from redline.findings import Finding, Severity
from redline.markup import EXTENSIONS, parse
from redline.quotations import drop_quoted_fixes
from redline.rules import Registry, builtin_rules
from redline.rules.base import RuleContext
from redline.rules.readability.combined import combine_paragraph_findings
from redline.selection import ActiveRule, CommandLineSettings, active_rules, glob_matches, resolved, validate
from redline.services import Services
from redline.source import Source, SourceError, read_source
from redline.suppression import unsuppressed

#: ``(files done, files in the run, path just done)``: the CLI draws a progress bar with it.
Progress = Callable[[int, int, str], None]


@dataclass
class FileResult:
    path: str
    source: Source
    document: Document
    findings: list[Finding]
    metrics: dict[str, Any] = field(default_factory=dict)
    fail_on: Severity = Severity.WARNING


@dataclass(frozen=True)
class FileError:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when any finding is at or above its file's fail level."""
        return any(f.severity >= r.fail_on for r in self.files for f in r.findings)

    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.failed else 0

    def file(self, path: str) -> FileResult | None:
        return next((r for r in self.files if r.path == path), None)


@dataclass
class LintOptions:
    command_line: CommandLineSettings = field(default_factory=CommandLineSettings)
    config_path: Path | None = None
    cross_file: bool | None = None
    use_cache: bool | None = None
    cache_dir: Path | None = None
    fail_on: Severity | None = None
    verbose: bool = False
    #: Worker processes for per-file linting (1: in this process; 0: one per CPU).
    jobs: int = 1


class Linter:
    def __init__(self, options: LintOptions | None = None) -> None:
        self.options = options or LintOptions()
        self._configs: dict[Path, Config] = {}
        self._registries: dict[Path | None, Registry] = {}
        self._forced_config = load_config(self.options.config_path) if self.options.config_path else None
        self.services = Services(cache_dir=self.options.cache_dir)
        self._pending: list[tuple[Document, list[ActiveRule], Config]] = []

    # -- configuration ------------------------------------------------------------------

    def config_for(self, path: Path) -> Config:
        """The config that governs ``path``: ``--config``, else the nearest file, else defaults."""
        if self._forced_config is not None:
            return self._forced_config
        directory = (path if path.is_dir() else path.parent).resolve()
        if directory not in self._configs:
            found = find_config(directory)
            self._configs[directory] = self._load(found) if found else Config()
        return self._configs[directory]

    def _load(self, path: Path) -> Config:
        for config in self._configs.values():
            if config.path == path:
                return config
        return load_config(path)

    def registry_for(self, config: Config) -> Registry:
        key = config.path
        if key not in self._registries:
            registry = Registry(builtin_rules())
            if config.rule_packs:
                from redline.packs import load_packs

                for rule in load_packs(config.rule_packs):
                    registry.add(rule)
            validate(config, registry)
            self._registries[key] = registry
        return self._registries[key]

    # -- files ----------------------------------------------------------------------------

    def expand(self, paths: Iterable[str], result: RunResult) -> Iterator[str]:
        """Files to lint: named files as given, folders walked for known extensions."""
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                yield from self._walk(path, result)
            elif path.exists() or path.is_symlink():
                yield raw
            else:
                result.errors.append(FileError(raw, "no such file or directory"))

    def _walk(self, root: Path, result: RunResult) -> Iterator[str]:
        try:
            config = self.config_for(root)
        except ConfigError as error:  # its excludes are unknown: walk nothing, report the config
            config_error = FileError(error.path, error.message, error.line)
            if config_error not in result.errors:
                result.errors.append(config_error)
            return
        excluded = config.exclude + config.extend_exclude

        def unlisted(error: OSError) -> None:  # os.walk skips a folder it cannot list: say so
            reason = error.strerror.lower() if error.strerror else str(error)
            result.errors.append(FileError(str(error.filename or root), f"cannot list folder: {reason}"))

        for directory, subdirs, files in os.walk(root, onerror=unlisted):
            base = Path(directory)
            subdirs[:] = sorted(d for d in subdirs if not _excluded(base / d, d, excluded, config.root))
            for name in sorted(files):
                if Path(name).suffix.lower() in EXTENSIONS and not _excluded(
                    base / name, name, excluded, config.root
                ):
                    yield str(base / name)

    # -- linting --------------------------------------------------------------------------

    def lint_paths(self, paths: Iterable[str], progress: Progress | None = None) -> RunResult:
        """Lint files and folders; ``progress(done, total, path)`` is called after each file."""
        result = RunResult()
        files = list(self.expand(paths, result))
        if self.options.jobs != 1 and len(files) > 1:
            from redline.parallel import lint_in_workers

            lint_in_workers(self, files, result, progress)
        else:
            for done, path in enumerate(files, start=1):
                self.lint_path_into(result, path)
                if progress is not None:
                    progress(done, len(files), path)
        self._cross_file(result)
        result.notices = list(self.services.notices)
        return result

    def lint_source(self, source: Source, config_path: Path | None = None) -> RunResult:
        """Lint text that did not come from disk (stdin, an editor buffer)."""
        result = RunResult()
        limit = self._size_limit(config_path or Path(source.path))
        if limit is not None and len(source.text) > limit:
            message = f"{len(source.text):,} characters is over max-file-size ({limit:,}); not linted"
            result.errors.append(FileError(source.path, message))
            return result
        self._lint_into(result, source, config_path or Path(source.path))
        result.notices = list(self.services.notices)
        return result

    def _size_limit(self, path: Path) -> int | None:
        try:
            limit = self.config_for(path.absolute()).max_file_size
        except ConfigError:
            return None  # reported by _lint_into, with the file's other config problems
        return limit or None

    def lint_path_into(self, result: RunResult, path: str) -> None:
        try:
            source = read_source(path, self._size_limit(Path(path)))
        except SourceError as error:
            result.errors.append(FileError(path, str(error)))
            return
        self._lint_into(result, source, Path(path))

    def _lint_into(self, result: RunResult, source: Source, path: Path) -> None:
        try:
            config = self.config_for(path.absolute())
            registry = self.registry_for(config)
            rules = active_rules(config, registry, path, self.options.command_line)
        except ConfigError as error:
            config_error = FileError(error.path, error.message, error.line)
            if config_error not in result.errors:
                result.errors.append(config_error)
            return
        self.services.use_cache = config.cache if self.options.use_cache is None else self.options.use_cache
        self.services.cache_dir = self.options.cache_dir or config.cache_dir
        cross_file = self._cross_file_on(config)
        from redline.result_cache import FileCache

        cache = FileCache.open(self.services, source, rules, config, self.options.verbose, cross_file)
        hit = cache.get() if cache is not None else None
        if hit is not None:
            document = hit.document(source.path, source.text, config.spacy_model)
            findings, metrics = list(hit.findings), dict(hit.metrics)
        else:
            issued = self.services.issued
            try:
                document = parse(source.path, source.text, spacy_model=config.spacy_model)
                findings = self._run_rules(document, rules, cross_file=cross_file)
                from redline.metrics import compute

                metrics = compute(document, self.services)
            except RecursionError:
                result.errors.append(FileError(source.path, "document is nested too deeply to parse"))
                return
            if cache is not None and self.services.issued == issued:
                cache.put(document, findings, metrics)
        fail_on = self.options.fail_on or config.fail_on
        result.files.append(FileResult(source.path, source, document, findings, metrics, fail_on))
        self._pending.append((document, rules, config))

    def _cross_file_on(self, config: Config) -> bool:
        return config.cross_file if self.options.cross_file is None else self.options.cross_file

    def _context(self, active: ActiveRule) -> RuleContext:
        return RuleContext(options=active.options, services=self.services, verbose=self.options.verbose)

    def _run_rules(self, document: Document, rules: list[ActiveRule], cross_file: bool) -> list[Finding]:
        findings: list[Finding] = []
        for active in rules:
            if cross_file and active.rule.cross_file:
                continue  # runs once over every document, in _cross_file
            for finding in active.rule.check(document, self._context(active)):
                findings.append(_with_severity(finding, active.severity))
        return finalize(findings, document)

    def _cross_file(self, result: RunResult) -> None:
        """Run cross-file rules once over every document that has them active."""
        groups: dict[str, tuple[ActiveRule, list[Document]]] = {}
        for document, rules, config in self._pending:
            if not self._cross_file_on(config):
                continue
            for active in rules:
                if active.rule.cross_file:
                    groups.setdefault(active.rule.code, (active, []))[1].append(document)
        for active, documents in groups.values():
            found = active.rule.check_corpus(documents, self._context(active))
            for path, findings in found.items():
                file_result = result.file(path)
                if file_result is None:
                    continue
                extra = [_with_severity(f, active.severity) for f in findings]
                file_result.findings = finalize(file_result.findings + extra, file_result.document)
        self._pending.clear()


def finalize(findings: list[Finding], document: Document) -> list[Finding]:
    """Suppressed findings dropped, duplicates removed, sorted by position; no fix inside a quote."""
    kept = drop_quoted_fixes(unsuppressed(findings, document.directives, document.lines), document)
    kept = combine_paragraph_findings(kept)
    unique: dict[tuple[str, int, int, str], Finding] = {}
    for finding in kept:
        unique.setdefault((finding.code, finding.start, finding.end, finding.message), finding)
    return sorted(unique.values(), key=Finding.sort_key)


def _with_severity(finding: Finding, severity: Severity | None) -> Finding:
    return replace(finding, severity=severity) if severity is not None else finding


def _excluded(path: Path, name: str, patterns: list[str], root: Path) -> bool:
    import fnmatch

    if any(fnmatch.fnmatchcase(name, p) for p in patterns if "/" not in p):
        return True
    try:
        relative = resolved(path).relative_to(root.resolve()).as_posix()
    except ValueError:
        return False
    return any(glob_matches(p, relative) for p in patterns if "/" in p)


__all__ = ["DEFAULT_EXCLUDE", "FileError", "FileResult", "LintOptions", "Linter", "RunResult"]
