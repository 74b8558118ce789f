"""Markdown reading: exact offsets, prose kept, code and markup masked, block kinds known."""

from __future__ import annotations

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
