"""A resident redline process for the changed-file loop (``redlined``, like ``eslint_d``).

A pre-commit hook or an editor lints one changed file at a time, so the result cache
rarely answers and each run pays Python's start-up, the imports (spaCy, textstat, the
rules) and, with RL102, the embedding model. ``redlined ARGS`` (or ``redline`` with
``REDLINE_DAEMON=1``) sends its command line to a server that has all of that loaded,
over a Unix socket, and prints what the server answers; the server is started in the
background on first use and exits after ``REDLINE_DAEMON_IDLE`` seconds (default 900)
without a request. When there is no server yet, or it fails, or the command is one it
does not serve (``--fix``, ``--diff``, stdin, ``--jobs``, other subcommands), the command runs in
this process as ``redline`` would: same output, same exit code.

No stale answers: the server keeps imports and loaded models only. Every request builds
its settings afresh (the config files and rule packs are read again), reads the files
from disk, and carries redline's version and the fingerprint of its source files
(:func:`redline.result_cache.code_fingerprint`); a server whose code differs answers
"stale" and exits, and a new one is started. One server per repository root (the
nearest folder with ``.git``, else the working folder): two repositories never share a
server. Sockets live in a private folder (``$XDG_RUNTIME_DIR/redline`` or
``/tmp/redline-UID``, mode 0700, owned by the user; refused otherwise).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from redline import __version__, with_default_command

#: Seconds a server waits for the next request before it exits.
DEFAULT_IDLE = 900.0
#: Seconds a client waits for a server's answer (the first one includes its warm-up).
ANSWER_TIMEOUT = 120.0
#: Environment variables that change what a run prints; sent with every request.
FORWARDED_ENV = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "TERM")
#: Options the server does not serve (they write files or read stdin): run in-process.
IN_PROCESS_OPTIONS = frozenset({"--fix", "--diff", "--unsafe-fixes", "--stdin-filename", "-"})


class DaemonUnavailable(Exception):
    """No usable private folder for the socket."""


def private_dir() -> Path:
    """The per-user folder for sockets: created 0700, refused if anyone else can use it."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) / "redline" if runtime and Path(runtime).is_dir() else None
    if base is None:
        base = Path(tempfile.gettempdir()) / f"redline-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        base.mkdir(mode=0o700)
    info = os.lstat(base)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise DaemonUnavailable(f"{base} is not a private folder (owner and mode 0700 needed)")
    return base


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` with ``.git``; else ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def socket_path(root: Path) -> Path:
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:20]
    return private_dir() / f"{digest}.sock"


def code_fingerprint() -> str:
    from redline.result_cache import code_fingerprint as fingerprint

    return fingerprint()


# ---------------------------------------------------------------- client


def served(args: list[str]) -> bool:
    """Whether the server runs this command line (else it runs in-process).

    ``--jobs`` runs in-process too: the server may hold a loaded ONNX Runtime or torch
    model, whose thread pools do not survive a fork into worker processes.
    """
    if not args or args[0] != "check":
        return False
    return not any(
        arg in IN_PROCESS_OPTIONS or arg.startswith(("--stdin-filename=", "--jobs", "-j")) for arg in args[1:]
    )


def request_for(args: list[str], root: Path) -> dict[str, Any]:
    return {
        "version": __version__,
        "code": code_fingerprint(),
        "root": str(root),
        "cwd": os.getcwd(),
        "argv": args,
        "env": {k: v for k, v in os.environ.items() if k.startswith("REDLINE_") or k in FORWARDED_ENV},
        "isatty": sys.stdout.isatty(),
    }


def ask(path: Path, request: dict[str, Any], timeout: float = ANSWER_TIMEOUT) -> dict[str, Any]:
    """Send ``request`` to the server at ``path`` and return its answer (raises OSError)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        client.connect(str(path))
        client.sendall(json.dumps(request).encode())
        client.shutdown(socket.SHUT_WR)
        answer: dict[str, Any] = json.loads(_read_all(client))
        return answer


def start_server(root: Path, idle: float | None = None) -> subprocess.Popen[bytes]:
    """Start a server for ``root`` in the background (it detaches from this session)."""
    command = [sys.executable, "-m", "redline.daemon", "serve", "--root", str(root)]
    if idle is not None:
        command += ["--idle", str(idle)]
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=root,
        start_new_session=True,
        close_fds=True,
    )


def run_through_server(args: list[str]) -> int | None:
    """Run ``args`` on the repository's server and print its output; None: run in-process."""
    if not served(args):
        return None
    try:
        root = repository_root()
        path = socket_path(root)
        request = request_for(args, root)
    except (OSError, DaemonUnavailable):
        return None
    try:
        answer = ask(path, request)
    except (FileNotFoundError, ConnectionRefusedError):
        _start_quietly(root)
        return None
    except (OSError, ValueError):
        return None
    if answer.get("stale"):
        _start_quietly(root)  # the old one is exiting; the next run uses the new one
        return None
    if "exit" not in answer:
        return None  # the server failed: run in-process
    sys.stdout.write(answer.get("stdout", ""))
    sys.stdout.flush()
    sys.stderr.write(answer.get("stderr", ""))
    sys.stderr.flush()
    return int(answer["exit"])


def _start_quietly(root: Path) -> None:
    with contextlib.suppress(OSError):
        idle = os.environ.get("REDLINE_DAEMON_IDLE")
        start_server(root, float(idle) if idle else None)


def client_main(argv: list[str] | None = None) -> None:
    """``redlined``: ``redline`` through the resident server when it can, else in-process."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["server"]:
        sys.exit(server_command(args[1:]))
    args = with_default_command(args)
    code = run_through_server(args)
    if code is not None:
        sys.exit(code)
    from redline.cli import main

    main(args)


# ---------------------------------------------------------------- server


class _Output(io.StringIO):
    """Captured stdout/stderr that says it is a terminal when the client's stdout is one."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@contextlib.contextmanager
def _request_context(request: dict[str, Any]) -> Iterator[tuple[_Output, _Output]]:
    """The request's working folder, environment and captured output, restored after."""
    saved_env = {k: os.environ.get(k) for k in os.environ if k.startswith("REDLINE_") or k in FORWARDED_ENV}
    saved_cwd = os.getcwd()
    saved_streams = sys.stdout, sys.stderr
    out, err = _Output(bool(request.get("isatty"))), _Output(False)
    try:
        for key in saved_env:
            del os.environ[key]
        os.environ.update({str(k): str(v) for k, v in request.get("env", {}).items()})
        os.chdir(request["cwd"])
        sys.stdout, sys.stderr = out, err
        yield out, err
    finally:
        sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        for key in [k for k in os.environ if k.startswith("REDLINE_") or k in FORWARDED_ENV]:
            del os.environ[key]
        os.environ.update({k: v for k, v in saved_env.items() if v is not None})


def answer(request: dict[str, Any], root: Path, code: str) -> dict[str, Any]:
    """What the server replies to one request."""
    if request.get("version") != __version__ or request.get("code") != code:
        return {"stale": True}
    if request.get("root") != str(root):
        return {"error": f"this server is for {root}, not {request.get('root')}"}
    argv = request.get("argv")
    if not isinstance(argv, list) or not served([str(a) for a in argv]):
        return {"error": "not a command this server runs"}
    from redline.cli import main

    with _request_context(request) as (out, err):
        try:
            main([str(a) for a in argv])
            status = 0
        except SystemExit as stop:
            if stop.code is None or isinstance(stop.code, int):
                status = stop.code or 0
            else:
                err.write(f"{stop.code}\n")
                status = 1
        except Exception:  # reported to the client, which then runs in-process
            return {"error": traceback.format_exc()}
    return {"exit": status, "stdout": out.getvalue(), "stderr": err.getvalue()}


def warm_up() -> None:
    """Import what a style-only check needs, so the first request does not wait for it."""
    import redline.cli
    import redline.embedding
    from redline.readability import cmu_lookup, textstat_module
    from redline.rules import builtin_rules
    from redline.tokenize_en import english_pipeline

    redline.embedding.KEEP_LOADED = True  # the model is loaded on the first RL102 request, then kept
    english_pipeline().warm_up()  # spaCy itself only for a spacy-model
    textstat_module()
    cmu_lookup()
    builtin_rules()


def serve(root: Path, idle: float = DEFAULT_IDLE) -> int:
    """Answer requests for ``root`` until ``idle`` seconds pass without one. 0: clean exit."""
    root = root.resolve()
    path = socket_path(root)
    lock_file = open(path.with_suffix(".lock"), "a")  # noqa: SIM115 - held for the server's life
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock_file.close()
        return 0  # another server for this root is running
    code = code_fingerprint()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # left by a server that died; the lock says none is running
        old_mask = os.umask(0o177)
        try:
            listener.bind(str(path))
        finally:
            os.umask(old_mask)
        listener.listen(16)
        warm_up()
        listener.settimeout(idle)
        while True:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                return 0
            with connection:
                connection.settimeout(30)
                try:
                    request = json.loads(_read_all(connection))
                except (OSError, ValueError):
                    continue
                if request.get("stop"):
                    _send(connection, {"stopped": True})
                    return 0
                if request.get("ping"):
                    _send(connection, {"pong": True, "pid": os.getpid(), "root": str(root)})
                    continue
                reply = answer(request, root, code)
                _send(connection, reply)
                if reply.get("stale"):
                    return 0
    finally:
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        lock_file.close()


def _send(connection: socket.socket, reply: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        connection.sendall(json.dumps(reply).encode())


def _read_all(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def stop_server(root: Path, timeout: float = 5.0) -> bool:
    """Ask the server for ``root`` to exit; True when one answered."""
    try:
        return bool(ask(socket_path(root), {"stop": True}, timeout).get("stopped"))
    except (OSError, ValueError, DaemonUnavailable):
        return False


def ping(root: Path, timeout: float = 5.0) -> dict[str, Any] | None:
    """The running server's pid and root, or None."""
    try:
        return ask(socket_path(root), {"ping": True}, timeout)
    except (OSError, ValueError, DaemonUnavailable):
        return None


def wait_for_server(root: Path, timeout: float) -> dict[str, Any] | None:
    """Poll until the server for ``root`` answers a ping, or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = ping(root, timeout=max(0.1, deadline - time.monotonic()))
        if reply is not None:
            return reply
        time.sleep(0.05)
    return None


def server_command(args: list[str]) -> int:
    """``redlined server start|stop|status`` for the repository of the working folder."""
    action = args[0] if args else "status"
    root = repository_root()
    if action == "start":
        if ping(root) is None:
            start_server(root)
        reply = wait_for_server(root, 30.0)
        print(
            f"redline server for {root}: {'running, pid ' + str(reply['pid']) if reply else 'did not start'}"
        )
        return 0 if reply else 1
    if action == "stop":
        print(f"redline server for {root}: {'stopped' if stop_server(root) else 'not running'}")
        return 0
    if action == "status":
        reply = ping(root)
        print(f"redline server for {root}: {'running, pid ' + str(reply['pid']) if reply else 'not running'}")
        return 0
    print(f"unknown server action {action!r} (start, stop or status)", file=sys.stderr)
    return 2


def _main(argv: list[str]) -> int:
    """``python -m redline.daemon serve --root ROOT [--idle SECONDS]`` (what the client starts)."""
    if argv[:1] != ["serve"]:
        return server_command(argv[1:] if argv[:1] == ["server"] else argv)
    root, idle = Path.cwd(), float(os.environ.get("REDLINE_DAEMON_IDLE") or DEFAULT_IDLE)
    rest = argv[1:]
    while rest:
        option, value, rest = rest[0], rest[1] if len(rest) > 1 else "", rest[2:]
        if option == "--root":
            root = Path(value)
        elif option == "--idle":
            idle = float(value)
        else:
            print(f"unknown option {option}", file=sys.stderr)
            return 2
    return serve(root, idle)


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
