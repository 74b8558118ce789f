"""Hypothesis strategies: random Markdown, reStructuredText and Unicode documents.

Markdown documents are built from the constructs the reader has to get right (headings,
nested lists and quotes, fences, tables, HTML, front matter, links, code spans, escapes,
redline directives) around words chosen to set rules off (doubled words, hedges,
repeated sentences, long sentences), with random Unicode mixed in and every line ending
style. NUL is left out: a NUL makes a file binary, which tests/test_reliability.py covers.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from hypothesis import strategies as st

WORDS = [
    "the", "the", "a", "is", "of", "and", "to", "in", "we", "it", "perhaps", "very", "really",
    "basically", "clearly", "might", "some", "say", "that", "that", "had", "Note", "report",
    "service", "restarts", "every", "worker", "quickly", "end", "result", "free", "gift",
    "utilize", "in order to", "at this point in time", "email", "e-mail", "e.g.", "JavaScript",
    "javascript", "colour", "color", "café", "naïve", "日本語", "류근웅류근웅", "JohnJohn", "x",
    "It", "is", "important", "to", "note", "was", "written", "by", "—", "…", "’s", "'s", "2024",
]  # fmt: skip

NO_NUL = st.characters(codec="utf-8", exclude_characters="\x00")  # utf-8: no lone surrogates
raw_text = st.text(NO_NUL, max_size=40)


# Building a document from a plan of (construct, seed) pairs with ``random.Random`` is
# ~50 times faster than composing it from nested hypothesis strategies (60 ms a document
# measured), and hypothesis still shrinks the plan: fewer blocks, simpler constructs.
INLINE_KINDS = 19
BLOCK_KINDS = 15
ENDINGS = ["\n", "\n", "\r\n", "\r", "mixed"]


class _Builder:
    def __init__(self, seed: int, noise: list[str]) -> None:
        self.random = random.Random(seed)
        self.noise = noise or [""]

    def words(self, low: int = 1, high: int = 12) -> str:
        return " ".join(self.random.choices(WORDS, k=self.random.randint(low, high)))

    def sentence(self) -> str:
        roll = self.random.random()
        body = (
            self.words(30, 50)
            if roll < 0.1
            else self.random.choice(self.noise)
            if roll < 0.25
            else self.words()
        )
        return body + self.random.choice([".", ".", "!", "?", "", ":", " …"])

    def inline_piece(self, kind: int) -> str:
        w = self.words()
        pieces: list[Callable[[], str]] = [
            self.sentence, self.sentence, lambda: f"`{w}`", lambda: f"``{w} ` {w}``", lambda: f"*{w}*",
            lambda: f"**{w}**", lambda: f"~~{w}~~", lambda: f"[{w}](https://example.com/{len(w)} 'title')",
            lambda: f"[{w}][ref]", lambda: f"![{w}](img.png)", lambda: "<https://example.com/a>",
            lambda: "https://example.com/path?q=1.", lambda: "mail@example.com", lambda: f"<b>{w}</b>",
            lambda: "<!-- redline-disable-next-line -->", lambda: "<!-- redline-disable RL106 -->",
            lambda: "<!-- redline-enable -->",
            lambda: self.random.choice(["\\*", "\\`", "&amp;", "&#169;", "&nbsp;", "\\", "[", "]", "*", "_", "`", "<"]),
            lambda: self.random.choice(self.noise),
        ]  # fmt: skip
        return pieces[kind % len(pieces)]()

    def inline(self) -> str:
        count = self.random.randint(1, 6)
        return " ".join(self.inline_piece(self.random.randrange(INLINE_KINDS)) for _ in range(count))

    def paragraph(self) -> str:
        return "\n".join(self.inline() for _ in range(self.random.randint(1, 3)))

    def block(self, kind: int, depth: int = 0) -> str:
        r = self.random
        if kind >= 12 and depth >= 3:
            kind = 0
        if kind in (0, 1):
            return self.paragraph()
        if kind == 2:
            return "#" * r.randint(1, 7) + " " + self.inline()
        if kind == 3:
            return self.inline() + "\n" + r.choice(["=====", "---"])
        if kind == 4:
            fence = r.choice(["```", "~~~", "````"])
            return f"{fence}{r.choice(['', 'python', 'md'])}\n{self.paragraph()}\n{r.choice(self.noise)}\n{fence}"
        if kind == 5:
            return "    " + self.inline().replace("\n", " ")
        if kind == 6:
            rows = [(self.inline(), self.inline()) for _ in range(r.randint(1, 3))]
            return _table(rows)
        if kind == 7:
            return f"<div>\n{self.inline()}\n</div>"
        if kind == 8:
            return r.choice(
                ["<!-- redline-disable -->", "<!-- redline-enable RL1 -->", "<!--\nredline-disable\n-->"]
            )
        if kind == 9:
            return r.choice(["---", "***", "[ref]: https://example.com/ref", "<br>", "&nbsp;"])
        if kind == 10:
            return r.choice(self.noise)
        if kind == 11:
            return self.paragraph() + "  \n" + self.paragraph()
        items = [self.block(r.randrange(BLOCK_KINDS), depth + 1) for _ in range(r.randint(1, 3))]
        if kind == 12:
            return "\n".join(r.choice(["- ", "* ", "+ "]) + _indent(i, 2) for i in items)
        if kind == 13:
            return "\n".join(f"{n}. " + _indent(i, 3) for n, i in enumerate(items, 1))
        return "\n".join("> " + line for line in "\n\n".join(items).split("\n"))


def _indent(text: str, width: int) -> str:
    return text.replace("\n", "\n" + " " * width)


def _table(rows: list[tuple[str, str]]) -> str:
    cells = [
        (a.replace("|", "\\|").replace("\n", " "), b.replace("|", "\\|").replace("\n", " ")) for a, b in rows
    ]
    head, *body = cells
    lines = [f"| {head[0]} | {head[1]} |", "| --- | :---: |"] + [f"| {a} | {b} |" for a, b in body]
    return "\n".join(lines)


def _line_endings(text: str, ending: str, seed: int) -> str:
    if ending == "mixed":
        rng = random.Random(seed)
        return "".join(line + rng.choice(["\n", "\r\n", "\r"]) for line in text.split("\n"))
    return text.replace("\n", ending)


plan = st.lists(st.tuples(st.integers(0, BLOCK_KINDS - 1), st.integers(0, 2**16)), max_size=7)


@st.composite
def markdown_documents(draw: st.DrawFn) -> str:
    blocks = draw(plan)
    noise = draw(st.lists(raw_text, max_size=3))
    text = ""
    for kind, seed in blocks:
        builder = _Builder(seed, noise)
        text += builder.block(kind) + builder.random.choice(["\n\n", "\n", "\n\n\n"])
    if draw(st.booleans()):
        text = "---\ntitle: " + _Builder(len(blocks), noise).words() + "\ntags: [a, b]\n---\n" + text
    return _line_endings(text, draw(st.sampled_from(ENDINGS)), len(text))


RST_KINDS = 10


def _rst_block(kind: int, seed: int, noise: list[str]) -> str:
    b = _Builder(seed, noise)
    w = b.words()
    builders: list[Callable[[], str]] = [
        b.paragraph,
        lambda: (t := b.inline().replace("\n", " ")) + "\n" + "=" * max(1, len(t)),
        lambda: "\n".join("- " + _indent(b.paragraph(), 2) for _ in range(b.random.randint(1, 3))),
        lambda: ".. code-block:: python\n\n   " + _indent(b.random.choice(b.noise), 3),
        lambda: ".. note::\n\n   " + _indent(b.paragraph(), 3),
        lambda: "   " + _indent(b.paragraph(), 3),
        lambda: f":role:`{w}` and ``{w}`` and `{w} <https://x.org>`_ and |sub| [1]_ and *{w}*",
        lambda: b.random.choice(
            [".. redline-disable-next-line", ".. redline-disable RL106", "::", "..", "|"]
        ),
        lambda: "term\n   " + _indent(b.paragraph(), 3),
        lambda: b.random.choice(b.noise),
    ]
    return builders[kind % RST_KINDS]()


@st.composite
def rst_documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(st.tuples(st.integers(0, RST_KINDS - 1), st.integers(0, 2**16)), max_size=7))
    noise = draw(st.lists(raw_text, max_size=3))
    text = "\n\n".join(_rst_block(kind, seed, noise) for kind, seed in blocks)
    return _line_endings(text + "\n", draw(st.sampled_from(ENDINGS)), len(text))


unicode_documents = st.text(NO_NUL, max_size=300)
