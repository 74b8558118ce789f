"""Code-point offsets to LSP positions and back, in the client's position encoding.

redline's offsets count code points; an LSP ``character`` counts UTF-16 code units unless
client and server agreed on ``utf-8`` or ``utf-32`` at initialization. Lines end at
``\\r\\n``, ``\\r`` or ``\\n``, as in the LSP specification and :class:`~redline.linecol.LineIndex`.
"""

from __future__ import annotations

from redline.linecol import LineIndex

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str) -> int:
    """The length of ``text`` in the encoding's code units."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class PositionMap:
    """Converts offsets into one text to ``(line, character)`` pairs, both 0-based."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.lines = LineIndex(text)

    def position(self, offset: int) -> tuple[int, int]:
        line, column = self.lines.position(offset)
        start = self.lines.line_start(line)
        return line - 1, units(self.text[start : start + column - 1], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset of an LSP position; a position inside a character or past the line end clamps."""
        if line >= self.lines.line_count:
            return len(self.text)
        start, end = self.lines.line_start(line + 1), self.lines.line_end(line + 1)
        if self.encoding == UTF32:
            return min(start + character, end)
        counted = 0
        for index in range(start, end):
            counted += units(self.text[index], self.encoding)
            if counted > character:
                return index
        return end
