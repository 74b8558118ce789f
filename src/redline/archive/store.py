"""The archive folder: units and vectors in Parquet, the FAISS index, a small JSON header.

    DIR/archive.json    format, model id, the RL102 options that decide the units,
                        the next unit key, the rows the index was trained on
    DIR/files.parquet   path, sha256 of the text, length, line starts (lines for
                        related locations when the file itself is gone), reference
                        (a reference page: RL102's ``reference-threshold`` applies)
    DIR/units.parquet   key, path, member, position, section, start, end, list_item,
                        sentence, unit text, text_hash, voice (who speaks, null for
                        the writer), lede (an article's lede), vector (float32[dim])

An archive of another format (an older redline's: format 1 lacked the reference flag,
the voices and the ledes) is not read: ``check`` and ``report`` say to rebuild it, and
``build`` builds it anew.
    DIR/index.faiss     the vector index over units.parquet's vectors, by key

Every file is written to a temporary name and moved into place, the header last, so a
build that is interrupted leaves the previous archive readable.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from redline.archive.rl102 import Unit
from redline.embedding import sentence_key

FORMAT = 2
HEADER = "archive.json"
FILES = "files.parquet"
UNITS = "units.parquet"
INDEX = "index.faiss"
INSTALL_HINT = "pip install 'redline[archive]'"


class ArchiveError(Exception):
    """The archive folder is missing, unreadable or from another version."""


class OldArchive(ArchiveError):
    """The archive was written in another format (by another redline version)."""


def text_hash(text: str) -> str:
    return hashlib.sha1(sentence_key(text).encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class FileRecord:
    sha256: str
    length: int
    line_starts: list[int]
    reference: bool = False  # a reference page (claim_structure.is_reference)


@dataclass(frozen=True)
class StoredUnit:
    key: int
    path: str
    unit: Unit
    text_hash: str


@dataclass
class Archive:
    """An archive in memory: files, units with their vectors (row i of ``vectors`` is ``units[i]``)."""

    model: str
    unit_options: dict[str, Any]
    dim: int = 0
    files: dict[str, FileRecord] = field(default_factory=dict)
    units: list[StoredUnit] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    next_key: int = 0
    trained_rows: int = 0

    # -- reading ----------------------------------------------------------------------

    @classmethod
    def exists(cls, folder: Path) -> bool:
        return (folder / HEADER).is_file()

    @classmethod
    def load(cls, folder: Path) -> Archive:
        """The whole archive: header, files, units and vectors."""
        archive, units = cls._load(folder, None)
        archive.units = _stored_units(units.to_pydict(), archive.files)
        vector_column = units.column("vector").combine_chunks()
        flat = vector_column.values.to_numpy(zero_copy_only=False) if len(vector_column) else np.zeros(0)
        archive.vectors = np.asarray(flat, dtype=np.float32).reshape(len(archive.units), archive.dim)
        return archive

    @classmethod
    def load_lookup(cls, folder: Path) -> tuple[Archive, UnitLookup]:
        """Header and files, and the units as columns to look up by key (no vectors: for ``check``)."""
        archive, units = cls._load(folder, [c for c in _UNIT_COLUMNS if c != "vector"])
        return archive, UnitLookup(units.to_pydict(), archive.files)

    @classmethod
    def _load(cls, folder: Path, columns: list[str] | None) -> tuple[Archive, Any]:
        pq = _parquet()
        try:
            header = json.loads((folder / HEADER).read_text("utf-8"))
        except FileNotFoundError:
            raise ArchiveError(
                f"{folder}: no archive here (run 'redline archive --index {folder} build PATH...')"
            ) from None
        except (OSError, ValueError) as error:
            raise ArchiveError(f"{folder / HEADER}: cannot read the archive header: {error}") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            found = header.get("format") if isinstance(header, dict) else "?"
            raise OldArchive(
                f"{folder / HEADER}: the archive is in format {found}, this redline reads format {FORMAT}: "
                f"rebuild the archive ('redline archive --index {folder} build PATH...' builds it anew)"
            )
        archive = cls(
            model=str(header["model"]),
            unit_options=dict(header["unit_options"]),
            dim=int(header["dim"]),
            next_key=int(header["next_key"]),
            trained_rows=int(header["trained_rows"]),
        )
        try:
            files = pq.read_table(folder / FILES).to_pydict()
            units = pq.read_table(folder / UNITS, columns=columns)
        except (OSError, ValueError) as error:
            raise ArchiveError(f"{folder}: cannot read the archive tables: {error}") from None
        archive.files = {
            path: FileRecord(sha, length, list(starts), reference)
            for path, sha, length, starts, reference in zip(
                files["path"],
                files["sha256"],
                files["length"],
                files["line_starts"],
                files["reference"],
                strict=True,
            )
        }
        return archive, units

    # -- writing ----------------------------------------------------------------------

    def save(self, folder: Path, write_index: Callable[[Path], None]) -> None:
        import pyarrow as pa

        pq = _parquet()
        folder.mkdir(parents=True, exist_ok=True)
        paths = sorted(self.files)
        files = pa.table(
            {
                "path": pa.array(paths, pa.string()),
                "sha256": pa.array([self.files[p].sha256 for p in paths], pa.string()),
                "length": pa.array([self.files[p].length for p in paths], pa.int64()),
                "line_starts": pa.array([self.files[p].line_starts for p in paths], pa.list_(pa.int64())),
                "reference": pa.array([self.files[p].reference for p in paths], pa.bool_()),
            }
        )
        units = [u.unit for u in self.units]
        flat = pa.array(np.ascontiguousarray(self.vectors, dtype=np.float32).reshape(-1), pa.float32())
        table = pa.table(
            {
                "key": pa.array([u.key for u in self.units], pa.int64()),
                "path": pa.array([u.path for u in self.units], pa.string()),
                "member": pa.array([u.member for u in units], pa.int32()),
                "position": pa.array([u.position for u in units], pa.int32()),
                "section": pa.array([u.section for u in units], pa.int64()),
                "start": pa.array([u.start for u in units], pa.int64()),
                "end": pa.array([u.end for u in units], pa.int64()),
                "list_item": pa.array([u.list_item for u in units], pa.bool_()),
                "sentence": pa.array([u.sentence for u in units], pa.string()),
                "unit": pa.array([u.text for u in units], pa.string()),
                "text_hash": pa.array([u.text_hash for u in self.units], pa.string()),
                "voice": pa.array([u.voice for u in units], pa.string()),
                "lede": pa.array([u.lede for u in units], pa.bool_()),
                "vector": pa.FixedSizeListArray.from_arrays(flat, max(self.dim, 1)),
            }
        )
        _replace(folder / FILES, lambda tmp: pq.write_table(files, tmp))
        _replace(folder / UNITS, lambda tmp: pq.write_table(table, tmp))
        _replace(folder / INDEX, write_index)
        header = {
            "format": FORMAT,
            "model": self.model,
            "unit_options": self.unit_options,
            "dim": self.dim,
            "next_key": self.next_key,
            "trained_rows": self.trained_rows,
            "files": len(self.files),
            "units": len(self.units),
        }
        _replace(folder / HEADER, lambda tmp: tmp.write_text(json.dumps(header, indent=2) + "\n", "utf-8"))

    def index_bytes(self, folder: Path) -> bytes:
        try:
            return (folder / INDEX).read_bytes()
        except OSError as error:
            raise ArchiveError(
                f"{folder / INDEX}: cannot read the index: {error.strerror or error}"
            ) from None


_UNIT_COLUMNS = [
    "key",
    "path",
    "member",
    "position",
    "section",
    "start",
    "end",
    "list_item",
    "sentence",
    "unit",
    "text_hash",
    "voice",
    "lede",
    "vector",
]


def _stored(columns: dict[str, list[Any]], row: int, files: dict[str, FileRecord]) -> StoredUnit:
    path = columns["path"][row]
    record = files.get(path)
    unit = Unit(
        member=columns["member"][row],
        position=columns["position"][row],
        section=columns["section"][row],
        start=columns["start"][row],
        end=columns["end"][row],
        list_item=columns["list_item"][row],
        sentence=columns["sentence"][row],
        text=columns["unit"][row],
        reference=record is not None and record.reference,
        voice=columns["voice"][row],
        lede=columns["lede"][row],
    )
    return StoredUnit(columns["key"][row], path, unit, columns["text_hash"][row])


def _stored_units(columns: dict[str, list[Any]], files: dict[str, FileRecord]) -> list[StoredUnit]:
    return [_stored(columns, row, files) for row in range(len(columns["key"]))]


class UnitLookup:
    """Archived units by key, made into objects only when asked for."""

    def __init__(self, columns: dict[str, list[Any]], files: dict[str, FileRecord]) -> None:
        self._columns = columns
        self._files = files
        self._row_of = {key: row for row, key in enumerate(columns["key"])}
        self.paths = columns["path"]

    def path(self, key: int) -> str:
        path: str = self.paths[self._row_of[key]]
        return path

    def __getitem__(self, key: int) -> StoredUnit:
        return _stored(self._columns, self._row_of[key], self._files)


def _replace(target: Path, write: Any) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ArchiveError(f"the archive needs pyarrow ({INSTALL_HINT})") from None
    return pq
