"""``redline lsp``: a language server over stdio (see README, "Language server")."""

from __future__ import annotations


def serve() -> None:
    import os

    if os.environ.get("REDLINE_LSP_LEAN") == "0":
        from redline.lsp.server import serve as run

        run()
        return
    from redline.lsp.lean import serve as lean  # first diagnostics before pygls is imported

    lean()


__all__ = ["serve"]
