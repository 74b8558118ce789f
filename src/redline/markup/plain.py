"""Plain text: paragraphs are runs of non-blank lines.

A paragraph of one short line without closing punctuation is taken for a heading (the
title and section lines of a text file), so rules that treat headings apart see it.
Directives use the HTML comment form, on a line of their own.
"""

from __future__ import annotations

import re

from redline.document import Block, BlockKind, Document, Syntax, blank_out
from redline.linecol import LineIndex
from redline.markup.common import HTML_COMMENT_DIRECTIVE, find_directives, mask_urls

_PARAGRAPH = re.compile(r"\S[^\n]*(?:\n[ \t]*\S[^\n]*)*")
_DIRECTIVE = HTML_COMMENT_DIRECTIVE
_HEADING_MAX_WORDS = 20


def parse_text(path: str, text: str) -> Document:
    normalized = text.replace("\r", "\n")  # same length: offsets are unchanged
    lines = LineIndex(text)
    directives = find_directives(text, 0, len(text), lines, _DIRECTIVE)
    prose = _mask_directives(mask_urls(text))
    blocks = []
    for match in _PARAGRAPH.finditer(normalized):
        start, end = match.start(), len(match.group().rstrip()) + match.start()
        if not prose[start:end].strip():
            continue
        blocks.append(Block(_kind(match.group()), start, end))
    sections = [b.start for b in blocks if b.kind is BlockKind.HEADING]
    document = Document(path, text, prose, blocks, Syntax.TEXT, directives, sections=sections)
    document.__dict__["lines"] = lines  # the same index Document.lines would build again
    return document


def _kind(paragraph: str) -> BlockKind:
    line = paragraph.strip()
    if "\n" in line or line[-1:] in ".!?:;,\"'”’)":
        return BlockKind.PARAGRAPH
    return BlockKind.HEADING if len(line.split()) <= _HEADING_MAX_WORDS else BlockKind.PARAGRAPH


def _mask_directives(prose: str) -> str:
    return _DIRECTIVE.sub(lambda m: blank_out(m.group()), prose)
