"""``--cross-file`` over ~100,000 sentences: the whole pipeline, time and peak memory.

    python bench/cross_file_scale.py [COPIES]     # default 10 copies of the docs corpus

Makes COPIES variants of the docs corpus (in each copy a third of the words, chosen per
copy, get a suffix, so copies are related but not identical) and runs
``redline --select RL102 --cross-file --no-cache`` over all of them in this process, with
the embedding model replaced by a stand-in: a hashed bag-of-words projected to 384
dimensions (embedding 100,000 sentences with the real model takes most of an hour on two
CPU cores; the vector cache makes later runs cheap, and what is measured here is
everything else: parsing, sentences, the candidate search and the claim scorer). Prints
the sentence count, wall time, peak RSS, and whether the ANN index (FAISS) was used.
"""

from __future__ import annotations

import hashlib
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"[A-Za-z]{3,}")


class HashedBagOfWords:
    def __init__(self, dim: int = 384) -> None:
        self.dim = dim
        self.words: dict[str, np.ndarray] = {}

    def vector(self, word: str) -> np.ndarray:
        if word not in self.words:
            seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
            self.words[word] = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return self.words[word]

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row] += self.vector(word)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def load(source: object) -> HashedBagOfWords:
    return HashedBagOfWords()


def make_copies(corpus: Path, target: Path, copies: int) -> None:
    for copy in range(copies):
        folder = target / f"copy{copy:02d}"
        folder.mkdir(parents=True)

        def vary(match: re.Match[str], copy: int = copy) -> str:
            word = match.group()
            chosen = hashlib.blake2b(f"{word}{copy}".encode(), digest_size=1).digest()[0] % 3 == 0
            return f"{word}x{copy}" if copy and chosen else word

        for path in sorted(corpus.iterdir()):
            (folder / path.name).write_text(_WORD.sub(vary, path.read_text("utf-8")), "utf-8")


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    from redline import embedding
    from redline.embedding import index
    from redline.engine import Linter, LintOptions
    from redline.selection import CommandLineSettings

    embedding.BACKENDS["hashed"] = f"{__name__}:load"
    used_index: list[int] = []
    real = index.index_candidate_pairs

    def spy(vectors: np.ndarray, k: int, threshold: float) -> list[tuple[int, int, float]]:
        used_index.append(len(vectors))
        return real(vectors, k, threshold)

    index.index_candidate_pairs = spy  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        make_copies(REPO / "../shared/corpus/docs", root / "docs", copies)
        config = root / "redline.toml"
        config.write_text('[rules.near-duplicate]\nbackend = "hashed"\n')
        options = LintOptions(
            command_line=CommandLineSettings(select=["RL102"]),
            config_path=config,
            cross_file=True,
            use_cache=False,
        )
        start = time.perf_counter()
        result = Linter(options).lint_paths([str(root / "docs")])
        wall = time.perf_counter() - start
    sentences = sum(len(f.document.sentences) for f in result.files)
    findings = sum(len(f.findings) for f in result.files)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(result.files)} files, {sentences} sentences, {findings} RL102 findings: {wall:.0f} s wall, "
        f"peak RSS {rss:.0f} MB, ANN index used on {used_index or 'no'} vectors; notices: {result.notices}"
    )


if __name__ == "__main__":
    main()
