"""Sentences and tokens, computed once per document with spaCy.

The default pipeline is ``spacy.blank("en")`` plus the rule-based ``sentencizer``, so no
model download is needed. A trained pipeline (``spacy-model = "en_core_web_sm"`` in the
config) is used when installed; its part-of-speech tags then reach the rules through
:attr:`Token.tag`. spaCy is imported on first use only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

# the unit-boundary rules (below) live in tokenize_en.py, which applies them without spaCy
from redline.tokenize_en import NOT_FINAL as _NOT_FINAL
from redline.tokenize_en import UNIT_STOP as _UNIT_STOP

if TYPE_CHECKING:
    from redline.document import Document

_WORD = re.compile(r"\w", re.UNICODE)
_SPACE = re.compile(r"\s+")
_NOT_KEPT = re.compile(r"[^\w\s]|_")


class Token(NamedTuple):
    """One spaCy token (spaces left out), offsets into the document's text.

    A named tuple rather than a frozen dataclass: a folder run builds hundreds of
    thousands of them, and a tuple is built several times faster.
    """

    start: int
    end: int
    text: str
    is_word: bool
    is_stop: bool
    tag: str = ""

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    block: int
    tokens: tuple[Token, ...]
    text: str  # the prose of the sentence, whitespace collapsed (masked markup removed)

    @property
    def words(self) -> list[Token]:
        return [t for t in self.tokens if t.is_word]

    @property
    def word_count(self) -> int:
        return sum(1 for t in self.tokens if t.is_word)


@dataclass(frozen=True)
class Analysis:
    sentences: list[Sentence]

    @property
    def word_count(self) -> int:
        return sum(s.word_count for s in self.sentences)


def normalize_sentence(text: str) -> str:
    """Key for comparing sentences: case-folded, punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # every character neither alphanumeric nor a space becomes a space (``\w`` is
    # ``str.isalnum()`` and ``_``, ``\s`` is ``str.isspace()``)
    return _SPACE.sub(" ", _NOT_KEPT.sub(" ", text)).strip()


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Any:
    """A spaCy pipeline: ``model`` when it is installed, else blank English + sentencizer."""
    from redline.fastimport import import_spacy

    spacy = import_spacy()

    nlp = None
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat"])
        except OSError:
            nlp = None
    if nlp is None:
        nlp = spacy.blank("en")
    if not ({"parser", "senter", "sentencizer"} & set(nlp.pipe_names)):
        _register_unit_boundaries(spacy)
        nlp.add_pipe("redline_unit_boundaries")
        nlp.add_pipe("sentencizer")
    nlp.max_length = 10**9
    return nlp


def _register_unit_boundaries(spacy: Any) -> None:
    """Register the component that marks sentence starts the rule-based sentencizer misses.

    "...in the final 400m. Tirunesh Dibaba..." is two sentences: a unit after a figure,
    then a full stop and a capital. "See Fig. 3" is one. Set before the sentencizer, which
    keeps boundaries already set.
    """
    from spacy.language import Language

    if "redline_unit_boundaries" in Language.factories:
        return

    @Language.component("redline_unit_boundaries")
    def unit_boundaries(doc: Any) -> Any:
        for i in range(1, len(doc) - 1):
            token, following = doc[i], doc[i + 1]
            glued = _UNIT_STOP.match(token.text) and (token.text[0].isdigit() or doc[i - 1].like_num)
            if glued and following.text[:1].isupper() and following.is_alpha:
                following.is_sent_start = True
            elif token.text == "." and doc[i - 1].lower_ in _NOT_FINAL and not following.text[:1].isupper():
                following.is_sent_start = False
        return doc


# spaCy's tokenizer strips prefix and suffix punctuation one character at a time, copying
# the rest each time: quadratic in a long run like "[[[[...]]]]" (8,000 characters: 12 s).
# No word is 100 characters long, so inside such a run punctuation becomes spaces (same
# length: offsets are unchanged) and only its letters and digits are tokens.
_LONG_RUN = re.compile(r"\S{100,}")
_PUNCTUATION = re.compile(r"[^\w\s\u0300-\u036f\u0900-\u0dff]")


def _tokenizable(text: str) -> str:
    return _LONG_RUN.sub(lambda m: _PUNCTUATION.sub(" ", m.group()), text)


def analyze(document: Document) -> Analysis:
    """The document's sentences, each with its tokens (spaces left out).

    Token facts come from one ``Doc.to_array`` per block and the token texts are slices
    of the block's text: iterating spaCy's ``Token`` objects built a Python object per
    token per attribute read, most of the analysis time.
    """
    from redline.tokenize_en import use_port

    if use_port(document.spacy_model):
        return _analyze_blank_english(document)
    nlp = load_pipeline(document.spacy_model)  # imports spaCy without torch (fastimport)
    from spacy.attrs import IDX, IS_SPACE, IS_STOP, LENGTH, TAG

    strings = nlp.vocab.strings
    prose = document.prose
    texts = [_tokenizable(prose[b.start : b.end]) for b in document.blocks]
    is_word = _IsWord()
    sentences: list[Sentence] = []
    for block_index, (block, block_text, doc) in enumerate(
        zip(document.blocks, texts, nlp.pipe(texts), strict=True)
    ):
        base = block.start
        rows = doc.to_array([IDX, LENGTH, IS_SPACE, IS_STOP, TAG]).tolist()
        for sent in doc.sents:
            tokens = tuple(
                Token(
                    base + idx,
                    base + idx + length,
                    text,
                    is_word[text],
                    bool(stop),
                    strings[tag] if tag else "",
                )
                for idx, length, space, stop, tag in rows[sent.start : sent.end]
                if not space
                for text in (block_text[idx : idx + length],)
            )
            if any(t.is_word for t in tokens):
                sentences.append(_sentence(prose, block_index, tokens))
    return Analysis(sentences)


def _sentence(prose: str, block_index: int, tokens: tuple[Token, ...]) -> Sentence:
    """A sentence of these tokens; its text has each run of white space made one space."""
    start, end = tokens[0].start, tokens[-1].end
    return Sentence(start, end, block_index, tokens, _SPACE.sub(" ", prose[start:end]).strip())


def _analyze_blank_english(document: Document) -> Analysis:
    """:func:`analyze` for the default pipeline, on :mod:`redline.tokenize_en`: the same
    tokens and sentences as ``spacy.blank("en")`` with the sentencizer, without spaCy."""
    from redline.tokenize_en import english_pipeline

    pipeline = english_pipeline()
    stop_words = pipeline.stop_words
    is_stop = _IsStop(stop_words)
    prose = document.prose
    is_word = _IsWord()
    sentences: list[Sentence] = []
    for block_index, block in enumerate(document.blocks):
        base = block.start
        for sent in pipeline.sentences(_tokenizable(prose[block.start : block.end])):
            tokens = tuple(
                Token(base + idx, base + idx + len(text), text, is_word[text], is_stop[text])
                for idx, text in sent
                if not text.isspace()
            )
            if any(t.is_word for t in tokens):
                sentences.append(_sentence(prose, block_index, tokens))
    return Analysis(sentences)


class _IsStop(dict[str, bool]):
    """spaCy's ``is_stop``: the lower-cased text is a stop word."""

    def __init__(self, stop_words: frozenset[str]) -> None:
        super().__init__()
        self.stop_words = stop_words

    def __missing__(self, text: str) -> bool:
        value = self[text] = text.lower() in self.stop_words
        return value


class _IsWord(dict[str, bool]):
    """Whether a token text has a word character, computed once per text."""

    def __missing__(self, text: str) -> bool:
        value = self[text] = bool(_WORD.search(text))
        return value
