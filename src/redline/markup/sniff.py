"""Which syntax text read from stdin is in, when no ``--stdin-filename`` names it.

Text is Markdown when one of its lines has Markdown's own structure: a code fence
(```` ``` ```` or ``~~~``), an ATX heading (``# Title``), a list item (``- item``,
``1. item``), a block quote (``> text``), or when it has a link or image
(``[text](url)``) or a code span (`` `code` ``). Anything else is plain text. Plain text
read as Markdown would lose little, but Markdown read as plain text lints its code
blocks, so a single sign is enough.
"""

from __future__ import annotations

import re

from redline.document import Syntax

_MARKDOWN = re.compile(
    r"^ {0,3}(?:```|~~~)"  # a code fence
    r"|^ {0,3}#{1,6}[ \t]+\S"  # an ATX heading
    r"|^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S"  # a list item
    r"|^ {0,3}>[ \t]?\S"  # a block quote
    r"|!?\[[^\]\n]+\]\([^)\s]+(?:[ \t]+\"[^\"\n]*\")?\)"  # a link or image
    r"|(?<!`)`[^`\n]+`(?!`)",  # a code span
    re.MULTILINE,
)


def sniff_syntax(text: str) -> Syntax:
    """:attr:`Syntax.MARKDOWN` when ``text`` shows a sign of Markdown, else :attr:`Syntax.TEXT`."""
    return Syntax.MARKDOWN if _MARKDOWN.search(text) else Syntax.TEXT
