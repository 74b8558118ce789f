"""Import spaCy without the 1.4 s it spends importing torch that redline never uses.

spaCy imports thinc, and ``thinc.compat`` does ``import torch`` whenever torch is
installed (it is, for the embedding model), to offer PyTorch-backed layers. The blank
English pipeline with the rule-based sentencizer has no such layer. So, when torch is
not imported yet, redline imports spaCy with ``sys.modules["torch"] = None``: thinc's
``import torch`` raises ImportError, which thinc handles by setting ``has_torch = False``.
The guard is removed right after the import, so a later ``import torch`` (the embedding
backend) works normally.

spaCy's ``__init__`` also imports ``spacy.cli`` (for ``spacy.info``), which pulls in
requests, weasel and the download and project commands: a third of its import time.
redline never calls the CLI, so ``spacy.cli`` and ``spacy.cli.info`` are stand-ins during
the import (``spacy.info`` imports the real one when called) and are dropped right after,
so a later ``import spacy.cli`` loads the real package.

Safe for the blank pipeline and for trained CNN pipelines (``en_core_web_sm``), which run
on numpy. Not safe for transformer pipelines that run on torch through thinc: the guard is
skipped when ``torch`` is already imported, and ``REDLINE_SPACY_TORCH=1`` turns it off.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import Any


def import_spacy() -> ModuleType:
    if "spacy" in sys.modules or "torch" in sys.modules or os.environ.get("REDLINE_SPACY_TORCH") == "1":
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]
    stand_ins = _cli_stand_ins()
    try:
        import spacy
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


def _cli_stand_ins() -> dict[str, ModuleType]:
    if "spacy.cli" in sys.modules:
        return {}
    cli, info_module = ModuleType("spacy.cli"), ModuleType("spacy.cli.info")

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    info_module.info = info  # type: ignore[attr-defined]
    cli.info = info_module  # type: ignore[attr-defined]
    cli.__path__ = []
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info_module}
    sys.modules.update(stand_ins)
    return stand_ins
