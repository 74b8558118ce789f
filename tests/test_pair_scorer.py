"""RL102's pair scorer without a model: token vectors through the embedder and its cache,
the alignment features, the stored scorer, the message helpers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from redline.embedding import BACKENDS, Embedder
from redline.embedding import model_source as ms
from redline.embedding.cache import VectorCache
from redline.rules.redundancy.claims import (
    PAIR_FEATURES,
    model_features,
    pair_scorer,
    raw_pair_features,
    token_alignment,
)
from redline.rules.redundancy.near_duplicate import shorten

CALLS: list[list[str]] = []


class TokenBackend:
    """Sentence vectors and one token vector per word, deterministic; records its calls."""

    def encode(self, texts: list[str]) -> np.ndarray:
        raise AssertionError("encode_with_tokens is used when a backend has it")

    def encode_with_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        CALLS.append(list(texts))
        tokens = [np.array([_word(w) for w in t.split()], dtype=np.float32) for t in texts]
        return np.array([t.sum(axis=0) for t in tokens]), tokens


def _word(word: str) -> np.ndarray:
    return np.random.default_rng(sum(map(ord, word))).normal(size=8)


def load(source: ms.ModelSource) -> TokenBackend:
    return TokenBackend()


@pytest.fixture
def token_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BACKENDS, "tokens", f"{__name__}:load")
    CALLS.clear()


def test_token_vectors_come_from_the_same_forward_pass_and_the_cache(
    tmp_path: Path, token_backend: None
) -> None:
    source = ms.ModelSource("fake-model", "fake-model", packaged=False)
    cache = VectorCache(tmp_path / "vectors.sqlite3", lambda message: None)
    first = Embedder(source, "tokens", cache)
    vectors = first.encode(["one two three", "four five"])
    assert CALLS == [["one two three", "four five"]]
    (tokens,) = first.tokens(["one two three"])
    assert CALLS == [["one two three", "four five"]]  # no second forward pass
    assert tokens.shape == (3, 8)
    assert np.allclose(np.linalg.norm(tokens, axis=1), 1.0)
    assert np.allclose(vectors[0], vectors[0] / np.linalg.norm(vectors[0]))
    second = Embedder(source, "tokens", cache)  # a warm run: vectors and asked-for tokens cached
    second.encode(["one two three", "four five"])
    (again,) = second.tokens(["one two three"])
    assert CALLS == [["one two three", "four five"]]
    assert np.allclose(again, tokens)
    second.tokens(["four five"])  # never asked for before: not cached, one forward pass
    assert CALLS == [["one two three", "four five"], ["four five"]]


def test_token_alignment_is_greedy_best_match() -> None:
    a = np.array([[1.0, 0.0], [0.0, 1.0]])
    b = np.array([[1.0, 0.0], [0.6, 0.8], [-1.0, 0.0]])
    cover_a, cover_b = token_alignment(a, b)
    assert cover_a.tolist() == pytest.approx([1.0, 0.8])
    assert cover_b.tolist() == pytest.approx([1.0, 0.8, 0.0])
    empty_a, empty_b = token_alignment(np.zeros((0, 2)), b)
    assert len(empty_a) == 0 and empty_b.tolist() == [0.0, 0.0, 0.0]


def test_features_see_what_is_new_in_each_sentence() -> None:
    tokens = np.eye(4)
    shared, a_over_b, b_over_a = raw_pair_features(
        "Sales rose 5 percent in May.", "Sales rose 7 percent in May, Reuters said.", 0.9, tokens, tokens[:3]
    )
    assert shared[0] == 0.9 and shared[2] == 0.0  # cosine; no negation differs
    assert b_over_a[3:5] == [1.0, 1.0]  # "7" and "Reuters" are new in B
    assert a_over_b[3:5] == [1.0, 0.0]  # "5" is new in A; "May" is in both
    features = model_features(shared, a_over_b, b_over_a)
    assert len(features) == len(PAIR_FEATURES) == 16


def test_stored_scorer_is_usable() -> None:
    scorer = pair_scorer()
    assert len(scorer.weights) == len(PAIR_FEATURES)
    assert 0.0 < scorer.threshold < 1.0 and 0.0 < scorer.floor < 1.0
    same = [0.95, 0.8, 0.0, 1.0, 0.95, 0.8, 0.0, 0.0, 0.0, 0.0, 0.95, 0.8, 0.0, 0.0, 0.0, 0.1]
    other = [0.6, 0.2, 0.0, 0.5, 0.6, 0.2, 0.5, 1.0, 1.0, 0.7, 0.7, 0.3, 0.6, 2.0, 2.0, 0.8]
    high, low = scorer.probabilities(np.array([same, other]))
    assert high >= scorer.threshold > low


def test_shorten_cuts_at_a_word() -> None:
    assert shorten("Short sentence.") == "Short sentence."
    text = "Lowering the travel advisory is expected to alleviate the anxiety of South Korean citizens."
    assert shorten(text) == "Lowering the travel advisory is expected to alleviate the anxiety of South…"
    assert shorten("x" * 100, 10) == "x" * 10 + "…"


def test_redundancy_score_counts_all_but_the_statement_to_keep() -> None:
    from redline.findings import Finding, Related
    from redline.markup import parse
    from redline.rules.redundancy.near_duplicate import redundancy_line, with_redundancy

    text = "One two three four. Five six seven. Eight nine. Ten eleven twelve thirteen fourteen.\n"
    document = parse("doc.txt", text)
    first, second, third, fourth = [(s.start, s.end) for s in document.sentences]
    claim = Finding(
        "RL102", "redundancy.near-duplicate", "m", *second, related=[Related(*first), Related(*fourth)]
    )
    claim.data.update({"keep": 2, "statements": 3})  # the last statement says the most: the first two go
    comment = Finding("RL102", "redundancy.near-duplicate", "m", *third, data={"kind": "commentary"})
    other = Finding("RL101", "redundancy.repeated-sentence", "m", *fourth)
    metrics = with_redundancy({"words": 14}, document, [claim, comment, other])
    assert metrics == {
        "words": 14,
        "redundancy": {"restating_sentences": 3, "sentences": 4, "words_to_cut": 9},
    }
    assert with_redundancy({"words": 14}, document, [other]) == {"words": 14}
    assert redundancy_line([metrics, {}]) == [
        "Redundancy: 3 of 4 sentences restate earlier claims; about 9 words could be cut."
    ]
