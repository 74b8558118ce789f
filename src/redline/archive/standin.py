"""A stand-in embedder for tests and benchmarks of the archive: a hashed bag of words.

``backend = "hashed"`` in ``[rules.near-duplicate]`` selects it. Each word gets a fixed
random vector (seeded by its hash) and a sentence is the normalised sum of its words'
vectors: sentences that share most words are close, as with a real model, but paraphrases
with other words are not. It costs microseconds per sentence, loads nothing, and gives
the same vector for the same text in every process, which is what the tests of the
archive's incremental build and of its Ray engine need. It is not a model of meaning.

RL102's learned pair scorer also needs token vectors (``encode_with_tokens``): here a
text's tokens are its words, each with its own hashed vector, L2-normalised.
"""

from __future__ import annotations

import hashlib

import numpy as np

DIM = 384
#: Word vectors kept (1.5 KB each); the cache is emptied when it is full, to bound memory.
MAX_WORDS = 20_000


class HashedBagOfWords:
    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim
        self._words: dict[str, np.ndarray] = {}

    def _vector(self, word: str) -> np.ndarray:
        vector = self._words.get(word)
        if vector is None:
            if len(self._words) >= MAX_WORDS:
                self._words.clear()
            seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
            vector = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            self._words[word] = vector
        return vector

    def _split(self, text: str) -> list[str]:
        return [word.strip(".,;:!?\"'()") for word in text.lower().split()]

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.encode_with_tokens(texts)[0]

    def encode_with_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Sentence vectors ``(n, d)`` (the normalised sum of the words') and each text's token
        vectors ``(words, d)`` (each word's vector, normalised)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        tokens: list[np.ndarray] = []
        for row, text in enumerate(texts):
            words = self._split(text)
            matrix = (
                np.stack([self._vector(word) for word in words])
                if words
                else np.zeros((0, self.dim), dtype=np.float32)
            )
            out[row] = matrix.sum(axis=0)
            tokens.append(matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12))
        normalised: np.ndarray = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return normalised, tokens


def load(source: object) -> HashedBagOfWords:
    """The backend factory (``redline.embedding.BACKENDS["hashed"]``)."""
    return HashedBagOfWords()
