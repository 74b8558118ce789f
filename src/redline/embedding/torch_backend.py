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
            texts, batch_size=BATCH_SIZE, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


def load(source: ModelSource) -> TorchBackend:
    location = source.location()
    # Never reach for a model hub: everything must already be on disk.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ModelUnavailable(f"sentence-transformers is not installed; {INSTALL_HINT}") from None
    try:
        model = SentenceTransformer(str(location))
    except Exception as error:  # a bad folder raises anything from OSError to ValueError
        raise ModelUnavailable(f"cannot load the embedding model '{source.option}': {error}") from None
    return TorchBackend(model)
