"""Import spaCy without the 1.4 s it spends importing torch that redline never uses.

spaCy imports thinc, and ``thinc.compat`` does ``import torch`` whenever torch is
installed (it is, for the embedding model), to offer PyTorch-backed layers. The blank
English pipeline with the rule-based sentencizer has no such layer. So, when torch is
not imported yet, redline imports spaCy with ``sys.modules["torch"] = None``: thinc's
``import torch`` raises ImportError, which thinc handles by setting ``has_torch = False``.
The guard is removed right after the import, so a later ``import torch`` (the embedding
backend) works normally.

Safe for the blank pipeline and for trained CNN pipelines (``en_core_web_sm``), which run
on numpy. Not safe for transformer pipelines that run on torch through thinc: the guard is
skipped when ``torch`` is already imported, and ``REDLINE_SPACY_TORCH=1`` turns it off.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType


def import_spacy() -> ModuleType:
    if "spacy" in sys.modules or "torch" in sys.modules or os.environ.get("REDLINE_SPACY_TORCH") == "1":
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import spacy
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
    return spacy
