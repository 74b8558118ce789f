"""Every rule option has a range, checked when the config loads: file, key's line, key; exit 2.

Errors name the line of the key itself, not of its ``[rules.X]`` table (issue 16, bug 5),
and selector errors carry their line too.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from pathlib import Path
from typing import Any

import pytest

from redline.config import Config, ConfigError, RuleSettings
from redline.rules import builtin_rules
from redline.rules.base import option_bounds
from redline.selection import build_options
from reliability_helpers import no_traceback, run_cli

GOOD = "Read the the manual first.\n"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "[rules.RL102]\nthreshold = 0\n",
            "redline.toml:2: [rules.redundancy.near-duplicate] threshold: "
            "must be a number over 0 and under 1, got 0",
        ),
        (
            "[rules.RL102]\nscorer = 'cosine'\n\nthreshold = 1\n",
            "redline.toml:4: [rules.redundancy.near-duplicate] threshold: "
            "must be a number over 0 and under 1, got 1",
        ),
        (
            "[rules.RL102]\nthreshold = 2.0\n",
            "redline.toml:2: [rules.redundancy.near-duplicate] threshold: "
            "must be a number over 0 and under 1, got 2.0",
        ),
        (
            "[rules.RL102]\nthreshold = -1\n",
            "redline.toml:2: [rules.redundancy.near-duplicate] threshold: "
            "must be a number over 0 and under 1, got -1",
        ),
        (
            "[rules.RL102]\nthreshold = nan\n",
            "redline.toml:2: [rules.redundancy.near-duplicate] threshold: "
            "must be a number over 0 and under 1, got nan",
        ),
        (
            "[rules.RL102]\nmodel = 'x'\nneighbours = 0\n",
            "redline.toml:3: [rules.redundancy.near-duplicate] neighbours: "
            "must be an integer of at least 1, got 0",
        ),
        (
            "[rules.RL301]\nmax-words = -1\n",
            "redline.toml:2: [rules.readability.long-sentence] max-words: "
            "must be an integer of at least 1, got -1",
        ),
        (
            "[rules.hedge]\ndensity = inf\n",
            "redline.toml:2: [rules.hedging.hedge] density: must be a number of at least 0, got inf",
        ),
        (
            "[rules.RL103]\nmin-words = 6\nmax-words = 4\n",
            "redline.toml:2: [rules.redundancy.repeated-phrase] min-words: "
            "must not exceed max-words (4), got 6",
        ),
        (
            "[rules.hard-sentence]\nhard-grade = 15.0\n",
            "redline.toml:2: [rules.readability.hard-sentence] hard-grade: "
            "must not exceed very-hard-grade (14.0), got 15.0",
        ),
        (
            "[rules.RL104]\nmax-words = 1\n",
            "redline.toml:2: [rules.redundancy.repetitive-opener] max-words: "
            "must be at least min-words (3), got 1",
        ),
    ],
    ids=[
        "threshold-0",
        "threshold-1-cosine",
        "threshold-2",
        "threshold-negative",
        "threshold-nan",
        "neighbours-0",
        "max-words-negative",
        "density-inf",
        "min-over-max",
        "hard-over-very-hard",
        "max-under-default-min",
    ],
)
def test_out_of_range_options_are_config_errors(tmp_path: Path, config: str, message: str) -> None:
    (tmp_path / "redline.toml").write_text(config)
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "doc.md"], tmp_path)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [f"redline: error: {tmp_path}/{message}"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "[rules.RL301]\n\nmax-word = 10\n",
            "redline.toml:3: [rules.readability.long-sentence] max-word: "
            "unknown option (options: include-quotes, max-words, tighten-margin, tighten-min-letters, severity)",
        ),
        (
            "fail-on = 'error'\n\n[rules.RL301]\n# a comment\nmax-words = 'ten'\n",
            "redline.toml:5: [rules.readability.long-sentence] max-words: expected an integer, got 'ten'",
        ),
        (
            'select = ["RL1"]\n\nignore = ["RL9"]\n',
            "redline.toml:3: selector 'RL9' matches no rule",
        ),
        (
            '[[overrides]]\nfiles = ["*.md"]\nextend-select = ["RL1O6"]\n',
            "redline.toml:3: selector 'RL1O6' matches no rule (did you mean 'RL106'?)",
        ),
        (
            "[[overrides]]\nfiles = ['*.md']\n\n[overrides.rules.RL301]\nseverity = 'info'\nmax-words = 0\n",
            "redline.toml:6: [rules.readability.long-sentence] max-words: "
            "must be an integer of at least 1, got 0",
        ),
        (
            '[rules.hedge]\nignore-phrases = ["perhaps", "perhapz"]\n',
            "redline.toml:2: [rules.hedging.hedge] ignore-phrases: "
            "'perhapz' is not in the built-in list (did you mean 'perhaps'?)",
        ),
    ],
    ids=["unknown-option", "bad-type", "selector", "override-selector", "override-range", "ignore-phrases"],
)
def test_config_errors_name_the_key_line(tmp_path: Path, config: str, message: str) -> None:
    (tmp_path / "redline.toml").write_text(config)
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "doc.md"], tmp_path)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [f"redline: error: {tmp_path}/{message}"]


def test_pyproject_option_errors_name_the_key_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.redline.rules.RL102]\nmin-words = 3\nneighbours = -2\n'
    )
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "doc.md"], tmp_path)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"redline: error: {tmp_path}/pyproject.toml:6: [rules.redundancy.near-duplicate] neighbours: "
        "must be an integer of at least 1, got -2"
    ]


def test_a_self_mapping_swap_in_a_pack_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "redline.toml").write_text('rule-packs = ["house.toml"]\n')
    (tmp_path / "house.toml").write_text(
        '[pack]\nname = "house"\n\n[[rule]]\ncode = "HS1"\nname = "house.words"\n'
        'kind = "substitution"\nsummary = "House words"\n\n[rule.swap]\n'
        '"utilize" = "use"\n"Colour" = "colour|color"\n'
    )
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "doc.md"], tmp_path)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"redline: error: {tmp_path}/house.toml:12: rule HS1: swap 'Colour' maps to itself"
    ]


def _numeric_fields() -> list[tuple[str, str, bool]]:
    """``(rule code, option key, integer?)`` for every numeric option of every built-in rule."""
    found = []
    for rule in builtin_rules():
        hints = typing.get_type_hints(rule.Options)
        for option in dataclasses.fields(rule.Options):
            kinds = set(typing.get_args(hints[option.name])) or {hints[option.name]}
            if kinds & {int, float}:
                found.append((rule.code, option.name.replace("_", "-"), float not in kinds))
    return found


def test_every_numeric_option_is_bounded_and_its_default_is_in_range() -> None:
    fields = _numeric_fields()
    assert len(fields) >= 30
    for rule in builtin_rules():
        defaults = rule.default_options()
        for option in dataclasses.fields(rule.Options):
            value = getattr(defaults, option.name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                assert option_bounds(option).admits(value), (rule.code, option.name, value)


@pytest.mark.parametrize("hostile", [-1, -(2**63), math.nan, math.inf, -math.inf])
def test_every_numeric_option_rejects_hostile_values(hostile: float) -> None:
    rules = {rule.code: rule for rule in builtin_rules()}
    config = Config(path=Path("redline.toml"))
    for code, key, integer in _numeric_fields():
        value: Any = hostile
        if integer and not math.isfinite(hostile):
            continue  # TOML has no infinite integer; the type check refuses a float
        settings = RuleSettings(options={key: value}, line=1, option_lines={key: 7})
        with pytest.raises(ConfigError) as caught:
            build_options(config, rules[code], settings)
        assert caught.value.line == 7
        assert caught.value.message.startswith(f"[rules.{rules[code].name}] {key}: must be "), caught.value
