"""The ``redline`` command: through the resident server when asked, else the CLI in-process.

``redline server start|stop|status`` and ``REDLINE_DAEMON=1 redline ...`` go to
:mod:`redline.daemon` (see docs/speed.md); everything else is :func:`redline.cli.main`.
The choice is made here, above both, so that the CLI never imports the server that runs it.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["server"] or os.environ.get("REDLINE_DAEMON") == "1":
        from redline.daemon import client_main

        client_main()
        return
    if sys.argv[1:] == ["lsp"]:  # the language server needs nothing of the CLI (lsp/lean.py)
        from redline.lsp import serve

        serve()
        return
    from redline.cli import main as cli_main

    cli_main()
