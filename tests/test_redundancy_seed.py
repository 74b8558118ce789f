"""RL103 and RL104 on the seed article: the phrases and openers an editor would mark."""

from __future__ import annotations

from pathlib import Path

from helpers import describe, lint_text

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-article.txt"


def test_seed_article_phrases_and_openers() -> None:
    # "the Cambodian government" x6 and "South Korean companies" x6 are the story's subjects,
    # names an editor keeps (issue 14): no longer reported.
    result = lint_text(SEED.read_text("utf-8"), path="seed-article.txt", select=["RL103", "RL104"])
    assert describe(result) == [
        "10:3844: RL104 Sentence opener 'Furthermore,' used 5 times (budget 2): start some of them another way",
        "10:4004: RL103 Phrase 'between the two countries' used 8 times (budget 3): cut it or vary it where it adds nothing",
        "10:4760: RL103 Phrase 'and contribute to' used 6 times (budget 3): cut it or vary it where it adds nothing",
        "10:5049: RL103 Phrase 'cooperation in addressing scam crimes' used 4 times (budget 3): cut it or vary it where it adds nothing",
        "10:5521: RL104 Sentence opener 'This shows that' used 3 times (budget 2): start some of them another way",
    ]
    (file_result,) = result.files
    between = file_result.findings[1]
    text = file_result.source.text
    assert len(between.related) == 7
    assert {text[r.start : r.end].lower() for r in between.related} == {"between the two countries"}
