"""Which rules run on a file, with which options and severity.

Settings are layered: the config file, then each ``[[overrides]]`` entry whose globs match
the file, then the command line. ``select`` replaces the set chosen so far, ``ignore``
(``extend-ignore`` is the same) and ``extend-select`` add to it; between a selector that
enables a rule and one that disables it, the more specific (longer) one wins, and on a tie
``ignore`` wins.

A selector is ``ALL``, a code prefix, a dotted-name prefix, or anything ``redline explain``
accepts (a rule's unambiguous short name, ``doubled-word``). A selector that names no
rule is an error everywhere, with the closest known name as a suggestion.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.config import Config, ConfigError, RuleSettings
from redline.findings import Severity
from redline.presets import Preset, preset_named
from redline.rules import Registry, selector_specificity
from redline.rules.base import AnyRule, option_bounds


@dataclass
class CommandLineSettings:
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    #: ``--preset``: replaces the config's ``preset``.
    preset: str | None = None
    extend_ignore: list[str] = field(default_factory=list)

    def named(self) -> list[tuple[str, str]]:
        """``(option, selector)`` for every selector given, to check and to name in errors."""
        return [
            (option, selector)
            for option, values in (
                ("--select", self.select or []),
                ("--extend-select", self.extend_select),
                ("--ignore", self.ignore),
                ("--extend-ignore", self.extend_ignore),
            )
            for selector in values
        ]


@dataclass(frozen=True)
class ActiveRule:
    rule: AnyRule
    options: Any
    severity: Severity | None


@dataclass
class _Layer:
    select: list[str] | None
    extend_select: list[str]
    ignore: list[str]


def active_rules(
    config: Config, registry: Registry, path: Path | None, cli: CommandLineSettings
) -> list[ActiveRule]:
    return rules_for_overrides(config, registry, matching_overrides(config, path), cli)


def matching_overrides(config: Config, path: Path | None) -> tuple[int, ...]:
    """The indices of the ``[[overrides]]`` entries whose globs match ``path``."""
    relative = _relative(path, config.root) if path else None
    if relative is None:
        return ()
    return tuple(
        index
        for index, override in enumerate(config.overrides)
        if any(glob_matches(g, relative) for g in override.files)
    )


def rules_for_overrides(
    config: Config, registry: Registry, overrides: tuple[int, ...], cli: CommandLineSettings
) -> list[ActiveRule]:
    """The active rules of a file that the ``overrides`` entries (indices) apply to."""
    preset = preset_named(cli.preset or config.preset)
    layers = [
        _Layer(None, [], list(preset.ignore)),
        _Layer(config.select, config.extend_select, config.ignore + config.extend_ignore),
    ]
    rule_settings: dict[str, RuleSettings] = dict(config.rules)
    for override in (config.overrides[i] for i in overrides):
        layers.append(_Layer(override.select, override.extend_select, override.ignore))
        for key, settings in override.rules.items():
            base = rule_settings.get(key, RuleSettings())
            merged = RuleSettings(settings.severity or base.severity, {**base.options, **settings.options})
            merged.line = settings.line
            merged.option_lines = {**base.option_lines, **settings.option_lines}
            rule_settings[key] = merged
    layers.append(_Layer(cli.select, cli.extend_select, cli.ignore + cli.extend_ignore))
    layers = [_resolved_layer(layer, registry) for layer in layers]
    enabled = [r for r in registry if _enabled(r, layers)]
    by_rule = _with_preset(preset, _settings_by_rule(config, registry, rule_settings))
    return [
        ActiveRule(
            rule, build_options(config, rule, by_rule.get(rule.code)), _severity(by_rule.get(rule.code))
        )
        for rule in enabled
    ]


def _with_preset(preset: Preset, by_rule: dict[str, RuleSettings]) -> dict[str, RuleSettings]:
    """The user's rule settings (by code) over the preset's options: the user's win."""
    merged = dict(by_rule)
    for code, options in preset.rules.items():
        user = by_rule.get(code)
        combined = RuleSettings(
            user.severity if user else None, {**options, **(user.options if user else {})}
        )
        combined.line = user.line if user else None
        combined.option_lines = dict(user.option_lines) if user else {}
        merged[code] = combined
    return merged


def validate(config: Config, registry: Registry) -> None:
    """Raise :class:`ConfigError` for any rule table that names no rule or a bad option."""
    tables = [config.rules, *(o.rules for o in config.overrides)]
    for table in tables:
        for rule_code, settings in _settings_by_rule(config, registry, table).items():
            rule = registry.get(rule_code)
            assert rule is not None
            build_options(config, rule, settings)
    layers = {
        "select": config.select or [],
        "extend-select": config.extend_select,
        "ignore": config.ignore,
        "extend-ignore": config.extend_ignore,
    }
    for index, override in enumerate(config.overrides):
        layers[f"overrides.{index}.select"] = override.select or []
        layers[f"overrides.{index}.extend-select"] = override.extend_select
        layers[f"overrides.{index}.ignore"] = override.ignore
    for key, layer_selectors in layers.items():
        for selector in layer_selectors:
            problem = selector_problem(selector, registry)
            if problem:
                raise ConfigError(config.label, config.key_lines.get(key), problem)


def resolve_selector(selector: str, registry: Registry) -> str:
    """``selector`` as the selection matches it: a short name becomes the rule's dotted name."""
    if registry.matches(selector):
        return selector
    rule = registry.get(selector)
    return rule.name if rule is not None else selector


def selector_problem(selector: str, registry: Registry) -> str | None:
    """Why ``selector`` selects nothing (with a did-you-mean), or None when it names a rule."""
    if registry.matches(resolve_selector(selector, registry)):
        return None
    short = selector.lower()
    ambiguous = [r for r in registry if r.name.lower().rsplit(".", 1)[-1] == short]
    if len(ambiguous) > 1:
        names = ", ".join(r.name for r in ambiguous)
        return f"selector '{selector}' is ambiguous: it is the short name of {names}"
    return f"selector '{selector}' matches no rule{_did_you_mean(selector, registry)}"


def _did_you_mean(selector: str, registry: Registry) -> str:
    import difflib

    known: dict[str, str] = {}
    for rule in registry:
        short = rule.name.rsplit(".", 1)[-1]
        for key in (rule.code, rule.name, short):
            known.setdefault(key.lower(), key)
    close = difflib.get_close_matches(selector.lower(), list(known), n=1, cutoff=0.6)
    return f" (did you mean '{known[close[0]]}'?)" if close else ""


def _resolved_layer(layer: _Layer, registry: Registry) -> _Layer:
    def resolve(selectors: list[str]) -> list[str]:
        return [resolve_selector(s, registry) for s in selectors]

    select = resolve(layer.select) if layer.select is not None else None
    return _Layer(select, resolve(layer.extend_select), resolve(layer.ignore))


def _severity(settings: RuleSettings | None) -> Severity | None:
    return settings.severity if settings else None


def _enabled(rule: AnyRule, layers: list[_Layer]) -> bool:
    on = rule.default_enabled
    for layer in layers:
        chosen = _best(layer.extend_select + (layer.select or []), rule)
        dropped = _best(layer.ignore, rule)
        if dropped is not None and (chosen is None or dropped >= chosen):
            on = False
        elif chosen is not None:
            on = True
        elif layer.select is not None:
            on = False
    return on


def _best(selectors: list[str], rule: AnyRule) -> int | None:
    scores = [s for s in (selector_specificity(sel, rule) for sel in selectors) if s is not None]
    return max(scores) if scores else None


def _settings_by_rule(
    config: Config, registry: Registry, table: dict[str, RuleSettings]
) -> dict[str, RuleSettings]:
    result = {}
    for key, settings in table.items():
        rule = registry.get(key)
        if rule is None:
            raise ConfigError(config.label, settings.line, f"[rules.{key}]: no rule has this code or name")
        result[rule.code] = settings
    return result


def build_options(config: Config, rule: AnyRule, settings: RuleSettings | None) -> Any:
    if settings is None or not settings.options:
        return rule.default_options()
    hints = _hints(rule.Options)
    fields = {f.name.replace("_", "-"): f for f in dataclasses.fields(rule.Options)}
    values = {}
    for key, value in settings.options.items():
        where = f"[rules.{rule.name}] {key}"
        line = settings.option_lines.get(key, settings.line)
        if key not in fields:
            known = ", ".join(sorted(fields)) or "none"
            raise ConfigError(config.label, line, f"{where}: unknown option (options: {known}, severity)")
        expected = hints[fields[key].name]
        if not _type_ok(value, expected):
            raise ConfigError(config.label, line, f"{where}: expected {_type_name(expected)}, got {value!r}")
        problem = out_of_bounds(fields[key], value, integer=expected is int)
        if problem:
            raise ConfigError(config.label, line, f"{where}: {problem}")
        values[fields[key].name] = float(value) if expected is float else value
    options = dataclasses.replace(rule.default_options(), **values)
    problems = list(rule.option_problems(options))
    if problems:  # the first about an option the config set, else the first
        key, problem = next((p for p in problems if p[0] in settings.options), problems[0])
        line = settings.option_lines.get(key, settings.line)
        raise ConfigError(config.label, line, f"[rules.{rule.name}] {key}: {problem}")
    return options


def out_of_bounds(option: dataclasses.Field[Any], value: Any, *, integer: bool) -> str | None:
    """What is wrong with a well-typed ``value`` for ``option``, or None when it is in range."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # strings, lists, booleans and None (a default chosen by the rule)
    bounds = option_bounds(option)
    if bounds.admits(value):
        return None
    return f"must be {bounds.describe(integer)}, got {value!r}"


@functools.cache
def _hints(options_type: type) -> dict[str, Any]:
    return typing.get_type_hints(options_type)


def _type_ok(value: Any, expected: Any) -> bool:
    origin = typing.get_origin(expected)
    if origin is typing.Literal:
        return value in typing.get_args(expected)
    if origin in (typing.Union, types.UnionType):
        return any(_type_ok(value, arg) for arg in typing.get_args(expected))
    if expected is type(None):
        return value is None
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if origin is list:
        (item,) = typing.get_args(expected) or (Any,)
        return isinstance(value, list) and all(item is Any or _type_ok(v, item) for v in value)
    if origin is dict:
        return isinstance(value, dict)
    if expected is Any:
        return True
    return isinstance(value, expected)


def _type_name(expected: Any) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}
    if expected in names:
        return names[expected]
    if typing.get_origin(expected) is list:
        return "a list"
    if typing.get_origin(expected) is typing.Literal:
        return " or ".join(repr(v) for v in typing.get_args(expected))
    return str(expected).replace("typing.", "")


def resolved(path: Path) -> Path:
    """``path.resolve()``, except that a symlink loop resolves to where the link is."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return path.parent.resolve() / path.name


def _relative(path: Path, root: Path) -> str:
    try:
        return resolved(path).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@functools.lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    if "/" not in pattern.rstrip("/"):
        pattern = "**/" + pattern
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?")


def glob_matches(pattern: str, relative_path: str) -> bool:
    """gitignore-like: ``*`` stays in a folder, ``**`` crosses folders, a bare name matches anywhere."""
    pattern = pattern.removeprefix("./")
    return _glob_regex(pattern).fullmatch(relative_path) is not None
