"""The seed article: its 16 "is/are expected to" are one expectation-hedge finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import describe, lint_text
from redline.engine import RunResult

SEED = Path(__file__).parents[1] / "examples" / "seed-article.txt"


@pytest.fixture(scope="module")
def seed_result() -> RunResult:
    return lint_text(SEED.read_text("utf-8"), path="seed-article.txt", select=["RL2"])


def test_expectation_hedges_are_one_finding_at_the_first_use_over_budget(seed_result: RunResult) -> None:
    assert describe(seed_result) == [
        "10:1692: RL204 'is expected to' (or 'are expected to') 16 times (16.7 per 1,000 words; budget 2)"
    ]


def test_every_use_is_a_related_location(seed_result: RunResult) -> None:
    (file_result,) = seed_result.files
    (finding,) = file_result.findings
    text = file_result.source.text
    uses = [" ".join(text[r.start : r.end].split()) for r in finding.related]
    assert len(uses) == 16
    assert set(uses) == {"is expected to", "are expected to"}
    assert finding.related[0].message == "'is expected to' (1 of 16)"
    # The finding sits on the third use: the first two are within the allowance.
    assert (finding.start, finding.end) == (finding.related[2].start, finding.related[2].end)


def test_verbose_reports_each_use() -> None:
    result = lint_text(SEED.read_text("utf-8"), path="seed-article.txt", select=["RL204"], verbose=True)
    lines = describe(result)
    assert len(lines) == 17  # 16 "is/are expected to" and one "is interpreted as"
    assert lines[0] == "10:565: RL204 Expectation hedge 'is expected to' (1 of 16; budget 2)"
    assert "10:3487: RL204 Expectation hedge 'is interpreted as' (1 of 1; budget 2)" in lines
