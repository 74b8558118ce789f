"""Properties of the whole pipeline over generated documents (hypothesis).

For random Markdown, reStructuredText, plain text and raw Unicode: no exception; every
finding's offsets lie inside the file, on text that is not blank; line:column and offsets
agree both ways; the same input gives the same JSON; ``prose`` keeps the length of the
text and every character it keeps is the source character; ``--fix`` twice equals once
and leaves every character outside its edits alone.

Example counts come from the profile in tests/conftest.py: ``REDLINE_HYPOTHESIS_PROFILE``
``fast`` (default, 10,400 documents) or ``long`` (ten times as many).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markdown_strategies import markdown_documents, rst_documents, unicode_documents
from redline.config import Config
from redline.document import Document
from redline.engine import FileResult, Linter, LintOptions, RunResult
from redline.findings import Edit
from redline.fixes import apply_edits, fix_source, select_edits
from redline.linecol import LineIndex
from redline.markup import parse
from redline.output import OutputOptions, formatter
from redline.selection import CommandLineSettings
from redline.source import Source

SCALE = {"fast": 1, "long": 10}[os.environ.get("REDLINE_HYPOTHESIS_PROFILE", "fast")]

# Everything but the embedding rule (RL102: a model per call would make this minutes).
LINTER = Linter(
    LintOptions(
        command_line=CommandLineSettings(select=["ALL"], ignore=["RL102"]),
        use_cache=False,
        config=Config(root=Path("/nonexistent-root")),
    )
)
render_json = formatter("json")

# Rules whose message quotes the very text of the span.
_QUOTED = re.compile(r"'([^']+)'")
QUOTES_ITS_SPAN = {"RL103", "RL106"}


def lint(text: str, path: str) -> RunResult:
    return LINTER.lint_source(Source(path, text, "utf-8"))


def only_file(run: RunResult) -> FileResult:
    assert not run.errors, run.errors
    (result,) = run.files
    return result


def check_findings(text: str, result: FileResult) -> None:
    lines = LineIndex(text)
    for finding in result.findings:
        where = f"{finding.code} {finding.start}:{finding.end} {finding.message!r}"
        assert 0 <= finding.start < finding.end <= len(text), where
        span = text[finding.start : finding.end]
        assert span.strip(), where
        for offset in (finding.start, finding.end):
            assert lines.offset(*lines.position(offset)) == offset, where
        for related in finding.related:
            if related.path is None:
                assert 0 <= related.start <= related.end <= len(text), where
        if finding.fix is not None:
            for edit in finding.fix.edits:
                assert 0 <= edit.start <= edit.end <= len(text), where
        if finding.code in QUOTES_ITS_SPAN:
            quoted = _QUOTED.search(finding.message)
            assert quoted is not None, where
            assert _words(quoted.group(1)) in _words(span), where


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def check_prose(document: Document) -> None:
    text, prose = document.text, document.prose
    assert len(prose) == len(text)
    for ours, theirs in zip(prose, text, strict=True):
        if ours != theirs:
            assert ours == " " and theirs not in "\r\n"
    for block in document.blocks:
        assert 0 <= block.start < block.end <= len(text)


def check_line_index(text: str) -> None:
    lines = LineIndex(text)
    for offset in range(len(text) + 1):
        line, column = lines.position(offset)
        assert lines.offset(line, column) == offset
        assert lines.line_start(line) <= offset <= lines.line_end(line) or text[offset - 1] in "\r\n"


def check_run(text: str, path: str) -> None:
    run = lint(text, path)
    result = only_file(run)
    check_findings(text, result)
    first = render_json(run, OutputOptions())
    assert render_json(lint(text, path), OutputOptions()) == first  # deterministic


@settings(max_examples=1200 * SCALE)
@given(text=markdown_documents())
def test_markdown_documents_lint_cleanly(text: str) -> None:
    check_run(text, "doc.md")


@settings(max_examples=5000 * SCALE)
@given(text=markdown_documents(), path=st.sampled_from(["doc.md", "doc.txt"]))
def test_markdown_prose_is_the_source_with_markup_blanked(text: str, path: str) -> None:
    check_prose(parse(path, text))
    check_line_index(text)


@settings(max_examples=500 * SCALE)
@given(text=rst_documents())
def test_rst_documents_lint_cleanly(text: str) -> None:
    check_prose(parse("doc.rst", text))
    check_run(text, "doc.rst")


@settings(max_examples=800 * SCALE)
@given(text=unicode_documents, path=st.sampled_from(["doc.md", "doc.rst", "doc.txt"]))
def test_random_unicode_lints_cleanly(text: str, path: str) -> None:
    check_prose(parse(path, text))
    check_line_index(text)
    check_run(text, path)


@settings(max_examples=2500 * SCALE)
@given(text=unicode_documents, path=st.sampled_from(["doc.md", "doc.rst", "doc.txt"]))
def test_random_unicode_prose_is_the_source_with_markup_blanked(text: str, path: str) -> None:
    check_prose(parse(path, text))


def reference_apply(text: str, edits: list[Edit]) -> str:
    """The characters between edits, unchanged, and the replacements: nothing else."""
    out, cursor = [], 0
    for edit in edits:
        assert edit.start >= cursor  # select_edits gives non-overlapping edits in order
        out += [text[cursor : edit.start], edit.replacement]
        cursor = edit.end
    return "".join([*out, text[cursor:]])


@settings(max_examples=400 * SCALE)
@given(text=markdown_documents(), unsafe=st.booleans())
def test_fix_twice_equals_fix_once(text: str, unsafe: bool) -> None:
    first = only_file(lint(text, "doc.md"))
    edits, _ = select_edits(first.findings, unsafe)
    assert apply_edits(text, edits) == reference_apply(text, edits)
    once, remaining = fix_source(LINTER, first, unsafe)
    assert once.original == text
    again, _ = fix_source(LINTER, only_file(lint(once.fixed, "doc.md")), unsafe)
    assert again.fixed == once.fixed
    check_findings(once.fixed, remaining)


@pytest.mark.parametrize(
    "text",
    [
        "Read the the manual.\r\nRead the the manual.\r\n",
        "# T\n\n- the the\n  - very very\n\n> the the\n",
        "Text\rthe the\r",
        "\ufeffthe the café café.\n",
    ],
)
def test_fix_examples_keep_the_bytes_outside_edits(text: str) -> None:
    first = only_file(lint(text, "doc.md"))
    edits, count = select_edits(first.findings)
    assert count >= 1
    assert apply_edits(text, edits) == reference_apply(text, edits)
    once, _ = fix_source(LINTER, first)
    again, _ = fix_source(LINTER, only_file(lint(once.fixed, "doc.md")))
    assert once.fixed == again.fixed
    assert once.fixed.count("\r") == text.count("\r")
