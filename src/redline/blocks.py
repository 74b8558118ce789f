"""The kinds of prose block a document is cut into (the text model's smallest piece).

Its own module so that analyses over a document (quotations, sentences) can name block
kinds without importing :mod:`redline.document`, which builds them lazily in turn.
"""

from __future__ import annotations

import enum


class BlockKind(enum.StrEnum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list-item"
    BLOCKQUOTE = "blockquote"
    TABLE_CELL = "table-cell"
