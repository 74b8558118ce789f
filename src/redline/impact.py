"""Impact order: the findings an editor should act on first, first.

A claim made five times costs the reader more than one 41-word sentence, and a doubled
"the" costs almost nothing. Each rule family has a base weight (redundancy over hedging
over readability over house style); a finding that lists more places (every use of an
over-used phrase, every restatement of a claim) weighs more, and severity multiplies
it. The order is exposed as :func:`impact` (a number, higher first) for the HTML report
and as ``--sort impact`` on the command line; ties keep document order.
"""

from __future__ import annotations

import math

from redline.findings import Finding, Severity

#: Base weight by code prefix, most specific first.
WEIGHTS: tuple[tuple[str, float], ...] = (
    ("RL101", 10.0),  # a sentence repeated word for word
    ("RL102", 9.0),  # a claim restated
    ("RL103", 6.0),  # a phrase over-used
    ("RL104", 5.0),  # an opener over-used
    ("RL2", 5.0),  # hedges over budget
    ("RL305", 4.0),  # a wall of text
    ("RL302", 4.0),  # a hard document
    ("RL301", 3.0),  # a long sentence
    ("RL303", 3.0),
    ("RL304", 2.5),
    ("RL306", 2.0),
    ("RL105", 2.0),  # a pleonasm: one word to cut
    ("RL4", 1.5),  # house style
    ("RL106", 1.0),  # a typing slip
)
_SEVERITY = {Severity.ERROR: 2.0, Severity.WARNING: 1.0, Severity.INFO: 0.5}


def impact(finding: Finding) -> float:
    """How much acting on ``finding`` improves the text (higher first)."""
    base = next((weight for prefix, weight in WEIGHTS if finding.code.startswith(prefix)), 1.0)
    places = 1 + len(finding.related)
    return round(base * (1 + math.log2(places)) * _SEVERITY.get(finding.severity, 1.0), 3)


def sort_by_impact(findings: list[Finding]) -> list[Finding]:
    """``findings`` highest impact first; equal impact in document order."""
    return sorted(findings, key=lambda f: (-impact(f), *f.sort_key()))
