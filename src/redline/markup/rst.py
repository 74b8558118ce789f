"""reStructuredText: a line-based reader that keeps prose and masks markup.

Docutils builds a full doctree, but it keeps no offsets below the line and it reports
malformed input instead of reading past it. This reader follows the docutils body rules
closely enough for linting: it walks the lines, recognises the construct that starts at
the current margin, and recurses into indented bodies (list items, directive content,
definitions, block quotes). Prose is recorded as offsets into the source, so nothing has
to be mapped back. What is not recognised as prose stays masked: a miss can hide prose,
never lint markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from redline.document import Block, BlockKind, Directive, Document, Syntax, prose_from_spans
from redline.linecol import LineIndex
from redline.markup.common import find_directives, mask_urls

_TAB = 8
_MAX_DEPTH = 40  # deeper nesting is not prose anyone wrote; it stays masked
_TABLE_LOOKAHEAD = 2000  # lines searched for the bottom border of a simple table

# Directives whose content is code, data or configuration, never prose.
_MASKED_DIRECTIVES = frozenset({
    "code-block", "code", "sourcecode", "literalinclude", "highlight", "math", "raw", "parsed-literal",
    "toctree", "image", "figure", "include", "csv-table", "list-table", "table", "contents", "index",
    "only", "productionlist", "graphviz", "doctest", "testcode", "testoutput", "program-output",
})  # fmt: skip
# Directives without arguments: text on the directive line is already content.
_ADMONITIONS = frozenset({
    "note", "warning", "tip", "important", "caution", "danger", "error", "hint", "attention", "seealso",
    "todo",
})  # fmt: skip
# Directives whose first argument is a version and the rest of the arguments a sentence.
_VERSIONED = frozenset({"versionadded", "versionchanged", "versionremoved", "deprecated"})
# Directives whose argument is a title.
_TITLED = frozenset({"rubric", "topic", "admonition", "sidebar"})

_EXPLICIT = re.compile(r"\.\.(?:[ \t]+|$)")
_DIRECTIVE = re.compile(r"(?P<name>[A-Za-z0-9][\w.+:-]*?)::(?=[ \t]|$)")
_REDLINE_COMMENT = re.compile(r"(redline-[a-z-]+|vale(?=[ \t]))(?:::)?(?![\w-])(.*)", re.DOTALL)
_ANONYMOUS_TARGET = re.compile(r"__(?:[ \t]+|$)")
# An internal hyperlink target, ``.. _label:`` with nothing after it: the place a
# reference jumps to, so what follows is an entry of its own (a new section).
_INTERNAL_TARGET = re.compile(r"_(?:`[^`\r\n]+`|[^:`\s](?:[^:\r\n]|\\:)*):[ \t]*$")
_BULLET = re.compile(r"[-*+•‣⁃](?:[ \t]+|$)")
_ENUM = r"(?:\d+|#|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+)"
_ENUMERATOR = re.compile(rf"(?:\({_ENUM}\)|{_ENUM}[.)])(?:[ \t]+|$)")
_FIELD = re.compile(r":(?![\s:])(?:[^:\\\r\n]|\\.)*?(?<!\s):(?:[ \t]+|$)")
_OPTION = r"(?:--?[A-Za-z0-9][\w-]*|/[A-Za-z0-9]\w*|\+[A-Za-z0-9])(?:[ =](?:<[^<>\r\n]+>|\w[\w-]*))?"
_OPTION_LIST = re.compile(rf"{_OPTION}(?:, {_OPTION})*(?:[ \t]{{2,}}|$)")
_DOCTEST = re.compile(r">>>(?:[ \t]|$)")
_LINE_BLOCK = re.compile(r"\|(?:[ \t]+|$)")
_GRID_BORDER = re.compile(r"\+(?:[-=]+\+)+")
_SIMPLE_BORDER = re.compile(r"=+(?:[ \t]+=+)*")
_INDENTATION = re.compile(r"[ \t]*")
_TOKEN = re.compile(r"\S+[ \t]*")
_ATTRIBUTION = re.compile(r"(?:---?(?!-)|—)[ \t]*(?=\S)")
_ADORNMENT_CHARS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

# Inline markup, tried left to right; each match says which of its characters are markup.
_ROLE = r":[A-Za-z0-9][\w.+-]{0,40}(?::[A-Za-z0-9][\w.+-]{0,40}){0,3}:"  # bounded: no rescans
_INLINE = re.compile(
    r"(?P<escape>\\(?s:.))"
    r"|(?P<literal>``(?s:.+?)``)"
    rf"|(?P<role>{_ROLE}`[^`]*`(?:__?)?)"
    rf"|(?P<interpreted>_?`(?P<content>[^`]+)`(?P<suffix>{_ROLE}|__?)?)"
    r"|(?P<substitution>(?<![\w|])\|(?![\s|])[^|\r\n]*?(?<!\s)\|(?:__?)?)"
    r"|(?P<footnote>\[(?:\d+|#[\w.-]*|\*|[A-Za-z][\w.-]*)\]_)"
    r"|(?P<emphasis>(?<![\w*\\])\*{1,2}(?=[^\s*])|(?<=[^\s*\\])\*{1,2}(?![\w*]))"
    r"|(?P<reference>(?<=[^\W_])__?(?=$|[\s\-.,:;!?\\/'\")\]}>]))"
    r"|(?P<stray>`+)"
)
#: The characters a match of ``_INLINE`` can begin with.
_INLINE_FIRST = re.compile(r"[\\`:_|\[*]")


class _Line(NamedTuple):
    """One source line (a named tuple: a document has thousands, read many times each)."""

    start: int  # first character after the indentation
    stop: int  # just past the last non-blank character; == start on a blank line
    indent: int  # column of ``start``, a tab advancing to the next multiple of 8

    @property
    def blank(self) -> bool:
        return self.start >= self.stop


@dataclass(frozen=True, slots=True)
class _Context:
    """The block kinds a body gives its paragraphs and the block quotes inside it."""

    paragraph: BlockKind
    quote: BlockKind
    depth: int = 0

    def inner(self, paragraph: BlockKind, quote: BlockKind | None = None) -> _Context:
        return _Context(paragraph, quote or paragraph, self.depth + 1)


_Span = tuple[int, int]
_Handler = Callable[[list[_Line], int, int, _Context], "int | None"]


def parse_rst(path: str, text: str) -> Document:
    reader = _Reader(text)
    reader.body(reader.lines, _Context(BlockKind.PARAGRAPH, BlockKind.BLOCKQUOTE))
    prose = mask_urls(prose_from_spans(text, reader.spans))
    blocks = _trimmed(sorted(reader.blocks, key=lambda b: b.start), prose)
    directives = sorted(reader.directives, key=lambda d: d.line)
    document = Document(path, text, prose, blocks, Syntax.RST, directives, sections=sorted(reader.sections))
    document.__dict__["lines"] = reader.index  # the same index Document.lines would build again
    return document


def _trimmed(blocks: list[Block], prose: str) -> list[Block]:
    """Blocks shrunk to their first and last prose character; blocks left blank dropped."""
    kept = []
    for block in blocks:
        segment = prose[block.start : block.end]
        left = len(segment) - len(segment.lstrip())
        if left < len(segment):
            right = len(segment) - len(segment.rstrip())
            kept.append(Block(block.kind, block.start + left, block.end - right))
    return kept


def _column(indentation: str) -> int:
    """The column after ``indentation``, a tab advancing to the next multiple of 8."""
    if "\t" not in indentation:
        return len(indentation)
    column = 0
    for char in indentation:
        column = column + 1 if char == " " else (column // _TAB + 1) * _TAB
    return column


def _indented_end(lines: list[_Line], i: int, margin: int) -> int:
    """End of the block from ``i`` indented past ``margin``, blank lines inside it included."""
    j = i
    while j < len(lines) and (lines[j].blank or lines[j].indent > margin):
        j += 1
    while j > i and lines[j - 1].blank:
        j -= 1
    return j


def _until_blank(lines: list[_Line], i: int) -> int:
    j = i + 1
    while j < len(lines) and not lines[j].blank:
        j += 1
    return j


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.index = LineIndex(text)
        self.lines = self._split_lines()
        self.spans: list[_Span] = []
        self.blocks: list[Block] = []
        self.directives: list[Directive] = []
        self.sections: list[int] = []
        # Order matters as in docutils: the first handler that claims a line wins.
        self.handlers: tuple[_Handler, ...] = (
            self.explicit_markup,
            self.anonymous_target,
            self.adornment,
            self.table,
            self.doctest,
            self.line_block,
            self.bullet_item,
            self.enumerated_item,
            self.field,
            self.option,
        )

    def _split_lines(self) -> list[_Line]:
        text = self.text
        indentation = _INDENTATION.match
        lines = []
        for begin, end in self.index.spans():
            blank = indentation(text, begin, end)
            start = blank.end() if blank else begin
            stop = start + len(text[start:end].rstrip())
            lines.append(_Line(start, stop, _column(text[begin:start])))
        return lines

    # -- bodies ---------------------------------------------------------------------------

    def body(self, lines: list[_Line], context: _Context) -> None:
        """Read a sequence of body elements; its least indented lines are the margin."""
        indents = [line.indent for line in lines if not line.blank]
        if not indents or context.depth > _MAX_DEPTH:
            return
        margin = min(indents)
        i = 0
        while i < len(lines):
            if lines[i].blank:
                i += 1
            elif lines[i].indent > margin:
                end = _indented_end(lines, i, margin)
                self.body(lines[i:end], context.inner(context.quote))
                i = end
            else:
                i = self.element(lines, i, margin, context)

    def element(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int:
        """Read the element starting on line ``i``; return the index of the line after it."""
        for handler in self.handlers:
            end = handler(lines, i, margin, context)
            if end is not None:
                return end
        return self.paragraph(lines, i, margin, context)

    def item(self, lines: list[_Line], i: int, margin: int, text_start: int, context: _Context) -> int:
        """A list item, field or option: text after a marker plus the indented lines below."""
        end = _indented_end(lines, i + 1, margin)
        rest = lines[i + 1 : end]
        self.body(self.after_marker(lines[i], text_start, rest) + rest, context)
        return end

    def after_marker(self, line: _Line, start: int, rest: list[_Line]) -> list[_Line]:
        """The text after a marker on ``line``, as a line aligned with the body in ``rest``.

        Docutils strips the first line of an item at the marker and the other lines by their
        common indentation, so the first line counts as indented like the rest.
        """
        while start < line.stop and self.text[start] in " \t":
            start += 1
        if start >= line.stop:
            return []
        indents = [other.indent for other in rest if not other.blank]
        return [_Line(start, line.stop, min(indents) if indents else line.indent)]

    # -- explicit markup ------------------------------------------------------------------

    def explicit_markup(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int | None:
        line = lines[i]
        match = _EXPLICIT.match(self.text, line.start, line.stop)
        if not match:
            return None
        if match.end() >= line.stop and (i + 1 == len(lines) or lines[i + 1].blank):
            return i + 1  # an empty comment ends a construct and owns nothing after it
        end = _indented_end(lines, i + 1, margin)
        directive = _DIRECTIVE.match(self.text, match.end(), line.stop)
        if directive and not directive.group("name").lower().startswith("redline-"):
            self.directive(lines[i:end], directive, context)
        elif end == i + 1 and _INTERNAL_TARGET.match(self.text, match.end(), line.stop):
            self.sections.append(line.start)  # ``.. _label:``: a reference lands on a new entry
        elif _REDLINE_COMMENT.match(self.text, match.end(), line.stop):  # redline or Vale
            comment_end = lines[end - 1].stop
            self.directives.extend(
                find_directives(self.text, match.end(), comment_end, self.index, _REDLINE_COMMENT)
            )
        # Anything else (comments, targets, substitution definitions, footnotes) is masked.
        return end

    def directive(self, lines: list[_Line], match: re.Match[str], context: _Context) -> None:
        """A directive: its line, arguments and options are masked; prose content is read."""
        name = match.group("name").lower().rsplit(":", 1)[-1]
        if name in _MASKED_DIRECTIVES or "code" in name:
            return
        head_end = 1
        while head_end < len(lines) and not lines[head_end].blank:
            head_end += 1
        head = self.after_marker(lines[0], match.end(), lines[1:]) + lines[1:head_end]
        arguments = head[: self.options_at(head)]
        content = lines[head_end:]
        paragraphs = context.inner(BlockKind.PARAGRAPH)
        if name in _ADMONITIONS:
            self.body(arguments + content, paragraphs)
            return
        if name in _VERSIONED:
            self.body(self.without_first_token(arguments), paragraphs)
        elif name in _TITLED:
            self.body(arguments, context.inner(BlockKind.HEADING))
        elif arguments:
            self.sections.append(lines[0].start)  # an entry such as ``.. variable:: NAME``
        self.body(content, paragraphs)

    def options_at(self, head: list[_Line]) -> int:
        """Index of the first ``:option: value`` line of a directive's head."""
        for k, line in enumerate(head):
            if _FIELD.match(self.text, line.start, line.stop):
                return k
        return len(head)

    def without_first_token(self, lines: list[_Line]) -> list[_Line]:
        if not lines:
            return lines
        first = lines[0]
        token = _TOKEN.match(self.text, first.start, first.stop)
        start = token.end() if token else first.stop
        rest = lines[1:]
        return rest if start >= first.stop else [_Line(start, first.stop, first.indent), *rest]

    def anonymous_target(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int | None:
        if not _ANONYMOUS_TARGET.match(self.text, lines[i].start, lines[i].stop):
            return None
        return _indented_end(lines, i + 1, margin)

    # -- section titles, transitions, tables and other masked blocks ------------------------

    def adornment_char(self, line: _Line, minimum: int) -> str | None:
        """The character of a line made of one punctuation character repeated, if it is one."""
        if line.stop - line.start < minimum:
            return None
        char = self.text[line.start]
        if (
            char in _ADORNMENT_CHARS
            and self.text.count(char, line.start, line.stop) == line.stop - line.start
        ):
            return char
        return None

    def is_double_colon(self, line: _Line) -> bool:
        """A lone ``::`` introduces a literal block; it is no adornment."""
        return line.stop - line.start == 2 and self.text.startswith("::", line.start)

    def adornment(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int | None:
        char = self.adornment_char(lines[i], 2)
        if char is None or self.is_double_colon(lines[i]):
            return None
        if i + 2 < len(lines) and self.is_overlined_title(lines[i + 1], lines[i + 2], char):
            self.sections.append(lines[i + 1].start)
            self.prose_block([(lines[i + 1].start, lines[i + 1].stop)], BlockKind.HEADING)
            return i + 3
        if char == "=":
            return self.simple_table_end(lines, i)
        return i + 1  # a transition, or an adornment without a title: markup either way

    def is_overlined_title(self, title: _Line, underline: _Line, char: str) -> bool:
        return (
            not title.blank
            and self.adornment_char(title, 1) is None
            and self.adornment_char(underline, 1) == char
        )

    def is_underline(self, title: _Line, line: _Line) -> bool:
        if line.blank or line.indent != title.indent or self.is_double_colon(line):
            return False
        width = line.stop - line.start
        return self.adornment_char(line, 1) is not None and (width >= 4 or width >= title.stop - title.start)

    def table(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int | None:
        line = lines[i]
        if _GRID_BORDER.fullmatch(self.text, line.start, line.stop):
            return _until_blank(lines, i)
        if _SIMPLE_BORDER.fullmatch(self.text, line.start, line.stop):
            return self.simple_table_end(lines, i)
        return None

    def simple_table_end(self, lines: list[_Line], i: int) -> int:
        """A simple table ends at a border line followed by a blank line."""
        if i + 1 == len(lines) or lines[i + 1].blank:
            return i + 1  # a border alone is a transition
        for j in range(i + 1, min(len(lines), i + _TABLE_LOOKAHEAD)):
            line = lines[j]
            if not line.blank and line.indent < lines[i].indent:
                break
            closes = j + 1 == len(lines) or lines[j + 1].blank
            if closes and _SIMPLE_BORDER.fullmatch(self.text, line.start, line.stop):
                return j + 1
        return _until_blank(lines, i)

    def doctest(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int | None:
        if not _DOCTEST.match(self.text, lines[i].start, lines[i].stop):
            return None
        return _until_blank(lines, i)

    def line_block(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int | None:
        if not _LINE_BLOCK.match(self.text, lines[i].start, lines[i].stop):
            return None
        end = _until_blank(lines, i)
        ranges = []
        for line in lines[i:end]:
            marker = _LINE_BLOCK.match(self.text, line.start, line.stop)
            ranges.append((marker.end() if marker else line.start, line.stop))
        self.prose_block(ranges, context.paragraph)
        return end

    # -- lists, fields and options ----------------------------------------------------------

    def bullet_item(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int | None:
        marker = _BULLET.match(self.text, lines[i].start, lines[i].stop)
        if not marker:
            return None
        return self.item(lines, i, margin, marker.end(), context.inner(BlockKind.LIST_ITEM))

    def enumerated_item(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int | None:
        marker = _ENUMERATOR.match(self.text, lines[i].start, lines[i].stop)
        if not marker:
            return None
        # As in docutils, "A. Smith wrote" starts a list only when the next line fits one.
        if i + 1 < len(lines) and not self.may_follow_enumerator(lines[i + 1], margin):
            return None
        return self.item(lines, i, margin, marker.end(), context.inner(BlockKind.LIST_ITEM))

    def may_follow_enumerator(self, line: _Line, margin: int) -> bool:
        return line.blank or line.indent > margin or bool(_ENUMERATOR.match(self.text, line.start, line.stop))

    def field(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int | None:
        name = _FIELD.match(self.text, lines[i].start, lines[i].stop)
        if not name:
            return None
        return self.item(lines, i, margin, name.end(), context.inner(BlockKind.PARAGRAPH))

    def option(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int | None:
        options = _OPTION_LIST.match(self.text, lines[i].start, lines[i].stop)
        if not options:
            return None
        # Without a description on its line, the description must follow, indented.
        alone = options.end() >= lines[i].stop
        if alone and (i + 1 == len(lines) or lines[i + 1].blank or lines[i + 1].indent <= margin):
            return None
        return self.item(lines, i, margin, options.end(), context.inner(BlockKind.PARAGRAPH))

    # -- paragraphs ---------------------------------------------------------------------------

    def paragraph(self, lines: list[_Line], i: int, margin: int, context: _Context) -> int:
        first = lines[i]
        if i + 1 < len(lines) and self.is_underline(first, lines[i + 1]):
            self.sections.append(first.start)
            self.prose_block([(first.start, first.stop)], BlockKind.HEADING)
            return i + 2
        j = i + 1
        while j < len(lines) and self.continues_paragraph(lines[j], margin):
            j += 1
        start, stop = first.start, lines[j - 1].stop
        attribution = context.paragraph is BlockKind.BLOCKQUOTE and _ATTRIBUTION.match(self.text, start, stop)
        if attribution:  # "-- Author" under a quote: the dash is markup
            start = attribution.end()
        if self.text.endswith("::", start, stop):
            self.prose_block([(start, self.literal_marker_start(start, stop))], context.paragraph)
            return self.literal_block(lines, j, margin)
        if j == i + 1 and j < len(lines) and not lines[j].blank and lines[j].indent > margin:
            # A definition list item: the term line, then its indented definition. Each
            # term opens a section: definitions repeat notes under every term by design.
            self.sections.append(start)
            self.prose_block([(start, stop)], BlockKind.PARAGRAPH)
            end = _indented_end(lines, j, margin)
            self.body(lines[j:end], context.inner(BlockKind.PARAGRAPH))
            return end
        self.prose_block([(start, stop)], context.paragraph)
        return j

    def continues_paragraph(self, line: _Line, margin: int) -> bool:
        # Explicit markup and long adornments end a paragraph even without the blank line
        # docutils wants: as prose they would only produce noise.
        return (
            not line.blank
            and line.indent <= margin
            and not _EXPLICIT.match(self.text, line.start, line.stop)
            and self.adornment_char(line, 4) is None
        )

    def literal_marker_start(self, start: int, stop: int) -> int:
        """Where the prose of a paragraph ending in ``::`` stops.

        As rendered, ``text::`` keeps one colon, ``text ::`` none, a lone ``::`` nothing.
        """
        if stop - 2 > start and not self.text[stop - 3].isspace():
            return stop - 1
        return stop - 2

    def literal_block(self, lines: list[_Line], j: int, margin: int) -> int:
        """Skip the literal block after a ``::`` paragraph: indented, or quoted at the margin."""
        k = j
        while k < len(lines) and lines[k].blank:
            k += 1
        if k == len(lines):
            return k
        if lines[k].indent > margin:
            return _indented_end(lines, k, margin)
        if k > j and self.text[lines[k].start] in _ADORNMENT_CHARS:
            return _until_blank(lines, k)
        return j

    # -- inline markup ------------------------------------------------------------------------

    def prose_block(self, ranges: list[_Span], kind: BlockKind) -> None:
        spans = [span for start, stop in ranges for span in self.inline(start, stop)]
        if spans:
            self.spans.extend(spans)
            self.blocks.append(Block(kind, spans[0][0], spans[-1][1]))

    def inline(self, start: int, stop: int) -> list[_Span]:
        """The prose spans of ``text[start:stop]``, inline markup left out."""
        kept = []
        cursor = start
        for match in _inline_markup(self.text, start, stop):
            for mask_start, mask_end in _markup_of(match):
                if mask_start > cursor:
                    kept.append((cursor, mask_start))
                cursor = max(cursor, mask_end)
        if cursor < stop:
            kept.append((cursor, stop))
        return kept


def _inline_markup(text: str, start: int, stop: int) -> Iterator[re.Match[str]]:
    """``_INLINE.finditer(text, start, stop)``, tried only where a match can begin.

    Every alternative of ``_INLINE`` begins with one of ``_INLINE_FIRST``'s characters, so
    the leftmost match is at one of them: the regex, whose leading look-behinds keep
    ``re`` from skipping ahead on its own, is not tried at every character of the prose.
    """
    text_match = _INLINE.match
    next_first = _INLINE_FIRST.search
    candidate = next_first(text, start, stop)
    while candidate is not None:
        at = candidate.start()
        match = text_match(text, at, stop)
        if match is None:
            candidate = next_first(text, at + 1, stop)
        else:
            yield match
            candidate = next_first(text, match.end(), stop)


def _markup_of(match: re.Match[str]) -> list[_Span]:
    """The parts of an inline markup match that are not prose."""
    start, end = match.span()
    kind = match.lastgroup
    if kind == "escape":
        return [(start, start + 1)]  # the backslash; the escaped character reads as text
    if kind != "interpreted":
        return [(start, end)]
    suffix = match.group("suffix") or ""
    if suffix.startswith(":"):
        return [(start, end)]  # `text`:role: is a role like any other
    content_start, content_end = match.span("content")
    content = match.group("content")
    if suffix and content.endswith(">") and "<" in content:
        # `text <target>`_ shows only the text.
        content_end = content_start + len(content[: content.rfind("<")].rstrip())
    return [(start, content_start), (content_end, end)]
