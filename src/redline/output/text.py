"""``--format text``: one ``path:line:col: CODE message`` line per finding, then a summary.

On a terminal (``show_source``) each finding is followed by an excerpt of its line with the
span underlined, and its related locations. Control characters are shown as escapes
(:mod:`redline.output.escape`), the underline measured on what is printed.
"""

from __future__ import annotations

from collections import Counter

from redline.findings import Finding, Severity
from redline.linecol import LineIndex
from redline.output import OutputOptions
from redline.output.escape import visible
from redline.output.positions import lines_for, related_path
from redline.readability import summary_line
from redline.results import FileResult, RunResult
from redline.rules.redundancy.near_duplicate import redundancy_line

_EXCERPT_WIDTH = 100


def render(run: RunResult, options: OutputOptions) -> str:
    """Plain lines; :mod:`redline.output.console` picks the coloured renderer on a terminal."""
    out: list[str] = []
    for result in run.files:
        lines = result.document.lines
        for finding in result.findings:
            line, column = lines.position(finding.start)
            out.append(f"{visible(result.path)}:{line}:{column}: {finding.code} {visible(finding.message)}")
            if options.show_source:
                out.extend(excerpt(result.source.text, lines, finding.start, finding.end))
                out.extend(related_lines(run, result, finding))
    if options.statistics:
        out.extend(statistics(run))
    if not options.quiet:
        out.append(summary(run))
        out.extend(summary_line(run))
        out.extend(redundancy_line([r.metrics for r in run.files]))
    return "".join(line + "\n" for line in out)


def excerpt(text: str, lines: LineIndex, start: int, end: int) -> list[str]:
    """The finding's first line, clipped around the span, with the span underlined."""
    line = lines.line_of(start)
    line_start, line_end = lines.line_start(line), lines.line_end(line)
    span_end = min(end, line_end)
    left = max(line_start, min(start - 20, span_end - _EXCERPT_WIDTH))
    right = min(line_end, max(left + _EXCERPT_WIDTH, start + 1))
    shown = visible(text[left:right].replace("\t", " "))
    prefix = "…" if left > line_start else ""
    suffix = "…" if right < line_end else ""
    # Escaped control characters are several characters wide: measure what is printed.
    pad = len(prefix) + len(visible(text[left:start]))
    marks = max(1, len(visible(text[start : max(start, min(span_end, right))])))
    gutter = " " * len(str(line))
    return [
        f"  {line} | {prefix}{shown}{suffix}",
        f"  {gutter} | {' ' * pad}{'^' * marks}",
    ]


def related_lines(run: RunResult, result: FileResult, finding: Finding) -> list[str]:
    lines = []
    for related in finding.related:
        index = lines_for(run, result, related)
        line, column = index.position(related.start)
        note = f": {visible(related.message)}" if related.message else ""
        lines.append(f"  = related: {visible(related_path(result, related))}:{line}:{column}{note}")
    return lines


def statistics(run: RunResult) -> list[str]:
    counts = Counter((f.code, f.rule) for r in run.files for f in r.findings)
    return [
        f"{n:5}  {code:<7} {rule}"
        for (code, rule), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def summary(run: RunResult) -> str:
    findings = [f for r in run.files for f in r.findings]
    checked = len(run.files)
    files_word = "file" if checked == 1 else "files"
    if not findings:
        text = f"No findings in {checked} {files_word}."
    else:
        by_severity = Counter(f.severity for f in findings)
        parts = [
            f"{by_severity[s]} {s.label if s is Severity.INFO or by_severity[s] == 1 else s.label + 's'}"
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if by_severity[s]
        ]
        dirty = sum(1 for r in run.files if r.findings)
        noun = "finding" if len(findings) == 1 else "findings"
        text = f"Found {len(findings)} {noun} ({', '.join(parts)}) in {dirty} of {checked} {files_word}."
    if run.errors:
        text += f" {len(run.errors)} could not be checked."
    return text
