"""The language server's first diagnostics before pygls and lsprotocol are imported.

Importing ``lsprotocol.types`` (about a thousand attrs classes) costs 0.4 s of CPU, more
than the quick pass on a page of prose; an editor waits for both before it shows the
first diagnostics. So ``redline lsp`` starts on this lean path: it answers ``initialize``
with the capabilities the pygls server declares (``INITIALIZE_RESULT``; a test compares
them with pygls's answer), lints the first document opened and publishes its
diagnostics, and then hands over to the pygls server (:mod:`redline.lsp.server`).

The hand-over replays every message read so far to the pygls server, so its state is
what it would have been (the workspace, the opened document, the options of
``initialize``); its answer to the replayed ``initialize`` is dropped, since the client
has it already. The replayed ``didOpen`` is linted again and its diagnostics published
again (the same ones). Anything off the common path (a message other than
``initialize``, ``initialized`` and ``didOpen`` first, a framing problem, a pass with
errors, notices or findings in other files) hands over at once, and pygls answers it as
it always did. ``REDLINE_LSP_LEAN=0`` turns the lean path off.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, BinaryIO

from redline import __version__
from redline.lsp.paths import path_of

#: What the pygls server answers to ``initialize`` (its ``positionEncoding`` aside).
INITIALIZE_RESULT: dict[str, Any] = {
    "capabilities": {
        "textDocumentSync": {"openClose": True, "change": 1, "save": {"includeText": False}},
        "codeActionProvider": {"codeActionKinds": ["quickfix"]},
        "executeCommandProvider": {"commands": []},
        "workspace": {
            "workspaceFolders": {"supported": True, "changeNotifications": True},
            "fileOperations": {},
        },
    },
    "serverInfo": {"name": "redline", "version": __version__},
}
_ENCODINGS = ("utf-8", "utf-16", "utf-32")  # pygls's supported position encodings
_SEVERITY = {"ERROR": 1, "WARNING": 2, "INFO": 3}  # redline severity -> LSP DiagnosticSeverity
_LENGTH = re.compile(rb"Content-Length: (\d+)\r\n")
_TYPE = re.compile(rb"Content-Type: [^\r\n]*\r\n")
_MAX_BODY = 64 * 1024 * 1024
_MAX_LINE = 64 * 1024


def position_encoding(params: dict[str, Any]) -> str:
    """pygls's choice: the client's first supported encoding, else UTF-16."""
    general = (params.get("capabilities") or {}).get("general") or {}
    for encoding in general.get("positionEncodings") or ():
        if encoding in _ENCODINGS:
            return str(encoding)
    return "utf-16"


def serve() -> None:
    raw, out = sys.stdin.buffer, sys.stdout.buffer
    read = bytearray()
    answered: Any = None
    early: tuple[str, Any] | None = None  # the document published here, and its snapshot
    try:
        data, message = _read_message(raw)
        read += data
        params = message.get("params") if message else None
        if message and message.get("method") == "initialize" and "id" in message and isinstance(params, dict):
            encoding = position_encoding(params)
            result = json.loads(json.dumps(INITIALIZE_RESULT))
            result["capabilities"] = {"positionEncoding": encoding, **result["capabilities"]}
            _send(out, {"jsonrpc": "2.0", "id": message["id"], "result": result})
            answered = message["id"]
            while True:
                data, message = _read_message(raw)
                read += data
                if message is None or "id" in message:
                    break
                if message.get("method") == "initialized":
                    continue
                if message.get("method") == "textDocument/didOpen":
                    early = _first_diagnostics(out, message.get("params"), encoding)
                break
    except Exception:  # pygls answers whatever this path could not
        pass
    from redline.lsp.server import FramedInput, create_server

    server = create_server()
    if early is not None:  # the replayed didOpen is not linted again: its findings are here
        server.quick[early[0]] = early[1]
        server.published_early.add(early[0])
    stdin = FramedInput(_Replay(bytes(read), raw))  # type: ignore[arg-type]
    server.start_io(stdin=stdin, stdout=_DropAnswer(out, answered))  # type: ignore[arg-type]


def _first_diagnostics(out: BinaryIO, params: Any, encoding: str) -> tuple[str, Any] | None:
    from redline.findings import Finding
    from redline.lsp.linting import BufferLinter
    from redline.lsp.positions import PositionMap

    document = params["textDocument"]
    uri, text, version = document["uri"], document["text"], document["version"]
    if not (isinstance(uri, str) and isinstance(text, str) and isinstance(version, int)):
        return None
    outcome = BufferLinter().lint(path_of(uri, document.get("languageId")), text, full=False)
    findings = sorted(outcome.quick.findings, key=Finding.sort_key)
    if outcome.errors or outcome.notices or any(r.path is not None for f in findings for r in f.related):
        return None  # the server publishes those, with its log messages
    positions = PositionMap(text, encoding)

    def where(start: int, end: int) -> dict[str, Any]:
        (line, character), (end_line, end_character) = positions.position(start), positions.position(end)
        return {
            "start": {"line": line, "character": character},
            "end": {"line": end_line, "character": end_character},
        }

    diagnostics = []
    for finding in findings:
        diagnostic: dict[str, Any] = {
            "range": where(finding.start, finding.end),
            "severity": _SEVERITY[finding.severity.name],
            "code": finding.code,
            "source": "redline",
            "message": finding.message,
        }
        if finding.related:
            diagnostic["relatedInformation"] = [
                {"location": {"uri": uri, "range": where(r.start, r.end)}, "message": r.message or "related"}
                for r in finding.related
            ]
        diagnostics.append(diagnostic)
    _send(
        out,
        {
            "jsonrpc": "2.0",
            "method": "textDocument/publishDiagnostics",
            "params": {"uri": uri, "diagnostics": diagnostics, "version": version},
        },
    )
    return uri, outcome.quick


def _read_message(raw: BinaryIO) -> tuple[bytes, dict[str, Any] | None]:
    """The bytes of the next message and the message, or None where it is not plain JSON-RPC."""
    taken: list[bytes] = []
    length = None
    while True:
        line = raw.readline(_MAX_LINE)
        taken.append(line)
        if line == b"\r\n":
            break
        found = _LENGTH.fullmatch(line)
        if found:
            length = int(found.group(1))
        elif not _TYPE.fullmatch(line):
            return b"".join(taken), None  # end of input or a framing problem: the server's
    if length is None or length > _MAX_BODY:
        return b"".join(taken), None
    body = raw.read(length)
    taken.append(body)
    try:
        message = json.loads(body)
    except ValueError:
        return b"".join(taken), None
    return b"".join(taken), message if isinstance(message, dict) else None


def _send(out: BinaryIO, message: dict[str, Any]) -> None:
    body = json.dumps(message).encode("utf-8")
    out.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    out.flush()


class _Replay:
    """The bytes read on the lean path, then the rest of stdin."""

    def __init__(self, head: bytes, raw: BinaryIO) -> None:
        self.head, self.raw = head, raw

    def readline(self, limit: int = -1) -> bytes:
        if not self.head:
            return self.raw.readline(limit)
        end = self.head.find(b"\n") + 1 or len(self.head)
        if limit >= 0:
            end = min(end, limit)
        line, self.head = self.head[:end], self.head[end:]
        if not self.head and not line.endswith(b"\n") and (limit < 0 or len(line) < limit):
            line += self.raw.readline(limit - len(line) if limit >= 0 else -1)
        return line

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.raw.read(size)
        if size < 0:
            data, self.head = self.head, b""
            return data + self.raw.read()
        data, self.head = self.head[:size], self.head[size:]
        if len(data) < size:
            data += self.raw.read(size - len(data))
        return data


class _DropAnswer:
    """stdout for pygls, without its answer to the replayed ``initialize`` (sent already)."""

    def __init__(self, out: BinaryIO, answered: Any) -> None:
        self.out, self.answered = out, answered

    def write(self, data: bytes) -> int:
        if self.answered is not None:
            _, _, body = data.partition(b"\r\n\r\n")
            try:
                message = json.loads(body)
            except ValueError:
                message = None
            if isinstance(message, dict) and "method" not in message and message.get("id") == self.answered:
                self.answered = None
                return len(data)
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        self.out.close()
