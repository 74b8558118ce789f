"""The built-in packs on the seed article: padding phrases and the untranslated Korean word."""

from __future__ import annotations

from pathlib import Path

from helpers import describe, lint_text
from redline.packs import builtin_pack_rules

SEED = Path(__file__).parent.parent / "examples" / "seed-article.txt"


def _lint(select: list[str]) -> list[str]:
    return describe(lint_text(SEED.read_text("utf-8"), path="seed-article.txt", select=select))


def test_default_packs_on_the_seed_article() -> None:
    on_by_default = [r.code for r in builtin_pack_rules() if r.default_enabled]
    assert _lint(on_by_default) == [
        "10:1438: RL411 Filler phrase: 'play a crucial role' (say what happens instead, or cut it)",
        "10:1517: RL402 Plain language: consider 'easing' or 'helping' instead of 'facilitating'",
        "10:2987: RL411 Filler phrase: 'lay a positive foundation' (say what happens instead, or cut it)",
        "10:3417: RL401 Wordy: 'considering' or 'because of' says the same as 'in consideration of'",
        "10:4921: RL441 Untranslated fragment: '활성화' (Hangul script) inside an English sentence",
        "10:4948: RL411 Filler phrase: 'have a positive impact on' (say what happens instead, or cut it)",
        "10:5997: RL411 Filler phrase: 'have a positive impact on' (say what happens instead, or cut it)",
        "10:6280: RL411 Filler phrase: 'serve as an opportunity' (say what happens instead, or cut it)",
    ]


def test_korean_chrome_lines_are_not_fragments() -> None:
    """The masthead (자유NKorea), the tag (#사회), the byline and "관련 기사" stay unflagged."""
    assert [line for line in _lint(["RL441"]) if not line.startswith("10:")] == []


def test_journalism_pack_on_the_seed_article() -> None:
    """Off by default. Names the article capitalizes mid-sentence (Korea, Joint Task Force) keep
    their capitals in the suggested headline."""
    assert _lint(["journalism"]) == [
        "4:1: RL426 AP style: headlines are in sentence case: "
        "'South Korea, Cambodia launch Joint Task Force to combat scam crimes'",
        "8:1: RL426 AP style: headlines are in sentence case: "
        "'South Korea, Cambodia strengthen cooperation to eradicate scam crimes; 'Korea Task Force' to launch in "
        "November'",
        "10:222: RL421 AP style: abbreviate the month before a date: 'Oct. 27'",
        "10:1056: RL424 AP style: occupational titles are lower case before a name: 'Spokesperson'",
        "10:1156: RL425 'ASEAN' is used before it is spelled out (AP: spell out on first reference)",
    ]
