"""The command line as ruff and Vale users expect it: strict selectors, quiet runs, filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app, with_default_command

DIRTY = "# Notes\n\nRead the the manual before you start.\n"
FINDING = "dirty.md:3:6: RL106 Doubled word: 'the' written twice"
# 120 words, 12 sentences: long enough for a readability line.
LONG = "# Notes\n\n" + "The team reads the manual before it starts the work on the new site. " * 12 + "\n"

PACK = """[pack]
name = "house"

[[rule]]
code = "HS101"
name = "house.no-jargon"
kind = "substitution"
message = "Write '{replacement}', not '{match}'"
[rule.swap]
"leverage" = "use"
"""


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, with_default_command(list(args)), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redline.toml").write_text('select = ["RL106", "RL301"]\n', encoding="utf-8")
    (tmp_path / "dirty.md").write_text(DIRTY, encoding="utf-8")
    return tmp_path


# -- bug 1: a mistyped selector is an error everywhere ---------------------------------------


@pytest.mark.parametrize(
    ("option", "selector", "message"),
    [
        ("--select", "RL1O6", "selector 'RL1O6' matches no rule (did you mean 'RL106'?)"),
        ("--select", "doubled-wrd", "selector 'doubled-wrd' matches no rule (did you mean 'doubled-word'?)"),
        ("--ignore", "nonsense", "selector 'nonsense' matches no rule"),
        ("--extend-select", "RL1O6", "selector 'RL1O6' matches no rule (did you mean 'RL106'?)"),
        ("--extend-ignore", "redundancy.doubled-wrd", "selector 'redundancy.doubled-wrd' matches no rule "
         "(did you mean 'redundancy.doubled-word'?)"),
    ],
)  # fmt: skip
def test_unknown_command_line_selector_is_exit_2(
    tree: Path, option: str, selector: str, message: str
) -> None:
    assert run("dirty.md", option, selector) == (2, "", f"redline: error: {option}: {message}\n")


def test_unknown_selector_on_stdin_and_in_report_is_exit_2(tree: Path) -> None:
    error = "redline: error: --select: selector 'RL1O6' matches no rule (did you mean 'RL106'?)\n"
    assert run("-", "--select", "RL1O6", stdin=DIRTY) == (2, "", error)
    code, _, err = run("report", "dirty.md", "--select", "RL1O6")
    assert (code, err) == (2, error)


def test_short_name_selects_and_ignores_like_explain(tree: Path) -> None:
    assert run("dirty.md", "--select", "doubled-word") == (
        1,
        f"{FINDING}\nFound 1 finding (1 warning) in 1 of 1 file.\n",
        "",
    )
    assert run("dirty.md", "--ignore", "doubled-word")[:2] == (0, "No findings in 1 file.\n")
    (tree / "redline.toml").write_text('select = ["doubled-word"]\n', encoding="utf-8")
    assert run("dirty.md")[:2] == (1, f"{FINDING}\nFound 1 finding (1 warning) in 1 of 1 file.\n")


def test_unknown_selector_in_config_suggests(tree: Path) -> None:
    (tree / "redline.toml").write_text('select = ["RL1O6"]\n', encoding="utf-8")
    code, out, err = run("dirty.md")
    assert (code, out) == (2, "No findings in 0 files. 1 could not be checked.\n")
    assert (
        err
        == f"redline: error: {tree / 'redline.toml'}:1: selector 'RL1O6' matches no rule (did you mean 'RL106'?)\n"
    )


def test_unknown_selector_in_an_override_is_an_error(tree: Path) -> None:
    (tree / "redline.toml").write_text(
        '[[overrides]]\nfiles = ["*.md"]\nignore = ["doubled-wrd"]\n', encoding="utf-8"
    )
    code, _, err = run("dirty.md")
    assert code == 2
    assert err.endswith("selector 'doubled-wrd' matches no rule (did you mean 'doubled-word'?)\n")


def test_pack_rules_from_config_are_valid_selectors(tree: Path) -> None:
    (tree / "house.toml").write_text(PACK, encoding="utf-8")
    (tree / "redline.toml").write_text('rule-packs = ["house.toml"]\n', encoding="utf-8")
    (tree / "story.md").write_text("We leverage it.\n", encoding="utf-8")
    expected = "story.md:1:4: HS101 Write 'use', not 'leverage'\n"
    for selector in ("HS101", "house", "no-jargon", "house.no-jargon"):
        assert run("story.md", "--select", selector, "--quiet") == (1, expected, ""), selector
    assert run("story.md", "--select", "no-jargn")[2] == (
        "redline: error: --select: selector 'no-jargn' matches no rule (did you mean 'no-jargon'?)\n"
    )


# -- bug 6: the readability line only for long documents; --quiet ------------------------------


def test_readability_line_only_from_100_words(tree: Path) -> None:
    assert run("dirty.md")[1] == f"{FINDING}\nFound 1 finding (1 warning) in 1 of 1 file.\n"
    (tree / "long.md").write_text(LONG, encoding="utf-8")
    lines = run("long.md")[1].splitlines()
    assert lines[0] == "No findings in 1 file."
    assert lines[1].startswith("Readability: grade ")
    assert len(lines) == 2


def test_quiet_prints_findings_only(tree: Path) -> None:
    (tree / "long.md").write_text(LONG + "\nRead the the manual.\n", encoding="utf-8")
    assert run("long.md", "dirty.md", "--quiet") == (
        1,
        f"long.md:5:6: RL106 Doubled word: 'the' written twice\n{FINDING}\n",
        "",
    )
    assert run("dirty.md", "-q", "--ignore", "RL106") == (0, "", "")


# -- ruff conventions -------------------------------------------------------------------------


def test_exit_zero_keeps_exit_2_for_errors(tree: Path) -> None:
    assert run("dirty.md", "--exit-zero")[0] == 0
    assert run("dirty.md", "missing.md", "--exit-zero")[0] == 2


def test_output_format_is_an_alias_of_format(tree: Path) -> None:
    code, out, _ = run("dirty.md", "--output-format", "json")
    assert code == 1
    assert out == run("dirty.md", "--format", "json")[1]
    assert json.loads(out)["files"][0]["findings"][0]["code"] == "RL106"


def test_min_severity_hides_findings_and_their_exit_code(tree: Path) -> None:
    assert run("dirty.md", "--min-severity", "error") == (0, "No findings in 1 file.\n", "")
    assert run("dirty.md", "--min-severity", "warning")[0] == 1
    (tree / "redline.toml").write_text(
        'select = ["RL106"]\nmin-severity = "warning"\n[rules.RL106]\nseverity = "info"\n', encoding="utf-8"
    )
    assert run("dirty.md") == (0, "No findings in 1 file.\n", "")
    assert run("dirty.md", "--min-severity", "info", "--fail-on", "info")[:2] == (
        1,
        f"{FINDING}\nFound 1 finding (1 info) in 1 of 1 file.\n",
    )


def test_min_severity_in_config_must_be_a_severity(tree: Path) -> None:
    (tree / "redline.toml").write_text('min-severity = "loud"\n', encoding="utf-8")
    code, _, err = run("dirty.md")
    assert code == 2
    assert "min-severity" in err and "unknown severity 'loud'" in err


def test_extend_ignore_in_config(tree: Path) -> None:
    (tree / "redline.toml").write_text(
        'select = ["RL1"]\nextend-ignore = ["doubled-word"]\n', encoding="utf-8"
    )
    assert run("dirty.md")[:2] == (0, "No findings in 1 file.\n")


def test_show_fixes_lists_available_then_applied_fixes(tree: Path) -> None:
    assert run("dirty.md", "--show-fixes") == (
        1,
        f"{FINDING}\nFound 1 finding (1 warning) in 1 of 1 file.\nFixable dirty.md:3:6: RL106 ' the' -> ''\n",
        "",
    )
    assert run("dirty.md", "--fix", "--show-fixes") == (
        0,
        "No findings in 1 file.\nFixed 1 finding.\nFixed dirty.md: 1 × RL106\n",
        "",
    )
    assert (tree / "dirty.md").read_text(encoding="utf-8") == "# Notes\n\nRead the manual before you start.\n"


# -- bug 4: Markdown on stdin ---------------------------------------------------------------

FENCED = "Read the manual.\n\n```\nthe the\n```\n\nRead the the guide.\n"


def test_stdin_markdown_is_linted_as_markdown(tree: Path) -> None:
    assert run("-", "--quiet", stdin=FENCED) == (1, "-:7:6: RL106 Doubled word: 'the' written twice\n", "")


def test_stdin_plain_text_stays_plain_and_stdin_filename_decides(tree: Path) -> None:
    plain = "Plain the the text.\n    Indented the the text.\n"
    assert run("-", "--quiet", stdin=plain)[1] == (
        "-:1:7: RL106 Doubled word: 'the' written twice\n-:2:14: RL106 Doubled word: 'the' written twice\n"
    )
    assert run("-", "--quiet", "--stdin-filename", "notes.txt", stdin=FENCED)[1] == (
        "notes.txt:4:1: RL106 Doubled word: 'the' written twice\n"
        "notes.txt:7:6: RL106 Doubled word: 'the' written twice\n"
    )


def test_a_broken_config_is_reported_before_selectors_are_judged(tree: Path) -> None:
    (tree / "redline.toml").write_text('rule-packs = ["missing-pack-name"]\n', encoding="utf-8")
    code, _, err = run("dirty.md", "--select", "house")
    assert code == 2
    assert err.startswith(
        f"redline: error: {tree / 'redline.toml'}:1: rule-packs: no file or installed pack named 'missing-pack-name'"
    )
