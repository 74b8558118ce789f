"""The plain-Python port of spaCy's blank English tokenizer and sentencizer (tokenize_en.py).

Its tokens and sentences must be spaCy's exactly: every rule's offsets depend on them.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline import tokenize_en
from redline.analysis import _tokenizable, analyze, load_pipeline
from redline.markup import parse
from redline.tokenize_en import EnglishPipeline, english_pipeline, load_data

SRC = str(Path(__file__).resolve().parents[1] / "src")

#: Each reaches a branch of spaCy's tokenizer: specials, affixes around specials, infixes,
#: URLs, whitespace runs (a single space is skipped, others are tokens), the special-case
#: matcher, redline's unit boundaries and the sentencizer.
CASES = [
    "",
    " ",
    "  leading spaces",
    "trailing space ",
    "a\n\nb  c   d\t\te",
    "Hello world. This is a test!",
    "don't, won't",
    "(e.g.) that, i.e. this",
    "U.S.-made cars cost $1,000.50 (about £800).",
    "x :) y : ) z :-) <3",
    "This is a . test",
    "He ran the final 400m. Tirunesh Dibaba won.",
    "See Fig. 3 and fig. 4, no. 5 vol. 2.",
    "At 5 p.m. The meeting began.",
    "Visit https://example.com/a?b=1&c=2. Or www.example.org!",
    "well-known, state-of-the-art; 10-20 km/h... really?!",
    "“Quoted,” she said. ‘Single’ ones — and dashes – too…",
    "Mr. Smith vs. Mrs. Jones: 3rd place, 12th, 1/2.",
    "e-mail me@example.com #tag @user 50% 3x 2.5kg.",
    "?!? ... !!! .\n. . .",
    "[[[[[[" + "a" * 120 + "]]]]]]",
    "Ünïcödé wörds. Ελληνικά. Русский текст. 中文。",
]


def _spacy(text: str) -> list[list[tuple[int, str]]]:
    doc = load_pipeline(None)(text)
    return [[(token.idx, token.text) for token in sentence] for sentence in doc.sents]


def _port(text: str) -> list[list[tuple[int, str]]]:
    return [list(sentence) for sentence in english_pipeline().sentences(text)]


@pytest.mark.parametrize("text", CASES)
def test_tokens_and_sentences_are_spacys(text: str) -> None:
    text = _tokenizable(text)
    assert _port(text) == _spacy(text)


def test_exact_tokens() -> None:
    assert _port("don't, won't") == [[(0, "do"), (2, "n't"), (5, ","), (7, "wo"), (9, "n't")]]
    assert _port("b  c") == [[(0, "b"), (2, " "), (3, "c")]]
    assert _port("He ran the final 400m. Tirunesh won.") == [
        [(0, "He"), (3, "ran"), (7, "the"), (11, "final"), (17, "400"), (20, "m.")],
        [(23, "Tirunesh"), (32, "won"), (35, ".")],
    ]
    assert _port("See Fig. 3 now.") == [[(0, "See"), (4, "Fig"), (7, "."), (9, "3"), (11, "now"), (14, ".")]]


def test_random_text_built_from_special_cases_and_punctuation() -> None:
    rng = random.Random(15)
    specials = sorted(english_pipeline().tokenizer.specials)
    punctuation = "()[]{}.,;:!?'\"-–—/&%$#@*+=<>|~ \n\t\u00a0…“”‘’"
    pieces = [*punctuation, "e.g.", "400m.", "p.m.", "http://x.io/a", "3"]
    for _ in range(1500):
        parts = []
        for _ in range(rng.randint(1, 8)):
            roll = rng.random()
            if roll < 0.5:
                parts.append(rng.choice(specials))
            elif roll < 0.65:
                parts.append(chr(rng.randint(32, 0x3000)))
            else:
                parts.append(rng.choice(pieces))
            parts.append(rng.choice(["", "", " ", "  ", "\n"]))
        text = "".join(parts)
        assert _port(text) == _spacy(text), text


def test_analysis_is_the_same_with_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed-article.txt").read_text("utf-8")
    ported = analyze(parse("seed.md", text))
    monkeypatch.setenv("REDLINE_TOKENIZER", "spacy")
    assert analyze(parse("seed.md", text)) == ported
    assert len(ported.sentences) > 30


def test_the_shipped_rules_are_the_installed_spacys() -> None:
    shipped = json.loads(tokenize_en.SHIPPED.read_text("utf-8"))
    extracted = tokenize_en.extract_from_spacy()
    if shipped["spacy"] != extracted["spacy"]:
        pytest.skip(f"spaCy {extracted['spacy']} installed, the shipped rules are {shipped['spacy']}'s")
    assert shipped == json.loads(json.dumps(extracted))


def test_a_first_run_does_not_import_spacy(tmp_path: Path) -> None:
    script = (
        "import sys; from redline.analysis import analyze; from redline.markup import parse; "
        "a = analyze(parse('x.md', 'It works. Twice.')); "
        "print(len(a.sentences), 'spacy' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": SRC, "REDLINE_CACHE_DIR": str(tmp_path)}
    env.pop("REDLINE_TOKENIZER", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2", "False"]
    assert not (tmp_path / "tokenizer").exists()  # the shipped rules, nothing stored


def test_other_spacy_versions_are_read_once_then_from_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(tokenize_en, "SHIPPED", tmp_path / "absent.json")
    first = tokenize_en.load_data()
    (stored,) = (tmp_path / "tokenizer").glob("en-*.json")
    assert json.loads(stored.read_text("utf-8"))["rules"]["don't"] == ["do", "n't"]

    def no_spacy() -> dict[str, object]:
        raise AssertionError("read from spaCy again")

    monkeypatch.setattr(tokenize_en, "extract_from_spacy", no_spacy)
    assert tokenize_en.load_data() == first
    stored.write_text("{not json", "utf-8")  # a damaged file is read from spaCy again
    with pytest.raises(AssertionError, match="read from spaCy again"):
        tokenize_en.load_data()


def test_a_pipeline_from_the_stored_data_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(tokenize_en, "SHIPPED", tmp_path / "absent.json")
    pipeline = EnglishPipeline(load_data())
    again = EnglishPipeline(load_data())  # read back from the file
    text = "Dr. Who's 2nd visit, e.g. at 5 p.m., cost $5.50. It's over!"
    assert list(again.sentences(text)) == list(pipeline.sentences(text)) == _spacy(text)


def test_stop_words_are_spacys() -> None:
    from spacy.lang.en.stop_words import STOP_WORDS

    assert tokenize_en.stop_words() == frozenset(STOP_WORDS)
    assert "the" in tokenize_en.stop_words()


_PIECES = [
    "e.g.",
    "400m.",
    "p.m.",
    "don't",
    "U.S.",
    "(a)",
    "http://x.io/a",
    "3",
    "...",
    "“",
    "”",
    "—",
    ":)",
    "Fig.",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PIECES), st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=6)
        ),
        max_size=12,
    ).map(" ".join)
)
def test_the_chunk_cache_changes_no_token(text: str) -> None:
    """Tokens from a pipeline that has cached every chunk it met (over every example) are
    those of the line-by-line port with an empty cache, and so are its sentences."""
    warm = english_pipeline()
    cached = list(warm.sentences(text))
    fresh = _uncached_pipeline()
    fresh.tokenizer.clear_cache()
    tokens = fresh.tokenizer._apply_special_cases(text, fresh.tokenizer._tokenize_affixes(text, True))
    assert [token for sentence in cached for token in sentence] == tokens
    fresh.tokenizer.clear_cache()
    assert cached == list(fresh.sentences(text))


@lru_cache(maxsize=1)
def _uncached_pipeline() -> EnglishPipeline:
    return EnglishPipeline(load_data())


def test_the_fast_matcher_and_the_every_phrase_matcher_agree_with_the_port() -> None:
    """Without spaCy's faster heuristics every special case is a phrase, and one-token
    phrases then change their token ("don't" -> "do", "n't"): the matcher takes its other
    path. Both give the line-by-line port's tokens."""
    slow_rules = EnglishPipeline({**load_data(), "faster_heuristics": False}).tokenizer
    fast_rules = _uncached_pipeline().tokenizer
    assert slow_rules._phrase_index[1] and not fast_rules._phrase_index[1]
    rng = random.Random(7)
    specials = sorted(fast_rules.specials)
    texts = [*CASES, *(" ".join(rng.choices([*specials, "(", ")", ".", ":", "x"], k=8)) for _ in range(300))]
    for tokenizer in (slow_rules, fast_rules):
        for text in texts:
            tokenizer.clear_cache()
            expected = tokenizer._apply_special_cases(text, tokenizer._tokenize_affixes(text, True))
            tokenizer.clear_cache()
            assert tokenizer.tokens(text) == expected, text
