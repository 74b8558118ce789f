"""Inline directives silence findings by code prefix, name, or all rules."""

from __future__ import annotations

from helpers import describe, lint_text

DOUBLE = "Read the the manual."


def lines_flagged(text: str, path: str = "doc.md") -> list[str]:
    return describe(lint_text(text, path=path, select=["RL106"]))


def test_disable_and_enable_region() -> None:
    text = f"{DOUBLE}\n\n<!-- redline-disable RL106 -->\n\n{DOUBLE}\n\n<!-- redline-enable RL106 -->\n\n{DOUBLE}\n"
    assert lines_flagged(text) == [
        "1:6: RL106 Doubled word: 'the' written twice",
        "9:6: RL106 Doubled word: 'the' written twice",
    ]


def test_disable_all_by_default_and_by_prefix_and_name() -> None:
    for selector in ("", "RL1", "redundancy", "redundancy.doubled-word"):
        text = f"<!-- redline-disable {selector} -->\n\n{DOUBLE}\n"
        assert lines_flagged(text) == [], selector


def test_disable_other_rule_keeps_finding() -> None:
    text = f"<!-- redline-disable RL101 -->\n\n{DOUBLE}\n"
    assert lines_flagged(text) == ["3:6: RL106 Doubled word: 'the' written twice"]


def test_disable_next_line_only() -> None:
    text = f"<!-- redline-disable-next-line RL106 -->\n{DOUBLE}\n\n{DOUBLE}\n"
    assert lines_flagged(text) == ["4:6: RL106 Doubled word: 'the' written twice"]


def test_enable_all_after_specific_disable() -> None:
    text = f"<!-- redline-disable RL106 -->\n<!-- redline-enable -->\n\n{DOUBLE}\n"
    assert lines_flagged(text) == ["4:6: RL106 Doubled word: 'the' written twice"]


def test_plain_text_uses_html_comment_form() -> None:
    text = f"<!-- redline-disable-next-line -->\n{DOUBLE}\n"
    assert lines_flagged(text, path="doc.txt") == []
