"""``redline lsp``: a language server over stdio (see README, "Language server")."""

from __future__ import annotations


def serve() -> None:
    from redline.lsp.server import serve as run

    run()


__all__ = ["serve"]
