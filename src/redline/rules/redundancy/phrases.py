"""Shared helpers for the phrase-counting redundancy rules (RL103, RL104)."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterator
from typing import TypeVar

from redline.analysis import Sentence, Token
from redline.document import BlockKind, Document, SentenceSpan

_Fact = TypeVar("_Fact")

SKIPPED_BLOCKS = frozenset({BlockKind.HEADING, BlockKind.TABLE_CELL})


def allowance(budget: int, per_thousand_words: float, words: int) -> int:
    """Uses allowed in a document: ``budget``, or more in a long document."""
    return max(budget, math.floor(per_thousand_words * words / 1000))


def word_runs(document: Document, skipped: frozenset[BlockKind] = SKIPPED_BLOCKS) -> Iterator[list[Token]]:
    """Runs of adjacent word tokens: punctuation, masked markup and sentence ends break a run."""
    text = document.text  # not prose: masked code between two words must break the run
    wordlike = _WORDLIKE
    for sentence in prose_sentences(document, skipped):
        run: list[Token] = []
        end = -1  # the end of the run's last token
        for token in sentence.tokens:
            if token.is_word and wordlike[token.text]:
                if run and (end == token.start or not text[end : token.start].strip()):
                    run.append(token)
                else:
                    if run:
                        yield run
                    run = [token]
                end = token.end
            elif run:
                yield run
                run = []
        if run:
            yield run


def prose_sentences(document: Document, skipped: frozenset[BlockKind] = SKIPPED_BLOCKS) -> Iterator[Sentence]:
    for sentence in document.sentences:
        if document.blocks[sentence.block].kind not in skipped:
            yield sentence


def is_content(token: Token) -> bool:
    return not token.is_stop and HAS_LETTER[token.text]


def _wordlike(token: Token) -> bool:
    return _WORDLIKE[token.text]


class TextFacts(dict[str, _Fact]):
    """A fact about a token's text, computed once per distinct text (and forgotten past
    :data:`_MAX_TEXTS` texts, so that a resident process does not grow without end)."""

    def __init__(self, fact: Callable[[str], _Fact]) -> None:
        super().__init__()
        self.fact = fact

    def __missing__(self, text: str) -> _Fact:
        if len(self) >= _MAX_TEXTS:
            self.clear()
        value = self[text] = self.fact(text)
        return value


_MAX_TEXTS = 100_000


#: A letter or a digit in the text: a word a phrase may contain.
_WORDLIKE = TextFacts(lambda text: any(ch.isalnum() for ch in text))
#: A letter in the text: with ``is_stop`` false, a content word (:func:`is_content`).
HAS_LETTER = TextFacts(lambda text: any(ch.isalpha() for ch in text))


class SpanSet:
    """Disjoint spans kept sorted, so an overlap test is a binary search.

    (A scan of a plain list made RL103 quadratic: 200 s on a 240 KB file.)
    """

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end) - 1
        return i >= 0 and self._ends[i] > start

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none already in the set."""
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


def phrase_text(document: Document, start: int, end: int) -> str:
    return " ".join(document.text[start:end].split())


#: Words of titles, offices and bodies: "the prime minister", "the chief executive" name
#: someone, as a pronoun would; repeating them is reference, not padding.
TITLE_WORDS = frozenset(
    [
        "administration",
        "ambassador",
        "authority",
        "bank",
        "board",
        "cabinet",
        "ceo",
        "chairman",
        "chairwoman",
        "chair",
        "chancellor",
        "chief",
        "commission",
        "committee",
        "company",
        "council",
        "court",
        "department",
        "director",
        "executive",
        "firm",
        "general",
        "government",
        "governor",
        "head",
        "leader",
        "manager",
        "mayor",
        "minister",
        "ministry",
        "opposition",
        "parliament",
        "party",
        "police",
        "premier",
        "president",
        "prime",
        "principal",
        "secretary",
        "senator",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "treasurer",
        "union",
    ]
)
#: Verbs of attribution: "said Mr Makower", "he told the BBC".
ATTRIBUTION_WORDS = frozenset(
    [
        "added",
        "adds",
        "argued",
        "asked",
        "claimed",
        "explained",
        "insisted",
        "noted",
        "replied",
        "said",
        "say",
        "says",
        "stated",
        "told",
        "tells",
        "warned",
        "wrote",
    ]
)


def sentence_starts(document: Document) -> set[int]:
    """Offsets of the first word of each sentence (its capital says nothing)."""
    firsts = (next((t.start for t in s.tokens if t.is_word), None) for s in document.sentences)
    return {start for start in firsts if start is not None}


def is_reference(tokens: list[Token], starts: set[int]) -> bool:
    """A name, a title or an attribution: a capitalised word inside the sentence ("the
    Cambodian government", "said Mr Makower"), or content words that are all titles or
    attribution verbs ("the prime minister", "he said")."""
    content = [t for t in tokens if is_content(t)]
    if any(t.text[:1].isupper() and t.start not in starts for t in tokens):
        return True
    return bool(content) and all(t.lower in TITLE_WORDS or t.lower in ATTRIBUTION_WORDS for t in content)


_CODE_NEXT = re.compile(r"[ \t]*(?:```|~~~|\.\. (?:code-block|code|sourcecode)::)")


def introduces_code(document: Document, sentence: Sentence | SentenceSpan) -> bool:
    """True for the last sentence of a block that leads into a code example: the block ends
    with ``::`` (reStructuredText), or the next lines open a fence or a code directive.
    Such lead-ins ("Example of sending a UDP packet:", "Continuing the above example, the
    code") are captions, parallel by design."""
    block = document.blocks[sentence.block]
    if document.prose[sentence.end : block.end].strip():
        return False  # not the block's last sentence
    text = document.text
    after = block.end
    line_end = text.find("\n", after)
    # text[:line_end].rstrip().endswith("::"), without copying the text before the line
    stop = line_end if line_end >= 0 else len(text)
    while stop > 0 and text[stop - 1].isspace():
        stop -= 1
    if stop >= 2 and text.startswith("::", stop - 2):
        return True  # "the code::" then an indented literal block
    at = line_end + 1 if line_end >= 0 else len(text)
    while at < len(text):  # the next non-blank line
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if text[at:end].strip():
            return bool(_CODE_NEXT.match(text, at, end))
        at = end + 1
    return False


def frames_code(document: Document, spans: list[tuple[int, int]]) -> bool:
    """True when every use sits right next to markup the prose leaves out (inline code, a
    role, a link target): "object files from ``main3.c``", "flag with a value of
    ``"module"``". The phrase is a frame around values that differ, a template."""
    return all(frames_value(document, start, end) for start, end in spans)


def frames_value(document: Document, start: int, end: int) -> bool:
    """True when this use of a phrase sits right next to masked markup (inline code, a role,
    a link target): a frame around a code value."""
    text, prose = document.text, document.prose
    after = end
    while after < len(text) and text[after] in " \t\r\n":
        after += 1
    before = start - 1
    while before >= 0 and text[before] in " \t\r\n":
        before -= 1
    next_masked = after < len(text) and prose[after] == " "
    previous_masked = before >= 0 and prose[before] == " " and text[before] not in ".!?"
    return next_masked or previous_masked
