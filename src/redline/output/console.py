"""``--format text``: plain lines, or the same findings coloured with rich on a terminal."""

from __future__ import annotations

from redline.output import OutputOptions, rich_text, text
from redline.results import RunResult


def render(run: RunResult, options: OutputOptions) -> str:
    return (rich_text.render if options.color else text.render)(run, options)
