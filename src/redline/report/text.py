"""Escaping and clipping text for the page."""

from __future__ import annotations

from html import escape

_EXCERPT = 60


def clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"


def escape_html(text: str) -> str:
    # A carriage return written literally would be folded into a line feed by the HTML
    # parser and shift every offset after it; a character reference keeps it.
    return escape(text, quote=True).replace("\r", "&#13;")
