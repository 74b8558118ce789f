"""Data-driven rule tests: every ``tests/rule_cases/*.toml`` file is a list of cases.

A case::

    [[case]]
    name = "adjacent duplicate"
    path = "doc.md"            # optional; the extension picks the syntax
    select = ["RL106"]         # optional; default: the file's stem (its rule code)
    text = "Read the the manual.\\n"
    expect = ["1:6: RL106 Doubled word: 'the' written twice"]
    fixed = "Read the manual.\\n"   # optional: text after applying the safe fixes
    [case.options.RL106]           # optional rule options
    allow = []
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from helpers import describe, lint_text

CASES_DIR = Path(__file__).parent / "rule_cases"


def _cases() -> list[Any]:
    params = []
    for case_file in sorted(CASES_DIR.glob("*.toml")):
        data = tomllib.loads(case_file.read_text("utf-8"))
        for case in data.get("case", []):
            params.append(pytest.param(case_file.stem, case, id=f"{case_file.stem}: {case['name']}"))
    return params


def apply_safe_fixes(text: str, result: Any) -> str:
    from redline.findings import Applicability

    (file_result,) = result.files
    edits = sorted(
        (
            e
            for f in file_result.findings
            if f.fix and f.fix.applicability is Applicability.SAFE
            for e in f.fix.edits
        ),
        reverse=True,
    )
    for edit in edits:
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


@pytest.mark.parametrize(("stem", "case"), _cases())
def test_rule_case(stem: str, case: dict[str, Any]) -> None:
    result = lint_text(
        case["text"],
        path=case.get("path", "doc.md"),
        select=case.get("select", [stem]),
        options=case.get("options"),
    )
    assert describe(result) == case["expect"]
    if "fixed" in case:
        assert apply_safe_fixes(case["text"], result) == case["fixed"]
