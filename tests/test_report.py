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
        r'<aside class="note fam-RL1" id="note-(\d)" data-entry="\d" data-fam="RL1" '
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
    assert '<button type="button" class="goto" data-range="2">same hedge: line 1</button> <q>the</q>' in page


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
    assert '<button type="button" class="goto" data-range="1">also in b: b.md, line 1</button> <q>it</q>' in page
    assert '<button type="button" class="file-tab" data-file="1">b.md <span class="count">0</span></button>' in page


def test_file_names_cannot_break_out_of_the_data_script() -> None:
    page = render(lint_text("Read the the manual.\n", path="a</script><!--.md", select=["RL106"]))
    assert page.count("</script>") == 2  # the data and the code, each closed once
    assert '"files": ["a\\u003c/script>\\u003c!--.md"]' in page
    assert "<h2>a&lt;/script&gt;&lt;!--.md</h2>" in page
