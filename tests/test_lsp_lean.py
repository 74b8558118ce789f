"""``redline lsp``'s lean start (lsp/lean.py): the same answers as the pygls server, sooner."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from lsp_client import LspClient

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed-article.txt"
TEXT = "😀 the the end.\nSee [the docs](x.md). The plan is very very important.\n"


def _session(
    root: Path, lean: bool, encodings: list[str] | None, text: str
) -> tuple[Any, dict[str, Any], LspClient]:
    env = {**os.environ, "REDLINE_CACHE_DIR": str(root / ".cache"), "REDLINE_LSP_LEAN": "1" if lean else "0"}
    client = LspClient(root, env=env)
    capabilities: dict[str, Any] = {"textDocument": {"publishDiagnostics": {"relatedInformation": True}}}
    if encodings is not None:
        capabilities["general"] = {"positionEncodings": encodings}
    init = client.request(
        "initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": capabilities}
    )
    client.notify("initialized", {})
    uri = (root / "doc.md").as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
    )
    published = client.wait_notification("textDocument/publishDiagnostics", uri=uri, timeout=120)
    return init, published, client


@pytest.mark.parametrize(
    "encodings",
    [
        None,
        ["utf-8"],
        pytest.param(["utf-32", "utf-16"], marks=pytest.mark.slow),
        pytest.param(["ucs-2"], marks=pytest.mark.slow),
    ],
)
def test_lean_start_answers_as_pygls_does(tmp_path: Path, encodings: list[str] | None) -> None:
    text = SEED.read_text("utf-8") + TEXT
    answers = []
    for lean in (True, False):
        root = tmp_path / ("lean" if lean else "pygls")
        root.mkdir()
        init, published, client = _session(root, lean, encodings, text)
        published["uri"] = published["uri"].replace(root.as_uri(), "ROOT")
        for diagnostic in published["diagnostics"]:
            for related in diagnostic.get("relatedInformation", ()):
                related["location"]["uri"] = related["location"]["uri"].replace(root.as_uri(), "ROOT")
        answers.append((init, published))
        assert client.close() == 0
    (lean_init, lean_published), (pygls_init, pygls_published) = answers
    assert lean_init == pygls_init
    assert lean_published == pygls_published
    codes = {d["code"] for d in lean_published["diagnostics"]}
    assert {"RL106", "RL103"} <= codes
    assert any("relatedInformation" in d for d in lean_published["diagnostics"])


def test_after_the_lean_start_pygls_serves_the_document(tmp_path: Path) -> None:
    init, published, client = _session(tmp_path, True, None, TEXT)
    assert init["capabilities"]["positionEncoding"] == "utf-16"
    uri = published["uri"]
    doubled = [d for d in published["diagnostics"] if d["code"] == "RL106"]
    assert doubled[0]["range"] == {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 10}}
    # the document is pygls's now: a quick fix from the lean pass's findings, no second
    # pass on the replayed didOpen, and a change linted as usual
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 4}},
            "context": {"diagnostics": []},
        },
    )
    assert [a["title"] for a in actions] == ["Fix RL106: Doubled word: 'the' written twice"]
    assert not [m for m in client.notifications if m.get("method") == "textDocument/publishDiagnostics"]
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "Fine text.\n"}]},
    )
    again = client.wait_notification("textDocument/publishDiagnostics", uri=uri, version=2, timeout=60)
    assert again["diagnostics"] == []
    assert client.close() == 0


def test_anything_else_first_goes_to_pygls(tmp_path: Path) -> None:
    env = {**os.environ, "REDLINE_CACHE_DIR": str(tmp_path / ".cache")}
    client = LspClient(tmp_path, env=env)
    client.notify("$/setTrace", {"value": "off"})  # not initialize: pygls reads from here on
    init = client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    assert init["serverInfo"]["name"] == "redline"
    assert client.close() == 0
