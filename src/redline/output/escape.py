"""Control characters made visible in everything a person reads on a terminal.

A linted document, a file name or a rule pack may come from a hostile repository, and an
escape sequence that reaches a terminal unescaped can retitle the window, clear the
screen or rewrite earlier lines (``ESC ] 0 ;``, ``ESC [ 2 J``, a lone CR). Every
human-facing output (the ``text`` and ``github`` formats, terminal excerpts, messages on
stderr, ``redline rules`` and ``explain``) passes its strings through :func:`visible`:
C0 controls but the tab, DEL and C1 controls become ``\\x1b``-style escapes, and the
Unicode controls that reorder or hide text (bidirectional overrides and isolates, the
direction marks) become ``\\u202e``-style escapes. Machine-read outputs (JSON, SARIF,
rdjson, JUnit) escape by their own syntax; ``--diff`` and ``--fix`` on stdin print the
file's own characters, since a patch must carry them exactly.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character (but the tab) written as a visible escape."""
    return _CONTROL.sub(_escape, text)
