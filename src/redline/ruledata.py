"""Data files shipped with redline (phrase lists, word lists) from the repo's ``rules/``.

In a wheel the folder is installed as ``redline/packs_data`` (pyproject force-include);
in a source or editable checkout it is the repository's ``rules/`` folder. One loader
tries both, so rules never care which way redline was installed.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

_REPO_RULES = Path(__file__).resolve().parents[2] / "rules"


def read_rule_data(name: str) -> str:
    """The text of data file ``name`` (e.g. ``"hedges.toml"``)."""
    packaged = resources.files("redline").joinpath("packs_data", name)
    if packaged.is_file():
        return packaged.read_text("utf-8")
    checkout = _REPO_RULES / name
    if checkout.is_file():
        return checkout.read_text("utf-8")
    raise FileNotFoundError(
        f"redline data file {name!r} is missing (looked in packs_data/ and {_REPO_RULES})"
    )


@cache
def load_rule_toml(name: str) -> dict[str, Any]:
    """Data file ``name`` parsed as TOML, read once per process."""
    return tomllib.loads(read_rule_data(name))
