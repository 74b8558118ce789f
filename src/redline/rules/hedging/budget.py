"""The budget every phrase-family rule shares: early uses are free, overuse is one finding.

A phrase may appear ``max(allowance, density x words / 1,000)`` times in a document. Past
that, the rule reports ONE finding, at the first use over budget, with every use as a
related location. The family as a whole has the budget ``max(min-count, density x words
/ 1,000)``; it is reported only when the family stays over budget even with each phrase
cut back to its own budget, so one overused phrase is never reported twice.
"""

from __future__ import annotations

import bisect
import difflib
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from redline.analysis import normalize_sentence
from redline.document import Document
from redline.findings import Finding, Related
from redline.rules.base import Rule, RuleContext
from redline.rules.hedging.lexicon import (
    Occurrence,
    compile_phrase,
    family_data,
    family_lexicon,
    find_occurrences,
)


@dataclass(frozen=True)
class BudgetOptions:
    #: Uses of any one phrase allowed per document (more in long documents, see density).
    allowance: int = 2
    #: Uses of the whole family allowed per 1,000 words.
    density: float = 4.0
    #: The family is never over budget with this many uses or fewer.
    min_count: int = 5
    #: Also count phrases inside quotation marks and blockquotes.
    include_quotes: bool = False
    #: One finding per use instead of one per overused phrase (``--verbose`` does the same).
    report_each: bool = False
    #: More phrases for this family, in the syntax of ``rules/hedges.toml``.
    extra_phrases: list[str] = field(default_factory=list)
    #: Phrases of the built-in list not to look for, written exactly as in the list.
    ignore_phrases: list[str] = field(default_factory=list)


def spoken(text: str) -> str:
    return " ".join(text.split())


class PhraseBudgetRule(Rule[BudgetOptions]):
    """Base of the RL2xx rules; subclasses set ``lexicon_family`` and ``noun``."""

    #: The phrase family in ``rules/hedges.toml`` (not :attr:`Rule.family`, the name's prefix).
    lexicon_family: ClassVar[str] = ""
    #: What one phrase of the family is called in messages, plural with an "s".
    noun: ClassVar[str] = ""
    Options = BudgetOptions

    def option_problems(self, options: Any) -> Iterator[tuple[str, str]]:
        # A bad extra-phrases pattern stays a notice at run time (the rule runs without it).
        known = set(family_data(self.lexicon_family)["phrases"])
        for phrase in options.ignore_phrases:
            if phrase not in known:
                close = difflib.get_close_matches(phrase, sorted(known), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                yield "ignore-phrases", f"{phrase!r} is not in the built-in list{hint}"

    def check(self, document: Document, ctx: RuleContext[BudgetOptions]) -> Iterator[Finding]:
        options: Any = ctx.options
        extra = []
        for pattern in options.extra_phrases:
            try:
                compile_phrase(pattern)
            except ValueError as error:
                ctx.services.notice(f"{self.code} extra-phrases: {error}; skipped")
                continue
            extra.append(pattern)
        lexicon = family_lexicon(self.lexicon_family, tuple(extra), tuple(options.ignore_phrases))
        occurrences = find_occurrences(document, lexicon, include_quotes=options.include_quotes)
        occurrences = [o for o in _first_copies(document, occurrences) if self.counts(document, o)]
        if not occurrences:
            return
        words = max(sum(s.word_count for s in document.sentence_spans), 1)  # counted once per document
        if options.report_each or ctx.verbose:
            yield from self._each(occurrences, words, options)
        else:
            yield from self._over_budget(occurrences, words, options)

    def counts(self, document: Document, occurrence: Occurrence) -> bool:
        """Whether a match is a use of the family here (a subclass may rule some out)."""
        return True

    def _budgets(self, words: int, options: Any) -> tuple[int, int]:
        scaled = math.floor(options.density * words / 1000)
        return max(options.allowance, scaled), max(options.min_count, scaled)

    def _each(self, occurrences: list[Occurrence], words: int, options: Any) -> Iterator[Finding]:
        phrase_budget, _ = self._budgets(words, options)
        groups = _by_phrase(occurrences)
        for phrase_uses in groups.values():
            for number, use in enumerate(phrase_uses, 1):
                yield self.finding(
                    use.start,
                    use.end,
                    f"{self.noun.capitalize()} '{spoken(use.text)}' "
                    f"({number} of {len(phrase_uses)}; budget {phrase_budget})",
                )

    def _over_budget(self, occurrences: list[Occurrence], words: int, options: Any) -> Iterator[Finding]:
        phrase_budget, family_budget = self._budgets(words, options)
        within: list[Occurrence] = []
        for phrase_uses in _by_phrase(occurrences).values():
            within.extend(phrase_uses[:phrase_budget])
            if len(phrase_uses) > phrase_budget:
                first_over = phrase_uses[phrase_budget]
                yield self.finding(
                    first_over.start,
                    first_over.end,
                    f"{_forms(phrase_uses)} {len(phrase_uses)} times ({per_thousand(len(phrase_uses), words)} per 1,000 words; "
                    f"budget {phrase_budget})",
                    related=related_uses(phrase_uses),
                )
        if len(within) > family_budget:
            first_over = occurrences[family_budget]
            yield self.finding(
                first_over.start,
                first_over.end,
                f"{self.noun.capitalize()}s {len(occurrences)} times in all "
                f"({per_thousand(len(occurrences), words)} per 1,000 words; budget {family_budget})",
                related=related_uses(occurrences),
            )


def _forms(uses: list[Occurrence]) -> str:
    """The phrase as written, most used form first: "'is expected to' (or 'are expected
    to')" when one phrase of the lexicon matched in several forms."""
    counts = Counter(spoken(use.text).lower() for use in uses)
    forms = [form for form, _ in counts.most_common()]
    if len(forms) == 1:
        return f"'{forms[0]}'"
    return f"'{forms[0]}' (or " + ", ".join(f"'{form}'" for form in forms[1:]) + ")"


#: A sentence this short ("It may fail.") may recur without being a template.
_TEMPLATE_WORDS = 5


def _first_copies(document: Document, occurrences: list[Occurrence]) -> list[Occurrence]:
    """The uses, less those in a sentence that repeats an earlier one word for word: a
    note pasted under every entry ("This variable may appear to be global but is not.")
    is one use of a template, not one more hedge each time (RL101 judges the repeat)."""
    sentences = [s for s in document.sentence_spans if s.word_count >= _TEMPLATE_WORDS]
    starts = [s.start for s in sentences]
    seen: dict[str, int] = {}
    kept = []
    for occurrence in occurrences:
        i = bisect.bisect_right(starts, occurrence.start) - 1
        if i >= 0 and occurrence.start < sentences[i].end:
            key = normalize_sentence(document.text[sentences[i].start : sentences[i].end])
            if seen.setdefault(key, i) != i:
                continue
        kept.append(occurrence)
    return kept


def _by_phrase(occurrences: list[Occurrence]) -> dict[str, list[Occurrence]]:
    groups: dict[str, list[Occurrence]] = {}
    for occurrence in occurrences:
        groups.setdefault(occurrence.phrase.pattern, []).append(occurrence)
    return groups


def related_uses(uses: list[Occurrence]) -> list[Related]:
    return [
        Related(u.start, u.end, f"'{spoken(u.text)}' ({i} of {len(uses)})") for i, u in enumerate(uses, 1)
    ]


def per_thousand(count: int, words: int) -> str:
    return f"{count * 1000 / words:.1f}"
