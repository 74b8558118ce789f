"""RL203: weakening intensifiers over budget."""

from __future__ import annotations

from dataclasses import dataclass

from redline.rules.hedging.budget import BudgetOptions, PhraseBudgetRule


@dataclass(frozen=True)
class IntensifierOptions(BudgetOptions):
    allowance: int = 2
    density: float = 4.0


class Intensifier(PhraseBudgetRule):
    """Intensifier used too often.

    "Very", "greatly", "significantly", "extremely" ask the reader to take the emphasis on
    trust, and used often they weaken what they modify: "very important" soon reads as
    "important". Give the number or the fact instead. Intensifiers have a budget; over it,
    one finding at the first use over budget lists every use. The words are in
    ``rules/hedges.toml`` (family ``intensifier``), with their sources (Strunk and White,
    Quirk et al.'s amplifiers and downtoners). Code, quotations and blockquotes are not
    searched.

    Bad::

        The new index is very fast. Queries are very short and the cache is very small.

    Good::

        The new index answers in 3 ms. Queries are short and the cache fits in 2 MB.

    Options:

    - ``allowance`` (int, default 2): uses of any one word allowed per document.
    - ``density`` (float, default 4.0): uses of the family allowed per 1,000 words.
    - ``min-count`` (int, default 5): the family is never over budget with this many uses
      or fewer.
    - ``include-quotes``, ``report-each``, ``extra-phrases``, ``ignore-phrases``: as for
      RL201.
    """

    code = "RL203"
    name = "hedging.intensifier"
    lexicon_family = "intensifier"
    noun = "intensifier"
    Options = IntensifierOptions


RULES = [Intensifier]
