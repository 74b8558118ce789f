"""Line/column views of offsets, shared by the formatters."""

from __future__ import annotations

from typing import Any

from redline.findings import Related
from redline.linecol import LineIndex
from redline.results import FileResult, RunResult


def point(lines: LineIndex, offset: int) -> dict[str, int]:
    line, column = lines.position(offset)
    return {"line": line, "column": column, "offset": offset}


def related_path(result: FileResult, related: Related) -> str:
    return related.path if related.path is not None else result.path


def lines_for(run: RunResult, result: FileResult, related: Related) -> LineIndex:
    """The line index of the file a related location points into."""
    if related.path is None or related.path == result.path:
        return result.document.lines
    other = run.file(related.path)
    return other.document.lines if other else result.document.lines


def related_view(run: RunResult, result: FileResult, related: Related) -> dict[str, Any]:
    lines = lines_for(run, result, related)
    return {
        "path": related_path(result, related),
        "start": point(lines, related.start),
        "end": point(lines, related.end),
        "message": related.message,
    }
