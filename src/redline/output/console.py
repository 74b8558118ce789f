"""``--format text``: plain lines, or the same findings coloured with rich on a terminal."""

from __future__ import annotations

from redline.output import OutputOptions, text
from redline.results import RunResult


def render(run: RunResult, options: OutputOptions) -> str:
    if options.color:
        from redline.output import rich_text  # rich only for colour (0.05 s to import)

        return rich_text.render(run, options)
    return text.render(run, options)
