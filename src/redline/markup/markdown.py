"""Markdown: markdown-it-py gives the structure, source offsets are recovered exactly.

markdown-it-py maps block tokens to source lines but not inline tokens to columns. Inline
``text`` tokens carry their source text verbatim (``text_join`` is disabled so escapes and
entities stay separate tokens), and children come in source order, so each text token is
found by a forward search from a cursor. Only what is found as a text token is prose;
everything else in the block (markers, code spans, link targets, HTML, images,
autolinks) stays masked. A token that cannot be found is left masked: a miss can only
hide prose, never lint markup.
"""

from __future__ import annotations

import re
from typing import Any

from redline.document import Block, BlockKind, Directive, Document, Syntax, prose_from_spans
from redline.linecol import LineIndex
from redline.markup.common import HTML_COMMENT_DIRECTIVE, find_directives, mask_urls

_CONTAINER_KINDS = {
    "heading_open": BlockKind.HEADING,
    "th_open": BlockKind.TABLE_CELL,
    "td_open": BlockKind.TABLE_CELL,
    "list_item_open": BlockKind.LIST_ITEM,
    "blockquote_open": BlockKind.BLOCKQUOTE,
}
_HTML_COMMENT_DIRECTIVE = HTML_COMMENT_DIRECTIVE


def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.disable("text_join")
    md.use(front_matter_plugin)
    # Link targets are masked, never read: percent-encoding and punycoding each one
    # (mdurl) was an eighth of the parse. Whether a target is allowed (validateLink: no
    # "javascript:" and the like) decides what is a link, and so what is prose; it is
    # still asked, of the target as written, and answers the same: it strips and lower-
    # cases the target and looks only at its scheme, which normalizing leaves as it is.
    md.normalizeLink = _target_as_written  # type: ignore[method-assign]
    return md


def _target_as_written(url: str) -> str:
    return url


_PARSER: Any = None


def parse_markdown(path: str, text: str) -> Document:
    global _PARSER
    if _PARSER is None:
        _PARSER = _parser()
    tokens = _PARSER.parse(text)
    lines = LineIndex(text)
    spans: list[tuple[int, int]] = []
    blocks: list[Block] = []
    directives: list[Directive] = []
    stack: list[str] = []
    sections: list[int] = []
    cursor = 0
    for token in tokens:
        if token.type == "heading_open" and token.map:
            sections.append(lines.line_start(token.map[0] + 1))
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1 and stack:
            stack.pop()
        if token.type == "html_block" and token.map:
            start = lines.line_start(token.map[0] + 1)
            end = lines.line_end(token.map[1])
            directives.extend(find_directives(text, start, end, lines, _HTML_COMMENT_DIRECTIVE))
        if token.type != "inline" or not token.map:
            continue
        if stack == ["paragraph_open"] and token.map[1] == token.map[0] + 1:
            line = token.map[0] + 1
            if _BOLD_ENTRY.fullmatch(text, lines.line_start(line), lines.line_end(line)):
                sections.append(lines.line_start(line))  # ``**NAME**(args)``: an entry's title
        block_start = max(cursor, lines.line_start(token.map[0] + 1))
        block_end = lines.line_end(token.map[1])
        found, cursor, inline_directives = _inline_spans(
            text, token.children or [], block_start, block_end, lines
        )
        directives.extend(inline_directives)
        if found:
            spans.extend(found)
            blocks.append(Block(_kind(stack), found[0][0], found[-1][1]))
    prose = mask_urls(prose_from_spans(text, spans))
    directives.sort(key=lambda d: d.line)
    document = Document(path, text, prose, blocks, Syntax.MARKDOWN, directives, sections=sections)
    document.__dict__["lines"] = lines  # the same index Document.lines would build again
    return document


#: A one-line paragraph that is a bold name, maybe with its arguments: ``**name**`` or
#: ``**PACKAGE_RESOLVE**(specifier, parentURL)``, an entry's title as a heading would be.
_BOLD_ENTRY = re.compile(r"(\*\*|__)(?=\S)[^\r\n]+?(?<=\S)\1(?:\([^\r\n]*\))?[ \t]*")


def _kind(stack: list[str]) -> BlockKind:
    for opened in reversed(stack):
        if opened in _CONTAINER_KINDS:
            return _CONTAINER_KINDS[opened]
    return BlockKind.PARAGRAPH


def _inline_spans(
    text: str, children: list[Any], cursor: int, limit: int, lines: LineIndex
) -> tuple[list[tuple[int, int]], int, list[Directive]]:
    spans: list[tuple[int, int]] = []
    directives: list[Directive] = []
    in_autolink = False
    for child in children:
        kind = child.type
        if kind == "text" and not in_autolink:
            at = text.find(child.content, cursor, limit) if child.content else -1
            if at >= 0:
                spans.append((at, at + len(child.content)))
                cursor = at + len(child.content)
        elif kind == "code_inline":
            cursor = _skip_code_span(text, cursor, limit, child.markup)
        elif kind == "text_special":
            at = text.find(child.markup, cursor, limit)
            cursor = at + len(child.markup) if at >= 0 else cursor
        elif kind == "html_inline":
            at = text.find(child.content, cursor, limit)
            if at >= 0:
                end = at + len(child.content)
                directives.extend(find_directives(text, at, end, lines, _HTML_COMMENT_DIRECTIVE))
                cursor = end
        elif kind == "link_open" and child.markup == "autolink":
            in_autolink = True
        elif kind == "link_close" and child.markup == "autolink":
            in_autolink = False
            at = text.find(">", cursor, limit)
            cursor = at + 1 if at >= 0 else cursor
        elif kind == "link_close":
            cursor = _skip_link_tail(text, cursor, limit)
        elif kind == "image":
            at = text.find("![", cursor, limit)
            if at >= 0:
                close = _matching(text, at + 1, limit, "[", "]")
                cursor = _skip_link_tail(text, close, limit) if close >= 0 else cursor
    return spans, cursor, directives


def _skip_code_span(text: str, cursor: int, limit: int, fence: str) -> int:
    pattern = re.compile(r"(?<!`)" + re.escape(fence) + r"(?!`)")
    opening = pattern.search(text, cursor, limit)
    if not opening:
        return cursor
    closing = pattern.search(text, opening.end(), limit)
    return closing.end() if closing else cursor


def _matching(text: str, at: int, limit: int, open_char: str, close_char: str) -> int:
    """Offset of the bracket closing the one at ``at``, or -1."""
    depth = 0
    i = at
    while i < limit:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == open_char:
            depth += 1
        elif ch == close_char:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _skip_link_tail(text: str, cursor: int, limit: int) -> int:
    """Past ``](target)``, ``][ref]`` or ``]`` at ``cursor`` (after a link's text)."""
    at = text.find("]", cursor, limit)
    if at < 0:
        return cursor
    after = at + 1
    if text.startswith("(", after):
        close = _matching(text, after, limit, "(", ")")
        return close + 1 if close >= 0 else after
    if text.startswith("[", after):
        close = text.find("]", after, limit)
        return close + 1 if close >= 0 else after
    return after
