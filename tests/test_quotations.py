"""Quotations: found once per document, shared by the rules, never edited by a fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import describe, lint_text
from redline.markup import parse

LETTERS = """# Have your say

I agree wholeheartedly with Mr Forsyth.

Jane Smith, London

I agree wholeheartedly with Mr Forsyth.

John Brown, Leeds
"""


def quoted(text: str, path: str = "doc.md") -> list[tuple[str, str | None]]:
    document = parse(path, text)
    return [(text[q.start : q.end], q.speaker) for q in document.quotations]


def test_straight_curly_and_single_quotes_with_their_speakers() -> None:
    text = (
        '"We need $20bn," said Mr Maran. Ms Desai said: “It is positive.” '
        "He called it 'a start', and it's the Smiths' turn.\n"
    )
    assert quoted(text) == [
        ('"We need $20bn,"', "Mr Maran"),
        ("“It is positive.”", "Ms Desai"),
        ("'a start'", None),
    ]


def test_a_quotation_continued_over_paragraphs_shares_its_speaker() -> None:
    text = (
        'Mr Knight said: "The first part runs on.\n\n'
        '"The second part runs on too.\n\n'
        '"The last part closes," he added.\n\n'
        "Then the writer speaks.\n"
    )
    assert quoted(text) == [
        ('"The first part runs on.', "Mr Knight"),
        ('"The second part runs on too.', "Mr Knight"),
        ('"The last part closes,"', "Mr Knight"),
    ]


def test_the_words_of_different_speakers_are_different_voices() -> None:
    text = '"I agree," said Ms Smith. "I agree," said Mr Brown. "I agree," said Ms Smith. I agree.\n'
    quotes = parse("doc.md", text).quotations
    first, second, third = (q.start + 1 for q in quotes)
    writer = text.rindex("I agree")
    assert (quotes.voice_at(first), quotes.voice_at(writer)) == ("Ms Smith", None)
    assert not quotes.same_voice(first, second)
    assert quotes.same_voice(first, third)
    assert not quotes.same_voice(first, writer)


def test_a_stray_mark_quotes_nothing_and_an_inch_mark_is_no_quote() -> None:
    assert quoted('He is 5\'11" tall.\n\nA "stray mark here.\n\nNo follower.\n') == []


def test_a_block_quote_is_quoted_whole() -> None:
    text = "Intro.\n\n> Quoted words, very very many.\n"
    assert quoted(text) == [("Quoted words, very very many.", None)]


def test_no_fix_of_any_rule_edits_inside_quotation_marks() -> None:
    text = 'She said: "It is a free gift, in order to help, the the end."\n'
    result = lint_text(text, select=["RL105", "RL106", "RL401"])
    # The speaker's word choice is not the writer's to change; a doubled "the" may be a
    # transcription slip: reported, never fixed.
    assert describe(result) == ["1:49: RL106 Doubled word: 'the' written twice"]
    assert [f.fix for f in result.files[0].findings] == [None]
    outside = lint_text("It is a free gift, in order to help.\n", select=["RL105", "RL401"])
    assert [f.fix is not None for f in outside.files[0].findings] == [True, True]


def test_hedges_in_a_continuing_quotation_are_not_the_writers() -> None:
    text = (
        'The minister said: "This is very good, very big and very new.\n\n'
        '"It is very clear and very plain," he said.\n\n'
        "The plan starts in May.\n"
    )
    assert describe(lint_text(text, select=["RL203"])) == []
    counted = lint_text(text, select=["RL203"], options={"RL203": {"min-count": 100, "include-quotes": True}})
    assert describe(counted) == ["1:53: RL203 'very' 5 times (192.3 per 1,000 words; budget 2)"]


DOUBLED = """# Words doubled on purpose

She had had enough. That that is, is. It is not not true.
Add to this this new legislation. It cannot not happen.
We flew from Walla Walla to Bora Bora.

Default : /etc /etc/init.d /usr /usr/bin

He said: "a lot of very very useful work, the the whole of it."

> Quoted: the the one and a a two.
"""


def test_fix_changes_no_legitimate_doubling_path_or_quotation(tmp_path: Path) -> None:
    target = tmp_path / "doubled.md"
    target.write_text(DOUBLED, encoding="utf-8")
    (tmp_path / "redline.toml").write_text('select = ["ALL"]\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "redline", "--fix", "--no-cache", "doubled.md"],
        capture_output=True, text=True, check=False, cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert "Fixed 0 findings." in done.stdout
    assert target.read_text("utf-8") == DOUBLED


def test_a_quotation_reopened_before_it_closed() -> None:
    text = 'It says: "We can send mail. "For example, we could write," he said.\n'
    assert quoted(text) == [('"We can send mail. ', "It"), ('"For example, we could write,"', "It")]
