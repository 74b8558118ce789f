"""What RL102's pair scorer costs next to the embedding it needs anyway.

    python bench/pair_scorer_speed.py [--scorer claim|encoder] FILE [FILE ...]

For each file, with no vector cache: the time to embed every unit the rule embeds the
plain way (sentence vectors only), the time to embed them with token vectors from the same
forward pass (what the rule does), and the time of the second stage itself (candidate
search, token alignment, features, scorer, the cross-encoder on the pairs it reads,
commentary, stacked forecasts), of which the cross-encoder's share is printed on its own (it is loaded and
warmed up before the clock starts, as the embedding model is). Prints the ratios
second stage / plain embedding (the scorer's cost) and (embedding with tokens + second
stage) / plain embedding (the whole rule's); the issue's target is at most 1.3.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from redline.embedding import get_embedder
from redline.embedding.pair_encoder import PairEncoder, pair_encoder_for
from redline.engine import Linter, LintOptions
from redline.rules.redundancy import claim_search
from redline.rules.redundancy.claims import pair_scorer, unit_texts
from redline.rules.redundancy.forecasts import find_stacked_forecasts
from redline.rules.redundancy.near_duplicate import NearDuplicateOptions
from redline.selection import CommandLineSettings
from redline.services import Services

_LOGITS = PairEncoder.logits
ENCODER: list[float] = [0.0, 0]  # seconds in the cross-encoder, pairs it read


def _timed(self: PairEncoder, pairs: list[tuple[str, str]]) -> np.ndarray:
    tick = time.perf_counter()
    result = _LOGITS(self, pairs)
    ENCODER[0] += time.perf_counter() - tick
    ENCODER[1] += len(pairs)
    return result


def main(arguments: list[str]) -> None:
    scorer = "encoder"
    if arguments[:1] == ["--scorer"]:
        scorer, arguments = arguments[1], arguments[2:]
    options = NearDuplicateOptions(scorer=scorer)  # type: ignore[arg-type]
    paths = arguments
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
        encoder_time, encoded = 0.0, 0
        mix = pair_scorer().encoder
        encoder = None if mix is None else pair_encoder_for(with_tokens, mix.sha256)
        if encoder is not None:
            encoder.logits(list(zip(texts[:4], texts[4:8], strict=True)))  # warm up
            PairEncoder.logits = _timed  # type: ignore[method-assign]
            ENCODER[:] = [0.0, 0]
        started = time.perf_counter()
        claim_search.find_clusters([document], with_tokens, options)
        claim_search.find_commentary([document], with_tokens, options)
        find_stacked_forecasts([document], with_tokens, options)
        stage_time = time.perf_counter() - started
        if encoder is not None:
            PairEncoder.logits = _LOGITS  # type: ignore[method-assign]
            encoder_time, encoded = ENCODER[0], int(ENCODER[1])
        ratio = (token_time + stage_time) / plain_time
        print(
            f"{path}: {len(texts)} units; plain embedding {plain_time:.2f} s, with token vectors "
            f"{token_time:.2f} s, second stage {stage_time:.2f} s (cross-encoder {encoder_time:.2f} s "
            f"on {encoded} pairs; backend {with_tokens.backend_name}): second stage / plain "
            f"{stage_time / plain_time:.2f}x, (tokens + second stage) / plain {ratio:.2f}x"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
