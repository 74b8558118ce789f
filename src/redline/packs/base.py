"""What every pack rule shares: its spec (code, name, message, scope...) and a table reader.

A pack rule is an ordinary :class:`~redline.rules.base.Rule` *instance*: its code, name,
severity and documentation are instance attributes taken from the pack, shadowing the
class-level defaults that built-in rules declare. Each kind (existence, substitution...)
is a subclass that reads its own keys from the rule's TOML table and implements ``check``.
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from redline.config import ConfigError, KeyLocator
from redline.document import BlockKind, Document
from redline.findings import Severity
from redline.packs.matching import SCOPES, Exceptions, Hit, Matcher, PatternError, scoped_ranges
from redline.rules.base import Rule, RuleContext


@dataclass(frozen=True)
class PackOptions:
    #: Phrases this rule leaves alone, added to the pack's own exceptions.
    exceptions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RuleSpec:
    """The settings every kind shares, read from one ``[[rule]]`` table."""

    code: str
    name: str
    kind: str
    summary: str
    docs: str
    message: str
    severity: Severity
    enabled: bool
    link: str
    scope: frozenset[BlockKind]
    ignore_case: bool
    word_boundaries: bool
    exceptions: tuple[str, ...]
    sources: tuple[str, ...]
    pack: str  # the pack file, for messages and ``redline explain``
    line: int | None


class PackRule(Rule):
    """A rule defined by data in a pack."""

    Options = PackOptions
    #: Fields a message template of this kind may use, besides ``match``.
    message_fields: ClassVar[frozenset[str]] = frozenset()
    default_message: ClassVar[str] = "{match}"
    default_scope: ClassVar[tuple[str, ...]] = ("prose", "headings", "list-items")
    #: The keys of this kind's ``[[rule]]`` table, besides those every kind has.
    keys: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, spec: RuleSpec) -> None:
        # Instance attributes shadow the ClassVars that built-in rules set on the class.
        vars(self).update(
            code=spec.code, name=spec.name, default_severity=spec.severity, default_enabled=spec.enabled
        )
        self.spec = spec

    @property
    def summary(self) -> str:
        return self.spec.summary

    @property
    def documentation(self) -> str:
        parts = (
            [self.spec.summary + ".", self.spec.docs.strip("\n")]
            if self.spec.docs.strip()
            else [self.spec.summary + "."]
        )
        about = [f"Defined in the rule pack {Path(self.spec.pack).name} ({self.spec.kind} rule)."]
        about.extend(self.details())
        if self.spec.link:
            about.append(f"More: {self.spec.link}")
        about.extend(f"Source: {source}" for source in self.spec.sources)
        return "\n\n".join([*parts, "\n".join(about)])

    def details(self) -> list[str]:
        """Lines about this rule's data for ``redline explain`` (entry counts, settings)."""
        return []

    def exceptions(self, ctx: RuleContext) -> Exceptions:
        extra = getattr(ctx.options, "exceptions", [])
        return Exceptions([*self.spec.exceptions, *extra], ignore_case=self.spec.ignore_case)

    def message(self, match: str, **fields: Any) -> str:
        """The rule's message template filled in; line breaks in the match become spaces."""
        return self.spec.message.format(match=" ".join(match.split()), **fields)

    def hits(self, document: Document, matcher: Matcher, ctx: RuleContext) -> Iterator[Hit]:
        """Matches in the rule's scope, minus those inside an exception."""
        exceptions = self.exceptions(ctx)
        for start, end in scoped_ranges(document, self.spec.scope):
            skip = exceptions.spans(document.prose, start, end)
            for hit in matcher.finditer(document.prose, start, end):
                if not Exceptions.covers(skip, hit.start, hit.end) and not hides_words(document, hit):
                    yield hit

    @staticmethod
    def compile_terms(
        spec: RuleSpec, reader: TableReader, key: str, terms: list[str], *, regex: bool
    ) -> Matcher:
        """A matcher for ``terms`` with the rule's case and boundary settings."""
        try:
            return Matcher(
                terms, regex=regex, ignore_case=spec.ignore_case, word_boundaries=spec.word_boundaries
            )
        except PatternError as error:
            raise reader.error(key, str(error)) from None

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> PackRule:
        """The rule for ``spec``, reading the kind's own keys from ``reader``."""
        raise NotImplementedError


def hides_words(document: Document, hit: Hit) -> bool:
    """True when masked text inside the match has letters or digits (code, a link target).

    Emphasis markers may sit inside a phrase (``*in order* to``); code may not: "in
    `x` order to" is not the phrase "in order to".
    """
    text, prose = document.text, document.prose
    return any(
        t != p and t.isalnum()
        for t, p in zip(text[hit.start : hit.end], prose[hit.start : hit.end], strict=True)
    )


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
