"""The review report as one self-contained HTML page (inline CSS and JS, no network)."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from typing import Any

from redline import __version__
from redline.findings import Applicability, Finding
from redline.report.model import FAMILIES, Entry, Model, Places, Range, build, family
from redline.report.panels import hedge_budget, metrics_panel, rule_counts
from redline.report.text import clip as _clip
from redline.report.text import escape_html as _e
from redline.results import FileResult, RunResult
from redline.rules.redundancy.near_duplicate import redundancy_line


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
        redundancy=_redundancy([r.metrics for r in run.files]),
        summary=rule_counts(model.entries, "run-counts"),
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
    notes = _margin(model, file, [e for e in entries if model.note_of.get(e.id, e.id) == e.id])
    return f"""<section class="file" id="file-{file}" data-file="{file}">
<header class="file-head">
  <h2>{_e(result.path)}</h2>
  {_redundancy([result.metrics])}
  <div class="panels">
    <div class="panel metrics"><h3>Metrics</h3>{metrics_panel(result.metrics)}</div>
    <div class="panel hedges"><h3>Hedge budget</h3>{hedge_budget(result, entries)}</div>
    <div class="panel counts"><h3>Findings by rule</h3>{rule_counts(entries, f"counts-{file}")}</div>
  </div>
</header>
<div class="review">
  <div class="gutter" aria-hidden="true"></div>
  <article class="text" lang="en">{body}</article>
  <div class="notes">{notes}</div>
</div>
</section>"""


def _redundancy(metrics: list[dict[str, Any]]) -> str:
    """The document redundancy score (RL102) as a line of the header, when there is one."""
    return "".join(f'<p class="redundancy">{_e(line)}</p>' for line in redundancy_line(metrics))


def _segment_html(model: Model, text: str, start: int, end: int, ranges: tuple[int, ...]) -> str:
    content = _e(text[start:end])
    if not ranges:
        return content
    # A paragraph-level finding is a bar in the margin: its mark stays unpainted.
    fams = " ".join(_families_of(model, tuple(k for k in ranges if not model.ranges[k].bar)))
    referring = {model.entries[e].finding.code for k in ranges for e in model.ranges[k].referenced_by}
    rel = " ".join(sorted({family(code) for code in referring}))
    attrs = (
        f'class="hl{" point" if start == end else ""}" data-start="{start}" data-end="{end}" '
        f'data-ranges="{" ".join(map(str, ranges))}" data-fam="{fams}" data-show="{fams}" '
        f'data-rel="{rel}" data-relshow="{rel}"'
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


def _margin(model: Model, file: int, entries: list[Entry]) -> str:
    """The margin: notes grouped by the sentence they are about (a bar's note by itself),
    each group headed by the sentence's number and words, as an editor labels a note."""
    places = model.places[file]
    groups: dict[tuple[str, int], list[Entry]] = {}
    for entry in entries:
        own = model.ranges[entry.range]
        key = ("bar", own.id) if own.bar else ("sentence", places.sentence(own.start))
        groups.setdefault(key, []).append(entry)
    out = []
    for (kind, _), members in sorted(groups.items(), key=lambda g: model.ranges[g[1][0].range].start):
        first = model.ranges[members[0].range]
        lines = model.run.files[file].document.lines
        line, column = lines.position(first.start)
        where, context = _where(places, first.start, first.end, kind == "bar")
        notes = "".join(_note(model, entry) for entry in members)
        out.append(
            f'<div class="margin-group{" bar-group" if kind == "bar" else ""}" data-range="{first.id}">'
            f'<div class="margin-head"><span class="where" title="line {line}, column {column}">{_e(where)}</span>'
            f' <q class="context">{_e(context)}</q></div>{notes}</div>'
        )
    return "".join(out)


def _note(model: Model, entry: Entry) -> str:
    finding = entry.finding
    result = model.run.files[entry.file]
    fam = family(finding.code)
    claim = model.claim(entry)
    merged = model.merged(entry) or [entry.id]
    summary = ""
    if claim:
        numbers = ", ".join(str(model.places[r.file].sentence(r.start)) for r in claim)
        summary = f'<p class="claim-label">One claim, {len(claim)} sentences: {numbers}</p>'
        items = "".join(_claim_item(model, entry, r) for r in claim)
        links = ""
        listing = f'<ol class="claim">{items}</ol>'
    else:
        listing = ""
        links = "".join(_related_link(model, entry, k) for k in entry.related)
    others = "".join(
        f'<li><span class="code">{_e(model.entries[e].finding.code)}</span> {_e(model.entries[e].finding.message)}</li>'
        for e in merged
        if e != entry.id
    )
    more = f'<ul class="merged">{others}</ul>' if others else ""
    related = f'<ul class="related">{links}</ul>' if links else ""
    details = f"{listing}{_fix(result.source.text, finding)}{related}{more}"
    details = f'<div class="details">{details}</div>' if details else ""
    return (
        f'<aside class="note fam-{fam}" id="note-{entry.id}" data-entry="{entry.id}" '
        f'data-entries="{" ".join(map(str, merged))}" data-fam="{fam}" '
        f'data-range="{entry.range}" data-start="{finding.start}" data-end="{finding.end}" tabindex="0">'
        f'<div class="note-head"><span class="code">{_e(finding.code)}</span>'
        f'<span class="rule">{_e(finding.rule)}</span>'
        f'<span class="severity sev-{finding.severity.label}">{finding.severity.label}</span></div>'
        f'<p class="message">{_e(finding.message)}</p>{summary}{details}</aside>'
    )


def _where(places: Places, start: int, end: int, bar: bool) -> tuple[str, str]:
    """The label of a place ("sentence 4", "¶2, sentences 3–9") and the text it names."""
    first, last = places.sentences(start, end)
    paragraph = places.paragraph(start)
    if bar or last > first:
        span = f"sentences {first}–{last}" if last > first else f"sentence {first}"
        label = f"¶{paragraph}, {span}" if paragraph else span
    else:
        label = f"sentence {first}" if first else f"¶{paragraph}"
    return label, _clip(places.sentence_text(first)) if first else ""


def _claim_item(model: Model, entry: Entry, target: Range) -> str:
    result = model.run.files[target.file]
    number = model.places[target.file].sentence(target.start)
    place = f"sentence {number}" if target.file == entry.file else f"{result.path}, sentence {number}"
    own = ' class="own"' if target.id == entry.range else ""
    excerpt = _clip(result.source.text[target.start : target.end])
    return (
        f'<li{own}><button type="button" class="goto" data-range="{target.id}">{_e(place)}</button>'
        f" <q>{_e(excerpt)}</q></li>"
    )


def _related_link(model: Model, entry: Entry, range_id: int) -> str:
    target = model.ranges[range_id]
    result = model.run.files[target.file]
    number = model.places[target.file].sentence(target.start)
    place = f"sentence {number}" if target.file == entry.file else f"{result.path}, sentence {number}"
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


def _data(model: Model) -> dict[str, Any]:
    return {
        "files": [r.path for r in model.run.files],
        "ranges": [
            {
                "file": r.file,
                "start": r.start,
                "end": r.end,
                "entries": r.findings,
                "referencedBy": r.referenced_by,
                "cluster": r.cluster,
                "bar": r.bar,
            }
            for r in model.ranges
        ],
        "entries": [
            {
                "range": e.range,
                "code": e.finding.code,
                "family": family(e.finding.code),
                "related": list(e.related),
                "note": model.note_of.get(e.id, e.id),
            }
            for e in model.entries
        ],
    }


def _script_json(data: Any) -> str:
    # No "<" at all inside the <script> element: neither "</script>" nor "<!--" can occur.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


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
  {redundancy}
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
