"""``redline report``: segments for overlapping findings, clusters, and the page's exact markup."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

from helpers import lint_text
from redline.findings import Edit, Finding, Fix, Related
from redline.report import render
from redline.report.model import Segment, build, family, segments


def test_segments_split_overlapping_and_nested_ranges() -> None:
    # 0..10 and 5..15 overlap; 7..8 nests in both; 12..12 is a zero-width point.
    spans = [(0, 10, 0), (5, 15, 1), (7, 8, 2), (12, 12, 3)]
    assert segments(20, spans) == [
        Segment(0, 5, (0,)),
        Segment(5, 7, (0, 1)),
        Segment(7, 8, (0, 1, 2)),
        Segment(8, 10, (0, 1)),
        Segment(10, 12, (1,)),
        Segment(12, 12, (3,)),
        Segment(12, 15, (1,)),
        Segment(15, 20, ()),
    ]


def test_family_of_codes() -> None:
    assert [family(c) for c in ["RL101", "RL203", "RL301", "RL441", "RL9", "ACME1"]] == [
        "RL1",
        "RL2",
        "RL3",
        "RL4",
        "other",
        "other",
    ]


def test_related_locations_join_findings_into_a_cluster() -> None:
    text = "One claim here. Another claim. One claim here. One claim here.\n"
    result = lint_text(text, select=["RL101"], options={"RL101": {"min-words": 2}})
    model = build(result)
    file_result = result.files[0]
    assert [(f.start, f.end) for f in file_result.findings] == [(31, 46), (47, 62)]
    spans = sorted((r.start, r.end, r.cluster) for r in model.ranges)
    assert spans == [(0, 15, 0), (31, 46, 0), (47, 62, 0)]
    # Range 0 is the first finding, 1 the sentence it repeats, 2 the second finding.
    assert [(e.range, e.related) for e in model.entries] == [(0, (1,)), (2, (1, 0))]


def _marks(page: str) -> list[tuple[int, int, str]]:
    found = re.findall(
        r'<mark class="hl[^"]*" data-start="(\d+)" data-end="(\d+)"[^>]*>(.*?)</mark>', page, re.S
    )
    return [(int(s), int(e), unescape(t)) for s, e, t in found]


def test_page_marks_text_and_notes() -> None:
    text = "😀 <b> the the </b> & 한국어 한국어\r\nend\n"
    result = lint_text(text, path="notes.txt", select=["RL106"])
    page = render(result, "Review <1>")
    assert "<title>Review &lt;1&gt;</title>" in page
    assert _marks(page) == [(6, 13, "the the"), (21, 28, "한국어 한국어")]
    body = page[page.index('<article class="text"') : page.index("</article>")]
    assert unescape(re.sub(r"<[^>]+>", "", body.split(">", 1)[1])) == text
    assert "&#13;\nend" in body  # a literal CR would be folded into the LF by the HTML parser
    notes = re.findall(
        r'<aside class="note fam-RL1" id="note-(\d)" data-entry="\d" data-entries="\d" data-fam="RL1" '
        r'data-range="\d" data-start="(\d+)" data-end="(\d+)"',
        page,
    )
    assert notes == [("0", "6", "13"), ("1", "21", "28")]
    assert "Doubled word: &#x27;the&#x27; written twice" in page
    assert '<span class="fix-label">Suggested fix</span><ul><li>delete <del>the</del></li></ul>' in page
    assert "http://" not in page and "https://" not in page  # self-contained


def test_fix_descriptions_and_metrics() -> None:
    result = lint_text("Read the the manual.\n", select=["RL106"])
    file_result = result.files[0]
    file_result.metrics = {
        "words": 4,
        "grade": 7.25,
        "readability": {"flesch_reading_ease": 81.0},
        "ok": True,
    }
    file_result.findings.append(
        Finding(
            "RL201",
            "hedging.hedge",
            "Hedge",
            0,
            4,
            related=[Related(9, 12, "same hedge")],
            fix=Fix(
                (Edit(0, 0, "Do "), Edit(5, 8, "a")),
            ),
        )
    )
    page = render(result)
    assert '<div class="metric"><dt>Words</dt><dd>4</dd></div>' in page
    assert '<div class="metric"><dt>Grade</dt><dd>7.2</dd></div>' in page
    assert "<dt>Flesch reading ease</dt><dd>81</dd>" in page
    assert '<div class="metric"><dt>Ok</dt><dd>yes</dd></div>' in page
    assert "<li>insert <ins>Do </ins></li><li>replace <del>the</del> with <ins>a</ins></li>" in page
    assert (
        '<strong>1</strong> hedging finding, <strong>2</strong> uses <span class="rate">(50.0 per 100 words)</span>'
    ) in page
    assert "<li><q>read</q> × 1</li><li><q>the</q> × 1</li>" in page
    assert (
        '<button type="button" class="goto" data-range="2">same hedge: sentence 1</button> <q>the</q>' in page
    )


def test_report_command_writes_the_page(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("Read the the manual.\n", encoding="utf-8")
    out = tmp_path / "review.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "redline",
            "report",
            "a.md",
            "missing.md",
            "-o",
            str(out),
            "--select",
            "RL106",
        ],
        cwd=tmp_path,
        env={**os.environ, "REDLINE_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == "redline: error: missing.md: no such file or directory\n"
    page = out.read_text(encoding="utf-8")
    assert _marks(page) == [(5, 12, "the the")]
    assert '<ul class="errors"><li>missing.md: no such file or directory</li></ul>' in page


def test_related_place_in_another_file_links_across_sections() -> None:
    first = lint_text("Read the the manual.\n", path="a.md", select=["RL106"])
    second = lint_text("Read it twice.\n", path="b.md", select=["RL106"])
    run = first
    run.files.append(second.files[0])
    finding = run.files[0].findings[0]
    finding.related.append(Related(5, 8, "also in b", path="b.md"))
    model = build(run)
    assert [(r.file, r.start, r.end, r.cluster) for r in model.ranges] == [(0, 5, 12, 0), (1, 5, 8, 0)]
    assert model.segments[1] == [Segment(0, 5, ()), Segment(5, 8, (1,)), Segment(8, 15, ())]
    page = render(run)
    assert (
        '<button type="button" class="goto" data-range="1">also in b: b.md, sentence 1</button> <q>it</q>'
        in page
    )
    assert (
        '<button type="button" class="file-tab" data-file="1">b.md <span class="count">0</span></button>'
        in page
    )


def test_file_names_cannot_break_out_of_the_data_script() -> None:
    page = render(lint_text("Read the the manual.\n", path="a</script><!--.md", select=["RL106"]))
    assert page.count("</script>") == 2  # the data and the code, each closed once
    assert '"files": ["a\\u003c/script>\\u003c!--.md"]' in page
    assert "<h2>a&lt;/script&gt;&lt;!--.md</h2>" in page


# -- the editor's markup: sentence labels, margin groups, bars, claims, metric names --------

PARAGRAPHS = """\
# Plan

The plan is ready. We start in May. The plan is ready.

Costs are low. Costs are low.
"""


def test_metric_names_are_written_as_people_write_them() -> None:
    result = lint_text("Read the manual.\n", select=["RL106"])
    result.files[0].metrics = {
        "readability": {
            "flesch_kincaid_grade": 7.5,
            "smog_index": 9.1,
            "dale_chall_readability_score": 6.2,
            "coleman_liau_index": 8.0,
            "automated_readability_index": 7.0,
        }
    }
    page = render(result)
    for name in ("Flesch-Kincaid grade", "SMOG", "Dale-Chall", "Coleman-Liau", "ARI"):
        assert f"<dt>{name}</dt>" in page
    assert "<dt>Smog index</dt>" not in page and "<dt>Flesch kincaid grade</dt>" not in page
    assert 'title="Automated Readability Index: US school grade"' in page


def test_notes_are_labelled_by_sentence_number_and_text_and_grouped_per_sentence() -> None:
    result = lint_text(PARAGRAPHS, select=["RL106"])
    start = PARAGRAPHS.index("We start")
    finding = result.files[0].findings
    finding.extend(
        [
            Finding("RL201", "hedging.hedge", "First", start, start + 2),
            Finding("RL402", "plain-language.x", "Second", start + 3, start + 8),
        ]
    )
    page = render(result)
    groups = re.findall(
        r'<div class="margin-group" data-range="\d+"><div class="margin-head">(.*?)</div>', page
    )
    assert groups == [
        '<span class="where" title="line 3, column 20">sentence 3</span> <q class="context">We start in May.</q>'
    ]
    group = page[page.index('<div class="margin-group"') :]
    assert group.index('data-entry="0"') < group.index('data-entry="1"') < group.index("</aside></div>")
    assert ">line " not in page


def test_a_paragraph_level_finding_is_a_bar_not_a_painted_paragraph() -> None:
    result = lint_text(PARAGRAPHS, select=["RL106"])
    start = PARAGRAPHS.index("The plan")
    end = PARAGRAPHS.index("\n", start)
    short = PARAGRAPHS.index("May")
    result.files[0].findings.extend(
        [
            Finding("RL305", "readability.long-paragraph", "Paragraph is long", start, end),
            Finding("RL402", "plain-language.x", "Short", short, short + 3),
        ]
    )
    model = build(result)
    assert [(r.start, r.end, r.bar) for r in model.ranges] == [(start, end, True), (short, short + 3, False)]
    page = render(result)
    # The paragraph's marks carry its offsets but no family: nothing is painted.
    painted = re.findall(
        r'<mark class="hl" data-start="(\d+)" data-end="(\d+)" data-ranges="[^"]*" data-fam="([^"]*)"', page
    )
    assert (str(short), str(short + 3), "RL4") in painted
    assert all(fam == "" for s, e, fam in painted if (int(s), int(e)) != (short, short + 3))
    assert '<div class="margin-group bar-group" data-range="0"><div class="margin-head">' in page
    assert '>¶2, sentences 2–4</span> <q class="context">The plan is ready.</q>' in page


def test_a_claim_made_several_times_is_one_note_listing_every_sentence() -> None:
    result = lint_text(PARAGRAPHS, select=["RL106"])
    first = PARAGRAPHS.index("The plan")
    third = PARAGRAPHS.index("The plan", first + 1)
    costs = PARAGRAPHS.index("Costs")
    costs2 = PARAGRAPHS.index("Costs", costs + 1)
    sentence = len("The plan is ready.")
    result.files[0].findings.extend(
        [
            Finding(
                "RL101", "redundancy.repeated-sentence", "Repeats sentence 2", third, third + sentence,
                related=[Related(first, first + sentence, "first written here")],
            ),
            Finding(
                "RL102", "redundancy.near-duplicate", "Restates sentence 2", costs, costs + 14,
                related=[Related(first, first + sentence, "same claim")],
            ),
            Finding(
                "RL101", "redundancy.repeated-sentence", "Repeats sentence 5", costs2, costs2 + 14,
                related=[Related(costs, costs + 14, "first written here")],
            ),
        ]
    )  # fmt: skip
    model = build(result)
    assert model.note_of == {0: 0, 1: 0, 2: 0}
    page = render(result)
    assert page.count('<aside class="note') == 1
    assert 'data-entry="0" data-entries="0 1 2"' in page
    assert '<p class="claim-label">One claim, 4 sentences: 2, 4, 5, 6</p>' in page
    items = re.findall(
        r'<li( class="own")?><button type="button" class="goto" data-range="(\d+)">([^<]+)</button>', page
    )
    assert [(own, label) for own, _, label in items] == [
        ("", "sentence 2"),
        (' class="own"', "sentence 4"),
        ("", "sentence 5"),
        ("", "sentence 6"),
    ]
    assert '<li><span class="code">RL102</span> Restates sentence 2</li>' in page


def test_redundancy_score_is_in_the_page_and_file_headers() -> None:
    result = lint_text("Read the the manual. It is short.\n", select=["RL106"])
    page = render(result)
    assert 'class="redundancy"' not in page  # no RL102 score: no line
    result.files[0].metrics = {"redundancy": {"restating_sentences": 9, "sentences": 33, "words_to_cut": 310}}
    page = render(result)
    line = '<p class="redundancy">Redundancy: 9 of 33 sentences restate earlier claims; about 310 words could be cut.</p>'
    top, _, sections = page.partition("</header>")
    assert line in top
    assert f"<h2>doc.md</h2>\n  {line}" in sections
