"""Stdin without a file name: Markdown is recognised by its own structure."""

from __future__ import annotations

import pytest

from redline.document import Syntax
from redline.markup import parse
from redline.markup.sniff import sniff_syntax


@pytest.mark.parametrize(
    "text",
    [
        "Intro.\n\n```python\nx = 1\n```\n",
        "Intro.\n\n~~~\ncode\n~~~\n",
        "# Title\n\nText.\n",
        "Text.\n\n## Section\n",
        "Steps:\n\n- one\n- two\n",
        "1. first\n2. second\n",
        "> A quote.\n",
        "See [the guide](https://example.com/guide).\n",
        "An image: ![chart](chart.png).\n",
        "Run `make test` first.\n",
    ],
)
def test_markdown_signs(text: str) -> None:
    assert sniff_syntax(text) is Syntax.MARKDOWN


@pytest.mark.parametrize(
    "text",
    [
        "A plain paragraph.\n\nAnother one, with #hashtag and 3.5 percent.\n",
        "Costs [in brackets] and (in parentheses).\n",
        "Email me at a@example.com, or call at 10.30.\n",
        "",
    ],
)
def test_plain_text(text: str) -> None:
    assert sniff_syntax(text) is Syntax.TEXT


def test_stdin_path_is_sniffed_and_named_files_are_not() -> None:
    assert parse("-", "# Title\n").syntax is Syntax.MARKDOWN
    assert parse("-", "Title\n").syntax is Syntax.TEXT
    assert parse("notes.txt", "# Title\n").syntax is Syntax.TEXT
