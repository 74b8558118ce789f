"""The review page in real headless Chromium, driven over the DevTools protocol.

Chromium comes from Debian's ``chromium`` package, which ``scripts/test.sh`` installs when
it is missing; where it cannot be installed these tests skip and say so. The screenshot
lands in the test's temporary folder (its path is printed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cdp import Browser, find_chromium
from redline.engine import Linter, LintOptions, RunResult

pytestmark = pytest.mark.slow

REPEAT = "The new release improves startup time for every user."
REVIEW = f"""# Release notes for the new editor

{REPEAT} We think that it might perhaps be somewhat faster in most cases, and it seems that users could possibly notice the difference. Read the the manual first.

In order to upgrade, users can utilize the installer. {REPEAT}

😀 Our 한국어 한국어 team reviewed the the changes, and this sentence is deliberately made very long so that the long sentence rule has something to report because it keeps going with clause after clause and never stops for breath at all.

Setup takes a minute.

Logs go to a folder.

Themes are optional.

Plugins load on demand.

Shortcuts can be changed.

{REPEAT}
"""
NOTES = "Plain notes.\r\nThe the end is near.\r\nDone.\r\n"
# A fixed choice of rules, one or two per family (the embedding rule would load a model),
# and a hedge budget of nothing so that the hedges show.
CONFIG = """select = ["RL101", "RL106", "RL201", "RL301", "RL401", "RL402"]

[rules.RL201]
min-count = 0
allowance = 0
"""


@dataclass
class Page:
    browser: Browser
    texts: list[str]
    expected: RunResult
    folder: Path

    def eval(self, expression: str) -> Any:
        return self.browser.evaluate(expression)

    def wait_for(self, expression: str, timeout: float = 5) -> None:
        deadline = time.monotonic() + timeout
        while not self.eval(expression):
            if time.monotonic() > deadline:
                raise AssertionError(f"still false after {timeout}s: {expression}")
            time.sleep(0.05)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "chromium is not installed (scripts/test.sh installs Debian's chromium package where apt-get can)"
        )
    folder = tmp_path_factory.mktemp("report")
    (folder / "review.md").write_text(REVIEW, encoding="utf-8")
    (folder / "notes.txt").write_bytes(NOTES.encode("utf-8"))
    (folder / "redline.toml").write_text(CONFIG, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "redline", "report", "review.md", "notes.txt", "-o", "review.html"],
        cwd=folder,
        env={**os.environ, "REDLINE_CACHE_DIR": str(folder / "cache")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    expected = Linter(LintOptions(use_cache=False)).lint_paths([str(folder / "review.md"), str(folder / "notes.txt")])
    browser = Browser(executable, folder / "profile", width=1360, height=800)
    try:
        browser.open_page((folder / "review.html").as_uri())
        yield Page(browser, [REVIEW, NOTES], expected, folder)
    finally:
        browser.close()


def test_page_loads_without_console_errors_and_screenshot(page: Page) -> None:
    assert page.eval("document.body.dataset.ready") == "true"
    assert page.browser.console_errors() == []
    shot = page.folder / "review.png"
    page.browser.screenshot(shot)
    print(f"screenshot: {shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 1360  # the IHDR width
    assert int.from_bytes(data[20:24], "big") > 800  # full page, taller than the viewport


def test_marks_cover_exactly_the_finding_offsets(page: Page) -> None:
    marks = page.eval(
        "[...document.querySelectorAll('mark.hl')].map(m => ({file: +m.closest('section').dataset.file,"
        " start: +m.dataset.start, end: +m.dataset.end, text: m.textContent, ranges: m.dataset.ranges}))"
    )
    assert marks, "no marks on the page"
    for mark in marks:
        assert mark["text"] == page.texts[mark["file"]][mark["start"] : mark["end"]]
    notes = page.eval(
        "[...document.querySelectorAll('.note')].map(n => ({file: +n.closest('section').dataset.file,"
        " code: n.querySelector('.code').textContent, message: n.querySelector('.message').textContent,"
        " start: +n.dataset.start, end: +n.dataset.end, range: n.dataset.range}))"
    )
    expected = [
        {"file": i, "code": f.code, "message": f.message, "start": f.start, "end": f.end}
        for i, result in enumerate(page.expected.files)
        for f in result.findings
    ]
    assert [{k: v for k, v in n.items() if k != "range"} for n in notes] == expected
    for note in notes:  # the marks of a finding's range, joined, are exactly its text
        covered = "".join(m["text"] for m in marks if note["range"] in m["ranges"].split())
        assert covered == page.texts[note["file"]][note["start"] : note["end"]]
    first_the = REVIEW.index("the the")
    assert {
        "file": 0,
        "code": "RL106",
        "message": "Doubled word: 'the' written twice",
        "start": first_the,
        "end": first_the + 7,
    } in expected
    assert {
        "file": 1,
        "code": "RL106",
        "message": "Doubled word: 'the' written twice",
        "start": 14,
        "end": 21,
    } in expected
    assert [(n["code"], n["message"], n["start"]) for n in notes if n["code"] == "RL101"] == [
        ("RL101", "Sentence repeats line 3 word for word", REVIEW.index(REPEAT, 40)),
        ("RL101", "Sentence repeated word for word (3 times; first at line 3)", REVIEW.rindex(REPEAT)),
    ]


def test_clicking_a_repeat_highlights_and_scrolls_to_the_others(page: Page) -> None:
    first, second, third = REVIEW.index(REPEAT), REVIEW.index(REPEAT, 40), REVIEW.rindex(REPEAT)
    page.browser.click(f'mark.hl[data-start="{third}"]')
    state = page.eval(
        "({active: [...document.querySelectorAll('mark.active')].map(m => +m.dataset.start),"
        " linked: [...document.querySelectorAll('mark.linked')].map(m => +m.dataset.start),"
        " notes: [...document.querySelectorAll('.note.active')].map(n => n.querySelector('.message').textContent),"
        " linkedNotes: [...document.querySelectorAll('.note.linked')].map(n => +n.dataset.start)})"
    )
    assert state == {
        "active": [third],
        "linked": [first, second],
        "notes": ["Sentence repeated word for word (3 times; first at line 3)"],
        "linkedNotes": [second],
    }
    in_view = f"(r => r.top >= 0 && r.bottom <= innerHeight)(document.querySelector('mark.hl[data-start=\"{first}\"]').getBoundingClientRect())"
    page.wait_for(in_view)
    page.browser.screenshot(page.folder / "review-linked.png", full_page=False)
    page.browser.click(".note.active .goto[data-range]")
    assert page.eval("document.querySelectorAll('mark.linked').length") == 2


def test_family_filters_hide_and_show(page: Page) -> None:
    count_notes = (
        "[...document.querySelectorAll('section[data-file=\"0\"] .note')].filter(n => !n.hidden).length"
    )
    rl1_only = "[...document.querySelectorAll('mark.hl[data-fam=\"RL1\"]')]"
    before = page.eval(count_notes)
    rl1_notes = sum(1 for f in page.expected.files[0].findings if f.code.startswith("RL1"))
    assert rl1_notes == 5
    page.browser.click('input[data-family="RL1"]')
    assert page.eval("document.querySelector('input[data-family=\"RL1\"]').checked") is False
    assert page.eval(count_notes) == before - rl1_notes
    assert set(page.eval(f"{rl1_only}.map(m => m.dataset.show)")) == {""}
    page.browser.click('input[data-family="RL1"]')
    assert page.eval(count_notes) == before
    assert set(page.eval(f"{rl1_only}.map(m => m.dataset.show)")) == {"RL1"}


def test_file_switcher_shows_one_file_at_a_time(page: Page) -> None:
    visible = "[...document.querySelectorAll('section.file')].map(s => !s.hidden)"
    assert page.eval(visible) == [True, False]
    page.browser.click('.file-tab[data-file="1"]')
    assert page.eval(visible) == [False, True]
    assert page.eval("document.querySelector('.file-tab.current').textContent") == "notes.txt 1"
    text = page.eval("document.querySelector('section[data-file=\"1\"] article').textContent")
    assert text == NOTES  # carriage returns survive the HTML parser
    assert json.loads(json.dumps(page.browser.console_errors())) == []
