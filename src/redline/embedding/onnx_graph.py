"""The ONNX graph of a BERT encoder, built from its safetensors weights without torch.

The ONNX backend runs the transformer of a sentence-transformers folder; this module
writes that transformer as an ONNX graph directly, with numpy, ``safetensors`` and
``onnx.helper``: the same inputs (``input_ids``, ``attention_mask``, ``token_type_ids``,
int64, dynamic batch and tokens) and output (``last_hidden_state``) as ``torch.onnx.export``
gave, in standard opset-17 operators. So the first run needs neither torch nor
transformers (they cost about 0.5 GB of memory and 10 s of imports and tracing). The
weights are read tensor by tensor and written one initializer at a time (see
:meth:`Built.write`), so they are never held twice.

The graph is BERT's forward pass written out (HF ``BertModel``, absolute positions):

- embeddings: word + position + token type, then LayerNormalization;
- the attention mask as an additive bias, 0 on tokens and float32's lowest value on
  padding (the softmax gives padding exactly 0, as torch's boolean mask does);
- each layer: query, key and value (MatMul + Add), heads by Reshape and Transpose,
  ``softmax(q k^T / sqrt(d) + bias) v``, the output map, Add + LayerNormalization; the
  feed-forward map with the exact (erf) GELU, Add + LayerNormalization.

Only what it knows is built: ``model_type`` "bert" with ``hidden_act`` "gelu", absolute
positions, and every weight present with the expected shape. Anything else raises
:class:`GraphUnavailable` and the caller falls back to torch's exporter.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from redline.embedding.model_source import ModelUnavailable

#: Part of the exported file's cache key: bump when the graph changes.
BUILDER_VERSION = "bert-graph-1"
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"

Weights = dict[str, np.ndarray]


class GraphUnavailable(ModelUnavailable):
    """The graph cannot be built here (an architecture this module does not know, or the
    ``onnx``/``safetensors`` packages missing); the message says which."""


@dataclass(frozen=True)
class BertConfig:
    hidden: int
    heads: int
    layers: int
    intermediate: int
    eps: float
    vocab: int
    positions: int
    token_types: int

    @property
    def head_size(self) -> int:
        return self.hidden // self.heads


def read_config(model_dir: Path) -> BertConfig:
    """The hyperparameters from ``config.json``; refuses an architecture the builder does not know."""
    path = model_dir / "config.json"
    try:
        config = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise GraphUnavailable(f"cannot read the model's config.json ({error})") from None
    if not isinstance(config, dict):
        raise GraphUnavailable("the model's config.json is not an object")
    return config_from_dict(config)


def config_from_dict(config: dict[str, Any]) -> BertConfig:
    """:func:`read_config` on the parsed ``config.json``."""
    unknown = _unknown(config)
    if unknown:
        raise GraphUnavailable(
            f"the ONNX graph builder knows BERT encoders (model_type 'bert', hidden_act 'gelu', "
            f"absolute positions), and this model has {unknown}"
        )
    try:
        built = BertConfig(
            hidden=int(config["hidden_size"]),
            heads=int(config["num_attention_heads"]),
            layers=int(config["num_hidden_layers"]),
            intermediate=int(config["intermediate_size"]),
            eps=float(config.get("layer_norm_eps", 1e-12)),
            vocab=int(config["vocab_size"]),
            positions=int(config.get("max_position_embeddings", 512)),
            token_types=int(config.get("type_vocab_size", 2)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise GraphUnavailable(f"the model's config.json lacks a usable {error}") from None
    if min(built.hidden, built.heads, built.layers, built.intermediate) <= 0 or built.hidden % built.heads:
        raise GraphUnavailable(
            f"the model's config.json has hidden_size {built.hidden} for {built.heads} attention heads"
        )
    return built


def _unknown(config: dict[str, Any]) -> str:
    """What in ``config`` the builder does not know, or "" when it knows it all."""
    checks = [
        ("model_type", config.get("model_type"), ("bert",)),
        ("hidden_act", config.get("hidden_act", "gelu"), ("gelu",)),
        ("position_embedding_type", config.get("position_embedding_type", "absolute"), ("absolute",)),
        ("is_decoder", config.get("is_decoder", False), (False,)),
        ("add_cross_attention", config.get("add_cross_attention", False), (False,)),
    ]
    return ", ".join(f"{key} {value!r}" for key, value, known in checks if value not in known)


def read_weights(model_dir: Path, config: BertConfig) -> Weights:
    """The encoder's tensors as float32 numpy arrays, named as in ``BertModel`` (a ``bert.``
    prefix, as in a checkpoint with a task head, is dropped); checked against ``config``."""
    path = model_dir / "model.safetensors"
    if not path.is_file():
        raise GraphUnavailable("the ONNX graph builder reads model.safetensors, and the model has none")
    try:
        from safetensors import safe_open
    except ImportError:
        raise GraphUnavailable("the ONNX graph builder needs the 'safetensors' package") from None
    try:  # tensor by tensor: the whole file is never held besides the arrays
        with safe_open(str(path), framework="numpy") as file:
            weights: Weights = {name.removeprefix("bert."): file.get_tensor(name) for name in file.keys()}  # noqa: SIM118
    except (OSError, ValueError, RuntimeError) as error:
        raise GraphUnavailable(f"cannot read {path.name} ({error})") from None
    for name, shape in expected_shapes(config).items():
        tensor = weights.get(name)
        if tensor is None:
            raise GraphUnavailable(f"{path.name} has no tensor {name!r}, which a BERT encoder needs")
        if tuple(tensor.shape) != shape:
            raise GraphUnavailable(f"{path.name}: {name!r} has shape {tuple(tensor.shape)}, not {shape}")
        if tensor.dtype != np.float32:
            weights[name] = tensor.astype(np.float32)
    return weights


def expected_shapes(config: BertConfig) -> dict[str, tuple[int, ...]]:
    h, i = config.hidden, config.intermediate
    shapes: dict[str, tuple[int, ...]] = {
        "embeddings.word_embeddings.weight": (config.vocab, h),
        "embeddings.position_embeddings.weight": (config.positions, h),
        "embeddings.token_type_embeddings.weight": (config.token_types, h),
        "embeddings.LayerNorm.weight": (h,),
        "embeddings.LayerNorm.bias": (h,),
    }
    linears = {
        "attention.self.query": (h, h),
        "attention.self.key": (h, h),
        "attention.self.value": (h, h),
        "attention.output.dense": (h, h),
        "intermediate.dense": (i, h),
        "output.dense": (h, i),
    }
    for layer in range(config.layers):
        prefix = f"encoder.layer.{layer}."
        for name, (out, inner) in linears.items():
            shapes[f"{prefix}{name}.weight"] = (out, inner)
            shapes[f"{prefix}{name}.bias"] = (out,)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            shapes[f"{prefix}{norm}.weight"] = (h,)
            shapes[f"{prefix}{norm}.bias"] = (h,)
    return shapes


class _Graph:
    """Nodes and initializers (kept as arrays until written), each with a unique name."""

    def __init__(self, helper: Any) -> None:
        self.helper = helper
        self.nodes: list[Any] = []
        self.tensors: list[tuple[str, np.ndarray]] = []
        self._count = 0

    def constant(self, name: str, value: np.ndarray) -> str:
        self.tensors.append((name, value))
        return name

    def op(self, op_type: str, inputs: list[str], output: str | None = None, **attributes: Any) -> str:
        self._count += 1
        output = output or f"{op_type.lower()}_{self._count}"
        self.nodes.append(
            self.helper.make_node(op_type, inputs, [output], name=f"{op_type}_{self._count}", **attributes)
        )
        return output


@dataclass
class Built:
    """The model without its initializers, and the initializers as arrays (in order)."""

    model: Any  # onnx.ModelProto
    tensors: list[tuple[str, np.ndarray]]

    def _initializer_record(self, name: str, array: np.ndarray) -> bytes:
        """A ModelProto holding only ``graph.initializer = [this tensor]``, serialised."""
        from onnx import ModelProto, numpy_helper

        record = ModelProto()
        record.graph.initializer.append(numpy_helper.from_array(array, name))
        data: bytes = record.SerializeToString()
        return data

    def write(self, file: BinaryIO) -> None:
        """The serialised model, one initializer at a time: a protobuf parser merges every
        occurrence of a message field (here ``graph``) and appends to repeated fields, so
        the model without initializers followed by one record per initializer reads as the
        whole model, and no second copy of the weights is ever held (the file is 90 MB)."""
        file.write(self.model.SerializeToString())
        while self.tensors:
            name, array = self.tensors.pop(0)
            file.write(self._initializer_record(name, array))

    def assembled(self) -> Any:
        """The whole ``onnx.ModelProto`` in memory (for tests; :meth:`write` is what export uses)."""
        from onnx import numpy_helper

        model = self.model.__class__()
        model.CopyFrom(self.model)
        model.graph.initializer.extend(numpy_helper.from_array(array, name) for name, array in self.tensors)
        return model


def build(config: BertConfig, weights: Weights) -> Built:
    """The encoder's graph. Consumes ``weights`` (each tensor is taken out of the dict as
    the graph takes it, transposed where the graph needs it)."""
    try:
        from onnx import TensorProto, helper
    except ImportError:
        raise GraphUnavailable("the ONNX graph builder needs the 'onnx' package") from None
    g = _Graph(helper)

    def weight(name: str) -> str:
        return g.constant(name, np.ascontiguousarray(weights.pop(name), dtype=np.float32))

    def linear(x: str, name: str) -> str:
        # HF stores a linear map as (out, in): y = x W^T + b
        matrix = g.constant(f"{name}.weight", np.ascontiguousarray(weights.pop(f"{name}.weight").T))
        return g.op("Add", [g.op("MatMul", [x, matrix]), weight(f"{name}.bias")])

    def layer_norm(x: str, name: str, output: str | None = None) -> str:
        return g.op(
            "LayerNormalization",
            [x, weight(f"{name}.weight"), weight(f"{name}.bias")],
            output,
            axis=-1,
            epsilon=config.eps,
        )

    one = g.constant("one", np.array(1.0, dtype=np.float32))
    tokens = g.op("Shape", ["input_ids"], start=1, end=2)
    positions = g.op(
        "Slice",
        [
            weight("embeddings.position_embeddings.weight"),
            g.constant("slice_start", np.array([0], dtype=np.int64)),
            tokens,
            g.constant("slice_axis", np.array([0], dtype=np.int64)),
        ],
    )
    words = g.op("Gather", [weight("embeddings.word_embeddings.weight"), "input_ids"])
    types = g.op("Gather", [weight("embeddings.token_type_embeddings.weight"), "token_type_ids"])
    summed = g.op("Add", [g.op("Add", [words, types]), positions])
    hidden = layer_norm(summed, "embeddings.LayerNorm")

    # 0 where the mask is 1, float32's lowest where it is 0, shaped (batch, 1, 1, tokens)
    mask = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    lowest = g.constant("mask_lowest", np.array(np.finfo(np.float32).min, dtype=np.float32))
    bias = g.op("Mul", [g.op("Sub", [one, mask]), lowest])
    bias = g.op("Unsqueeze", [bias, g.constant("mask_axes", np.array([1, 2], dtype=np.int64))])

    split_shape = g.constant("split_heads", np.array([0, 0, config.heads, config.head_size], dtype=np.int64))
    merge_shape = g.constant("merge_heads", np.array([0, 0, config.hidden], dtype=np.int64))
    scale = g.constant("attention_scale", np.array(1.0 / math.sqrt(config.head_size), dtype=np.float32))
    root_two = g.constant("root_two", np.array(math.sqrt(2.0), dtype=np.float32))
    half = g.constant("half", np.array(0.5, dtype=np.float32))
    for index in range(config.layers):
        prefix = f"encoder.layer.{index}."
        last = index == config.layers - 1

        def heads(x: str, perm: list[int]) -> str:
            return g.op("Transpose", [g.op("Reshape", [x, split_shape])], perm=perm)

        query = heads(linear(hidden, prefix + "attention.self.query"), [0, 2, 1, 3])
        key = heads(linear(hidden, prefix + "attention.self.key"), [0, 2, 3, 1])
        value = heads(linear(hidden, prefix + "attention.self.value"), [0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [query, key]), scale]), bias])
        context = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), value])
        context = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]), merge_shape])
        attended = linear(context, prefix + "attention.output.dense")
        hidden = layer_norm(g.op("Add", [attended, hidden]), prefix + "attention.output.LayerNorm")
        inner = linear(hidden, prefix + "intermediate.dense")
        erf = g.op("Erf", [g.op("Div", [inner, root_two])])
        gelu = g.op("Mul", [g.op("Mul", [inner, g.op("Add", [erf, one])]), half])
        out = linear(gelu, prefix + "output.dense")
        hidden = layer_norm(g.op("Add", [out, hidden]), prefix + "output.LayerNorm", OUTPUT if last else None)

    axes: list[int | str] = ["batch", "tokens"]
    graph = helper.make_graph(
        g.nodes,
        "bert_encoder",
        [helper.make_tensor_value_info(name, TensorProto.INT64, axes) for name in INPUTS],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, [*axes, config.hidden])],
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name=f"redline {BUILDER_VERSION}"
    )
    model.ir_version = 8  # what ONNX Runtime 1.17 (the oldest the extra allows) reads
    return Built(model, g.tensors)


def export(model_dir: Path, target: Path, prepare_weights: Callable[[Weights], None] | None = None) -> None:
    """Build the encoder of ``model_dir`` and write it to ``target`` (atomically);
    ``prepare_weights`` may change the weights first (RL102's pair encoder merges its
    adapter). Raises :class:`GraphUnavailable` where the builder does not know the model."""
    config = read_config(model_dir)
    weights = read_weights(model_dir, config)
    if prepare_weights is not None:
        prepare_weights(weights)
    built = build(config, weights)
    del weights
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            built.write(file)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
