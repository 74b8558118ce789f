"""``redline lsp`` against a broken client, over real stdio (issue 18 item 13): framing
errors are logged and resynchronised, unknown documents get empty answers, and a length
that cannot be skipped ends the server cleanly so the editor restarts it."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from lsp_client import LspClient

THE = "Doubled word: 'the' written twice"


def _start(root: Path) -> LspClient:
    (root / "redline.toml").write_text('select = ["RL106"]\n', encoding="utf-8")
    client = LspClient(root, env={**os.environ, "REDLINE_CACHE_DIR": str(root / ".cache")})
    client.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    return client


def _raw(client: LspClient, data: bytes) -> None:
    assert client.process.stdin is not None
    client.process.stdin.write(data)
    client.process.stdin.flush()


def _open(client: LspClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
    )
    return uri


def _body(method: str, params: object) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "method": method, "params": params}).encode()


def test_a_header_without_a_valid_length_is_skipped_and_the_server_hears_again(tmp_path: Path) -> None:
    client = _start(tmp_path)
    try:
        lost = _body(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": (tmp_path / "lost.md").as_uri(),
                    "languageId": "markdown",
                    "version": 1,
                    "text": "Lost the the text.\n",
                }
            },
        )
        _raw(client, b"Content-Length: twelve\r\n\r\n" + lost)
        _raw(client, b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + b'{"jsonrpc": "2.0",\n "x": 1}')
        uri = _open(client, tmp_path / "doc.md", "Read the the manual.\n")
        published = client.wait_notification("textDocument/publishDiagnostics", uri=uri, timeout=120)
        assert [(d["range"]["start"]["character"], d["message"]) for d in published["diagnostics"]] == [
            (5, THE)
        ]
    finally:
        assert client.close() == 0
    log = client.stderr_path.read_text("utf-8")
    content_type = len(b"Content-Type: application/vscode-jsonrpc\r\n")  # glued to the lost body
    discarded = [
        int(line.split()[3]) for line in log.splitlines() if line.startswith("redline lsp: discarded")
    ]
    assert discarded == [len("Content-Length: twelve\r\n"), len(lost) + content_type, 19, 8]
    assert "Traceback" not in log


def test_requests_on_a_never_opened_document_answer_empty(tmp_path: Path) -> None:
    client = _start(tmp_path)
    try:
        ghost = (tmp_path / "never-opened.md").as_uri()
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}}
        params = {"textDocument": {"uri": ghost}, "range": whole, "context": {"diagnostics": []}}
        assert client.request("textDocument/codeAction", params, timeout=60) == []
        client.notify("textDocument/didSave", {"textDocument": {"uri": ghost}})
        client.notify("textDocument/didClose", {"textDocument": {"uri": ghost}})
        assert client.request("textDocument/codeAction", params, timeout=60) == []
        uri = _open(client, tmp_path / "doc.md", "Read the the manual.\n")
        assert client.wait_notification("textDocument/publishDiagnostics", uri=uri, timeout=120)[
            "diagnostics"
        ]
    finally:
        assert client.close() == 0
    assert "Traceback" not in client.stderr_path.read_text("utf-8")


def test_a_length_that_cannot_be_skipped_ends_the_server(tmp_path: Path) -> None:
    client = _start(tmp_path)
    _raw(client, b"Content-Length: 99999999999\r\n\r\n{}")
    assert client.process.wait(timeout=60) == 0
    client.close()
    log = client.stderr_path.read_text("utf-8")
    assert "redline lsp: a message of 99,999,999,999 bytes is over the limit (268,435,456); exiting" in log


def test_framed_input_resynchronises_at_the_next_header() -> None:
    from redline.lsp.server import FramedInput

    log = io.BytesIO()
    stream = io.BytesIO(
        b'Content-Length: x\r\n\r\n{"a": 1}Content-Length: 2\r\n\r\n{}' + b"junk" * 40_000 + b"\r\n"
    )
    framed = FramedInput(stream, log)
    lines = [framed.readline(), framed.readline(), framed.readline(), framed.readline()]
    assert lines == [b"X-Discarded: 1\r\n", b"\r\n", b"Content-Length: 2\r\n", b"\r\n"]
    assert framed.read(2) == b"{}"
    assert framed.readline() == b"X-Discarded: 1\r\n"  # 64 KiB of the junk, then the rest
    assert framed.readline() == b"X-Discarded: 1\r\n"
    assert framed.readline() == b"X-Discarded: 1\r\n"
    assert framed.readline() == b""
    assert log.getvalue().decode().splitlines() == [
        "redline lsp: discarded 19 bytes of input that are not a JSON-RPC header",
        "redline lsp: discarded 8 bytes of input that are not a JSON-RPC header",
        "redline lsp: discarded 65536 bytes of input that are not a JSON-RPC header",
        "redline lsp: discarded 65536 bytes of input that are not a JSON-RPC header",
        "redline lsp: discarded 28930 bytes of input that are not a JSON-RPC header",
    ]
