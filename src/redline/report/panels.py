"""The panels above each file's text: metrics, hedge budget, findings per rule."""

from __future__ import annotations

from collections import Counter
from typing import Any

from redline.report.model import Entry, family
from redline.report.text import clip as _clip
from redline.report.text import escape_html as _e
from redline.results import FileResult


def metrics_panel(metrics: dict[str, Any]) -> str:
    if not metrics:
        return '<p class="none">No metrics.</p>'
    return f'<dl class="metric-list">{"".join(_metric(k, v) for k, v in metrics.items())}</dl>'


#: Metric keys as people write the names (and, in the tooltip, what each one is).
METRIC_NAMES: dict[str, tuple[str, str]] = {
    "flesch_reading_ease": ("Flesch reading ease", "0-100; higher is easier"),
    "flesch_kincaid_grade": ("Flesch-Kincaid grade", "US school grade"),
    "gunning_fog": ("Gunning fog", "years of schooling"),
    "smog_index": ("SMOG", "Simple Measure of Gobbledygook: US school grade"),
    "coleman_liau_index": ("Coleman-Liau", "US school grade, from letters per word"),
    "automated_readability_index": ("ARI", "Automated Readability Index: US school grade"),
    "dale_chall_readability_score": ("Dale-Chall", "Dale-Chall score: 9.0 and over is college level"),
    "consensus_grade": ("Consensus grade", "the grade most of the scores agree on"),
    "readability": ("Readability", ""),
}


def metric_label(key: Any) -> tuple[str, str]:
    """A metric's display name and tooltip: known names as people write them, others tidied."""
    if str(key) in METRIC_NAMES:
        return METRIC_NAMES[str(key)]
    label = str(key).replace("_", " ").replace("-", " ")
    return label[:1].upper() + label[1:], ""


def _metric(key: Any, value: Any) -> str:
    label, about = metric_label(key)
    title = f' title="{_e(about)}"' if about else ""
    if isinstance(value, dict):
        inner = "".join(_metric(k, v) for k, v in value.items())
        return f'<div class="metric group"><dt>{_e(label)}</dt><dd><dl>{inner}</dl></dd></div>'
    return f'<div class="metric"{title}><dt>{_e(label)}</dt><dd>{_e(_format_value(value))}</dd></div>'


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return ", ".join(_format_value(v) for v in value)
    if value is None:
        return "–"
    return str(value)


def hedge_budget(result: FileResult, entries: list[Entry]) -> str:
    """Hedging findings (RL2xx) and every use they point at, per 100 words and by phrase."""
    hedges = [e.finding for e in entries if family(e.finding.code) == "RL2"]
    uses = sorted(
        {(f.start, f.end) for f in hedges}
        | {(r.start, r.end) for f in hedges for r in f.related if r.path in (None, result.path)}
    )
    words = result.metrics.get("words")
    rate = ""
    if isinstance(words, int) and words > 0:
        rate = f' <span class="rate">({100 * len(uses) / words:.1f} per 100 words)</span>'
    total = (
        f'<p class="hedge-total"><strong>{len(hedges)}</strong> hedging finding{"s" if len(hedges) != 1 else ""}, '
        f"<strong>{len(uses)}</strong> use{'s' if len(uses) != 1 else ''}{rate}</p>"
    )
    if not uses:
        return total
    text = result.source.text
    phrases = Counter(" ".join(text[start:end].lower().split()) for start, end in uses)
    items = "".join(f"<li><q>{_e(_clip(p))}</q> × {n}</li>" for p, n in phrases.most_common(8))
    return f'{total}<ul class="hedge-phrases">{items}</ul>'


def rule_counts(entries: list[Entry], table_id: str) -> str:
    counts = Counter((e.finding.code, e.finding.rule) for e in entries)
    if not counts:
        return '<p class="none">No findings.</p>'
    rows = "".join(
        f'<tr class="fam-{family(code)}" data-fam="{family(code)}"><td><span class="swatch"></span>{_e(code)}</td>'
        f'<td>{_e(rule)}</td><td class="n">{n}</td></tr>'
        for (code, rule), n in sorted(counts.items())
    )
    return f'<table class="rule-counts" id="{table_id}"><tbody>{rows}</tbody></table>'
