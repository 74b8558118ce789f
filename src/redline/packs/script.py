"""``kind = "script"``: a fragment in an unexpected writing system inside a sentence.

An untranslated word left in a translated article ("exchanges are expected to be
활성화") is a fragment in another script *inside* a sentence written in the expected
ones. A sentence or line written wholly (or mostly) in another script is a quotation,
a byline or site chrome, not a fragment, and is left alone; so is a word that mixes
scripts (a brand such as ``자유NKorea``).

Keys: ``expected`` (script names, default ``["Latin"]``; digits and punctuation belong
to every script), ``min-letters`` (shorter fragments, such as a lone ``λ`` in a formula,
are skipped; default 1), ``allow-quoted`` (fragments in quotation marks or parentheses
are quotes or glosses; default true). ``exceptions`` lists allowed names. Scripts are
named after the Unicode character names: Latin, Greek, Cyrillic, Hangul, Han, Hiragana,
Katakana, Arabic, Hebrew, Devanagari, Thai... Message fields: ``{match}``, ``{script}``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from redline.document import Document
from redline.findings import Finding
from redline.packs.base import PackOptions, PackRule, RuleSpec
from redline.packs.matching import Exceptions
from redline.packs.reader import TableReader
from redline.rules.base import RuleContext

_WORD = re.compile(r"\w+")
_LINE = re.compile(r"[^\r\n]+")
_OPENERS = "\"'“‘«「『(（["
_CLOSERS = "\"'”’»」』)）]"
_ALIASES = {"CJK": "Han", "HALFWIDTH": "", "FULLWIDTH": ""}
_KNOWN = {
    "Latin", "Greek", "Cyrillic", "Armenian", "Hebrew", "Arabic", "Syriac", "Thaana", "Devanagari",
    "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala",
    "Thai", "Lao", "Tibetan", "Myanmar", "Georgian", "Hangul", "Ethiopic", "Cherokee", "Khmer",
    "Mongolian", "Hiragana", "Katakana", "Bopomofo", "Han",
}  # fmt: skip


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """The script of a letter, from its Unicode name; None for digits, marks and symbols."""
    if char < "\x80":
        return "Latin" if char.isalpha() else None
    if not char.isalpha():
        return None
    words = unicodedata.name(char, "").split()
    while words and words[0] in _ALIASES and not _ALIASES[words[0]]:
        words = words[1:]
    if not words:
        return None
    name = _ALIASES.get(words[0], words[0].title())
    return name if name in _KNOWN else None


def word_script(word: str) -> str | None:
    """The one script of a word's letters, "" when they mix scripts, None without letters."""
    scripts = {s for s in map(script_of, word) if s is not None}
    if not scripts:
        return None
    return scripts.pop() if len(scripts) == 1 else ""


class ScriptRule(PackRule):
    keys = frozenset({"expected", "min-letters", "allow-quoted"})
    message_fields = frozenset({"script"})
    default_message = "Text in {script} script inside an English sentence: '{match}'"

    def __init__(
        self, spec: RuleSpec, expected: frozenset[str], min_letters: int, allow_quoted: bool
    ) -> None:
        super().__init__(spec)
        self.expected, self.min_letters, self.allow_quoted = expected, min_letters, allow_quoted

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> ScriptRule:
        expected = reader.strings("expected", ["Latin"])
        for name in expected:
            if name not in _KNOWN:
                raise reader.error(
                    "expected", f"unknown script {name!r} (known: {', '.join(sorted(_KNOWN))})"
                )
        return cls(
            spec,
            frozenset(expected),
            reader.integer("min-letters", 1, 1),
            reader.boolean("allow-quoted", True),
        )

    def details(self) -> list[str]:
        return [f"Expected scripts: {', '.join(sorted(self.expected))}."]

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        if document.prose.isascii():
            return
        exceptions = self.exceptions(ctx)
        for sentence in document.sentences:
            if document.blocks[sentence.block].kind not in self.spec.scope:
                continue
            # A fragment on a line of its own (a tag, a caption) is not inside the sentence.
            for line in _LINE.finditer(document.prose, sentence.start, sentence.end):
                yield from self._line(document, line.start(), line.end(), exceptions)

    def _line(self, document: Document, start: int, end: int, exceptions: Exceptions) -> Iterator[Finding]:
        prose = document.prose
        if prose[start:end].isascii():
            return
        words = [(m, word_script(m.group())) for m in _WORD.finditer(prose, start, end)]
        native = sum(1 for _, s in words if s in self.expected)
        runs: list[tuple[int, int, str, int]] = []  # start, end, script, words
        for match, script in words:
            if not script or script in self.expected:
                continue
            last = runs[-1] if runs else None
            if last and last[2] == script and not prose[last[1] : match.start()].strip():
                runs[-1] = (last[0], match.end(), script, last[3] + 1)
            else:
                runs.append((match.start(), match.end(), script, 1))
        foreign = sum(r[3] for r in runs)
        if native <= foreign:
            return  # written in another script: a quotation or a byline, not a fragment
        skip = exceptions.spans(prose, start, end)
        for run_start, run_end, script, _ in runs:
            letters = sum(1 for ch in prose[run_start:run_end] if ch.isalpha())
            if letters < self.min_letters or Exceptions.covers(skip, run_start, run_end):
                continue
            if self.allow_quoted and _enclosed(prose, run_start, run_end):
                continue
            yield self.finding(run_start, run_end, self.message(prose[run_start:run_end], script=script))


def _enclosed(prose: str, start: int, end: int) -> bool:
    before = prose[:start].rstrip()[-1:]
    after = prose[end:].lstrip()[:1]
    return bool(before) and before in _OPENERS and bool(after) and after in _CLOSERS
