"""Shared test helpers: lint a string through the real engine, describe findings compactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from redline.config import Config, RuleSettings
from redline.engine import Linter
from redline.findings import Finding
from redline.results import RunResult
from redline.selection import CommandLineSettings
from redline.settings import LintOptions
from redline.source import Source

#: The shared corpus sits beside the repository (``../shared/corpus``), for developers and CI alike.
SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def shared_corpus(*parts: str) -> Path:
    """A path in the shared corpus; a missing corpus fails loudly instead of collecting nothing."""
    path = SHARED_CORPUS.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"the shared corpus is missing: {path} (the tests expect ../shared beside the repository)"
        )
    return path


def lint_text(
    text: str,
    *,
    path: str = "doc.md",
    select: list[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    config: Config | None = None,
    cache_dir: Path | None = None,
    verbose: bool = False,
) -> RunResult:
    """Lint ``text`` as if it were the file ``path`` (its extension picks the syntax).

    ``options`` maps a rule code or name to its option table, as ``[rules.X]`` would.
    """
    config = config or Config(root=Path("/nonexistent-root"))
    for key, table in (options or {}).items():
        config.rules[key] = RuleSettings(options=dict(table))
    linter = Linter(
        LintOptions(
            command_line=CommandLineSettings(select=select),
            cache_dir=cache_dir,
            use_cache=cache_dir is not None,
            verbose=verbose,
            config=config,
        )
    )
    return linter.lint_source(Source(path, text, "utf-8"))


def describe(result: RunResult) -> list[str]:
    """``["line:col: CODE message", ...]`` for every finding of the run's only file."""
    (file_result,) = result.files
    lines = file_result.document.lines
    return [_describe(f, lines) for f in file_result.findings]


def _describe(finding: Finding, lines: Any) -> str:
    line, column = lines.position(finding.start)
    return f"{line}:{column}: {finding.code} {finding.message}"
