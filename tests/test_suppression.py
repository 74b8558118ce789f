"""Inline directives silence findings by code prefix, name, or all rules."""

from __future__ import annotations

from pathlib import Path

from helpers import describe, lint_text
from packs_helpers import lint_with_pack
from redline.markup import parse

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


def rst_flagged(text: str) -> list[str]:
    return lines_flagged(text, path="doc.rst")


def test_rst_disable_next_line_with_the_blank_line_rst_needs() -> None:
    text = f"Intro.\n\n.. redline-disable-next-line RL106\n\n{DOUBLE}\n\n{DOUBLE}\n"
    assert rst_flagged(text) == ["7:6: RL106 Doubled word: 'the' written twice"]


def test_rst_disable_next_line_without_blank_line_still_works() -> None:
    text = f"Intro.\n\n.. redline-disable-next-line RL106\n{DOUBLE}\n\n{DOUBLE}\n"
    assert rst_flagged(text) == ["6:6: RL106 Doubled word: 'the' written twice"]


def test_markdown_disable_next_line_skips_blank_lines() -> None:
    text = f"<!-- redline-disable-next-line RL106 -->\n\n{DOUBLE}\n\n{DOUBLE}\n"
    assert lines_flagged(text) == ["5:6: RL106 Doubled word: 'the' written twice"]


def test_markdown_end_of_line_directive_silences_its_line_only() -> None:
    text = f"{DOUBLE} <!-- redline-disable-line RL106 -->\n{DOUBLE}\n\n{DOUBLE} <!-- redline-disable-line RL101 -->\n"
    assert lines_flagged(text) == [
        "2:6: RL106 Doubled word: 'the' written twice",
        "4:6: RL106 Doubled word: 'the' written twice",
    ]


def test_rst_line_directive_is_a_comment_after_the_line() -> None:
    text = f"Intro.\n\n{DOUBLE}\n{DOUBLE}\n\n.. redline-disable-line doubled-word\n\n{DOUBLE}\n"
    assert rst_flagged(text) == [
        "3:6: RL106 Doubled word: 'the' written twice",
        "8:6: RL106 Doubled word: 'the' written twice",
    ]


def test_short_rule_name_in_a_directive() -> None:
    assert lines_flagged(f"<!-- redline-disable doubled-word -->\n\n{DOUBLE}\n") == []


def test_vale_off_and_on() -> None:
    text = f"{DOUBLE}\n\n<!-- vale off -->\n\n{DOUBLE}\n\n<!-- vale on -->\n\n{DOUBLE}\n"
    assert lines_flagged(text) == [
        "1:6: RL106 Doubled word: 'the' written twice",
        "9:6: RL106 Doubled word: 'the' written twice",
    ]
    assert lines_flagged(text.replace("<!-- vale", ".. vale").replace(" -->", ""), path="doc.rst") == [
        "1:6: RL106 Doubled word: 'the' written twice",
        "9:6: RL106 Doubled word: 'the' written twice",
    ]


def test_vale_rule_switches_take_codes_and_names() -> None:
    for name in ("RL106", "redundancy", "redundancy.doubled-word", "doubled-word"):
        text = f"<!-- vale {name} = NO -->\n\n{DOUBLE}\n\n<!-- vale {name} = YES -->\n\n{DOUBLE}\n"
        assert lines_flagged(text) == ["7:6: RL106 Doubled word: 'the' written twice"], name
    text = f"<!-- vale RL101 = NO -->\n\n{DOUBLE}\n"
    assert lines_flagged(text) == ["3:6: RL106 Doubled word: 'the' written twice"]


def test_vale_comments_in_plain_text_are_not_prose() -> None:
    text = f"<!-- vale off -->\n{DOUBLE}\n<!-- vale on -->\n\nThe the end.\n"
    assert lines_flagged(text, path="doc.txt") == ["5:1: RL106 Doubled word: 'the' written twice"]
    assert parse("doc.txt", text).prose.splitlines()[0] == " " * len("<!-- vale off -->")


ACME = """[[rule]]
code = "AC101"
name = "acme.hedges"
kind = "existence"
message = "Hedge: '{match}'"
tokens = ["perhaps"]

[[rule]]
code = "AC102"
name = "acme.jargon"
kind = "existence"
message = "Jargon: '{match}'"
tokens = ["leverage"]
"""


def test_vale_style_and_rule_names_select_pack_rules(tmp_path: Path) -> None:
    line = "Perhaps we leverage it."
    text = f"<!-- vale Acme.Hedges = NO -->\n\n{line}\n\n<!-- vale Acme = NO -->\n\n{line}\n\n<!-- vale Acme = YES -->\n\n{line}\n"
    assert describe(lint_with_pack(tmp_path, ACME, text, select=["AC"])) == [
        "3:12: AC102 Jargon: 'leverage'",
        "11:1: AC101 Hedge: 'Perhaps'",
        "11:12: AC102 Jargon: 'leverage'",
    ]
