"""RL306: passive voice over budget."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from redline.analysis import Token
from redline.document import Document
from redline.findings import Finding, Related
from redline.ruledata import load_rule_toml
from redline.rules.base import Rule, RuleContext

_BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "am", "'s", "'re", "'m"})
#: Words that may stand between "be" and the participle: "is not often used".
_BETWEEN = frozenset(
    {
        "not",
        "n't",
        "also",
        "often",
        "never",
        "always",
        "already",
        "still",
        "just",
        "now",
        "then",
        "all",
        "both",
        "each",
        "rarely",
        "seldom",
        "sometimes",
        "usually",
        "being",
        "been",
        "be",
    }
)
_MAX_BETWEEN = 3


@dataclass(frozen=True)
class PassiveVoiceOptions:
    #: Passives allowed per document however short it is.
    allowance: int = 3
    #: Passives allowed per 1,000 words.
    density: float = 10.0
    #: One finding per passive instead of one for the document (``--verbose`` does the same).
    report_each: bool = False


@cache
def _participle_lists() -> tuple[frozenset[str], frozenset[str]]:
    data = load_rule_toml("participles.toml")["participles"]
    return frozenset(data["irregular"]), frozenset(data["not-participles"])


def is_participle(token: Token) -> bool:
    if token.tag:  # a trained pipeline tagged it
        return token.tag == "VBN"
    word = token.lower
    irregular, not_participles = _participle_lists()
    if word in irregular:
        return True
    return word.endswith("ed") and len(word) > 3 and word.isalpha() and word not in not_participles


def passives(tokens: tuple[Token, ...]) -> Iterator[tuple[int, int]]:
    """(start, end) of each "be" + optional adverbs + past participle in a sentence."""
    i = 0
    while i < len(tokens):
        end = _participle_after(tokens, i) if tokens[i].lower.replace("’", "'") in _BE else None
        if end is None:
            i += 1
            continue
        yield tokens[i].start, tokens[end].end
        i = end + 1


def _participle_after(tokens: tuple[Token, ...], be: int) -> int | None:
    for j in range(be + 1, min(len(tokens), be + 2 + _MAX_BETWEEN)):
        if is_participle(tokens[j]):
            return j
        word = tokens[j].lower.replace("’", "'")
        if not (word in _BETWEEN or (word.endswith("ly") and word.isalpha())):
            return None
    return None


class PassiveVoice(Rule[PassiveVoiceOptions]):
    """Passive voice used too often.

    "The report was written" hides who wrote it, and a text full of passives reads as
    evasive and slow. A passive now and then is fine (the actor may be unknown or beside
    the point), so passives have a budget like hedges: ``allowance`` per document or
    ``density`` per 1,000 words, whichever is more. Over budget, one finding at the first
    passive over budget lists every one. A passive is a form of "be", up to three adverbs,
    then a past participle: with spaCy's blank pipeline, an irregular participle from
    ``rules/participles.toml`` or an "-ed" word; with a trained pipeline
    (``spacy-model``), a word tagged VBN. Adjectives that look like participles ("is
    tired") count too; hence the budget.

    Off by default: reference documentation is passive by nature (a median of 35
    passives per 1,000 words in the project's corpus of CMake and Node.js docs).

    Bad::

        The plan was approved. The budget was cut. The staff were told. Mistakes were made.

    Good::

        The board approved the plan and cut the budget. The director told the staff that
        she had made mistakes.

    Options:

    - ``allowance`` (int, default 3): passives allowed in any document.
    - ``density`` (float, default 10.0): passives allowed per 1,000 words.
    - ``report-each`` (bool, default false): one finding per passive (``--verbose`` does
      the same).
    """

    code = "RL306"
    name = "readability.passive-voice"
    default_enabled = False
    Options = PassiveVoiceOptions

    def check(self, document: Document, ctx: RuleContext[PassiveVoiceOptions]) -> Iterator[Finding]:
        options: PassiveVoiceOptions = ctx.options
        text = document.prose  # quoted in messages: markup inside the span left out
        found = [span for sentence in document.sentences for span in passives(sentence.tokens)]
        words = max(document.analysis.word_count, 1)
        budget = max(options.allowance, math.floor(options.density * words / 1000))
        quoted = [" ".join(text[s:e].split()) for s, e in found]
        if options.report_each or ctx.verbose:
            for number, ((start, end), phrase) in enumerate(zip(found, quoted, strict=True), 1):
                yield self.finding(
                    start, end, f"Passive voice '{phrase}' ({number} of {len(found)}; budget {budget})"
                )
        elif len(found) > budget:
            start, end = found[budget]
            yield self.finding(
                start,
                end,
                f"Passive voice {len(found)} times ({len(found) * 1000 / words:.1f} per 1,000 words; "
                f"budget {budget})",
                related=[
                    Related(s, e, f"'{phrase}' ({n} of {len(found)})")
                    for n, ((s, e), phrase) in enumerate(zip(found, quoted, strict=True), 1)
                ],
            )


RULES = [PassiveVoice]
