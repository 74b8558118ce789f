"""Every ``--format`` snapshot-tested on the shared sample, plus exact checks of what each
format promises (columns, escaping, related locations, fixes) and the CLI wiring.

Regenerate the snapshots with ``REDLINE_UPDATE_SNAPSHOTS=1 pytest tests/test_output_formats.py``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from output_sample import assert_snapshot, sample_run
from redline.cli import OutputFormat, app, with_default_command
from redline.engine import RunResult
from redline.output import FORMATS, OutputOptions, formatter
from redline.output.github import escape_data, escape_property

SNAPSHOT_FILES = {
    ("text", False): "sample.text.txt",
    ("text", True): "sample.text-source.txt",
    ("json", False): "sample.json",
    ("sarif", False): "sample.sarif",
    ("github", False): "sample.github.txt",
    ("rdjson", False): "sample.rdjson.json",
    ("junit", False): "sample.junit.xml",
    ("vale-json", False): "sample.vale.json",
}


def render(name: str, run: RunResult | None = None, **options: bool) -> str:
    return formatter(name)(run or sample_run(), OutputOptions(**options))


@pytest.mark.parametrize(("name", "show_source"), list(SNAPSHOT_FILES), ids=str)
def test_snapshot(name: str, show_source: bool) -> None:
    assert_snapshot(SNAPSHOT_FILES[name, show_source], render(name, show_source=show_source))


def test_every_format_is_registered_snapshotted_and_on_the_command_line() -> None:
    assert set(FORMATS) == {f.value for f in OutputFormat}
    assert set(FORMATS) == {name for name, _ in SNAPSHOT_FILES}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_empty_run_renders(name: str) -> None:
    assert isinstance(render(name, RunResult()), str)


# -- github ------------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext%3A a%2C b"


def test_github_annotation_for_a_finding_with_a_related_location() -> None:
    lines = render("github").splitlines()
    assert lines[1] == (
        "::error file=docs/guide.md,line=5,col=1,endLine=5,endColumn=58,"
        "title=RL101 redundancy.repeated-sentence::"
        "Sentence repeats docs/intro.md line 3 word for word%0Arelated: docs/intro.md:3:1: earlier occurrence"
    )
    assert lines[3].startswith("::warning file=notes/50%25 done%2C v2.txt,line=1,col=1,")


# -- rdjson ------------------------------------------------------------------------------


def test_rdjson_columns_are_utf8_bytes_and_fixes_are_suggestions() -> None:
    doubled = json.loads(render("rdjson"))["diagnostics"][0]
    # "Our café 🍰 serves the the": 18 code points before "the" (column 19), 22 UTF-8 bytes.
    assert doubled["location"]["range"] == {
        "start": {"line": 3, "column": 23},
        "end": {"line": 3, "column": 30},
    }
    assert doubled["suggestions"] == [
        {"range": {"start": {"line": 3, "column": 26}, "end": {"line": 3, "column": 30}}, "text": ""}
    ]
    assert doubled["code"] == {"value": "RL106"}
    assert doubled["severity"] == "WARNING"


def test_rdjson_related_location_in_another_file() -> None:
    repeated = json.loads(render("rdjson"))["diagnostics"][1]
    assert repeated["related_locations"] == [
        {
            "message": "earlier occurrence",
            "location": {
                "path": "docs/intro.md",
                "range": {"start": {"line": 3, "column": 1}, "end": {"line": 3, "column": 58}},
            },
        }
    ]


# -- junit -------------------------------------------------------------------------------


def test_junit_structure() -> None:
    root = ET.fromstring(render("junit"))
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == (
        "testsuites",
        "7",
        "4",
        "2",
    )
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == [
        "docs/guide.md",
        "docs/intro.md",
        "notes/50% done, v2.txt",
        "notes/broken.md",
        "redline.toml",
    ]
    guide_cases = [c.get("name") for c in suites["docs/guide.md"].iter("testcase")]
    assert guide_cases == [
        "RL106 redundancy.doubled-word (3:19)",
        "RL101 redundancy.repeated-sentence (5:1)",
        "RL301 readability.long-sentence (7:1)",
    ]
    (clean,) = suites["docs/intro.md"].iter("testcase")
    assert (clean.get("name"), list(clean)) == ("redline", [])
    failure = suites["notes/50% done, v2.txt"].find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == "Write 'research & development', not 'R&D' (house style: no <abbr>)"
    assert failure.get("type") == "ACME001 warning"


def test_junit_drops_characters_xml_cannot_carry() -> None:
    run = sample_run()
    run.files[0].findings[0].message = "bell\x07 and form feed\x0c"
    failure = ET.fromstring(render("junit", run)).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "bell\ufffd and form feed\ufffd"


# -- the command line --------------------------------------------------------------------


@pytest.fixture
def dirty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redline.toml").write_text('select = ["RL106"]\n', encoding="utf-8")
    (tmp_path / "café.md").write_text("# Notes\n\nÀ 🍰 read the the manual.\n", encoding="utf-8")
    return tmp_path


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, with_default_command(list(args)))
    return result.exit_code, result.stdout, result.stderr


def test_cli_github_format(dirty: Path) -> None:
    assert cli("--format", "github", "café.md") == (
        1,
        "::warning file=café.md,line=3,col=10,endLine=3,endColumn=17,"
        "title=RL106 redundancy.doubled-word::Doubled word: 'the' written twice\n",
        "",
    )


def test_cli_statistics_go_to_stderr_for_machine_formats(dirty: Path) -> None:
    code, out, err = cli("--format", "rdjson", "--statistics", "café.md")
    assert code == 1
    assert [d["code"]["value"] for d in json.loads(out)["diagnostics"]] == ["RL106"]
    assert err == "    1  RL106   redundancy.doubled-word\n"


def test_cli_statistics_stay_in_text_output(dirty: Path) -> None:
    code, out, err = cli("--statistics", "café.md")
    assert (code, err) == (1, "")
    assert out.splitlines()[:3] == [
        "café.md:3:10: RL106 Doubled word: 'the' written twice",
        "    1  RL106   redundancy.doubled-word",
        "Found 1 finding (1 warning) in 1 of 1 file.",
    ]


def test_cli_junit_to_output_file(dirty: Path) -> None:
    code, out, _ = cli("--format", "junit", "-o", "report.xml", "café.md")
    assert (code, out) == (1, "")
    root = ET.fromstring((dirty / "report.xml").read_text(encoding="utf-8"))
    assert [c.get("name") for c in root.iter("testcase")] == ["RL106 redundancy.doubled-word (3:10)"]
