"""``redline archive report``: the claims that the archive makes in more than one file.

Stages: pair search (each unit's top-k in the index, over RL102's cosine floor) and
scoring (RL102's pair scorer) run per batch of units on the engine; clustering (union-find
over sentences linked by a pair over the threshold) runs here. Only pairs between two
files are used: restatements within one file are what plain ``redline`` reports.
Clusters are listed largest first (most files, then most sentences).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from redline.archive.engines import BATCH_QUERIES, Engine
from redline.archive.rl102 import TokenLookup, kept_apart, score_needed, score_pairs, thresholds
from redline.archive.store import Archive
from redline.linecol import LineIndex
from redline.rules.redundancy.near_duplicate import NearDuplicateOptions


@dataclass(frozen=True)
class SearchInput:
    """What every pair-search task needs (put in the object store once under Ray)."""

    archive: Archive
    index: bytes
    options: NearDuplicateOptions
    cache_dir: str | None = None  # the embedding cache for the scorer's token vectors (None: none)


_EMBEDDERS: dict[tuple[str, str, str | None], object] = {}


def _token_lookup(shared: SearchInput) -> TokenLookup:
    """Token vectors from this process's embedder for the archive's model (built on first use:
    a Ray task has no run's services to ask)."""
    from redline.embedding import Embedder, get_embedder
    from redline.services import Services

    options = shared.options
    key = (options.model, options.backend, shared.cache_dir)
    embedder = _EMBEDDERS.get(key)
    if embedder is None:
        services = Services(
            Path(shared.cache_dir) if shared.cache_dir is not None else None, shared.cache_dir is not None
        )
        embedder = _EMBEDDERS[key] = get_embedder(services, options.model, options.backend)
    assert isinstance(embedder, Embedder)
    return embedder.tokens


def search_pairs(rows: Sequence[int], shared: SearchInput) -> list[tuple[int, int, float]]:
    """``(row a, row b, score)`` with ``a < b`` for the units in ``rows`` and their archived neighbours."""
    from redline.embedding.index import VectorIndex

    archive, options = shared.archive, shared.options
    index = VectorIndex.from_bytes(shared.index, archive.trained_rows)
    row_of = {stored.key: row for row, stored in enumerate(archive.units)}
    limits = thresholds(options)
    scores, keys = index.search(archive.vectors[list(rows)], options.neighbours + 1)
    candidates: list[tuple[int, int, float]] = []
    for position, row in enumerate(rows):
        a = archive.units[row]
        for cosine, key in zip(scores[position].tolist(), keys[position].tolist(), strict=True):
            if key < 0 or cosine < limits.floor:
                break
            other = row_of[key]
            b = archive.units[other]
            if b.path == a.path or kept_apart(a.unit, b.unit, options):
                continue
            candidates.append((row, other, float(cosine)))
    if not candidates:
        return []
    tokens = _token_lookup(shared) if options.scorer != "cosine" else _no_tokens
    scored = score_pairs(
        [(archive.units[a].unit, archive.units[b].unit, cosine) for a, b, cosine in candidates],
        options,
        tokens,
    )
    return [
        (min(a, b), max(a, b), score)
        for (a, b, _), score in zip(candidates, scored, strict=True)
        if score is not None
        and score >= score_needed(archive.units[a].unit, archive.units[b].unit, limits, options)
    ]


def _no_tokens(texts: list[str]) -> list[np.ndarray]:
    raise AssertionError("the cosine scorer needs no token vectors")


def clusters(
    folder: Path, options: NearDuplicateOptions, engine: Engine, cache_dir: str | None = None
) -> dict[str, Any]:
    """The archive's cross-file clusters as a JSON-ready dict."""
    archive = Archive.load(folder)
    shared = SearchInput(archive, archive.index_bytes(folder), options, cache_dir)
    rows = list(range(len(archive.units)))
    batches = [rows[i : i + BATCH_QUERIES] for i in range(0, len(rows), BATCH_QUERIES)]
    best: dict[tuple[tuple[str, int], tuple[str, int]], float] = {}
    for found in engine.map(search_pairs, batches, shared):
        for a, b, score in found:
            place_a = (archive.units[a].path, archive.units[a].unit.member)
            place_b = (archive.units[b].path, archive.units[b].unit.member)
            pair = (min(place_a, place_b), max(place_a, place_b))
            best[pair] = max(score, best.get(pair, 0.0))
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(place: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(place, place)
        while parent[place] != place:
            parent[place] = parent[parent[place]]
            place = parent[place]
        return place

    for place_a, place_b in sorted(best):
        ra, rb = root(place_a), root(place_b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for place in sorted(parent):
        groups.setdefault(root(place), []).append(place)
    sentence = {(s.path, s.unit.member): s.unit for s in archive.units}
    lines = {path: _lines(record.length, record.line_starts) for path, record in archive.files.items()}
    scores_of: dict[tuple[str, int], list[float]] = {}
    for (first, _), score in best.items():
        scores_of.setdefault(root(first), []).append(score)
    out: list[dict[str, Any]] = []
    for group, members in groups.items():
        scores = scores_of[group]
        entries = []
        for path, member in members:
            unit = sentence[(path, member)]
            line, column = lines[path].position(unit.start)
            entries.append({"path": path, "line": line, "column": column, "text": unit.sentence})
        out.append(
            {
                "files": len({path for path, _ in members}),
                "sentences": len(members),
                "min_score": round(min(scores), 4),
                "max_score": round(max(scores), 4),
                "members": entries,
            }
        )
    out.sort(key=lambda c: (-c["files"], -c["sentences"], c["members"][0]["path"], c["members"][0]["line"]))
    return {
        "archive": str(folder),
        "files": len(archive.files),
        "units": len(archive.units),
        "model": archive.model,
        "clusters": out,
    }


def _lines(length: int, starts: list[int]) -> LineIndex:
    text = [" "] * length
    for start in starts[1:]:
        if 0 < start <= length:
            text[start - 1] = "\n"
    return LineIndex("".join(text))


def render_html(data: dict[str, Any]) -> str:
    """The clusters as one self-contained HTML page (a section per cluster, members with their text)."""
    from html import escape

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>redline archive report: {escape(str(data['archive']))}</title>",
        "<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "section{border-top:1px solid #ccc;padding:.6rem 0}h2{font-size:1rem;margin:.2rem 0}"
        "li{margin:.3rem 0}code{color:#555}blockquote{margin:.1rem 0 0 1rem;color:#222}</style>",
        "</head><body>",
        f"<h1>Claims made in more than one file: {len(data['clusters'])}</h1>",
        f"<p>{data['units']:,} units in {data['files']:,} files; model <code>{escape(str(data['model']))}</code>.</p>",
    ]
    for number, cluster in enumerate(data["clusters"], start=1):
        parts.append(
            f'<section id="cluster-{number}"><h2>{number}. Made {cluster["sentences"]} times in '
            f"{cluster['files']} files (score {cluster['min_score']:.2f} to {cluster['max_score']:.2f})</h2><ul>"
        )
        for member in cluster["members"]:
            place = f"{member['path']}:{member['line']}:{member['column']}"
            parts.append(
                f"<li><code>{escape(place)}</code><blockquote>{escape(member['text'])}</blockquote></li>"
            )
        parts.append("</ul></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
