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


@st.composite
def _apart(draw: st.DrawFn, most: int) -> list[tuple[int, int]]:
    """Spans in order and apart (gaps and empty spans allowed), within 0..most."""
    edges = sorted(draw(st.lists(st.integers(min_value=0, max_value=most), max_size=16)))
    pairs = [(edges[i], edges[i + 1]) for i in range(0, len(edges) - 1, 2)]
    return [(a, b) for (a, b) in pairs if draw(st.booleans()) or a < b]


@settings(max_examples=300)
@given(
    _apart(60),
    _apart(60),
    st.lists(st.sampled_from([BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.TABLE_CELL]), min_size=1),
)
def test_blocks_touched_are_the_blocks_that_overlap(
    blocks: list[tuple[int, int]], spans: list[tuple[int, int]], kinds: list[BlockKind]
) -> None:
    """The blocks found from each term's span by bisection are those every block's
    _overlaps test keeps, for blocks in order with gaps and empty blocks."""
    from redline.packs.base import _blocks_touched, _overlaps
    from redline.packs.matching import scoped_ranges

    spans = [(a, b) for a, b in spans if a < b]  # a term's span is never empty
    text = "x" * 61
    document = Document(
        "doc.txt",
        text,
        text,
        [Block(kinds[i % len(kinds)], a, b) for i, (a, b) in enumerate(blocks)],
        Syntax.TEXT,
    )
    assert document.blocks_in_order
    scope = frozenset({BlockKind.PARAGRAPH, BlockKind.TABLE_CELL})
    expected = [(a, b) for a, b in scoped_ranges(document, scope) if _overlaps(spans, a, b)]
    assert _blocks_touched(document, spans, scope) == expected


def test_blocks_out_of_order_or_overlapping_are_not_in_order() -> None:
    text = "x" * 20
    for layout in ([(5, 10), (0, 4)], [(0, 6), (5, 10)], [(3, 2)]):
        blocks = [Block(BlockKind.PARAGRAPH, a, b) for a, b in layout]
        assert not Document("doc.txt", text, text, blocks, Syntax.TEXT).blocks_in_order
    blocks = [Block(BlockKind.PARAGRAPH, a, b) for a, b in [(0, 4), (4, 4), (4, 9), (12, 20)]]
    assert Document("doc.txt", text, text, blocks, Syntax.TEXT).blocks_in_order
