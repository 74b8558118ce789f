"""``redline lsp``: a real client session over stdio, exact ranges and messages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lsp_client import LspClient
from redline.findings import Finding, Related
from redline.lsp.linting import BufferLinter, Snapshot, carry_over
from redline.lsp.positions import UTF8, UTF16, UTF32, PositionMap

TEXT = "😀 the the end.\n한국어 한국어 끝.\n"
THE = "Doubled word: 'the' written twice"
KOREAN = "Doubled word: '한국어' written twice"


def start(root: Path, encodings: list[str] | None = None, debounce_ms: int = 50) -> tuple[LspClient, Any]:
    client = LspClient(root, env={**os.environ, "REDLINE_CACHE_DIR": str(root / ".cache")})
    capabilities: dict[str, Any] = {"textDocument": {"publishDiagnostics": {"relatedInformation": True}}}
    if encodings is not None:
        capabilities["general"] = {"positionEncodings": encodings}
    result = client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "capabilities": capabilities,
            "initializationOptions": {"debounceMs": debounce_ms},
        },
    )
    client.notify("initialized", {})
    return client, result


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp")
    # Two stable rules; RL102 would load the embedding model on every save.
    (root / "redline.toml").write_text('select = ["RL101", "RL106"]\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def session(workspace: Path) -> Iterator[tuple[LspClient, Any]]:
    """One server for the module (each start loads spaCy); every test opens its own files."""
    client, result = start(workspace, debounce_ms=400)
    yield client, result
    assert client.close() == 0


def open_doc(client: LspClient, path: Path, text: str, language: str = "markdown") -> str:
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}},
    )
    return uri


def summary(params: dict[str, Any]) -> list[tuple[int, int, int, int, str, str, int]]:
    out = []
    for d in params["diagnostics"]:
        r = d["range"]
        item = (r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"])
        out.append((*item, d["code"], d["message"], d["severity"]))
    return out


def rng(a: int, b: int, c: int, d: int) -> dict[str, Any]:
    return {"start": {"line": a, "character": b}, "end": {"line": c, "character": d}}


def test_session_open_code_action_change_save(session: tuple[LspClient, Any], workspace: Path) -> None:
    client, init = session
    capabilities = init["capabilities"]
    assert init["serverInfo"]["name"] == "redline"
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["textDocumentSync"]["change"] == 1  # full text on every change
    assert capabilities["textDocumentSync"]["save"] == {"includeText": False}
    assert capabilities["codeActionProvider"] == {"codeActionKinds": ["quickfix"]}

    uri = open_doc(client, workspace / "doc.md", TEXT)
    published = client.wait_notification("textDocument/publishDiagnostics", uri=uri)
    assert published["version"] == 1
    # UTF-16: the emoji is two code units, so "the the" starts at column 3.
    assert summary(published) == [(0, 3, 0, 10, "RL106", THE, 2), (1, 0, 1, 7, "RL106", KOREAN, 2)]
    assert {d["source"] for d in published["diagnostics"]} == {"redline"}

    actions = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": rng(0, 4, 0, 4), "context": {"diagnostics": []}},
    )
    assert [(a["title"], a["kind"], a["isPreferred"]) for a in actions] == [
        (f"Fix RL106: {THE}", "quickfix", True)
    ]
    assert actions[0]["edit"] == {"changes": {uri: [{"range": rng(0, 6, 0, 10), "newText": ""}]}}
    assert summary({"diagnostics": actions[0]["diagnostics"]}) == [(0, 3, 0, 10, "RL106", THE, 2)]

    changed = "Fine text.\n😀😀 Read the the manual.\n"
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": changed}]},
    )
    published = client.wait_notification("textDocument/publishDiagnostics", uri=uri, version=2)
    assert summary(published) == [(1, 10, 1, 17, "RL106", THE, 2)]

    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    published = client.wait_notification("textDocument/publishDiagnostics", uri=uri, version=2)
    assert summary(published) == [(1, 10, 1, 17, "RL106", THE, 2)]

    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.wait_notification("textDocument/publishDiagnostics", uri=uri)["diagnostics"] == []


def test_related_information_points_at_the_earlier_sentence(
    session: tuple[LspClient, Any], workspace: Path
) -> None:
    client, _ = session
    text = "# Notes\n\nThe new release improves startup time.\n\n😀 The new release improves startup time.\n"
    uri = open_doc(client, workspace / "notes.md", text)
    published = client.wait_notification("textDocument/publishDiagnostics", uri=uri)
    # The emoji (2 UTF-16 units) belongs to the sentence.
    assert summary(published) == [(4, 0, 4, 41, "RL101", "Sentence repeats line 3 word for word", 2)]
    (diagnostic,) = published["diagnostics"]
    assert diagnostic["relatedInformation"] == [
        {"location": {"uri": uri, "range": rng(2, 0, 2, 38)}, "message": "earlier occurrence"}
    ]


def test_changes_are_debounced(session: tuple[LspClient, Any], workspace: Path) -> None:
    client, _ = session
    uri = open_doc(client, workspace / "burst.md", "Nothing here.\n")
    assert client.wait_notification("textDocument/publishDiagnostics", uri=uri)["diagnostics"] == []
    for version, text in [(2, "the the\n"), (3, "a a\n"), (4, "Is is it?\n")]:
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )
    published = client.wait_notification("textDocument/publishDiagnostics", uri=uri, version=4)
    assert summary(published) == [(0, 0, 0, 5, "RL106", "Doubled word: 'is' written twice", 2)]
    earlier = [n for n in client.notifications if n["params"].get("uri") == uri]
    assert earlier == []  # versions 2 and 3 were never linted


@pytest.mark.parametrize(
    ("offered", "chosen", "columns"),
    [(["utf-32", "utf-16"], "utf-32", (2, 9)), (["utf-8"], "utf-8", (5, 12))],
)
def test_position_encoding_is_negotiated(
    workspace: Path, offered: list[str], chosen: str, columns: tuple[int, int]
) -> None:
    client, init = start(workspace, encodings=offered)
    try:
        assert init["capabilities"]["positionEncoding"] == chosen
        uri = open_doc(client, workspace / f"{chosen}.md", TEXT)
        published = client.wait_notification("textDocument/publishDiagnostics", uri=uri)
        assert summary(published)[0] == (0, columns[0], 0, columns[1], "RL106", THE, 2)
    finally:
        assert client.close() == 0


def test_nearest_config_applies(session: tuple[LspClient, Any], workspace: Path) -> None:
    client, _ = session
    (workspace / "quiet").mkdir()
    (workspace / "quiet" / "redline.toml").write_text('ignore = ["RL106"]\n', encoding="utf-8")
    uri = open_doc(client, workspace / "quiet" / "doc.md", TEXT)
    assert client.wait_notification("textDocument/publishDiagnostics", uri=uri)["diagnostics"] == []


def test_config_error_is_shown_at_the_top(session: tuple[LspClient, Any], workspace: Path) -> None:
    client, _ = session
    (workspace / "bad").mkdir()
    (workspace / "bad" / "redline.toml").write_text('select = ["NOPE9"]\n', encoding="utf-8")
    uri = open_doc(client, workspace / "bad" / "doc.md", TEXT)
    (diagnostic,) = client.wait_notification("textDocument/publishDiagnostics", uri=uri)["diagnostics"]
    assert diagnostic["range"] == rng(0, 0, 0, 0)
    assert diagnostic["severity"] == 1
    assert diagnostic["message"].startswith(f"{workspace / 'bad' / 'redline.toml'}: ")
    assert "NOPE9" in diagnostic["message"]


def test_position_map_round_trips() -> None:
    text = "😀 a\r\n한b\rc𝄞d\n"
    for encoding, expected in [(UTF16, (0, 3)), (UTF32, (0, 2)), (UTF8, (0, 5))]:
        positions = PositionMap(text, encoding)
        assert positions.position(2) == expected
        assert positions.offset(*expected) == 2
    positions = PositionMap(text, UTF16)
    assert [positions.position(o) for o in (5, 6, 7, 8, 9, 11)] == [
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 0),
        (2, 1),
        (2, 4),
    ]
    assert positions.offset(2, 2) == 9  # inside the surrogate pair of 𝄞: clamps to its start
    assert positions.offset(0, 99) == 3  # past the line end: the line end
    assert positions.offset(7, 0) == len(text)


def test_save_only_rules_run_on_save_and_move_with_edits(
    monkeypatch: pytest.MonkeyPatch, workspace: Path
) -> None:
    from redline.rules.redundancy.repeated_sentence import RepeatedSentence

    monkeypatch.setattr(RepeatedSentence, "slow", True)  # RL102 is slow; RL101 needs no model
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(workspace / ".cache"))
    text = "The new release improves startup time.\nThe new release improves startup time.\nthe the\n"
    linter = BufferLinter()
    quick = linter.lint(workspace / "doc.md", text, full=False)
    assert [(f.code, f.start) for f in quick.quick.findings] == [("RL106", 78)]
    assert quick.slow is None
    full = linter.lint(workspace / "doc.md", text, full=True)
    assert [(f.code, f.start) for f in full.quick.findings] == [("RL106", 78)]
    assert full.slow is not None
    assert [(f.code, f.start, f.end) for f in full.slow.findings] == [("RL101", 39, 77)]


def test_carry_over_shifts_findings_around_the_edit() -> None:
    old = "aaa bbb ccc ddd"
    findings = (
        Finding("RL102", "x", "before", 0, 3, related=[Related(8, 11)]),
        Finding("RL102", "x", "touched", 4, 7),
        Finding("RL102", "x", "after", 8, 11, related=[Related(0, 3)]),
    )
    moved = carry_over(Snapshot(old, findings), "aaa XXXXX ccc ddd")
    assert [(f.message, f.start, f.end, [(r.start, r.end) for r in f.related]) for f in moved] == [
        ("before", 0, 3, [(10, 13)]),
        ("after", 10, 13, [(0, 3)]),
    ]
    assert carry_over(Snapshot(old, findings), old) == list(findings)
