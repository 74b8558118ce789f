"""Sentences and tokens, computed once per document with spaCy.

The default pipeline is ``spacy.blank("en")`` plus the rule-based ``sentencizer``, so no
model download is needed. A trained pipeline (``spacy-model = "en_core_web_sm"`` in the
config) is used when installed; its part-of-speech tags then reach the rules through
:attr:`Token.tag`. spaCy is imported on first use only.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

# the unit-boundary rules (below) live in tokenize_en.py, which applies them without spaCy
from redline.tokenize_en import NOT_FINAL as _NOT_FINAL
from redline.tokenize_en import UNIT_STOP as _UNIT_STOP

if TYPE_CHECKING:
    from redline.document import Document

_WORD = re.compile(r"\w", re.UNICODE)


class _TokenFields(NamedTuple):
    start: int
    end: int
    text: str
    is_word: bool
    is_stop: bool
    tag: str
    lower: str  # ``text.lower()``, made once per token text: rules read it very often


class Token(_TokenFields):
    """One spaCy token (spaces left out), offsets into the document's text.

    A named tuple rather than a frozen dataclass: a folder run builds hundreds of
    thousands of them, and a tuple is built several times faster. ``lower`` is
    ``text.lower()`` unless given.
    """

    __slots__ = ()

    def __new__(
        cls,
        start: int,
        end: int,
        text: str,
        is_word: bool,
        is_stop: bool,
        tag: str = "",
        lower: str | None = None,
    ) -> Token:
        return tuple.__new__(
            cls, (start, end, text, is_word, is_stop, tag, text.lower() if lower is None else lower)
        )


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    block: int
    tokens: tuple[Token, ...]
    text: str  # the prose of the sentence, whitespace collapsed (masked markup removed)
    #: How many of the tokens are words: counted once, rules read it many times.
    word_count: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "word_count", sum(1 for t in self.tokens if t.is_word))

    @property
    def words(self) -> list[Token]:
        return [t for t in self.tokens if t.is_word]


@dataclass(frozen=True)
class Analysis:
    sentences: list[Sentence]

    @cached_property
    def word_count(self) -> int:
        return sum(s.word_count for s in self.sentences)


#: A run of characters that are neither letters nor digits (``\w`` is ``str.isalnum``, or "_").
_NOT_ALNUM = re.compile(r"[\W_]+")


def normalize_sentence(text: str) -> str:
    """Key for comparing sentences: case-folded, punctuation dropped, spaces collapsed."""
    # every run of white space and punctuation made one space: what replacing each
    # character that is not alphanumeric by a space, then collapsing spaces, gives
    return _NOT_ALNUM.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


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
    # str.split() and the regex's \s are the same white space (Py_UNICODE_ISSPACE)
    return Sentence(start, end, block_index, tokens, " ".join(prose[start:end].split()))


def _analyze_blank_english(document: Document) -> Analysis:
    """:func:`analyze` for the default pipeline, on :mod:`redline.tokenize_en`: the same
    tokens and sentences as ``spacy.blank("en")`` with the sentencizer, without spaCy."""
    from redline.tokenize_en import english_pipeline

    pipeline = english_pipeline()
    facts = _facts(pipeline.stop_words)
    prose = document.prose
    new = tuple.__new__
    sentences: list[Sentence] = []
    for block_index, block in enumerate(document.blocks):
        base = block.start
        offsets, texts, bounds = pipeline.sentence_lists(_tokenizable(prose[block.start : block.end]))
        for begin, end in itertools.pairwise(bounds):
            # tuple.__new__(Token, ...) is Token(...) without the Python-level __new__
            tokens: tuple[Token, ...] = tuple(
                [
                    new(Token, (base + offset, base + offset + fact[0], text, fact[1], fact[2], "", fact[3]))
                    for offset, text in zip(offsets[begin:end], texts[begin:end], strict=True)
                    if (fact := facts[text]) is not None
                ]
            )
            if any(t[3] for t in tokens):
                sentences.append(_sentence(prose, block_index, tokens))
    return Analysis(sentences)


#: A token text's length, whether it has a word character, whether it is a stop word and
#: its lower case; None for white space (not a token of the analysis). Shared by every
#: document of a run.
_Facts = dict[str, "tuple[int, bool, bool, str] | None"]
_FACTS: dict[frozenset[str], _Facts] = {}
_MAX_FACTS = 500_000


def _facts(stop_words: frozenset[str]) -> _Facts:
    facts = _FACTS.get(stop_words)
    if facts is None or len(facts) > _MAX_FACTS:  # a long-lived server forgets, now and then
        facts = _FACTS[stop_words] = _TokenFacts(stop_words)
    return facts


class _TokenFacts(dict[str, "tuple[int, bool, bool, str] | None"]):
    def __init__(self, stop_words: frozenset[str]) -> None:
        super().__init__()
        self.stop_words = stop_words

    def __missing__(self, text: str) -> tuple[int, bool, bool, str] | None:
        value: tuple[int, bool, bool, str] | None
        if text.isspace():
            value = None
        else:
            lower = text.lower()
            value = (len(text), bool(_WORD.search(text)), lower in self.stop_words, lower)
        self[text] = value
        return value


class _IsWord(dict[str, bool]):
    """Whether a token text has a word character, computed once per text."""

    def __missing__(self, text: str) -> bool:
        value = self[text] = bool(_WORD.search(text))
        return value
