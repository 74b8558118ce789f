"""Offsets to 1-based line and column, computed once per text."""

from __future__ import annotations

import bisect
import re

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Maps code-point offsets to (line, column), both 1-based; columns count code points.

    ``\\r\\n``, ``\\r`` and ``\\n`` each end a line.
    """

    def __init__(self, text: str) -> None:
        breaks = list(_LINE_BREAK.finditer(text))
        self._starts = [0] + [m.end() for m in breaks]
        self._ends = [m.start() for m in breaks] + [len(text)]
        self._length = len(text)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def spans(self) -> zip[tuple[int, int]]:
        """Each line's start and end (its line break excluded), in order."""
        return zip(self._starts, self._ends, strict=True)

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self._length))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_of(self, offset: int) -> int:
        return self.position(offset)[0]

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[self._clamp(line)]

    def line_end(self, line: int) -> int:
        """Offset just past the last character of ``line``, its line break excluded."""
        return self._ends[self._clamp(line)]

    def offset(self, line: int, column: int) -> int:
        return self.line_start(line) + column - 1

    def _clamp(self, line: int) -> int:
        return max(0, min(line - 1, len(self._starts) - 1))
