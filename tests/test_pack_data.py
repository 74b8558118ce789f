"""The built-in packs' word lists are linted like code (as codespell does with its lists):
entries sorted and unique, nothing maps to itself, and no fix produces text that another
entry would flag again (no loops, no chains)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from redline.packs import builtin_pack_paths, builtin_pack_rules
from redline.packs.consistency import ConsistencyRule
from redline.packs.substitution import SubstitutionRule

PACKS = builtin_pack_paths()


def _rules(path: Path) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = tomllib.loads(path.read_text("utf-8"))["rule"]
    return rules


def _sorted_unique(items: list[str]) -> None:
    folded = [item.casefold() for item in items]
    assert folded == sorted(folded), (
        f"not sorted: {[a for a, b in zip(folded, sorted(folded), strict=True) if a != b][:3]}"
    )
    assert len(set(folded)) == len(folded), "duplicate entries"


def test_the_builtin_packs_are_there() -> None:
    assert [p.name for p in PACKS] == [
        "consistency.toml", "journalism.toml", "padding.toml", "plain-language.toml", "pleonasms.toml",
        "translation.toml",
    ]  # fmt: skip


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name)
def test_entries_are_sorted_and_unique(path: Path) -> None:
    for rule in _rules(path):
        if "swap" in rule:
            _sorted_unique(list(rule["swap"]))
        for key in ("tokens", "exceptions"):
            if key in rule:
                _sorted_unique(rule[key])
        if "either" in rule:
            _sorted_unique([group[0] for group in rule["either"]])
            forms = [form.casefold() for group in rule["either"] for form in group]
            assert len(set(forms)) == len(forms), "a form appears in two groups"


def _substitutions() -> list[SubstitutionRule]:
    return [r for r in builtin_pack_rules() if isinstance(r, SubstitutionRule)]


@pytest.mark.parametrize("rule", _substitutions(), ids=lambda r: r.code)
def test_no_substitution_maps_a_word_to_itself(rule: SubstitutionRule) -> None:
    for swap in rule.swaps:
        for choice in swap.choices:
            assert choice.strip(), f"{swap.key!r} has an empty choice"
            assert choice.casefold() != swap.key.casefold(), f"{swap.key!r} maps to itself"


@pytest.mark.parametrize("rule", _substitutions(), ids=lambda r: r.code)
def test_no_substitution_loops(rule: SubstitutionRule) -> None:
    """A replacement is never flagged again, by its own rule or any other substitution."""
    for swap in rule.swaps:
        for choice in swap.choices:
            if rule.regex:
                continue  # checked on examples below
            for other in _substitutions():
                again = [h.text for h in other.matcher.finditer(choice)]
                assert not again, (
                    f"{rule.code} {swap.key!r} -> {choice!r} is flagged again by {other.code}: {again}"
                )


@pytest.mark.parametrize(
    ("code", "text"),
    [("RL421", "Oct. 27, Sept. 3, Dec. 1"), ("RL422", "10 a.m. and 3:30 p.m."), ("RL423", "three people")],
)
def test_regex_substitutions_do_not_loop(code: str, text: str) -> None:
    (rule,) = [r for r in _substitutions() if r.code == code]
    assert [h.text for h in rule.matcher.finditer(text)] == []


def test_consistency_groups_have_distinct_forms() -> None:
    for rule in builtin_pack_rules():
        if isinstance(rule, ConsistencyRule):
            for group in rule.groups:
                assert len({f.casefold() for f in group}) == len(group)


def test_every_builtin_pack_rule_is_sourced_and_coded() -> None:
    for rule in builtin_pack_rules():
        assert rule.spec.sources, f"{rule.code} cites no source"
        assert rule.code == "RL105" or rule.code.startswith("RL4"), rule.code
