"""Loading rule packs: validation errors name the file, line and rule; patterns cannot hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from helpers import describe
from packs_helpers import PACK_HEAD, lint_with_pack
from redline.config import Config, ConfigError
from redline.packs import builtin_pack_dir, load_pack, load_packs
from redline.rules import Registry, builtin_rules

GOOD_RULE = """[[rule]]
code = "HS101"
name = "house.no-jargon"
kind = "existence"
tokens = ["leverage"]
"""


def _error(tmp_path: Path, body: str) -> ConfigError:
    pack = tmp_path / "house.toml"
    pack.write_text(PACK_HEAD + body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_packs([pack], existing=builtin_rules())
    return caught.value


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            GOOD_RULE.replace('kind = "existence"', 'kind = "existance"'),
            7,
            "rule HS101: 'kind' must be one of existence, substitution, consistency, capitalization, "
            "occurrence, script, repetition, conditional, not 'existance'",
        ),
        (GOOD_RULE.replace('code = "HS101"\n', ""), 4, "rule #1: 'code' is required"),
        (
            GOOD_RULE.replace('code = "HS101"', 'code = "hs1"'),
            5,
            "rule #1: code 'hs1' must be capital letters then digits, e.g. 'HS101'",
        ),
        (GOOD_RULE.replace("tokens", "tokns"), 8, "rule HS101: unknown key 'tokns' (did you mean 'tokens'?)"),
        (
            GOOD_RULE.replace('tokens = ["leverage"]', "patterns = ['(?=a)b']"),
            8,
            "rule HS101: invalid pattern '(?=a)b': invalid perl operator: (?=",
        ),
        (
            GOOD_RULE + 'message = "Bad {word}"\n',
            9,
            "rule HS101: unknown field '{word}' in message (fields: match)",
        ),
        (
            GOOD_RULE + 'scope = ["code"]\n',
            9,
            "rule HS101: unknown scope 'code' (scopes: prose, headings, list-items)",
        ),
        (
            GOOD_RULE + 'severity = "fatal"\n',
            9,
            "rule HS101: unknown severity 'fatal' (expected info, warning or error)",
        ),
        (
            GOOD_RULE.replace(
                'kind = "existence"\ntokens = ["leverage"]', 'kind = "substitution"\n[rule.swap]\n"a" = 1'
            ),
            9,
            'rule HS101: swap \'a\': give a string or { to = "...", fix = "..." }',
        ),
        (
            GOOD_RULE + GOOD_RULE.replace("no-jargon", "other"),
            9,
            "rule HS101: 'HS101' is defined twice in this pack",
        ),
        (
            GOOD_RULE.replace('code = "HS101"', 'code = "RL105"'),
            4,
            "rule RL105: 'RL105' is already used by a built-in rule",
        ),
        ("[[rule]\n", 4, "invalid TOML: Expected ']]' at the end of an array declaration"),
        ("[pack.extra]\nx = 1\n", 4, "[pack]: unknown key 'extra'"),
        ("", None, "a rule pack needs at least one [[rule]] table"),
    ],
)
def test_a_bad_pack_is_an_error_with_file_line_and_rule(
    tmp_path: Path, body: str, line: int | None, message: str
) -> None:
    error = _error(tmp_path, body)
    assert (error.path, error.line, error.message) == (str(tmp_path / "house.toml"), line, message)


def test_missing_pack(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="rule pack not found"):
        load_packs([tmp_path / "nope.toml"])


def test_a_bad_pack_is_a_run_error_not_a_crash(tmp_path: Path) -> None:
    result = lint_with_pack(tmp_path, GOOD_RULE.replace("tokens", "tokns"), "text\n")
    assert result.files == []
    assert [str(e) for e in result.errors] == [
        f"{tmp_path / 'house.toml'}:8: rule HS101: unknown key 'tokns' (did you mean 'tokens'?)"
    ]
    assert result.exit_code() == 2


def test_catastrophic_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace('tokens = ["leverage"]', "patterns = ['(a+)+$']\nword-boundaries = false")
    text = "a" * 50_000 + "b\n"
    started = time.perf_counter()
    result = lint_with_pack(tmp_path, rule, text, path="doc.txt")
    assert time.perf_counter() - started < 5
    assert describe(result) == []


def test_pack_rules_have_their_own_identity(tmp_path: Path) -> None:
    pack = tmp_path / "house.toml"
    pack.write_text(
        PACK_HEAD
        + GOOD_RULE
        + 'summary = "Business jargon"\nseverity = "error"\nenabled = false\nlink = "https://example.com/jargon"\n'
        + 'docs = """\nJargon hides meaning.\n\nBad::\n\n    We leverage it.\n\nGood::\n\n    We use it.\n"""\n',
        encoding="utf-8",
    )
    (rule,) = load_pack(pack)
    assert (rule.code, rule.name, rule.summary, rule.family) == (
        "HS101",
        "house.no-jargon",
        "Business jargon",
        "house",
    )
    assert rule.default_enabled is False and rule.default_severity.label == "error"
    assert rule.documentation == (
        "Business jargon.\n\nJargon hides meaning.\n\nBad::\n\n    We leverage it.\n\nGood::\n\n    We use it.\n\n"
        "Defined in the rule pack house.toml (existence rule).\nEntries: 1.\nMore: https://example.com/jargon"
    )
    registry = Registry([*builtin_rules(), rule])
    assert registry.get("hs101") is rule and registry.get("house.no-jargon") is rule
    assert registry.matches("house") == [rule]


def test_pack_rules_are_selected_and_configured_like_built_ins(tmp_path: Path) -> None:
    pack = tmp_path / "house.toml"
    pack.write_text(PACK_HEAD + GOOD_RULE, encoding="utf-8")
    from helpers import lint_text
    from redline.config import RuleSettings

    config = Config(root=tmp_path, rule_packs=[pack], ignore=["RL"])
    config.rules["house.no-jargon"] = RuleSettings(options={"exceptions": ["leverage points"]})
    result = lint_text("We leverage leverage points.\n", config=config)
    assert describe(result) == ["1:4: HS101 Avoid 'leverage'"]
    assert result.files[0].findings[0].severity.label == "warning"


def test_builtin_packs_are_found_in_the_checkout() -> None:
    folder = builtin_pack_dir()
    assert folder is not None and (folder / "pleonasms.toml").is_file()
