"""Pieces every markup reader shares (markup/common.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from redline.document import blank_out
from redline.markup import common
from redline.markup.common import mask_urls

_PIECES = [
    "://",
    "www.",
    "WWW.",
    "@",
    "http",
    "mailto:",
    "a",
    "b.c",
    "-",
    "_",
    "+",
    "é",
    "\u212a",
    "(",
    ")",
    "<",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from([" ", "\n", "\t", "\u00a0", ".", ",", "1"])))
)
def test_urls_are_masked_as_one_regex_over_the_whole_text_masks_them(parts: list[str]) -> None:
    """mask_urls tries its regex only on the runs that hold "://", "www." or "@"; what it
    blanks is what the regex blanks over the whole text."""
    text = "".join(parts)
    assert mask_urls(text) == common._URL.sub(lambda m: blank_out(m.group()), text)


def test_urls_and_addresses_are_blanked_and_the_rest_kept() -> None:
    text = "See https://example.com/a?b=1, or www.python.org.\nMail me@example.com (x@y) now."
    assert mask_urls(text) == ("See " + " " * 25 + ", or " + " " * 14 + ".\nMail " + " " * 14 + " (x@y) now.")
    assert mask_urls("no links here") == "no links here"
    assert blank_out("ab\r\ncd\n") == "  \r\n  \n"
    assert blank_out("abc") == "   "
