"""phrases.introduces_code: the lead-in test reads the end of the block's line without
copying the text before it, with the same answers as the copying test it replaced."""

from __future__ import annotations

import re

from helpers import shared_corpus
from redline.analysis import Sentence
from redline.document import Document
from redline.markup import parse
from redline.rules.redundancy.phrases import introduces_code

_CODE_NEXT = re.compile(r"[ \t]*(?:```|~~~|\.\. (?:code-block|code|sourcecode)::)")


def _reference(document: Document, sentence: Sentence) -> bool:
    """The test as it was: ``text[:line_end].rstrip().endswith("::")``."""
    block = document.blocks[sentence.block]
    if document.prose[sentence.end : block.end].strip():
        return False
    text = document.text
    after = block.end
    line_end = text.find("\n", after)
    if text[: line_end if line_end >= 0 else len(text)].rstrip().endswith("::"):
        return True
    at = line_end + 1 if line_end >= 0 else len(text)
    while at < len(text):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if text[at:end].strip():
            return bool(_CODE_NEXT.match(text, at, end))
        at = end + 1
    return False


def test_same_as_the_copying_test_on_the_corpus() -> None:
    paths = sorted(shared_corpus("docs").iterdir())[:15] + sorted(shared_corpus("news").iterdir())[:10]
    answers = []
    for path in paths:
        document = parse(str(path), path.read_text("utf-8"))
        for sentence in document.sentences:
            answer = introduces_code(document, sentence)
            assert answer == _reference(document, sentence), (path.name, sentence.text)
            answers.append(answer)
    assert True in answers
    assert False in answers


def test_lead_ins_at_the_edges() -> None:
    texts = [
        "Run this::\n\n    make all\n",
        "Run this::   \t",
        "Run this::\u00a0\u2003\n\n    make\n",
        "Run this: \n",
        "Run this:::\n\n    x\n",
        "Run this.\n\n```\ncode\n```\n",
        "Run this.\n\n   \n\t\nMore prose.\n",
        "::",
        "a",
    ]
    for text in texts:
        for name in ("note.rst", "note.md", "note.txt"):
            document = parse(name, text)
            for sentence in document.sentences:
                assert introduces_code(document, sentence) == _reference(document, sentence), (name, text)
    document = parse("note.rst", "Run this::\n\n    make all\n")
    assert [introduces_code(document, s) for s in document.sentences] == [True]
