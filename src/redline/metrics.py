"""Per-document metrics for the JSON ``metrics`` object and the text summary.

Providers are functions ``(document, services) -> dict``; each adds its own keys.
Counting is done here; readability scores are added by their own provider.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from redline.document import Document
from redline.readability import readability_metrics
from redline.services import Services

MetricProvider = Callable[[Document, Services], dict[str, Any]]


def counts(document: Document, services: Services) -> dict[str, Any]:
    return {
        "words": document.analysis.word_count,
        "sentences": len(document.sentences),
        "paragraphs": len(document.blocks),
    }


PROVIDERS: list[MetricProvider] = [counts, readability_metrics]


def compute(document: Document, services: Services) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    for provider in PROVIDERS:
        metrics.update(provider(document, services))
    return metrics
