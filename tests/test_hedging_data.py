"""The phrase lists in rules/ are linted like code: sorted, unique, sourced, compilable."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from redline.ruledata import read_rule_data
from redline.rules.hedging.lexicon import compile_phrase, inflections

RULES_DIR = Path(__file__).parents[1] / "rules"


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((RULES_DIR / name).read_text("utf-8"))


HEDGES = _load("hedges.toml")
FAMILIES = sorted(HEDGES["families"])


def sort_key(pattern: str) -> str:
    """The order documented in rules/hedges.toml: syntax characters ignored."""
    return re.sub(r"[(){}?+]", "", pattern)


def test_families_are_the_four_rules() -> None:
    assert FAMILIES == ["expectation", "hedge", "intensifier", "weasel"]


@pytest.mark.parametrize("family", FAMILIES)
def test_phrases_sorted_and_unique(family: str) -> None:
    phrases = HEDGES["families"][family]["phrases"]
    assert phrases == sorted(phrases, key=sort_key)
    assert len(phrases) == len(set(phrases))
    assert all(p == p.lower() and p == " ".join(p.split()) for p in phrases)


@pytest.mark.parametrize("family", FAMILIES)
def test_sources_present_and_known(family: str) -> None:
    data = HEDGES["families"][family]
    known = set(HEDGES["sources"])
    assert data["sources"], f"{family} cites no source"
    assert set(data["sources"]) <= known
    assert data["sources"] == sorted(data["sources"])
    for phrase, sources in data.get("phrase-sources", {}).items():
        assert phrase in data["phrases"], f"phrase-sources names {phrase!r}, not in the list"
        assert sources and set(sources) <= known
    assert data["description"]


def test_every_source_is_cited() -> None:
    cited = set()
    for data in HEDGES["families"].values():
        cited.update(data["sources"])
        for sources in data.get("phrase-sources", {}).values():
            cited.update(sources)
    assert cited == set(HEDGES["sources"])


@pytest.mark.parametrize("family", FAMILIES)
def test_phrases_compile_and_no_phrase_repeats_another(family: str) -> None:
    phrases = HEDGES["families"][family]["phrases"]
    compiled = [compile_phrase(p) for p in phrases]
    assert len({c.slots for c in compiled}) == len(compiled)


def test_no_phrase_is_in_two_families() -> None:
    seen: dict[str, str] = {}
    for family, data in HEDGES["families"].items():
        for phrase in data["phrases"]:
            assert phrase not in seen, f"{phrase!r} is in {seen.get(phrase)} and {family}"
            seen[phrase] = family


def test_participle_lists() -> None:
    data = _load("participles.toml")
    lists = data["participles"]
    assert set(lists["sources"]) == set(data["sources"])
    for key in ("irregular", "not-participles"):
        words = lists[key]
        assert words == sorted(words), key
        assert len(words) == len(set(words)), key
        assert all(w.isalpha() and w == w.lower() for w in words), key
    assert not set(lists["irregular"]) & set(lists["not-participles"])
    assert all(w.endswith("ed") for w in lists["not-participles"])


def test_loader_reads_the_checkout_copy() -> None:
    assert read_rule_data("hedges.toml") == (RULES_DIR / "hedges.toml").read_text("utf-8")


def test_inflections() -> None:
    assert inflections("appear") == {"appear", "appears", "appeared", "appearing"}
    assert inflections("suggest") == {"suggest", "suggests", "suggested", "suggesting"}
    assert inflections("indicate") == {"indicate", "indicates", "indicated", "indicating"}
    assert inflections("imply") == {"imply", "implies", "implied", "implying"}


def test_a_bad_extra_phrase_is_a_notice_not_a_crash() -> None:
    from helpers import lint_text

    result = lint_text(
        "It may.\n", select=["RL201"], options={"RL201": {"extra-phrases": ["(kind|sort)? of"]}}
    )
    assert result.notices == [
        "RL201 extra-phrases: phrase '(kind|sort)? of' must start with a required word; skipped"
    ]
