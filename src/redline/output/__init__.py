"""Formatters: pure functions from a run's results to the text that is printed.

Each format is its own small module registered here by name; all render the same
:class:`~redline.results.RunResult`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from redline.results import RunResult


@dataclass(frozen=True)
class OutputOptions:
    color: bool = False
    show_source: bool = False
    statistics: bool = False
    #: Findings only: no summary or readability line (``--quiet``).
    quiet: bool = False


Formatter = Callable[[RunResult, OutputOptions], str]

FORMATS: dict[str, str] = {
    "text": "redline.output.console",
    "json": "redline.output.json",
    "sarif": "redline.output.sarif",
    "github": "redline.output.github",
    "rdjson": "redline.output.rdjson",
    "junit": "redline.output.junit",
    "vale-json": "redline.output.vale_json",
}


def formatter(name: str) -> Formatter:
    module = importlib.import_module(FORMATS[name])
    render: Formatter = module.render
    return render
