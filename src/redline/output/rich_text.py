"""The text format in colour, for a terminal (``--format text`` when stdout is a tty).

Same lines as the plain text format, styled with rich: the path in bold, the code in its
severity's colour, the source excerpt with the finding's span underlined, related
locations dimmed. Rendered to a string, so it stays a pure formatter.
"""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from redline.findings import Severity
from redline.output import OutputOptions
from redline.output.escape import visible
from redline.output.text import excerpt, related_lines, statistics, summary
from redline.readability import summary_line
from redline.results import RunResult

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}


def render(run: RunResult, options: OutputOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        no_color=False,
        color_system="standard",
        width=1_000,
        soft_wrap=True,
        highlight=False,
        markup=False,
        emoji=False,
    )
    for result in run.files:
        lines = result.document.lines
        for finding in result.findings:
            line, column = lines.position(finding.start)
            style = STYLES[finding.severity]
            header = Text.assemble(
                (visible(result.path), "bold"),
                f":{line}:{column}: ",
                (finding.code, style),
                " ",
                visible(finding.message),
            )
            console.print(header)
            if options.show_source:
                source_line, marker_line = excerpt(result.source.text, lines, finding.start, finding.end)
                console.print(*_underlined(source_line, marker_line, style.replace("bold ", "")), sep="\n")
                for related in related_lines(run, result, finding):
                    console.print(Text(related, style="dim"))
    if options.statistics:
        for row in statistics(run):
            console.print(Text(row))
    if not options.quiet:
        console.print(Text(summary(run), style="bold"))
        for row in summary_line(run):
            console.print(Text(row))
    return buffer.getvalue()


def _underlined(source_line: str, marker_line: str, colour: str) -> tuple[Text, Text]:
    """The excerpt's source line with the span underlined, and its ``^`` marks.

    The marks are realigned by display width, so they stay under the span when wide
    characters (CJK, emoji) come before it or are in it.
    """
    gutter_end = source_line.index("|") + 2
    text = Text(source_line)
    text.stylize("dim", 0, gutter_end - 1)
    first, last = marker_line.find("^"), marker_line.rfind("^") + 1
    if first < 0:
        return text, Text(marker_line)
    text.stylize(f"underline {colour}", first, last)
    pad = cell_len(source_line[gutter_end:first])
    marks = Text()
    marks.append(marker_line[:gutter_end], style="dim")
    marks.append(" " * pad + "^" * max(1, cell_len(source_line[first:last])), style=colour)
    return text, marks
