"""Pack rules search only the blocks where a literal term occurs (Matcher.term_spans): the
same hits as searching every block, on the corpus with every built-in pack rule and on
random text."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import shared_corpus
from redline.document import Block, BlockKind, Document, Syntax
from redline.markup import parse
from redline.packs import builtin_pack_rules
from redline.packs.base import PackOptions, PackRule
from redline.packs.matching import Hit, Matcher
from redline.rules.base import RuleContext
from redline.services import Services

SEED = Path(__file__).parents[1] / "examples" / "seed-article.txt"


def _every_block(
    rule: PackRule, document: Document, matcher: Matcher, ctx: RuleContext[PackOptions]
) -> list[Hit]:
    """The reference: every block in scope searched."""
    original = matcher.term_spans
    matcher.term_spans = lambda text: None  # type: ignore[method-assign]
    try:
        return list(rule.hits(document, matcher, ctx))
    finally:
        matcher.term_spans = original  # type: ignore[method-assign]


def _matchers(rule: PackRule) -> Iterator[Matcher]:
    for value in list(vars(rule).values()):
        if isinstance(value, Matcher):
            yield value
        elif isinstance(value, list):
            yield from (item for item in value if isinstance(item, Matcher))


def _context(rule: PackRule) -> RuleContext[PackOptions]:
    return RuleContext(options=rule.Options(), services=Services())


def test_same_hits_on_the_corpus_for_every_built_in_pack_rule() -> None:
    paths = [
        SEED,
        *sorted(shared_corpus("docs").glob("*.rst"))[:15],
        *sorted(shared_corpus("news").iterdir())[:15],
    ]
    documents = [parse(str(path), path.read_text("utf-8")) for path in paths]
    rules = builtin_pack_rules()
    literal = 0
    total = 0
    for rule in rules:
        ctx = _context(rule)
        for matcher in _matchers(rule):
            literal += matcher.term_spans("") is not None
            for document in documents:
                expected = _every_block(rule, document, matcher, ctx)
                assert list(rule.hits(document, matcher, ctx)) == expected, (rule.code, document.path)
                total += len(expected)
    assert literal > 10
    assert total > 100  # the comparison saw hits


def _document(text: str, cuts: list[int], kinds: list[BlockKind]) -> Document:
    """``text`` as blocks cut at ``cuts`` (a block may end where the next starts)."""
    edges = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    blocks = [Block(kinds[i % len(kinds)], a, b) for i, (a, b) in enumerate(pairwise(edges))]
    return Document("doc.txt", text, text, blocks, Syntax.TEXT)


_PIECES = st.sampled_from(
    ["email", "e-mail", "E-Mail", "EMAIL", "per", "cent", "per cent", "per\ncent", " ", " ", "\n", "x", "é",
     "ſ", "K", "online", "on-line", "-", "_", "'", "’", "today's", "today’s", "2", "ℌ", "\u0301"]
)  # fmt: skip


@settings(max_examples=200)
@given(
    st.lists(_PIECES, max_size=40),
    st.lists(st.integers(min_value=0, max_value=400), max_size=6),
    st.lists(st.sampled_from([BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.TABLE_CELL]), min_size=1),
    st.booleans(),
    st.booleans(),
)
def test_same_hits_on_random_text(
    pieces: list[str], cuts: list[int], kinds: list[BlockKind], ignore_case: bool, boundaries: bool
) -> None:
    document = _document("".join(pieces), cuts, kinds)
    matcher = Matcher(
        ["email", "e-mail", "per cent", "today's", "ſ", "k", "é"],
        regex=False,
        ignore_case=ignore_case,
        word_boundaries=boundaries,
    )
    (rule,) = [r for r in builtin_pack_rules() if r.code == "RL431"]
    ctx = _context(rule)
    assert list(rule.hits(document, matcher, ctx)) == _every_block(rule, document, matcher, ctx)


def test_patterns_are_searched_block_by_block() -> None:
    """``^`` and ``$`` mean a block's start and end: no whole-text search for patterns."""
    assert Matcher(["^Foo"], regex=True, ignore_case=False, word_boundaries=False).term_spans("Foo") is None


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Send an e-mail, then an email.", [(8, 14), (24, 29)]),
        ("nothing here", []),
        ("per\n  cent", [(0, 10)]),
    ],
)
def test_term_spans(text: str, spans: list[tuple[int, int]]) -> None:
    matcher = Matcher(["email", "e-mail", "per cent"], regex=False, ignore_case=True, word_boundaries=True)
    assert matcher.term_spans(text) == spans
