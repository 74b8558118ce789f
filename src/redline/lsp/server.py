"""The language server: diagnostics on open, change (debounced) and save; quick fixes.

Lint passes run one at a time on a worker thread so the server keeps answering while
spaCy or the embedding model works. A pass that runs past its timeout is abandoned and
later passes go to a fresh worker, so one stuck document never silences the others. Each buffer keeps the findings of its last quick pass
and of its last save; what is published is both, moved onto the buffer's current text.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
from pathlib import Path
from typing import Any, BinaryIO

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path

from redline import __version__
from redline.findings import Applicability, Finding, Related, Severity
from redline.lsp.linting import BufferLinter, Outcome, Snapshot, Worker, carry_over
from redline.lsp.paths import path_of
from redline.lsp.positions import UTF16, PositionMap
from redline.source import SourceError, read_source

DEBOUNCE_SECONDS = 0.3
#: A lint pass still running after this long is abandoned (``lintTimeoutMs`` changes it):
#: the first save loads the embedding model, which takes seconds, never minutes.
LINT_TIMEOUT_SECONDS = 120.0
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


class RedlineServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("redline", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.buffers = BufferLinter()
        self.executor = Worker()
        self.debounce = DEBOUNCE_SECONDS
        self.lint_timeout = LINT_TIMEOUT_SECONDS
        self.quick: dict[str, Snapshot] = {}
        self.slow: dict[str, Snapshot] = {}
        self.languages: dict[str, str] = {}
        self._pending: dict[tuple[str, bool], asyncio.Task[None]] = {}
        self._shown: set[str] = set()
        #: Documents whose first diagnostics the lean start published (lean.py).
        self.published_early: set[str] = set()

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or UTF16)

    def path_of(self, uri: str) -> Path:
        return path_of(uri, self.languages.get(uri))  # shared with the lean start (lean.py)

    def schedule(self, uri: str, *, full: bool, delay: float = 0.0) -> None:
        """Lint ``uri`` after ``delay``; a newer request of the same kind replaces a waiting one."""
        key = (uri, full)
        waiting = self._pending.pop(key, None)
        if waiting is not None:
            waiting.cancel()
        self._pending[key] = asyncio.get_running_loop().create_task(self._lint(uri, full, delay))

    async def _lint(self, uri: str, full: bool, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        if uri not in self.workspace.text_documents:
            return
        document = self.workspace.get_text_document(uri)
        text, path = document.source, self.path_of(uri)
        buffers = self.buffers
        work = self.executor.submit(lambda: buffers.lint(path, text, full=full))
        try:
            outcome: Outcome = await asyncio.wait_for(asyncio.wrap_future(work), self.lint_timeout)
        except TimeoutError:
            self._abandon_worker()
            self.report_failure(
                f"redline gave up linting {path.name} after {self.lint_timeout:g} s; "
                "the next change or save tries again"
            )
            return
        except Exception as error:  # a crashing rule must not take the server down
            self.report_failure(f"redline could not lint {path.name}: {type(error).__name__}: {error}")
            return
        self.quick[uri] = outcome.quick
        if outcome.slow is not None:
            self.slow[uri] = outcome.slow
        if uri not in self.workspace.text_documents:
            return  # closed while the pass ran
        for notice in outcome.notices:
            self.window_log_message(types.LogMessageParams(types.MessageType.Info, f"redline: {notice}"))
        self.publish(uri, outcome)

    def _abandon_worker(self) -> None:
        """Leave a stuck pass to its thread and lint on a fresh one from now on.

        A Python thread cannot be stopped, but no later pass waits behind it: the new
        worker has its own :class:`BufferLinter` (the stuck one may hold half-loaded state).
        """
        self.executor.shutdown()
        self.executor = Worker()
        self.buffers = BufferLinter()

    def report_failure(self, message: str) -> None:
        """Log every failure; show each distinct one once, not on every keystroke."""
        self.window_log_message(types.LogMessageParams(types.MessageType.Error, message))
        if message not in self._shown:
            self._shown.add(message)
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))

    def publish(self, uri: str, outcome: Outcome | None = None) -> None:
        document = self.workspace.get_text_document(uri)
        text = document.source
        positions = PositionMap(text, self.encoding)
        findings = self.current_findings(uri, text)
        diagnostics = [self.diagnostic(uri, positions, f) for f in findings]
        for error in outcome.errors if outcome else ():
            line = (error.line or 1) - 1 if error.path == str(self.path_of(uri)) else 0
            where = types.Range(types.Position(line, 0), types.Position(line, 0))
            diagnostics.append(
                types.Diagnostic(
                    where, f"{error.path}: {error.message}", types.DiagnosticSeverity.Error, source="redline"
                )
            )
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version)
        )

    def current_findings(self, uri: str, text: str) -> list[Finding]:
        found: list[Finding] = []
        for snapshots in (self.quick, self.slow):
            if uri in snapshots:
                found.extend(carry_over(snapshots[uri], text))
        return sorted(found, key=Finding.sort_key)

    def diagnostic(self, uri: str, positions: PositionMap, finding: Finding) -> types.Diagnostic:
        related = [
            types.DiagnosticRelatedInformation(self._location(uri, positions, r), r.message or "related")
            for r in finding.related
        ]
        return types.Diagnostic(
            range=self._range(positions, finding.start, finding.end),
            message=finding.message,
            severity=_SEVERITY[finding.severity],
            code=finding.code,
            source="redline",
            related_information=related or None,
        )

    def _location(self, uri: str, positions: PositionMap, place: Related) -> types.Location:
        if place.path is None:
            return types.Location(uri, self._range(positions, place.start, place.end))
        other_uri = from_fs_path(place.path) or place.path
        try:
            other = PositionMap(read_source(place.path).text, self.encoding)
        except SourceError:
            return types.Location(other_uri, types.Range(types.Position(0, 0), types.Position(0, 0)))
        return types.Location(other_uri, self._range(other, place.start, place.end))

    @staticmethod
    def _range(positions: PositionMap, start: int, end: int) -> types.Range:
        return types.Range(
            types.Position(*positions.position(start)), types.Position(*positions.position(end))
        )

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        if uri not in self.workspace.text_documents:
            return []  # never opened (or closed): nothing of ours to fix
        snapshot = self.quick.get(uri)
        text = self.workspace.get_text_document(uri).source
        if snapshot is None or snapshot.text != text:
            return []  # the fixes were computed for other text; a fresh pass is on its way
        positions = PositionMap(text, self.encoding)
        lo = positions.offset(params.range.start.line, params.range.start.character)
        hi = positions.offset(params.range.end.line, params.range.end.character)
        actions = []
        for finding in snapshot.findings:
            fix = finding.fix
            if fix is None or fix.applicability is not Applicability.SAFE:
                continue
            if finding.end < lo or finding.start > hi:
                continue
            edits = [types.TextEdit(self._range(positions, e.start, e.end), e.replacement) for e in fix.edits]
            actions.append(
                types.CodeAction(
                    title=f"Fix {finding.code}: {finding.message}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[self.diagnostic(uri, positions, finding)],
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                    is_preferred=True,
                )
            )
        return actions


def create_server() -> RedlineServer:
    server = RedlineServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: RedlineServer, params: types.InitializeParams) -> None:
        options: Any = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounceMs"), int | float):
            ls.debounce = max(0.0, options["debounceMs"] / 1000)
        if isinstance(options, dict) and isinstance(options.get("lintTimeoutMs"), int | float):
            ls.lint_timeout = max(0.001, options["lintTimeoutMs"] / 1000)

    @server.feature(types.INITIALIZED)
    def initialized(ls: RedlineServer, params: types.InitializedParams) -> None:
        ls.executor.submit(ls.buffers.warm_up)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: RedlineServer, params: types.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.languages[uri] = params.text_document.language_id
        if uri in ls.published_early:
            ls.published_early.discard(uri)
            if uri in ls.quick and ls.quick[uri].text == params.text_document.text:
                return  # linted and published by the lean start, before pygls was imported
        ls.schedule(uri, full=False)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: RedlineServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, full=False, delay=ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: RedlineServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, full=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: RedlineServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        for key in [(uri, False), (uri, True)]:
            task = ls._pending.pop(key, None)
            if task is not None:
                task.cancel()
        for store in (ls.quick, ls.slow, ls.languages):
            store.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: RedlineServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    return server


class FramedInput:
    """stdin for the JSON-RPC reader, resynchronised after a framing error.

    pygls reads header lines until a blank one, then ``Content-Length`` bytes. A message
    whose header has no valid length leaves its body unread: the body (no newline) then
    prefixes the next header line, which no longer matches, and every later message is
    lost the same way. Here a line that is not a header is cut to the ``Content-Length``
    header it ends with (the next message), or replaced by a harmless header line; what is
    dropped is logged on stderr. A length over :data:`MAX_MESSAGE_BYTES` cannot be skipped
    safely, so it ends the input: the server exits and the editor restarts it.
    """

    HEADER = re.compile(rb"(?:Content-Length: \d+|Content-Type: [^\r\n]*)\r\n|\r\n")
    LENGTH_AT_END = re.compile(rb"Content-Length: (\d+)\r\n\Z")
    #: The longest header line read at once; longer junk is read and dropped in pieces.
    MAX_LINE = 64 * 1024

    def __init__(self, raw: BinaryIO, log: BinaryIO | None = None) -> None:
        self.raw, self.log = raw, log if log is not None else sys.stderr.buffer

    def readline(self) -> bytes:
        line = self.raw.readline(self.MAX_LINE)
        if not line or self.HEADER.fullmatch(line):
            return line
        found = self.LENGTH_AT_END.search(line)
        dropped = line[: found.start()] if found else line
        self._say(f"discarded {len(dropped)} bytes of input that are not a JSON-RPC header")
        return line[found.start() :] if found else b"X-Discarded: 1\r\n"

    def read(self, size: int) -> bytes:
        if size > MAX_MESSAGE_BYTES:
            self._say(f"a message of {size:,} bytes is over the limit ({MAX_MESSAGE_BYTES:,}); exiting")
            return b""
        return self.raw.read(size)

    def _say(self, message: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.log.write(f"redline lsp: {message}\n".encode())
            self.log.flush()


#: No editor sends a document this big; a bigger length is a framing error.
MAX_MESSAGE_BYTES = 256 * 1024 * 1024


def serve() -> None:
    create_server().start_io(stdin=FramedInput(sys.stdin.buffer))  # type: ignore[arg-type]
