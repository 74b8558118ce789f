"""Rule packs installed as Python packages, found by name (entry point group ``redline.packs``).

A distribution declares, in its ``pyproject.toml``::

    [project.entry-points."redline.packs"]
    acme-style = "acme_style:PACK"

The object the entry point names is the pack file's location: a path (``str`` or
``os.PathLike``), or a function without arguments that returns one. A relative path is
taken from the folder of the entry point's module, so ``PACK = "acme.toml"`` next to
``acme_style/__init__.py`` works from a wheel as from a checkout. The config then names
the pack: ``rule-packs = ["acme-style"]``. See docs/packs-packaging.md.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

GROUP = "redline.packs"
#: A ``rule-packs`` entry that is a bare name (``acme-style``), not a path or a file name.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class PackNotFound(LookupError):
    """No installed pack has the name, or its entry point is broken; the message says which."""


def is_pack_name(entry: str) -> bool:
    """Whether a ``rule-packs`` entry names an installed pack (no folder part, no ``.toml``)."""
    return _NAME.fullmatch(entry) is not None and not entry.lower().endswith(".toml")


def installed_packs() -> dict[str, EntryPoint]:
    """Every installed pack by name (the first distribution found wins a name, as on ``sys.path``)."""
    found: dict[str, EntryPoint] = {}
    for entry_point in entry_points(group=GROUP):
        found.setdefault(entry_point.name, entry_point)
    return found


def installed_pack_path(name: str) -> Path:
    """The pack file of the installed pack ``name``; :class:`PackNotFound` says what is wrong."""
    packs = installed_packs()
    entry_point = packs.get(name)
    if entry_point is None:
        close = difflib.get_close_matches(name, list(packs), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        known = ", ".join(sorted(packs)) or "none"
        raise PackNotFound(f"no file or installed pack named '{name}'{hint}; installed packs: {known}")
    where = f"installed pack '{name}' ({entry_point.value})"
    try:
        value = entry_point.load()
        if callable(value):
            value = value()
    except Exception as error:  # a third party's import or function: any failure is its own
        raise PackNotFound(f"{where} cannot be loaded: {type(error).__name__}: {error}") from None
    if not isinstance(value, str | os.PathLike):
        raise PackNotFound(f"{where} must give the pack file's path, not {type(value).__name__}")
    path = Path(value)
    if not path.is_absolute():
        module = sys.modules.get(entry_point.module)
        module_file = getattr(module, "__file__", None)
        if module_file is None:
            raise PackNotFound(f"{where} gives a relative path and its module has no folder")
        path = Path(module_file).parent / path
    if not path.is_file():
        raise PackNotFound(f"{where} points at {path}, which is not a file")
    return path
