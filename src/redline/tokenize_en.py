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
import itertools
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, cast

#: Bumped when the stored data's layout or meaning changes.
DATA_FORMAT = 1

_RUNS = re.compile(r"\s+|\S+")
#: The chunks spaCy's tokenizer splits a text into before its affix rules: each run of
#: non-space characters, and each run of white space, less its first character when that
#: is a plain space after a non-space (the token before owns it); a run that opens the text
#: is whole (what :meth:`EnglishTokenizer._tokenize_affixes` does, in one regex).
_CHUNKS = re.compile(r"\S+|(?<=\S )\s+|(?<=\S)[^\S ]\s*|^\s+")
#: Chunks kept in the tokenizer's cache at most.
_MAX_CACHED = 500_000
_START = re.Match.start
_ONE = 1

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
        #: ``specials`` and ``_cache`` in one: what ``specials.get(s) or _cache.get(s)`` gives
        #: (no special case has an empty token list)
        self._known: dict[str, tuple[str, ...]] = dict(self.specials)
        self._offsets: dict[str, tuple[int, ...]] = {}
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

    def clear_cache(self) -> None:
        """Forget every chunk tokenized so far (the special cases stay)."""
        self._cache.clear()
        self._offsets.clear()
        self._known = dict(self.specials)

    def tokens(self, string: str) -> list[tuple[int, str]]:
        """The tokens of ``string`` (whitespace tokens included), as spaCy makes them."""
        offsets, texts = self.token_lists(string)
        return list(zip(offsets, texts, strict=True))

    def token_lists(self, string: str) -> tuple[list[int], list[str]]:
        """:meth:`tokens` as two lists, the offsets and the texts: no tuple per token.

        The fast path of :meth:`_tokenize_affixes` with special cases, then the
        special-case matcher. A chunk (a run of non-space characters, or of spaces) is
        tokenized once per pipeline and looked up after that, as spaCy's cache does.
        """
        if len(self._cache) > _MAX_CACHED:
            self.clear_cache()  # a long-lived server forgets, now and then
        # two scans rather than a list of match objects: those are tracked by the cyclic
        # garbage collector, and a hundred thousand of them alive at once set it off
        texts: list[str] = _CHUNKS.findall(string)
        known = self._known
        found = list(map(known.get, texts))
        if None in found:
            for i in [i for i, tokens in enumerate(found) if tokens is None]:
                span = texts[i]
                tokens = known.get(span)  # the same chunk may come twice
                if tokens is None:
                    tokens = self._cache[span] = known[span] = self._tokenize(span, True)
                found[i] = tokens
        chunks = cast("list[tuple[str, ...]]", found)  # no None left
        offsets: list[int] = list(map(_START, _CHUNKS.finditer(string)))
        # most chunks are one token; the others are spliced in, from the end
        for i in reversed(list(itertools.compress(range(len(chunks)), map(_ONE.__ne__, map(len, chunks))))):
            start = offsets[i]
            offsets[i : i + 1] = [start + offset for offset in self._relative(texts[i], chunks[i])]
            texts[i : i + 1] = chunks[i]
        return self._match_special_cases(string, offsets, texts)

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
                cache[span] = self._known[span] = texts
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
                known = self._known.get(string)
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

    def _relative(self, span: str, tokens: tuple[str, ...]) -> tuple[int, ...]:
        """Where each of a chunk's ``tokens`` starts in it."""
        offsets = self._offsets.get(span)
        if offsets is None:
            offsets = self._offsets[span] = tuple(itertools.accumulate(map(len, tokens[:-1]), initial=0))
        return offsets

    def _match_special_cases(
        self, string: str, offsets: list[int], texts: list[str]
    ) -> tuple[list[int], list[str]]:
        """:meth:`_apply_special_cases` on the two lists of :meth:`token_lists`.

        Where no one-token phrase changes its token (spaCy's English rules: none does), the
        one-token phrases are left out: they come last in the longest-first filter, so they
        never keep a longer phrase out, and they would only put back the token they cover.
        The phrases of several tokens are then looked for only where their first token is.
        """
        phrases_by_first, singles_matter = self._phrase_index
        if singles_matter:
            return self._match_every_phrase(string, offsets, texts)
        if phrases_by_first.keys().isdisjoint(texts):
            return offsets, texts
        n = len(texts)
        matches: list[tuple[int, int]] = []
        find = texts.index
        for first in phrases_by_first.keys() & texts:
            phrases = phrases_by_first[first]
            i = find(first)
            while True:
                for phrase in phrases:
                    end = i + len(phrase)
                    if end <= n and texts[i + 1] == phrase[1] and tuple(texts[i:end]) == phrase:
                        matches.append((i, end))
                try:
                    i = find(first, i + 1)
                except ValueError:
                    break
        if not matches:
            return offsets, texts
        return self._replaced(string, offsets, texts, _filter_special_spans(matches))

    @cached_property
    def _phrase_index(self) -> tuple[dict[str, list[tuple[str, ...]]], bool]:
        """The phrases of several tokens by their first token, and whether any one-token
        phrase would change its token."""
        several: dict[str, list[tuple[str, ...]]] = {}
        singles_matter = False
        for first, phrases in self.patterns.items():
            for phrase in phrases:
                if len(phrase) > 1:
                    several.setdefault(first, []).append(phrase)
                elif not self._unchanged(first):
                    singles_matter = True
        return several, singles_matter

    def _match_every_phrase(
        self, string: str, offsets: list[int], texts: list[str]
    ) -> tuple[list[int], list[str]]:
        patterns = self.patterns
        if patterns.keys().isdisjoint(texts):
            return offsets, texts
        n = len(texts)
        matches: list[tuple[int, int]] = []
        for i in [i for i, text in enumerate(texts) if text in patterns]:
            for phrase in patterns[texts[i]]:
                end = i + len(phrase)
                if end <= n and (len(phrase) == 1 or tuple(texts[i:end]) == phrase):
                    matches.append((i, end))
        kept = _filter_special_spans(matches)
        if all(end - start == 1 and self._unchanged(texts[start]) for start, end in kept.items()):
            return offsets, texts  # each kept span is one token that stays as it is
        return self._replaced(string, offsets, texts, kept)

    def _replaced(
        self, string: str, offsets: list[int], texts: list[str], kept: dict[int, int]
    ) -> tuple[list[int], list[str]]:
        """The tokens with each kept span (start: end) made its special case's tokens."""
        n = len(texts)
        new_offsets: list[int] = []
        new_texts: list[str] = []
        i = 0
        while i < n:
            stop = kept.get(i)
            if stop is None:
                new_offsets.append(offsets[i])
                new_texts.append(texts[i])
                i += 1
                continue
            first = offsets[i]
            special = self.specials.get(string[first : offsets[stop - 1] + len(texts[stop - 1])])
            if special is None:
                new_offsets.extend(offsets[i:stop])
                new_texts.extend(texts[i:stop])
            else:
                for text in special:
                    new_offsets.append(first)
                    new_texts.append(text)
                    first += len(text)
            i = stop
        return new_offsets, new_texts

    def _unchanged(self, text: str) -> bool:
        """Whether the special-case matcher leaves a one-token span of ``text`` as it is."""
        special = self.specials.get(text)
        return special is None or special == (text,)

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
        kept = _filter_special_spans(matches)
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


def _filter_special_spans(matches: list[tuple[int, int]]) -> dict[int, int]:
    """spaCy's ``_filter_special_spans``: longest first, then leftmost; a span is kept when
    its first and last tokens are not in a span seen before (kept or not)."""
    matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    seen: set[int] = set()
    kept: dict[int, int] = {}
    for start, end in matches:
        if start not in seen and end - 1 not in seen:
            kept.setdefault(start, end)
        seen.update(range(start, end))
    return kept


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
        offsets, texts, bounds = self.sentence_lists(text)
        for begin, end in itertools.pairwise(bounds):
            yield list(zip(offsets[begin:end], texts[begin:end], strict=True))

    def sentence_lists(self, text: str) -> tuple[list[int], list[str], list[int]]:
        """:meth:`sentences` as lists: the tokens' offsets and texts, and the index of each
        sentence's first token followed by the number of tokens (no sentence: ``[0]``)."""
        offsets, texts = self.tokenizer.token_lists(text)
        if not texts:
            return offsets, texts, [0]
        return offsets, texts, self._sentence_bounds(texts)

    def _sentence_bounds(self, texts: list[str]) -> list[int]:
        """Where sentences start (0 first), then ``len(texts)``.

        spaCy sets ``sent_start`` to 1 (starts a sentence), -1 (does not) or leaves it 0:
        redline's unit boundaries first, then the sentencizer, which keeps what is set.
        """
        n = len(texts)
        # redline_unit_boundaries (analysis.py registers it for spaCy): both of its rules
        # need a token ending in a full stop
        starts: set[int] = set()
        not_starts: set[int] = set()
        for i in [i for i, text in enumerate(texts) if text[-1] == "."]:
            if i == 0 or i >= n - 1:
                continue
            token, following = texts[i], texts[i + 1]
            glued = UNIT_STOP.match(token) and (token[0].isdigit() or like_num(texts[i - 1]))
            if glued and following[:1].isupper() and following.isalpha():
                starts.add(i + 1)
            elif token == "." and texts[i - 1].lower() in NOT_FINAL and not following[:1].isupper():
                not_starts.add(i + 1)
        # the sentencizer: after a token in punct_chars, the first token that is neither
        # in punct_chars nor punctuation starts a sentence
        punct_chars = self.punct_chars
        periods = [i for i, text in enumerate(texts) if text in punct_chars]
        guesses = [0]
        k = 0
        while k < len(periods):
            j = periods[k] + 1
            while j < n and (texts[j] in punct_chars or is_punct(texts[j])):
                j += 1
            if j >= n:
                break
            guesses.append(j)
            while k < len(periods) and periods[k] < j:
                k += 1
        if not starts and not not_starts:
            guesses.append(n)
            return guesses
        bounds = sorted((set(guesses) - not_starts) | starts | {0})
        bounds.append(n)
        return bounds


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
