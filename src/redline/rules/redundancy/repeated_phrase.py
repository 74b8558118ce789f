"""RL103: the same phrase of three or more words, over and over in one document."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from redline.analysis import Token
from redline.document import Document
from redline.findings import Finding, Related
from redline.rules.base import Rule, RuleContext
from redline.rules.redundancy.phrases import SpanSet, allowance, is_content, phrase_text, word_runs


@dataclass(frozen=True)
class RepeatedPhraseOptions:
    #: Shortest phrase counted, in words.
    min_words: int = 3
    #: Longest phrase counted, in words (longer repeats are reported by their first words).
    max_words: int = 8
    #: Uses of one phrase allowed per document.
    budget: int = 3
    #: In long documents, this many uses per 1,000 words are allowed (when more than ``budget``).
    budget_per_1000_words: float = 3.0
    #: Leave hedges ("is expected to") to the hedging rules, which budget them already.
    skip_hedges: bool = True


class RepeatedPhrase(Rule):
    """Phrase repeated too often.

    A phrase of three or more words that keeps coming back ("between the two
    countries" eight times in one article) reads as padding and tells the reader the
    writer ran out of words. A phrase counts only if it has a lower-case content word:
    stop words alone ("as well as the") and names ("Prime Minister Hun Manet") do not
    count; words must be adjacent in one sentence. Each over-used phrase is reported
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
    """

    code = "RL103"
    name = "redundancy.repeated-phrase"
    Options = RepeatedPhraseOptions

    def check(self, document: Document, ctx: RuleContext) -> Iterator[Finding]:
        options: RepeatedPhraseOptions = ctx.options
        runs = list(word_runs(document))
        hedges = _HedgeCover(document if options.skip_hedges else None)
        allowed = allowance(options.budget, options.budget_per_1000_words, sum(len(r) for r in runs))
        uses = _repeated_ngrams(runs, hedges, options.min_words, options.max_words, allowed)
        # Most repeated text (uses x words) first: "between the two countries" 8 times goes
        # before "the two countries" 9 times, whose uses are then taken.
        over = sorted(
            (spans for spans in uses.values() if len(spans) > allowed),
            key=lambda spans: (-len(spans) * _words(document, spans[0]), spans[0]),
        )
        taken = SpanSet()
        findings: list[Finding] = []
        for spans in over:
            fresh = _non_overlapping([s for s in spans if not taken.overlaps(*s)])
            if len(fresh) > allowed:
                findings.append(self._finding(document, fresh, allowed))
                for span in fresh:
                    taken.add(*span)
        yield from findings

    def _finding(self, document: Document, spans: list[tuple[int, int]], allowed: int) -> Finding:
        start, end = spans[allowed]
        phrase = phrase_text(document, *spans[0]).lower()
        return self.finding(
            start,
            end,
            f"Phrase '{phrase}' used {len(spans)} times (budget {allowed})",
            related=[Related(s, e, "another use") for s, e in spans if (s, e) != (start, end)],
        )


def _repeated_ngrams(
    runs: list[list[Token]], hedges: _HedgeCover, shortest: int, longest: int, allowed: int
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """The spans of each phrase of ``shortest`` to ``longest`` words used more than ``allowed``
    times, in document order, keyed by (length, phrase id).

    A phrase counts where it has a lower-case content word, does not start inside a word
    ("'s value is") and is not inside a hedge. Counting runs over integer ids in numpy:
    each word type gets an id, and the phrases of length n get ids from the pairs (id of
    the first n-1 words, id of the last word), so no tuple of strings is built.
    """
    tokens = [token for run in runs for token in run]
    count = len(tokens)
    if count < shortest:
        return {}
    types: dict[str, int] = {}
    ids = np.fromiter((types.setdefault(t.lower, len(types)) for t in tokens), np.int64, count)
    starts = np.fromiter((t.start for t in tokens), np.int64, count)
    ends = np.fromiter((t.end for t in tokens), np.int64, count)
    content = np.fromiter((is_content(t) and not t.text[:1].isupper() for t in tokens), np.int64, count)
    counted = np.concatenate(([0], np.cumsum(content)))  # prefix counts of content words
    inside_word = np.fromiter((t.text[:1] in "'’" for t in tokens), bool, count)
    run_end = np.repeat(np.cumsum([len(r) for r in runs]), [len(r) for r in runs])
    width = len(types) + 1
    keys = ids
    uses: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for length in range(1, longest + 1):
        if length > 1:
            # ids of the n-grams starting at 0 .. count - length, from the (n-1)-gram ids
            _, keys = np.unique(keys[:-1] * width + ids[length - 1 :], return_inverse=True)
        positions = count - length + 1
        if positions <= 0:
            break
        if length < shortest:
            continue
        index = np.arange(positions)
        valid = (
            (run_end[:positions] - index >= length)
            & (counted[length : length + positions] > counted[:positions])
            & ~inside_word[:positions]
        )
        valid &= ~hedges.contains_all(starts[:positions], ends[length - 1 : length - 1 + positions])
        at = np.flatnonzero(valid)
        _, inverse, times = np.unique(keys[at], return_inverse=True, return_counts=True)
        over = times[inverse] > allowed
        for position, key in zip(at[over].tolist(), keys[at[over]].tolist(), strict=True):
            span = (int(starts[position]), int(ends[position + length - 1]))
            uses.setdefault((length, key), []).append(span)
    return uses


class _HedgeCover:
    """Answers "is this span inside a hedge?" for the hedging lexicon's phrases (RL2xx)."""

    def __init__(self, document: Document | None) -> None:
        spans = sorted(_hedge_spans(document)) if document is not None else []
        self._starts = [start for start, _ in spans]
        self._reach: list[int] = []  # the furthest end of any hedge starting at or before
        for _, end in spans:
            self._reach.append(max(end, self._reach[-1] if self._reach else end))

    def contains(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start) - 1
        return i >= 0 and self._reach[i] >= end

    def contains_all(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """:meth:`contains` for each (start, end) pair, as a boolean array."""
        if not self._starts:
            return np.zeros(len(starts), bool)
        i = np.searchsorted(np.asarray(self._starts), starts, side="right") - 1
        reach = np.asarray(self._reach)[np.maximum(i, 0)]
        return (i >= 0) & (reach >= ends)


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
