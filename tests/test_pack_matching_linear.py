"""Pack matching is linear in the text (issue 18, item 3), and its offsets stay exact.

The RE2 wrapper, given a ``str``, encodes the whole string and converts offsets from its
start on every call; called once per match on a 1 MB paragraph, RL402 took 350 s. The
matcher now encodes a block once and converts offsets with a forward-only cursor.
"""

from __future__ import annotations

import re

import pytest

from redline.markup import parse
from redline.packs import builtin_pack_rules
from redline.packs.matching import Exceptions, Matcher
from redline.rules.base import RuleContext
from redline.services import Services
from reliability_helpers import within


def test_rl402_on_the_issues_1_mb_paragraph_is_quick() -> None:
    text = "We utilize it. " * 68266 + "\n"  # python3 -c "print('We utilize it. '*68266)"
    (rule,) = [r for r in builtin_pack_rules() if r.code == "RL402"]
    document = parse("u.txt", text)
    context = RuleContext(options=rule.Options(), services=Services(use_cache=False), verbose=False)
    # measured: 5.0 s with the machine busy (load 12 on 2 cores); 350 s before
    findings = within(60, lambda: list(rule.check(document, context)))
    assert len(findings) == 68266
    assert [(f.start, f.end, f.message) for f in findings[:2]] == [
        (3, 10, "Plain language: consider 'use' instead of 'utilize'"),
        (18, 25, "Plain language: consider 'use' instead of 'utilize'"),
    ]
    assert (findings[-1].start, findings[-1].end) == (15 * 68265 + 3, 15 * 68265 + 10)


TEXT = "Ünïcode 😀 utilize, UTILIZE? 𝄞utilize reutilize utilize😀 über-utilize.\n"


@pytest.mark.parametrize("word_boundaries", [True, False])
def test_offsets_are_characters_after_multibyte_text(word_boundaries: bool) -> None:
    matcher = Matcher(["utilize"], regex=False, ignore_case=True, word_boundaries=word_boundaries)
    expected = [(m.start(), m.end()) for m in re.finditer("utilize", TEXT, re.IGNORECASE)]
    if word_boundaries:  # "𝄞" is a letter-like symbol (So), not a letter: it is a boundary
        expected = [(s, e) for s, e in expected if TEXT[s - 1] != "e"]
    hits = [(h.start, h.end, h.text) for h in matcher.finditer(TEXT)]
    assert hits == [(s, e, TEXT[s:e]) for s, e in expected]
    assert len(hits) == (5 if word_boundaries else 6)


def test_a_piece_of_the_text_keeps_absolute_offsets_and_groups() -> None:
    matcher = Matcher([r"(ut)il(ize)"], regex=True, ignore_case=False, word_boundaries=True)
    start = TEXT.index("😀 utilize")
    hits = list(matcher.finditer(TEXT, start, start + 12))
    assert [(h.start, h.end, h.text, h.groups) for h in hits] == [
        (start + 2, start + 9, "utilize", ("ut", "ize"))
    ]


def test_exceptions_cover_by_binary_search() -> None:
    exceptions = Exceptions(["utilize it"], ignore_case=True)
    text = "We utilize it. " * 3 + "We utilize them."
    spans = exceptions.spans(text, 0, len(text))
    assert spans == [(3, 13), (18, 28), (33, 43)]
    assert [Exceptions.covers(spans, s, e) for s, e in [(3, 10), (18, 25), (48, 55), (0, 2), (12, 19)]] == [
        True, True, False, False, False,
    ]  # fmt: skip
