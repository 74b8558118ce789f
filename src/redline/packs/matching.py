"""Pattern matching for pack rules: linear-time RE2 patterns, word boundaries, scopes, case.

Every pattern a pack brings, built-in or user-written, is compiled with RE2 (google-re2),
which runs in time linear in the text: a pattern like ``(a+)+$`` cannot hang a run, and
constructs that need backtracking (lookaround, backreferences) are rejected when the pack
loads, with the pack's file and line.

RE2's ``\\b`` knows only ASCII letters, so word boundaries are spelled out with Unicode
classes: a term matches when the characters around it are not letters, digits or ``_``.
The boundary characters are consumed by the match, so :meth:`Matcher.finditer` restarts
each search where the previous term ended; the term itself is group 1.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from redline.document import BlockKind, Document

_BOUNDARY_BEFORE = r"(?:^|[^\pL\pN\pM_])"
_BOUNDARY_AFTER = r"(?:$|[^\pL\pN\pM_])"

#: Scope names a rule may list, and the blocks each covers.
SCOPES: dict[str, frozenset[BlockKind]] = {
    "prose": frozenset({BlockKind.PARAGRAPH, BlockKind.BLOCKQUOTE, BlockKind.TABLE_CELL}),
    "headings": frozenset({BlockKind.HEADING}),
    "list-items": frozenset({BlockKind.LIST_ITEM}),
}


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says why."""


def compile_pattern(pattern: str, *, ignore_case: bool) -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0].decode() if error.args and isinstance(error.args[0], bytes) else str(error)
        raise PatternError(f"invalid pattern {pattern!r}: {reason}") from None


def literal(phrase: str) -> str:
    """A pattern matching ``phrase`` with any run of whitespace between its words.

    A straight apostrophe also matches a typographic one (``today's``, ``today’s``).
    """
    words = (re.sub("['’]", "['’]", re.escape(word)) for word in phrase.split())
    return r"\s+".join(words)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str
    groups: tuple[str | None, ...]  # the term's own capture groups
    index: int  # which alternative matched (for terms compiled together), else 0


class Matcher:
    """Finds any of several terms (literal phrases or patterns) in a text.

    ``groups`` of a :class:`Hit` are the capture groups of the term that matched, so a
    substitution can use them in its replacement.

    The terms are checked when the matcher is made (a bad pattern is an error of the
    pack, with its line), but the pattern that searches, with its Unicode word
    boundaries, is compiled on first use: RE2 takes about 8 ms and a few hundred KB to
    compile those boundary classes, which made a pack of 10,000 rules cost minutes and
    gigabytes on every run even when one of its rules was selected.
    """

    def __init__(self, terms: list[str], *, regex: bool, ignore_case: bool, word_boundaries: bool) -> None:
        self.terms = terms
        self.regex, self.ignore_case, self.word_boundaries = regex, ignore_case, word_boundaries
        parts = []
        self._group_of: list[tuple[int, int]] = []  # (term group, number of its own groups)
        self._checked: list[Any] = []  # each regex term compiled alone (no boundaries: cheap)
        group = 2 if word_boundaries else 1
        for term in terms:
            body = term if regex else literal(term)
            own = 0
            if regex:
                self._checked.append(compile_pattern(body, ignore_case=ignore_case))
                own = self._checked[-1].groups
            parts.append(f"({body})")
            self._group_of.append((group, own))
            group += 1 + own
        alternation = "|".join(parts) or "[^\\s\\S]"
        #: The literal terms alone, without boundaries, to find where they may match
        #: (:meth:`term_spans`); None for patterns, whose ``^`` or ``$`` say more.
        self._terms_alone: str | None = None
        if not regex:
            compile_pattern(alternation, ignore_case=ignore_case)  # too big for RE2: an error now
            self._terms_alone = alternation
        if word_boundaries:
            alternation = f"{_BOUNDARY_BEFORE}({alternation}){_BOUNDARY_AFTER}"
        self._alternation = alternation

    @functools.cached_property
    def _pattern(self) -> Any:
        return compile_pattern(self._alternation, ignore_case=self.ignore_case)

    @functools.cached_property
    def _terms_alone_pattern(self) -> Any:
        return compile_pattern(self._terms_alone or "[^\\s\\S]", ignore_case=self.ignore_case)

    def term_spans(self, text: str) -> list[tuple[int, int]] | None:
        """Where the literal terms occur in all of ``text``, word boundaries or not, one
        search from start to end: ``(start, end)``, in order; None for patterns.

        A hit that :meth:`finditer` finds in a piece of ``text`` overlaps one of these
        spans: its term matches at its start here too, and a search that takes the
        leftmost match each time never passes a place where a term matches without a
        match that covers it. So a piece that overlaps none has no hit, and one search
        of the whole text answers for every paragraph where the terms are absent.
        """
        if self._terms_alone is None:
            return None
        data = text.encode("utf-8", "surrogatepass")
        offsets = _CharOffsets(data)
        pattern = self._terms_alone_pattern
        spans: list[tuple[int, int]] = []
        pos = 0
        while pos <= len(data):
            match = pattern.search(data, pos)
            if match is None:
                break
            start, end = match.span()
            if end == start:  # a literal term is never empty; step past one all the same
                pos = _next_char(data, end)
                continue
            spans.append((offsets.at(start), offsets.at(end)))
            pos = end
        return spans

    def terms_in(self, text: str) -> Iterator[tuple[int, int, int]]:
        """``(term index, start, end)`` of each term found in a short ``text``, term by term.

        For checks when a pack loads (does a swap's output match again?): it compiles
        no boundary pattern, testing the boundary characters in Python instead. A term
        may be reported at several overlapping places.
        """
        flags = re.IGNORECASE if self.ignore_case else 0
        for index, term in enumerate(self.terms):
            if self.regex:
                spans = [m.span() for m in self._checked[index].finditer(text)]
            else:  # every start, overlapping ones too
                words = term.split()
                if not words or _folded(words[0]) not in _folded(text):
                    continue  # cannot match: skip compiling a pattern for it
                found = re.finditer(f"(?=({literal(term)}))", text, flags)
                spans = [(m.start(), m.start() + len(m.group(1))) for m in found]
            for start, end in spans:
                bounded = _outside_word(text, start - 1) and _outside_word(text, end)
                if end > start and (bounded or not self.word_boundaries):
                    yield index, start, end

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Every hit in ``text[start:end]``, in order, in time linear in that piece.

        The piece is encoded to UTF-8 once and searched as bytes: given a ``str``, the
        RE2 wrapper encodes the whole string and converts offsets from its start on every
        call, which made a 1 MB paragraph with 68,000 hits take minutes. Byte offsets
        become character offsets with a cursor that only moves forward.
        """
        piece = text[start:end] if (start or end is not None) else text
        data = piece.encode("utf-8", "surrogatepass")
        offsets = _CharOffsets(data)
        pos = 0
        while pos <= len(data):
            match = self._pattern.search(data, pos)
            if match is None:
                return
            index = next(i for i, (g, _) in enumerate(self._group_of) if match.start(g) >= 0)
            group, own = self._group_of[index]
            hit_start, hit_end = match.span(group)
            if hit_end == hit_start:  # an empty match reports nothing; step past it
                pos = _next_char(data, match.end()) if match.end() == match.start() else match.end()
                continue
            char_start = offsets.at(hit_start)
            yield Hit(
                start + char_start,
                start + offsets.at(hit_end),
                data[hit_start:hit_end].decode("utf-8", "surrogatepass"),
                tuple(_text(match.group(group + k)) for k in range(1, own + 1)),
                index,
            )
            pos = hit_end


def _folded(text: str) -> str:
    return text.casefold().replace("’", "'")


def _outside_word(text: str, index: int) -> bool:
    """True when ``text[index]`` is not a letter, digit, mark or ``_`` (or is off the text)."""
    if index < 0 or index >= len(text):
        return True
    char = text[index]
    return not (char.isalnum() or char == "_" or unicodedata.category(char).startswith("M"))


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("utf-8", "surrogatepass")


def _next_char(data: bytes, pos: int) -> int:
    """The byte offset after the UTF-8 character at ``pos`` (or ``pos + 1`` at the end)."""
    pos += 1
    while pos < len(data) and 0x80 <= data[pos] < 0xC0:
        pos += 1
    return pos


class _CharOffsets:
    """Byte offsets of a UTF-8 string to character offsets, for offsets that never go back.

    Each call decodes only the bytes since the previous one, so a whole pass is linear.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.byte = self.char = 0

    def at(self, byte: int) -> int:
        if byte < self.byte:  # not expected; still right, at the cost of a rescan
            self.byte = self.char = 0
        self.char += len(self.data[self.byte : byte].decode("utf-8", "surrogatepass"))
        self.byte = byte
        return self.char


def scoped_ranges(document: Document, scope: frozenset[BlockKind]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every block whose kind is in ``scope``."""
    for block in document.blocks:
        if block.kind in scope:
            yield block.start, block.end


def in_scope(document: Document, offset: int, scope: frozenset[BlockKind]) -> bool:
    index = document.block_of(offset)
    return index >= 0 and document.blocks[index].kind in scope


def unmasked(document: Document, start: int, end: int) -> bool:
    """True when nothing inside ``start:end`` was masked (code, markup): safe to edit."""
    return document.text[start:end] == document.prose[start:end]


class Exceptions:
    """Phrases a rule leaves alone: a match inside an occurrence of one is skipped."""

    def __init__(self, phrases: Iterable[str], *, ignore_case: bool) -> None:
        phrases = [p for p in phrases if p.strip()]
        self._matcher = (
            Matcher(phrases, regex=False, ignore_case=ignore_case, word_boundaries=True) if phrases else None
        )

    def spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        if self._matcher is None:
            return []
        return [(h.start, h.end) for h in self._matcher.finditer(text, start, end)]

    @staticmethod
    def covers(spans: list[tuple[int, int]], start: int, end: int) -> bool:
        """True when a span of ``spans`` (sorted, not overlapping: as :meth:`spans` gives
        them) holds ``start:end``; a binary search, so many exceptions cost no more per hit."""
        i = bisect.bisect_right(spans, (start, sys.maxsize)) - 1
        return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def preserve_case(matched: str, key: str | None, replacement: str) -> str | None:
    """``replacement`` written in the case of ``matched``, or None when that is not clear.

    ``key`` is the entry as written in the pack (None for patterns). Lower case, a capital
    first letter (a sentence start) and all capitals carry over; any other mix does not.
    """
    if key is not None and matched == key:
        return replacement
    letters = [ch for ch in matched if ch.isalpha()]
    if not letters:
        return replacement
    if matched == matched.lower():
        return replacement if key is None or key == key.lower() else None
    if len(letters) > 1 and matched == matched.upper():
        return replacement.upper()
    if matched[:1].isupper() and matched[1:] == matched[1:].lower():
        return replacement[:1].upper() + replacement[1:]
    if key is not None and matched[:1].upper() + matched[1:] == key[:1].upper() + key[1:]:
        return replacement[:1].upper() + replacement[1:]
    return None
