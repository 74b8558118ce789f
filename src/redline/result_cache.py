"""Per-file result cache: an unchanged file skips parsing and analysis entirely.

As in ruff, a file's findings are stored under a key that covers everything they depend
on: the file's path and text, the effective rule set (code, class, options, severity),
the spaCy model, the verbose flag, the contents of the config's rule packs, the redline
version and a fingerprint of redline's own source files (so an edited checkout never
serves stale results). Any change to one of them is a different key, so invalidation is
by construction; stale entries are never read again, and an occasional sweep deletes
entries unused for 30 days (a hit refreshes an entry's mtime).

A hit rebuilds the :class:`~redline.document.Document` from the stored parse (prose,
blocks, directives) and, where the run analysed the file or runs cross-file rules, the
sentences' places and word counts (:class:`~redline.document.SentenceSpan`): the unit
list RL101 and RL102 read in ``--cross-file`` mode, so a warm cross-file run does not run
spaCy over unchanged files. Full sentences (tokens) are recomputed lazily only if
something asks for them. Results whose run produced a notice (a missing model, for one) are
not stored: they may be incomplete. Entries live under ``<cache-dir>/results/`` and are
written atomically; an unreadable entry is a miss.

Entries are JSON with a schema version, never pickle: the cache folder can be named by
the config of the repository being linted, and loading a pickle runs whatever code it
names. An entry that is not a regular file, is too big, does not parse or does not
match the schema (types, keys, offsets within the text) is a miss and is overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import re
import stat
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import redline
from redline.document import Block, BlockKind, Directive, Document, SentenceSpan, Syntax
from redline.findings import Applicability, Edit, Finding, Fix, Related, Severity

if TYPE_CHECKING:
    from redline.config import Config
    from redline.selection import ActiveRule
    from redline.services import Services
    from redline.source import Source

_FORMAT = 2
#: The version of an entry's JSON layout; an entry of another is a miss.
SCHEMA = 4  # 3: findings keep their machine-readable ``data``; 4: sentence spans
#: An entry bigger than this is not read (prose of a 1 MiB file is about that size).
MAX_ENTRY_BYTES = 256 * 1024 * 1024
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
    sections: list[int] = field(default_factory=list)
    #: The sentences' places and word counts, when the run that stored the entry had them.
    spans: list[SentenceSpan] | None = None

    def document(self, path: str, text: str, spacy_model: str | None) -> Document:
        document = Document(
            path,
            text,
            self.prose,
            self.blocks,
            self.syntax,
            self.directives,
            spacy_model,
            list(self.sections),
        )
        if self.spans is not None:  # the cached property, filled: no analysis needed for them
            document.__dict__["sentence_spans"] = list(self.spans)
        return document


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
    from redline.config import MAX_TOML_BYTES
    from redline.source import SourceError, read_regular

    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        # A Vale style or vocabulary is a folder, a .vale.ini names folders: every file counts.
        from redline.packs.vale import pack_inputs

        for file in pack_inputs(path):
            digest.update(str(file).encode() + b"\0")
            try:  # guarded as when the pack was loaded: never read a device or a FIFO
                digest.update(read_regular(file, MAX_TOML_BYTES))
            except SourceError:
                digest.update(b"<unreadable>")
    return digest.hexdigest()


def result_key(
    path: str,
    text: str,
    rules: list[ActiveRule],
    config: Config,
    verbose: bool,
    cross_file: bool,
    cache_dir: Path | None = None,
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
        digest.update(rule.environment_key(active.options, cache_dir).encode() + b"\0")
    digest.update(b"text\0" + text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class ResultCache:
    """Entries as JSON files under ``<cache-dir>/results/<key[:2]>/<key>.json``.

    The cache folder may come from the repository being linted (``cache-dir`` in its
    config), so an entry is untrusted data: it is read only if it is a regular file of at
    most :data:`MAX_ENTRY_BYTES`, parsed as JSON (which cannot run code) and checked field
    by field against :data:`SCHEMA`; anything else is a miss.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory / "results"

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, text_length: int | None = None) -> CachedResult | None:
        path = self._file(key)
        data = _read_entry(path)
        if data is None:
            return None
        try:
            value = _decode(json.loads(data), key, text_length)
        except (ValueError, TypeError, KeyError, RecursionError):
            return None  # not JSON, or not an entry of this schema: a miss
        with contextlib.suppress(OSError):
            os.utime(path)  # entries in use stay young; see prune()
        return value

    def prune(self, max_age_days: float = PRUNE_AFTER_DAYS) -> int:
        """Delete entries neither written nor read for ``max_age_days``; returns how many.

        Only files named as redline names its entries and temporaries are candidates: a
        cache folder is never a place to delete anything else from.
        """
        cutoff = time.time() - max_age_days * 86400
        removed = 0
        for path in self.directory.glob("*/*"):
            if not _OURS.fullmatch(path.name):
                continue
            with contextlib.suppress(OSError):
                if path.lstat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed

    def put(self, key: str, value: CachedResult) -> None:
        try:
            data = json.dumps(_encode(value, key), ensure_ascii=False, allow_nan=False).encode(
                "utf-8", "surrogatepass"
            )
        except (TypeError, ValueError):
            return  # a value JSON cannot hold is simply not cached
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{key}.", suffix=".tmp")
        except OSError:
            return  # a read-only or full cache dir only costs speed
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if random.random() < PRUNE_CHANCE:  # every edit of a file is a new entry: sweep now and then
            self.prune()


#: Names of entries and of their temporaries (a run killed mid-write leaves one).
_OURS = re.compile(r"\.?[0-9a-f]{64}(?:\.json|\.[A-Za-z0-9_]+\.tmp)")


def _read_entry(path: Path) -> bytes | None:
    """The bytes of the entry at ``path``, or None unless it is a regular file of sane size."""
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    )
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with open(fd, "rb") as handle:
        try:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                return None
            return handle.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None


def _encode(value: CachedResult, key: str) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "key": key,
        "findings": [_encode_finding(f) for f in value.findings],
        "metrics": value.metrics,
        "prose": value.prose,
        "blocks": [[b.kind.value, b.start, b.end] for b in value.blocks],
        "syntax": value.syntax.value,
        "directives": [[d.action, list(d.selectors), d.line] for d in value.directives],
        "sections": list(value.sections),
        "spans": None
        if value.spans is None
        else [[s.start, s.end, s.block, s.word_count] for s in value.spans],
    }


def _encode_finding(finding: Finding) -> dict[str, Any]:
    fix = finding.fix
    return {
        "code": finding.code,
        "rule": finding.rule,
        "message": finding.message,
        "start": finding.start,
        "end": finding.end,
        "severity": finding.severity.label,
        "related": [[r.start, r.end, r.message, r.path] for r in finding.related],
        "fix": None
        if fix is None
        else {
            "applicability": fix.applicability.value,
            "edits": [[e.start, e.end, e.replacement] for e in fix.edits],
        },
        "data": finding.data,
    }


def _decode(data: Any, key: str, length: int | None) -> CachedResult:
    """The entry ``data`` checked against the schema; ValueError/TypeError/KeyError if not."""
    entry = _dict(
        data,
        {
            "schema",
            "key",
            "findings",
            "metrics",
            "prose",
            "blocks",
            "syntax",
            "directives",
            "sections",
            "spans",
        },
    )
    if entry["schema"] != SCHEMA or entry["key"] != key:
        raise ValueError("another schema or key")
    prose = _str(entry["prose"])
    size = len(prose) if length is None else length
    if len(prose) != size:
        raise ValueError("prose length")
    blocks = [
        Block(BlockKind(_str(kind)), *_span(start, end, size))
        for kind, start, end in _list(entry["blocks"], 3)
    ]
    directives = [
        Directive(_str(action), tuple(_str(s) for s in _list(selectors)), _int(line))
        for action, selectors, line in _list(entry["directives"], 3)
    ]
    sections = [_span(offset, offset, size)[0] for offset in _list(entry["sections"])]
    metrics = _dict(entry["metrics"])
    spans = None
    if entry["spans"] is not None:
        spans = []
        for start, end, block, words in _list(entry["spans"], 4):
            first, last = _span(start, end, size)
            if not 0 <= _int(block) < len(blocks) or _int(words) < 0:
                raise ValueError("sentence span")
            spans.append(SentenceSpan(first, last, block, words))
    return CachedResult(
        [_decode_finding(f, size) for f in _list(entry["findings"])],
        metrics,
        prose,
        blocks,
        Syntax(_str(entry["syntax"])),
        directives,
        sections,
        spans,
    )


def _decode_finding(data: Any, size: int) -> Finding:
    item = _dict(data, {"code", "rule", "message", "start", "end", "severity", "related", "fix", "data"})
    start, end = _span(item["start"], item["end"], size)
    related = [
        Related(*_span(s, e, size if p is None else None), _str(m), None if p is None else _str(p))
        for s, e, m, p in _list(item["related"], 4)
    ]
    fix = None
    if item["fix"] is not None:
        fix_data = _dict(item["fix"], {"applicability", "edits"})
        edits = tuple(Edit(*_span(s, e, size), _str(r)) for s, e, r in _list(fix_data["edits"], 3))
        fix = Fix(edits, Applicability(_str(fix_data["applicability"])))
    return Finding(
        _str(item["code"]),
        _str(item["rule"]),
        _str(item["message"]),
        start,
        end,
        Severity.parse(_str(item["severity"])),
        related,
        fix,
        _data(item["data"]),
    )


def _data(value: Any) -> dict[str, float | int | str]:
    """A finding's ``data``: names to numbers or strings, nothing else."""
    items = _dict(value)
    if not all(isinstance(k, str) and isinstance(v, int | float | str) for k, v in items.items()):
        raise ValueError("finding data")
    return items


def _dict(value: Any, keys: set[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict) or (keys is not None and set(value) != keys):
        raise ValueError("not the expected object")
    return value


def _list(value: Any, width: int | None = None) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    if width is not None and not all(isinstance(item, list) and len(item) == width for item in value):
        raise ValueError(f"not a list of {width}-item lists")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not an integer")
    return value


def _span(start: Any, end: Any, size: int | None) -> tuple[int, int]:
    """``(start, end)`` as integers with ``0 <= start <= end`` (``<= size`` unless None)."""
    first, last = _int(start), _int(end)
    if not 0 <= first <= last or (size is not None and last > size):
        raise ValueError("offsets out of range")
    return first, last


class FileCache:
    """The cache entry of one file under its effective settings."""

    def __init__(self, cache: ResultCache, key: str, text_length: int | None = None) -> None:
        self.cache, self.key, self.text_length = cache, key, text_length

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
        cache_dir = services.resolved_cache_dir()
        key = result_key(source.path, source.text, rules, config, verbose, cross_file, cache_dir)
        return cls(ResultCache(cache_dir), key, len(source.text))

    def get(self) -> CachedResult | None:
        return self.cache.get(self.key, self.text_length)

    def put(
        self, document: Document, findings: list[Finding], metrics: dict[str, Any], spans: bool = False
    ) -> None:
        """Store the file's results; with its sentence spans when ``spans`` (a cross-file run,
        whose rules read them) or when the run analysed the file anyway."""
        blocks, directives = list(document.blocks), list(document.directives)
        analysed = "analysis" in document.__dict__ or "sentence_spans" in document.__dict__
        value = CachedResult(
            findings,
            metrics,
            document.prose,
            blocks,
            document.syntax,
            directives,
            list(document.sections),
            list(document.sentence_spans) if spans or analysed else None,
        )
        self.cache.put(self.key, value)
