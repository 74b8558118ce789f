"""Shared, lazily built services that rules may use (embedding model, caches).

A rule asks for a service; nothing heavy is built until one does. Notices (a missing
model, a rebuilt cache) are collected once per run and printed by the CLI on stderr.

One :class:`Services` serves a whole run. Files whose configs set different cache
policies get views of it (:meth:`Services.with_cache`) that share its notices and its
built instances, so nothing is mutated per file and a model is loaded once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get("REDLINE_CACHE_DIR") or user_cache_dir("redline"))


@dataclass
class NoticeLog:
    """The notices of a run, each once, and how many were raised (repeats included)."""

    messages: list[str] = field(default_factory=list)
    issued: int = 0

    def add(self, message: str) -> None:
        self.issued += 1
        if message not in self.messages:
            self.messages.append(message)


@dataclass
class Services:
    cache_dir: Path | None = None
    use_cache: bool = True
    log: NoticeLog = field(default_factory=NoticeLog)
    _instances: dict[Any, Any] = field(default_factory=dict)

    @property
    def notices(self) -> list[str]:
        return self.log.messages

    @property
    def issued(self) -> int:
        """Notices raised so far, repeats included (a result that raised one is not cached)."""
        return self.log.issued

    def notice(self, message: str) -> None:
        self.log.add(message)

    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or default_cache_dir()

    def with_cache(self, use_cache: bool, cache_dir: Path | None) -> Services:
        """A view with another cache policy, sharing this one's notices and instances."""
        if (use_cache, cache_dir) == (self.use_cache, self.cache_dir):
            return self
        return Services(cache_dir, use_cache, self.log, self._instances)

    def shared(self, key: Any, factory: Any) -> Any:
        """One instance per ``key`` for the whole run, built by ``factory()`` on first use."""
        if key not in self._instances:
            self._instances[key] = factory()
        return self._instances[key]
