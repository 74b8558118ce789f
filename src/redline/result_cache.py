"""Per-file result cache: an unchanged file skips parsing and analysis entirely.

As in ruff, a file's findings are stored under a key that covers everything they depend
on: the file's path and text, the effective rule set (code, class, options, severity),
the spaCy model, the verbose flag, the contents of the config's rule packs, the redline
version and a fingerprint of redline's own source files (so an edited checkout never
serves stale results). Any change to one of them is a different key, so invalidation is
by construction; stale entries are never read again, and an occasional sweep deletes
entries unused for 30 days (a hit refreshes an entry's mtime).

A hit rebuilds the :class:`~redline.document.Document` from the stored parse (prose,
blocks, directives); sentences are recomputed lazily only if something asks for them (a
cross-file rule, say). Results whose run produced a notice (a missing model, for one) are
not stored: they may be incomplete. Entries live under ``<cache-dir>/results/`` and are
written atomically; an unreadable entry is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import random
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import redline
from redline.document import Block, Directive, Document, Syntax
from redline.findings import Finding

if TYPE_CHECKING:
    from redline.config import Config
    from redline.selection import ActiveRule
    from redline.services import Services
    from redline.source import Source

_FORMAT = 1
#: Entries unused for this long are deleted by the occasional sweep (1 write in 200).
PRUNE_AFTER_DAYS = 30
PRUNE_CHANCE = 1 / 200


@dataclass
class CachedResult:
    findings: list[Finding]
    metrics: dict[str, Any]
    prose: str
    blocks: list[Block]
    syntax: Syntax
    directives: list[Directive]

    def document(self, path: str, text: str, spacy_model: str | None) -> Document:
        return Document(path, text, self.prose, self.blocks, self.syntax, self.directives, spacy_model)


@cache
def code_fingerprint() -> str:
    """Hash of the names, sizes and mtimes of redline's own modules and data files."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    checkout_data = root.parent.parent / "rules"  # built-in packs and word lists, outside the package
    data_files = sorted(checkout_data.glob("*.toml")) if checkout_data.is_dir() else []
    for path in [*sorted(root.rglob("*")), *data_files]:
        if path.suffix in {".py", ".toml", ".txt", ".json"} and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _pack_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        # A Vale style or vocabulary is a folder, a .vale.ini names folders: every file counts.
        from redline.packs.vale import pack_inputs

        for file in pack_inputs(path):
            digest.update(str(file).encode() + b"\0")
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"<unreadable>")
    return digest.hexdigest()


def result_key(
    path: str, text: str, rules: list[ActiveRule], config: Config, verbose: bool, cross_file: bool
) -> str:
    """The cache key of one file's per-file results."""
    digest = hashlib.sha256()
    for part in (
        f"format={_FORMAT}",
        f"version={redline.__version__}",
        f"code={code_fingerprint()}",
        f"path={path}",
        f"spacy={config.spacy_model}",
        f"verbose={verbose}",
        f"cross-file={cross_file}",
        f"packs={_pack_digest(config.rule_packs)}",
    ):
        digest.update(part.encode() + b"\0")
    for active in rules:
        rule = active.rule
        kind = f"{type(rule).__module__}.{type(rule).__qualname__}"
        digest.update(f"{rule.code}|{rule.name}|{kind}|{active.options!r}|{active.severity}\0".encode())
    digest.update(b"text\0" + text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class ResultCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory / "results"

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> CachedResult | None:
        path = self._file(key)
        try:
            with open(path, "rb") as handle:
                value = pickle.load(handle)
            os.utime(path)  # entries in use stay young; see prune()
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            return None
        return value if isinstance(value, CachedResult) else None

    def prune(self, max_age_days: float = PRUNE_AFTER_DAYS) -> int:
        """Delete entries neither written nor read for ``max_age_days``; returns how many."""
        cutoff = time.time() - max_age_days * 86400
        removed = 0
        for path in self.directory.glob("*/*"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed

    def put(self, key: str, value: CachedResult) -> None:
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        except OSError:
            return  # a read-only or full cache dir only costs speed
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if random.random() < PRUNE_CHANCE:  # every edit of a file is a new entry: sweep now and then
            self.prune()


class FileCache:
    """The cache entry of one file under its effective settings."""

    def __init__(self, cache: ResultCache, key: str) -> None:
        self.cache, self.key = cache, key

    @classmethod
    def open(
        cls,
        services: Services,
        source: Source,
        rules: list[ActiveRule],
        config: Config,
        verbose: bool,
        cross_file: bool,
    ) -> FileCache | None:
        """None when caching is off (``--no-cache``, ``cache = false``)."""
        if not services.use_cache:
            return None
        key = result_key(source.path, source.text, rules, config, verbose, cross_file)
        return cls(ResultCache(services.resolved_cache_dir()), key)

    def get(self) -> CachedResult | None:
        return self.cache.get(self.key)

    def put(self, document: Document, findings: list[Finding], metrics: dict[str, Any]) -> None:
        blocks, directives = list(document.blocks), list(document.directives)
        value = CachedResult(findings, metrics, document.prose, blocks, document.syntax, directives)
        self.cache.put(self.key, value)
