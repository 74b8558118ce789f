"""The sentence-transformers (PyTorch) backend. Imported only when a sentence is uncached."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from redline.embedding.model_source import INSTALL_HINT, ModelSource, ModelUnavailable

BATCH_SIZE = 64


class TorchBackend:
    def __init__(self, model: Any) -> None:
        self.model = model

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=BATCH_SIZE,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_with_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Sentence vectors and, from the same forward pass, each sentence's token vectors
        (last layer, without [CLS] and [SEP])."""
        outputs = self.model.encode(
            texts, batch_size=BATCH_SIZE, output_value=None, convert_to_numpy=True, show_progress_bar=False
        )
        vectors = np.stack([np.asarray(o["sentence_embedding"], dtype=np.float32) for o in outputs])
        tokens = []
        for output in outputs:
            length = int(np.asarray(output["attention_mask"]).sum())
            tokens.append(np.asarray(output["token_embeddings"], dtype=np.float32)[1 : max(1, length - 1)])
        return vectors, tokens


def load(source: ModelSource) -> TorchBackend:
    """The backend for ``source``; one loaded model per location per process (tests, the LSP)."""
    location = source.location()
    if location not in _LOADED:
        _LOADED[location] = _load(source, location)
    return _LOADED[location]


_LOADED: dict[str, TorchBackend] = {}


def _load(source: ModelSource, location: str) -> TorchBackend:
    # Never reach for a model hub: everything must already be on disk.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ModelUnavailable(f"sentence-transformers is not installed; {INSTALL_HINT}") from None
    quiet_transformers()
    try:
        model = SentenceTransformer(str(location))
    except Exception as error:  # a bad folder raises anything from OSError to ValueError
        raise ModelUnavailable(f"cannot load the embedding model '{source.option}': {error}") from None
    return TorchBackend(model)


def quiet_transformers() -> None:
    """No progress bars or info logging on the user's terminal."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        return
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
