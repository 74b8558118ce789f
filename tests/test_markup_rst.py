"""The reStructuredText reader: what is prose, what is masked, and how blocks are cut."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import shared_corpus
from redline.document import BlockKind, Directive, Document, Syntax
from redline.markup import rst
from redline.markup.rst import parse_rst

CORPUS = sorted(shared_corpus("docs").glob("*.rst"))
assert CORPUS, "no .rst file in the shared corpus docs folder"

P, H, LI, BQ = BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM, BlockKind.BLOCKQUOTE


def parse(text: str) -> Document:
    doc = parse_rst("doc.rst", text)
    assert_invariants(doc)
    return doc


def prose_of(doc: Document) -> list[str]:
    """Each block's prose, whitespace runs collapsed to one space."""
    return [" ".join(doc.prose[b.start : b.end].split()) for b in doc.blocks]


def kinds_of(doc: Document) -> list[BlockKind]:
    return [b.kind for b in doc.blocks]


def assert_invariants(doc: Document) -> None:
    assert doc.syntax is Syntax.RST
    assert len(doc.prose) == len(doc.text)
    for source, prose in zip(doc.text, doc.prose, strict=True):
        if prose != " ":
            assert prose == source
        if source in "\r\n":
            assert prose == source
    previous_end = 0
    for block in doc.blocks:
        assert previous_end <= block.start < block.end <= len(doc.text)
        assert not doc.prose[block.start].isspace()
        assert not doc.prose[block.end - 1].isspace()
        previous_end = block.end
    for directive in doc.directives:
        assert 1 <= directive.line <= doc.lines.line_count


# -- section titles and transitions --------------------------------------------------------


def test_title_with_underline_is_a_heading_and_the_underline_is_masked() -> None:
    doc = parse("Getting Started\n===============\n\nFirst paragraph.\n")
    assert prose_of(doc) == ["Getting Started", "First paragraph."]
    assert kinds_of(doc) == [H, P]
    assert "=" not in doc.prose


def test_title_with_overline() -> None:
    doc = parse("##########\n  Manual\n##########\n\nText.\n")
    assert prose_of(doc) == ["Manual", "Text."]
    assert kinds_of(doc) == [H, P]
    assert "#" not in doc.prose


def test_short_underline_is_text_not_a_title() -> None:
    doc = parse("A long line of text\n--\n")
    assert kinds_of(doc) == [P]


def test_transition_is_masked() -> None:
    doc = parse("Before.\n\n----------\n\nAfter.\n")
    assert prose_of(doc) == ["Before.", "After."]


# -- inline markup ---------------------------------------------------------------------------


def test_inline_literals_and_roles_are_masked() -> None:
    doc = parse("Call ``foo()`` or :command:`bar` and :cmake:prop_tgt:`X` and `y`:envvar: now.\n")
    assert prose_of(doc) == ["Call or and and now."]


def test_hyperlink_reference_keeps_its_text_only() -> None:
    doc = parse("See `the guide <https://example.com/guide>`_ and `Section`_ and `other`__ and links_.\n")
    assert prose_of(doc) == ["See the guide and Section and other and links ."]
    assert "<" not in doc.prose
    assert "example" not in doc.prose


def test_interpreted_text_keeps_text_and_masks_backticks() -> None:
    doc = parse("The `default role` text.\n")
    assert prose_of(doc) == ["The default role text."]


def test_substitution_and_footnote_references_are_masked() -> None:
    doc = parse("Use |product| here [1]_ and [#]_ and [#note]_ and [CIT2002]_ too.\n")
    assert prose_of(doc) == ["Use here and and and too."]


def test_emphasis_markers_and_escapes() -> None:
    doc = parse("Some *emphasis* and **strong** text, an \\*escaped star, and 2 * 3.\n")
    assert prose_of(doc) == ["Some emphasis and strong text, an *escaped star, and 2 * 3."]


def test_inline_markup_may_span_lines() -> None:
    doc = parse("A ``literal\nover lines`` and :ref:`a role\nover lines` end.\n")
    assert prose_of(doc) == ["A and end."]


def test_trailing_underscore_is_a_reference_only_before_space_or_punctuation() -> None:
    doc = parse("See links_, and CMAKE_<LANG>_FLAGS.\n")
    assert prose_of(doc) == ["See links , and CMAKE_<LANG>_FLAGS."]


def test_bare_urls_are_masked() -> None:
    doc = parse("Visit https://example.com/path for more.\n")
    assert prose_of(doc) == ["Visit for more."]


# -- literal blocks ----------------------------------------------------------------------------


def test_literal_block_after_double_colon() -> None:
    doc = parse("For example::\n\n    code here\n    more code\n\nAfter.\n")
    assert prose_of(doc) == ["For example:", "After."]
    assert "code" not in doc.prose


def test_double_colon_after_space_is_masked_entirely() -> None:
    doc = parse("For example ::\n\n    code here\n")
    assert prose_of(doc) == ["For example"]


def test_expanded_double_colon_paragraph_is_masked() -> None:
    doc = parse("Text.\n\n::\n\n    code here\n\nAfter.\n")
    assert prose_of(doc) == ["Text.", "After."]


def test_quoted_literal_block() -> None:
    doc = parse("Mail::\n\n> quoted\n> lines\n\nAfter.\n")
    assert prose_of(doc) == ["Mail:", "After."]


# -- directives ----------------------------------------------------------------------------------


def test_code_block_body_and_options_are_masked() -> None:
    doc = parse(".. code-block:: cmake\n   :caption: Example\n\n   set(x 1)\n   message(hi)\n\nAfter.\n")
    assert prose_of(doc) == ["After."]
    assert doc.prose.strip() == "After."


@pytest.mark.parametrize(
    "directive", ["code", "sourcecode", "math", "raw:: html", "toctree", "image:: a.png", "my-code-thing"]
)
def test_non_prose_directive_bodies_are_masked(directive: str) -> None:
    head = directive if "::" in directive else directive + "::"
    doc = parse(f".. {head}\n\n   Body words here.\n\nAfter.\n")
    assert prose_of(doc) == ["After."]


def test_note_body_is_prose() -> None:
    doc = parse(".. note::\n\n   This is a note.\n   It has two lines.\n\n   Second paragraph.\n")
    assert prose_of(doc) == ["This is a note. It has two lines.", "Second paragraph."]
    assert kinds_of(doc) == [P, P]


def test_admonition_text_on_the_directive_line_is_prose() -> None:
    doc = parse(".. warning:: Do not do this.\n   Really.\n   :class: big\n")
    assert prose_of(doc) == ["Do not do this. Really."]


def test_cmake_command_directive_masks_the_argument_and_keeps_the_body() -> None:
    doc = parse(
        ".. command:: add_thing\n\n"
        "  Adds a thing to the build.\n\n"
        "  .. code-block:: cmake\n\n"
        "    add_thing(x)\n\n"
        "  The thing is added once.\n"
    )
    assert prose_of(doc) == ["Adds a thing to the build.", "The thing is added once."]
    assert "add_thing" not in doc.prose


def test_signature_lines_of_a_domain_directive_are_masked() -> None:
    doc = parse(".. variable:: CMAKE_FOO\n              CMAKE_BAR\n\n Sets the foo.\n")
    assert prose_of(doc) == ["Sets the foo."]


def test_version_directive_masks_the_version_and_keeps_its_text() -> None:
    doc = parse(".. versionadded:: 3.20\n  The ``X`` option.\n\n.. versionchanged:: 3.4 Now faster.\n")
    assert prose_of(doc) == ["The option.", "Now faster."]
    assert "3." not in doc.prose


def test_rubric_title_is_a_heading() -> None:
    doc = parse(".. rubric:: Footnotes\n\n.. topic:: Summary\n\n   Topic body.\n")
    assert prose_of(doc) == ["Footnotes", "Summary", "Topic body."]
    assert kinds_of(doc) == [H, H, P]


def test_comments_targets_and_definitions_are_masked() -> None:
    doc = parse(
        ".. a comment\n   that goes on\n\n"
        ".. _target-name:\n\n"
        ".. |sub| replace:: replacement text\n\n"
        ".. [1] A footnote body.\n\n"
        ".. [CIT2002] A citation.\n\n"
        "__ https://example.com\n\n"
        "Prose.\n"
    )
    assert prose_of(doc) == ["Prose."]


def test_internal_targets_start_sections_and_external_targets_do_not() -> None:
    text = (
        ".. _first:\n.. _`second one`:\n\nEntry one.\n\n"
        ".. _python: https://www.python.org/\n\n"
        ".. _multi-line:\n   https://example.org/\n\n"
        "Still entry one.\n\n"
        ".. _third:\n\nEntry two.\n"
    )
    doc = parse(text)
    assert prose_of(doc) == ["Entry one.", "Still entry one.", "Entry two."]
    assert doc.sections == [0, text.index(".. _`second"), text.index(".. _third:")]
    assert doc.section_of(text.index("Entry one.")) == doc.section_of(text.index("Still entry one."))
    assert doc.section_of(text.index("Entry two.")) == doc.section_of(text.index("Entry one.")) + 1


def test_redline_directive_comments() -> None:
    doc = parse(
        "Intro.\n\n"
        ".. redline-disable RL101, RL102\n\n"
        "Text.\n\n"
        ".. redline-enable\n\n"
        ".. redline-disable-next-line RL106 RL301\n"
        "Flagged line.\n"
    )
    assert doc.directives == [
        Directive("redline-disable", ("RL101", "RL102"), 3),
        Directive("redline-enable", (), 7),
        Directive("redline-disable-next-line", ("RL106", "RL301"), 9),
    ]
    assert prose_of(doc) == ["Intro.", "Text.", "Flagged line."]


def test_redline_directive_continued_on_the_next_line_ends_there() -> None:
    doc = parse(".. redline-disable-next-line\n   RL106\nText.\n")
    assert doc.directives == [Directive("redline-disable-next-line", ("RL106",), 2)]


def test_redline_directive_written_as_a_directive_still_counts() -> None:
    doc = parse(".. redline-disable:: RL101\n")
    assert doc.directives == [Directive("redline-disable", ("RL101",), 1)]


def test_ordinary_comment_is_not_a_redline_directive() -> None:
    assert parse(".. just a comment about redline-disable\n").directives == []


# -- lists, fields, options, definitions, quotes ---------------------------------------------------


def test_bullet_list_items() -> None:
    doc = parse("- First item\n  continues here.\n- Second item.\n\n  Nested paragraph.\n\n* Third.\n")
    assert prose_of(doc) == ["First item continues here.", "Second item.", "Nested paragraph.", "Third."]
    assert kinds_of(doc) == [LI, LI, LI, LI]
    assert "-" not in doc.prose and "*" not in doc.prose


def test_nested_bullet_list() -> None:
    doc = parse("- Outer.\n\n  - Inner one.\n  - Inner two.\n")
    assert prose_of(doc) == ["Outer.", "Inner one.", "Inner two."]
    assert kinds_of(doc) == [LI, LI, LI]


def test_enumerated_list_items() -> None:
    doc = parse("1. One.\n2. Two.\n\n#. Auto.\n\na) Letter.\n\n(3) Parens.\n")
    assert prose_of(doc) == ["One.", "Two.", "Auto.", "Letter.", "Parens."]
    assert kinds_of(doc) == [LI] * 5


def test_enumerator_lookalike_is_a_paragraph() -> None:
    doc = parse("A. Smith wrote this\nsentence over two lines.\n")
    assert prose_of(doc) == ["A. Smith wrote this sentence over two lines."]
    assert kinds_of(doc) == [P]


def test_field_list_masks_the_field_name() -> None:
    doc = parse(":Author: Jane Doe\n:Long field: A value\n   that continues.\n:orphan:\n")
    assert prose_of(doc) == ["Jane Doe", "A value that continues."]


def test_option_list_masks_the_options() -> None:
    doc = parse("-a, --all  Show everything.\n--file=<path>\n    Read the file.\n")
    assert prose_of(doc) == ["Show everything.", "Read the file."]


def test_definition_list() -> None:
    doc = parse("Term words\n   The definition.\n\n``LITERAL_TERM``\n   Another definition.\n")
    assert prose_of(doc) == ["Term words", "The definition.", "Another definition."]
    assert kinds_of(doc) == [P, P, P]


def test_block_quote() -> None:
    doc = parse("Paragraph.\n\n   A quoted paragraph.\n\n      Nested deeper.\n\nBack.\n")
    assert prose_of(doc) == ["Paragraph.", "A quoted paragraph.", "Nested deeper.", "Back."]
    assert kinds_of(doc) == [P, BQ, BQ, P]


def test_indented_text_inside_a_list_item_or_directive_is_not_a_quote() -> None:
    doc = parse("- Item.\n\n      Indented in item.\n\n.. note::\n\n   Note.\n\n      Indented in note.\n")
    assert kinds_of(doc) == [LI, LI, P, P]


def test_block_quote_attribution_dash_is_masked() -> None:
    doc = parse("Paragraph.\n\n   Quote.\n\n   --- Someone Famous\n")
    assert prose_of(doc) == ["Paragraph.", "Quote.", "Someone Famous"]
    assert kinds_of(doc) == [P, BQ, BQ]


# -- tables and other masked blocks -----------------------------------------------------------------


def test_grid_table_is_masked() -> None:
    doc = parse(
        "Before.\n\n+-------+-------+\n| Cell  | Words |\n+=======+=======+\n| more  | text  |\n"
        "+-------+-------+\n\nAfter.\n"
    )
    assert prose_of(doc) == ["Before.", "After."]


def test_simple_table_is_masked() -> None:
    doc = parse("=====  =====\nA      B\n=====  =====\none    two\n\nthree  four\n=====  =====\n\nAfter.\n")
    assert prose_of(doc) == ["After."]


def test_doctest_block_is_masked() -> None:
    doc = parse(">>> print('hi')\nhi\n\nAfter.\n")
    assert prose_of(doc) == ["After."]


def test_line_block_markers_are_masked() -> None:
    doc = parse("| First line,\n| second line.\n")
    assert prose_of(doc) == ["First line, second line."]
    assert "|" not in doc.prose


# -- offsets --------------------------------------------------------------------------------------


def test_crlf_offsets_point_into_the_source() -> None:
    text = "Title\r\n=====\r\n\r\nSome ``code`` prose\r\nhere.\r\n\r\n.. redline-disable RL101\r\n"
    doc = parse(text)
    assert prose_of(doc) == ["Title", "Some prose here."]
    assert [text[b.start : b.end] for b in doc.blocks] == ["Title", "Some ``code`` prose\r\nhere."]
    assert doc.directives == [Directive("redline-disable", ("RL101",), 7)]
    assert doc.prose.count("\r\n") == text.count("\r\n")


def test_tabs_indent_to_multiples_of_eight() -> None:
    doc = parse("Term\n\tDefinition with a tab.\n\n-\tItem after a tab.\n")
    assert prose_of(doc) == ["Term", "Definition with a tab.", "Item after a tab."]


def test_empty_and_blank_input() -> None:
    assert parse("").blocks == []
    assert parse("\n\n   \n").blocks == []


# -- the real corpus ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_prose_is_the_source_with_markup_masked(path: Path) -> None:
    doc = parse(path.read_text(encoding="utf-8"))
    assert doc.blocks


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_blocks_contain_no_markup(path: Path) -> None:
    doc = parse_rst(str(path), path.read_text(encoding="utf-8"))
    for prose in prose_of(doc):
        # ``::`` between word characters is a C++ name in link text, which is prose.
        assert not re.search(r"(?<!\w)::|::(?!\w)", prose), prose
        assert "`" not in prose, prose
        assert "<http" not in prose, prose
        assert not re.search(r"(?:^|\s)\.\. ", prose), prose


def test_corpus_sample_reads_like_an_editor_would() -> None:
    path = next(p for p in CORPUS if p.name == "cmake-command-file.rst")
    doc = parse(path.read_text(encoding="utf-8"))
    blocks = list(zip(kinds_of(doc), prose_of(doc), strict=True))
    assert blocks[:3] == [
        (H, "file"),
        (P, "File manipulation command."),
        (P, "This command is dedicated to file and path manipulation requiring access to the filesystem."),
    ]
    assert (P, "Consider only strings of at most a given length.") in blocks
    assert all("file(READ" not in prose for _, prose in blocks)


# -- robustness -----------------------------------------------------------------------------------------

_RST_ALPHABET = st.sampled_from(list(".:-=*`\n _|#>+[]<\\\t\r") + list("abcXY12"))


@pytest.mark.parametrize(
    "text",
    [
        "- " * 50_000,
        "".join(" " * i + "- item\n" for i in range(2_000)),
        ":a" * 100_000,
        "`` ` " * 50_000,
        "|a " * 100_000,
        "*a " * 100_000,
        "=====  =====\nx\n" * 20_000,
        "``" + "a" * 200_000,
        ".. x\n   " * 50_000,
        "[a" * 100_000,
    ],
    ids=[
        "bullets",
        "staircase",
        "roles",
        "backticks",
        "pipes",
        "stars",
        "tables",
        "literal",
        "comments",
        "brackets",
    ],
)
def test_pathological_input_is_read_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    parse_rst("big.rst", text)
    assert time.perf_counter() - started < 10


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_RST_ALPHABET, max_size=400))
def test_fuzz_never_raises_and_keeps_the_invariants(text: str) -> None:
    parse(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_arbitrary_unicode(text: str) -> None:
    parse(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*".:`_|[]*\\ \n-<>", "a", "b", "1", "é", "role", "ref"]), max_size=60).map(
        "".join
    )
)
def test_inline_markup_is_found_where_a_scan_of_every_character_finds_it(text: str) -> None:
    """The reader tries its inline regex only where a match can begin; the matches (and so
    the prose) are those of ``finditer`` over every character, in the middle of a text too."""
    start, stop = len(text) // 4, len(text) - len(text) // 5
    spans = [m.span() for m in rst._inline_markup(text, start, stop)]
    assert spans == [m.span() for m in rst._INLINE.finditer(text, start, stop)]
    groups = [m.lastgroup for m in rst._inline_markup(text, 0, len(text))]
    assert groups == [m.lastgroup for m in rst._INLINE.finditer(text)]
