"""Stacked forecasts: a forecast that predicts again what the sentence right before it predicted.

Padded prose piles expectation on expectation: "The deployment of police is expected to play
a crucial role in strengthening investigative cooperation in Cambodia. Furthermore, the
transfer of investigative know-how is expected to contribute to strengthening Cambodia's
investigative capabilities." The two sentences name different causes, so as whole sentences
they are not one claim (the pair scorer and its cross-encoder say so), and RL102 does not
compare a sentence with the very next one (``min-distance``). What the second one repeats is
the *outcome* it predicts, and that is the claim an editor cuts or merges.

So for two neighbouring sentences that both forecast (the expectation hedges of
``rules/hedges.toml`` that take "to": "is expected to", "are projected to", ...), the
outcomes after the forecast are compared: each is split into its items ("strengthening X and
facilitating Y"), the lead verbs that only say "this will bring about" are dropped
("contribute to", "play a crucial role in", "have a positive impact on"), and each item is
put back into one plain sentence ("It will lead to strengthening X."), the form the pair
scorer was trained on (the cross-encoder misjudges bare phrases). A pair of items is the
same outcome when the pair scorer (features and cross-encoder, the RL102 threshold) says
they make the same claim.

Not on reference pages, where "is expected to" states a requirement ("All paths are
expected to be in cmake-style format."), not a forecast; never with a quotation, which
reports a speaker's forecast rather than padding the writer's.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from redline.document import BlockKind, Document, SentenceSpan
from redline.rules.redundancy.claim_structure import is_reference
from redline.rules.redundancy.claims import is_quotation

if TYPE_CHECKING:
    from redline.embedding import Embedder
    from redline.rules.redundancy.near_duplicate import NearDuplicateOptions

#: The expectation family's forms that take "to" (``rules/hedges.toml``), with an optional
#: adverb ("is widely expected to"): what follows is the predicted outcome.
_FORECAST = re.compile(
    r"\b(?:is|are|was|were|be|been)\s+(?:[a-z]+ly\s+)?"
    r"(?:anticipated|estimated|expected|forecast|poised|predicted|projected|slated)\s+to\s+",
    re.IGNORECASE,
)
#: Lead verbs of an outcome that only say "this will bring about": a noun phrase or a
#: gerund follows them ("contribute to strengthening", "have a positive impact on trade").
_BRINGS_ABOUT = re.compile(
    r"^(?:[a-z]+ly\s+|further\s+)?(?:(?:contribute|lead)\s+to|play\s+an?\s+(?:[\w-]+\s+){0,2}role\s+in|"
    r"have\s+an?\s+(?:[\w-]+\s+){0,2}(?:impact|effect|influence)\s+on|impact|affect|influence)\s+",
    re.IGNORECASE,
)
#: Where one outcome item ends and the next begins.
_ITEM_BREAK = re.compile(r",?\s+and\s+|,\s+|;\s+", re.IGNORECASE)
#: Items with fewer words are no claim of their own ("be 활성화").
MIN_ITEM_WORDS = 3


def outcome_items(sentence: str) -> list[str]:
    """The effects a forecast predicts, each as one plain sentence ([] when it forecasts no
    effect): "X is expected to contribute to strengthening Y and facilitating Z." gives
    ["It will lead to strengthening Y.", "It will lead to facilitating Z."].

    Only effects count: an item that opens with a lead verb saying "this will bring about"
    ("contribute to", "play a role in", "positively impact"), or a gerund after such an item
    ("and facilitating Z"). In "Sales are expected to rise 5%" the outcome is the subject's
    own, so "Profits are expected to rise 5%" is another claim; an effect names what it acts
    on, and the cause can change while the claim stays."""
    forecast = _FORECAST.search(sentence)
    if forecast is None:
        return []
    outcome = sentence[forecast.end() :].strip().rstrip(".!?").strip()
    items = []
    effect = False  # an earlier item was an effect
    for item in _ITEM_BREAK.split(outcome):
        lead = _BRINGS_ABOUT.match(item)
        rest = item[lead.end() :] if lead else item
        words = rest.split() or [""]
        head = (
            words[1]
            if len(words) > 1 and (words[0].lower() == "further" or words[0].endswith("ly"))
            else words[0]
        )
        if lead is None and not (effect and head.lower().endswith("ing")):
            continue
        effect = True
        if len(words) >= MIN_ITEM_WORDS:
            items.append(f"It will lead to {rest}.")
    return items


@dataclass(frozen=True)
class StackedForecast:
    document: int
    sentence: SentenceSpan  # the later forecast
    previous: SentenceSpan  # the forecast right before it
    outcome: str  # the outcome both predict, as the earlier sentence words it
    score: float  # the pair scorer's for the two outcome items


def find_stacked_forecasts(
    documents: list[Document], embedder: Embedder, options: NearDuplicateOptions
) -> list[StackedForecast]:
    """Sentences that forecast an outcome the sentence right before them forecast."""
    from redline.rules.redundancy.claim_search import pair_scores, same_claim_threshold

    found: list[tuple[int, SentenceSpan, SentenceSpan, list[str], list[str]]] = []
    for number, document in enumerate(documents):
        if is_reference(document):
            continue
        spans = document.sentence_spans
        items = [outcome_items(" ".join(document.text[span.start : span.end].split())) for span in spans]
        for k in range(1, len(spans)):
            previous, sentence = spans[k - 1], spans[k]
            if not (items[k - 1] and items[k]):
                continue
            if BlockKind.HEADING in (
                document.blocks[previous.block].kind,
                document.blocks[sentence.block].kind,
            ):
                continue
            if document.section_of(previous.start) != document.section_of(sentence.start):
                continue
            if any(
                is_quotation(document, span.block, document.prose[span.start : span.end])
                for span in (previous, sentence)
            ):
                continue  # a speaker's forecast, reported: not the writer's padding
            found.append((number, sentence, previous, items[k - 1], items[k]))
    if not found:
        return []
    texts = sorted({text for *_, earlier, later in found for text in (*earlier, *later)})
    index = {text: k for k, text in enumerate(texts)}
    vectors = embedder.encode(texts)
    units = [(k, text) for k, text in enumerate(texts)]
    pairs = [
        (index[a], index[b], index[a], index[b], float(vectors[index[a]] @ vectors[index[b]]))
        for *_, earlier, later in found
        for a, b in itertools.product(earlier, later)
    ]
    threshold = same_claim_threshold(options)
    scores = pair_scores(units, pairs, embedder, options)
    by_pair = {(u, v): score for (_, _, u, v, _), score in zip(pairs, scores, strict=True)}
    result = []
    for number, sentence, previous, earlier, later in found:
        score, outcome = max((by_pair[(index[a], index[b])], a) for a, b in itertools.product(earlier, later))
        if score >= threshold:
            result.append(StackedForecast(number, sentence, previous, _as_written(outcome), score))
    return result


def _as_written(item: str) -> str:
    """The outcome without the plain sentence around it."""
    return item.removeprefix("It will lead to ").removesuffix(".")
