"""Sentence embeddings for the near-duplicate rule: one :class:`Embedder` per model and run.

An embedder turns sentences into L2-normalised float32 vectors. It looks every sentence up
in the on-disk cache first (:mod:`redline.embedding.cache`) and loads a model backend only
for the sentences it has never seen, so a second run over an unchanged file imports no
machine-learning library at all. Backends live in their own modules behind
:class:`Backend` and are picked by name (``backend = "torch"``).

``backend = "auto"`` (the default) is ONNX Runtime when it is installed and the model
folder has a ``tokenizer.json`` (the model is exported to ONNX on first use, once, with a
progress line on stderr; a BERT encoder such as the default model without torch), and
sentence-transformers on torch otherwise or when ONNX fails to load. The two agree
exactly (minimum cosine 1.0000 over the seed article's sentences, see bench/README.md),
so vectors are cached under the backend that made them. A process that lints again and
again (the resident server) sets :data:`KEEP_LOADED` and keeps each loaded backend for
its life (:data:`LOADED`).
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

import numpy as np

from redline.embedding.cache import MATRIX_SUFFIX
from redline.embedding.model_source import INSTALL_HINT, ModelSource, ModelUnavailable, resolve_model

if TYPE_CHECKING:
    from redline.embedding.cache import VectorCache
    from redline.services import Services

#: Backend name -> "module:factory"; a factory takes (ModelSource, cache_dir) and returns a Backend.
BACKENDS = {
    "auto": "redline.embedding.onnx_backend:load",  # resolved by resolve_backend()
    "torch": "redline.embedding.torch_backend:load",
    "onnx": "redline.embedding.onnx_backend:load",
    "onnx-int8": "redline.embedding.onnx_backend:load_int8",
}


class Backend(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


class TokenBackend(Backend, Protocol):
    def encode_with_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]: ...


#: Keep loaded backends for the life of the process (set by the resident server).
KEEP_LOADED = False
#: Loaded backends by (backend name, model option, model id), when :data:`KEEP_LOADED`.
LOADED: dict[tuple[str, str, str], Backend] = {}


def resolve_backend(backend: str, source: ModelSource) -> str:
    """``auto`` -> ``onnx`` where ONNX Runtime and the model's tokenizer.json are there, else ``torch``."""
    if backend != "auto":
        return backend
    import importlib.util

    if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("tokenizers") is None:
        return "torch"
    try:
        location = Path(source.location())
    except ModelUnavailable:
        return "torch"
    return "onnx" if (location / "tokenizer.json").is_file() else "torch"


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
        keep_tokens: bool = True,
    ) -> None:
        """``keep_tokens``: keep the token vectors of every forward pass in memory, for
        :meth:`tokens` (RL102's pair scorer asks for those of its candidate pairs, and a
        second pass would cost the model again). Off where nothing asks for token vectors
        (the archive's build): they are most of an embedder's memory (about 1.5 KB per
        token), and :meth:`tokens` then runs its own pass for what it is asked."""
        if backend not in BACKENDS:
            raise ModelUnavailable(f"unknown embedding backend {backend!r} (known: {', '.join(BACKENDS)})")
        self.source = source
        self.requested_backend = backend
        self.backend_name = resolve_backend(backend, source)
        self.cache = cache
        self._verify_cache_dir = verify_cache_dir
        self._backend: Backend | None = None
        self._memory: dict[str, np.ndarray] = {}
        self._model_id: str | None = None
        self._tokens: dict[str, np.ndarray] = {}  # text -> (tokens, d), rows L2-normalised
        self._unsaved: set[str] = set()  # token vectors computed here and not yet cached
        self.keep_tokens = keep_tokens

    @property
    def verify_cache_dir(self) -> Path | None:
        """Where the model's SHA-256 checks are remembered (RL102's pair encoder checks the same weights)."""
        return self._verify_cache_dir

    @property
    def model_id(self) -> str:
        """The cache key of this model and backend: the SHA-256 of the weights, so vectors
        are used only where the model that made them is installed (raises ModelUnavailable)."""
        if self._model_id is None:
            fingerprint = self.source.fingerprint(self._verify_cache_dir)
            if fingerprint is None:
                self._load()  # a model by name: it must load before any cached vector counts
                fingerprint = "name:" + self.source.model_id
            self._model_id = f"sha256:{fingerprint}|{self.backend_name}"
        return self._model_id

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [sentence_key(t) for t in texts]
        wanted = list(dict.fromkeys(k for k in keys if k not in self._memory))
        if wanted and self.cache is not None:
            self._memory.update(self.cache.get_many(self.model_id, wanted))
            wanted = [k for k in wanted if k not in self._memory]
        if wanted:
            vectors = _normalised(self._forward(wanted))
            fresh = dict(zip(wanted, vectors, strict=True))
            # Cached vectors of another width (a cache that lied about its dimension) are redone.
            width = vectors.shape[1:]
            stale = [k for k in dict.fromkeys(keys) if k not in fresh and self._memory[k].shape != width]
            if stale:
                fresh.update(zip(stale, _normalised(self._load().encode(stale)), strict=True))
            self._memory.update(fresh)
            if self.cache is not None:
                self.cache.put_many(self.model_id, fresh)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._memory[k] for k in keys]).astype(np.float32, copy=False)

    def tokens(self, texts: list[str]) -> list[np.ndarray]:
        """Each text's token vectors ``(tokens, d)``, L2-normalised rows, from the forward pass
        that embedded it (kept in memory), else the cache, else a new forward pass. The ones
        asked for are cached (only the sentences a rule looks inside, not every sentence)."""
        keys = [sentence_key(t) for t in texts]
        token_model = self.model_id + MATRIX_SUFFIX
        missing = list(dict.fromkeys(k for k in keys if k not in self._tokens))
        if missing and self.cache is not None:
            for key, flat in self.cache.get_many(token_model, missing).items():
                self._tokens[key] = flat.reshape(-1, self._dimension(key))
            missing = [k for k in missing if k not in self._tokens]
        fresh = [k for k in dict.fromkeys(keys) if k in self._tokens and k in self._unsaved]
        if missing:
            keep, self.keep_tokens = self.keep_tokens, True  # one pass for both
            try:
                self.encode([k for k in missing if k not in self._memory])  # caches their vectors too
            finally:
                self.keep_tokens = keep
            again = [k for k in missing if k not in self._tokens]
            if again:
                self._forward(again, with_tokens=True)
            fresh += missing
        if fresh and self.cache is not None:
            self.cache.put_many(token_model, {k: self._tokens[k] for k in fresh})
        self._unsaved.difference_update(fresh)
        return [self._tokens[k] for k in keys]

    def _dimension(self, key: str) -> int:
        if key not in self._memory:
            self.encode([key])
        return int(self._memory[key].shape[0])

    def _forward(self, keys: list[str], with_tokens: bool = False) -> np.ndarray:
        """Sentence vectors of ``keys``; token vectors too, kept when the backend gives them
        and they are asked for (``with_tokens``) or kept for later (``keep_tokens``)."""
        backend = self._load()
        if not hasattr(backend, "encode_with_tokens") or not (with_tokens or self.keep_tokens):
            return backend.encode(keys)
        vectors, tokens = cast("TokenBackend", backend).encode_with_tokens(keys)
        for key, token_vectors in zip(keys, tokens, strict=True):
            self._tokens[key] = _normalised(token_vectors)
        self._unsaved.update(keys)
        self._memory.update(zip(keys, _normalised(vectors), strict=True))
        return vectors

    def _load(self) -> Backend:
        if self._backend is None:
            self.source.verify(self._verify_cache_dir)
            try:
                self._backend = _loaded(self.backend_name, self.source)
            except (ModelUnavailable, ImportError, OSError, RuntimeError) as onnx_failed:
                if self.requested_backend != "auto" or self.backend_name == "torch":
                    raise
                self.backend_name = "torch"  # ONNX failed: fall back, vectors keyed by torch
                try:
                    self._backend = _loaded("torch", self.source)
                except ModelUnavailable as torch_failed:  # say why ONNX failed too (torch is not installed)
                    raise ModelUnavailable(f"{onnx_failed} (and the torch backend: {torch_failed})") from None
        return self._backend


def _loaded(backend: str, source: ModelSource) -> Backend:
    key = (backend, source.option, source.model_id)
    if key in LOADED:
        return LOADED[key]
    module_name, factory_name = BACKENDS[backend].split(":")
    factory: Callable[[ModelSource], Backend] = getattr(importlib.import_module(module_name), factory_name)
    loaded = factory(source)
    if KEEP_LOADED:
        LOADED[key] = loaded
    return loaded


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return normalised


def get_embedder(services: Services, model: str, backend: str = "auto") -> Embedder:
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


__all__ = [
    "INSTALL_HINT",
    "Backend",
    "Embedder",
    "ModelSource",
    "ModelUnavailable",
    "get_embedder",
    "sentence_key",
]
