"""``redline archive``: incremental build, check against the archive, report, the Ray engine.

These tests use the hashed bag-of-words stand-in embedder (``backend = "hashed"``): it is
deterministic across processes and needs no model, and sentences made of the same words
are close under it, which is what a planted restatement here is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app, with_default_command

pytest.importorskip("faiss")
pytest.importorskip("pyarrow")

CONFIG = '[rules.near-duplicate]\nbackend = "hashed"\n'
A = (
    "# Release notes\n"
    "\n"
    "The release team publishes the nightly builds to the public mirror every evening.\n"
    "\n"
    "Our gardeners planted rows of tulips along the northern wall of the old library.\n"
)
B = (
    "# Handbook\n"
    "\n"
    "Visitors must sign the register at the front desk before entering the laboratory.\n"
    "\n"
    "The cafeteria serves a vegetarian lunch on weekdays between noon and two o'clock.\n"
)
C = (
    "# Mirror\n"
    "\n"
    "Every evening the release team publishes nightly builds to the public mirror.\n"
    "\n"
    "Our choir rehearses new songs in the chapel on Thursday nights through the winter.\n"
)
NEW = (
    "# News\n"
    "\n"
    "Visitors must sign the register at the front desk before they enter the laboratory.\n"
    "\n"
    "The weather stayed calm and dry for most of the afternoon across the whole valley.\n"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, with_default_command(list(args)))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redline.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "a.md").write_text(A, encoding="utf-8")
    (tmp_path / "archive" / "b.md").write_text(B, encoding="utf-8")
    (tmp_path / "new.md").write_text(NEW, encoding="utf-8")
    return tmp_path


def summary(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("redline archive: ")]
    assert len(lines) == 1, err
    return lines[0].split(": ", 2)[2]


def test_build_embeds_only_new_or_changed_units_and_drops_deleted_ones(site: Path) -> None:
    code, _, err = run("archive", "--index", "idx", "build", "archive", "--no-cache")
    assert code == 0, err
    assert summary(err) == (
        "4 units in 2 files: 2 added, 0 changed, 0 removed, 0 unchanged; "
        "4 units added, 0 removed, 4 embedded; index built"
    )
    code, _, err = run("archive", "--index", "idx", "build", "archive", "--no-cache")
    assert summary(err) == (
        "4 units in 2 files: 0 added, 0 changed, 0 removed, 2 unchanged; "
        "0 units added, 0 removed, 0 embedded; index updated"
    )
    # one sentence of b.md changed (the other keeps its vector), c.md added: 1 + 2 embedded
    (site / "archive" / "b.md").write_text(B.replace("two o'clock", "three o'clock"), encoding="utf-8")
    (site / "archive" / "c.md").write_text(C, encoding="utf-8")
    code, _, err = run("archive", "--index", "idx", "build", "archive", "--no-cache")
    assert summary(err) == (
        "6 units in 3 files: 1 added, 1 changed, 0 removed, 1 unchanged; "
        "4 units added, 2 removed, 3 embedded; index updated"
    )
    (site / "archive" / "a.md").unlink()
    code, _, err = run("archive", "--index", "idx", "build", "archive", "--no-cache")
    assert summary(err) == (
        "4 units in 2 files: 0 added, 0 changed, 1 removed, 2 unchanged; "
        "0 units added, 2 removed, 0 embedded; index updated"
    )
    header = json.loads((site / "idx" / "archive.json").read_text("utf-8"))
    assert (header["files"], header["units"], header["dim"]) == (2, 4, 384)
    import pyarrow.parquet as pq

    paths = pq.read_table(site / "idx" / "units.parquet", columns=["path"]).column("path").to_pylist()
    assert sorted(set(paths)) == ["archive/b.md", "archive/c.md"]


def test_check_reports_the_archived_sentence_as_a_related_location(site: Path) -> None:
    assert run("archive", "--index", "idx", "build", "archive", "--no-cache")[0] == 0
    code, out, err = run("archive", "--index", "idx", "check", "new.md", "--no-cache")
    assert code == 1, err
    assert out.splitlines()[0] == (
        "new.md:3:1: RL102 Restates the archived sentence at archive/b.md:3:1 (score 0.93)"
    )
    code, out, _ = run("archive", "--index", "idx", "check", "new.md", "--no-cache", "--format", "json")
    (finding,) = json.loads(out)["files"][0]["findings"]
    assert finding["code"] == "RL102"
    assert (finding["start"]["line"], finding["start"]["column"]) == (3, 1)
    assert finding["related"] == [
        {
            "path": "archive/b.md",
            "start": {"line": 3, "column": 1, "offset": 12},
            "end": {"line": 3, "column": 82, "offset": 93},
            "message": 'archived statement of the same claim: "Visitors must sign the register at the '
            'front desk before entering the laboratory."',
        }
    ]


COPY = "# Copy\n\nvisitors must sign the register at the front desk, before entering the laboratory!\n"


def test_check_reports_a_word_for_word_copy_of_an_archived_sentence_as_rl101(site: Path) -> None:
    assert run("archive", "--index", "idx", "build", "archive", "--no-cache")[0] == 0
    (site / "copy.md").write_text(COPY, encoding="utf-8")
    code, out, err = run("archive", "--index", "idx", "check", "copy.md", "--no-cache")
    assert code == 1, err
    assert out.splitlines()[0] == "copy.md:3:1: RL101 Sentence copies archive/b.md:3 word for word"
    assert "RL102" not in out
    code, out, _ = run("archive", "--index", "idx", "check", "copy.md", "--no-cache", "--format", "json")
    (finding,) = json.loads(out)["files"][0]["findings"]
    assert (finding["code"], finding["start"]["line"], finding["start"]["column"]) == ("RL101", 3, 1)
    assert finding["related"] == [
        {
            "path": "archive/b.md",
            "start": {"line": 3, "column": 1, "offset": 12},
            "end": {"line": 3, "column": 82, "offset": 93},
            "message": 'the archived original: "Visitors must sign the register at the '
            'front desk before entering the laboratory."',
        }
    ]


def test_check_reports_a_copy_between_the_checked_files_as_rl101(site: Path) -> None:
    assert run("archive", "--index", "idx", "build", "archive/a.md", "--no-cache")[0] == 0
    (site / "copy.md").write_text(COPY, encoding="utf-8")
    (site / "other.md").write_text(B, encoding="utf-8")
    code, out, _ = run("archive", "--index", "idx", "check", "other.md", "copy.md", "--no-cache")
    assert code == 1
    assert [line for line in out.splitlines() if "RL10" in line] == [
        "copy.md:3:1: RL101 Sentence copies other.md:3 word for word"
    ]


def test_check_keeps_line_numbers_of_an_archived_file_that_is_gone(site: Path) -> None:
    assert run("archive", "--index", "idx", "build", "archive", "--no-cache")[0] == 0
    (site / "archive" / "b.md").unlink()
    code, out, _ = run("archive", "--index", "idx", "check", "new.md", "--no-cache", "--format", "github")
    assert code == 1
    assert "related: archive/b.md:3:1: archived statement of the same claim" in out


def test_check_leaves_out_the_archived_version_of_a_checked_file(site: Path) -> None:
    assert run("archive", "--index", "idx", "build", "archive", "--no-cache")[0] == 0
    code, out, err = run("archive", "--index", "idx", "check", "archive/b.md", "--no-cache")
    assert (code, err) == (0, "")
    assert "RL102" not in out


def test_check_compares_the_checked_files_with_each_other(site: Path) -> None:
    assert run("archive", "--index", "idx", "build", "archive/b.md", "--no-cache")[0] == 0
    (site / "c.md").write_text(C, encoding="utf-8")
    code, out, _ = run("archive", "--index", "idx", "check", "archive/a.md", "c.md", "--no-cache")
    assert code == 1
    assert [line for line in out.splitlines() if "RL102" in line] == [
        'c.md:3:1: RL102 Restates "The release team publishes the nightly builds to the public mirror every…"; '
        "keep the earlier sentence: it came first"
    ]
    code, out, _ = run(
        "archive", "--index", "idx", "check", "archive/a.md", "c.md", "--no-cache", "--format", "json"
    )
    (c,) = [f for f in json.loads(out)["files"] if f["path"] == "c.md"]
    assert [r["path"] for f in c["findings"] if f["code"] == "RL102" for r in f["related"]] == [
        "archive/a.md"
    ]


def test_the_archive_scores_a_pair_as_rl102_does() -> None:
    """The archive's score for two units is the score RL102's own search gives the same pair."""
    from redline.archive.rl102 import document_units, score_pair
    from redline.embedding import Embedder
    from redline.embedding.model_source import resolve_model
    from redline.markup import parse
    from redline.rules.redundancy.claim_search import find_clusters
    from redline.rules.redundancy.near_duplicate import NearDuplicateOptions

    options = NearDuplicateOptions(backend="hashed")
    embedder = Embedder(resolve_model(options.model), "hashed")
    documents = [parse("b.md", B), parse("new.md", NEW)]
    (cluster,) = find_clusters(documents, embedder, options)
    (expected,) = cluster.scores.values()
    first, second = (
        next(u for u in document_units(d, options) if u.text.startswith("Visitors")) for d in documents
    )
    cosine = float(embedder.encode([first.text])[0] @ embedder.encode([second.text])[0])
    assert score_pair(first, second, cosine, options, embedder.tokens) == pytest.approx(expected, abs=1e-6)
    assert score_pair(first, second, cosine, options, embedder.tokens) == pytest.approx(0.93, abs=0.005)


def test_check_without_an_archive_says_which_folder(site: Path) -> None:
    code, out, err = run("archive", "--index", "missing", "check", "new.md", "--no-cache")
    assert (code, out) == (2, "")
    assert err == (
        "redline: error: missing: no archive here (run 'redline archive --index missing build PATH...')\n"
    )


def test_report_lists_claims_made_in_more_than_one_file(site: Path) -> None:
    (site / "archive" / "c.md").write_text(C, encoding="utf-8")
    assert run("archive", "--index", "idx", "build", "archive", "--no-cache")[0] == 0
    code, out, err = run("archive", "--index", "idx", "report")
    assert code == 0, err
    data = json.loads(out)
    assert (data["files"], data["units"], data["model"]) == (3, 6, "all-MiniLM-L6-v2|hashed")
    assert [
        [(m["path"], m["line"], m["column"]) for m in cluster["members"]] for cluster in data["clusters"]
    ] == [[("archive/a.md", 3, 1), ("archive/c.md", 3, 1)]]
    assert data["clusters"][0]["members"][1]["text"] == C.splitlines()[2]


def test_report_as_html_escapes_the_stored_text(site: Path) -> None:
    (site / "archive" / "c.md").write_text(
        C.replace("nightly builds", "nightly <b>builds</b>"), encoding="utf-8"
    )
    (site / "archive" / "a.md").write_text(
        A.replace("nightly builds", "nightly <b>builds</b>"), encoding="utf-8"
    )
    assert run("archive", "--index", "idx", "build", "archive", "--no-cache")[0] == 0
    code, out, err = run("archive", "--index", "idx", "report", "--format", "html")
    assert code == 0, err
    assert "<h1>Claims made in more than one file: 1</h1>" in out
    assert (
        "<li><code>archive/c.md:3:1</code><blockquote>Every evening the release team publishes nightly "
        in out
    )
    assert "nightly &lt;b&gt;builds&lt;/b&gt; to the public mirror.</blockquote>" in out
    assert "<b>" not in out


@pytest.mark.slow
def test_ray_engine_gives_byte_identical_findings(site: Path) -> None:
    pytest.importorskip("ray")
    (site / "archive" / "c.md").write_text(C, encoding="utf-8")
    assert run("archive", "--index", "local", "build", "archive", "--no-cache")[0] == 0
    code, _, err = run(
        "archive", "--index", "ray", "build", "archive", "--no-cache", "--engine", "ray", "--num-cpus", "2"
    )
    assert code == 0, err
    for name in ("units.parquet", "files.parquet", "index.faiss"):
        assert (site / "ray" / name).read_bytes() == (site / "local" / name).read_bytes(), name
    outputs = []
    for index in ("local", "ray"):
        code, out, _ = run("archive", "--index", index, "check", "new.md", "--no-cache", "--format", "json")
        assert code == 1
        outputs.append(out)
    assert outputs[0] == outputs[1]
    reports = [
        run("archive", "--index", index, "report", *engine)[1]
        for index, engine in (("local", ()), ("ray", ("--engine", "ray", "--num-cpus", "2")))
    ]
    assert reports[0].replace('"archive": "local"', "") == reports[1].replace('"archive": "ray"', "")
    assert json.loads(reports[0])["clusters"]


# A reference page (code in it) and a titled article with a speaker, archived; a reference page
# and an article with another speaker, checked. The reference pair scores 0.74: over RL102's
# threshold (0.5), under its reference-threshold (0.96). The two speakers' pair is in two files.
SERVER = (
    "# Server\n"
    "\n"
    "Call `server.close()` to stop the server from accepting new connections.\n"
    "\n"
    "When the configured keep-alive timeout expires, the server closes connections that are idle.\n"
)
BRIDGE = (
    "# Bridge to close\n"
    "\n"
    "The town has one road across the river and no ferry since the storm in March.\n"
    "\n"
    "Next spring the council plans to close the old bridge to all traffic for repairs, Mr Jones said.\n"
)
TIMEOUTS = (
    "# Timeouts\n"
    "\n"
    "Set `server.keepAliveTimeout` to change how long the server waits.\n"
    "\n"
    "The server closes idle connections after the configured keep-alive timeout expires.\n"
)
REPAIRS = (
    "# Repairs\n"
    "\n"
    "Shops on the high street fear a long winter without the visitors from the other bank.\n"
    "\n"
    "The council will close the old bridge to traffic for repairs next spring, Ms Patel said.\n"
)


@pytest.fixture
def structured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redline.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "server.md").write_text(SERVER, encoding="utf-8")
    (tmp_path / "archive" / "bridge.md").write_text(BRIDGE, encoding="utf-8")
    (tmp_path / "timeouts.md").write_text(TIMEOUTS, encoding="utf-8")
    (tmp_path / "repairs.md").write_text(REPAIRS, encoding="utf-8")
    return tmp_path


def _pairs(output: str, checked: set[str]) -> set[tuple[str, int, int, str, int, int]]:
    """(checked path, line, column, other path, line, column) for two statements of one RL102
    claim, one in a checked file and the other elsewhere, from a JSON report."""
    found: set[tuple[str, int, int, str, int, int]] = set()
    for result in json.loads(output)["files"]:
        for finding in result["findings"]:
            if finding["code"] != "RL102":
                continue
            statements = [(result["path"], finding["start"]["line"], finding["start"]["column"])]
            statements += [
                (r.get("path") or result["path"], r["start"]["line"], r["start"]["column"])
                for r in finding["related"]
            ]
            found.update(
                (*mine, *other)
                for mine in statements
                for other in statements
                if mine[0] in checked and other[0] not in checked
            )
    return found


def test_check_finds_the_pairs_cross_file_finds_on_reference_pages_and_across_speakers(
    structured: Path,
) -> None:
    import redline.archive.rl102  # noqa: F401  (registers the "hashed" stand-in for the plain run)

    assert run("archive", "--index", "idx", "build", "archive", "--no-cache")[0] == 0
    checked = ["timeouts.md", "repairs.md"]
    code, out, _ = run("archive", "--index", "idx", "check", *checked, "--no-cache")
    assert code == 1
    assert out.splitlines()[:-1] == [
        "repairs.md:5:1: RL102 Restates the archived sentence at archive/bridge.md:5:1 (score 0.71)"
    ]
    code, cross, _ = run("--cross-file", "--select", "RL102", "archive", *checked, "--no-cache")
    assert code == 1
    assert cross.splitlines()[:-1] == [
        'repairs.md:5:1: RL102 Restates "Next spring the council plans to close the old bridge to all '
        'traffic for…"; keep the earlier sentence: it came first'
    ]
    _, check_json, _ = run("archive", "--index", "idx", "check", *checked, "--no-cache", "--format", "json")
    _, cross_json, _ = run(
        "--cross-file", "--select", "RL102", "archive", *checked, "--no-cache", "--format", "json"
    )
    expected = {("repairs.md", 5, 1, "archive/bridge.md", 5, 1)}
    assert _pairs(check_json, set(checked)) == _pairs(cross_json, set(checked)) == expected


def test_the_archive_stores_what_rl102s_pair_rules_read(structured: Path) -> None:
    import pyarrow.parquet as pq

    assert run("archive", "--index", "idx", "build", "archive", "--no-cache")[0] == 0
    files = pq.read_table(structured / "idx" / "files.parquet", columns=["path", "reference"])
    assert files.to_pylist() == [
        {"path": "archive/bridge.md", "reference": False},
        {"path": "archive/server.md", "reference": True},
    ]
    units = pq.read_table(structured / "idx" / "units.parquet", columns=["path", "start", "voice", "lede"])
    # one row per unit (a sentence and its clauses): the facts are the sentence's
    assert [(u["path"], u["start"], u["voice"], u["lede"]) for u in units.to_pylist()] == [
        ("archive/bridge.md", 19, None, True),  # the lede of a titled article
        ("archive/bridge.md", 19, None, True),
        ("archive/bridge.md", 19, None, True),
        ("archive/bridge.md", 98, "said:jones", False),  # "..., Mr Jones said."
        ("archive/server.md", 10, None, True),
        ("archive/server.md", 84, None, False),
    ]


def test_an_archive_of_an_older_format_is_reported_and_rebuilt(site: Path) -> None:
    assert run("archive", "--index", "idx", "build", "archive", "--no-cache")[0] == 0
    header = json.loads((site / "idx" / "archive.json").read_text("utf-8"))
    (site / "idx" / "archive.json").write_text(json.dumps({**header, "format": 1}), "utf-8")
    code, out, err = run("archive", "--index", "idx", "check", "new.md", "--no-cache")
    assert (code, out) == (2, "")
    assert err == (
        "redline: error: idx/archive.json: the archive is in format 1, this redline reads format 2: "
        "rebuild the archive ('redline archive --index idx build PATH...' builds it anew)\n"
    )
    code, _, err = run("archive", "--index", "idx", "report")
    assert code == 2
    assert "rebuild the archive" in err
    code, _, err = run("archive", "--index", "idx", "build", "archive", "--no-cache")
    assert code == 0, err
    assert "the archive was written in an older format: it is built anew" in err
    assert summary(err).startswith("4 units in 2 files: 2 added, 0 changed")
    assert run("archive", "--index", "idx", "check", "new.md", "--no-cache")[0] == 1


def test_report_applies_the_reference_threshold_between_reference_pages(structured: Path) -> None:
    for name in ("timeouts.md", "repairs.md"):
        (structured / name).rename(structured / "archive" / name)
    assert run("archive", "--index", "idx", "build", "archive", "--no-cache")[0] == 0
    code, out, err = run("archive", "--index", "idx", "report")
    assert code == 0, err
    assert [
        [(m["path"], m["line"], m["column"]) for m in cluster["members"]]
        for cluster in json.loads(out)["clusters"]
    ] == [[("archive/bridge.md", 5, 1), ("archive/repairs.md", 5, 1)]]
