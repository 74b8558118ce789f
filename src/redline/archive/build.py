"""``redline archive build``: files -> RL102's units -> vectors -> the index, incrementally.

Stages, each a function over batches that :mod:`redline.archive.engines` runs in this
process or as Ray tasks:

1. read (here): every file under the given paths, with the sha256 of its text. A file
   whose text is unchanged keeps its units and vectors as they are (no parse, no spaCy).
2. split (:func:`split_files`): new and changed files are parsed and cut into RL102's
   units (its own sentence selection and clause splitter).
3. embed (:func:`embed_texts`): only unit texts whose hash is not in the archive yet;
   a changed file's unchanged sentences reuse their vectors.
4. index: the FAISS index drops the units of changed and deleted files and adds the new
   ones, or is built anew when it has outgrown its training (:meth:`VectorIndex.stale`).

A file in the archive that the scan does not find is dropped when it lies under one of
the given paths or no longer exists; archived files elsewhere are kept, so an archive can
be built folder by folder.
"""

from __future__ import annotations

import hashlib
import os
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from redline.archive.engines import BATCH_FILES, BATCH_TEXTS, Engine, batched
from redline.archive.rl102 import Unit, document_units, unit_options
from redline.archive.store import INDEX, Archive, FileRecord, OldArchive, StoredUnit, text_hash
from redline.rules.redundancy.near_duplicate import NearDuplicateOptions

if TYPE_CHECKING:
    from redline.embedding.index import VectorIndex


@dataclass(frozen=True)
class Settings:
    """What every stage needs, picklable for Ray workers."""

    options: NearDuplicateOptions
    spacy_model: str | None = None
    cache_dir: str | None = None  # the embedding cache (in-process engine only)

    @property
    def model_id(self) -> str:
        return f"{self.options.model}|{self.options.backend}"


@dataclass
class BuildReport:
    files_added: int = 0
    files_changed: int = 0
    files_removed: int = 0
    files_unchanged: int = 0
    units_added: int = 0
    units_removed: int = 0
    units: int = 0
    embedded: int = 0  # unit texts sent to the embedding model
    index_rebuilt: bool = False
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # this process's CPU time per stage
    peak_rss_mb: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.units:,} units in {self.files_added + self.files_changed + self.files_unchanged:,} files: "
            f"{self.files_added} added, {self.files_changed} changed, {self.files_removed} removed, "
            f"{self.files_unchanged} unchanged; {self.units_added:,} units added, {self.units_removed:,} removed, "
            f"{self.embedded:,} embedded; index {'built' if self.index_rebuilt else 'updated'}"
        )


# -- stages (module-level functions: Ray pickles them by reference) -----------------------


def split_files(
    batch: Sequence[tuple[str, str]], settings: Settings
) -> list[tuple[str, list[Unit], list[int], bool, str | None]]:
    """``(path, units, line starts, reference page, error)`` for each ``(path, text)``."""
    from redline.linecol import LineIndex
    from redline.markup import parse
    from redline.rules.redundancy.claim_structure import is_reference

    out: list[tuple[str, list[Unit], list[int], bool, str | None]] = []
    for path, text in batch:
        lines = LineIndex(text)
        starts = [lines.line_start(line) for line in range(1, lines.line_count + 1)]
        try:
            document = parse(path, text, spacy_model=settings.spacy_model)
            units = document_units(document, settings.options)
            out.append((path, units, starts, is_reference(document), None))
        except RecursionError:
            out.append((path, [], starts, False, "document is nested too deeply to parse"))
    return out


_EMBEDDERS: dict[tuple[str, str, str | None], object] = {}


def embed_texts(batch: Sequence[str], settings: Settings) -> np.ndarray:
    """The vectors of ``batch`` (one embedder per process and model, loaded on first use)."""
    from redline.embedding import Embedder
    from redline.embedding.model_source import resolve_model

    key = (settings.options.model, settings.options.backend, settings.cache_dir)
    embedder = _EMBEDDERS.get(key)
    if embedder is None:
        cache = None
        if settings.cache_dir is not None:
            from redline.embedding.cache import VectorCache

            cache = VectorCache(Path(settings.cache_dir) / "embeddings.sqlite3", lambda message: None)
        # The build stores unit vectors only: no token vectors kept (see Embedder's keep_tokens).
        embedder = Embedder(
            resolve_model(settings.options.model), settings.options.backend, cache, keep_tokens=False
        )
        _EMBEDDERS[key] = embedder
    assert isinstance(embedder, Embedder)
    vectors: np.ndarray = embedder.encode(list(batch))
    return vectors


# -- the build ------------------------------------------------------------------------------


def build(
    files: list[str],
    roots: list[str],
    folder: Path,
    settings: Settings,
    engine: Engine,
    read: dict[str, str] | None = None,
) -> BuildReport:
    """Bring the archive in ``folder`` up to date with ``files`` (found under ``roots``).

    ``read`` maps paths to their text (the caller reads them and reports unreadable ones).
    """
    report = BuildReport()
    clock, cpu = time.perf_counter(), time.process_time()
    texts = read if read is not None else {path: Path(path).read_text("utf-8") for path in files}
    archive = _open(folder, settings, report)
    digests = {
        path: hashlib.sha256(texts[path].encode("utf-8", "surrogatepass")).hexdigest() for path in texts
    }
    root_paths = [os.path.realpath(r) for r in roots]
    dropped = {
        path
        for path in archive.files
        if path not in digests and (not os.path.exists(path) or _under(path, root_paths))
    }
    changed = {p for p in digests if p in archive.files and archive.files[p].sha256 != digests[p]}
    added = sorted(p for p in digests if p not in archive.files)
    report.files_added, report.files_changed, report.files_removed = len(added), len(changed), len(dropped)
    report.files_unchanged = len(digests) - len(added) - len(changed)
    report.seconds["read"] = time.perf_counter() - clock
    report.cpu_seconds["read"] = time.process_time() - cpu

    clock, cpu = time.perf_counter(), time.process_time()
    to_split = sorted(changed | set(added))
    split = [
        row
        for rows in engine.map(split_files, batched([(p, texts[p]) for p in to_split], BATCH_FILES), settings)
        for row in rows
    ]
    report.seconds["split"] = time.perf_counter() - clock
    report.cpu_seconds["split"] = time.process_time() - cpu

    clock, cpu = time.perf_counter(), time.process_time()
    new_units: list[StoredUnit] = []
    for path, units, _, _, error in split:
        if error is not None:
            report.errors.append(f"{path}: {error}")
        new_units.extend(StoredUnit(-1, path, unit, text_hash(unit.text)) for unit in units)
    new_vectors = _vectors(archive, new_units, settings, engine, report)
    report.seconds["embed"] = time.perf_counter() - clock
    report.cpu_seconds["embed"] = time.process_time() - cpu

    clock, cpu = time.perf_counter(), time.process_time()
    replaced = dropped | changed
    numbered = [
        StoredUnit(archive.next_key + i, s.path, s.unit, s.text_hash) for i, s in enumerate(new_units)
    ]
    index = _update(archive, folder, replaced, numbered, new_vectors, report)
    report.seconds["index"] = time.perf_counter() - clock
    report.cpu_seconds["index"] = time.process_time() - cpu

    clock, cpu = time.perf_counter(), time.process_time()
    for path in replaced:
        archive.files.pop(path, None)
    for path, _, starts, reference, _ in split:
        archive.files[path] = FileRecord(digests[path], len(texts[path]), starts, reference)
    archive.next_key += len(numbered)
    archive.save(folder, index.save)
    report.seconds["write"] = time.perf_counter() - clock
    report.cpu_seconds["write"] = time.process_time() - cpu
    report.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report


def _open(folder: Path, settings: Settings, report: BuildReport) -> Archive:
    model, wanted = settings.model_id, unit_options(settings.options)
    if Archive.exists(folder):
        try:
            archive = Archive.load(folder)
        except OldArchive:
            report.notes.append("the archive was written in an older format: it is built anew")
            return Archive(model, wanted)
        if archive.model == model and archive.unit_options == wanted:
            return archive
        report.notes.append("the model or the unit options changed: the archive is built anew")
    return Archive(model, wanted)


def _vectors(
    archive: Archive, new_units: list[StoredUnit], settings: Settings, engine: Engine, report: BuildReport
) -> np.ndarray:
    """Vectors of ``new_units``: reused where the archive has the text already, else embedded."""
    known: dict[str, int] = {}
    for row, stored in enumerate(archive.units):
        known.setdefault(stored.text_hash, row)
    fresh: dict[str, str] = {}
    for stored in new_units:
        if stored.text_hash not in known:
            fresh.setdefault(stored.text_hash, stored.unit.text)
    hashes = list(fresh)
    report.embedded = len(hashes)
    parts = engine.map(embed_texts, batched([fresh[h] for h in hashes], BATCH_TEXTS), settings)
    embedded = np.concatenate(parts) if parts else np.zeros((0, archive.dim), np.float32)
    dim = archive.dim or (embedded.shape[1] if len(embedded) else 0)
    row_of = {h: i for i, h in enumerate(hashes)}
    vectors = np.zeros((len(new_units), dim), np.float32)
    for i, stored in enumerate(new_units):
        if stored.text_hash in row_of:
            vectors[i] = embedded[row_of[stored.text_hash]]
        else:
            vectors[i] = archive.vectors[known[stored.text_hash]]
    return vectors


def _update(
    archive: Archive,
    folder: Path,
    replaced: set[str],
    numbered: list[StoredUnit],
    new_vectors: np.ndarray,
    report: BuildReport,
) -> VectorIndex:
    """Swap the replaced files' units for ``numbered`` in ``archive`` and in its index; the index."""
    from redline.embedding.index import VectorIndex

    dim = archive.dim or new_vectors.shape[1]
    keep = [row for row, stored in enumerate(archive.units) if stored.path not in replaced]
    removed = np.array([s.key for s in archive.units if s.path in replaced], dtype=np.int64)
    old_vectors = (
        archive.vectors[keep].reshape(-1, dim) if len(archive.units) else np.zeros((0, dim), np.float32)
    )
    index = None
    if archive.units and archive.dim == dim:
        index = VectorIndex.load(folder / INDEX, archive.trained_rows)
    units = [archive.units[row] for row in keep] + numbered
    vectors = np.concatenate([old_vectors, new_vectors]) if dim else new_vectors
    if index is None or index.stale(len(units)):
        index = VectorIndex.build(vectors, np.array([u.key for u in units], dtype=np.int64), dim or 1)
        report.index_rebuilt = True
        archive.trained_rows = len(units)
    else:
        index.remove(removed)
        index.add(new_vectors, np.array([u.key for u in numbered], dtype=np.int64))
    report.units_removed, report.units_added, report.units = len(removed), len(numbered), len(units)
    archive.units, archive.vectors, archive.dim = units, vectors, dim
    return index


def _under(path: str, roots: list[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)
