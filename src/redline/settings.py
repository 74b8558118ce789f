"""Settings resolved once per config file, as ruff's resolver does.

:class:`LintOptions` is what the command line (or an editor, or a test) asks for. A
:class:`Resolver` finds the config that governs each path, loads it once, builds its rule
registry (built-in rules plus its packs) once, validates it, and applies the command line
as a transform: the result is one frozen :class:`Settings` per config file. Linting a file
needs nothing else (see :func:`redline.lint.lint_source`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from redline.config import Config, ConfigError, find_config, load_config
from redline.findings import Severity
from redline.packs import load_packs
from redline.rules import Registry, builtin_rules
from redline.selection import (
    ActiveRule,
    CommandLineSettings,
    matching_overrides,
    rules_for_overrides,
    validate,
)


@dataclass
class LintOptions:
    command_line: CommandLineSettings = field(default_factory=CommandLineSettings)
    config_path: Path | None = None
    #: A config to use for every file instead of looking one up (editors, tests).
    config: Config | None = None
    cross_file: bool | None = None
    use_cache: bool | None = None
    cache_dir: Path | None = None
    fail_on: Severity | None = None
    min_severity: Severity | None = None
    verbose: bool = False
    #: Worker processes for per-file linting (1: in this process; 0: one per CPU).
    jobs: int = 1


@dataclass(frozen=True)
class Settings:
    """Everything that decides how the files under one config are linted."""

    config: Config
    registry: Registry
    command_line: CommandLineSettings
    fail_on: Severity
    #: Findings below this severity are not shown (Vale's MinAlertLevel).
    min_severity: Severity
    use_cache: bool
    cache_dir: Path | None
    cross_file: bool
    verbose: bool
    _active: dict[tuple[int, ...], list[ActiveRule]] = field(default_factory=dict, compare=False, repr=False)

    def rules_for(self, path: Path | None) -> list[ActiveRule]:
        """The rules active for ``path``: computed once per set of matching overrides."""
        key = matching_overrides(self.config, path)
        if key not in self._active:
            self._active[key] = rules_for_overrides(self.config, self.registry, key, self.command_line)
        return self._active[key]


def registry_for(config: Config, warn: Callable[[str], None] | None = None) -> Registry:
    """The built-in rules plus the config's rule packs, validated against its rule tables;
    what a pack cannot map (a Vale key redline has no use for) goes to ``warn``."""
    registry = Registry(builtin_rules())
    for rule in load_packs(config.rule_packs, existing=registry, warn=warn):
        registry.add(rule)
    validate(config, registry)
    return registry


class Resolver:
    """Paths to :class:`Settings`, each config file read and resolved once."""

    def __init__(self, options: LintOptions, warn: Callable[[str], None] | None = None) -> None:
        self.options = options
        self.warn = warn
        if options.config is not None:
            self._forced: Config | None = options.config
        else:
            self._forced = load_config(options.config_path) if options.config_path else None
        self._by_folder: dict[Path, Config] = {}
        self._settings: dict[Path | None, Settings] = {}

    def config_for(self, path: Path) -> Config:
        """The config that governs ``path``: the forced one, else the nearest file, else defaults."""
        if self._forced is not None:
            return self._forced
        directory = (path if path.is_dir() else path.parent).resolve()
        if directory not in self._by_folder:
            found = find_config(directory)
            known = next((c for c in self._by_folder.values() if c.path == found), None) if found else None
            self._by_folder[directory] = known or (load_config(found) if found else Config())
        return self._by_folder[directory]

    def settings_for(self, path: Path) -> Settings:
        """Raises :class:`~redline.config.ConfigError` for a config that cannot be used."""
        return self.settings_of(self.config_for(path))

    def settings_of(self, config: Config) -> Settings:
        if config.path not in self._settings:
            options = self.options
            self._settings[config.path] = Settings(
                config=config,
                registry=registry_for(config, self.warn),
                command_line=options.command_line,
                fail_on=options.fail_on or config.fail_on,
                min_severity=options.min_severity or config.min_severity,
                use_cache=config.cache if options.use_cache is None else options.use_cache,
                cache_dir=options.cache_dir or config.cache_dir,
                cross_file=config.cross_file if options.cross_file is None else options.cross_file,
                verbose=options.verbose,
            )
        return self._settings[config.path]


__all__ = ["ConfigError", "LintOptions", "Resolver", "Settings", "registry_for"]
