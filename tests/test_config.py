"""Config files: discovery, nearest wins, errors naming file, line and key, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.config import ConfigError, find_config, load_config
from redline.engine import Linter, LintOptions
from redline.selection import CommandLineSettings

DOUBLE_AND_LONG = "Read the the manual. One two three four five six seven eight nine ten eleven.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def codes(tmp_path: Path, target: Path, **options: object) -> list[str]:
    result = Linter(LintOptions(**options)).lint_paths([str(target)])  # type: ignore[arg-type]
    assert not result.errors, result.errors
    return [f.code for r in result.files for f in r.findings]


def error_of(tmp_path: Path, text: str, name: str = "redline.toml") -> str:
    config = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    return str(caught.value).replace(str(tmp_path), "<tmp>")


def test_unknown_top_level_key_names_file_line_and_key(tmp_path: Path) -> None:
    assert error_of(tmp_path, 'select = ["RL1"]\nfial-on = "error"\n') == (
        "<tmp>/redline.toml:2: unknown key 'fial-on' (did you mean 'fail-on'?)"
    )


def test_wrong_type(tmp_path: Path) -> None:
    assert (
        error_of(tmp_path, 'select = "RL1"\n') == "<tmp>/redline.toml:1: 'select' must be a list of strings"
    )


def test_bad_severity(tmp_path: Path) -> None:
    assert error_of(tmp_path, '\n[rules.RL101]\nseverity = "fatal"\n') == (
        "<tmp>/redline.toml:3: 'rules.RL101.severity': unknown severity 'fatal' (expected info, warning or error)"
    )


def test_malformed_toml_reports_line(tmp_path: Path) -> None:
    assert error_of(tmp_path, 'select = ["RL1"]\nignore = [\n').startswith(
        "<tmp>/redline.toml:3: invalid TOML:"
    )


def test_pyproject_errors_use_pyproject_lines(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n\n[tool.redline]\nselect = ["RL1"]\ncolour = true\n'
    assert error_of(tmp_path, text, "pyproject.toml") == "<tmp>/pyproject.toml:6: unknown key 'colour'"


def test_unknown_override_key(tmp_path: Path) -> None:
    text = '[[overrides]]\nfiles = ["a/*.md"]\n\n[[overrides]]\nfiles = ["b/*.md"]\nsellect = ["RL1"]\n'
    assert error_of(tmp_path, text) == "<tmp>/redline.toml:6: unknown key 'sellect' in [[overrides]]"


def test_rule_option_errors_are_reported_when_linting(tmp_path: Path) -> None:
    write(tmp_path / "redline.toml", '[rules.long-sentence]\nmax-words = "ten"\n')
    doc = write(tmp_path / "a.md", "Text.\n")
    result = Linter().lint_paths([str(doc)])
    assert [str(e).replace(str(tmp_path), "<tmp>") for e in result.errors] == [
        "<tmp>/redline.toml:2: [rules.readability.long-sentence] max-words: expected an integer, got 'ten'"
    ]
    assert result.exit_code() == 2


def test_rule_table_naming_no_rule(tmp_path: Path) -> None:
    write(tmp_path / "redline.toml", 'fail-on = "error"\n\n[rules.RL999]\nx = 1\n')
    doc = write(tmp_path / "a.md", "Text.\n")
    (error,) = Linter().lint_paths([str(doc)]).errors
    assert (error.line, error.message) == (3, "[rules.RL999]: no rule has this code or name")


def test_nearest_config_wins(tmp_path: Path) -> None:
    write(tmp_path / "redline.toml", 'select = ["RL106"]\n')
    write(
        tmp_path / "sub" / "pyproject.toml",
        '[tool.redline]\nselect = ["RL301"]\n[tool.redline.rules.RL301]\nmax-words = 5\n',
    )
    top = write(tmp_path / "top.md", DOUBLE_AND_LONG)
    nested = write(tmp_path / "sub" / "deep" / "nested.md", DOUBLE_AND_LONG)
    assert find_config(nested.parent) == tmp_path / "sub" / "pyproject.toml"
    assert codes(tmp_path, top) == ["RL106"]
    assert codes(tmp_path, nested) == ["RL301"]


def test_pyproject_without_redline_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "redline.toml", 'select = ["RL106"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(tmp_path / "sub") == tmp_path / "redline.toml"


def test_config_option_overrides_search(tmp_path: Path) -> None:
    write(tmp_path / "redline.toml", 'select = ["RL106"]\n')
    other = write(
        tmp_path / "elsewhere" / "custom.toml", 'select = ["RL301"]\n[rules.RL301]\nmax-words = 5\n'
    )
    doc = write(tmp_path / "a.md", DOUBLE_AND_LONG)
    assert codes(tmp_path, doc, config_path=other) == ["RL301"]


def test_overrides_by_glob(tmp_path: Path) -> None:
    write(
        tmp_path / "redline.toml",
        'select = ["RL106", "RL301"]\n[rules.RL301]\nmax-words = 5\n\n'
        '[[overrides]]\nfiles = ["changelog/**"]\nignore = ["RL3"]\n\n'
        '[[overrides]]\nfiles = ["*.txt"]\n[overrides.rules.RL301]\nmax-words = 100\n',
    )
    assert codes(tmp_path, write(tmp_path / "docs" / "a.md", DOUBLE_AND_LONG)) == ["RL106", "RL301"]
    assert codes(tmp_path, write(tmp_path / "changelog" / "v1" / "b.md", DOUBLE_AND_LONG)) == ["RL106"]
    assert codes(tmp_path, write(tmp_path / "notes" / "c.txt", DOUBLE_AND_LONG)) == ["RL106"]


def test_severity_and_fail_on(tmp_path: Path) -> None:
    write(
        tmp_path / "redline.toml", 'fail-on = "error"\nselect = ["RL106"]\n[rules.RL106]\nseverity = "info"\n'
    )
    doc = write(tmp_path / "a.md", DOUBLE_AND_LONG)
    result = Linter().lint_paths([str(doc)])
    assert [(f.code, f.severity.label) for f in result.files[0].findings] == [("RL106", "info")]
    assert result.exit_code() == 0


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        (["RL1"], [], ["RL106"]),
        (["RL"], ["RL106"], ["RL301"]),
        (["RL106"], ["RL1"], ["RL106"]),  # the more specific selector wins
        (["RL1"], ["RL1"], []),  # a tie goes to ignore
        (["readability"], [], ["RL301"]),
        (["redundancy.doubled-word"], [], ["RL106"]),
    ],
)
def test_select_ignore_longest_prefix_wins(
    tmp_path: Path, select: list[str], ignore: list[str], expected: list[str]
) -> None:
    write(tmp_path / "redline.toml", "[rules.RL301]\nmax-words = 5\n")
    doc = write(tmp_path / "a.md", DOUBLE_AND_LONG)
    cli = CommandLineSettings(select=select, ignore=ignore)
    assert [c for c in codes(tmp_path, doc, command_line=cli) if c in {"RL106", "RL301"}] == expected


def test_selector_matching_nothing_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "redline.toml", 'ignore = ["RL9"]\n')
    doc = write(tmp_path / "a.md", "Text.\n")
    (error,) = Linter().lint_paths([str(doc)]).errors
    assert error.message == "selector 'RL9' matches no rule"
