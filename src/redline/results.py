"""What a run produces: per-file results, file errors and notices.

Output formats, fixes, the review report and the language server read these and nothing
else of the engine, so none of them imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from redline.document import Document
from redline.findings import Finding, Severity
from redline.rules.base import RuleMeta
from redline.source import Source

#: ``(files done, files in the run, path just done)``: the CLI draws a progress bar with it.
Progress = Callable[[int, int, str], None]


@dataclass
class FileResult:
    path: str
    source: Source
    document: Document
    findings: list[Finding]
    metrics: dict[str, Any] = field(default_factory=dict)
    fail_on: Severity = Severity.WARNING
    #: Findings below this severity are dropped from the result (not shown, not counted).
    min_severity: Severity = Severity.INFO


@dataclass(frozen=True)
class FileError:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: The metadata of every rule that could have reported in this run, by code.
    rules: dict[str, RuleMeta] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """True when any finding is at or above its file's fail level."""
        return any(f.severity >= r.fail_on for r in self.files for f in r.findings)

    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.failed else 0

    def file(self, path: str) -> FileResult | None:
        return next((r for r in self.files if r.path == path), None)

    def add_error(self, error: FileError) -> None:
        """Record ``error`` once (a broken config is met by every file under it)."""
        if error not in self.errors:
            self.errors.append(error)


class SourceLinter(Protocol):
    """What fixes need of the engine: lint a text again after editing it."""

    def lint_source(self, source: Source, config_path: Path | None = None) -> RunResult: ...
