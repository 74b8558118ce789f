"""On-disk cache of sentence vectors: SQLite in WAL mode, keyed by model id and text.

Several redline processes may read and write the cache at once (a pre-commit run next to
an editor): WAL lets readers go on while one writer commits, and a busy database is
retried. A cache file that is not a readable database is deleted and rebuilt, with one
notice; if even that fails the run goes on without a cache. A database we may not write
(a read-only file or folder) is read and never written nor deleted.

The cache may come from a hostile repository (``cache-dir`` can point into it), so every
vector read is checked: float32 of the dimension the model wrote (kept per model in the
``models`` table), finite, unit norm within 1e-3. A row that fails is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key BLOB, vector BLOB, PRIMARY KEY (model, key))",
    "CREATE TABLE IF NOT EXISTS models (model TEXT PRIMARY KEY, dimension INTEGER)",
    # Scores of sentence pairs (RL102's pair scorer), so a warm --cross-file run does not
    # score unchanged pairs again: ``scorer`` names the model and scorer, ``key`` the pair.
    # (A cache made before keeps an older ``scores`` table, with token coverages, unread.)
    "CREATE TABLE IF NOT EXISTS pair_scores (scorer TEXT, key BLOB, score REAL, PRIMARY KEY (scorer, key))",
)
#: How far from 1 the norm of a cached vector may be (vectors are stored L2-normalised).
NORM_TOLERANCE = 1e-3
_BATCH = 500
_RETRIES = 5


class VectorCache:
    def __init__(self, path: Path, notice: Callable[[str], None]) -> None:
        self.path = path
        self._notice = notice
        self._connection: sqlite3.Connection | None = None
        self._disabled = False
        self.read_only = False

    def get_many(self, model: str, texts: list[str]) -> dict[str, np.ndarray]:
        """The valid cached vectors of ``texts`` for ``model``; anything else is a miss."""
        found: dict[str, np.ndarray] = {}
        dimension = self._dimension(model)
        if dimension is None:
            return found
        by_key = {_key(t): t for t in texts}
        keys = list(by_key)
        for i in range(0, len(keys), _BATCH):
            chunk = keys[i : i + _BATCH]
            query = (
                f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(chunk))})"
            )
            parameters: list[object] = [model, *chunk]

            def read(
                db: sqlite3.Connection, query: str = query, parameters: list[object] = parameters
            ) -> object:
                return db.execute(query, parameters).fetchall()

            rows = self._run(read)
            matrices = model.endswith(MATRIX_SUFFIX)
            for key, blob in rows if isinstance(rows, list) else []:
                vector = valid_vector(blob, dimension, rows_allowed=matrices)
                if vector is not None and key in by_key:
                    found[by_key[key]] = vector
        return found

    def _dimension(self, model: str) -> int | None:
        def read(db: sqlite3.Connection) -> object:
            try:
                return db.execute("SELECT dimension FROM models WHERE model = ?", [model]).fetchall()
            except sqlite3.OperationalError as error:
                if "no such table" in str(error):
                    return []  # a cache from before dimensions were kept: every row is a miss
                raise

        rows = self._run(read)
        if not isinstance(rows, list) or len(rows) != 1:
            return None
        (dimension,) = rows[0]
        return dimension if isinstance(dimension, int) and 0 < dimension <= 1 << 16 else None

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        if not vectors or self.read_only:
            return
        rows = [(model, _key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()]
        dimension = np.asarray(next(iter(vectors.values()))).shape[-1]  # a matrix's row length

        self._write(
            ("INSERT OR REPLACE INTO models VALUES (?, ?)", [(model, dimension)]),
            ("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows),
        )

    def get_scores(self, scorer: str, keys: list[bytes]) -> dict[bytes, float]:
        """The cached scores of the pairs ``keys`` (see :func:`pair_key`) under ``scorer``; a
        row whose score is not finite and within [-1, 1] is a miss (a cache folder may come
        from the repository being linted, as in :meth:`get_many`)."""
        found: dict[bytes, float] = {}
        wanted = list(dict.fromkeys(keys))
        for i in range(0, len(wanted), _BATCH):
            chunk = wanted[i : i + _BATCH]
            query = f"SELECT key, score FROM pair_scores WHERE scorer = ? AND key IN ({','.join('?' * len(chunk))})"
            parameters: list[object] = [scorer, *chunk]

            def read(
                db: sqlite3.Connection, query: str = query, parameters: list[object] = parameters
            ) -> object:
                try:
                    return db.execute(query, parameters).fetchall()
                except sqlite3.OperationalError as error:
                    if "no such table" in str(error):
                        return []  # a read-only cache from before scores were kept
                    raise

            rows = self._run(read)
            for key, score in rows if isinstance(rows, list) else []:
                if isinstance(key, bytes) and _unit_interval(score):
                    found[key] = float(score)
        return found

    def put_scores(self, scorer: str, scores: dict[bytes, float]) -> None:
        if not scores or self.read_only:
            return
        rows = [(scorer, key, score) for key, score in scores.items()]
        self._write(("INSERT OR REPLACE INTO pair_scores VALUES (?, ?, ?)", rows))

    def _write(self, *statements: tuple[str, Sequence[Sequence[object]]]) -> None:
        """Each statement over its rows, in one transaction."""

        def write(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            try:
                for statement, rows in statements:
                    db.executemany(statement, rows)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

        self._run(write)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- plumbing -------------------------------------------------------------------------

    def _run(self, operation: Callable[[sqlite3.Connection], object]) -> object:
        """``operation(db)`` with retries while busy and one rebuild if the file is corrupt."""
        for attempt in range(_RETRIES + 2):
            db = self._db()
            if db is None:
                return None
            try:
                return operation(db)
            except sqlite3.OperationalError as error:
                if "locked" in str(error) or "busy" in str(error):
                    time.sleep(0.05 * (attempt + 1))
                    continue
                if "readonly" in str(error) or "read-only" in str(error):
                    self.read_only = True  # readable but not ours to write: use it as it is
                    return None
                self._rebuild(error)
            except sqlite3.DatabaseError as error:
                self._rebuild(error)
        return None

    def _db(self) -> sqlite3.Connection | None:
        if self._disabled:
            return None
        if self._connection is None:
            try:
                if self.path.exists() and not _writable(self.path):
                    self.read_only = True
                    self._connection = _open_read_only(self.path)
                else:
                    if not self.path.parent.is_dir():  # no write at all when the folder is there
                        self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._connection = _open(self.path)
            except sqlite3.DatabaseError as error:
                self._rebuild(error)
            except OSError as error:
                self._give_up(error)
        return self._connection

    def _rebuild(self, error: Exception) -> None:
        self.close()
        if self.read_only:
            self._give_up(error)  # not ours to delete
            return
        self._notice(f"the embedding cache {self.path} was unreadable ({error}); rebuilding it")
        try:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    Path(str(self.path) + suffix).unlink()
            self._connection = _open(self.path)
        except (OSError, sqlite3.DatabaseError) as second:
            self._give_up(second)

    def _give_up(self, error: Exception) -> None:
        self.close()
        self._disabled = True
        self._notice(f"the embedding cache {self.path} cannot be used ({error}); running without it")


def _open(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        for _ in _retrying():
            try:
                db.execute("PRAGMA journal_mode=WAL")
                for statement in _SCHEMA:
                    db.execute(statement)
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
    except BaseException:
        db.close()
        raise
    return db


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; ``immutable`` where even the WAL index cannot be created."""
    for query in ("mode=ro", "mode=ro&immutable=1"):
        db = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=30, isolation_level=None)
        try:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
            return db
        except sqlite3.OperationalError as error:
            db.close()
            if "unable to open" not in str(error):
                raise
    raise sqlite3.OperationalError(f"unable to open {path} read-only")


#: Model ids with this suffix store a matrix per text (token vectors), one unit row each.
MATRIX_SUFFIX = "|tokens"


def _writable(path: Path) -> bool:
    """Whether we may write the database and create its WAL files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def valid_vector(blob: object, dimension: int, *, rows_allowed: bool = False) -> np.ndarray | None:
    """The float32 vector stored in ``blob``, or None unless it is ``dimension`` long, finite
    and of unit norm (within :data:`NORM_TOLERANCE`). With ``rows_allowed`` (a model id ending
    in :data:`MATRIX_SUFFIX`: one row per token) it may be several such rows, flattened."""
    if not isinstance(blob, bytes) or not blob or len(blob) % (4 * dimension):
        return None
    if len(blob) != 4 * dimension and not rows_allowed:
        return None
    vector = np.frombuffer(blob, dtype=np.float32)
    if not np.all(np.isfinite(vector)):
        return None
    norms = np.linalg.norm(vector.astype(np.float64).reshape(-1, dimension), axis=1)
    if np.any(np.abs(norms - 1.0) > NORM_TOLERANCE):
        return None
    return vector


def _retrying() -> Iterator[int]:
    for attempt in range(_RETRIES):
        yield attempt
        time.sleep(0.05 * (attempt + 1))


def pair_key(*texts: str) -> bytes:
    """The key of a scored pair: the texts its score depends on, in order."""
    digest = hashlib.sha256()
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.digest()


def _unit_interval(value: object) -> bool:
    """A finite number in [-1, 1], give or take float32 rounding (a mean of cosines can be 1 + 1e-7)."""
    limit = 1.0 + NORM_TOLERANCE
    return isinstance(value, float | int) and not isinstance(value, bool) and -limit <= value <= limit


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()
