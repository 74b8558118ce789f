"""What the page's structure says about a pair of sentences before any model looks at it.

Three things make two similar sentences something other than a restated claim:

- **Sibling entries.** A reference page describes many things in parallel entries
  ("Match the regex once ..." under ``REGEX MATCH``, "Match the regex as many times as
  possible ..." under ``REGEX MATCHALL``). Entries start at headings and domain directives
  (the document's sections), at RST targets (``.. _REGEX MATCHALL:``) and at Markdown
  term lines (a line that is only a code span: ``net.server.socket``).
- **Templates.** In reference documentation, two sentences that are one template with a
  different slot ("On Linux platforms, ..." / "On Windows platforms, ...") state two
  facts. A slot differs when each sentence has a word there that the other lacks
  altogether; "Binds the given function" / "The function to bind" is a rewording.
- **Cases.** Two sentences that open with a scene or condition of the same kind that
  differs ("On Linux platforms, ..." / "On Windows platforms, ...") state what happens in
  two cases, on a reference page.
- **Voices.** Text attributed to different speakers is not the writer repeating himself,
  and a paraphrase of what someone said followed by the quotation it paraphrases is how
  news is written. A sentence's voice is the speaker of the quotation that makes up most
  of it, or the person its reported speech is attributed to ("Mr Knapman said ...",
  "..., according to the company"), or the writer.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import TYPE_CHECKING, Protocol

from redline.document import Document, Syntax

if TYPE_CHECKING:
    from redline.rules.redundancy.near_duplicate import NearDuplicateOptions

# An RST target on a line of its own (``.. _label:`` / ``.. _`label`:``), or a Markdown
# line that is only a code span: each starts a new entry of a reference page.
_ENTRY_LINE = {
    Syntax.RST: re.compile(r"^[ \t]*\.\. _[^\n]*:[ \t]*$", re.MULTILINE),
    Syntax.MARKDOWN: re.compile(r"^`[^`\n]+`[ \t]*$", re.MULTILINE),
}
# Code in the source: a code span, a fenced or RST code block, a directive.
_CODE = re.compile(r"`[^`\n]+`|^[ \t]*(?:```|\.\. [\w:-]+::)", re.MULTILINE)


def entry_starts(document: Document) -> list[int]:
    """Offsets where entries start: the document's sections, RST targets, Markdown term lines."""
    starts = set(document.sections)
    pattern = _ENTRY_LINE.get(document.syntax)
    if pattern is not None:
        previous = 0
        for block in document.blocks:  # only between prose blocks: markup, not prose
            starts.update(m.start() for m in pattern.finditer(document.text, previous, block.start))
            previous = block.end
    return sorted(starts)


def entry_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset)


def is_reference(document: Document) -> bool:
    """A reference page: markup with code in it (code spans, code blocks, directives)."""
    return document.syntax is not Syntax.TEXT and _CODE.search(document.text) is not None


_WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")
_MARKUP = re.compile(r"``|\*\*|\\_|[{}]|:[\w.-]+(?::[\w.-]+)*:(?=`)")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(_MARKUP.sub("", text))]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def parallel_template(first: str, second: str, share: float = 0.5) -> bool:
    """Two fillings of one template: a common start and end that make up at least ``share``
    of the shorter sentence, and between them, in each sentence, a word the other lacks."""
    a, b = _words(first), _words(second)
    shortest = min(len(a), len(b))
    prefix = 0
    while prefix < shortest and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    if prefix + suffix < share * shortest:
        return False
    slot_a, slot_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    stems_a, stems_b = {_stem(w) for w in a}, {_stem(w) for w in b}
    new_in_a = [w for w in slot_a if _stem(w) not in stems_b and w not in _stop_words()]
    new_in_b = [w for w in slot_b if _stem(w) not in stems_a and w not in _stop_words()]
    return bool(new_in_a and new_in_b)


_FRAME = re.compile(r"^(on|in|for|if|when|with|unless|without|while)\s+([^,;]{1,120}),", re.IGNORECASE)


def parallel_frames(first: str, second: str) -> bool:
    """Two cases of one fact: both open with a scene or condition of the same kind ("On Linux
    platforms, ..." / "On Windows platforms, ...", "If the provider fulfills the request,
    ..." / "If the provider returns without calling ...,"), and the two differ in content."""
    frame_a, frame_b = _FRAME.match(_MARKUP.sub("", first)), _FRAME.match(_MARKUP.sub("", second))
    if frame_a is None or frame_b is None or frame_a.group(1).lower() != frame_b.group(1).lower():
        return False
    content_a = {_stem(w) for w in _words(frame_a.group(2))} - _stop_words()
    content_b = {_stem(w) for w in _words(frame_b.group(2))} - _stop_words()
    return content_a != content_b


@cache
def _stop_words() -> frozenset[str]:
    from redline.rules.redundancy.claims import stop_words  # read without importing spaCy

    return stop_words()


# Who reported speech is attributed to: "Mr Knapman said", "UKIP's leader, Roger Knapman,
# has said", "..., the newspaper reported.", "according to newspaper reports".
_SAID = (
    r"(?:said|says|told|tells|added|adds|stated|states|announced|reported|reports|warned|warns|"
    r"claimed|claims|argued|argues|insisted|insists|explained|explains|believes|believe|thinks)"
)
_NAME = r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*)"
_ATTRIBUTIONS = (
    re.compile(rf"\b{_NAME},?\s+(?:has\s+|had\s+|have\s+|also\s+)?{_SAID}\b"),
    re.compile(rf",\s+((?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){{0,3}}?)\s+{_SAID}\W*$"),
    re.compile(r"\baccording\s+to\s+((?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,2})", re.IGNORECASE),
)
_PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we", "you"})


def voice(document: Document, start: int, end: int, text: str) -> str | None:
    """Who speaks in ``text`` (the sentence at ``start:end``), as ``"quote:NAME"`` when a
    quotation makes up most of it, ``"said:NAME"`` when it reports what someone said
    ("Mr Knapman said ...", "..., according to the company"), None for the writer. NAME is
    the last word of the speaker's name in lower case, empty for a pronoun or no name."""
    quotations = document.quotations
    if len(quotations) and quotations.quoted_share(start, end) >= 0.5:
        quote = quotations.at(start) or quotations.at(end - 1)
        speaker = quote.speaker if quote is not None else None
        return "quote:" + (_surname(speaker) if speaker else "")
    for pattern in _ATTRIBUTIONS:
        match = pattern.search(text)
        if match:
            return "said:" + _surname(match.group(1))
    return None


def _surname(name: str) -> str:
    last = name.rsplit(maxsplit=1)[-1].lower().strip("'’").removesuffix("'s").removesuffix("’s")
    return "" if last in _PRONOUNS else last


def different_voices(first: str | None, second: str | None) -> bool:
    """The writer and a speaker, a paraphrase and a quotation, or two named speakers (a
    speaker not named is anyone)."""
    if first == second:
        return False
    if first is None or second is None:
        return True
    (kind_a, name_a), (kind_b, name_b) = first.split(":", 1), second.split(":", 1)
    return kind_a != kind_b or bool(name_a and name_b)


class Statement(Protocol):
    """What the pair rules below read of a statement: a ``claim_search.Member`` (``--cross-file``)
    or an archived or checked unit (``redline archive``)."""

    @property
    def list_item(self) -> bool: ...
    @property
    def reference(self) -> bool: ...  # on a reference page (is_reference)
    @property
    def voice(self) -> str | None: ...  # who speaks (voice), None for the writer or when not asked
    @property
    def lede(self) -> bool: ...  # the lede of an article


def kept_apart(first: Statement, second: Statement, options: NearDuplicateOptions, same_file: bool) -> bool:
    """Whether RL102 leaves a pair of statements alone whatever it scores, from what is known of
    each statement alone: two list items (unless asked), and in one file the lede and a later
    sentence (the story told in full after its summary) or two voices. The checks that need the
    two statements' places in one file (section, distance, heading zone, templates) are
    ``claim_search``'s."""
    if not options.include_list_items and first.list_item and second.list_item:
        return True  # the items of a list are parallel by design
    if not same_file:
        return False
    if first.lede or second.lede:
        return True  # the story told in full after its summary (the inverted pyramid)
    return different_voices(first.voice, second.voice)  # two speakers: reporting, not repeating


def score_needed(
    first: Statement, second: Statement, threshold: float, options: NearDuplicateOptions
) -> float:
    """The score a pair needs to be one claim: ``threshold``, or ``reference-threshold`` when
    both statements are on reference pages (their sibling facts share words by design)."""
    if options.scorer == "cosine" or not (first.reference and second.reference):
        return threshold
    return max(threshold, options.reference_threshold or 0.0)
