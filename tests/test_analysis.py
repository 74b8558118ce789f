"""The shared analysis (analysis.py): the facts rules read many times are made once, and
made as the plain definitions make them."""

from __future__ import annotations

import pickle
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from redline.analysis import Token, analyze, normalize_sentence
from redline.markup import parse

_SPACE = re.compile(r"\s+")


def _normalize_by_characters(text: str) -> str:
    """normalize_sentence as first written: one character at a time."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(ch if (ch.isalnum() or ch.isspace()) else " " for ch in text)
    return _SPACE.sub(" ", kept).strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_normalize_sentence_is_the_per_character_definition(text: str) -> None:
    assert normalize_sentence(text) == _normalize_by_characters(text)


def test_normalize_sentence_examples() -> None:
    assert normalize_sentence("  The CAFÉ’s menu — (new_items)!  ") == "the café s menu new items"
    assert normalize_sentence("ﬁve ½ x²") == "five 1 2 x2"  # NFKC first


def test_tokens_carry_their_lower_case_and_sentences_their_word_count() -> None:
    document = parse("a.md", "The CAT sat, twice. Überall “Quotes” here!\n")
    sentences = analyze(document).sentences
    assert [[(t.text, t.lower, t.is_word) for t in s.tokens] for s in sentences] == [
        [("The", "the", True), ("CAT", "cat", True), ("sat", "sat", True), (",", ",", False),
         ("twice", "twice", True), (".", ".", False)],
        [("Überall", "überall", True), ("“", "“", False), ("Quotes", "quotes", True), ("”", "”", False),
         ("here", "here", True), ("!", "!", False)],
    ]  # fmt: skip
    assert [s.word_count for s in sentences] == [4, 3]
    assert analyze(document).word_count == 7


def test_a_token_built_by_hand_gets_its_lower_case_and_survives_pickling() -> None:
    token = Token(3, 6, "ÀbC", True, False, "NN")
    assert token.lower == "àbc"
    assert token == (3, 6, "ÀbC", True, False, "NN", "àbc")
    assert pickle.loads(pickle.dumps(token)) == token
    assert type(pickle.loads(pickle.dumps(token))) is Token
    sentence = analyze(parse("a.md", "One two three.")).sentences[0]
    assert pickle.loads(pickle.dumps(sentence)) == sentence
    assert pickle.loads(pickle.dumps(sentence)).word_count == 3


def test_a_sentence_text_has_each_run_of_white_space_made_one_space() -> None:
    document = parse("a.txt", "One\u00a0 two\u2003\tthree\n  four. Five!\n")
    assert [s.text for s in analyze(document).sentences] == ["One two three four.", "Five!"]
