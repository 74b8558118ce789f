"""Sentence embeddings for the near-duplicate rule: one :class:`Embedder` per model and run.

An embedder turns sentences into L2-normalised float32 vectors. It looks every sentence up
in the on-disk cache first (:mod:`redline.embedding.cache`) and loads a model backend only
for the sentences it has never seen, so a second run over an unchanged file imports no
machine-learning library at all. Backends live in their own modules behind
:class:`Backend` and are picked by name (``backend = "torch"``).
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from redline.embedding.model_source import INSTALL_HINT, ModelSource, ModelUnavailable, resolve_model

if TYPE_CHECKING:
    from redline.embedding.cache import VectorCache
    from redline.services import Services

#: Backend name -> "module:factory"; a factory takes (ModelSource, cache_dir) and returns a Backend.
BACKENDS = {
    "torch": "redline.embedding.torch_backend:load",
    "onnx": "redline.embedding.onnx_backend:load",
    "onnx-int8": "redline.embedding.onnx_backend:load_int8",
}


class Backend(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


def sentence_key(text: str) -> str:
    """The text that is embedded and cached: NFC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


class Embedder:
    """``encode(texts) -> (n, d)`` float32, L2-normalised, cached by model id and text."""

    def __init__(
        self,
        source: ModelSource,
        backend: str = "torch",
        cache: VectorCache | None = None,
        verify_cache_dir: Path | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise ModelUnavailable(f"unknown embedding backend {backend!r} (known: {', '.join(BACKENDS)})")
        self.source = source
        self.backend_name = backend
        self.cache = cache
        self._verify_cache_dir = verify_cache_dir
        self._backend: Backend | None = None
        self._memory: dict[str, np.ndarray] = {}

    @property
    def model_id(self) -> str:
        return f"{self.source.model_id}|{self.backend_name}"

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [sentence_key(t) for t in texts]
        wanted = list(dict.fromkeys(k for k in keys if k not in self._memory))
        if wanted and self.cache is not None:
            self._memory.update(self.cache.get_many(self.model_id, wanted))
            wanted = [k for k in wanted if k not in self._memory]
        if wanted:
            vectors = _normalised(self._load().encode(wanted))
            fresh = dict(zip(wanted, vectors, strict=True))
            self._memory.update(fresh)
            if self.cache is not None:
                self.cache.put_many(self.model_id, fresh)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._memory[k] for k in keys]).astype(np.float32, copy=False)

    def _load(self) -> Backend:
        if self._backend is None:
            self.source.verify(self._verify_cache_dir)
            module_name, factory_name = BACKENDS[self.backend_name].split(":")
            factory: Callable[[ModelSource], Backend] = getattr(
                importlib.import_module(module_name), factory_name
            )
            self._backend = factory(self.source)
        return self._backend


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return normalised


def get_embedder(services: Services, model: str, backend: str = "torch") -> Embedder:
    """The run's shared embedder for ``model`` (raises :class:`ModelUnavailable`)."""

    def build() -> Embedder:
        source = resolve_model(model)
        cache = None
        cache_dir = services.resolved_cache_dir() if services.use_cache else None
        if cache_dir is not None:
            from redline.embedding.cache import VectorCache

            cache = VectorCache(cache_dir / "embeddings.sqlite3", services.notice)
        return Embedder(source, backend, cache, cache_dir)

    key = ("embedder", model, backend, services.resolved_cache_dir() if services.use_cache else None)
    embedder: Embedder = services.shared(key, build)
    return embedder


__all__ = ["INSTALL_HINT", "Backend", "Embedder", "ModelSource", "ModelUnavailable", "get_embedder", "sentence_key"]
