"""Typed access to one ``[[rule]]`` table of a pack; errors name the file, line and rule."""

from __future__ import annotations

import difflib
import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from redline.config import ConfigError, KeyLocator
from redline.document import BlockKind
from redline.packs.matching import SCOPES


class TableReader:
    """Typed access to one ``[[rule]]`` table; errors name the pack file, line and rule."""

    def __init__(self, path: Path, locator: KeyLocator, index: int, table: dict[str, Any]) -> None:
        self.path, self.locator, self.index, self.table = path, locator, index, table
        self.used: set[str] = set()
        self.label = f"rule #{index + 1}"

    def error(self, key: str | tuple[str, ...] | None, message: str) -> ConfigError:
        """An error at ``key`` of this rule (a key, a path of keys, or None: the rule itself)."""
        keys = (key,) if isinstance(key, str) else (key or ())
        line = self.locator.line(("rule", self.index, *keys))
        return ConfigError(self.path, line, f"{self.label}: {message}")

    def has(self, key: str) -> bool:
        return key in self.table

    def get(self, key: str, default: Any = None) -> Any:
        self.used.add(key)
        return self.table.get(key, default)

    def string(self, key: str, default: str | None = None) -> str:
        value = self.get(key, default)
        if value is None:
            raise self.error(None, f"'{key}' is required")
        if not isinstance(value, str):
            raise self.error(key, f"'{key}' must be a string")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"'{key}' must be true or false")
        return value

    def integer(self, key: str, default: int | None = None, minimum: int = 0) -> int:
        value = self.get(key, default)
        if value is None:
            raise self.error(None, f"'{key}' is required")
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.error(key, f"'{key}' must be an integer of at least {minimum}")
        return value

    def strings(self, key: str, default: Iterable[str] = ()) -> list[str]:
        value = self.get(key, list(default))
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(key, f"'{key}' must be a list of non-empty strings")
        return list(value)

    def choice(self, key: str, choices: Iterable[str], default: str) -> str:
        value = self.string(key, default)
        options = list(choices)
        if value not in options:
            raise self.error(key, f"'{key}' must be one of {', '.join(options)}, not {value!r}")
        return value

    def table_of(self, key: str) -> dict[str, Any]:
        value = self.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, f"'{key}' must be a table")
        return value

    def scope(self, default: Iterable[str]) -> frozenset[BlockKind]:
        names = self.strings("scope", default)
        kinds: set[BlockKind] = set()
        for name in names:
            if name not in SCOPES:
                raise self.error("scope", f"unknown scope {name!r} (scopes: {', '.join(SCOPES)})")
            kinds |= SCOPES[name]
        return frozenset(kinds)

    def template(self, key: str, default: str, allowed: frozenset[str]) -> str:
        template = self.string(key, default)
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
        except ValueError as error:
            raise self.error(key, f"bad message template: {error}") from None
        for name in names:
            if name not in allowed:
                raise self.error(
                    key, f"unknown field '{{{name}}}' in message (fields: {', '.join(sorted(allowed))})"
                )
        return template

    def check_unknown(self, known: Iterable[str] | None = None) -> None:
        allowed = set(known) if known is not None else self.used
        for key in self.table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise self.error(key, f"unknown key '{key}'{hint}")
