"""Linting an editor buffer: the quick pass on every change, the full pass on save.

Rules whose metadata says they are slow (the embedding-backed near-duplicate rule RL102)
run only on save. Between saves their last findings are kept
and moved with the text: a finding before or after the edited stretch shifts with it, one
that touches the edit is dropped until the next save.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from redline.config import ConfigError
from redline.engine import Linter
from redline.findings import Finding, Related
from redline.results import FileError
from redline.selection import CommandLineSettings
from redline.services import Services
from redline.settings import LintOptions
from redline.source import Source


@dataclass(frozen=True)
class Snapshot:
    """Findings and the exact text they were computed on."""

    text: str
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Outcome:
    quick: Snapshot
    slow: Snapshot | None  # None: the quick pass only; the slow rules did not run
    errors: tuple[FileError, ...]
    notices: tuple[str, ...]


class BufferLinter:
    """Lints buffers with the config nearest to their path, read afresh on every pass."""

    def __init__(self) -> None:
        self.services = Services()

    def lint(self, path: Path, text: str, *, full: bool) -> Outcome:
        # Keystroke passes skip the on-disk caches (an entry per edit would only fill the
        # disk); a save pass uses them as the config says, the embedding cache included.
        slow_codes = self._slow_codes(path)
        options = LintOptions(
            command_line=CommandLineSettings(ignore=[] if full else sorted(slow_codes)),
            use_cache=None if full else False,
        )
        self.services.notices.clear()
        linter = Linter(options, self.services)  # the shared services keep a loaded model between passes
        result = linter.lint_source(Source(str(path), text, "utf-8"), config_path=path)
        findings = [f for r in result.files for f in r.findings]
        quick = Snapshot(text, tuple(f for f in findings if f.code not in slow_codes))
        slow = Snapshot(text, tuple(f for f in findings if f.code in slow_codes)) if full else None
        return Outcome(quick, slow, tuple(result.errors), tuple(result.notices))

    def warm_up(self) -> None:
        """Load spaCy and the rule modules now, so that the first file opened is quick."""
        try:
            self.lint(Path.cwd() / "warm-up.md", "Warm up.\n", full=False)
        except Exception:  # the real passes report problems; this one only saves time
            return

    @staticmethod
    def _slow_codes(path: Path) -> set[str]:
        try:
            registry = Linter(LintOptions(use_cache=False)).registry_for(path)
        except ConfigError:
            return set()  # the pass itself reports the error
        return {rule.code for rule in registry if rule.meta.slow}


class Worker:
    """One daemon thread running submitted calls in order (an executor that never blocks exit).

    A :class:`~concurrent.futures.ThreadPoolExecutor` joins its threads when the process
    exits, so one pass stuck for good (a read that never returns) would keep ``redline
    lsp`` alive after the editor said ``exit``. A daemon thread does not: the server
    abandons a stuck worker (:meth:`shutdown`) and starts a new one.
    """

    def __init__(self, name: str = "redline-lint") -> None:
        self._calls: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, call: Callable[[], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        self._calls.put((future, call))
        return future

    def shutdown(self) -> None:
        """Run nothing more; calls still queued are cancelled."""
        self._calls.put(None)

    def _run(self) -> None:
        while (item := self._calls.get()) is not None:
            future, call = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(call())
            except BaseException as error:  # handed to whoever awaits the future
                future.set_exception(error)
        while True:  # cancel what was queued after shutdown
            try:
                rest = self._calls.get_nowait()
            except queue.Empty:
                return
            if rest is not None:
                rest[0].cancel()


def carry_over(snapshot: Snapshot, text: str) -> list[Finding]:
    """``snapshot``'s findings moved onto ``text``; those touching the edited stretch dropped."""
    old = snapshot.text
    if old == text:
        return list(snapshot.findings)
    prefix = _common_prefix(old, text)
    suffix = _common_prefix(old[prefix:][::-1], text[prefix:][::-1])
    changed_to = len(old) - suffix  # old[prefix:changed_to] was replaced
    shift = len(text) - len(old)

    def moved(start: int, end: int) -> tuple[int, int] | None:
        if end < prefix or (end == prefix and start < end):
            return start, end
        if start >= changed_to and start > prefix:
            return start + shift, end + shift
        return None

    kept: list[Finding] = []
    for finding in snapshot.findings:
        place = moved(finding.start, finding.end)
        if place is None:
            continue
        related = []
        for other in finding.related:
            other_place = moved(other.start, other.end) if other.path is None else (other.start, other.end)
            if other_place is not None:
                related.append(Related(*other_place, other.message, other.path))
        kept.append(replace(finding, start=place[0], end=place[1], related=related, fix=None))
    return kept


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i
