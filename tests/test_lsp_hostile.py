"""``redline lsp`` against hostile packs and stuck passes, over real stdio (issue 18, item 2).

A pack that is a symlink to ``/dev/zero`` blocked the one lint worker for good: no
document got diagnostics again. Packs are now read with guards, and a pass that runs past
its timeout is abandoned so that the next document is linted on a fresh worker.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from lsp_client import LspClient

TEXT = "Read the the manual.\n"
DOUBLED = "Doubled word: 'the' written twice"
GAVE_UP = "redline gave up linting {name} after 5 s; the next change or save tries again"

# The real server, with one document made to hang: its pass waits forever.
HANGING_SERVER = """
import threading
from redline.lsp import linting, server

real = linting.BufferLinter.lint

def lint(self, path, text, *, full):
    if path.name == "hang.md":
        threading.Event().wait()
    return real(self, path, text, full=full)

linting.BufferLinter.lint = lint
server.serve()
"""


def start(root: Path, command: list[str] | None = None, **options: Any) -> LspClient:
    env = {**os.environ, "REDLINE_CACHE_DIR": str(root / ".cache")}
    client = LspClient(root, env=env, command=command)
    client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "capabilities": {},
            "initializationOptions": options,
        },
    )
    client.notify("initialized", {})
    return client


def open_doc(client: LspClient, path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
    )
    return uri


def test_a_pack_that_is_dev_zero_is_an_error_and_other_documents_still_lint(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "house.toml").symlink_to("/dev/zero")
    (bad / "redline.toml").write_text('rule-packs = ["house.toml"]\n', encoding="utf-8")
    (tmp_path / "redline.toml").write_text('select = ["RL106"]\n', encoding="utf-8")
    client = start(tmp_path)
    try:
        uri = open_doc(client, bad / "doc.md", TEXT)
        params = client.wait_notification("textDocument/publishDiagnostics", timeout=60, uri=uri)
        assert [(d["range"]["start"], d["severity"], d["message"]) for d in params["diagnostics"]] == [
            (
                {"line": 0, "character": 0},
                1,
                f"{bad / 'house.toml'}: cannot read rule pack: not a regular file (a character device)",
            )
        ]
        good = open_doc(client, tmp_path / "good.md", TEXT)
        params = client.wait_notification("textDocument/publishDiagnostics", timeout=60, uri=good)
        assert [d["message"] for d in params["diagnostics"]] == [DOUBLED]
    finally:
        assert client.close() == 0


def test_a_stuck_pass_times_out_and_the_server_keeps_linting(tmp_path: Path) -> None:
    (tmp_path / "redline.toml").write_text('select = ["RL106"]\n', encoding="utf-8")
    client = start(tmp_path, [sys.executable, "-c", HANGING_SERVER], lintTimeoutMs=5000)
    try:
        # The first pass loads spaCy and may itself run past 5 s on a busy machine: then it
        # is abandoned too, and a change asks again until a pass publishes.
        first = open_doc(client, tmp_path / "first.md", TEXT)
        for version in range(2, 12):
            found = client.wait_any(
                [
                    ("textDocument/publishDiagnostics", {"uri": first}),
                    ("window/logMessage", {"message": GAVE_UP.format(name="first.md")}),
                ],
                timeout=120,
            )
            if found["method"] == "textDocument/publishDiagnostics":
                break
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": first, "version": version}, "contentChanges": [{"text": TEXT}]},
            )
        assert [d["message"] for d in found["params"]["diagnostics"]] == [DOUBLED]
        open_doc(client, tmp_path / "hang.md", TEXT)
        shown = client.wait_notification(
            "window/showMessage",
            timeout=60,
            message=GAVE_UP.format(name="hang.md"),
        )
        assert shown["type"] == 1
        good = open_doc(client, tmp_path / "good.md", TEXT)
        params = client.wait_notification("textDocument/publishDiagnostics", timeout=60, uri=good)
        assert [d["message"] for d in params["diagnostics"]] == [DOUBLED]
    finally:
        assert client.close() == 0
