"""The review report as one self-contained HTML page (inline CSS and JS, no network)."""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from importlib import resources
from typing import Any

from redline import __version__
from redline.engine import FileResult, RunResult
from redline.findings import Applicability, Finding
from redline.report.model import FAMILIES, Entry, Model, build, family

_EXCERPT = 60


def render(run: RunResult, title: str = "redline review") -> str:
    model = build(run)
    assets = resources.files("redline.report")
    css = assets.joinpath("report.css").read_text(encoding="utf-8")
    js = assets.joinpath("report.js").read_text(encoding="utf-8")
    sections = "\n".join(_file_section(model, i, result) for i, result in enumerate(run.files))
    errors = "".join(f"<li>{_e(str(error))}</li>" for error in run.errors)
    return _PAGE.format(
        title=_e(title),
        css=css,
        js=js,
        data=_script_json(_data(model)),
        toolbar=_toolbar(model),
        summary=_rule_counts(model.entries, "run-counts"),
        errors=f'<ul class="errors">{errors}</ul>' if errors else "",
        sections=sections or '<p class="empty">No files were linted.</p>',
        version=_e(__version__),
    )


def _toolbar(model: Model) -> str:
    counts = Counter(family(e.finding.code) for e in model.entries)
    boxes = "".join(
        f'<label class="filter fam-{fam}"><input type="checkbox" data-family="{fam}" checked>'
        f'<span class="swatch"></span>{_e(label)} <span class="count">{counts[fam]}</span></label>'
        for fam, label in FAMILIES.items()
        if fam != "other" or counts[fam]
    )
    files = ""
    if len(model.run.files) > 1:
        options = "".join(
            f'<button type="button" class="file-tab" data-file="{i}">{_e(r.path)}'
            f' <span class="count">{len(r.findings)}</span></button>'
            for i, r in enumerate(model.run.files)
        )
        files = f'<nav class="files" aria-label="Files">{options}</nav>'
    return f'<div class="filters" role="group" aria-label="Rule families">{boxes}</div>{files}'


def _file_section(model: Model, file: int, result: FileResult) -> str:
    entries = [e for e in model.entries if e.file == file]
    text = result.source.text
    body = "".join(_segment_html(model, text, seg.start, seg.end, seg.ranges) for seg in model.segments[file])
    notes = "".join(_note(model, entry) for entry in entries)
    return f"""<section class="file" id="file-{file}" data-file="{file}">
<header class="file-head">
  <h2>{_e(result.path)}</h2>
  <div class="panels">
    <div class="panel metrics"><h3>Metrics</h3>{_metrics(result.metrics)}</div>
    <div class="panel hedges"><h3>Hedge budget</h3>{_hedge_budget(result, entries)}</div>
    <div class="panel counts"><h3>Findings by rule</h3>{_rule_counts(entries, f"counts-{file}")}</div>
  </div>
</header>
<div class="review">
  <article class="text" lang="en">{body}</article>
  <div class="notes">{notes}</div>
</div>
</section>"""


def _segment_html(model: Model, text: str, start: int, end: int, ranges: tuple[int, ...]) -> str:
    content = _e(text[start:end])
    if not ranges:
        return content
    fams = _families_of(model, ranges)
    attrs = (
        f'class="hl{" point" if start == end else ""}" data-start="{start}" data-end="{end}" '
        f'data-ranges="{" ".join(map(str, ranges))}" data-fam="{" ".join(fams)}" data-show="{" ".join(fams)}"'
    )
    return f"<mark {attrs}>{content}</mark>"


def _families_of(model: Model, ranges: tuple[int, ...]) -> list[str]:
    """Families of the findings on these ranges, innermost (shortest) range first."""
    ordered = sorted(ranges, key=lambda k: model.ranges[k].end - model.ranges[k].start)
    fams: list[str] = []
    for k in ordered:
        for entry_id in model.ranges[k].findings:
            fam = family(model.entries[entry_id].finding.code)
            if fam not in fams:
                fams.append(fam)
    return fams


def _note(model: Model, entry: Entry) -> str:
    finding = entry.finding
    result = model.run.files[entry.file]
    line, column = result.document.lines.position(finding.start)
    fam = family(finding.code)
    links = "".join(_related_link(model, entry, k) for k in entry.related)
    related = f'<ul class="related">{links}</ul>' if links else ""
    return (
        f'<aside class="note fam-{fam}" id="note-{entry.id}" data-entry="{entry.id}" data-fam="{fam}" '
        f'data-range="{entry.range}" data-start="{finding.start}" data-end="{finding.end}" tabindex="0">'
        f'<div class="note-head"><span class="code">{_e(finding.code)}</span>'
        f'<span class="rule">{_e(finding.rule)}</span>'
        f'<span class="where">line {line}:{column}</span>'
        f'<span class="severity sev-{finding.severity.label}">{finding.severity.label}</span></div>'
        f'<p class="message">{_e(finding.message)}</p>{_fix(result.source.text, finding)}{related}</aside>'
    )


def _related_link(model: Model, entry: Entry, range_id: int) -> str:
    target = model.ranges[range_id]
    result = model.run.files[target.file]
    line = result.document.lines.line_of(target.start)
    place = f"line {line}" if target.file == entry.file else f"{result.path}, line {line}"
    message = next((r.message for r in entry.finding.related if r.start == target.start and r.message), "")
    label = f"{message}: {place}" if message else place
    excerpt = _clip(result.source.text[target.start : target.end])
    return (
        f'<li><button type="button" class="goto" data-range="{range_id}">{_e(label)}</button>'
        f" <q>{_e(excerpt)}</q></li>"
    )


def _fix(text: str, finding: Finding) -> str:
    if finding.fix is None or not finding.fix.edits:
        return ""
    steps = "".join(
        f"<li>{_describe_edit(text, e.start, e.end, e.replacement)}</li>" for e in finding.fix.edits
    )
    safe = finding.fix.applicability is Applicability.SAFE
    label = "Suggested fix" if safe else "Suggested fix (review first)"
    return f'<div class="fix {"safe" if safe else "unsafe"}"><span class="fix-label">{label}</span><ul>{steps}</ul></div>'


def _describe_edit(text: str, start: int, end: int, replacement: str) -> str:
    old = text[start:end]
    if not old:
        return f"insert <ins>{_e(replacement)}</ins>"
    if not replacement:
        return f"delete <del>{_e(_clip(old))}</del>"
    return f"replace <del>{_e(_clip(old))}</del> with <ins>{_e(replacement)}</ins>"


def _metrics(metrics: dict[str, Any]) -> str:
    if not metrics:
        return '<p class="none">No metrics.</p>'
    return f'<dl class="metric-list">{"".join(_metric(k, v) for k, v in metrics.items())}</dl>'


def _metric(key: str, value: Any) -> str:
    label = key.replace("_", " ").replace("-", " ")
    label = label[:1].upper() + label[1:]
    if isinstance(value, dict):
        inner = "".join(_metric(k, v) for k, v in value.items())
        return f'<div class="metric group"><dt>{_e(label)}</dt><dd><dl>{inner}</dl></dd></div>'
    return f'<div class="metric"><dt>{_e(label)}</dt><dd>{_e(_format_value(value))}</dd></div>'


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


def _hedge_budget(result: FileResult, entries: list[Entry]) -> str:
    hedges = [e.finding for e in entries if family(e.finding.code) == "RL2"]
    words = result.metrics.get("words")
    rate = ""
    if isinstance(words, int) and words > 0:
        rate = f' <span class="rate">({100 * len(hedges) / words:.1f} per 100 words)</span>'
    total = f'<p class="hedge-total"><strong>{len(hedges)}</strong> hedging finding{"s" if len(hedges) != 1 else ""}{rate}</p>'
    if not hedges:
        return total
    text = result.source.text
    phrases = Counter(text[f.start : f.end].lower() for f in hedges)
    items = "".join(f"<li><q>{_e(_clip(p))}</q> × {n}</li>" for p, n in phrases.most_common(8))
    return f'{total}<ul class="hedge-phrases">{items}</ul>'


def _rule_counts(entries: list[Entry], table_id: str) -> str:
    counts = Counter((e.finding.code, e.finding.rule) for e in entries)
    if not counts:
        return '<p class="none">No findings.</p>'
    rows = "".join(
        f'<tr class="fam-{family(code)}" data-fam="{family(code)}"><td><span class="swatch"></span>{_e(code)}</td>'
        f'<td>{_e(rule)}</td><td class="n">{n}</td></tr>'
        for (code, rule), n in sorted(counts.items())
    )
    return f'<table class="rule-counts" id="{table_id}"><tbody>{rows}</tbody></table>'


def _data(model: Model) -> dict[str, Any]:
    return {
        "files": [r.path for r in model.run.files],
        "ranges": [
            {"file": r.file, "start": r.start, "end": r.end, "entries": r.findings, "cluster": r.cluster}
            for r in model.ranges
        ],
        "entries": [
            {
                "range": e.range,
                "code": e.finding.code,
                "family": family(e.finding.code),
                "related": list(e.related),
            }
            for e in model.entries
        ],
    }


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"


def _e(text: str) -> str:
    # A carriage return written literally would be folded into a line feed by the HTML
    # parser and shift every offset after it; a character reference keeps it.
    return escape(text, quote=True).replace("\r", "&#13;")


def _script_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="redline {version}">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>
{css}
</style>
</head>
<body>
<header class="top">
  <h1>{title}</h1>
  {toolbar}
</header>
<main>
{errors}
<details class="run-summary"><summary>All findings by rule</summary>{summary}</details>
{sections}
</main>
<script type="application/json" id="redline-data">{data}</script>
<script>
{js}
</script>
</body>
</html>
"""
