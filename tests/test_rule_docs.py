"""Every rule's documentation is complete, and its Bad/Good examples behave as documented."""

from __future__ import annotations

import pytest

from helpers import lint_text
from redline.rules import Registry, builtin_rules
from redline.rules.base import Rule, doc_examples

RULES = list(Registry(builtin_rules()))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_documentation(rule: Rule) -> None:
    kinds = [kind for kind, _ in doc_examples(rule)]
    assert rule.summary, f"{rule.code} has no summary line"
    assert "bad" in kinds and "good" in kinds, f"{rule.code} needs Bad:: and Good:: examples"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_examples(rule: Rule) -> None:
    for kind, text in doc_examples(rule):
        codes = [f.code for f in lint_text(text, path="example.md", select=[rule.code]).files[0].findings]
        if kind == "bad":
            assert rule.code in codes, f"{rule.code}: Bad example not flagged:\n{text}"
        else:
            assert rule.code not in codes, f"{rule.code}: Good example flagged:\n{text}"


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
