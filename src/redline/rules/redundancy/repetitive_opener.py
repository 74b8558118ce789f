"""RL104: many sentences that start the same way."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from redline.analysis import Sentence
from redline.document import BlockKind, Document
from redline.findings import Finding, Related
from redline.rules.base import Rule, RuleContext, bounded, in_order
from redline.rules.redundancy.phrases import (
    SKIPPED_BLOCKS,
    allowance,
    frames_code,
    introduces_code,
    phrase_text,
    prose_sentences,
)

_OPENER_SKIPPED = SKIPPED_BLOCKS | {BlockKind.LIST_ITEM}
#: An opener that starts with one of these states a condition ("If the file ...", "When the
#: user ..."): a reference page states its conditions alike by design, so such an opener is
#: a tic only when more than the budget of uses come one sentence after another.
_CONDITIONS = frozenset({"if", "when", "whenever", "unless", "once", "where", "wherever"})
_TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "Sir", "Lord", "Lady", "Mr.", "Mrs.", "Ms.", "Dr."})


@dataclass(frozen=True)
class RepetitiveOpenerOptions:
    #: Sentences of one document that may start with the same opener.
    budget: int = bounded(2, minimum=1)
    #: In long documents, this many uses per 1,000 words are allowed (when more than ``budget``).
    budget_per_1000_words: float = 3.0
    #: Longest opener compared, in words.
    max_words: int = bounded(4, minimum=1)
    #: Shortest opener compared, in words (a transition followed by a comma, "However,", always counts).
    min_words: int = bounded(3, minimum=1)
    #: Count sentences inside quotations too (someone else's words, by default not).
    include_quotes: bool = False
    #: Count openers per section (heading, RST entry): sibling entries of a reference page
    #: open alike by design. False counts the whole document as one.
    per_section: bool = True


class RepetitiveOpener(Rule[RepetitiveOpenerOptions]):
    """Sentence opener used too often.

    Sentence after sentence that starts "Furthermore," or "This shows that" turns prose
    into a list read aloud, and the stock opener usually adds nothing. An opener is a
    transition up to a comma in the first words ("Furthermore,", "In particular,") or
    the first three or more words of a sentence ("This is expected to"). The longest
    over-used opener is reported once per document, at its first use over the budget,
    with the other uses as related locations. Headings, list items and table cells are
    not counted.

    Bad::

        Furthermore, prices rose. Furthermore, wages fell. Furthermore, rents doubled.

    Good::

        Prices rose. Wages fell, and rents doubled.

    Options:

    - ``budget`` (int, default 2): sentences per document that may share an opener.
    - ``budget-per-1000-words`` (number, default 3.0): in a long document, this many
      uses per 1,000 words are allowed when that is more than ``budget``.
    - ``min-words`` (int, default 3), ``max-words`` (int, default 4): opener lengths.
    - ``include-quotes`` (bool, default false): count sentences that open inside
      quotation marks too.
    - ``per-section`` (bool, default true): count openers within each section (heading,
      RST entry); sibling entries of a reference page open alike by design.

    An opener that states a condition ("If the file", "When the user", "Unless the") is
    counted only in a run of consecutive sentences: a reference page states its
    conditions alike by design ("If the file does not exist ... If the file already
    exists ..."), while three sentences in a row that open "If the file" are a tic.

    An opener with a name in it ("Mr Knight,", "In London,", "The Debian package") is the
    sentence's subject, not a stock phrase, and is not counted; nor is a lead-in to a code
    example ("Example of sending a UDP packet:"), a caption, or an opener whose every use
    frames a code value ("Libraries specified as ``debug``"), a template.
    """

    code = "RL104"
    name = "redundancy.repetitive-opener"
    Options = RepetitiveOpenerOptions

    def option_problems(self, options: Any) -> Iterator[tuple[str, str]]:
        return in_order("min-words", options.min_words, "max-words", options.max_words)

    def check(self, document: Document, ctx: RuleContext[RepetitiveOpenerOptions]) -> Iterator[Finding]:
        options: RepetitiveOpenerOptions = ctx.options
        # A lead-in to a code example is a caption ("Example of sending a UDP packet:").
        sentences = [
            s for s in prose_sentences(document, _OPENER_SKIPPED) if not introduces_code(document, s)
        ]
        if not options.include_quotes and document.quotations:
            quotes = document.quotations
            sentences = [s for s in sentences if not quotes.contains(s.words[0].start)]
        sections: dict[int, list[Sentence]] = {}
        for sentence in sentences:
            key = document.section_of(sentence.start) if options.per_section else 0
            sections.setdefault(key, []).append(sentence)
        for section_sentences in sections.values():
            yield from self._check_sentences(document, section_sentences, options)

    def _check_sentences(
        self, document: Document, sentences: list[Sentence], options: RepetitiveOpenerOptions
    ) -> Iterator[Finding]:
        words = sum(s.word_count for s in sentences)
        allowed = allowance(options.budget, options.budget_per_1000_words, words)
        openers = [_openers(document, s, options) for s in sentences]
        reported: set[int] = set()
        findings: list[Finding] = []
        longest = max((max(candidates, default=0) for candidates in openers), default=0)
        for length in range(min(options.max_words, longest), 0, -1):  # max-words may be huge
            uses: dict[str, list[tuple[int, int]]] = {}
            for index, candidates in enumerate(openers):
                if index not in reported and length in candidates:
                    key, end = candidates[length]
                    uses.setdefault(key, []).append((index, end))
            for key_uses in sorted(uses.values(), key=lambda u: (-len(u), u[0])):
                if len(key_uses) <= allowed:
                    continue
                if _parallel_conditions(key_uses, allowed, openers):
                    # "If the file does not exist ... If the file is a build input": conditions
                    # stated alike, not one after another.
                    reported.update(index for index, _ in key_uses)
                    continue
                if frames_code(document, [(sentences[i].start, end) for i, end in key_uses]):
                    # "Libraries specified as ``debug``": a frame around a value, a template;
                    # its shorter openers are not reported in its place.
                    reported.update(index for index, _ in key_uses)
                    continue
                findings.append(self._finding(document, sentences, key_uses, allowed))
                reported.update(index for index, _ in key_uses)
        yield from findings

    def _finding(
        self, document: Document, sentences: list[Sentence], uses: list[tuple[int, int]], allowed: int
    ) -> Finding:
        spans = [(sentences[index].start, end) for index, end in uses]
        start, end = spans[allowed]
        opener = phrase_text(document, *spans[0])
        return self.finding(
            start,
            end,
            f"Sentence opener '{opener}' used {len(spans)} times (budget {allowed}): start some of them another way",
            related=[
                Related(s, e, "another sentence with this opener") for s, e in spans if (s, e) != (start, end)
            ],
        )


def _parallel_conditions(
    uses: list[tuple[int, int]], allowed: int, openers: list[dict[int, tuple[str, int]]]
) -> bool:
    """True for a conditional opener ("If the provider") none of whose runs of consecutive
    sentences is over the budget."""
    first = uses[0][0]
    key = next(iter(openers[first].values()))[0]
    if key.split(" ", 1)[0].rstrip(",") not in _CONDITIONS:
        return False
    run = longest = 1
    for (previous, _), (index, _) in pairwise(uses):
        run = run + 1 if index == previous + 1 else 1
        longest = max(longest, run)
    return longest <= allowed


def _openers(
    document: Document, sentence: Sentence, options: RepetitiveOpenerOptions
) -> dict[int, tuple[str, int]]:
    """Opener length in words -> (key, end offset) for the openers this sentence has."""
    words: list[str] = []
    texts: list[str] = []
    ends: list[int] = []
    previous_end = sentence.start
    for token in sentence.tokens:
        if document.text[previous_end : token.start].strip():
            break  # masked markup (code, a link target) inside the opener
        previous_end = token.end
        if token.text == ",":
            if any(text[:1].isupper() for text in texts[1:]) or (texts and texts[0] in _TITLES):
                break  # "Mr Knight,", "In London,": a name, not a stock opener
            if 0 < len(words) <= options.max_words:
                return {len(words): (" ".join(words) + ",", token.end)}
            break
        if not token.is_word:
            break
        words.append(token.lower)
        texts.append(token.text)
        ends.append(token.end)
        if len(words) > options.max_words:
            break
    longest = min(len(words), options.max_words, sentence.word_count - 1)
    return {
        n: (" ".join(words[:n]), ends[n - 1])
        for n in range(options.min_words, longest + 1)
        # A name is a subject, not a stock opener ("Mr Knight said", "The Debian package").
        if not any(text[:1].isupper() for text in texts[1:n]) and texts[0] not in _TITLES
    }


RULES = [RepetitiveOpener]
