"""Hostile configs and rule packs (hypothesis): a repository's files never crash redline.

A config or pack written by an attacker (or by a fuzzer) either loads, and then lints
without an exception, or is refused with a :class:`ConfigError` that names the file and a
line inside it. Values are drawn from everything TOML can say (huge and negative
integers, NaN and infinities, empty and odd strings, nested lists and tables), keys from
the real ones and from noise. Example counts follow the profile in tests/conftest.py.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

from redline.config import ConfigError
from redline.engine import Linter
from redline.markup import parse
from redline.packs import COMMON_KEYS, KINDS, load_pack
from redline.rules import builtin_rules
from redline.rules.base import RuleContext
from redline.selection import CommandLineSettings, active_rules
from redline.services import Services
from redline.settings import LintOptions
from redline.source import Source

SCALE = {"fast": 1, "long": 10}[os.environ.get("REDLINE_HYPOTHESIS_PROFILE", "fast")]
LONG_DOCUMENT = parse(
    "doc.md",
    "# The flood\n\nThe river flooded the old town in the spring of last year. The water rose "
    "faster than anyone in the town had expected it to rise. Nobody expected the water to rise so "
    "quickly in the old town last spring. Very very many houses were damaged, it is said, by the "
    "flood.\n\n- The council met the next morning to count the damage to the houses.\n"
    "- The council met the next day to count the damage done to the houses.\n",
)
SAMPLE = (
    "# Colour\n\nWe utilize the the colour in order to Read it. Very very basically, it is said "
    "that results were obtained.\n\n- an item\n- An Item\n"
)
WORDS = ["", " ", "RL1", "ALL", "RL102", "hedge", "(a+)+$", "\\1", "a|b", "{match}", "{nope}", "{", "colour",
         "prose", "headings", "error", "info", "safe", "unsafe", "none", "section", "Latin", "\x1b[2J", "é"]  # fmt: skip

_RULES = builtin_rules()
RULE_KEYS = sorted({key for rule in _RULES for key in (rule.code, rule.name)})
OPTION_KEYS = sorted(
    {f.name.replace("_", "-") for rule in _RULES for f in dataclasses.fields(rule.Options)} | {"severity"}
)
CONFIG_KEYS = ["select", "extend-select", "ignore", "fail-on", "cross-file", "cache", "exclude",
               "extend-exclude", "max-file-size", "rules", "overrides"]  # fmt: skip
# Not generated: rule-packs, cache-dir and spacy-model name other files and models; their
# guards are tested one by one (tests/test_reliability_config.py, test_embedding_cache_guards.py).


def _noise_key() -> st.SearchStrategy[str]:
    return st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)


scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 1, -1, 2]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(WORDS),
    st.text(max_size=12),
)


def values(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=8,
    )


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def _escaped(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if ord(char) < 0x20 or ord(char) == 0x7F or 0xD800 <= ord(char) < 0xE000:
        return f"\\u{ord(char):04x}"  # a lone surrogate stays, escaped: invalid TOML is a case too
    return char


def toml_string(text: str) -> str:
    return '"' + "".join(_escaped(c) for c in text) + '"'


def toml_table(table: dict[str, Any]) -> str:
    return "".join(f"{toml_string(key)} = {toml_value(value)}\n" for key, value in table.items())


selectors = st.lists(
    st.one_of(st.sampled_from([*RULE_KEYS, "RL", "RL1", "ALL", "hedging"]), st.text(max_size=5)), max_size=3
)
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "select": selectors,
    "extend-select": selectors,
    "ignore": selectors,
    "fail-on": st.sampled_from(["error", "warning", "info", "none", "Error", ""]),
    "cross-file": st.booleans(),
    "cache": st.booleans(),
    "exclude": st.lists(st.sampled_from(["*.md", "**", "[", "", "/"]), max_size=2),
    "max-file-size": st.integers(-10, 10**12),
}
numbers = st.one_of(
    st.integers(-3, 200), st.floats(-3, 200), st.sampled_from([math.nan, math.inf, -math.inf, 2**63 - 1])
)


def config_value(draw: st.DrawFn, key: str, keys: st.SearchStrategy[str]) -> Any:
    plausible = PLAUSIBLE.get(key)
    if plausible is not None and draw(st.integers(0, 3)):
        return draw(plausible)
    return draw(values(keys))


def option_value(draw: st.DrawFn, keys: st.SearchStrategy[str]) -> Any:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(values(keys))
    if choice == 1:
        return draw(st.lists(st.sampled_from(WORDS), max_size=3))
    return draw(st.one_of(numbers, st.booleans(), st.sampled_from(WORDS)))


RULE_OPTIONS = {
    key: sorted({f.name.replace("_", "-") for f in dataclasses.fields(rule.Options)} | {"severity"})
    for rule in _RULES
    for key in (rule.code, rule.name)
}


NUMERIC_OPTIONS = {
    rule.code: sorted(
        f.name.replace("_", "-")
        for f in dataclasses.fields(rule.Options)
        if f.type in ("int", "float", "float | None")
    )
    for rule in _RULES
}
NUMERIC_RULES = sorted(code for code, options in NUMERIC_OPTIONS.items() if options)


@st.composite
def hostile_configs(draw: st.DrawFn) -> str:
    config_key = st.one_of(st.sampled_from(CONFIG_KEYS), _noise_key())
    top_keys = draw(st.lists(st.sampled_from(CONFIG_KEYS[:-2]), max_size=4, unique=True))
    if _rarely(draw, 5):
        top_keys.append(draw(config_key))
    text = toml_table({key: config_value(draw, key, config_key) for key in top_keys})
    # Rules with numeric options more often: they are where out-of-range values bite.
    rule_key = st.one_of(st.sampled_from(RULE_KEYS), st.sampled_from(NUMERIC_RULES))
    for known in draw(st.lists(rule_key, max_size=3, unique=True)):
        rule = draw(_noise_key()) if _rarely(draw, 10) else known
        own = RULE_OPTIONS.get(rule, OPTION_KEYS)
        numeric = NUMERIC_OPTIONS.get(rule, [])
        option_keys: list[str] = draw(st.lists(st.sampled_from(own), max_size=2, unique=True))
        if numeric and _rarely(draw, 2):
            option_keys.append(draw(st.sampled_from(numeric)))
        if _rarely(draw, 5):
            option_keys.append(draw(st.one_of(st.sampled_from(OPTION_KEYS), _noise_key())))
        options = {
            key: draw(numbers) if key in numeric and _rarely(draw, 2) else option_value(draw, config_key)
            for key in option_keys
        }
        text += f"\n[rules.{toml_string(rule)}]\n" + toml_table(options)
    for _ in range(draw(st.integers(0, 2))):
        entry_keys = draw(
            st.lists(st.sampled_from(["select", "extend-select", "ignore"]), max_size=2, unique=True)
        )
        entry = {key: config_value(draw, key, config_key) for key in entry_keys}
        if not _rarely(draw, 10):
            entry["files"] = draw(st.lists(st.sampled_from(["*.md", "**", "doc.md", "[", ""]), max_size=2))
        if _rarely(draw, 10):
            entry[draw(config_key)] = draw(values(config_key))
        text += "\n[[overrides]]\n" + toml_table(entry)
    return _maybe_cut(draw, text)


def _maybe_cut(draw: st.DrawFn, text: str) -> str:
    """Now and then a file cut short (a partial write, a truncated download)."""
    return text[: draw(st.integers(0, len(text)))] if _rarely(draw, 20) else text


def _kind_keys() -> dict[str, set[str]]:
    keys = {}
    for kind, target in KINDS.items():
        module_name, class_name = target.split(":")
        keys[kind] = set(getattr(importlib.import_module(module_name), class_name).keys)
    return keys


KIND_KEYS = _kind_keys()
PACK_KEYS = sorted(set(COMMON_KEYS).union(*KIND_KEYS.values()))


word_lists = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=3)
PACK_PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "tokens": word_lists,
    "patterns": word_lists,
    "exceptions": word_lists,
    "expected": word_lists,
    "small-words": word_lists,
    "either": st.lists(word_lists, max_size=3),
    "first": st.sampled_from(WORDS),
    "second": st.sampled_from(WORDS),
    "swap": st.dictionaries(
        st.sampled_from(WORDS), st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=3
    ),
    "max": st.integers(-2, 5),
    "min-letters": st.integers(-2, 5),
    "unit": st.sampled_from(["sentence", "paragraph", "document", "word", ""]),
    "style": st.sampled_from(["title", "sentence", "lower", "upper", "nope"]),
    "fix": st.sampled_from(["safe", "unsafe", "none", "nope"]),
    "message": st.sampled_from(["{match}", "{nope}", "{", "x {replacement}", "{count} {max}", ""]),
    "scope": st.lists(st.sampled_from(["prose", "headings", "list-items", "code", "nope"]), max_size=2),
    "severity": st.sampled_from(["error", "warning", "info", "nope"]),
}


REQUIRED = {
    "substitution": ["swap"],
    "existence": ["tokens"],
    "occurrence": ["tokens", "max"],
    "repetition": ["tokens"],
    "consistency": ["either"],
    "conditional": ["first", "second"],
}


def _rarely(draw: st.DrawFn, one_in: int) -> bool:
    return draw(st.integers(1, one_in)) == one_in


@st.composite
def hostile_packs(draw: st.DrawFn) -> str:
    text = '[pack]\nname = "house"\n'
    for index in range(draw(st.integers(1, 3))):
        kind = (
            draw(st.sampled_from([*KINDS, "nope"]))
            if _rarely(draw, 10)
            else draw(st.sampled_from(list(KINDS)))
        )
        table: dict[str, Any] = {
            "code": draw(st.sampled_from(["HS1", "hs1", ""])) if _rarely(draw, 10) else f"HS{index + 1}",
            "name": draw(st.sampled_from(["house.r0", "House", ""]))
            if _rarely(draw, 10)
            else f"house.r{index}",
            "kind": kind,
        }
        if _rarely(draw, 20):
            del table[draw(st.sampled_from(["code", "name", "kind"]))]
        own = sorted(
            KIND_KEYS.get(kind, set()) | {"message", "scope", "exceptions", "ignore-case", "severity"}
        )
        keys = st.one_of(st.sampled_from(PACK_KEYS), _noise_key())
        extra = [draw(keys)] if _rarely(draw, 5) else []
        for key in [
            *REQUIRED.get(kind, []),
            *draw(st.lists(st.sampled_from(own), max_size=3, unique=True)),
            *extra,
        ]:
            if key in ("code", "name", "kind") and not _rarely(draw, 10):
                continue
            plausible = PACK_PLAUSIBLE.get(key)
            table[key] = (
                draw(plausible)
                if plausible is not None and not _rarely(draw, 4)
                else option_value(draw, keys)
            )
        text += "\n[[rule]]\n" + toml_table(table)
    return _maybe_cut(draw, text)


def _line_inside(error: ConfigError, path: Path, text: str) -> None:
    event("refused: " + error.message[:45])
    assert error.path == str(path), error
    assert error.line is None or 1 <= error.line <= text.count("\n") + 1, error
    assert error.message.strip(), error


@settings(max_examples=150 * SCALE)
@given(text=hostile_configs())
def test_a_hostile_config_loads_or_is_refused_with_its_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "redline.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        command_line = CommandLineSettings(ignore=["RL102"])  # a model per example: minutes
        try:
            linter = Linter(LintOptions(config_path=path, command_line=command_line, use_cache=False))
        except ConfigError as error:
            _line_inside(error, path, text)
            return
        event("config loaded")
        run = linter.lint_source(
            Source(str(Path(folder) / "doc.md"), SAMPLE, "utf-8"), Path(folder) / "doc.md"
        )
        for problem in run.errors:
            event("refused when linting: " + problem.message[:45])
            assert problem.path in (str(path), str(Path(folder) / "doc.md")), problem
            assert problem.line is None or 1 <= problem.line <= text.count("\n") + 1, problem
        for result in run.files:
            for finding in result.findings:
                assert 0 <= finding.start < finding.end <= len(SAMPLE), finding
        if not any(problem.path == str(path) for problem in run.errors):
            _run_every_rule(linter, Path(folder) / "doc.md")


class _FakeEmbedder:
    """Vectors from the text's hash: RL102 runs all its steps without a model."""

    cache = None  # no vector or pair-score cache
    model_id = "fake"
    source = None  # not the packaged model: RL102 scores with the features alone

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.array([np.random.default_rng(sum(map(ord, t))).normal(size=8) for t in texts])
        unit: np.ndarray = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
        return unit

    def tokens(self, texts: list[str]) -> list[np.ndarray]:
        """One vector per word, as the pair scorer looks inside a pair."""
        return [self.encode(text.split() or [text]) for text in texts]


def _run_every_rule(linter: Linter, path: Path) -> None:
    """Every rule, with the options the config gave it (RL102 too, on a fake embedder)."""
    settings = linter.settings_for(path)
    rules = active_rules(settings.config, settings.registry, path, CommandLineSettings(select=["ALL"]))
    services = Services(use_cache=False)
    for active in rules:
        if active.rule.code == "RL102":
            key = ("embedder", active.options.model, active.options.backend, None)  # no cache dir
            services.shared(key, _FakeEmbedder)
        for finding in active.rule.check(LONG_DOCUMENT, RuleContext(active.options, services)):
            assert 0 <= finding.start < finding.end <= len(LONG_DOCUMENT.text), finding


@settings(max_examples=150 * SCALE)
@given(text=hostile_packs())
def test_a_hostile_pack_loads_or_is_refused_with_its_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "house.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            rules = load_pack(path)
        except ConfigError as error:
            _line_inside(error, path, text)
            return
    event(f"pack loaded: {len(rules)} rules")
    document = parse("doc.md", SAMPLE + " ".join(w for w in WORDS if w.strip()) + "\n")
    for rule in rules:
        context = RuleContext(options=rule.default_options(), services=Services(use_cache=False))
        for finding in rule.check(document, context):
            assert 0 <= finding.start < finding.end <= len(document.text), finding
            for edit in finding.fix.edits if finding.fix else ():
                assert 0 <= edit.start <= edit.end <= len(document.text), finding


NUMERIC_PAIRS = [(code, option) for code, options in sorted(NUMERIC_OPTIONS.items()) for option in options]


@settings(max_examples=300 * SCALE)
@given(pair=st.sampled_from(NUMERIC_PAIRS), value=numbers, table_line=st.integers(1, 3))
def test_any_numeric_option_value_is_refused_at_its_line_or_runs(
    pair: tuple[str, str], value: float, table_line: int
) -> None:
    code, option = pair
    text = "\n" * (table_line - 1) + f"[rules.{code}]\n{toml_string(option)} = {toml_value(value)}\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "redline.toml"
        path.write_text(text, encoding="utf-8")
        linter = Linter(LintOptions(config_path=path, use_cache=False))
        try:
            _run_every_rule(linter, Path(folder) / "doc.md")
        except ConfigError as error:
            event("refused")
            assert (error.path, error.line) == (str(path), table_line + 1), error
            assert f"] {option}: " in error.message, error
            return
        event("ran")
