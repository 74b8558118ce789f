"""The embedding cache from a hostile or foreign source: bad rows are misses, a read-only
database is read and kept, and vectors are keyed by the model's weights (issue 18 item 11,
issue 16 bug 2). The fake backend stands in for the model."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import textwrap
from pathlib import Path

import numpy as np
import pytest

from helpers import describe, lint_text
from redline.embedding import BACKENDS, get_embedder
from redline.embedding import model_source as ms
from redline.services import Services
from reliability_helpers import no_traceback, run_cli

encoded: list[list[str]] = []
SENTENCES = ["The first sentence is here.", "A second one follows it.", "And a third ends it."]


class FakeBackend:
    def encode(self, texts: list[str]) -> np.ndarray:
        encoded.append(list(texts))
        return np.array([_vector(t) for t in texts], dtype=np.float32)


def _vector(text: str) -> np.ndarray:
    return np.random.default_rng(sum(map(ord, text))).normal(size=8).astype(np.float32)


def load(source: ms.ModelSource) -> FakeBackend:
    return FakeBackend()


@pytest.fixture(autouse=True)
def fake_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BACKENDS, "fake", f"{__name__}:load")
    encoded.clear()


def _model(folder: Path, weights: bytes = b"fake weights") -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.safetensors").write_bytes(weights)
    return str(folder)


def _fill(cache_dir: Path, model: str) -> dict[str, np.ndarray]:
    embedder = get_embedder(Services(cache_dir=cache_dir), model, backend="fake")
    vectors = embedder.encode(SENTENCES)
    encoded.clear()
    return dict(zip(SENTENCES, vectors, strict=True))


def _overwrite(cache_dir: Path, text: str, blob: bytes) -> None:
    key = hashlib.sha256(text.encode()).digest()
    with sqlite3.connect(cache_dir / "embeddings.sqlite3") as db:
        assert db.execute("UPDATE vectors SET vector = ? WHERE key = ?", [blob, key]).rowcount == 1


@pytest.mark.parametrize(
    "blob",
    [
        b"\x00\x01\x02",  # not a multiple of 4 bytes
        (np.ones(4, np.float32) / 2).tobytes(),  # unit norm, but 4 wide where the model makes 8
        np.array([np.nan] * 8, dtype=np.float32).tobytes(),
        np.full(8, 3.0, dtype=np.float32).tobytes(),  # not unit norm
        np.array([1, 0, 0, 0, 0, 0, 0, np.inf], dtype=np.float32).tobytes(),
    ],
    ids=["odd-length", "wrong-dimension", "nan", "not-unit-norm", "infinite"],
)
def test_a_bad_cached_vector_is_a_miss(tmp_path: Path, blob: bytes) -> None:
    model = _model(tmp_path / "model")
    fresh = _fill(tmp_path, model)
    _overwrite(tmp_path, SENTENCES[1], blob)
    services = Services(cache_dir=tmp_path)
    vectors = get_embedder(services, model, backend="fake").encode(SENTENCES)
    assert encoded == [[SENTENCES[1]]]  # only the bad row was embedded again
    assert vectors.shape == (3, 8)
    for text, vector in zip(SENTENCES, vectors, strict=True):
        assert np.allclose(vector, fresh[text])
    assert services.notices == []


def test_a_cache_that_lies_about_the_dimension_is_redone_when_the_model_runs(tmp_path: Path) -> None:
    model = _model(tmp_path / "model")
    fresh = _fill(tmp_path, model)
    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as db:
        db.execute("UPDATE models SET dimension = 4")
        db.execute("UPDATE vectors SET vector = ?", [(np.ones(4, np.float32) / 2).tobytes()])
    new = "A sentence that was never cached."
    vectors = get_embedder(Services(cache_dir=tmp_path), model, backend="fake").encode([*SENTENCES, new])
    assert vectors.shape == (4, 8)
    assert encoded == [[new], SENTENCES]
    assert np.allclose(vectors[:3], np.stack([fresh[t] for t in SENTENCES]))


def test_a_bad_cached_vector_never_crashes_a_lint(tmp_path: Path) -> None:
    model = _model(tmp_path / "model")
    text = "The river flooded the old town last spring. Nobody expected the water to rise so fast.\n"
    options = {"RL102": {"model": model, "backend": "fake"}}
    lint_text(text, select=["RL102"], options=options, cache_dir=tmp_path)
    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as db:
        db.execute("UPDATE vectors SET vector = ?", [b"\x00\x01\x02\x03\x04"])
    text += "The town council met the next morning to count the damage to the houses.\n"  # no result hit
    again = lint_text(text, select=["RL102"], options=options, cache_dir=tmp_path)
    uncached = lint_text(text, select=["RL102"], options=options)
    assert describe(again) == describe(uncached)
    assert again.notices == uncached.notices == []


def test_vectors_are_keyed_by_the_weights(tmp_path: Path) -> None:
    model = _model(tmp_path / "model", b"weights one")
    _fill(tmp_path, model)
    _model(tmp_path / "model", b"weights two")  # the same folder, other weights
    get_embedder(Services(cache_dir=tmp_path), model, backend="fake").encode(SENTENCES)
    assert encoded == [SENTENCES]


def test_without_the_model_rl102_says_so_even_with_a_warm_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Environment A has the packaged model and fills the shared cache.
    package = tmp_path / "site" / "model"
    _model(package)
    monkeypatch.setattr(ms, "packaged_model_dir", lambda: package)
    monkeypatch.setattr(ms, "EXPECTED_SHA256", hashlib.sha256(b"fake weights").hexdigest())
    text = (
        "Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia. "
        "Prices rose in the spring. Lowering the advisory is expected to ease the worries "
        "of citizens who travel to Cambodia.\n"
    )
    with_model = lint_text(text, select=["RL102"], options={"RL102": {"backend": "fake"}}, cache_dir=tmp_path)
    assert with_model.notices == []
    # Environment B has no model but the same cache folder (~/.cache/redline).
    shutil.rmtree(package)

    def not_installed() -> Path:
        raise ms.ModelUnavailable(f"the embedding model is not installed; {ms.INSTALL_HINT}")

    monkeypatch.setattr(ms, "packaged_model_dir", not_installed)
    encoded.clear()
    without = lint_text(text, select=["RL102"], options={"RL102": {"backend": "fake"}}, cache_dir=tmp_path)
    assert describe(without) == []
    assert without.notices == [
        "RL102 redundancy.near-duplicate did not run: the embedding model is not installed; "
        "install it with: pip install 'redline[embeddings]'"
    ]
    assert encoded == []


def test_an_embedder_without_its_model_reads_no_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site" / "model"
    _model(package)
    monkeypatch.setattr(ms, "packaged_model_dir", lambda: package)
    monkeypatch.setattr(ms, "EXPECTED_SHA256", hashlib.sha256(b"fake weights").hexdigest())
    _fill(tmp_path, "all-MiniLM-L6-v2")
    shutil.rmtree(package)
    with pytest.raises(ms.ModelUnavailable, match=r"has no model\.safetensors"):
        get_embedder(Services(cache_dir=tmp_path), "all-MiniLM-L6-v2", backend="fake").encode(SENTENCES)
    assert encoded == []


_READ_ONLY_RUN = textwrap.dedent(
    """
    import sys
    import numpy as np
    from redline.embedding import BACKENDS, get_embedder
    from pathlib import Path
    from redline.services import Services

    class Fake:
        def encode(self, texts):
            print("encoded", len(texts))
            return np.array([np.random.default_rng(sum(map(ord, t))).normal(size=8) for t in texts])

    def load(source):
        return Fake()

    BACKENDS["fake"] = "__main__:load"
    services = Services(cache_dir=Path(sys.argv[1]))
    embedder = get_embedder(services, sys.argv[2], backend="fake")
    embedder.encode(sys.argv[3:])
    embedder.encode(["A sentence never cached before."])
    print("notices", services.notices)
    """
)


def _unprivileged() -> list[str]:
    """A wrapper that makes file modes bind even for root (drops the override capabilities)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file modes do not bind")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


@pytest.mark.parametrize("folder_read_only", [False, True], ids=["file", "file-and-folder"])
def test_a_read_only_cache_is_used_read_only(tmp_path: Path, folder_read_only: bool) -> None:
    cache_dir = tmp_path / "cache"
    model = _model(tmp_path / "model")
    _fill(cache_dir, model)
    database = cache_dir / "embeddings.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = database.read_bytes()
    (cache_dir / "model-checks.json").unlink(missing_ok=True)
    database.chmod(0o444)
    if folder_read_only:
        cache_dir.chmod(0o555)
    try:
        run = run_cli(
            [str(cache_dir), model, *SENTENCES], tmp_path, python_code=_READ_ONLY_RUN, wrapper=_unprivileged()
        )
    finally:
        cache_dir.chmod(0o755)
    no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["encoded 1", "notices []"]  # the three cached ones were read
    assert database.read_bytes() == before
