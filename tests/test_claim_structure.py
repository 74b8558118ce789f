"""What the page's structure says about a pair before RL102 scores it (no model needed)."""

from __future__ import annotations

import pytest

from redline.markup import parse
from redline.rules.redundancy.claim_structure import (
    different_voices,
    entry_of,
    entry_starts,
    is_reference,
    parallel_frames,
    parallel_template,
    voice,
)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (
            "On Linux platforms, library resolution works as follows:",
            "On Windows platforms, library resolution works as follows:",
            True,
        ),
        (
            "These are available on distributions supporting GCC 8.1 or higher.",
            "These are available on distributions supporting GCC 9.3 or higher.",
            True,
        ),
        # A rewording, or a sentence that only adds words, is no template.
        (
            "Binds the given function to the current execution context.",
            "{Function} The function to bind to the current execution context.",
            False,
        ),
        (
            "Compatibility policy for auto-generated shlibs control file.",
            "Defines compatibility policy for auto-generated shlibs control file.",
            False,
        ),
        (
            "The minister will visit Phnom Penh next week to discuss the new agreement.",
            "The minister is visiting Phnom Penh next week to talk about the new agreement.",
            False,
        ),
    ],
)
def test_parallel_template(first: str, second: str, expected: bool) -> None:
    assert parallel_template(first, second) is expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (
            "In the primary, this sends a message to a specific worker.",
            "In a worker, this sends a message to the primary.",
            True,
        ),
        (
            "If the provider fulfills the request, it should call :command:`FetchContent_SetPopulated`.",
            "If the provider returns without calling :command:`FetchContent_SetPopulated` for it, CMake falls back.",
            True,
        ),
        ("If a relative path is given, it is used as is.", "If a relative path is given, it is kept.", False),
        ("On Linux platforms, the prefix is fixed.", "In Linux, the prefix can change.", False),
    ],
)
def test_parallel_frames(first: str, second: str, expected: bool) -> None:
    assert parallel_frames(first, second) is expected


def test_entries_start_at_rst_targets_and_markdown_term_lines() -> None:
    rst = parse("a.rst", ".. _MATCH:\n\nMatch once.\n\n.. _MATCHALL:\n\nMatch many times.\n")
    starts = entry_starts(rst)
    first, second = rst.text.index("Match once"), rst.text.index("Match many")
    assert entry_of(starts, first) != entry_of(starts, second)
    md = parse(
        "a.md",
        "`net.client.socket`\n\nEmitted when a socket is created.\n\n`net.server.socket`\n\nEmitted when a connection is received.\n",
    )
    starts = entry_starts(md)
    assert entry_of(starts, md.text.index("Emitted when a socket")) != entry_of(
        starts, md.text.index("Emitted when a conn")
    )
    # Plain text has no markup: its entries are its sections (headings), nothing more.
    text = parse("a.txt", "Title\n\nOne sentence here.\n\n`y` is named here.\n")
    assert entry_starts(text) == text.sections == [0]


def test_reference_pages_are_markup_with_code() -> None:
    assert is_reference(parse("a.md", "Call `run()` to start.\n"))
    assert not is_reference(parse("a.md", "# Story\n\nThe minister spoke.\n"))
    assert not is_reference(parse("a.txt", "Call `run()` to start.\n"))


def test_voices() -> None:
    text = (
        "# Story\n\n"
        'Lib Dem leader Charles Kennedy has said voters have a "lack of trust" in the government.\n\n'
        '"We need a change. There is a lack of trust in the government," he said.\n\n'
        "UKIP leader Roger Knapman says he is glad.\n\n"
        "Jobs could shift overseas, the newspaper reported.\n\n"
        "The site now shows a holding page.\n"
    )
    document = parse("story.md", text)

    def at(fragment: str) -> str | None:
        start = text.index(fragment)
        (sentence,) = [s for s in document.sentences if s.start <= start < s.end]
        return voice(document, sentence.start, sentence.end, text[sentence.start : sentence.end])

    assert at("Lib Dem leader") == "said:kennedy"
    assert at("There is a lack") == "quote:"
    assert at("UKIP leader") == "said:knapman"
    assert at("Jobs could shift") == "said:newspaper"
    assert at("The site now") is None
    assert different_voices("said:kennedy", "quote:")  # a paraphrase and the quotation
    assert different_voices(None, "said:knapman")  # the writer and a speaker
    assert different_voices("said:kennedy", "said:knapman")
    assert not different_voices("said:knapman", "said:knapman")
    assert not different_voices("said:", "said:knapman")  # "he said": anyone
    assert not different_voices(None, None)
