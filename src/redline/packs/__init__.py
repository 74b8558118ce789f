"""Rule packs: house styles as data (TOML), turned into ordinary rules.

A pack is a TOML file with a ``[pack]`` table and one ``[[rule]]`` table per rule. Each
rule names its ``kind`` (existence, substitution, consistency, capitalization,
occurrence, script, repetition, conditional), its ``code`` and dotted ``name``, and the
keys of its kind; every kind also takes ``message``, ``severity``, ``link``, ``scope``,
``ignore-case``, ``word-boundaries``, ``exceptions``, ``summary``, ``docs``, ``sources``
and ``enabled``. See the README section "House style: rule packs".

The built-in packs live in the repository's ``rules/`` folder, shipped inside the wheel
as ``redline/packs_data``; :func:`builtin_pack_dir` finds whichever is there. User packs
are listed in the config (``rule-packs = ["styles/house.toml"]``) and loaded by
:func:`load_packs`; a folder there is a Vale style or vocabulary and a ``.ini`` a Vale config
(:mod:`redline.packs.vale`). A pack with a mistake is a :class:`~redline.config.ConfigError` that
names the pack file, the line and the rule.
"""

from __future__ import annotations

import functools
import importlib
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from redline.config import ConfigError, KeyLocator, read_toml
from redline.findings import Severity
from redline.packs.base import PackRule, RuleSpec
from redline.packs.reader import TableReader
from redline.rules.base import AnyRule

KINDS = {
    "existence": "redline.packs.existence:ExistenceRule",
    "substitution": "redline.packs.substitution:SubstitutionRule",
    "consistency": "redline.packs.consistency:ConsistencyRule",
    "capitalization": "redline.packs.capitalization:CapitalizationRule",
    "occurrence": "redline.packs.occurrence:OccurrenceRule",
    "script": "redline.packs.script:ScriptRule",
    "repetition": "redline.packs.repetition:RepetitionRule",
    "conditional": "redline.packs.conditional:ConditionalRule",
}
_CODE = re.compile(r"[A-Z][A-Z0-9]*[0-9]+")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+")
_PACK_KEYS = {"name", "description", "sources"}
COMMON_KEYS = frozenset(
    [
        "code",
        "name",
        "kind",
        "summary",
        "docs",
        "message",
        "severity",
        "enabled",
        "link",
        "scope",
        "ignore-case",
        "word-boundaries",
        "exceptions",
        "sources",
    ]
)


def builtin_pack_dir() -> Path | None:
    """The built-in packs: ``redline/packs_data`` in a wheel, else the checkout's ``rules/``."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "packs_data", package.parent.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return None


_PACK_HEADER = re.compile(r"^\[pack\]", re.MULTILINE)


def builtin_pack_paths() -> list[Path]:
    """The pack files among the data files of ``rules/`` (those with a ``[pack]`` table)."""
    folder = builtin_pack_dir()
    if folder is None:
        return []
    return [p for p in sorted(folder.glob("*.toml")) if _PACK_HEADER.search(p.read_text("utf-8"))]


@functools.cache
def _builtin_rules() -> tuple[PackRule, ...]:
    rules: list[PackRule] = []
    for path in builtin_pack_paths():
        rules.extend(load_pack(path))
    return tuple(rules)


def builtin_pack_rules() -> list[PackRule]:
    """The rules of the built-in packs (parsed once per process; rules are stateless)."""
    return list(_builtin_rules())


def load_packs(
    paths: Iterable[Path | str], existing: Iterable[AnyRule] = (), warn: Callable[[str], None] | None = None
) -> list[PackRule]:
    """The rules of the user packs at ``paths``; codes and names must not clash with each
    other's nor with those of the ``existing`` rules (the built-in ones, in a registry).

    A folder is a Vale style or vocabulary (:mod:`redline.packs.vale`); what it cannot
    map goes to ``warn`` (default: a :class:`UserWarning`).
    """
    taken = {key: "a built-in rule" for rule in existing for key in (rule.code.upper(), rule.name.lower())}
    rules: list[PackRule] = []
    files: list[Path] = []
    for given in map(Path, paths):
        if given.suffix == ".ini" and given.is_file():  # a .vale.ini: its styles and vocabularies
            from redline.packs.vale import read_vale_ini

            files.extend(f for f in read_vale_ini(given, warn or _warn) if f not in files)
        elif given not in files:
            files.append(given)
    folders = [p for p in files if p.is_dir()]
    loaded: dict[Path, list[PackRule]] = {}
    if folders:
        from redline.packs.vale import load_vale_packs

        loaded = load_vale_packs(folders, warn or _warn)
    for path in files:
        for rule in loaded[path] if path in loaded else load_pack(path):
            for key in (rule.code.upper(), rule.name.lower()):
                if key in taken:
                    raise ConfigError(
                        path, rule.spec.line, f"rule {rule.code}: '{key}' is already used by {taken[key]}"
                    )
                taken[key] = f"rule pack {Path(path).name}"
            rules.append(rule)
    return rules


def load_pack(path: Path) -> list[PackRule]:
    """Parse and validate one pack file."""
    text, data = read_toml(path, "rule pack")
    locator = KeyLocator(text)
    pack = _pack_table(path, locator, data)
    for key in data:
        if key not in ("pack", "rule"):
            raise ConfigError(
                path, locator.line((key,)), f"unknown key '{key}' (a pack has [pack] and [[rule]])"
            )
    rules = data.get("rule", [])
    if not isinstance(rules, list) or not rules:
        raise ConfigError(path, locator.line(("rule",)), "a rule pack needs at least one [[rule]] table")
    built: list[PackRule] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(rules):
        rule = _build_rule(path, locator, index, table, pack)
        for key in (rule.code, rule.name):
            if key in seen:
                raise ConfigError(
                    path, rule.spec.line, f"rule {rule.code}: '{key}' is defined twice in this pack"
                )
            seen[key] = index
        built.append(rule)
    return built


def _warn(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=3)


def _pack_table(path: Path, locator: KeyLocator, data: dict[str, Any]) -> dict[str, Any]:
    pack = data.get("pack", {})
    if not isinstance(pack, dict):
        raise ConfigError(path, locator.line(("pack",)), "'pack' must be a table")
    for key in pack:
        if key not in _PACK_KEYS:
            raise ConfigError(path, locator.line(("pack", key)), f"[pack]: unknown key '{key}'")
    return pack


def _build_rule(path: Path, locator: KeyLocator, index: int, table: Any, pack: dict[str, Any]) -> PackRule:
    if not isinstance(table, dict):
        raise ConfigError(path, locator.line(("rule",)), "'rule' must be an array of tables ([[rule]])")
    reader = TableReader(path, locator, index, table)
    code = reader.string("code")
    if not _CODE.fullmatch(code):
        raise reader.error("code", f"code {code!r} must be capital letters then digits, e.g. 'HS101'")
    reader.label = f"rule {code}"
    name = reader.string("name")
    if not _NAME.fullmatch(name):
        raise reader.error("name", f"name {name!r} must be dotted lower-case words, e.g. 'house.no-jargon'")
    if not reader.has("kind"):
        raise reader.error(None, f"'kind' is required (one of {', '.join(KINDS)})")
    kind_name = reader.choice("kind", KINDS, "")
    module_name, class_name = KINDS[kind_name].split(":")
    kind: type[PackRule] = getattr(importlib.import_module(module_name), class_name)
    reader.check_unknown(COMMON_KEYS | kind.keys)
    try:
        severity = Severity.parse(reader.string("severity", "warning"))
    except ValueError as error:
        raise reader.error("severity", str(error)) from None
    spec = RuleSpec(
        code=code,
        name=name,
        kind=kind_name,
        summary=reader.string("summary", pack.get("description") or name).strip().rstrip("."),
        docs=reader.string("docs", ""),
        message=reader.template("message", kind.default_message, kind.message_fields | {"match"}),
        severity=severity,
        enabled=reader.boolean("enabled", True),
        link=reader.string("link", ""),
        scope=reader.scope(kind.default_scope),
        ignore_case=reader.boolean("ignore-case", True),
        word_boundaries=reader.boolean("word-boundaries", True),
        exceptions=tuple(reader.strings("exceptions")),
        sources=tuple(reader.strings("sources", pack.get("sources") or [])),
        pack=str(path),
        line=locator.line(("rule", index)),
    )
    rule = kind.build(spec, reader)
    reader.check_unknown()
    return rule


__all__ = ["KINDS", "PackRule", "builtin_pack_dir", "builtin_pack_rules", "load_pack", "load_packs"]
