"""normalize_sentence (RL101's key, the hedging rules' template check): one regular
expression gives the key the character loop gave."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from redline.analysis import normalize_sentence


def _by_character(text: str) -> str:
    """The former implementation: each character neither alphanumeric nor a space -> a space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(ch if (ch.isalnum() or ch.isspace()) else " " for ch in text)
    return re.sub(r"\s+", " ", kept).strip()


def test_every_code_point() -> None:
    characters = [chr(code) for code in range(sys.maxunicode + 1)]
    for start in range(0, len(characters), 4096):
        chunk = "a".join(characters[start : start + 4096])
        assert normalize_sentence(chunk) == _by_character(chunk), start


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_random_text(text: str) -> None:
    assert normalize_sentence(text) == _by_character(text)


def test_examples() -> None:
    assert normalize_sentence("  The CAT_sat, on—the ﬁne mat!  ") == "the cat sat on the fine mat"
