"""On-disk cache of sentence vectors: SQLite in WAL mode, keyed by model id and text.

Several redline processes may read and write the cache at once (a pre-commit run next to
an editor): WAL lets readers go on while one writer commits, and a busy database is
retried. A cache file that is not a readable database is deleted and rebuilt, with one
notice; if even that fails the run goes on without a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key BLOB, vector BLOB, PRIMARY KEY (model, key))"
_BATCH = 500
_RETRIES = 5


class VectorCache:
    def __init__(self, path: Path, notice: Callable[[str], None]) -> None:
        self.path = path
        self._notice = notice
        self._connection: sqlite3.Connection | None = None
        self._disabled = False

    def get_many(self, model: str, texts: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
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
            for key, blob in rows if isinstance(rows, list) else []:
                found[by_key[key]] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        rows = [(model, _key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()]

        def write(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
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
                self._rebuild(error)
            except sqlite3.DatabaseError as error:
                self._rebuild(error)
        return None

    def _db(self) -> sqlite3.Connection | None:
        if self._disabled:
            return None
        if self._connection is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._connection = _open(self.path)
            except sqlite3.DatabaseError as error:
                self._rebuild(error)
            except OSError as error:
                self._give_up(error)
        return self._connection

    def _rebuild(self, error: Exception) -> None:
        self.close()
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
                db.execute(_SCHEMA)
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
    except BaseException:
        db.close()
        raise
    return db


def _retrying() -> Iterator[int]:
    for attempt in range(_RETRIES):
        yield attempt
        time.sleep(0.05 * (attempt + 1))


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()
