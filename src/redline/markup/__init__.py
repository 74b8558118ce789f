"""Markup readers: source text in, :class:`~redline.document.Document` out."""

from __future__ import annotations

from pathlib import PurePath

from redline.document import Document, Syntax

EXTENSIONS: dict[str, Syntax] = {
    ".md": Syntax.MARKDOWN,
    ".markdown": Syntax.MARKDOWN,
    ".mdown": Syntax.MARKDOWN,
    ".mkd": Syntax.MARKDOWN,
    ".rst": Syntax.RST,
    ".rest": Syntax.RST,
    ".txt": Syntax.TEXT,
    ".text": Syntax.TEXT,
}


#: The path of text read from stdin without ``--stdin-filename``: its syntax is sniffed.
STDIN = "-"


def syntax_for(path: str) -> Syntax:
    """The syntax a file's extension implies; unknown extensions are plain text."""
    return EXTENSIONS.get(PurePath(path).suffix.lower(), Syntax.TEXT)


def parse(path: str, text: str, syntax: Syntax | None = None, spacy_model: str | None = None) -> Document:
    if syntax is None and path == STDIN:
        from redline.markup.sniff import sniff_syntax

        syntax = sniff_syntax(text)
    syntax = syntax or syntax_for(path)
    if syntax is Syntax.MARKDOWN:
        from redline.markup.markdown import parse_markdown

        document = parse_markdown(path, text)
    elif syntax is Syntax.RST:
        from redline.markup.rst import parse_rst

        document = parse_rst(path, text)
    else:
        from redline.markup.plain import parse_text

        document = parse_text(path, text)
    document.spacy_model = spacy_model
    return document
