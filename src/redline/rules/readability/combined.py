"""One finding per paragraph for the length and grade rules (RL301, RL302, RL303, RL305).

A long, dense paragraph used to be reported three times ("too long", "reads at grade
19", "the document reads at grade 18"), each on the same span. The engine calls
:func:`combine_paragraph_findings` after suppression: findings of these rules on the same
span become one, under the most actionable code (long paragraph, then long sentence, then
paragraph grade, then document grade), with every figure in its message.
"""

from __future__ import annotations

from dataclasses import replace

from redline.findings import Finding

#: Most actionable first: the finding that survives a merge keeps this code and its advice.
PRIORITY = ("RL305", "RL301", "RL303", "RL302")


def combine_paragraph_findings(findings: list[Finding]) -> list[Finding]:
    groups: dict[tuple[int, int], list[Finding]] = {}
    for finding in findings:
        if finding.code in PRIORITY:
            groups.setdefault((finding.start, finding.end), []).append(finding)
    merged: dict[int, Finding] = {}
    dropped: set[int] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda f: PRIORITY.index(f.code))
        primary, others = group[0], group[1:]
        figures = [_figures(primary.message)] + [_secondary(_figures(f.message)) for f in others]
        advice = primary.message.partition("): ")[2]
        message = "; ".join(figures) + (f": {advice}" if advice else "")
        merged[id(primary)] = replace(
            primary,
            message=message,
            severity=max(f.severity for f in group),
            related=[r for f in group for r in f.related],
        )
        dropped.update(id(f) for f in others)
    return [merged.get(id(f), f) for f in findings if id(f) not in dropped]


def _figures(message: str) -> str:
    """``"Paragraph is 180 words long (limit 150): split it"`` -> the part before the advice."""
    head, sep, _ = message.partition("): ")
    return head + ")" if sep else message


def _secondary(figures: str) -> str:
    """``"Paragraph reads at grade 19"`` -> ``"reads at grade 19"``; ``"Document ..."`` -> ``"document ..."``."""
    if figures.startswith("Paragraph "):
        return figures.removeprefix("Paragraph ")
    return figures[:1].lower() + figures[1:]
