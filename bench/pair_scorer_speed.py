"""What RL102's pair scorer costs next to the embedding it needs anyway.

    python bench/pair_scorer_speed.py FILE [FILE ...]

For each file, with no vector cache: the time to embed every unit the rule embeds the
plain way (sentence vectors only), the time to embed them with token vectors from the same
forward pass (what the rule does), and the time of the second stage itself (candidate
search, token alignment, features, scorer). Prints the ratio
(embedding with tokens + second stage) / plain embedding; the target is at most 1.3.
"""

from __future__ import annotations

import sys
import time

from redline.embedding import get_embedder
from redline.engine import Linter, LintOptions
from redline.rules.redundancy import claim_search
from redline.rules.redundancy.claims import unit_texts
from redline.rules.redundancy.near_duplicate import NearDuplicateOptions
from redline.selection import CommandLineSettings
from redline.services import Services


def main(paths: list[str]) -> None:
    options = NearDuplicateOptions()
    for path in paths:
        run = Linter(LintOptions(command_line=CommandLineSettings(select=["RL101"]), use_cache=False))
        document = run.lint_paths([path]).files[0].document
        members = claim_search.members([document], options)
        texts = [t for m in members for t in unit_texts(m.text, options.min_clause_words)]
        plain = get_embedder(Services(use_cache=False), options.model)
        backend = plain._load()
        backend.encode(texts[:8])  # warm up the model
        started = time.perf_counter()
        backend.encode(texts)
        plain_time = time.perf_counter() - started
        with_tokens = get_embedder(Services(use_cache=False), options.model)
        with_tokens._backend = backend
        started = time.perf_counter()
        with_tokens.encode(texts)
        token_time = time.perf_counter() - started
        started = time.perf_counter()
        claim_search.find_clusters([document], with_tokens, options)
        claim_search.find_commentary([document], with_tokens, options)
        stage_time = time.perf_counter() - started
        ratio = (token_time + stage_time) / plain_time
        print(
            f"{path}: {len(texts)} units; plain embedding {plain_time:.2f} s, with token vectors "
            f"{token_time:.2f} s, second stage {stage_time:.2f} s: {ratio:.2f}x"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
