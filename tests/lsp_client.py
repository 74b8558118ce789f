"""A small LSP client for tests: JSON-RPC with Content-Length framing over a subprocess's stdio."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any


class LspClient:
    def __init__(
        self, cwd: Path, env: dict[str, str] | None = None, command: list[str] | None = None
    ) -> None:
        self.stderr_path = cwd / "lsp-stderr.log"
        self._stderr = self.stderr_path.open("wb")
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", "redline", "lsp"],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self._next_id = 0
        self._messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self._messages.put(json.loads(body))

    def _write(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._write({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        self._next_id += 1
        self._write({"id": self._next_id, "method": method, "params": params})
        reply = self._wait(lambda m: m.get("id") == self._next_id and "method" not in m, timeout, method)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result")

    def wait_notification(self, method: str, timeout: float = 60, **match: Any) -> dict[str, Any]:
        """The next ``method`` notification whose params contain ``match``."""

        def wanted(message: dict[str, Any]) -> bool:
            params = message.get("params") or {}
            return message.get("method") == method and all(params.get(k) == v for k, v in match.items())

        for earlier in self.notifications:
            if wanted(earlier):
                self.notifications.remove(earlier)
                return dict(earlier["params"])
        return dict(self._wait(wanted, timeout, method)["params"])

    def wait_any(self, choices: list[tuple[str, dict[str, Any]]], timeout: float = 60) -> dict[str, Any]:
        """The next notification that is one of ``choices`` (a method and params it contains)."""

        def wanted(message: dict[str, Any]) -> bool:
            params = message.get("params") or {}
            return any(
                message.get("method") == method and all(params.get(k) == v for k, v in match.items())
                for method, match in choices
            )

        for earlier in self.notifications:
            if wanted(earlier):
                self.notifications.remove(earlier)
                return earlier
        return self._wait(wanted, timeout, " or ".join(method for method, _ in choices))

    def _wait(self, wanted: Any, timeout: float, what: str) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {what} within {timeout}s")
            try:
                message = self._messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if wanted(message):
                return message
            if "method" in message and "id" in message:  # a request from the server: accept it
                self._write({"id": message["id"], "result": None})
            elif "method" in message:
                self.notifications.append(message)

    def close(self) -> int:
        self._stderr.close()
        if self.process.poll() is None:
            try:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                return self.process.wait(timeout=10)
            finally:
                if self.process.poll() is None:
                    self.process.kill()
                    self.process.wait()
        return self.process.returncode
