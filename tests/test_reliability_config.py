"""Bad configuration through the real command: an error naming file, line and key or rule; exit 2.

Config errors are found before any text is analysed, so these runs do not import spaCy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability_helpers import no_traceback, run_cli

GOOD = "Read the the manual first.\n"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('select = ["RL1"]\nfail-on = \n', "redline.toml:2: invalid TOML: Invalid value"),
        (
            'select = ["RL1"]\n\nfial-on = "error"\n',
            "redline.toml:3: unknown key 'fial-on' (did you mean 'fail-on'?)",
        ),
        ('cross-file = "yes"\n', "redline.toml:1: 'cross-file' must be true or false"),
        ('select = "RL1"\n', "redline.toml:1: 'select' must be a list of strings"),
        (
            "[rules.RL301]\nmax-words = 'ten'\n",
            "redline.toml:2: [rules.readability.long-sentence] max-words: expected an integer, got 'ten'",
        ),
        (
            "max-file-size = '2MB'\n",
            "redline.toml:1: 'max-file-size' must be a number of bytes (0: no limit)",
        ),
        ('rule-packs = ["missing.toml"]\n', "missing.toml: rule pack not found"),
    ],
    ids=[
        "malformed",
        "unknown-key",
        "wrong-type",
        "not-a-list",
        "rule-option",
        "max-file-size",
        "missing-pack",
    ],
)
def test_config_errors_name_file_line_and_key(tmp_path: Path, config: str, message: str) -> None:
    (tmp_path / "redline.toml").write_text(config)
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "doc.md"], tmp_path)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [f"redline: error: {tmp_path}/{message}"]


@pytest.mark.parametrize("target", [[], ["."], ["doc.md"], ["--jobs=2", "doc.md", "other.md"]])
def test_a_broken_config_is_reported_whatever_the_targets(tmp_path: Path, target: list[str]) -> None:
    (tmp_path / "redline.toml").write_text("fail-on = \n")
    (tmp_path / "doc.md").write_text(GOOD)
    (tmp_path / "other.md").write_text(GOOD)
    run = run_cli(["--no-cache", *target], tmp_path)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"redline: error: {tmp_path}/redline.toml:1: invalid TOML: Invalid value"
    ]


def test_config_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "redline.toml").write_bytes(b"\xff = 1\n")
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "doc.md"], tmp_path)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [f"redline: error: {tmp_path}/redline.toml: config is not valid UTF-8"]


PACK = """[pack]
name = "house"

[[rule]]
code = "HS1"
name = "house.pattern"
kind = "existence"
message = "Found '{{match}}'"
patterns = [{patterns}]
"""


def test_pack_with_a_bad_regular_expression(tmp_path: Path) -> None:
    (tmp_path / "redline.toml").write_text('rule-packs = ["house.toml"]\n')
    (tmp_path / "house.toml").write_text(PACK.format(patterns="'ok', '(a)\\1'"))
    (tmp_path / "doc.md").write_text(GOOD)
    run = run_cli(["--no-cache", "doc.md"], tmp_path)
    no_traceback(run)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"redline: error: {tmp_path}/house.toml:9: rule HS1: invalid pattern '(a)\\\\1': "
        "invalid escape sequence: \\1"  # the pattern is quoted as in the TOML file
    ]


def test_pack_with_a_catastrophic_regular_expression_runs_in_linear_time(tmp_path: Path) -> None:
    # With a backtracking engine, "(a+)+$" on 30,000 a's and a "!" would not finish; pack
    # patterns are compiled with RE2, which matches in linear time.
    (tmp_path / "redline.toml").write_text('rule-packs = ["house.toml"]\n')
    (tmp_path / "house.toml").write_text(PACK.format(patterns="'(a+)+$', '(x|x)*y', '(\\w+\\s?)*!'"))
    (tmp_path / "doc.md").write_text("a" * 30_000 + "!\n\n" + "word " * 5_000 + "\n")
    run = run_cli(["--no-cache", "--select", "HS1", "doc.md"], tmp_path)
    no_traceback(run)
    assert run.returncode in (0, 1)
    assert run.seconds < 60, run.seconds  # measured: 6 s, most of it start-up
