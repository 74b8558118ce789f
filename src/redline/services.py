"""Shared, lazily built services that rules may use (embedding model, caches).

A rule asks for a service; nothing heavy is built until one does. Notices (a missing
model, a rebuilt cache) are collected once per run and printed by the CLI on stderr.
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
class Services:
    cache_dir: Path | None = None
    use_cache: bool = True
    notices: list[str] = field(default_factory=list)
    #: Notices raised so far, repeats included (a result that raised one is not cached).
    issued: int = 0
    _instances: dict[Any, Any] = field(default_factory=dict)

    def notice(self, message: str) -> None:
        self.issued += 1
        if message not in self.notices:
            self.notices.append(message)

    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or default_cache_dir()

    def shared(self, key: Any, factory: Any) -> Any:
        """One instance per ``key`` for the whole run, built by ``factory()`` on first use."""
        if key not in self._instances:
            self._instances[key] = factory()
        return self._instances[key]
