"""The review report's data: highlighted ranges, the segments they cut the text into, clusters.

Every finding and every related location becomes a *range* (one per distinct
``(path, start, end)``, so a near-duplicate that points at another finding shares that
finding's range). Ranges may nest or overlap, so the text is cut at every range boundary
into *segments*; each segment lists the ranges covering it and becomes one ``<mark>``.
Ranges joined by a related location form a *cluster*: clicking one lights up the rest.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property

from redline.document import Document
from redline.findings import Finding
from redline.results import RunResult

#: Rules whose related locations are the other sentences of one claim: shown as one note.
CLAIM_CODES = frozenset({"RL101", "RL102"})

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
    #: A paragraph-level finding (a grade, a length): a bar in the margin, not a highlight.
    bar: bool = False


class Places:
    """Where an offset is, in the words an editor uses: paragraph and sentence numbers."""

    def __init__(self, document: Document) -> None:
        self.document = document

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.document.sentences]

    def sentence(self, offset: int) -> int:
        """The 1-based number of the sentence at ``offset`` (the next one in a gap), 0 if none."""
        sentences = self.document.sentences
        if not sentences:
            return 0
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0 or (offset >= sentences[index].end and index + 1 < len(sentences)):
            index += 1
        return max(0, min(index, len(sentences) - 1)) + 1

    def sentences(self, start: int, end: int) -> tuple[int, int]:
        """First and last sentence numbers that ``start:end`` touches."""
        first = self.sentence(start)
        last = self.sentence(max(start, end - 1))
        return first, max(first, last)

    def sentence_text(self, number: int) -> str:
        sentences = self.document.sentences
        if not 1 <= number <= len(sentences):
            return ""
        sentence = sentences[number - 1]
        return self.document.text[sentence.start : sentence.end]

    def paragraph(self, offset: int) -> int:
        """The 1-based number of the block at ``offset`` (the next one in a gap), 0 if none.

        Headings, list items and quotes count as paragraphs: they are blocks a reader sees.
        """
        block = self.document.block_of(offset)
        if block < 0:
            blocks = self.document.blocks
            block = next((i for i, b in enumerate(blocks) if b.start >= offset), len(blocks) - 1)
        return block + 1

    def whole_sentences(self, start: int, end: int) -> int:
        """How many sentences lie wholly inside ``start:end``."""
        return sum(1 for s in self.document.sentences if start <= s.start and s.end <= end)

    def is_bar(self, start: int, end: int, code: str) -> bool:
        """A readability finding over whole sentences, or any finding over a whole paragraph
        of several sentences: a bar in the margin reads better than a painted paragraph."""
        whole = self.whole_sentences(start, end)
        if whole == 0:
            return False
        if family(code) == "RL3":
            return True
        block = self.document.block_of(start)
        if block < 0 or whole < 2:
            return False
        span = self.document.blocks[block]
        return end - start >= 0.9 * (span.end - span.start)


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
    places: list[Places] = field(default_factory=list)
    #: Entry id -> the entry whose note shows it (a claim's findings share one note).
    note_of: dict[int, int] = field(default_factory=dict)

    def cluster_members(self, cluster: int) -> list[Range]:
        return [r for r in self.ranges if r.cluster == cluster and cluster >= 0]

    def claim(self, entry: Entry) -> list[Range]:
        """The sentences of the claim ``entry``'s note stands for, in reading order (empty:
        not a claim)."""
        if entry.finding.code not in CLAIM_CODES:
            return []
        cluster = self.ranges[entry.range].cluster
        members = self.cluster_members(cluster) if cluster >= 0 else []
        return sorted(members, key=lambda r: (r.file, r.start))

    def merged(self, entry: Entry) -> list[int]:
        """The entries shown by ``entry``'s note: itself and, for a claim, the others."""
        return [e for e, owner in self.note_of.items() if owner == entry.id]


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
    model.places = [Places(result.document) for result in run.files]
    for own in model.ranges:
        # Every finding on the range must be paragraph-level (a repeat of a long sentence stays
        # a highlight); a place other findings point at keeps its dashed underline.
        own.bar = bool(own.findings) and all(
            model.places[own.file].is_bar(own.start, own.end, model.entries[e].finding.code)
            for e in own.findings
        )
    claims: dict[int, int] = {}  # cluster -> the entry whose note shows the claim
    for entry in model.entries:
        cluster = model.ranges[entry.range].cluster
        if entry.finding.code in CLAIM_CODES and cluster >= 0:
            model.note_of[entry.id] = claims.setdefault(cluster, entry.id)
        else:
            model.note_of[entry.id] = entry.id
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
