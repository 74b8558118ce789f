"""The train documents held out from the pair encoder's training, as pair_docs.py sets.

``bench/train_pair_encoder.py`` trains the adapter without the train documents whose
number is divisible by ``HOLDOUT`` (7); those only choose its epoch. This copies them, with
their ``gold.json`` entries, into a folder that ``pair_docs.py score`` and ``cosine`` read:
the nearest thing to a held-out set here (optimistic: the features' regression was fitted on
all train documents). Usage::

    python ../shared/tools/pair_docs.py build mrpc-train /tmp/pd/mrpc-train
    python bench/heldout_docs.py /tmp/pd/mrpc-train /tmp/pd/mrpc-train-h7
    python ../shared/tools/pair_docs.py score /tmp/pd/mrpc-train-h7 --select RL102 --no-cache
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HOLDOUT = 7  # as in bench/train_pair_encoder.py


def main(source: Path, target: Path) -> None:
    gold = json.loads((source / "gold.json").read_text("utf-8"))
    kept = [entry for entry in gold if int(Path(entry["file"]).stem.rsplit("-", 1)[1]) % HOLDOUT == 0]
    target.mkdir(parents=True, exist_ok=True)
    for entry in kept:
        shutil.copy(source / entry["file"], target / entry["file"])
    (target / "gold.json").write_text(json.dumps(kept), "utf-8")
    pairs = sum(len(entry["positive"]) for entry in kept)
    print(f"{len(kept)} documents, {pairs} same-claim pairs in {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
