"""RL201: modal and epistemic hedges over budget."""

from __future__ import annotations

import re
from dataclasses import dataclass

from redline.document import Document
from redline.rules.hedging.budget import BudgetOptions, PhraseBudgetRule
from redline.rules.hedging.lexicon import Occurrence


@dataclass(frozen=True)
class HedgeOptions(BudgetOptions):
    density: float = 10.0


#: "may" of permission, as a specification grants it: "May be set to ON", "the option may
#: be omitted". It commits to the claim; only the epistemic "may" hedges.
_PERMISSION = re.compile(
    r"\s+(?:not\s+|also\s+|then\s+|only\s+)*be\s+(?:set|used|specified|given|passed|provided|omitted|"
    r"overridden|added|enabled|disabled|called|configured|combined|repeated|listed|defined|changed|"
    r"left|installed|included|excluded|supplied|selected|invoked|nested|reused|registered)\b",
    re.IGNORECASE,
)


class Hedge(PhraseBudgetRule):
    """Hedge used too often.

    A hedge ("may", "might", "appears to", "is likely to", "perhaps") marks a claim the
    writer will not fully commit to. One is honest; many make the whole text sound unsure.
    Hedges have a budget: each phrase may appear a few times per document (more in long
    ones), and the family a number of times per 1,000 words. Within budget nothing is
    reported; over it, one finding at the first use over budget lists every use. The
    phrases are in ``rules/hedges.toml`` (family ``hedge``), with their sources (Hyland's
    hedging categories, the CoNLL-2010 uncertainty cues). Code, quotations and blockquotes
    are not searched. The "may" of permission that specifications use ("May be set to
    ON", "the argument may be omitted") is not a hedge, and a sentence pasted word for
    word under several entries counts once (a template, which RL101 judges).

    Bad::

        The update may help. It may also speed up start-up, and it may reduce memory use.

    Good::

        The update speeds up start-up and reduces memory use. It may also help on old
        machines.

    Options:

    - ``allowance`` (int, default 2): uses of any one phrase allowed per document.
    - ``density`` (float, default 10.0): uses of the family allowed per 1,000 words; in a
      long document a phrase may also use up to this many per 1,000 words.
    - ``min-count`` (int, default 5): the family is never over budget with this many uses
      or fewer.
    - ``include-quotes`` (bool, default false): also count quoted text and blockquotes.
    - ``report-each`` (bool, default false): one finding per use (``--verbose`` does the
      same).
    - ``extra-phrases`` (list of strings, default []): more phrases, in the data syntax.
    - ``ignore-phrases`` (list of strings, default []): built-in phrases to leave alone.
    """

    code = "RL201"
    name = "hedging.hedge"
    lexicon_family = "hedge"
    noun = "hedge"
    Options = HedgeOptions

    def counts(self, document: Document, occurrence: Occurrence) -> bool:
        if occurrence.text.lower() != "may":
            return True
        return not _PERMISSION.match(document.text, occurrence.end, occurrence.end + 80)


RULES = [Hedge]
