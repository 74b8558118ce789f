"""``redline report``: an HTML page an editor reads, with every finding highlighted in place.

:func:`render` turns a run's results into one self-contained page: the text with marks at
the findings' offsets, a margin note per finding, metrics, a hedge budget, counts per rule
and filters per rule family. See :mod:`redline.report.model` for how overlapping findings
are cut into segments.
"""

from __future__ import annotations

from redline.report.html import render

__all__ = ["render"]
