"""Quotation spans (quotations._spans): the scan that jumps from quote mark to quote mark
finds what the character-by-character scan found, on the corpus and on random text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import shared_corpus
from redline import quotations
from redline.markup import parse

SEED = Path(__file__).parents[1] / "examples" / "seed-article.txt"


def _by_character(prose: str, start: int, end: int, continues: bool) -> list[tuple[int, int]]:
    """The former implementation, every character visited."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    mark = ""
    for i in range(start, end):
        if open_at is None:
            if prose[i] in quotations._PAIRS and quotations._opens(prose, i):
                open_at, mark = i, prose[i]
        elif mark == '"' and prose[i] == '"' and prose[i - 1].isspace() and prose[i + 1 : i + 2].isalnum():
            spans.append((open_at, i))
            open_at = i
        elif quotations._closes(prose, i, mark):
            spans.append((open_at, i + 1))
            open_at = None
    if open_at is not None and continues and mark in '"“':
        spans.append((open_at, end))
    return spans


def test_same_spans_on_the_corpus() -> None:
    total = 0
    paths = [
        SEED,
        *sorted(shared_corpus("news").iterdir()),
        *sorted(shared_corpus("docs").glob("*.rst"))[:10],
    ]
    for path in paths:
        document = parse(str(path), path.read_text("utf-8"))
        for block in document.blocks:
            for continues in (False, True):
                expected = _by_character(document.prose, block.start, block.end, continues)
                assert quotations._spans(document.prose, block.start, block.end, continues) == expected
                total += len(expected)
    assert total > 50


_PIECES = st.sampled_from(['"', "“", "”", "‘", "’", "'", " ", "a", "B", "1", ".", "\n", "don't", "x'"])


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=40), st.integers(0, 10), st.integers(0, 10), st.booleans())
def test_same_spans_on_random_text(pieces: list[str], cut_start: int, cut_end: int, continues: bool) -> None:
    prose = "".join(pieces)
    start = min(cut_start, len(prose))
    end = max(start, len(prose) - cut_end)
    assert quotations._spans(prose, start, end, continues) == _by_character(prose, start, end, continues)
