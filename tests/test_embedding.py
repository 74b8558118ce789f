"""The embedding service without a model: neighbour search, vector cache, model checks, notices."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from helpers import describe, lint_text
from redline.embedding import BACKENDS, Embedder, ModelUnavailable, get_embedder
from redline.embedding import model_source as ms
from redline.embedding.cache import VectorCache
from redline.embedding.neighbours import candidate_pairs
from redline.services import Services

CALLS: list[list[str]] = []


class FakeBackend:
    """Deterministic vectors from the text, recording what it was asked to encode."""

    def encode(self, texts: list[str]) -> np.ndarray:
        CALLS.append(list(texts))
        return np.array([_vector(t) for t in texts], dtype=np.float32)


def _vector(text: str) -> np.ndarray:
    rng = np.random.default_rng(sum(map(ord, text)))
    return rng.normal(size=8).astype(np.float32)


def load(source: ms.ModelSource) -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def fake_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BACKENDS, "fake", f"{__name__}:load")
    CALLS.clear()


@pytest.fixture
def model(tmp_path: Path) -> str:
    """A model folder for the fake backend: its weights' hash keys the cached vectors."""
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"fake weights")
    return str(folder)


def test_candidate_pairs_match_brute_force() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    vectors[150] = vectors[3] + 0.05  # a near copy
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = vectors @ vectors.T
    want = {(i, j) for i in range(300) for j in range(i + 1, 300) if sims[i, j] >= 0.5}
    got = candidate_pairs(vectors, k=299, threshold=0.5)
    assert {(i, j) for i, j, _ in got} == want
    assert all(i < j for i, j, _ in got)
    top1 = candidate_pairs(vectors, k=1, threshold=0.9)
    assert [(i, j) for i, j, _ in top1] == [(3, 150)]
    assert top1[0][2] == pytest.approx(float(sims[3, 150]), abs=1e-5)


def test_candidate_pairs_small_inputs() -> None:
    assert candidate_pairs(np.zeros((1, 4), dtype=np.float32), k=5, threshold=0.0) == []
    assert candidate_pairs(np.eye(2, dtype=np.float32), k=5, threshold=0.5) == []


def test_embedder_caches_on_disk(tmp_path: Path, fake_backend: None, model: str) -> None:
    services = Services(cache_dir=tmp_path)
    first = get_embedder(services, model, backend="fake")
    vectors = first.encode(["One  sentence.", "Two sentences.", "One sentence."])
    assert vectors.shape == (3, 8) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.array_equal(vectors[0], vectors[2])  # whitespace is normalised before keying
    assert CALLS == [["One sentence.", "Two sentences."]]
    again = get_embedder(Services(cache_dir=tmp_path), model, backend="fake")
    assert np.array_equal(again.encode(["Two sentences.", "One sentence."]), vectors[[1, 0]])
    assert len(CALLS) == 1  # served from the cache: the backend was never loaded again


def test_no_cache_means_no_file(tmp_path: Path, fake_backend: None, model: str) -> None:
    embedder = get_embedder(Services(cache_dir=tmp_path, use_cache=False), model, backend="fake")
    embedder.encode(["A sentence here."])
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_corrupt_cache_is_rebuilt_with_one_notice(tmp_path: Path, fake_backend: None, model: str) -> None:
    (tmp_path / "embeddings.sqlite3").write_bytes(b"this is not a database" * 100)
    services = Services(cache_dir=tmp_path)
    embedder = get_embedder(services, model, backend="fake")
    embedder.encode(["A sentence here."])
    embedder.encode(["Another sentence here."])
    assert len(services.notices) == 1
    assert "was unreadable" in services.notices[0] and "rebuilding it" in services.notices[0]
    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM vectors").fetchone() == (2,)


def _unit(i: int) -> np.ndarray:
    return np.array([np.cos(i), np.sin(i), 0, 0], dtype=np.float32)


def _write_many(path: str, start: int) -> None:
    cache = VectorCache(Path(path), lambda message: None)
    for i in range(start, start + 40):
        cache.put_many("m", {f"sentence {i}": _unit(i)})


def test_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "embeddings.sqlite3"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(path), n * 40)) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    notices: list[str] = []
    found = VectorCache(path, notices.append).get_many("m", [f"sentence {i}" for i in range(120)])
    assert len(found) == 120 and notices == []
    assert found["sentence 77"].tolist() == _unit(77).tolist()


def test_packaged_model_is_verified_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model_dir = tmp_path / "pkg" / "model"
    model_dir.mkdir(parents=True)
    (model_dir / "model.safetensors").write_bytes(b"tampered weights")
    monkeypatch.setattr(ms, "packaged_model_dir", lambda: model_dir)
    source = ms.resolve_model("all-MiniLM-L6-v2")
    with pytest.raises(ModelUnavailable, match=r"refusing the embedding model .* expected 53aa5117"):
        source.verify(tmp_path / "cache")
    hashed: list[Path] = []
    original = ms._sha256_file
    monkeypatch.setattr(ms, "_sha256_file", lambda p: hashed.append(p) or original(p))
    with pytest.raises(ModelUnavailable):
        source.verify(tmp_path / "cache")
    assert hashed == []  # the verdict was remembered for this size and mtime
    monkeypatch.setattr(ms, "EXPECTED_SHA256", original(model_dir / "model.safetensors"))
    source.verify(tmp_path / "cache")


def test_missing_model_is_one_notice_and_other_rules_run(tmp_path: Path) -> None:
    text = (
        "Read the the manual first. The manual explains every option of the tool in detail.\n"
        "Read the the manual twice. It also lists the default value of every option in a table.\n"
    )
    result = lint_text(
        text,
        select=["RL102", "RL106"],
        options={"RL102": {"model": str(tmp_path / "nowhere")}},
        cache_dir=tmp_path,
    )
    assert describe(result) == [
        "1:6: RL106 Doubled word: 'the' written twice",
        "2:6: RL106 Doubled word: 'the' written twice",
    ]
    assert len(result.notices) == 1
    assert result.notices[0].startswith(
        "RL102 redundancy.near-duplicate did not run: the embedding model path"
    )
    assert "pip install 'redline[embeddings]'" in result.notices[0]
    assert result.exit_code() == 1  # from RL106 alone, as without RL102


def test_unknown_backend_is_a_notice(tmp_path: Path) -> None:
    result = lint_text(
        "A sentence that is long enough. Another one that is long enough.\n",
        select=["RL102"],
        options={"RL102": {"backend": "nope"}},
    )
    assert describe(result) == []
    assert result.notices and "unknown embedding backend 'nope'" in result.notices[0]


def test_embedder_rejects_unknown_backend() -> None:
    with pytest.raises(ModelUnavailable):
        Embedder(ms.resolve_model("./m"), backend="nope")


class FakeTokenBackend(FakeBackend):
    """Also gives token vectors (one per word), recording which calls asked for them."""

    def encode_with_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        CALLS.append(["tokens", *texts])
        tokens = [np.array([_vector(w) for w in t.split()], dtype=np.float32) for t in texts]
        return np.array([_vector(t) for t in texts], dtype=np.float32), tokens


def load_with_tokens(source: ms.ModelSource) -> FakeTokenBackend:
    return FakeTokenBackend()


@pytest.mark.parametrize("keep", [True, False])
def test_token_vectors_are_kept_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, model: str, keep: bool
) -> None:
    monkeypatch.setitem(BACKENDS, "fake-tokens", f"{__name__}:load_with_tokens")
    CALLS.clear()
    embedder = Embedder(ms.resolve_model(model), "fake-tokens", keep_tokens=keep)
    embedder.encode(["one two", "three four five"])
    assert len(embedder._tokens) == (2 if keep else 0)
    texts = ["one two", "three four five"]
    expected = [["tokens", *texts] if keep else texts]  # encode() without token vectors when not kept
    assert expected == CALLS
    CALLS.clear()
    (matrix,) = embedder.tokens(["three four five"])
    assert matrix.shape == (3, 8)
    expected = [] if keep else [["tokens", "three four five"]]  # a pass of its own, once
    assert expected == CALLS
    CALLS.clear()
    (fresh,) = embedder.tokens(["six seven"])  # never encoded: one pass gives both vectors
    assert fresh.shape == (2, 8)
    assert CALLS == [["tokens", "six seven"]]
    assert len(embedder._tokens) == (3 if keep else 2)


@pytest.mark.parametrize(("load", "expected"), [(0.2, 4), (1.0, 4), (2.5, 2), (4.0, 1), (9.0, 1)])
def test_faiss_threads_are_the_cores_other_processes_leave(
    monkeypatch: pytest.MonkeyPatch, load: float, expected: int
) -> None:
    import os

    from redline.embedding import index

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, 0.0, 0.0))
    assert index.threads() == expected
    monkeypatch.setattr(index, "SEARCH_THREADS", 3)
    assert index.threads() == 3
