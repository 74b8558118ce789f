"""Markdown reading: exact offsets, prose kept, code and markup masked, block kinds known."""

from __future__ import annotations

from typing import Any

from helpers import describe, lint_text
from redline.document import BlockKind
from redline.markup import parse


def blocks(text: str) -> list[tuple[str, str]]:
    doc = parse("doc.md", text)
    assert len(doc.prose) == len(doc.text)
    return [(b.kind.value, " ".join(doc.prose[b.start : b.end].split())) for b in doc.blocks]


def test_block_kinds() -> None:
    text = "# Title\n\nBody text.\n\n- item one\n- item two\n\n> quoted\n\n| a | b |\n|---|---|\n| c | d |\n"
    assert blocks(text) == [
        ("heading", "Title"),
        ("paragraph", "Body text."),
        ("list-item", "item one"),
        ("list-item", "item two"),
        ("blockquote", "quoted"),
        ("table-cell", "a"),
        ("table-cell", "b"),
        ("table-cell", "c"),
        ("table-cell", "d"),
    ]


def test_inline_markup_is_masked() -> None:
    text = "Use `npm ci` and [the docs](https://x.org/a_b) or <https://auto.link> **now**.\n"
    assert blocks(text) == [("paragraph", "Use and the docs or now .")]


def test_code_blocks_front_matter_and_html_are_not_prose() -> None:
    text = (
        "---\ntitle: The the title\n---\n\n"
        "Intro.\n\n```python\nthe the\n```\n\n    indented the the\n\n<div>the the</div>\n\nEnd.\n"
    )
    assert blocks(text) == [("paragraph", "Intro."), ("paragraph", "End.")]


def test_images_and_reference_links() -> None:
    text = "See ![alt text](img.png) and [ref][r] here.\n\n[r]: https://example.com\n"
    assert blocks(text) == [("paragraph", "See and ref here.")]


def test_bare_urls_and_emails_masked() -> None:
    text = "Visit https://example.com/path or mail a@b.org today.\n"
    assert blocks(text) == [("paragraph", "Visit or mail today.")]


def test_escapes_and_entities_do_not_shift_offsets() -> None:
    text = "A \\*literal\\* star &amp; the the end.\n"
    result = lint_text(text, select=["RL106"])
    assert describe(result) == ["1:26: RL106 Doubled word: 'the' written twice"]


def test_offsets_exact_after_multibyte_text() -> None:
    text = "Ünïcödé 😀 text, then the the slip.\n"
    assert describe(lint_text(text, select=["RL106"])) == ["1:22: RL106 Doubled word: 'the' written twice"]


def test_crlf_line_endings() -> None:
    text = "First line.\r\n\r\nSecond the the line.\r\n"
    assert describe(lint_text(text, select=["RL106"])) == ["3:8: RL106 Doubled word: 'the' written twice"]


def test_duplicate_inside_code_block_is_not_a_finding() -> None:
    sentence = "The service restarts every worker on deploy."
    text = f"{sentence}\n\n```\n{sentence}\n```\n\nAnd `{sentence}` inline.\n"
    assert describe(lint_text(text, select=["RL101"])) == []


def test_sentences_never_cross_blocks() -> None:
    doc = parse("doc.md", "# A heading without a stop\n\nFirst sentence. Second one\n\n- an item\n")
    kinds = [doc.blocks[s.block].kind for s in doc.sentences]
    assert [s.text for s in doc.sentences] == [
        "A heading without a stop",
        "First sentence.",
        "Second one",
        "an item",
    ]
    assert kinds == [BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM]


def test_directives_collected_from_html_comments_not_code() -> None:
    text = (
        "<!-- redline-disable RL106 -->\n\nA the the.\n\n"
        "Text <!-- redline-enable --> here.\n\n```\n<!-- redline-disable -->\n```\n"
    )
    doc = parse("doc.md", text)
    assert [(d.action, d.selectors, d.line) for d in doc.directives] == [
        ("redline-disable", ("RL106",), 1),
        ("redline-enable", (), 5),
    ]


def test_a_bold_entry_title_starts_a_section() -> None:
    text = (
        "Intro text.\n\n**PACKAGE\\_RESOLVE**(_specifier_, _parentURL_)\n\n> 1. Step one.\n\n"
        "**Bold** then more words.\n\n- **item bold**\n\n**Two\nlines**\n"
    )
    doc = parse("doc.md", text)
    assert doc.sections == [text.index("**PACKAGE")]


def test_a_step_repeated_under_two_bold_entries_is_not_a_repeat() -> None:
    text = (
        "**READ\\_JSON**(_url_)\n\nLet the result be the parsed file of the package.\n\n"
        "**LOOKUP\\_SCOPE**(_url_)\n\nLet the result be the parsed file of the package.\n"
    )
    assert describe(lint_text(text, select=["RL101"])) == []


def _token_stream(tokens: list[Any]) -> list[Any]:
    return [
        (t.type, t.map, t.content, [(c.type, c.content, c.markup) for c in t.children or []]) for t in tokens
    ]


def test_links_are_what_the_stock_parser_makes_them_without_normalizing_their_targets() -> None:
    """The reader skips markdown-it's URL normalization (targets are masked anyway); which
    targets are allowed, and so where links are, must not change."""
    from markdown_it import MarkdownIt

    from redline.markup import markdown

    text = (
        "[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c](\u00a0javascript:x) [d](data:image/png;base64,AA)\n"
        "[e](data:text/html,x) [f](vbscript:x) [g](http://exämple.com/ü?q=1#h) [h](<a b>) ![i](file:///x)\n"
        "<javascript:alert(1)> <http://exämple.com> <me@exämple.com> [j][bad] [k][good] [l](%zz)\n"
        "\n[bad]: javascript:x\n[good]: https://ok.example/\n"
    )
    ours = markdown._parser()
    stock = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).disable("text_join")
    assert _token_stream(ours.parse(text)) == _token_stream(stock.parse(text))
    prose = parse("a.md", text).prose
    assert "alert" in prose  # a javascript: link is no link: its target stays text
    assert "ok.example" not in prose
