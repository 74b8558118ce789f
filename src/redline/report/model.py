"""The review report's data: highlighted ranges, the segments they cut the text into, clusters.

Every finding and every related location becomes a *range* (one per distinct
``(path, start, end)``, so a near-duplicate that points at another finding shares that
finding's range). Ranges may nest or overlap, so the text is cut at every range boundary
into *segments*; each segment lists the ranges covering it and becomes one ``<mark>``.
Ranges joined by a related location form a *cluster*: clicking one lights up the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from redline.findings import Finding
from redline.results import RunResult

FAMILIES: dict[str, str] = {
    "RL1": "Redundancy",
    "RL2": "Hedging",
    "RL3": "Readability",
    "RL4": "House style",
    "other": "Other rules",
}


def family(code: str) -> str:
    """``RL1`` .. ``RL4`` for built-in codes, ``other`` for anything else (rule packs)."""
    prefix = code[:3].upper()
    return prefix if prefix in FAMILIES and prefix != "other" else "other"


@dataclass
class Range:
    id: int
    file: int
    start: int
    end: int
    findings: list[int] = field(default_factory=list)
    cluster: int = -1
    referenced_by: list[int] = field(default_factory=list)  # entries with this as a related place


@dataclass(frozen=True)
class Segment:
    """``text[start:end]``, covered by ``ranges`` (empty: plain text)."""

    start: int
    end: int
    ranges: tuple[int, ...]


@dataclass(frozen=True)
class Entry:
    """One finding of the report, numbered across the whole run."""

    id: int
    file: int
    finding: Finding
    range: int
    related: tuple[int, ...]  # range ids of its related locations


@dataclass
class Model:
    run: RunResult
    ranges: list[Range] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    segments: dict[int, list[Segment]] = field(default_factory=dict)

    def cluster_members(self, cluster: int) -> list[Range]:
        return [r for r in self.ranges if r.cluster == cluster and cluster >= 0]


def build(run: RunResult) -> Model:
    model = Model(run)
    index = {result.path: i for i, result in enumerate(run.files)}
    by_key: dict[tuple[int, int, int], Range] = {}

    def range_for(file: int, start: int, end: int) -> Range:
        key = (file, start, end)
        if key not in by_key:
            by_key[key] = Range(len(model.ranges), file, start, end)
            model.ranges.append(by_key[key])
        return by_key[key]

    for file, result in enumerate(run.files):
        for finding in result.findings:
            own = range_for(file, finding.start, finding.end)
            entry_id = len(model.entries)
            own.findings.append(entry_id)
            related: list[int] = []
            for place in finding.related:
                target = index.get(place.path, -1) if place.path is not None else file
                if target >= 0:
                    other = range_for(target, place.start, place.end)
                    other.referenced_by.append(entry_id)
                    related.append(other.id)
            model.entries.append(Entry(entry_id, file, finding, own.id, tuple(related)))
    _assign_clusters(model)
    for file, result in enumerate(run.files):
        spans = [(r.start, r.end, r.id) for r in model.ranges if r.file == file]
        model.segments[file] = segments(len(result.source.text), spans)
    return model


def _assign_clusters(model: Model) -> None:
    parent = list(range(len(model.ranges)))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for entry in model.entries:
        for other in entry.related:
            parent[root(other)] = root(entry.range)
    sizes: dict[int, int] = {}
    for r in model.ranges:
        sizes[root(r.id)] = sizes.get(root(r.id), 0) + 1
    numbers: dict[int, int] = {}
    for r in model.ranges:
        top = root(r.id)
        if sizes[top] > 1:
            r.cluster = numbers.setdefault(top, len(numbers))


def segments(length: int, spans: list[tuple[int, int, int]]) -> list[Segment]:
    """Cut ``[0, length)`` at every span boundary; zero-width spans become empty segments."""
    cuts = sorted({0, length, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Segment] = []
    for i, start in enumerate(cuts):
        points = tuple(k for s, e, k in spans if s == e == start)
        if points:
            out.append(Segment(start, start, points))
        if i + 1 < len(cuts) and start < cuts[i + 1] <= length:
            end = cuts[i + 1]
            out.append(Segment(start, end, tuple(k for s, e, k in spans if s <= start and end <= e)))
    return out
