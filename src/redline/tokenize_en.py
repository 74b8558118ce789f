"""spaCy's blank English tokenizer and sentencizer, in plain Python, without importing spaCy.

Importing spaCy and building ``spacy.blank("en")`` costs about 1.2 s of a one-file run
(numpy, thinc, pydantic, the pipeline registry, compiling the tokenizer's regexes). The
default analysis needs none of it: the blank English pipeline is a rule-based tokenizer
(prefix, suffix and infix regexes, a URL pattern and about 1,300 special cases) followed
by the rule-based sentencizer. This module runs the same algorithm, ported line by line
from spaCy's ``tokenizer.pyx`` (``_tokenize_affixes``, ``_split_affixes``,
``_attach_tokens``, ``_apply_special_cases``) and ``sentencizer.pyx``, on the same rules.

The rules are spaCy's own, as JSON: ``tokenize_en.json`` holds those of the spaCy version
redline is built with (``python -m redline.tokenize_en`` rewrites it); with any other
installed version they are read from spaCy once (that run imports spaCy) and stored in
redline's cache folder, keyed by spaCy's version. So they always match the installed spaCy.
``REDLINE_TOKENIZER=spacy`` makes redline use spaCy itself (a configured ``spacy-model``
always does).

Every finding on the seed article, the news corpus and the docs corpus is the same as
with spaCy (``tests/test_tokenize_en.py`` compares the two on text built to hit every
branch).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Bumped when the stored data's layout or meaning changes.
DATA_FORMAT = 1

_RUNS = re.compile(r"\s+|\S+")

#: A figure with a unit glued to its full stop: "400m.", "£349m.", "5kg.", "5 p.m." (the
#: tokenizer keeps "m." as one abbreviation token, so the sentencizer sees no full stop).
UNIT_STOP = re.compile(r"^(?:\d[\d.,]*)?(?:[a-zA-Z]{1,3}|[ap]\.m)\.$")
#: Abbreviations that do not end a sentence before a number or a lower-case word.
NOT_FINAL = frozenset(
    {"fig", "figs", "no", "nos", "vol", "p", "pp", "ch", "sec", "eq", "approx", "cf", "vs", "e.g", "i.e"}
)  # \s is Py_UNICODE_ISSPACE, the same test as str.isspace


def _spacy_version_stamp() -> str | None:
    """spaCy's version, read from its ``about.py`` without importing spaCy."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("spacy")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    about = Path(next(iter(spec.submodule_search_locations))) / "about.py"
    try:
        text = about.read_text("utf-8")
    except OSError:
        return None
    match = re.search(r"""__version__\s*=\s*["']([^"']+)""", text)
    return match.group(1) if match else None


def extract_from_spacy() -> dict[str, Any]:
    """The blank English pipeline's tokenizer and sentencizer settings, read from spaCy."""
    from redline.fastimport import import_spacy

    spacy = import_spacy()
    from spacy.attrs import ORTH, intify_attrs
    from spacy.pipeline import Sentencizer

    nlp = spacy.blank("en")
    tokenizer = nlp.tokenizer
    strings = nlp.vocab.strings

    def pattern(function: Any) -> list[Any] | None:
        if function is None:
            return None
        compiled = function.__self__
        return [compiled.pattern, compiled.flags]

    rules: dict[str, list[str]] = {}
    for chunk, specs in tokenizer.rules.items():
        orths = []
        for spec in specs:
            value = intify_attrs(spec, strings_map=strings, _do_deprecated=True)[ORTH]
            orths.append(strings[value] if isinstance(value, int) else value)
        rules[chunk] = orths
    return {
        "format": DATA_FORMAT,
        "spacy": spacy.__version__,
        "prefix": pattern(tokenizer.prefix_search),
        "suffix": pattern(tokenizer.suffix_search),
        "infix": pattern(tokenizer.infix_finditer),
        "token_match": pattern(tokenizer.token_match),
        "url_match": pattern(tokenizer.url_match),
        "faster_heuristics": bool(tokenizer.faster_heuristics),
        "rules": rules,
        "stop_words": sorted(nlp.Defaults.stop_words),
        "punct_chars": sorted(Sentencizer.default_punct_chars),
    }


def _data_path(version: str) -> Path:
    from redline.services import default_cache_dir

    stamp = hashlib.sha256(f"{DATA_FORMAT}:{version}".encode()).hexdigest()[:16]
    return default_cache_dir() / "tokenizer" / f"en-{stamp}.json"


#: The settings of the spaCy version redline is built with, shipped so that the first run
#: on a machine does not import spaCy either; written by ``python -m redline.tokenize_en``.
SHIPPED = Path(__file__).with_name("tokenize_en.json")


def load_data() -> dict[str, Any]:
    """The settings for the installed spaCy: shipped, stored, or extracted (and stored)."""
    version = _spacy_version_stamp()
    try:
        shipped: dict[str, Any] = json.loads(SHIPPED.read_text("utf-8"))
        if version and shipped.get("format") == DATA_FORMAT and shipped.get("spacy") == version:
            return shipped
    except (OSError, ValueError):
        pass
    path = _data_path(version) if version else None
    if path is not None:
        try:
            raw: dict[str, Any] = json.loads(path.read_text("utf-8"))
            if raw.get("format") == DATA_FORMAT and raw.get("spacy") == version:
                return raw
        except (OSError, ValueError):
            pass
    raw = extract_from_spacy()
    if path is not None and raw["spacy"] == version:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only cache folder: extract again next time
    return raw


def _compile(source: list[Any] | None, method: str) -> Callable[..., Any] | None:
    if source is None:
        return None
    return getattr(re.compile(source[0], source[1]), method)  # type: ignore[no-any-return]


class EnglishTokenizer:
    """``spacy.blank("en")``'s tokenizer: ``tokens(text)`` gives (offset, text) pairs."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.prefix_search = _compile(raw["prefix"], "search")
        self.suffix_search = _compile(raw["suffix"], "search")
        self.infix_finditer = _compile(raw["infix"], "finditer")
        self.token_match = _compile(raw["token_match"], "match")
        self.url_match = _compile(raw["url_match"], "match")
        self.specials: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in raw["rules"].items()}
        self._cache: dict[str, tuple[str, ...]] = {}
        self._patterns: dict[str, list[tuple[str, ...]]] | None = None
        self._faster_heuristics = bool(raw["faster_heuristics"])

    # -- spaCy's Tokenizer.find_prefix / find_suffix / find_infix
    def find_prefix(self, string: str) -> int:
        if self.prefix_search is None:
            return 0
        match = self.prefix_search(string)
        return (match.end() - match.start()) if match is not None else 0

    def find_suffix(self, string: str) -> int:
        if self.suffix_search is None:
            return 0
        match = self.suffix_search(string)
        return (match.end() - match.start()) if match is not None else 0

    def find_infix(self, string: str) -> list[Any]:
        if self.infix_finditer is None:
            return []
        return list(self.infix_finditer(string))

    @property
    def patterns(self) -> dict[str, list[tuple[str, ...]]]:
        """The special-case matcher's phrases (``add_special_case``), by their first token."""
        if self._patterns is None:
            patterns: dict[str, list[tuple[str, ...]]] = {}
            seen: set[tuple[str, ...]] = set()
            for string in sorted(self.specials):
                if (
                    not self._faster_heuristics
                    or self.find_prefix(string)
                    or self.find_infix(string)
                    or self.find_suffix(string)
                    or " " in string
                ):
                    phrase = tuple(text for _, text in self._tokenize_affixes(string, False))
                    if phrase and phrase not in seen:
                        seen.add(phrase)
                        patterns.setdefault(phrase[0], []).append(phrase)
            self._patterns = patterns
        return self._patterns

    def tokens(self, string: str) -> list[tuple[int, str]]:
        """The tokens of ``string`` (whitespace tokens included), as spaCy makes them."""
        return self._apply_special_cases(string, self._tokenize_affixes(string, True))

    # -- ported from spaCy's tokenizer.pyx
    def _tokenize_affixes(self, string: str, with_special_cases: bool) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        if not string:
            return out
        # the chunks: each run of non-space characters and each run of spaces, where a
        # space run opening with " " loses that " " (the token before it owns it)
        specials, cache = (self.specials, self._cache) if with_special_cases else ({}, {})
        start = 0
        length = len(string)
        for run in _RUNS.finditer(string):
            i = run.start()
            if i == 0:
                continue
            if start < i:
                self._chunk(string, start, i, with_special_cases, specials, cache, out)
            start = i + 1 if string[i] == " " else i
        if start < length:
            self._chunk(string, start, length, with_special_cases, specials, cache, out)
        return out

    def _chunk(
        self,
        string: str,
        start: int,
        end: int,
        with_special_cases: bool,
        specials: dict[str, tuple[str, ...]],
        cache: dict[str, tuple[str, ...]],
        out: list[tuple[int, str]],
    ) -> None:
        span = string[start:end]
        texts = specials.get(span) or cache.get(span)
        if texts is None:
            texts = self._tokenize(span, with_special_cases)
            if with_special_cases:
                cache[span] = texts
        if len(texts) == 1:
            out.append((start, span))
            return
        offset = start
        for text in texts:
            out.append((offset, text))
            offset += len(text)

    def _tokenize(self, span: str, with_special_cases: bool) -> tuple[str, ...]:
        prefixes: list[str] = []
        suffixes: list[str] = []
        string = self._split_affixes(span, prefixes, suffixes, with_special_cases)
        return tuple(self._attach_tokens(string, prefixes, suffixes, with_special_cases))

    def _split_affixes(
        self, string: str, prefixes: list[str], suffixes: list[str], with_special_cases: bool
    ) -> str:
        specials = self.specials if with_special_cases else {}
        last_size = 0
        while string and len(string) != last_size:
            if self.token_match and self.token_match(string):
                break
            if string in specials:
                break
            last_size = len(string)
            pre_len = self.find_prefix(string)
            prefix = minus_pre = suffix = minus_suf = ""
            if pre_len != 0:
                prefix = string[:pre_len]
                minus_pre = string[pre_len:]
                if minus_pre and minus_pre in specials:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self.find_suffix(string[pre_len:])
            if suf_len != 0:
                suffix = string[-suf_len:]
                minus_suf = string[:-suf_len]
                if minus_suf and minus_suf in specials:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and (pre_len + suf_len) <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        return string

    def _attach_tokens(
        self, string: str, prefixes: list[str], suffixes: list[str], with_special_cases: bool
    ) -> Iterator[str]:
        yield from prefixes
        if string:
            known = None
            if with_special_cases:
                known = self.specials.get(string) or self._cache.get(string)
            if known is not None:
                yield from known
            elif (self.token_match and self.token_match(string)) or (
                self.url_match and self.url_match(string)
            ):
                yield string
            else:
                matches = self.find_infix(string)
                if not matches:
                    yield string
                else:
                    start = 0
                    start_before_infixes = start
                    for match in matches:
                        infix_start, infix_end = match.start(), match.end()
                        if infix_start == start_before_infixes:
                            continue
                        if infix_start != start:
                            yield string[start:infix_start]
                        if infix_start != infix_end:
                            yield string[infix_start:infix_end]
                        start = infix_end
                    if string[start:]:
                        yield string[start:]
        yield from reversed(suffixes)

    def _apply_special_cases(self, string: str, tokens: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """The special-case matcher: a run of tokens spelling a special case becomes its tokens."""
        patterns = self.patterns
        matches: list[tuple[int, int]] = []
        n = len(tokens)
        texts = [text for _, text in tokens]
        for i, text in enumerate(texts):
            phrases = patterns.get(text)
            if phrases is None:
                continue
            for phrase in phrases:
                end = i + len(phrase)
                if end <= n and (len(phrase) == 1 or tuple(texts[i:end]) == phrase):
                    matches.append((i, end))
        if not matches:
            return tokens
        # _filter_special_spans: longest first, then leftmost; a span is kept when its
        # first and last tokens are not in a span seen before (kept or not)
        matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        seen: set[int] = set()
        kept: dict[int, int] = {}
        for start, end in matches:
            if start not in seen and end - 1 not in seen:
                kept.setdefault(start, end)
            seen.update(range(start, end))
        out: list[tuple[int, str]] = []
        i = 0
        while i < n:
            stop = kept.get(i)
            if stop is None:
                out.append(tokens[i])
                i += 1
                continue
            first, last = tokens[i], tokens[stop - 1]
            special = self.specials.get(string[first[0] : last[0] + len(last[1])])
            if special is None:
                out.extend(tokens[i:stop])
            else:
                offset = first[0]
                for text in special:
                    out.append((offset, text))
                    offset += len(text)
            i = stop
        return out


# -- lexeme attributes and the sentencizer, as spaCy's English defaults define them

_NUM_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "quadrillion",
        "quintillion",
        "sextillion",
        "septillion",
        "octillion",
        "nonillion",
        "decillion",
        "gajillion",
        "bazillion",
    ]
)
_ORDINAL_WORDS = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "thirtieth",
        "fortieth",
        "fiftieth",
        "sixtieth",
        "seventieth",
        "eightieth",
        "ninetieth",
        "hundredth",
        "thousandth",
        "millionth",
        "billionth",
        "trillionth",
        "quadrillionth",
        "quintillionth",
        "sextillionth",
        "septillionth",
        "octillionth",
        "nonillionth",
        "decillionth",
        "gajillionth",
        "bazillionth",
    ]
)


def like_num(text: str) -> bool:
    """``spacy.lang.en.lex_attrs.like_num``."""
    if text.startswith(("+", "-", "±", "~")):
        text = text[1:]
    text = text.replace(",", "").replace(".", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    text_lower = text.lower()
    if text_lower in _NUM_WORDS or text_lower in _ORDINAL_WORDS:
        return True
    return text_lower.endswith(("st", "nd", "rd", "th")) and text_lower[:-2].isdigit()


@lru_cache(maxsize=65536)
def is_punct(text: str) -> bool:
    """``spacy.lang.lex_attrs.is_punct``."""
    return all(unicodedata.category(char).startswith("P") for char in text)


class EnglishPipeline:
    """Tokenizer, redline's unit-boundary component and the sentencizer, on one block."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.tokenizer = EnglishTokenizer(raw)
        self.stop_words = frozenset(raw["stop_words"])
        self.punct_chars = frozenset(raw["punct_chars"])

    def warm_up(self) -> None:
        """Build what the first text would build (the special-case phrases)."""
        list(self.sentences("Warm up."))

    def sentences(self, text: str) -> Iterator[list[tuple[int, str]]]:
        """The sentences of ``text``, each a list of (offset, token text), spaces included."""
        tokens = self.tokenizer.tokens(text)
        n = len(tokens)
        if not n:
            return
        starts = self._sentence_starts(tokens)
        begin = 0
        for i in range(1, n):
            if starts[i] == 1:
                yield tokens[begin:i]
                begin = i
        yield tokens[begin:]

    def _sentence_starts(self, tokens: list[tuple[int, str]]) -> list[int]:
        n = len(tokens)
        starts = [0] * n  # spaCy's sent_start: 1 starts a sentence, -1 does not, 0 unset
        # redline_unit_boundaries (analysis.py registers it for spaCy), before the sentencizer
        for i in range(1, n - 1):
            token = tokens[i][1]
            if token[-1] != ".":
                continue  # both rules need a token ending in a full stop
            following = tokens[i + 1][1]
            glued = UNIT_STOP.match(token) and (token[0].isdigit() or like_num(tokens[i - 1][1]))
            if glued and following[:1].isupper() and following.isalpha():
                starts[i + 1] = 1
            elif token == "." and tokens[i - 1][1].lower() in NOT_FINAL and not following[:1].isupper():
                starts[i + 1] = -1
        # the sentencizer; it keeps boundaries set before it
        guesses = [False] * n
        punct_chars = self.punct_chars
        start = 0
        seen_period = False
        guesses[0] = True
        for i, (_, text) in enumerate(tokens):
            in_punct_chars = text in punct_chars
            if seen_period and not in_punct_chars and not is_punct(text):
                guesses[start] = True
                start = i
                seen_period = False
            elif in_punct_chars:
                seen_period = True
        if start < n:
            guesses[start] = True
        for i, guess in enumerate(guesses):
            if starts[i] == 0:
                starts[i] = 1 if guess else -1
        return starts


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words (``spacy.lang.en.stop_words.STOP_WORDS``)."""
    return frozenset(load_data()["stop_words"])


@lru_cache(maxsize=1)
def english_pipeline() -> EnglishPipeline:
    return EnglishPipeline(load_data())


def use_port(model: str | None) -> bool:
    """Whether the analysis runs on this port (the default pipeline) rather than spaCy."""
    return not model and os.environ.get("REDLINE_TOKENIZER") != "spacy"


if __name__ == "__main__":  # refresh the shipped settings from the installed spaCy
    SHIPPED.write_text(json.dumps(extract_from_spacy(), ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
