"""Hypothesis strategies: random Markdown, reStructuredText and Unicode documents.

Markdown documents are built from the constructs the reader has to get right (headings,
nested lists and quotes, fences, tables, HTML, front matter, links, code spans, escapes,
redline directives) around words chosen to set rules off (doubled words, hedges,
repeated sentences, long sentences), with random Unicode mixed in and every line ending
style. NUL is left out: a NUL makes a file binary, which tests/test_reliability.py covers.
"""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = [
    "the", "the", "a", "is", "of", "and", "to", "in", "we", "it", "perhaps", "very", "really",
    "basically", "clearly", "might", "some", "say", "that", "that", "had", "Note", "report",
    "service", "restarts", "every", "worker", "quickly", "end", "result", "free", "gift",
    "utilize", "in order to", "at this point in time", "email", "e-mail", "e.g.", "JavaScript",
    "javascript", "colour", "color", "café", "naïve", "日本語", "류근웅류근웅", "JohnJohn", "x",
    "It", "is", "important", "to", "note", "was", "written", "by", "—", "…", "’s", "'s", "2024",
]  # fmt: skip

NO_NUL = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
raw_text = st.text(NO_NUL, max_size=40)


@st.composite
def words(draw: st.DrawFn, min_size: int = 1, max_size: int = 12) -> str:
    chosen = draw(st.lists(st.sampled_from(WORDS), min_size=min_size, max_size=max_size))
    return " ".join(chosen)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    body = draw(st.one_of(words(), words(min_size=30, max_size=50), raw_text))
    return body + draw(st.sampled_from([".", "!", "?", "", ":", " …"]))


@st.composite
def inline(draw: st.DrawFn) -> str:
    piece = st.one_of(
        sentence(),
        sentence(),
        words().map(lambda w: f"`{w}`"),
        words().map(lambda w: f"``{w} ` {w}``"),
        words().map(lambda w: f"*{w}*"),
        words().map(lambda w: f"**{w}**"),
        words().map(lambda w: f"~~{w}~~"),
        words().map(lambda w: f"[{w}](https://example.com/{len(w)} 'title')"),
        words().map(lambda w: f"[{w}][ref]"),
        words().map(lambda w: f"![{w}](img.png)"),
        st.just("<https://example.com/a>"),
        st.just("https://example.com/path?q=1."),
        st.just("mail@example.com"),
        words().map(lambda w: f"<b>{w}</b>"),
        st.just("<!-- redline-disable-next-line -->"),
        st.just("<!-- redline-disable RL106 -->"),
        st.just("<!-- redline-enable -->"),
        st.sampled_from(["\\*", "\\`", "&amp;", "&#169;", "&nbsp;", "\\", "[", "]", "*", "_", "`", "<"]),
        raw_text,
    )
    return " ".join(draw(st.lists(piece, min_size=1, max_size=6)))


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    return "\n".join(draw(st.lists(inline(), min_size=1, max_size=3)))


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> str:
    leaves = [
        paragraph(),
        paragraph(),
        inline().map(lambda t: "#" * 1 + " " + t),
        st.tuples(st.integers(1, 7), inline()).map(lambda p: "#" * p[0] + " " + p[1]),
        inline().map(lambda t: t + "\n" + "=" * 5),
        st.tuples(st.sampled_from(["```", "~~~", "````"]), st.sampled_from(["", "python", "md"]), raw_text).map(
            lambda p: f"{p[0]}{p[1]}\n{p[2]}\n{p[0]}"
        ),
        raw_text.map(lambda t: "    " + t.replace("\n", " ")),
        st.lists(st.tuples(inline(), inline()), min_size=1, max_size=3).map(_table),
        inline().map(lambda t: f"<div>\n{t}\n</div>"),
        st.just("<!-- redline-disable -->"),
        st.just("---"),
        st.just("[ref]: https://example.com/ref"),
    ]
    if depth < 3:
        nested = block(depth=depth + 1)
        leaves += [
            st.lists(nested, min_size=1, max_size=3).map(lambda items: "\n".join("- " + _indent(i, 2) for i in items)),
            st.lists(nested, min_size=1, max_size=3).map(
                lambda items: "\n".join(f"{n}. " + _indent(i, 3) for n, i in enumerate(items, 1))
            ),
            nested.map(lambda b: "\n".join("> " + line for line in b.split("\n"))),
        ]
    return draw(st.one_of(leaves))


def _indent(text: str, width: int) -> str:
    return text.replace("\n", "\n" + " " * width)


def _table(rows: list[tuple[str, str]]) -> str:
    cells = [(a.replace("|", "\\|").replace("\n", " "), b.replace("|", "\\|").replace("\n", " ")) for a, b in rows]
    head, *body = cells
    lines = [f"| {head[0]} | {head[1]} |", "| --- | :---: |"] + [f"| {a} | {b} |" for a, b in body]
    return "\n".join(lines)


@st.composite
def markdown_documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block(), min_size=0, max_size=6))
    separators = draw(st.lists(st.sampled_from(["\n\n", "\n", "\n\n\n"]), min_size=len(blocks), max_size=len(blocks)))
    text = "".join(b + s for b, s in zip(blocks, separators, strict=True))
    if draw(st.booleans()):
        text = "---\ntitle: " + draw(words()) + "\ntags: [a, b]\n---\n" + text
    ending = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "mixed"]))
    if ending == "mixed":
        lines = text.split("\n")
        ends = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines), max_size=len(lines)))
        text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    elif ending != "\n":
        text = text.replace("\n", ending)
    return text


@st.composite
def rst_documents(draw: st.DrawFn) -> str:
    pieces = st.one_of(
        paragraph(),
        inline().map(lambda t: t.replace("\n", " ") + "\n" + "=" * max(1, len(t))),
        st.lists(paragraph(), min_size=1, max_size=3).map(lambda items: "\n".join("- " + _indent(i, 2) for i in items)),
        raw_text.map(lambda t: ".. code-block:: python\n\n   " + _indent(t, 3)),
        paragraph().map(lambda t: ".. note::\n\n   " + _indent(t, 3)),
        paragraph().map(lambda t: "   " + _indent(t, 3)),
        words().map(lambda w: f":role:`{w}` and ``{w}`` and `{w} <https://x.org>`_ and |sub| [1]_"),
        st.just(".. redline-disable-next-line"),
        st.just("::"),
        paragraph().map(lambda t: "term\n   " + _indent(t, 3)),
    )
    return "\n\n".join(draw(st.lists(pieces, min_size=0, max_size=6))) + draw(st.sampled_from(["", "\n"]))


unicode_documents = st.text(NO_NUL, max_size=300)
