"""Genre presets: settings that suit news, reference docs or general prose, in one word.

``preset = "news"`` in the config (or ``--preset news``) starts every rule from the
preset's options and selection; the user's own ``[rules.X]`` options, ``select``,
``extend-select`` and ``ignore`` are applied after it, so they always win. The table in
``docs/precision.md`` lists every setting; :data:`PRESETS` is its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_PRESET = "general"


@dataclass(frozen=True)
class Preset:
    name: str
    summary: str
    #: Rule code -> options, as a ``[rules.CODE]`` table would give them.
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Rules the preset turns off (a user's ``select`` / ``extend-select`` turns them back on).
    ignore: tuple[str, ...] = ()


PRESETS: dict[str, Preset] = {
    "general": Preset(
        "general",
        "Every rule at its default: articles, reports, essays.",
    ),
    "news": Preset(
        "news",
        "Wire and newspaper copy: many voices, quotations, names, long joined paragraphs.",
        rules={
            # Consensus grade of edited BBC copy is 11 to 15: names and figures score as hard words.
            "RL302": {"target": 15.0},
            "RL303": {"target": 20.0},
            # Quotations are the speakers' words: never shortened, counted or budgeted.
            "RL301": {"include-quotes": False},
            "RL103": {"include-quotes": False},
            "RL104": {"include-quotes": False},
            "RL201": {"include-quotes": False},
            "RL202": {"include-quotes": False},
            "RL203": {"include-quotes": False},
            "RL204": {"include-quotes": False},
        },
        # News data sets and CMSes join short paragraphs; length is the layout's business.
        ignore=("RL305",),
    ),
    "docs": Preset(
        "docs",
        "Reference documentation: parallel entries, templates, technical words, notes in block quotes.",
        rules={
            "RL302": {"target": 16.0},
            "RL303": {"target": 20.0},
            "RL301": {"max-words": 45, "include-quotes": True},
            # Block quotes in docs are notes and warnings, the writer's own words.
            "RL201": {"include-quotes": True},
            "RL203": {"include-quotes": True},
            "RL204": {"include-quotes": True},
        },
        # Sibling entries share a template by design ("True if the given ..." on every entry).
        ignore=("RL103", "RL104"),
    ),
}


def preset_named(name: str) -> Preset:
    """The preset called ``name``; ``ValueError`` (listing the presets) for an unknown one."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset '{name}' (expected {', '.join(PRESETS)})") from None
