"""Phrase lists as token patterns, and the matcher that finds them in a document's prose.

The pattern syntax is documented at the top of ``rules/hedges.toml``. Matching runs over
the tokens of ``document.sentences`` (code and markup are already masked), lower-cased,
curly apostrophes straightened; a phrase never spans a sentence, and punctuation between
two words breaks it. At each token the longest phrase wins.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import accumulate, chain, compress
from typing import TYPE_CHECKING, Any, cast

from redline.ruledata import load_rule_toml

if TYPE_CHECKING:
    from redline.analysis import Token
    from redline.document import Document

BE_FORMS = ("is", "are", "was", "were", "be", "been", "being", "am", "'s", "'re", "'m")
_ALTERNATIVES = re.compile(r"^\(([^()]+)\)(\??)$")


@dataclass(frozen=True)
class Slot:
    words: frozenset[str]
    optional: bool = False


@dataclass(frozen=True)
class Phrase:
    pattern: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Occurrence:
    phrase: Phrase
    start: int
    end: int
    text: str


def inflections(verb: str) -> frozenset[str]:
    """A regular verb's forms: ``appear`` -> appear, appears, appeared, appearing."""
    if verb.endswith("y") and verb[-2:-1] not in set("aeiou"):
        third, past = verb[:-1] + "ies", verb[:-1] + "ied"
    elif verb.endswith(("s", "sh", "ch", "x", "z")):
        third, past = verb + "es", verb + "ed"
    else:
        third, past = verb + "s", verb + ("d" if verb.endswith("e") else "ed")
    ing = verb[:-1] + "ing" if verb.endswith("e") and not verb.endswith("ee") else verb + "ing"
    return frozenset({verb, third, past, ing})


def compile_phrase(pattern: str) -> Phrase:
    slots: list[Slot] = []
    for word in pattern.split():
        group = _ALTERNATIVES.match(word)
        if group:
            options = group.group(1).split("|")
            slots.append(Slot(frozenset(options), optional=bool(group.group(2))))
        elif word == "{be}":
            slots.append(Slot(frozenset(BE_FORMS)))
        elif word.endswith("+"):
            slots.append(Slot(inflections(word[:-1])))
        else:
            slots.extend(Slot(frozenset({part})) for part in _split_hyphens(word))
    if not slots or slots[0].optional:
        raise ValueError(f"phrase {pattern!r} must start with a required word")
    return Phrase(pattern, tuple(slots))


def _split_hyphens(word: str) -> list[str]:
    parts = word.split("-")
    out = [parts[0]]
    for part in parts[1:]:
        out.extend(["-", part])
    return out


@dataclass(frozen=True)
class Lexicon:
    phrases: tuple[Phrase, ...]

    @cached_property
    def by_first_word(self) -> dict[str, list[Phrase]]:
        index: dict[str, list[Phrase]] = {}
        for phrase in self.phrases:
            for word in phrase.slots[0].words:
                index.setdefault(word, []).append(phrase)
        return index

    @cached_property
    def plans(self) -> dict[str, list[tuple[Phrase, tuple[frozenset[str], ...] | None]]]:
        """:attr:`by_first_word`, each phrase with the words its later slots accept when
        none is optional (matched by a plain loop), else None (matched by :func:`_match`)."""
        return {
            word: [
                (
                    phrase,
                    None
                    if any(s.optional for s in phrase.slots)
                    else tuple(s.words for s in phrase.slots[1:]),
                )
                for phrase in phrases
            ]
            for word, phrases in self.by_first_word.items()
        }

    @cached_property
    def next_words(self) -> dict[str, frozenset[str] | None]:
        """For each first word, every word one of its phrases accepts right after it; None
        where a phrase may match that word alone (no later slot is required)."""
        following: dict[str, frozenset[str] | None] = {}
        for word, phrases in self.by_first_word.items():
            accepted: set[str] | None = set()
            for phrase in phrases:
                later = phrase.slots[1:]
                if accepted is None or all(slot.optional for slot in later):
                    accepted = None
                    break
                for slot in later:  # the optional slots, up to and with the first required one
                    accepted |= slot.words
                    if not slot.optional:
                        break
            following[word] = None if accepted is None else frozenset(accepted)
        return following


def family_data(family: str) -> dict[str, Any]:
    families: dict[str, Any] = load_rule_toml("hedges.toml")["families"]
    return dict(families[family])


def family_lexicon(family: str, extra: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> Lexicon:
    """The family's phrases from ``rules/hedges.toml``, plus ``extra``, minus ``ignore``.

    One object per distinct list, however the arguments are passed: RL103 asks for
    ``family_lexicon("hedge")`` and RL201 for ``family_lexicon("hedge", (), ())``, and the
    document's matches are kept per lexicon object, so both share one search.
    """
    return _family_lexicon(family, tuple(extra), tuple(ignore))


@cache
def _family_lexicon(family: str, extra: tuple[str, ...], ignore: tuple[str, ...]) -> Lexicon:
    dropped = set(ignore)
    patterns = [p for p in [*family_data(family)["phrases"], *extra] if p not in dropped]
    return Lexicon(tuple(compile_phrase(p) for p in dict.fromkeys(patterns)))


def quoted_spans(document: Document) -> list[tuple[int, int]]:
    """Spans of quoted text and block quotes (see :mod:`redline.quotations`)."""
    return [(q.start, q.end) for q in document.quotations]


def find_occurrences(document: Document, lexicon: Lexicon, *, include_quotes: bool) -> list[Occurrence]:
    """Every match of the lexicon in the document's prose, in order, quotations skipped."""
    found = _all_occurrences(document, lexicon)
    if include_quotes:
        return list(found)
    quotes = document.quotations
    return [occurrence for occurrence in found if not quotes.contains(occurrence.start)]


#: Where a document keeps its matches per lexicon (RL103 and the hedging rules ask for the
#: same families); dropped before a document is sent between processes (parallel.py).
MATCHES_ATTRIBUTE = "_lexicon_matches"


def _all_occurrences(document: Document, lexicon: Lexicon) -> list[Occurrence]:
    """The lexicon's matches, quotations included, computed once per document and lexicon."""
    memo: dict[Any, Any] = document.__dict__.setdefault(MATCHES_ATTRIBUTE, {})
    kept = memo.get(id(lexicon))
    if kept is not None:
        return cast("list[Occurrence]", kept[1])
    words = memo.get(_WORDS_KEY)
    if words is None:
        words = memo[_WORDS_KEY] = _DocumentWords(document)
    found = _find(words, lexicon.plans, document.prose, lexicon.next_words)
    memo[id(lexicon)] = (lexicon, found)  # the lexicon kept alive, so its id is not reused
    return found


#: The memo's key for the document's :class:`_DocumentWords` (no ``id()`` is a string).
_WORDS_KEY = "words"


class _DocumentWords:
    """The matcher's view of a document, built once for all lexicons: the tokens of every
    sentence one after another, their words lower-cased with curly apostrophes
    straightened, and where each sentence starts among them."""

    def __init__(self, document: Document) -> None:
        sentences = document.sentences
        self.tokens: list[Token] = list(chain.from_iterable(sentence.tokens for sentence in sentences))
        # (a token's ``lower`` is its ``text.lower()``)
        self.words: list[str] = [token.lower.replace("’", "'") for token in self.tokens]
        #: Index of each sentence's first token, then the number of tokens.
        self.starts: list[int] = [0, *accumulate(len(sentence.tokens) for sentence in sentences)]
        self._first_words: dict[int, int] = {}

    def sentence(self, i: int) -> tuple[int, int]:
        """The index of the first and past the last token of the sentence of token ``i``."""
        number = bisect.bisect_right(self.starts, i) - 1
        return self.starts[number], self.starts[number + 1]

    def first_word(self, start: int, end: int) -> int:
        """Index of the first word token of the sentence from ``start`` to ``end``."""
        found = self._first_words.get(start)
        if found is None:
            found = next((k for k in range(start, end) if self.tokens[k].is_word), start)
            self._first_words[start] = found
        return found


def _find(
    words: _DocumentWords,
    plans: dict[str, list[tuple[Phrase, tuple[frozenset[str], ...] | None]]],
    text: str,
    next_words: dict[str, frozenset[str] | None] | None = None,
) -> list[Occurrence]:
    """Every match, left to right, each sentence scanned as :func:`_match_sentence` does:
    only the tokens a phrase of the lexicon starts with are tried (``plans``: see
    :attr:`Lexicon.plans`), and of those only the ones followed by a word a phrase accepts
    there (``next_words``: see :attr:`Lexicon.next_words`; most are not: "is", "be",
    "to")."""
    flat, tokens = words.words, words.tokens
    size = len(flat)
    found: list[Occurrence] = []
    resume = 0  # no match may start before: the previous one ends there
    for i in compress(range(size), map(plans.__contains__, flat)):
        if i < resume:
            continue
        if next_words is not None:
            after = next_words[flat[i]]
            if after is not None and (i + 1 == size or flat[i + 1] not in after):
                continue  # every phrase from this word needs one of ``after`` next
        start, end = words.sentence(i)  # a phrase never leaves its sentence
        best: tuple[int, Phrase] | None = None
        for phrase, rest in plans[flat[i]]:
            if rest is None:
                last = _match(phrase.slots, flat, i, 0, end)
            else:  # every slot required: the phrase's length, or no match
                last = i + 1 + len(rest)
                if last > end:
                    continue
                k = i
                for accepted in rest:
                    k += 1
                    if flat[k] not in accepted:
                        last = None
                        break
            if last is not None and (best is None or last > best[0]):
                best = (last, phrase)
        # A capitalised first word inside a sentence is a name ("May 2025", "Very Large Array").
        if best is not None and (not tokens[i].text[:1].isupper() or i <= words.first_word(start, end)):
            begin, finish = tokens[i].start, tokens[best[0] - 1].end
            found.append(Occurrence(best[1], begin, finish, text[begin:finish]))
            resume = best[0]
    return found


def _match_sentence(
    tokens: tuple[Token, ...], index: dict[str, list[Phrase]], text: str
) -> Iterator[Occurrence]:
    """The matches in one sentence, left to right; at each token the longest phrase wins
    (the reference that :func:`_find` does the same as, for every sentence at once)."""
    words = [t.text.lower().replace("’", "'") for t in tokens]
    first_word = next((k for k, t in enumerate(tokens) if t.is_word), 0)
    i = 0
    while i < len(words):
        best: tuple[int, Phrase] | None = None
        for phrase in index.get(words[i], ()):
            end = _match(phrase.slots, words, i)
            if end is not None and (best is None or end > best[0]):
                best = (end, phrase)
        # A capitalised first word inside a sentence is a name ("May 2025", "Very Large Array").
        if best is not None and (i <= first_word or not tokens[i].text[:1].isupper()):
            start, end = tokens[i].start, tokens[best[0] - 1].end
            yield Occurrence(best[1], start, end, text[start:end])
            i = best[0]
        else:
            i += 1


def _match(slots: Sequence[Slot], words: list[str], position: int, at: int = 0, end: int = -1) -> int | None:
    """End index of the longest match of ``slots[at:]`` at ``position``, or None; the words
    end at ``end`` (-1: all of them)."""
    if at == len(slots):
        return position
    if end < 0:
        end = len(words)
    slot = slots[at]
    longest = None
    if position < end and words[position] in slot.words:
        longest = _match(slots, words, position + 1, at + 1, end)
    if slot.optional:
        skipped = _match(slots, words, position, at + 1, end)
        if skipped is not None and (longest is None or skipped > longest):
            longest = skipped
    return longest
