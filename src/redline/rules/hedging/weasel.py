"""RL202: weasel attributions over budget."""

from __future__ import annotations

from dataclasses import dataclass

from redline.rules.hedging.budget import BudgetOptions, PhraseBudgetRule


@dataclass(frozen=True)
class WeaselOptions(BudgetOptions):
    allowance: int = 1
    density: float = 2.0
    min_count: int = 3


class Weasel(PhraseBudgetRule):
    """Weasel attribution used too often.

    "Some say", "experts agree", "it is believed that", "research has shown": the claim
    is credited to no one the reader can check. Name the source instead. Weasel
    attributions have a budget (one use of each phrase by default); over it, one finding
    at the first use over budget lists every use. The phrases are in ``rules/hedges.toml``
    (family ``weasel``), with their sources (Wikipedia's "Words to watch", the CoNLL-2010
    weasel cues). Code, quotations and blockquotes are not searched.

    Bad::

        Experts agree that the bridge is safe. Experts say the repairs can wait.

    Good::

        The city's chief engineer, Ana Ruiz, said the bridge is safe and the repairs can
        wait.

    Options:

    - ``allowance`` (int, default 1): uses of any one phrase allowed per document.
    - ``density`` (float, default 2.0): uses of the family allowed per 1,000 words.
    - ``min-count`` (int, default 3): the family is never over budget with this many uses
      or fewer.
    - ``include-quotes``, ``report-each``, ``extra-phrases``, ``ignore-phrases``: as for
      RL201.
    """

    code = "RL202"
    name = "hedging.weasel"
    lexicon_family = "weasel"
    noun = "weasel attribution"
    Options = WeaselOptions


RULES = [Weasel]
