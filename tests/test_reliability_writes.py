"""No network, no stray writes: redline touches only its cache folder and, with --fix, the files it lints.

One subprocess runs the real entry point (``redline.cli.main``) once per output format,
then with ``--fix``, under a Python audit hook that refuses every socket (connect,
getaddrinfo, bind) and records every file opened for writing, created, renamed or
removed. HOME, XDG_CACHE_HOME, REDLINE_CACHE_DIR and TMPDIR point into the test's own
folders, and a listing of those folders and of the linted tree (path, size, mtime,
content hash) is compared before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from redline.output import FORMATS
from reliability_helpers import no_traceback, run_cli

DRIVER = r"""
import json, os, sys

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
log = {"network": [], "writes": []}

def hook(event, args):
    if event == "socket.bind" and args[1][0] in ("::1", "127.0.0.1"):
        return  # urllib3 probes for IPv6 at import by binding to loopback: no traffic
    if event in ("socket.connect", "socket.getaddrinfo", "socket.bind", "socket.sendto", "socket.gethostbyname"):
        log["network"].append([event, repr(args)[:200]])
        raise OSError("network access blocked by the test")
    if event == "open":
        path, mode, flags = args
        writing = (mode is not None and any(c in str(mode) for c in "wax+")) or (flags or 0) & WRITE_FLAGS
        if writing and isinstance(path, str | bytes):
            log["writes"].append([event, os.fsdecode(path)])
    elif event in ("os.rename", "os.replace", "os.link", "os.symlink"):
        log["writes"].append([event, os.fsdecode(args[1])])
    elif event in ("os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.truncate", "shutil.rmtree"):
        if isinstance(args[0], str | bytes):
            log["writes"].append([event, os.fsdecode(args[0])])

sys.addaudithook(hook)
from redline.cli import main

phases = json.loads(sys.argv[1])
results = []
for args in phases:
    start = len(log["writes"])
    try:
        main(args)
        code = 0
    except SystemExit as exit:
        code = exit.code
    results.append({"args": args, "code": code, "writes": log["writes"][start:]})
sys.stdout.flush()
print("\n@@RESULT@@" + json.dumps({"network": log["network"], "phases": results}))
"""

DOCS = {
    "README.md": "# Guide\n\nRead the the manual first. It is is short.\n",
    "docs/intro.md": "Intro text.\n\nThe service restarts every worker. The service restarts every worker.\n",
    "docs/notes.rst": "Notes\n=====\n\nA short note of of the tool.\n",
    "docs/plain.txt": "Plain text with a a doubled word.\n",
    "docs/data.json": '{"not": "linted"}\n',
}


def snapshot(*roots: Path) -> dict[str, tuple[int, int, str]]:
    listing = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            info = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else "dir"
            listing[str(path)] = (info.st_size, info.st_mtime_ns, digest)
    return listing


@pytest.fixture(scope="module")
def audited_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("writes")
    tree, home, xdg, cache, tmpdir = (base / name for name in ("tree", "home", "xdg", "cache", "tmp"))
    for folder in (home, xdg, cache, tmpdir):
        folder.mkdir()
    for name, text in DOCS.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(text)
    check_runs = [["check", f"--format={f}", "--ignore=RL102", "."] for f in sorted(FORMATS)]
    phases = [
        ["check", "--format=json", "."],  # default rules, the embedding model included
        *check_runs,
        ["check", "--no-cache", "--ignore=RL102", "README.md", "docs"],
        ["check", "--fix", "--ignore=RL102", "."],
    ]
    before = snapshot(base)
    env = {
        "HOME": str(home),
        "XDG_CACHE_HOME": str(xdg),
        "REDLINE_CACHE_DIR": str(cache),
        "TMPDIR": str(tmpdir),
    }
    env |= {"PYTHONDONTWRITEBYTECODE": "1", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    run = run_cli([json.dumps(phases)], tree, env=env, python_code=DRIVER, timeout=400)
    no_traceback(run)
    assert "@@RESULT@@" in run.stdout, run.stderr[-3000:]
    result = json.loads(run.stdout.rsplit("@@RESULT@@", 1)[1])
    return {"base": base, "tree": tree, "cache": cache, "before": before, "after": snapshot(base), **result}


def test_no_network_access_in_any_format(audited_run: dict[str, object]) -> None:
    assert audited_run["network"] == []
    codes = [phase["code"] for phase in audited_run["phases"]]  # type: ignore[attr-defined]
    assert codes == [1] * (len(FORMATS) + 2) + [1]  # findings left after --fix (repeated sentence)


def test_checking_writes_only_into_the_cache_folder(audited_run: dict[str, object]) -> None:
    cache = str(audited_run["cache"])
    for phase in audited_run["phases"][:-1]:  # type: ignore[index]
        stray = [w for w in phase["writes"] if not w[1].startswith(cache + os.sep)]
        assert stray == [], phase["args"]


def test_fix_writes_only_the_linted_files_and_the_cache(audited_run: dict[str, object]) -> None:
    tree, cache = audited_run["tree"], str(audited_run["cache"])
    assert isinstance(tree, Path)
    fix_phase = audited_run["phases"][-1]  # type: ignore[index]
    written = {w[1] for w in fix_phase["writes"] if not w[1].startswith(cache + os.sep)}
    fixed = {str(tree / name) for name in ("README.md", "docs/notes.rst", "docs/plain.txt")}
    # A fix is written to a temporary file beside the original, then renamed over it.
    temporaries = {w for w in written if w not in fixed}
    assert all(
        Path(w).parent in {tree, tree / "docs"} and Path(w).name.startswith(".") for w in temporaries
    ), written
    assert {w for w in written if w in fixed} == fixed


def test_nothing_else_changed_on_disk(audited_run: dict[str, object]) -> None:
    before, after = audited_run["before"], audited_run["after"]
    tree, cache = audited_run["tree"], str(audited_run["cache"])
    assert isinstance(before, dict) and isinstance(after, dict) and isinstance(tree, Path)
    old, new = ({p: v for p, v in listing.items() if not p.startswith(cache)} for listing in (before, after))
    assert sorted(set(new) - set(old)) == []  # no new file or folder outside the cache
    changed = sorted(p for p in old if old[p] != new.get(p) and old[p][2] != "dir")
    assert changed == sorted(str(tree / n) for n in ("README.md", "docs/notes.rst", "docs/plain.txt"))
    # "the the" is a safe fix; "is is" only an unsafe one ("what it is is ..."), so --fix leaves it.
    assert (tree / "README.md").read_text() == "# Guide\n\nRead the manual first. It is is short.\n"
    assert (tree / "docs/notes.rst").read_text() == "Notes\n=====\n\nA short note of the tool.\n"
    assert (tree / "docs/plain.txt").read_text() == "Plain text with a doubled word.\n"
    assert (tree / "docs/data.json").read_text() == DOCS["docs/data.json"]
