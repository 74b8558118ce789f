"""Quotations: found once per document, so every rule and every fix treats them alike.

A quotation is someone else's words. A rule may count it (an option says so) but never
asks the writer to shorten or reword it, and no fix edits inside it. Found here:

- double quotes, straight ``"..."`` or curly ``“...”``, and single quotes ``'...'`` /
  ``‘...’`` (an apostrophe, as in "don't" or "the Smiths'", opens or closes nothing);
- continuing quotations: by newspaper convention a quotation that runs over several
  paragraphs opens each paragraph with a quote mark and closes only in the last one, so
  a quote left open at the end of a paragraph runs to its end when the next paragraph
  opens with a quote mark (a stray mark with no such follower quotes nothing);
- block quotes (Markdown ``>``), whole.

Each quotation carries its speaker when the words around it name one ("..., said Mr
Maran." / "Mr Maran said: ..."), so two people saying the same thing are not the writer
repeating himself.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from redline.blocks import BlockKind

if TYPE_CHECKING:
    from redline.document import Document
    from redline.findings import Finding

_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
OPENING_MARKS = "\"“‘'"
_PAIRS = {"“": "”", "‘": "’", '"': '"', "'": "'"}
_MARK = re.compile("[" + "".join(_PAIRS) + "]")
_SAID = (
    r"(?:said|says|say|added|adds|told|tells|asked|asks|replied|explained|explains|wrote|writes|"
    r"argued|argues|insisted|warned|warns|claimed|claims|noted|notes|stated|states|declared|"
    r"according\s+to)"
)
_NAME = r"((?:(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|de|van|von|da))*|he|she|they|I|we)"
#: After a quotation: ``," said Mr Maran`` / ``, Mr Maran said`` / ``, he added``.
_AFTER = re.compile(rf"^[,.!?]?\s*(?:{_SAID}\s+{_NAME}|{_NAME}\s+{_SAID})\b")
#: Before a quotation: ``Mr Maran said: "`` / ``Mr Maran told the BBC: "``.
_BEFORE = re.compile(rf"{_NAME}\s+{_SAID}\b[^.!?\"“]{{0,40}}[:,]\s*$")


@dataclass(frozen=True)
class Quotation:
    start: int  # offset of the opening mark (or of the block quote)
    end: int  # offset just past the closing mark (or the end of the paragraph)
    speaker: str | None = None


class Quotations:
    """The quotations of one document, sorted, with fast lookups by offset."""

    def __init__(self, quotes: list[Quotation]) -> None:
        self.items = sorted(quotes, key=lambda q: (q.start, q.end))
        self._starts = [q.start for q in self.items]
        self._reach: list[int] = []  # furthest end of any quotation starting at or before
        for quote in self.items:
            self._reach.append(max(quote.end, self._reach[-1] if self._reach else quote.end))

    def __iter__(self) -> Iterator[Quotation]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def at(self, offset: int) -> Quotation | None:
        """The quotation that contains ``offset``, if any."""
        i = bisect.bisect_right(self._starts, offset) - 1
        while i >= 0 and self._reach[i] > offset:
            if self.items[i].start <= offset < self.items[i].end:
                return self.items[i]
            i -= 1
        return None

    def voice_at(self, offset: int) -> str | None:
        """Who speaks at ``offset``: a quotation's speaker, "" for an unattributed quotation,
        None for the writer."""
        quote = self.at(offset)
        if quote is None:
            return None
        return quote.speaker or ""

    def same_voice(self, first: int, second: int) -> bool:
        """False when the two offsets are in the words of different speakers (a repeat
        across speakers, "I agree with Mr Forsyth" from two readers, is no repeat)."""
        a, b = self.voice_at(first), self.voice_at(second)
        return a == b or ("" in (a, b) and None not in (a, b))

    def contains(self, offset: int) -> bool:
        return self.at(offset) is not None

    def touches(self, start: int, end: int) -> bool:
        """True when any character of ``[start, end)`` (or the point ``start``) is quoted."""
        i = bisect.bisect_left(self._starts, max(end, start + 1)) - 1
        return i >= 0 and self._reach[i] > start

    def quoted_share(self, start: int, end: int) -> float:
        """The share of ``[start, end)`` that lies inside quotations (0.0 to 1.0)."""
        if end <= start:
            return 0.0
        covered = 0
        for quote in self.items:
            if quote.start >= end:
                break
            covered += max(0, min(end, quote.end) - max(start, quote.start))
        return min(covered, end - start) / (end - start)


def find_quotations(document: Document) -> Quotations:
    prose = document.prose
    quotes: list[Quotation] = []
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if block.kind is BlockKind.BLOCKQUOTE:
            quotes.append(Quotation(block.start, block.end))
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        continues = following is not None and _opens_with_quote(prose[following.start : following.end])
        for start, end in _spans(prose, block.start, block.end, continues):
            quotes.append(Quotation(start, end, _speaker(prose, block.start, block.end, start, end)))
    return Quotations(_attribute_continuations(quotes))


def _opens_with_quote(text: str) -> bool:
    stripped = text.lstrip()
    return _opens(stripped, 0) if stripped else False


def _opens(text: str, i: int) -> bool:
    """Whether the mark at ``i`` opens a quotation (an apostrophe or inch mark does not)."""
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch == "“":
        return True
    if ch == '"':
        return not before.isalnum() and not after.isspace()
    if ch in "'‘":
        return not before.isalnum() and after.isalpha()
    return False


def _closes(text: str, i: int, mark: str) -> bool:
    ch = text[i]
    if ch != _PAIRS[mark]:
        return False
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (ch in "'’" and after.isalpha())  # "don't", "it’s": apostrophes


def _spans(prose: str, start: int, end: int, continues: bool) -> list[tuple[int, int]]:
    """Quoted spans of one block: ``(opening mark, past the closing mark)``."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    mark = ""
    # Only quote marks change the state: the scan jumps from one to the next (outside a
    # quotation, any opening mark; inside, the closing mark of the one open).
    i = start
    while True:
        if open_at is None:
            found = _MARK.search(prose, i, end)
            if found is None:
                break
            i = found.start()
            if _opens(prose, i):
                open_at, mark = i, prose[i]
        else:
            i = prose.find(_PAIRS[mark], i, end)
            if i < 0:
                break
            if mark == '"' and prose[i - 1].isspace() and prose[i + 1 : i + 2].isalnum():
                spans.append((open_at, i))  # a new quotation opens before the last one closed:
                open_at = i  # 'says: "We can. "For example, we could...'
            elif _closes(prose, i, mark):
                spans.append((open_at, i + 1))
                open_at = None
        i += 1
    if open_at is not None and continues and mark in '"“':
        spans.append((open_at, end))
    return spans


def _speaker(prose: str, block_start: int, block_end: int, start: int, end: int) -> str | None:
    after = _AFTER.match(prose[end : min(block_end, end + 80)])
    if after:
        return _normal(after.group(1) or after.group(2))
    before = _BEFORE.search(prose[max(block_start, start - 120) : start])
    if before:
        return _normal(before.group(1))
    return None


def _normal(name: str | None) -> str | None:
    return " ".join(name.split()) if name else None


def _attribute_continuations(quotes: list[Quotation]) -> list[Quotation]:
    """A continuing quotation's paragraphs share the speaker named in any of them."""
    result = list(quotes)
    i = 0
    while i < len(result):
        j = i
        while j + 1 < len(result) and _chained(result[j], result[j + 1]):
            j += 1
        if j > i:
            named = [q.speaker for q in result[i : j + 1] if q.speaker]
            speaker = next((n for n in named if n.lower() not in _PRONOUNS), named[0] if named else None)
            for k in range(i, j + 1):
                result[k] = Quotation(result[k].start, result[k].end, speaker)
        i = j + 1
    return result


def _chained(first: Quotation, second: Quotation) -> bool:
    return second.start - first.end <= 4  # paragraph break and an opening mark


#: Word-choice rules (pleonasm, wordy and inflated words, filler phrases): a speaker's
#: wording is not the writer's to change, so their findings inside a quotation are dropped.
WORD_CHOICE_CODES = frozenset({"RL105", "RL401", "RL402", "RL411"})


def drop_quoted_fixes(findings: list[Finding], document: Document) -> list[Finding]:
    """``findings`` with every fix that would edit inside a quotation removed (any rule's).

    A word-choice finding (:data:`WORD_CHOICE_CODES`) wholly inside a quotation goes;
    any other finding stays (a "the the" in a quote may be a transcription slip) and only
    its fix goes, so ``--fix`` and ``--unsafe-fixes`` never change someone else's words.
    """
    quotes = document.quotations
    if not len(quotes):
        return findings
    kept = []
    for finding in findings:
        if (
            finding.code in WORD_CHOICE_CODES
            and quotes.contains(finding.start)
            and quotes.contains(finding.end - 1)
        ):
            continue
        quoted_fix = finding.fix is not None and any(
            quotes.touches(e.start, e.end) for e in finding.fix.edits
        )
        kept.append(replace(finding, fix=None) if quoted_fix else finding)
    return kept


__all__ = ["OPENING_MARKS", "Quotation", "Quotations", "drop_quoted_fixes", "find_quotations"]
