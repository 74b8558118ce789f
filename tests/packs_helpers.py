"""Helpers for rule-pack tests: write a pack to a temporary folder and lint with it."""

from __future__ import annotations

from pathlib import Path

from helpers import describe, lint_text
from redline.config import Config
from redline.engine import RunResult
from redline.fixes import apply_edits, select_edits

PACK_HEAD = '[pack]\nname = "house"\n\n'


def lint_with_pack(
    tmp_path: Path, rules: str, text: str, *, path: str = "doc.md", select: list[str] | None = None
) -> RunResult:
    """Lint ``text`` with a pack made of ``rules`` (``[[rule]]`` tables), only its rules selected."""
    pack = tmp_path / "house.toml"
    pack.write_text(PACK_HEAD + rules, encoding="utf-8")
    config = Config(root=tmp_path, rule_packs=[pack])
    return lint_text(text, path=path, select=select or ["HS"], config=config)


def fixed_text(text: str, result: RunResult, unsafe: bool = False) -> str:
    """``text`` after one pass of the fixes of the run's only file."""
    (file_result,) = result.files
    edits, _ = select_edits(file_result.findings, unsafe)
    return apply_edits(text, edits)


def check_pack(tmp_path: Path, rules: str, text: str, **kwargs: object) -> list[str]:
    return describe(lint_with_pack(tmp_path, rules, text, **kwargs))  # type: ignore[arg-type]
