"""TextCounts (readability.py): textstat's formulas with each count computed once give
exactly textstat's numbers, on the corpus's prose and paragraphs and on random text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import shared_corpus
from redline import readability
from redline.markup import parse
from redline.readability import (
    GRADE_METRICS,
    SCORES,
    TextCounts,
    grade,
    prose_text,
    scores,
    sentences_by_block,
    sentences_text,
    textstat_module,
)

SEED = Path(__file__).parents[1] / "examples" / "seed-article.txt"
FORMULAS = [*SCORES.values(), "linsear_write_formula"]


def _textstat_values(text: str) -> dict[str, float]:
    textstat = textstat_module()
    values = {name: getattr(textstat, name)(text) for name in SCORES.values()}
    values["linsear_write_formula"] = textstat.linsear_write_formula(text)
    values["text_standard"] = textstat.text_standard(text, float_output=True)
    return values


def _counted_values(text: str) -> dict[str, float]:
    counts = TextCounts(text)
    values = {name: getattr(counts, name)() for name in FORMULAS}
    values["text_standard"] = counts.text_standard()
    return values


def _assert_same(text: str) -> None:
    expected, got = _textstat_values(text), _counted_values(text)
    # exact: the same float, not a close one
    assert got == expected, text[:200]
    assert [type(v) for v in got.values()] == [float] * len(got)


def _corpus_texts() -> list[str]:
    texts = []
    for path in [
        SEED,
        *sorted(shared_corpus("docs").glob("*.rst")),
        *sorted(shared_corpus("news").iterdir()),
    ]:
        document = parse(str(path), path.read_text("utf-8"))
        texts.append(prose_text(document))
        texts.extend(sentences_text(group) for group in sentences_by_block(document).values())
    return texts


def test_the_installed_textstat_is_the_release_followed() -> None:
    """Another release falls back to textstat's own functions (see text_counts)."""
    import textstat

    textstat_module()
    assert tuple(textstat.__version__) == readability.TEXTSTAT_VERSION


def test_same_numbers_as_textstat_on_the_corpus() -> None:
    texts = _corpus_texts()
    assert len(texts) > 1000
    for text in texts:
        _assert_same(text)


_WORD_LIST = (
    "the cat sat on mat extraordinarily interdepartmental readability don't it's we've they'll"
    " you're o'clock 'quoted' dogs' ’tis Makower e.g. U.S. 3.5 1,000 -- - (see below) well-known"
    " naïve café ΟΔΟΣ İstanbul x a I hyphen-ated end. end! end? quote.” “Hello ... !? tl;dr"
    " e-mail re-enter co-operate ﬁne"
)
_WORDS = st.sampled_from(_WORD_LIST.split())
_SEPARATORS = st.sampled_from(
    [" ", " ", " ", "  ", "\n", "\t", ". ", "! ", "? ", ", ", "; ", "\u00a0", ".\n\n"]
)


@st.composite
def _prose(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, min_size=0, max_size=160))
    parts = []
    for word in words:
        parts.append(word)
        parts.append(draw(_SEPARATORS))
    return "".join(parts)


@settings(max_examples=150)
@given(_prose())
def test_same_numbers_as_textstat_on_random_prose(text: str) -> None:
    _assert_same(text)


@settings(max_examples=150)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300))
def test_same_numbers_as_textstat_on_random_characters(text: str) -> None:
    _assert_same(text)


@pytest.mark.parametrize("metric", sorted(GRADE_METRICS))
def test_grade_and_scores_are_textstat_s(metric: str) -> None:
    text = prose_text(parse(str(SEED), SEED.read_text("utf-8")))
    textstat = textstat_module()
    expected_grade = (
        float(textstat.text_standard(text, float_output=True))
        if metric == "consensus"
        else float(getattr(textstat, GRADE_METRICS[metric])(text))
    )
    assert grade(text, metric) == expected_grade
    expected = {key: round(float(getattr(textstat, name)(text)), 2) for key, name in SCORES.items()}
    expected["consensus_grade"] = round(float(textstat.text_standard(text, float_output=True)), 2)
    assert scores(text) == expected


def test_another_textstat_release_is_asked_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    import textstat

    text = "The interdepartmental committee reviewed the extraordinarily long report. It agreed."
    textstat_module()
    monkeypatch.setattr(textstat, "__version__", (0, 8, 0))
    readability.text_counts.cache_clear()
    readability._text_standard.cache_clear()
    assert readability.text_counts(text) is None
    assert grade(text, "smog") == textstat.smog_index(text)
    assert grade(text, "consensus") == textstat.text_standard(text, float_output=True)
    readability.text_counts.cache_clear()
    readability._text_standard.cache_clear()


def test_first_pronunciation_is_the_first_of_all() -> None:
    """_word_syllables reads ``cmu.first(word)`` where textstat reads ``cmu[word][0]``."""
    from redline.readability import cmu_lookup

    lookup = cmu_lookup()
    fresh = readability.CmuLookup(readability._cmudict_text())
    words = list(lookup)
    assert len(words) > 100_000
    for word in words[::7]:
        assert fresh.first(word) == lookup[word][0]
    for missing in ["qzxv", "read(2)", "", "redline)"]:
        assert fresh.first(missing) is None
        with pytest.raises(KeyError):
            fresh[missing]


@settings(max_examples=300)
@given(st.text(alphabet="ab_1 '’.-!?\t\n\u00a0é", max_size=40))
def test_sentence_words_are_textstat_s(text: str) -> None:
    """_count_sentences counts the pieces with a word character where textstat counts
    the words left after removing punctuation."""
    from textstat.backend.counts._count_words import count_words

    textstat_module()
    assert len(readability._WORD_PIECE.findall(text)) == count_words(text)
    assert readability._count_sentences(text) == textstat_module().sentence_count(text)


@settings(max_examples=300)
@given(st.text(alphabet="abcXYZé1²½_'’-.ſİΣς", min_size=1, max_size=12))
def test_a_word_s_syllables_are_textstat_s(word: str) -> None:
    """The kept count of a word (a short cut for letters and digits alone) is textstat's
    ``count_syllables(word)``."""
    textstat = textstat_module()
    readability._WORD_SYLLABLES.clear()
    assert readability._WORD_SYLLABLES[word] == textstat.syllable_count(word)
    assert readability._WORD_SYLLABLES[word.lower()] == textstat.syllable_count(word.lower())


def _corpus_words_pyphen_counts() -> list[str]:
    """The corpus's words that are not in the CMU dictionary (textstat hyphenates them)."""
    from textstat.backend.selections._list_words import list_words

    lookup = readability.cmu_lookup()
    words = {word for text in _corpus_texts() for word in list_words(text, lowercase=True)}
    return sorted(word for word in words if lookup.first(word) is None)


def test_hyphenation_points_are_pyphen_s_on_the_corpus() -> None:
    """_hyphenation_points(dic, word) is ``len(dic.positions(word))``, pyphen's own count."""
    import pyphen

    textstat_module()
    dic = readability._get_pyphen()("en_US")
    words = _corpus_words_pyphen_counts()
    assert len(words) > 500
    for word in words:
        assert readability._hyphenation_points(dic, word) == len(dic.positions(word)), word
    narrow = pyphen.Pyphen(lang="en_US", left=1, right=3)
    for word in words[::5]:
        assert readability._hyphenation_points(narrow, word) == len(narrow.positions(word)), word


@settings(max_examples=300)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzAEIÖßİΣéç'-", min_size=0, max_size=30))
def test_hyphenation_points_are_pyphen_s_on_random_words(word: str) -> None:
    import pyphen

    textstat_module()
    dic = readability._get_pyphen()("en_US")
    assert readability._hyphenation_points(dic, word) == len(dic.positions(word))
    # a dictionary with nonstandard hyphenation (pyphen's DataInt points)
    hungarian = pyphen.Pyphen(lang="hu_HU")
    assert readability._hyphenation_points(hungarian, word) == len(hungarian.positions(word))


def test_letters_and_characters_are_textstat_s_over_every_code_point() -> None:
    """_letters_and_characters counts what textstat's count_letters and count_chars(text,
    ignore_spaces=True) count, on a text of every code point (lone surrogates too) and on
    ASCII alone."""
    from textstat.backend.counts._count_chars import count_chars
    from textstat.backend.counts._count_letters import count_letters

    textstat_module()
    every = "".join(map(chr, range(0x110000)))
    ascii_only = "".join(map(chr, range(128))) * 3
    for text in (every, ascii_only, "", " \t\n", "a_b 1²½ é ſ\u00a0\u2028x"):
        assert readability._letters_and_characters(text) == (count_letters(text), count_chars(text, True))


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200))
def test_letters_and_characters_are_textstat_s_on_random_text(text: str) -> None:
    from textstat.backend.counts._count_chars import count_chars
    from textstat.backend.counts._count_letters import count_letters

    textstat_module()
    assert readability._letters_and_characters(text) == (count_letters(text), count_chars(text, True))


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Go on -- . It is so. A b c d.", 2),  # "Go on --" has two words, then three and four
        ("Go on -- now. It -- is. A b c.", 2),
        ("One two ' three. Four ( five ) six.", 2),
        ("See -- (below). Then go.", 1),
    ],
)
def test_sentences_of_two_words_and_punctuation_are_not_counted(text: str, sentences: int) -> None:
    """A sentence whose first white-space pieces include punctuation alone is counted by its
    pieces with a word character, as textstat counts its words."""
    assert readability._count_sentences(text) == sentences
    assert textstat_module().sentence_count(text) == sentences


def test_punctuation_removed_as_textstat_removes_it() -> None:
    """_remove_punctuation (ASCII text by byte translation) is textstat's
    remove_punctuation(text, rm_apostrophe=False), on every ASCII character and beyond."""
    from textstat.backend.transformations._remove_punctuation import remove_punctuation

    textstat_module()
    every_ascii = "".join(map(chr, range(128)))
    texts = [every_ascii, every_ascii * 2 + "é", "don't 'quoted' it's we've o'clock 'tis x'", "", "a_b-c"]
    texts += [f"a{chr(i)}b {chr(i)}t {chr(i)}" for i in range(128)]
    for text in texts:
        assert readability._remove_punctuation(text) == remove_punctuation(text, rm_apostrophe=False), text


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(max_codepoint=0x17F, exclude_categories=["Cs"]), max_size=80))
def test_punctuation_removed_as_textstat_removes_it_on_random_text(text: str) -> None:
    from textstat.backend.transformations._remove_punctuation import remove_punctuation

    textstat_module()
    assert readability._remove_punctuation(text) == remove_punctuation(text, rm_apostrophe=False)
