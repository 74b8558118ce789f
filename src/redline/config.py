"""Configuration: ``redline.toml``, ``.redline.toml`` or ``[tool.redline]`` in pyproject.toml.

The nearest config file to a linted file wins, as in ruff; ``--config`` overrides the
search. Unknown keys and bad values are errors that name the file, line and key. Rule
tables (``[rules.<code-or-name>]``) are checked against the rules' typed options once
the rule registry (built-ins plus this config's packs) is known, in :mod:`redline.options`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.findings import Severity

CONFIG_NAMES = ("redline.toml", ".redline.toml", "pyproject.toml")

DEFAULT_EXCLUDE = [
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules", "__pycache__",
    ".mypy_cache", ".ruff_cache", ".pytest_cache", "site-packages",
]  # fmt: skip

#: 1 MiB: about 170,000 words. Linting time grows with size (RL102 alone took 48 s on
#: 1 MB of prose on two cores), and a pre-commit hook must not stall on a generated file.
DEFAULT_MAX_FILE_SIZE = 1024 * 1024
#: 64 MiB: configs and rule packs bigger than this are refused (a 10,000-rule pack is 2 MB).
MAX_TOML_BYTES = 64 * 1024 * 1024


class ConfigError(Exception):
    """A config problem, located: ``path:line: message``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class RuleSettings:
    severity: Severity | None = None
    options: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    #: The line of each option's key, for errors about its value.
    option_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Override:
    files: list[str]
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: dict[str, RuleSettings] = field(default_factory=dict)


@dataclass
class Config:
    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_ignore: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.WARNING
    #: Findings below this severity are not shown (Vale's MinAlertLevel).
    min_severity: Severity = Severity.INFO
    rule_packs: list[Path] = field(default_factory=list)
    cross_file: bool = False
    cache: bool = True
    cache_dir: Path | None = None
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = field(default_factory=list)
    spacy_model: str | None = None
    #: Bigger files are reported and not linted (0: no limit); see README, Reliability.
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: Genre preset (see redline.presets): its options and selection come before the user's.
    preset: str = "general"
    rules: dict[str, RuleSettings] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    #: The line of each selector list ("select", "overrides.1.ignore"), for errors about it.
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "(defaults)"


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above directory ``start``."""
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_redline_table(candidate)):
                return candidate
    return None


def _has_redline_table(pyproject: Path) -> bool:
    from redline.source import SourceError, read_regular

    try:  # guarded: a pyproject.toml may be a FIFO swapped in, or enormous
        text = read_regular(pyproject, MAX_TOML_BYTES).decode("utf-8")
    except (SourceError, UnicodeDecodeError):
        return False
    return re.search(r"^\[tool\.redline[.\]]", text, re.MULTILINE) is not None


def read_toml(path: Path, what: str) -> tuple[str, dict[str, Any]]:
    """The text and table of a TOML file; any problem is a :class:`ConfigError` with its line.

    ``what`` names the file in messages ("config", "rule pack").
    """
    from redline.source import SourceError, read_regular

    try:  # the guards of input files: a pack may be a symlink to /dev/zero or a FIFO
        raw_text = read_regular(path, MAX_TOML_BYTES, limit="the limit for TOML files", refused="").decode(
            "utf-8-sig"
        )
    except SourceError as error:
        reason = str(error)
        raise ConfigError(
            path, None, f"{what} not found" if reason == "no such file" else f"cannot read {what}: {reason}"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(path, None, f"{what} is not valid UTF-8") from None
    try:
        return raw_text, tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+)", str(error))
        line = int(match.group(1)) if match else raw_text.count("\n") + 1  # "at end of document"
        raise ConfigError(
            path, line, f"invalid TOML: {re.sub(r' [(]at (?:line|end).*', '', str(error))}"
        ) from None


def load_config(path: Path) -> Config:
    raw_text, data = read_toml(path, "config")
    prefix: tuple[str | int, ...] = ()
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("redline", {})
        prefix = ("tool", "redline")
    reader = _Reader(path, raw_text, prefix)
    config = reader.config(data)
    config.key_lines = reader.selector_lines(data)
    return config


class _Reader:
    """Turns the raw TOML table into a :class:`Config`, checking every key and type."""

    def __init__(self, path: Path, text: str, prefix: tuple[str | int, ...]) -> None:
        self.path, self.prefix = path, prefix
        self.locator = KeyLocator(text)

    def error(self, key_path: tuple[str | int, ...], message: str) -> ConfigError:
        full = self.prefix + key_path
        return ConfigError(self.path, self.locator.line(full), message)

    def config(self, data: dict[str, Any]) -> Config:
        config = Config(path=self.path, root=self.path.parent)
        handlers = {
            "select": lambda v, k: setattr(config, "select", self.strings(v, k)),
            "extend-select": lambda v, k: setattr(config, "extend_select", self.strings(v, k)),
            "ignore": lambda v, k: setattr(config, "ignore", self.strings(v, k)),
            "extend-ignore": lambda v, k: setattr(config, "extend_ignore", self.strings(v, k)),
            "fail-on": lambda v, k: setattr(config, "fail_on", self.severity(v, k)),
            "min-severity": lambda v, k: setattr(config, "min_severity", self.severity(v, k)),
            "rule-packs": lambda v, k: setattr(config, "rule_packs", self.rule_packs(config.root, v, k)),
            "cross-file": lambda v, k: setattr(config, "cross_file", self.boolean(v, k)),
            "cache": lambda v, k: setattr(config, "cache", self.boolean(v, k)),
            "cache-dir": lambda v, k: setattr(config, "cache_dir", config.root / self.string(v, k)),
            "exclude": lambda v, k: setattr(config, "exclude", self.strings(v, k)),
            "extend-exclude": lambda v, k: setattr(config, "extend_exclude", self.strings(v, k)),
            "spacy-model": lambda v, k: setattr(config, "spacy_model", self.string(v, k)),
            "max-file-size": lambda v, k: setattr(config, "max_file_size", self.size(v, k)),
            "preset": lambda v, k: setattr(config, "preset", self.preset(v, k)),
            "rules": lambda v, k: setattr(config, "rules", self.rules(v, k)),
            "overrides": lambda v, k: setattr(config, "overrides", self.overrides(v, k)),
        }
        for key, value in data.items():
            if key not in handlers:
                raise self.error((key,), f"unknown key '{key}'{_suggest(key, handlers)}")
            handlers[key](value, (key,))
        return config

    def rule_packs(self, root: Path, value: Any, key: tuple[str | int, ...]) -> list[Path]:
        """Pack files relative to the config; a bare name that is no file is an installed pack."""
        paths = []
        for entry in self.strings(value, key):
            path = root / entry
            if not path.exists():
                from redline.packs.installed import PackNotFound, installed_pack_path, is_pack_name

                if is_pack_name(entry):
                    try:
                        path = installed_pack_path(entry)
                    except PackNotFound as error:
                        raise self.error(key, f"rule-packs: {error}") from None
            paths.append(path)
        return paths

    def rules(self, value: Any, key: tuple[str | int, ...]) -> dict[str, RuleSettings]:
        table = self.table(value, key)
        settings = {}
        for rule_key, body in table.items():
            where = (*key, rule_key)
            options = dict(self.table(body, where))
            severity = options.pop("severity", None)
            settings[rule_key] = RuleSettings(
                severity=self.severity(severity, (*where, "severity")) if severity is not None else None,
                options=options,
                line=self.locator.line(self.prefix + where),
                option_lines=self.lines_of(where, options),
            )
        return settings

    def lines_of(self, where: tuple[str | int, ...], table: dict[str, Any]) -> dict[str, int]:
        lines = {key: self.locator.line((*self.prefix, *where, key)) for key in table}
        return {key: line for key, line in lines.items() if line is not None}

    def selector_lines(self, data: dict[str, Any]) -> dict[str, int]:
        """Lines of the selector lists: ``select`` at top level, ``overrides.0.select`` in overrides."""
        keys = ("select", "extend-select", "ignore")
        lines = {key: line for key, line in self.lines_of((), data).items() if key in keys}
        for index, entry in enumerate(data.get("overrides", [])):
            for key, line in self.lines_of(("overrides", index), entry).items():
                if key in keys:
                    lines[f"overrides.{index}.{key}"] = line
        return lines

    def overrides(self, value: Any, key: tuple[str | int, ...]) -> list[Override]:
        if not isinstance(value, list):
            raise self.error(key, "'overrides' must be an array of tables ([[overrides]])")
        result = []
        for index, raw_entry in enumerate(value):
            where = (*key, index)
            entry = self.table(raw_entry, where)
            if "files" not in entry:
                raise self.error(where, "an [[overrides]] entry needs 'files' (a list of globs)")
            override = Override(files=self.strings(entry["files"], (*where, "files")))
            for name, item in entry.items():
                item_key = (*where, name)
                if name == "select":
                    override.select = self.strings(item, item_key)
                elif name == "extend-select":
                    override.extend_select = self.strings(item, item_key)
                elif name == "ignore":
                    override.ignore = self.strings(item, item_key)
                elif name == "rules":
                    override.rules = self.rules(item, item_key)
                elif name != "files":
                    raise self.error(item_key, f"unknown key '{name}' in [[overrides]]")
            result.append(override)
        return result

    def table(self, value: Any, key: tuple[str | int, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(key, f"'{_dotted(key)}' must be a table")
        return value

    def strings(self, value: Any, key: tuple[str | int, ...]) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, f"'{_dotted(key)}' must be a list of strings")
        return list(value)

    def string(self, value: Any, key: tuple[str | int, ...]) -> str:
        if not isinstance(value, str):
            raise self.error(key, f"'{_dotted(key)}' must be a string")
        return value

    def size(self, value: Any, key: tuple[str | int, ...]) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.error(key, f"'{_dotted(key)}' must be a number of bytes (0: no limit)")
        return value

    def boolean(self, value: Any, key: tuple[str | int, ...]) -> bool:
        if not isinstance(value, bool):
            raise self.error(key, f"'{_dotted(key)}' must be true or false")
        return value

    def preset(self, value: Any, key: tuple[str | int, ...]) -> str:
        from redline.presets import preset_named

        try:
            return preset_named(self.string(value, key)).name
        except ValueError as error:
            raise self.error(key, f"'{_dotted(key)}': {error}") from None

    def severity(self, value: Any, key: tuple[str | int, ...]) -> Severity:
        try:
            return Severity.parse(self.string(value, key))
        except ValueError as error:
            raise self.error(key, f"'{_dotted(key)}': {error}") from None


def _dotted(key: tuple[str | int, ...]) -> str:
    return ".".join(str(k) for k in key if not isinstance(k, int))


def _suggest(key: str, known: Any) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


_TABLE_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY_LINE = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)


def _split_key(dotted: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", dotted)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


class KeyLocator:
    """Finds the line a TOML key is defined on (tomllib keeps no positions).

    Paths are tuples of keys, with an int for the index into an array of tables:
    ``("overrides", 0, "files")``. A key that cannot be placed exactly (inside an inline
    table, say) is reported at the nearest enclosing key that can.
    """

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str | int, ...], int] = {}
        counts: dict[tuple[str, ...], int] = {}
        table: tuple[str | int, ...] = ()
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                in_multiline = line.count('"""') % 2 == 0 and line.count("'''") % 2 == 0
                continue
            header = _TABLE_HEADER.match(line)
            if header:
                keys = tuple(_split_key(header.group(2)))
                if header.group(1) == "[[":
                    index = counts.get(keys, -1) + 1
                    counts[keys] = index
                    table = (*self._indexed(keys, counts), index)
                else:
                    table = self._indexed(keys, counts)
                self.lines.setdefault(table, number)
                continue
            key = _KEY_LINE.match(line)
            if key:
                path = (*table, *_split_key(key.group(1)))
                self.lines.setdefault(path, number)
                rest = line[key.end() :]
                in_multiline = rest.count('"""') % 2 == 1 or rest.count("'''") % 2 == 1

    @staticmethod
    def _indexed(keys: tuple[str, ...], counts: dict[tuple[str, ...], int]) -> tuple[str | int, ...]:
        """Insert array-of-tables indexes for the parents of a sub-table: [[a]] then [a.b]."""
        path: list[str | int] = []
        for i, key in enumerate(keys):
            path.append(key)
            parent = keys[: i + 1]
            if parent in counts and i + 1 < len(keys):
                path.append(counts[parent])
        return tuple(path)

    def line(self, path: tuple[str | int, ...]) -> int | None:
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None
