"""The ONNX Runtime backend: the same model, without importing torch at run time.

``backend = "onnx"`` runs all-MiniLM-L6-v2 (or any BERT-style sentence-transformers
folder with mean pooling) through ONNX Runtime, tokenised by the model's own
``tokenizer.json`` with the ``tokenizers`` library, mean-pooled and L2-normalised in numpy:
the same steps sentence-transformers takes: cosine agreement with it is 1.0000 (min over
1,000 sentences). Its gain is mostly start-up (no torch import: 0.4 s against 5.5 s);
encoding is 1.2x to 2.8x as fast depending on how busy the CPU is (see README).

``backend = "onnx-int8"`` uses a copy with int8 weights in the matrix products (per-channel
scales, dynamic activations): encoding about 2.5x as fast again, at a cost in agreement
(cosine with sentence-transformers 0.9925 on average, 0.969 at worst over 1,000
sentences), so scores near the threshold can move. Quantising every operator with one
scale per tensor was tried first: no faster, and agreement fell to 0.88.

The ONNX file is made once per model and kept under ``<platform cache>/onnx/<key>/``
(``REDLINE_CACHE_DIR`` moves it), so emptying a run's ``--cache-dir`` does not redo it; the
key covers the model folder, its weights' size and mtime, and the graph builder's version.
A BERT encoder (the default model) is built from its safetensors weights with numpy and
``onnx`` (:mod:`redline.embedding.onnx_graph`), without torch; any other architecture is
traced by ``torch.onnx.export`` (needs torch and transformers, that one time).
Sentences are batched sorted by length so that little padding is computed.

Needs ``onnxruntime``, ``onnx``, ``tokenizers`` and ``safetensors`` (the ``onnx`` extra,
also in ``embeddings``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from redline.embedding import onnx_graph
from redline.embedding.model_source import ModelSource, ModelUnavailable

#: Sentences per forward pass. They are sorted by length first, so a small batch pads
#: little: on 521 sentences of the docs 8 costs 11.4 s of CPU against 12.9 s for 16 (and
#: 1.3 s against 1.6 s for 32 on 111 news sentences).
BATCH_SIZE = 8
_INSTALL = "install it with: pip install 'redline[onnx]' (no torch) or 'redline[embeddings]', or use backend = \"torch\""
_INSTALL_TORCH = "install them with: pip install 'redline[embeddings]'"
_EXPORT_FORMAT = "2"  # bump when export() or quantize() changes: the old files are not reused


def _threads() -> int:
    return int(os.environ.get("REDLINE_ONNX_THREADS") or os.cpu_count() or 1)


class OnnxBackend:
    def __init__(self, session: Any, tokenizer: Any, max_length: int) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.inputs = {i.name for i in session.get_inputs()}

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.encode_with_tokens(texts)[0]

    def encode_with_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Sentence vectors and, from the same forward pass, each sentence's token vectors
        (last layer, without [CLS] and [SEP])."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 0), dtype=np.float32)
        tokens: list[np.ndarray] = [out] * len(texts)
        for lo in range(0, len(order), BATCH_SIZE):
            chunk = order[lo : lo + BATCH_SIZE]
            vectors, chunk_tokens = self._batch([texts[i] for i in chunk])
            if out.shape[1] == 0:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            out[chunk] = vectors
            for i, token_vectors in zip(chunk, chunk_tokens, strict=True):
                tokens[i] = token_vectors
        return out, tokens

    def _batch(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        hidden = np.asarray(self.session.run(["last_hidden_state"], feed)[0], dtype=np.float32)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        vectors: np.ndarray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        lengths = mask.sum(axis=1)
        return vectors, [hidden[k, 1 : max(1, int(n) - 1)] for k, n in enumerate(lengths)]


def artifact_dir(model_dir: Path) -> Path:
    """Where this model's ONNX files live: keyed by the model folder, its weights' size/mtime
    and the graph builder's version."""
    from redline.services import default_cache_dir

    weights = next(
        (model_dir / n for n in ("model.safetensors", "pytorch_model.bin") if (model_dir / n).exists()), None
    )
    stamp = f"{model_dir.resolve()}|{_EXPORT_FORMAT}|{onnx_graph.BUILDER_VERSION}"
    if weights is not None:
        stat = weights.stat()
        stamp += f"|{stat.st_size}|{stat.st_mtime_ns}"
    return default_cache_dir() / "onnx" / hashlib.sha256(stamp.encode()).hexdigest()[:16]


def export(
    model_dir: Path,
    target: Path,
    prepare: Callable[[Any], None] | None = None,
    prepare_weights: Callable[[onnx_graph.Weights], None] | None = None,
) -> None:
    """Export the transformer of a sentence-transformers folder to ONNX: a BERT encoder is
    built from its safetensors weights without torch (:mod:`redline.embedding.onnx_graph`);
    any other model is traced by torch's exporter. ``prepare_weights`` may change the numpy
    weights first, ``prepare`` the torch model (RL102's pair encoder merges its adapter)."""
    try:
        onnx_graph.export(model_dir, target, prepare_weights)
    except onnx_graph.GraphUnavailable as unknown:
        export_with_torch(model_dir, target, prepare, reason=str(unknown))


def export_with_torch(
    model_dir: Path, target: Path, prepare: Callable[[Any], None] | None = None, reason: str = ""
) -> None:
    """The export by ``torch.onnx.export`` (needs torch and transformers): for a model the
    graph builder does not know."""
    try:
        import torch
        from transformers import AutoModel
    except ImportError:
        because = f"{reason}; exporting it with torch instead" if reason else "exporting the model to ONNX"
        raise ModelUnavailable(f"{because} needs torch and transformers; {_INSTALL_TORCH}") from None

    class Encoder(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    from redline.embedding.torch_backend import quiet_transformers

    quiet_transformers()
    model = AutoModel.from_pretrained(str(model_dir))
    model.eval()
    if prepare is not None:
        prepare(model)
    example = torch.ones(2, 8, dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    names = list(onnx_graph.INPUTS)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Encoder(model),
                (example, example, torch.zeros_like(example)),
                temporary,
                input_names=names,
                output_names=[onnx_graph.OUTPUT],
                dynamic_axes={**{n: axes for n in names}, onnx_graph.OUTPUT: axes},
                opset_version=17,
                dynamo=False,
            )
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def quantize(source: Path, target: Path) -> None:
    """int8 weights for the matrix products, one scale per output channel (dynamic activations)."""
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        raise ModelUnavailable(f"the int8 model needs the 'onnx' package; {_INSTALL}") from None
    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        quantize_dynamic(
            str(source),
            temporary,
            per_channel=True,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul"],
        )
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def model_file(model_dir: Path, int8: bool = False) -> Path:
    """The ONNX file for ``model_dir``, exported (and quantised) on first use."""
    path = artifact_dir(model_dir) / "model.onnx"
    if not path.exists():
        print(
            "redline: exporting the embedding model to ONNX, once for this machine (a few seconds)...",
            file=sys.stderr,
            flush=True,
        )
        export(model_dir, path)
    if not int8:
        return path
    quantised = path.with_name("model.int8.onnx")
    if not quantised.exists():
        quantize(path, quantised)
    return quantised


def _max_length(model_dir: Path) -> int:
    try:
        config = json.loads((model_dir / "sentence_bert_config.json").read_text("utf-8"))
        return int(config.get("max_seq_length") or 256)
    except (OSError, ValueError):
        return 256


def load(source: ModelSource) -> OnnxBackend:
    return _load(source, int8=False)


def load_int8(source: ModelSource) -> OnnxBackend:
    return _load(source, int8=True)


def _load(source: ModelSource, int8: bool) -> OnnxBackend:
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as missing:
        raise ModelUnavailable(f"{missing.name or 'onnxruntime'} is not installed; {_INSTALL}") from None
    model_dir = Path(source.location())
    if not (model_dir / "tokenizer.json").is_file():
        raise ModelUnavailable(
            f"the ONNX backend needs a model folder with tokenizer.json, not '{source.option}'"
        )
    path = model_file(model_dir, int8)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = _threads()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # No busy-waiting between batches: on a shared or busy machine spinning threads burn CPU
    # that the tokenizer and the other threads need (measured: 20% less CPU for the same work).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    max_length = _max_length(model_dir)
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
    return OnnxBackend(session, tokenizer, max_length)
