"""The hedging lexicon's matcher (lexicon.py): the document-wide search from each phrase's
first words finds exactly what the sentence-by-sentence scan finds, and one search is
shared by RL103 and RL201-RL204."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import shared_corpus
from redline.markup import parse
from redline.ruledata import load_rule_toml
from redline.rules.hedging import lexicon
from redline.rules.hedging.lexicon import Occurrence, family_lexicon, find_occurrences

SEED = Path(__file__).parents[1] / "examples" / "seed-article.txt"
FAMILIES = list(load_rule_toml("hedges.toml")["families"])


def _scanned(path: str, text: str, found: lexicon.Lexicon) -> list[Occurrence]:
    """The reference: every sentence scanned token by token."""
    document = parse(path, text)
    return [
        occurrence
        for sentence in document.sentences
        for occurrence in lexicon._match_sentence(sentence.tokens, found.by_first_word, document.prose)
    ]


def _searched(path: str, text: str, found: lexicon.Lexicon) -> list[Occurrence]:
    return find_occurrences(parse(path, text), found, include_quotes=True)


def _texts() -> list[Path]:
    return [
        SEED,
        *sorted(shared_corpus("docs").glob("*.rst"))[:12],
        *sorted(shared_corpus("news").iterdir())[:12],
    ]


@pytest.mark.parametrize("family", FAMILIES)
def test_the_search_finds_what_the_scan_finds_on_the_corpus(family: str) -> None:
    found = family_lexicon(family)
    total = 0
    for path in _texts():
        text = path.read_text("utf-8")
        expected = _scanned(str(path), text, found)
        assert _searched(str(path), text, found) == expected, path
        total += len(expected)
    assert total > 0  # the comparison saw matches


_SENTENCE_WORDS = "may May be is are likely to it that possible seems seem expected appear appears in my"
_WORDS = [*_SENTENCE_WORDS.split(), "opinion", "view", "more", "or", "less", "perhaps", "said", "some"]
_WORDS += ["people", "say", "very", "really", "the", "cat", "’s", "'s"]


@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14), min_size=1, max_size=6))
def test_the_search_finds_what_the_scan_finds_on_random_text(sentences: list[list[str]]) -> None:
    text = " ".join(" ".join(words) + "." for words in sentences)
    for family in FAMILIES:
        found = family_lexicon(family)
        assert _searched("doc.txt", text, found) == _scanned("doc.txt", text, found)


def test_default_arguments_give_the_same_lexicon() -> None:
    """RL103 asks for family_lexicon("hedge"), RL201 for family_lexicon("hedge", (), ()):
    the document's matches are kept per lexicon object, so they must be one object."""
    assert family_lexicon("hedge") is family_lexicon("hedge", (), ())
    assert family_lexicon("hedge", ("by and large",)) is not family_lexicon("hedge")


def test_one_search_per_document_and_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    search = lexicon._find

    def counted(*args: object, **kwargs: object) -> list[Occurrence]:
        calls.append(1)
        return search(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lexicon, "_find", counted)
    document = parse("seed-article.txt", SEED.read_text("utf-8"))
    first = find_occurrences(document, family_lexicon("expectation"), include_quotes=True)
    again = find_occurrences(document, family_lexicon("expectation", (), ()), include_quotes=True)
    assert first == again
    assert len(first) == 17  # 16 in prose, one inside a quotation
    assert calls == [1]


def test_phrases_with_optional_second_words_and_at_the_ends() -> None:
    """The search skips a first word not followed by a word a phrase accepts next; an
    optional slot's words and the required slot after it both count as next, and a
    phrase of one word is never skipped."""
    text = (
        "Some say so. Some experts say so. Some people. It is widely said that cats nap. "
        "It is said that dogs bark. To a certain degree it works. To some extent, yes. "
        "It is. Said that, we left. Maybe. It is believed"
    )
    expected = {
        "weasel": ["Some say", "Some experts say", "It is widely said that", "It is said that"],
        "hedge": ["To a certain degree", "To some extent", "Maybe"],
    }
    for family in FAMILIES:
        found = family_lexicon(family)
        searched = _searched("doc.txt", text, found)
        assert searched == _scanned("doc.txt", text, found)
        if family in expected:
            assert [o.text for o in searched] == expected[family]


def test_a_phrase_whose_later_words_are_optional_matches_its_first_word_alone() -> None:
    found = lexicon.Lexicon(tuple(lexicon.compile_phrase(p) for p in ["very (much)?", "so (very)? much"]))
    assert found.next_words == {"very": None, "so": frozenset({"very", "much"})}
    text = "It is very good. Thanks very much. So much. So very much. So good."
    searched = _searched("doc.txt", text, found)
    assert searched == _scanned("doc.txt", text, found)
    assert [o.text for o in searched] == ["very", "very much", "So much", "So very much"]
