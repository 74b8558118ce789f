"""RL103: the same phrase of three or more words, over and over in one document."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

from redline.analysis import Token
from redline.document import BlockKind, Document
from redline.findings import Finding, Related
from redline.quotations import Quotations
from redline.rules.base import Rule, RuleContext, bounded, in_order
from redline.rules.redundancy.ngram_counts import Positions, frequent_ngrams
from redline.rules.redundancy.phrases import (
    HAS_LETTER,
    SpanSet,
    TextFacts,
    allowance,
    frames_value,
    is_content,
    is_reference,
    phrase_text,
    sentence_starts,
    word_runs,
)


@dataclass(frozen=True)
class RepeatedPhraseOptions:
    #: Shortest phrase counted, in words.
    min_words: int = bounded(3, minimum=1)
    #: Longest phrase counted, in words (longer repeats are reported by their first words).
    max_words: int = bounded(8, minimum=1)
    #: Uses of one phrase allowed per document.
    budget: int = bounded(3, minimum=1)
    #: In long documents, this many uses per 1,000 words are allowed (when more than ``budget``).
    budget_per_1000_words: float = 3.0
    #: Leave hedges ("is expected to") to the hedging rules, which budget them already.
    skip_hedges: bool = True
    #: Count phrases inside quotations too (someone else's words, by default not).
    include_quotes: bool = False
    #: Count uses per section (heading, RST entry): sibling entries of a reference page
    #: repeat a template by design. False counts the whole document as one.
    per_section: bool = True


#: Sentences that open with the same words share an opener (RL104's ``min-words``).
_OPENER_WORDS = 3


class _Openers:
    """Each word's sentence start and first words, lower-cased: looked up for the few uses
    of over-used phrases only, not built for every word."""

    def __init__(self, document: Document) -> None:
        self._sentences = document.sentences
        self._starts = [sentence.start for sentence in self._sentences]
        self._known: dict[int, tuple[int, str] | None] = {}

    def get(self, offset: int) -> tuple[int, str] | None:
        """For the offset of a word of the prose: its sentence's start and opener, or None
        for a sentence of fewer than the opener's words."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i not in self._known:
            words = self._sentences[i].words
            key = " ".join(w.lower for w in words[:_OPENER_WORDS])
            self._known[i] = (self._sentences[i].start, key) if len(words) >= _OPENER_WORDS else None
        return self._known[i]


def _heading_words(document: Document) -> frozenset[str]:
    """Lower-case words of the document's headings: the terms it is about."""
    headings = [s for s in document.sentences if document.blocks[s.block].kind is BlockKind.HEADING]
    return frozenset(w.lower for s in headings for w in s.words)


def _heading_terms(tokens: list[Token], subject: frozenset[str]) -> bool:
    """A term the headings name ("the child process" under "Child process"): the subject."""
    content = [t.lower for t in tokens if is_content(t)]
    return bool(content) and all(word in subject for word in content)


#: Words that open a noun phrase: "the parent process", "each object file".
_DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "each", "every", "its", "their"]
)


#: A phrase that ends in one of these states a value ("set to true", "is not set to false"):
#: the technical description of a setting, which parallel conditions repeat exactly.
_VALUES = frozenset({"true", "false", "null", "undefined"})
#: Nouns on the tokenizer's stop list (spaCy's, which lists "name" and "part" beside "the"):
#: in a name they are its head ("package file name", "the front end"), not function words.
_STOP_NOUNS = frozenset({"name", "part", "side", "top", "bottom", "front", "back", "amount"})


def _term(tokens: list[Token]) -> bool:
    """A noun phrase and function words only ("the parent process", "the result of", "to
    the callback"): a determiner right before the content words, which are adjacent, or
    content words alone ("binary rpm packages", "chip and pin"). It
    names a thing, which a technical text repeats as it would a pronoun; a phrase with
    words of its own around the name ("between the two countries", "passed to the
    callback") is not one."""
    named = [is_content(t) or t.lower in _STOP_NOUNS for t in tokens]
    for i in range(1, len(tokens) - 1):  # "chip and pin", "parent and child": one name
        if tokens[i].lower in ("and", "or") and named[i - 1] and is_content(tokens[i + 1]):
            named[i] = True
    content = [i for i, yes in enumerate(named) if yes]
    if not content or content[-1] - content[0] + 1 != len(content):
        return False
    if len(content) == len(tokens):
        return True  # a compound name: "binary rpm packages", "package file name"
    return content[0] > 0 and tokens[content[0] - 1].lower in _DETERMINERS


def _list_groups(document: Document) -> list[int]:
    """Each block's list: consecutive list-item blocks share a number, any other block
    has its own. The entries of one list are parallel by design."""
    groups: list[int] = []
    number = 0
    for i, block in enumerate(document.blocks):
        if not (
            block.kind is BlockKind.LIST_ITEM and i and document.blocks[i - 1].kind is BlockKind.LIST_ITEM
        ):
            number += 1
        groups.append(number)
    return groups


def _places(document: Document, spans: list[tuple[int, int]], groups: list[int]) -> int:
    """Uses counted once per list: a phrase shared by the parallel entries of one list (the
    steps of a procedure, the options of a call) is one use of a template."""
    seen: set[int] = set()
    places = 0
    for start, _ in spans:
        block = document.block_of(start)
        if block < 0 or document.blocks[block].kind is not BlockKind.LIST_ITEM:
            places += 1
        elif groups[block] not in seen:
            seen.add(groups[block])
            places += 1
    return places


def _one_opener(spans: list[tuple[int, int]], opening: _Openers) -> bool:
    """True when every use is in a sentence of its own and all those sentences open alike."""
    found = [opening.get(start) for start, _ in spans]
    if None in found:
        return False
    return len({f[1] for f in found if f}) == 1 and len({f[0] for f in found if f}) == len(spans)


class RepeatedPhrase(Rule[RepeatedPhraseOptions]):
    """Phrase repeated too often.

    A phrase of three or more words that keeps coming back ("between the two
    countries" eight times in one article) reads as padding and tells the reader the
    writer ran out of words. A phrase counts only if it has a lower-case content word:
    stop words alone ("as well as the") and names ("Prime Minister Hun Manet") do not
    count; words must be adjacent in one sentence, outside quotation marks. Each over-used phrase is reported
    once per document, at its first use over the budget, with every other use as a
    related location. The longest form is preferred: when the words around a phrase are
    always the same, the whole phrase is reported, and no use is counted twice.

    Bad::

        Trade between the two countries grew. Visits between the two countries rose.
        Talks between the two countries resumed. Flights between the two countries
        doubled.

    Good::

        Trade between the two countries grew. Visits rose, talks resumed and flights
        doubled.

    Options:

    - ``budget`` (int, default 3): uses of one phrase allowed per document.
    - ``budget-per-1000-words`` (number, default 3.0): in a long document, this many
      uses per 1,000 words are allowed when that is more than ``budget``.
    - ``min-words`` (int, default 3), ``max-words`` (int, default 8): phrase lengths.
    - ``skip-hedges`` (bool, default true): a phrase that is one of the hedging lexicon's
      phrases ("is expected to") is left to RL201-RL204, so one overuse is reported once.
    - ``include-quotes`` (bool, default false): count phrases inside quotation marks and
      block quotes too (someone else's words).
    - ``per-section`` (bool, default true): count uses within each section (a heading, an
      RST entry such as ``.. variable:: NAME``); sibling entries of a reference page repeat
      a template by design.

    Not counted: names, titles and attributions ("the Cambodian government", "the prime
    minister", "said Mr Makower") and terms the headings name ("the child process" under
    a heading "Child process"): they carry a reference, as a pronoun would. Nor is the
    name of a thing with only function words around it ("the parent process", "the
    result of", "binary rpm packages"): a technical text repeats its terms. Uses inside
    one list count once: the steps of a procedure and the options of a call repeat a
    template by design ("the dependency is resolved to that file" in each step); so is a
    phrase whose every use frames a code value ("a value of `module`"). A template's
    shorter parts are not reported in its place. Nor is a phrase whose every use ends a
    lead-in, a line that ends in a colon ("On Linux platforms, library resolution works as
    follows:"): parallel lists open with parallel lead-ins. A phrase never starts or ends inside a
    hyphenated compound. A phrase
    whose every use sits in sentences that open alike is part of a repeated opener and
    is left to RL104, so the same words are never reported by both rules. The phrase is
    quoted as written.
    """

    code = "RL103"
    name = "redundancy.repeated-phrase"
    Options = RepeatedPhraseOptions

    def option_problems(self, options: Any) -> Iterator[tuple[str, str]]:
        return in_order("min-words", options.min_words, "max-words", options.max_words)

    def check(self, document: Document, ctx: RuleContext[RepeatedPhraseOptions]) -> Iterator[Finding]:
        options: RepeatedPhraseOptions = ctx.options
        runs = list(word_runs(document))
        if not options.include_quotes and document.quotations:
            runs = _outside_quotes(runs, document.quotations)
        starts = sentence_starts(document)
        opening = _Openers(document)
        subject = _heading_words(document)
        hedges = _HedgeCover(document if options.skip_hedges else None)
        groups = _list_groups(document)
        section_runs = _by_section(runs, document.sections if options.per_section else [])
        allowed = [
            allowance(options.budget, options.budget_per_1000_words, sum(len(r) for r in group))
            for group in section_runs
        ]
        tokens, positions = _positions(section_runs, hedges)
        # Phrases counted over integer ids (ngram_counts.py): only those used more often
        # than their section allows come back, and only their uses are judged below.
        by_section: dict[int, list[tuple[int, list[int]]]] = {}
        for length, uses in frequent_ngrams(positions, options.min_words, options.max_words, allowed):
            by_section.setdefault(positions.groups[uses[0]], []).append((length, uses))
        for group in range(len(section_runs)):
            yield from self._check_section(
                document, tokens, by_section.get(group, []), allowed[group], starts, opening, subject, groups
            )

    def _check_section(
        self,
        document: Document,
        tokens: list[Token],
        frequent: list[tuple[int, list[int]]],
        allowed: int,
        starts: set[int],
        opening: _Openers,
        subject: frozenset[str],
        groups: list[int],
    ) -> Iterator[Finding]:
        # Most repeated text (uses x words) first: "between the two countries" 8 times goes
        # before "the two countries" 9 times, whose uses are then taken. A name, title or
        # attribution is reference, not padding; a phrase whose sentences all open alike is
        # part of a repeated opener, left to RL104 (one rule per repeated words).
        text = document.text
        candidates: list[list[tuple[int, int]]] = []
        for length, counted in frequent:
            # A word glued to a hyphen is part of a compound ("position-independent-code"):
            # a phrase may not start or end inside one. Dropping uses after the counting is
            # exact: a phrase over its budget without them was over it with them.
            uses = [
                i
                for i in counted
                if not _hyphen(text, tokens[i].start - 1, tokens[i].start - 2)
                and not _hyphen(text, tokens[i + length - 1].end, tokens[i + length - 1].end + 1)
            ]
            if (
                len(uses) <= allowed
                or any(
                    is_reference(tokens[i : i + length], starts)
                    or _heading_terms(tokens[i : i + length], subject)
                    or _term(tokens[i : i + length])
                    or tokens[i + length - 1].lower in _VALUES
                    for i in uses
                )
                or all(_ends_lead_in(text, tokens[i + length - 1]) for i in uses)
            ):
                continue
            spans = [(tokens[i].start, tokens[i + length - 1].end) for i in uses]
            if not _one_opener(spans, opening):
                candidates.append(spans)
        over = sorted(candidates, key=lambda spans: (-len(spans) * _words(document, spans[0]), spans[0]))
        taken = SpanSet()
        findings: list[Finding] = []
        for spans in over:
            fresh = _non_overlapping([s for s in spans if not taken.overlaps(*s)])
            if len(fresh) <= allowed:
                continue
            # A template (uses in the entries of one list, or a frame around a code value
            # that differs each time) is not reported, and its uses are taken all the same,
            # so its shorter parts ("the dependency is") are not reported in its place.
            # Only the uses that do not frame a code value count: "object files from
            # ``main3.c``" in three worked examples and once in prose is one use of the words.
            own = [span for span in fresh if not frames_value(document, *span)]
            if _places(document, own, groups) > allowed:
                findings.append(self._finding(document, fresh, allowed, starts))
            for span in fresh:
                taken.add(*span)
        yield from findings

    def _finding(
        self, document: Document, spans: list[tuple[int, int]], allowed: int, starts: set[int]
    ) -> Finding:
        start, end = spans[allowed]
        first = next((s for s in spans if s[0] not in starts), spans[0])  # not capitalised as an opener
        phrase = phrase_text(document, *first)
        return self.finding(
            start,
            end,
            f"Phrase '{phrase}' used {len(spans)} times (budget {allowed}): cut it or vary it where it adds nothing",
            related=[Related(s, e, "another use") for s, e in spans if (s, e) != (start, end)],
        )


def _ends_lead_in(text: str, last: Token) -> bool:
    """The phrase ends a lead-in: a colon and the end of the line follow it ("On Linux
    platforms, library resolution works as follows:"). Parallel lists and code examples
    open with parallel lead-ins by design."""
    end = text.find("\n", last.end)
    return text[last.end : end if end >= 0 else len(text)].strip() == ":"


def _hyphen(text: str, at: int, beyond: int) -> bool:
    """True when ``text[at]`` is a hyphen with a letter or digit at ``beyond``."""
    return min(at, beyond) >= 0 and max(at, beyond) < len(text) and text[at] == "-" and text[beyond].isalnum()


def _positions(section_runs: list[list[list[Token]]], hedges: _HedgeCover) -> tuple[list[Token], Positions]:
    """The word runs' tokens in order, and what :func:`frequent_ngrams` counts over."""
    runs = [run for group in section_runs for run in group]
    tokens = list(chain.from_iterable(runs))
    groups: list[int] = []
    for group, group_runs in enumerate(section_runs):
        groups.extend(repeat(group, sum(map(len, group_runs))))
    run_ids: list[int] = []
    for run_id, run in enumerate(runs):
        run_ids.extend(repeat(run_id, len(run)))
    if not tokens:
        return tokens, Positions([], [], [], [], [], [], [])
    # the fields as columns (a token is a named tuple): start, end, text, is_word, is_stop, tag, lower
    starts, ends, texts, _, stops, _, lowers = zip(*tokens, strict=True)
    # a phrase needs a lower-case content word; "'s value is" starts inside a word
    has_lower_content = map(_LOWER_CONTENT.__getitem__, texts)
    content = [lower and not stop for lower, stop in zip(has_lower_content, stops, strict=True)]
    may_start = [text[:1] not in "'’" for text in texts]
    return tokens, Positions(lowers, groups, run_ids, content, may_start, ends, hedges.reach_all(starts))


def _by_section(runs: list[list[Token]], sections: list[int]) -> list[list[list[Token]]]:
    """The runs (in document order) grouped by ``document.section_of`` their first
    word, the sections without a run left out: the runs are in order, so the section
    starts are passed once instead of searched for each run."""
    grouped: list[list[list[Token]]] = []
    current: list[list[Token]] | None = None
    section = -1  # the section of ``current``
    following = 0  # index in ``sections`` of the next start: section_of(x) counts starts <= x
    previous = -1
    for run in runs:
        start = run[0].start
        if start < previous:  # not in order after all: look each one up
            return _by_section_searched(runs, sections)
        previous = start
        if following < len(sections) and sections[following] <= start:
            following = bisect.bisect_right(sections, start, following)
        if current is None or following != section:
            current, section = [], following
            grouped.append(current)
        current.append(run)
    return grouped


def _by_section_searched(runs: list[list[Token]], sections: list[int]) -> list[list[list[Token]]]:
    grouped: dict[int, list[list[Token]]] = {}
    for run in runs:
        grouped.setdefault(bisect.bisect_right(sections, run[0].start), []).append(run)
    return list(grouped.values())


def _outside_quotes(runs: list[list[Token]], quotes: Quotations) -> list[list[Token]]:
    """The parts of the word runs (in order, apart) outside quotation marks: only the runs
    where a word may start inside a quotation are split."""
    firsts = [run[0].start for run in runs]
    lasts = [run[-1].start for run in runs]
    touched: set[int] = set()
    for quote in quotes:  # the runs with a first word before its end, a last one inside or after
        touched.update(range(bisect.bisect_left(lasts, quote.start), bisect.bisect_left(firsts, quote.end)))
    if not touched:
        return runs
    kept: list[list[Token]] = []
    for index, run in enumerate(runs):
        if index in touched:
            kept.extend(_split_at_quotes(run, quotes))
        else:
            kept.append(run)
    return kept


def _split_at_quotes(run: list[Token], quotes: Quotations) -> Iterator[list[Token]]:
    """The parts of a word run outside quotation marks."""
    part: list[Token] = []
    for token in run:
        if quotes.contains(token.start):
            if part:
                yield part
            part = []
        else:
            part.append(token)
    if part:
        yield part


#: A letter in the text and no capital first: with ``is_stop`` false, a lower-case content word.
_LOWER_CONTENT = TextFacts(lambda text: HAS_LETTER[text] and not text[:1].isupper())


class _HedgeCover:
    """Answers "is this span inside a hedge?" for the hedging lexicon's phrases (RL2xx)."""

    def __init__(self, document: Document | None) -> None:
        spans = sorted(_hedge_spans(document)) if document is not None else []
        self._starts = [start for start, _ in spans]
        self._reach: list[int] = []  # the furthest end of any hedge starting at or before
        for _, end in spans:
            self._reach.append(max(end, self._reach[-1] if self._reach else end))

    def contains(self, start: int, end: int) -> bool:
        return self.reach(start) >= end

    def reach_all(self, starts: Sequence[int]) -> list[int]:
        """:meth:`reach` of each of these offsets (the tokens' starts)."""
        if not self._starts:
            return [-1] * len(starts)
        reach = [-1, *self._reach]
        return [reach[i] for i in map(bisect.bisect_right, repeat(self._starts), starts)]

    def reach(self, start: int) -> int:
        """The furthest end of a hedge starting at or before ``start``; -1 if none."""
        i = bisect.bisect_right(self._starts, start) - 1
        return self._reach[i] if i >= 0 else -1


def _hedge_spans(document: Document) -> list[tuple[int, int]]:
    from redline.ruledata import load_rule_toml
    from redline.rules.hedging.lexicon import family_lexicon, find_occurrences

    spans = []
    for family in load_rule_toml("hedges.toml")["families"]:
        for occurrence in find_occurrences(document, family_lexicon(family), include_quotes=True):
            spans.append((occurrence.start, occurrence.end))
    return spans


def _words(document: Document, span: tuple[int, int]) -> int:
    return len(phrase_text(document, *span).split())


def _non_overlapping(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


RULES = [RepeatedPhrase]
