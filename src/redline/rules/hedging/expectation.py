"""RL204: expectation and interpretation hedges over budget."""

from __future__ import annotations

from dataclasses import dataclass

from redline.rules.hedging.budget import BudgetOptions, PhraseBudgetRule


@dataclass(frozen=True)
class ExpectationOptions(BudgetOptions):
    density: float = 2.0
    min_count: int = 4


class ExpectationHedge(PhraseBudgetRule):
    """Expectation hedge used too often.

    "Is expected to", "is anticipated", "is interpreted as", "is poised to": an unnamed
    someone expects or interprets, and the writer neither commits to the claim nor says
    whose it is. News copy repeats these until every sentence is a forecast. Expectation
    hedges have a budget; over it, one finding at the first use over budget lists every
    use, e.g. "'is expected to' (or 'are expected to') 16 times (16.7 per 1,000 words; budget 2)". The phrases
    are in ``rules/hedges.toml`` (family ``expectation``), with their sources (Hyland's
    writer-oriented hedges, Wikipedia's "Words to watch"). Code, quotations and
    blockquotes are not searched.

    Bad::

        The deal is expected to lift exports. It is expected to create jobs, and prices
        are expected to fall.

    Good::

        The trade ministry forecasts that the deal will lift exports by 4% and create
        12,000 jobs. It is expected to cut prices.

    Options:

    - ``allowance`` (int, default 2): uses of any one phrase allowed per document.
    - ``density`` (float, default 2.0): uses of the family allowed per 1,000 words.
    - ``min-count`` (int, default 4): the family is never over budget with this many uses
      or fewer.
    - ``include-quotes``, ``report-each``, ``extra-phrases``, ``ignore-phrases``: as for
      RL201.
    """

    code = "RL204"
    name = "hedging.expectation"
    lexicon_family = "expectation"
    noun = "expectation hedge"
    Options = ExpectationOptions


RULES = [ExpectationHedge]
