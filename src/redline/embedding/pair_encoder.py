"""RL102's cross-encoder: the packaged MiniLM reading both sentences of a pair at once.

The sentence vectors see each sentence alone; a pair from one news story that shares most
words but not the claim looks the same to them as a restatement. A cross-encoder reads
``[CLS] earlier [SEP] later [SEP]`` and attends across the two sentences. It is the
packaged all-MiniLM-L6-v2 with a small LoRA adapter on its last ``6 - FROZEN`` layers and
a head (the CLS and the mean-pooled last layer -> one logit), trained by
``bench/train_pair_encoder.py`` on the train documents' candidate pairs (fixed seed). The
adapter and head are data in the package (``pair_encoder.safetensors``, under 1 MB); the
base weights are the packaged model's, checked by SHA-256 like the embedding model's.

At run time the adapter is merged into the base weights and the model runs where the
sentence model runs: under ONNX Runtime (``backend = "auto"``/``"onnx"``), exported once
per machine from the merged weights (numpy, by :mod:`redline.embedding.onnx_graph`: no
torch) and cached next to the embedding model's export
(``<platform cache>/onnx/<hash>/pair_encoder.onnx``); or on torch. Without either
(no ``embeddings`` extra, or an export that cannot be made) :func:`load_pair_encoder`
raises :class:`ModelUnavailable` and RL102 scores pairs with its features alone.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from redline.embedding.model_source import ModelSource, ModelUnavailable

if TYPE_CHECKING:
    from redline.embedding import Embedder

#: The adapter and head, written by bench/train_pair_encoder.py.
ADAPTER_FILE = Path(__file__).resolve().parents[1] / "rules" / "redundancy" / "pair_encoder.safetensors"
FROZEN = 2  # the first FROZEN layers are the base model's own
RANK = 16
MAX_LENGTH = 128  # tokens of the pair; the longer sentence is cut first
#: Pairs per forward pass. They are sorted by length first, so a small batch pads little:
#: on the seed article's 22 pairs 8 costs 0.53 s of CPU against 0.88 s for 32.
BATCH_SIZE = 8
#: The linear maps of a BERT layer that carry an adapter.
LINEARS = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")  # fmt: skip
_EXPORT_FORMAT = "2"  # 2: built by onnx_graph, without torch


def lora_alpha() -> float:
    return 2.0 * RANK


def adapted_linears(layers: int = 6) -> list[tuple[int, str]]:
    """(layer, linear map) of every adapted map."""
    return [(layer, name) for layer in range(FROZEN, layers) for name in LINEARS]


def _key(layer: int, name: str) -> str:
    return f"l{layer}_{name.replace('.', '_')}"


def _submodule(root: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        root = getattr(root, part)
    return root


def merge_adapter(model: Any, tensors: dict[str, Any]) -> None:
    """Add each adapted map's low-rank update ``B @ A * alpha / rank`` to its weight (torch)."""
    import torch

    scale = lora_alpha() / RANK
    with torch.no_grad():
        for layer, name in adapted_linears(len(model.encoder.layer)):
            linear = _submodule(model.encoder.layer[layer], name)
            a, b = tensors[f"lora_a.{_key(layer, name)}"], tensors[f"lora_b.{_key(layer, name)}"]
            linear.weight += (b.float() @ a.float()) * scale


def _head(last_hidden: np.ndarray, mask: np.ndarray, weight: np.ndarray, bias: float) -> np.ndarray:
    """The logit from the CLS vector and the mean of the pair's tokens."""
    weights = mask[:, :, None].astype(np.float32)
    mean = (last_hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    features = np.concatenate([last_hidden[:, 0], mean], axis=1)
    logits: np.ndarray = features @ weight + bias
    return logits


class PairEncoder:
    """``logits(pairs)``: the cross-encoder's logit for each (earlier, later) pair."""

    def __init__(self, run: Any, tokenizer: Any, head_weight: np.ndarray, head_bias: float) -> None:
        self._run = run  # (ids, mask, type ids) -> last hidden state
        self._tokenizer = tokenizer
        self._weight = head_weight
        self._bias = head_bias

    def logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        out = np.zeros(len(pairs))
        order = sorted(range(len(pairs)), key=lambda k: len(pairs[k][0]) + len(pairs[k][1]))
        for lo in range(0, len(order), BATCH_SIZE):
            chunk = order[lo : lo + BATCH_SIZE]
            encodings = self._tokenizer.encode_batch([pairs[k] for k in chunk])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            types = np.array([e.type_ids for e in encodings], dtype=np.int64)
            hidden = np.asarray(self._run(ids, mask, types), dtype=np.float32)
            out[chunk] = _head(hidden, mask, self._weight, self._bias)
        return out


def read_adapter(expected_sha256: str | None = None) -> dict[str, np.ndarray]:
    """The adapter and head tensors; refused when the file is not the one the scorer was fitted with."""
    if not ADAPTER_FILE.is_file():
        raise ModelUnavailable(f"the pair encoder's weights are missing ({ADAPTER_FILE.name})")
    data = ADAPTER_FILE.read_bytes()
    if expected_sha256 is not None and hashlib.sha256(data).hexdigest() != expected_sha256:
        raise ModelUnavailable(f"{ADAPTER_FILE.name} is not the file pair_scorer.json was fitted with")
    try:
        from safetensors.numpy import load
    except ImportError:
        raise ModelUnavailable("the pair encoder needs the 'safetensors' package") from None
    return dict(load(data))


def _tokenizer(model_dir: Path) -> Any:
    try:
        from tokenizers import Tokenizer
    except ImportError:
        raise ModelUnavailable("the pair encoder needs the 'tokenizers' package") from None
    if not (model_dir / "tokenizer.json").is_file():
        raise ModelUnavailable("the pair encoder needs the model's tokenizer.json")
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_LENGTH, strategy="longest_first")
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
    return tokenizer


def _torch_model(model_dir: Path, adapter: dict[str, np.ndarray]) -> Any:
    try:
        import torch
        from transformers import AutoModel
    except ImportError:
        raise ModelUnavailable("the pair encoder needs torch and transformers, or its ONNX export") from None
    from redline.embedding.torch_backend import quiet_transformers

    quiet_transformers()
    model = AutoModel.from_pretrained(str(model_dir))
    model.eval()
    merge_adapter(model, {k: torch.from_numpy(v) for k, v in adapter.items()})
    return model


def onnx_file(model_dir: Path, adapter_sha256: str) -> Path:
    from redline.embedding.onnx_backend import artifact_dir

    stamp = f"{artifact_dir(model_dir).name}|{adapter_sha256}|{_EXPORT_FORMAT}"
    return (
        artifact_dir(model_dir).parent / hashlib.sha256(stamp.encode()).hexdigest()[:16] / "pair_encoder.onnx"
    )


def load_pair_encoder(source: ModelSource, backend: str, adapter_sha256: str) -> PairEncoder:
    """The cross-encoder on ``backend`` ("onnx" or "torch"); raises :class:`ModelUnavailable`."""
    if not source.packaged:
        raise ModelUnavailable("the pair encoder is trained on the packaged all-MiniLM-L6-v2 only")
    model_dir = Path(source.location())
    adapter = read_adapter(adapter_sha256)
    weight = adapter["head.weight"].reshape(-1).astype(np.float32)
    bias = float(adapter["head.bias"].reshape(-1)[0])
    tokenizer = _tokenizer(model_dir)
    if backend.startswith("onnx"):
        return PairEncoder(_onnx_runner(model_dir, adapter, adapter_sha256), tokenizer, weight, bias)
    model = _torch_model(model_dir, adapter)

    def run(ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> np.ndarray:
        import torch

        with torch.no_grad():
            output = model(
                input_ids=torch.from_numpy(ids),
                attention_mask=torch.from_numpy(mask),
                token_type_ids=torch.from_numpy(types),
            )
        result: np.ndarray = output.last_hidden_state.numpy()
        return result

    return PairEncoder(run, tokenizer, weight, bias)


def _onnx_runner(model_dir: Path, adapter: dict[str, np.ndarray], adapter_sha256: str) -> Any:
    try:
        import onnxruntime
    except ImportError:
        raise ModelUnavailable("onnxruntime is not installed") from None
    from redline.embedding import onnx_backend

    path = onnx_file(model_dir, adapter_sha256)
    if not path.exists():
        print(
            "redline: exporting RL102's pair encoder to ONNX, once for this machine (a few seconds)...",
            file=sys.stderr,
            flush=True,
        )
        onnx_backend.export(
            model_dir,
            path,
            prepare=lambda model: merge_adapter(model, {k: _torch_tensor(v) for k, v in adapter.items()}),
            prepare_weights=lambda weights: merge_adapter_numpy(weights, adapter),
        )
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = int(os.environ.get("REDLINE_ONNX_THREADS") or os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run(ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> np.ndarray:
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return np.asarray(session.run(["last_hidden_state"], feed)[0])

    return run


def _torch_tensor(array: np.ndarray) -> Any:
    import torch

    return torch.from_numpy(array)


def merge_adapter_numpy(weights: dict[str, np.ndarray], adapter: dict[str, np.ndarray]) -> None:
    """:func:`merge_adapter` on the numpy weights the ONNX graph is built from (named as in
    ``BertModel``'s state dict): the same float32 update, ``B @ A * alpha / rank``."""
    scale = np.float32(lora_alpha() / RANK)
    layers = 1 + max(int(name.split(".")[2]) for name in weights if name.startswith("encoder.layer."))
    for layer, name in adapted_linears(layers):
        key = f"encoder.layer.{layer}.{name}.weight"
        a = adapter[f"lora_a.{_key(layer, name)}"].astype(np.float32)
        b = adapter[f"lora_b.{_key(layer, name)}"].astype(np.float32)
        weights[key] = weights[key] + (b @ a) * scale


#: Loaded encoders by (backend, model location); a failed load is remembered as its error.
_LOADED: dict[tuple[str, str], PairEncoder | ModelUnavailable] = {}


def pair_encoder_for(embedder: Embedder, adapter_sha256: str) -> PairEncoder | None:
    """The cross-encoder on the embedder's backend, or None where it cannot run (the rule
    then scores with its features alone). Loaded once per process."""
    source = embedder.source
    try:
        backend = embedder.backend_name
        key = (backend, source.location())
    except ModelUnavailable:
        return None
    if key not in _LOADED:
        try:
            source.verify(embedder.verify_cache_dir)
            _LOADED[key] = load_pair_encoder(source, backend, adapter_sha256)
        except (ModelUnavailable, ImportError, OSError, RuntimeError) as error:
            if backend != "torch" and embedder.requested_backend == "auto":
                try:
                    _LOADED[key] = load_pair_encoder(source, "torch", adapter_sha256)
                except (ModelUnavailable, ImportError, OSError, RuntimeError) as again:
                    _LOADED[key] = ModelUnavailable(str(again))
            else:
                _LOADED[key] = ModelUnavailable(str(error))
        if isinstance(_LOADED[key], ModelUnavailable):  # once per process
            print(
                f"redline: RL102 scores pairs with its features alone: its cross-encoder cannot run here "
                f"({_LOADED[key]})",
                file=sys.stderr,
                flush=True,
            )
    loaded = _LOADED[key]
    return None if isinstance(loaded, ModelUnavailable) else loaded


# -- training (torch): used by bench/train_pair_encoder.py ------------------------------------


def TrainableHead(model: Any, rank: int, alpha: float) -> Any:
    """The trainable part over the first FROZEN layers' output: the last layers with a LoRA
    adapter on every linear map, and the head. Its forward is BERT's layer, written out."""
    import torch
    from torch import nn
    from torch.nn import functional

    class Head(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.frozen = nn.ModuleList(model.encoder.layer[FROZEN:])
            for parameter in self.frozen.parameters():
                parameter.requires_grad_(False)
            self.lora_a = nn.ParameterDict()
            self.lora_b = nn.ParameterDict()
            for layer, name in adapted_linears(len(model.encoder.layer)):
                linear = _submodule(model.encoder.layer[layer], name)
                a = torch.empty(rank, linear.in_features)
                nn.init.kaiming_uniform_(a, a=5**0.5)
                self.lora_a[_key(layer, name)] = nn.Parameter(a)
                self.lora_b[_key(layer, name)] = nn.Parameter(torch.zeros(linear.out_features, rank))
            self.head = nn.Linear(2 * model.config.hidden_size, 1)
            self.scale = alpha / rank
            self.heads = model.config.num_attention_heads
            self.dropout = nn.Dropout(0.1)

        def linear(self, layer: int, name: str, x: Any) -> Any:
            base = _submodule(self.frozen[layer - FROZEN], name)
            key = _key(layer, name)
            update = (self.dropout(x) @ self.lora_a[key].T) @ self.lora_b[key].T
            return functional.linear(x, base.weight, base.bias) + update * self.scale

        def layer(self, index: int, hidden: Any, additive_mask: Any) -> Any:
            module: Any = self.frozen[index - FROZEN]
            batch, tokens, width = hidden.shape
            size = width // self.heads

            def heads(x: Any) -> Any:
                return x.view(batch, tokens, self.heads, size).transpose(1, 2)

            q = heads(self.linear(index, "attention.self.query", hidden))
            k = heads(self.linear(index, "attention.self.key", hidden))
            v = heads(self.linear(index, "attention.self.value", hidden))
            scores = (q @ k.transpose(-1, -2)) / size**0.5 + additive_mask
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, tokens, width)
            attention = self.dropout(self.linear(index, "attention.output.dense", context))
            hidden = module.attention.output.LayerNorm(attention + hidden)
            inner = functional.gelu(self.linear(index, "intermediate.dense", hidden))
            out = self.dropout(self.linear(index, "output.dense", inner))
            return module.output.LayerNorm(out + hidden)

        def encode(self, hidden: Any, mask: Any) -> Any:
            additive = (1.0 - mask[:, None, None, :]) * torch.finfo(hidden.dtype).min
            for index in range(FROZEN, FROZEN + len(self.frozen)):
                hidden = self.layer(index, hidden, additive)
            return hidden

        def forward(self, hidden: Any, mask: Any) -> Any:
            last = self.encode(hidden, mask)
            weights = mask[:, :, None]
            mean = (last * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return self.head(self.dropout(torch.cat([last[:, 0], mean], dim=1))).squeeze(-1)

    return Head()
