"""Vale styles and vocabularies, read as redline rule packs.

``rule-packs`` may name a Vale *style folder* (one YAML file per rule, as Vale lays them
out: ``styles/Acme/Hedges.yml``) or a Vale *vocabulary folder* (``accept.txt`` and
``reject.txt``, as in ``styles/config/vocabularies/Acme/``). Each rule file becomes one
redline rule:

- its name is Vale's, ``Style.Rule`` (``Acme.Hedges``), so ``--select Acme``,
  ``[rules."Acme.Hedges"]`` and ``<!-- vale Acme.Hedges = NO -->`` name it as Vale does;
- its code is the style's name in capitals plus the file's place in the folder's sorted
  list of ``.yml`` files (``ACME001``, ``ACME002``...), so codes depend only on file names;
- a vocabulary gives ``Vale.Avoid`` (``VALE001``, reject.txt) and ``Vale.Terms``
  (``VALE002``, accept.txt), and its accepted entries become exceptions of every Vale
  rule whose ``vocab`` is not false, as in Vale.

A ``.vale.ini`` in ``rule-packs`` stands for the folders it names (``StylesPath``,
``BasedOnStyles``, ``Vocab``; :func:`read_vale_ini`).

What redline cannot do as Vale does is never dropped silently: a key or a kind it does not
support, a pattern RE2 cannot run (Vale's regexp2 allows lookaround), a scope it has no
equivalent for, each gives a warning that names the file, the line and the key; a rule
that cannot run at all is skipped with a warning and the others still load. A file that
is not valid YAML, or a rule without ``extends``, is an error, as it is in Vale.
See docs/vale.md for the mapping of every kind and where the semantics differ.
"""

from __future__ import annotations

import ast
import bisect
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.config import ConfigError
from redline.document import BlockKind, Document
from redline.findings import Finding, Severity
from redline.packs.base import PackOptions, PackRule, RuleSpec
from redline.packs.capitalization import SMALL_WORDS, CapitalizationRule
from redline.packs.conditional import ConditionalRule
from redline.packs.consistency import ConsistencyRule
from redline.packs.matching import (
    SCOPES,
    Exceptions,
    Hit,
    Matcher,
    PatternError,
    compile_pattern,
    scoped_ranges,
)
from redline.packs.occurrence import OccurrenceRule
from redline.packs.substitution import SubstitutionRule, Swap
from redline.rules.base import RuleContext

Warn = Callable[[str], None]

_LEVELS = {"suggestion": Severity.INFO, "warning": Severity.WARNING, "error": Severity.ERROR}
_ALL = SCOPES["prose"] | SCOPES["headings"] | SCOPES["list-items"]
#: Vale scopes and the redline blocks they cover.
_SCOPES: dict[str, frozenset[BlockKind]] = {
    "text": _ALL,
    "sentence": _ALL,
    "summary": _ALL,
    "paragraph": frozenset({BlockKind.PARAGRAPH}),
    "heading": SCOPES["headings"],
    "list": SCOPES["list-items"],
    "blockquote": frozenset({BlockKind.BLOCKQUOTE}),
    "table": frozenset({BlockKind.TABLE_CELL}),
    "table.cell": frozenset({BlockKind.TABLE_CELL}),
    "table.header": frozenset({BlockKind.TABLE_CELL}),
}
#: Scopes redline never lints; excluding them (``~code``) is what redline does anyway.
_NEVER_LINTED = {"code", "raw", "comment", "alt", "link", "pre", "figure", "script", "style"}
_COMMON = {"extends", "message", "level", "link", "description", "scope", "limit", "action"}
_KEYS: dict[str, set[str]] = {
    "existence": {"tokens", "raw", "append", "ignorecase", "nonword", "exceptions", "vocab"},
    "substitution": {"swap", "ignorecase", "nonword", "exceptions", "vocab", "pos", "capitalize"},
    "occurrence": {"token", "max", "min", "ignorecase"},
    "repetition": {"tokens", "max", "ignorecase", "alpha", "exceptions", "vocab"},
    "consistency": {"either", "ignorecase", "nonword"},
    "capitalization": {"match", "style", "exceptions", "indicators", "threshold", "prefix", "vocab"},
    "conditional": {"first", "second", "exceptions", "ignorecase", "vocab", "in"},
    "metric": {"formula", "condition"},
}
#: Keys Vale defines that redline reads but cannot honour: a warning each.
_UNSUPPORTED = {
    "pos": "part-of-speech filters need Vale's tagger",
    "capitalize": "redline keeps the case of the match its own way",
    "min": "a minimum count is not checked",
    "indicators": "redline's sentence case lets a capital follow a colon, nothing else",
    "threshold": "redline flags a heading when any word is off, not a proportion of them",
    "prefix": "not supported",
    "in": "Vale views are not supported; the definition is looked for in the document",
}
#: Vale's kinds that do not map onto redline, and why.
_SKIPPED_KINDS = {
    "spelling": "redline has no spelling checker (Hunspell dictionaries)",
    "sequence": "sequence rules need Vale's part-of-speech tagger",
    "script": "Tengo scripts cannot run in redline (redline's own 'script' kind is about writing systems)",
    "readability": "use redline's readability rules (RL302-RL305) instead",
}
_PLAIN = re.compile(r"[\w\s'’.-]+")
_VERB = re.compile(r"%(?:\[\d+\])?[svqd%]")


@dataclass
class Vocabulary:
    """The merged ``accept.txt`` and ``reject.txt`` of the vocabularies in ``rule-packs``."""

    folders: list[Path] = field(default_factory=list)
    accept: list[str] = field(default_factory=list)
    reject: list[str] = field(default_factory=list)


def is_vocabulary(path: Path) -> bool:
    return (path / "accept.txt").is_file() or (path / "reject.txt").is_file()


def read_vocabularies(folders: Iterable[Path]) -> Vocabulary:
    vocab = Vocabulary()
    for folder in folders:
        vocab.folders.append(folder)
        for name, entries in (("accept.txt", vocab.accept), ("reject.txt", vocab.reject)):
            path = folder / name
            if not path.is_file():
                continue
            text = _read_guarded(path, "the vocabulary")
            for line in text.splitlines():
                entry = line.strip()
                if entry and not entry.startswith("#") and entry not in entries:
                    entries.append(entry)
    return vocab


# -- the rules ------------------------------------------------------------------------------


class _ValeRule(PackRule):
    """What every rule read from Vale shares: regex exceptions, the vocabulary, ``limit``."""

    vale_exceptions: Matcher | None = None
    #: Vale's ``limit``: at most this many findings per document (0: no limit).
    vale_limit: int = 0

    @property
    def documentation(self) -> str:
        parts = [self.spec.summary + "."]
        if self.spec.docs.strip():
            parts.append(self.spec.docs.strip("\n"))
        kind = self.spec.kind.removeprefix("vale ")
        if kind == "vocabulary":
            about = [f"From the Vale vocabulary in {self.spec.pack}."]
        else:
            about = [
                f"From the Vale style {Path(self.spec.pack).parent.name}: {self.spec.pack} (extends: {kind})."
            ]
        about.extend(self.details())
        if self.spec.link:
            about.append(f"More: {self.spec.link}")
        return "\n\n".join([*parts, "\n".join(about)])

    def exceptions(self, ctx: RuleContext[PackOptions]) -> Exceptions:
        base = super().exceptions(ctx)
        return _RegexExceptions(base, self.vale_exceptions)

    def hits(self, document: Document, matcher: Matcher, ctx: RuleContext[PackOptions]) -> Iterator[Hit]:
        for hit in super().hits(document, matcher, ctx):
            # Vale also skips a match that contains an exception ("isMatch").
            if self.vale_exceptions is not None and next(self.vale_exceptions.finditer(hit.text), None):
                continue
            yield hit

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        found = super().check(document, ctx)
        return _limited(found, self.vale_limit)


def _limited(found: Iterable[Finding], limit: int) -> Iterator[Finding]:
    return itertools.islice(found, limit) if limit else iter(found)


class _RegexExceptions(Exceptions):
    def __init__(self, base: Exceptions, matcher: Matcher | None) -> None:
        self.base, self.matcher = base, matcher

    def spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        spans = self.base.spans(text, start, end)
        if self.matcher is not None:
            spans.extend((h.start, h.end) for h in self.matcher.finditer(text, start, end))
        return spans


class ValeExistence(_ValeRule):
    """Vale's ``existence``: the whole match is reported (not its first group)."""

    def __init__(self, spec: RuleSpec, matcher: Matcher) -> None:
        super().__init__(spec)
        self.matcher = matcher

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        found = (
            self.finding(hit.start, hit.end, self.message(hit.text))
            for hit in self.hits(document, self.matcher, ctx)
        )
        return _limited(found, self.vale_limit)


class ValeSubstitution(_ValeRule, SubstitutionRule):
    """Vale's ``substitution``: a match already written as its replacement is not flagged."""

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        found = self._check(document, ctx)
        return _limited(found, self.vale_limit)

    def _check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        for hit in self.hits(document, self.matcher, ctx):
            swap = self.swaps[hit.index]
            if _same(swap.to, hit.text.strip(), self.spec.ignore_case):
                continue
            replacement = self.replacement(swap, hit)
            fix = self.fix(document, swap, hit, replacement)
            shown = replacement if replacement is not None else swap.to.replace("|", "' or '")
            yield self.finding(hit.start, hit.end, self.message(hit.text, replacement=shown), fix=fix)


def _same(expected: str, observed: str, ignore_case: bool) -> bool:
    """Vale's test of whether ``observed`` is already what the swap asks for."""
    pattern = None if _PLAIN.fullmatch(expected) else _whole(expected, ignore_case)
    return expected == observed if pattern is None else pattern.search(observed) is not None


@functools.lru_cache(maxsize=1024)
def _whole(expected: str, ignore_case: bool) -> Any:
    """``expected`` as a pattern for a whole string, or None when RE2 cannot compile it."""
    try:
        return compile_pattern(f"^(?:{expected})$", ignore_case=ignore_case)
    except PatternError:
        return None


class ValeOccurrence(_ValeRule, OccurrenceRule):
    """Vale's ``occurrence``: one finding per unit over ``max``, on the unit's first match."""

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        hits = list(self.hits(document, self.matcher, ctx))
        found = (
            self.finding(
                group[0].start,
                group[0].end,
                self.message(group[0].text, count=len(group), max=self.limit, unit=self.unit),
            )
            for group in self.units(document, hits)
            if len(group) > self.limit
        )
        return _limited(found, self.vale_limit)


class ValeRepetition(_ValeRule):
    """Vale's ``repetition``: consecutive equal matches in one sentence; the span covers both."""

    def __init__(self, spec: RuleSpec, matcher: Matcher, most: int, alpha: bool) -> None:
        super().__init__(spec)
        self.matcher, self.most, self.alpha = matcher, most, alpha

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        found = self._check(document, ctx)
        return _limited(found, self.vale_limit)

    def _check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        starts = [s.start for s in document.sentences]
        previous: Hit | None = None
        previous_key: tuple[int, int] = (-1, -1)
        count = 0
        for hit in self.hits(document, self.matcher, ctx):
            key = (document.block_of(hit.start), bisect.bisect_right(starts, hit.start))
            current = hit.text.strip()
            same = (
                previous is not None
                and key == previous_key
                and current != ""
                and (
                    current.casefold() == previous.text.strip().casefold()
                    if self.spec.ignore_case
                    else current == previous.text.strip()
                )
                and (not self.alpha or current.isalpha())
            )
            if same:
                count += 1
            if same and count > self.most and previous is not None:
                yield self.finding(previous.start, hit.end, self.message(current))
                count = 0
            previous, previous_key = hit, key


# -- reading a style -------------------------------------------------------------------------


class _File:
    """One rule file: its data, the line of each top-level key, warnings naming both."""

    def __init__(self, path: Path, data: dict[str, Any], lines: dict[str, int], warn: Warn) -> None:
        self.path, self.data, self.lines, self._warn = path, data, lines, warn

    def where(self, key: str | None) -> str:
        line = self.lines.get(key or "", 1)
        return f"{self.path}:{line}"

    def warn(self, key: str | None, message: str) -> None:
        self._warn(f"{self.where(key)}: {message}")

    def error(self, key: str | None, message: str) -> ConfigError:
        return ConfigError(self.path, self.lines.get(key or "", 1), message)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"'{key}' must be true or false")
        return value

    def integer(self, key: str, default: int) -> int:
        value = self.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.error(key, f"'{key}' must be a whole number of at least 0")
        return value

    def strings(self, key: str) -> list[str]:
        value = self.data.get(key, [])
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
        ):
            raise self.error(key, f"'{key}' must be a list of strings")
        return [str(v) for v in value]

    def mapping(self, key: str) -> dict[str, str]:
        value = self.data.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in value.values()
        ):
            raise self.error(key, f"'{key}' must be a map of strings ('this: that')")
        return {str(k): str(v) for k, v in value.items()}


class _Skip(Exception):
    """This rule cannot run in redline; the message says why (a warning, not an error)."""

    def __init__(self, key: str | None, message: str) -> None:
        super().__init__(message)
        self.key = key


def style_code_prefix(style: str) -> str:
    letters = "".join(ch for ch in style.upper() if "A" <= ch <= "Z")
    return letters or "VALE"


def load_vale_style(folder: Path, vocab: Vocabulary | None, warn: Warn) -> list[PackRule]:
    """The rules of the Vale style in ``folder`` (its ``.yml`` files)."""
    style = folder.name
    files = sorted(p for p in folder.iterdir() if p.suffix == ".yml" and not p.is_dir())  # a FIFO: an error
    for other in sorted(folder.glob("*.yaml")):
        warn(f"{other}: ignored: Vale reads only files ending in .yml")
    if not files:
        raise ConfigError(
            folder,
            None,
            "not a Vale style (no .yml rule files) nor a vocabulary (no accept.txt or reject.txt)",
        )
    prefix = style_code_prefix(style)
    rules: list[PackRule] = []
    for number, path in enumerate(files, start=1):
        file = _read_rule_file(path, warn)
        code = f"{prefix}{number:03d}"
        try:
            rule = _build(file, code, f"{style}.{path.stem}", vocab)
        except _Skip as skip:
            file.warn(skip.key, f"{skip}; rule {style}.{path.stem} skipped")
            continue
        rules.append(rule)
    return rules


def _read_guarded(path: Path, what: str) -> str:
    """The text of ``path``, read with the guards of input files (a regular file, 64 MiB at
    most, opened non-blocking): a style folder may hold a FIFO or a link to ``/dev/zero``."""
    from redline.config import MAX_TOML_BYTES
    from redline.source import SourceError, read_regular

    try:
        return read_regular(path, MAX_TOML_BYTES, limit="the limit for rule files", refused="").decode(
            "utf-8-sig"
        )
    except SourceError as error:
        raise ConfigError(path, None, f"cannot read {what}: {error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(path, None, f"cannot read {what}: {error}") from None


def _read_rule_file(path: Path, warn: Warn) -> _File:
    import yaml

    text = _read_guarded(path, "the Vale rule")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(path, mark.line + 1 if mark else None, f"invalid YAML: {problem}") from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise ConfigError(path, 1, "a Vale rule is a YAML map of keys ('extends: existence' ...)")
    lines = {
        str(key.value): key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)
    }
    return _File(path, {str(k): v for k, v in data.items()}, lines, warn)


def _build(file: _File, code: str, name: str, vocab: Vocabulary | None) -> PackRule:
    extends = file.get("extends")
    if extends is None:
        raise file.error(None, "missing the required 'extends' key")
    if not isinstance(extends, str) or extends not in {*_KEYS, *_SKIPPED_KINDS}:
        kinds = ", ".join(sorted({*_KEYS, *_SKIPPED_KINDS}))
        raise file.error("extends", f"'extends' must be one of {kinds}, not {extends!r}")
    if extends in _SKIPPED_KINDS:
        raise _Skip("extends", f"'extends: {extends}' is not supported: {_SKIPPED_KINDS[extends]}")
    if not isinstance(file.get("message"), str):
        raise file.error("message" if "message" in file.data else None, "missing the required 'message' key")
    level = file.get("level", "suggestion")
    if level not in _LEVELS:
        raise file.error("level", f"'level' must be one of {', '.join(_LEVELS)}, not {level!r}")
    known = _COMMON | _KEYS[extends]
    for key in file.data:
        if key not in known:
            file.warn(key, f"unknown key '{key}' for 'extends: {extends}'; ignored")
        elif key in _UNSUPPORTED:
            file.warn(key, f"key '{key}' is not supported ({_UNSUPPORTED[key]}); ignored")
    if "action" in file.data and extends != "substitution":
        file.warn("action", "key 'action' is ignored: redline offers fixes for substitution rules only")
    ignore_case = file.boolean("ignorecase", False)
    scope = _scope(file)
    spec = RuleSpec(
        code=code,
        name=name,
        kind=f"vale {extends}",
        summary=_summary(file),
        docs=str(file.get("description") or ""),
        message=_message(file, extends),
        severity=_LEVELS[level],
        enabled=True,
        link=str(file.get("link") or ""),
        scope=scope,
        ignore_case=ignore_case,
        word_boundaries=not file.boolean("nonword", False),
        exceptions=(),
        sources=(),
        pack=str(file.path),
        line=1,
    )
    rule = _BUILDERS[extends](file, spec)
    rule.vale_limit = file.integer("limit", 0)
    rule.vale_exceptions = _exceptions(file, spec, extends, vocab)
    return rule


def _summary(file: _File) -> str:
    text = str(file.get("message") or "").strip()
    text = _VERB.sub("…", text.splitlines()[0] if text else "")
    return text.rstrip(".") or file.path.stem


def _message(file: _File, extends: str) -> str:
    """Vale's ``%s`` message as a redline template: ``{match}`` (substitution: the
    replacement first, then the match, as Vale formats it)."""
    message = " ".join(str(file.get("message")).split())
    fields = ["{replacement}", "{match}"] if extends == "substitution" else ["{match}"]
    parts = []
    used = 0
    for piece in re.split(f"({_VERB.pattern})", message.replace("{", "{{").replace("}", "}}")):
        if _VERB.fullmatch(piece):
            if piece == "%%":
                parts.append("%")
            else:
                parts.append(fields[min(used, len(fields) - 1)])
                used += 1
        else:
            parts.append(piece)
    return "".join(parts)


def _scope(file: _File) -> frozenset[BlockKind]:
    names = file.strings("scope") if "scope" in file.data else ["text"]
    include: set[BlockKind] = set()
    exclude: set[BlockKind] = set()
    for raw in names:
        name = raw.strip()
        negated = name.startswith("~")
        base = name.lstrip("~").split(".md")[0]
        if base.startswith("heading."):
            file.warn("scope", f"scope '{name}': redline does not tell heading levels apart; all headings")
            base = "heading"
        if base in _SCOPES:
            (exclude if negated else include).update(_SCOPES[base])
        elif base in _NEVER_LINTED:
            if not negated:
                raise _Skip("scope", f"scope '{name}': redline never lints code, markup or raw text")
        else:
            file.warn("scope", f"scope '{name}' has no redline equivalent; ignored")
    if not include:
        include = set(_ALL)
    kinds = frozenset(include - exclude)
    if not kinds:
        raise _Skip("scope", "the scope leaves nothing to lint")
    return kinds


def _exceptions(file: _File, spec: RuleSpec, extends: str, vocab: Vocabulary | None) -> Matcher | None:
    entries = (
        file.strings("exceptions")
        if extends in {"existence", "substitution", "repetition", "capitalization", "conditional"}
        else []
    )
    use_vocab = file.boolean("vocab", True) and not (extends == "existence" and not spec.word_boundaries)
    if vocab is not None and use_vocab:
        entries = [*entries, *vocab.accept]
    usable = []
    for entry in entries:
        try:
            compile_pattern(entry, ignore_case=False)
        except PatternError as error:
            file.warn("exceptions", f"exception skipped: {error}")
            continue
        usable.append(entry)
    if not usable:
        return None
    # Longest first, as Vale orders them, so the alternation is greedy.
    usable.sort(key=len, reverse=True)
    return _matcher(file, "exceptions", [rf"\b(?:{'|'.join(usable)})\b"], ignore_case=False)


def _matcher(file: _File, key: str, patterns: list[str], *, ignore_case: bool) -> Matcher:
    try:
        return Matcher(patterns, regex=True, ignore_case=ignore_case, word_boundaries=False)
    except PatternError as error:
        reason = str(error)
        for entry in _entries(file, key):  # name the entry at fault, not the joined pattern
            try:
                compile_pattern(entry, ignore_case=ignore_case)
            except PatternError as own:
                reason = str(own)
                break
        raise _Skip(key, f"'{key}': {reason} (RE2 has no lookaround or backreferences)") from None


def _entries(file: _File, key: str) -> list[str]:
    value = file.get(key)
    if isinstance(value, dict):
        return [str(k) for k in value] + [str(v) for v in value.values()]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value is not None else []


def _word(pattern: str, spec: RuleSpec) -> str:
    return rf"\b(?:{pattern})\b" if spec.word_boundaries else f"(?:{pattern})"


def _existence(file: _File, spec: RuleSpec) -> _ValeRule:
    tokens = [t for t in file.strings("tokens") if t.strip()]
    raw = "".join(file.strings("raw"))
    if not tokens and not raw:
        raise file.error(None, "an existence rule needs 'tokens' or 'raw'")
    body = _word("|".join(tokens), spec) if tokens else ""
    pattern = body + raw if file.boolean("append", False) else raw + body
    key = "tokens" if tokens else "raw"
    return ValeExistence(spec, _matcher(file, key, [pattern], ignore_case=spec.ignore_case))


def _substitution(file: _File, spec: RuleSpec) -> _ValeRule:
    swap = file.mapping("swap")
    if not swap:
        raise file.error("swap" if "swap" in file.data else None, "a substitution rule needs a 'swap' map")
    swaps = [Swap(_word(key, spec), to, "unsafe") for key, to in swap.items()]
    matcher = _matcher(file, "swap", [s.key for s in swaps], ignore_case=spec.ignore_case)
    return ValeSubstitution(spec, swaps, matcher, True)


def _occurrence(file: _File, spec: RuleSpec) -> _ValeRule:
    token = file.get("token")
    if not isinstance(token, str) or not token:
        raise file.error("token" if "token" in file.data else None, "an occurrence rule needs a 'token'")
    if "max" not in file.data:
        raise _Skip(
            "min" if "min" in file.data else None, "an occurrence rule without 'max' checks nothing here"
        )
    names = {n.lstrip("~").split(".")[0] for n in file.strings("scope")}
    unit = "sentence" if "sentence" in names else "document" if "summary" in names else "paragraph"
    matcher = _matcher(file, "token", [f"(?:{token})"], ignore_case=spec.ignore_case)
    return ValeOccurrence(spec, matcher, file.integer("max", 0), unit)


def _repetition(file: _File, spec: RuleSpec) -> _ValeRule:
    tokens = file.strings("tokens")
    if not tokens:
        raise file.error(None, "a repetition rule needs 'tokens'")
    matcher = _matcher(file, "tokens", [f"({'|'.join(tokens)})"], ignore_case=spec.ignore_case)
    return ValeRepetition(spec, matcher, file.integer("max", 0), file.boolean("alpha", False))


def _consistency(file: _File, spec: RuleSpec) -> _ValeRule:
    either = file.mapping("either")
    if not either:
        raise file.error(None, "a consistency rule needs an 'either' map")
    groups = [[first, second] for first, second in either.items()]
    matchers = [
        _matcher(file, "either", [_word(form, spec) for form in group], ignore_case=spec.ignore_case)
        for group in groups
    ]
    return _ValeConsistency(spec, groups, matchers)


class _ValeConsistency(_ValeRule, ConsistencyRule):
    pass


class _ValeCapitalization(_ValeRule, CapitalizationRule):
    pass


class _ValeConditional(_ValeRule, ConditionalRule):
    pass


class ValeCase(_ValeRule):
    """Vale's ``capitalization`` with ``match: $lower``, ``$upper`` or a pattern: each block in
    scope (a heading, say) must be all lower case, all capitals, or match the pattern; the
    words of an exception are left out. One finding per block."""

    def __init__(self, spec: RuleSpec, match: str, pattern: Any) -> None:
        super().__init__(spec)
        self.match, self.pattern = match, pattern

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        prose = document.prose
        exceptions = self.exceptions(ctx)
        for start, end in scoped_ranges(document, self.spec.scope):
            text = prose[start:end].strip()
            if not text:
                continue
            kept = list(prose[start:end])
            for s, e in exceptions.spans(prose, start, end):
                kept[s - start : e - start] = " " * (e - s)
            rest = "".join(kept)
            if self.match == "$lower":
                ok = rest == rest.lower()
            elif self.match == "$upper":
                ok = rest == rest.upper()
            else:
                ok = self.pattern.search(text) is not None
            if not ok:
                first = start + (len(prose[start:end]) - len(prose[start:end].lstrip()))
                yield self.finding(first, first + len(text), self.message(text))


def _capitalization(file: _File, spec: RuleSpec) -> _ValeRule:
    match = file.get("match")
    styles = {"$title": "title", "$sentence": "sentence"}
    if match in ("$lower", "$upper"):
        return ValeCase(spec, str(match), None)
    if isinstance(match, str) and match and not match.startswith("$"):
        try:
            return ValeCase(spec, match, compile_pattern(match, ignore_case=False))
        except PatternError as error:
            raise _Skip("match", f"'match': {error} (RE2 has no lookaround or backreferences)") from None
    if match not in styles:
        raise _Skip(
            "match", f"'match: {match}' is not supported ($title, $sentence, $lower, $upper or a pattern)"
        )
    if "style" in file.data and file.get("style") not in ("AP", "Chicago"):
        raise file.error("style", "'style' must be AP or Chicago")
    return _ValeCapitalization(spec, styles[str(match)], frozenset(SMALL_WORDS), False)


def _conditional(file: _File, spec: RuleSpec) -> _ValeRule:
    patterns = []
    for key in ("first", "second"):
        value = file.get(key)
        if not isinstance(value, str) or not value:
            raise file.error(key if key in file.data else None, f"a conditional rule needs '{key}'")
        patterns.append(_matcher(file, key, [value], ignore_case=spec.ignore_case))
    return _ValeConditional(spec, patterns[0], patterns[1])


_METRIC_VARIABLES = (
    "words", "sentences", "characters", "syllables", "polysyllabic_words", "complex_words",
    "long_words", "paragraphs", "list", "blockquote", "pre",
    "heading_h1", "heading_h2", "heading_h3", "heading_h4", "heading_h5", "heading_h6",
)  # fmt: skip
_MATH: dict[str, Callable[..., float]] = {
    "sqrt": math.sqrt, "log": math.log, "log2": math.log2, "log10": math.log10, "exp": math.exp,
    "pow": math.pow, "abs": abs, "floor": math.floor, "ceil": math.ceil, "min": min, "max": max,
}  # fmt: skip
_CONDITION = re.compile(r"\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*")
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}  # fmt: skip


class ValeMetric(_ValeRule):
    """Vale's ``metric``: a formula over the document's counts, compared with ``condition``;
    one finding at the document's first line, its message given the result (``%.2f``)."""

    def __init__(self, spec: RuleSpec, formula: ast.Expression, operator: str, bound: float) -> None:
        super().__init__(spec)
        self.formula, self.operator, self.bound = formula, operator, bound

    def details(self) -> list[str]:
        return [f"Formula: {ast.unparse(self.formula)} {self.operator} {self.bound:g}."]

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        try:
            value = float(_evaluate(self.formula.body, metric_variables(document)))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return  # an empty document (no words to divide by), or math.sqrt() without its argument
        if not _COMPARE[self.operator](value, self.bound) or not document.blocks:
            return
        first = document.blocks[0]
        end = document.text.find("\n", first.start, first.end)
        yield self.finding(first.start, end if end > first.start else first.end, self.message(f"{value:.2f}"))


def metric_variables(document: Document) -> dict[str, float]:
    """Vale's metric variables, counted on the document's prose."""
    from redline.readability import textstat_module

    syllables = textstat_module().syllable_count
    words = [t.text for t in document.words]
    per_word = [syllables(w) for w in words]
    kinds = [b.kind for b in document.blocks]
    values: dict[str, float] = dict.fromkeys(_METRIC_VARIABLES, 0.0)
    values.update(
        words=len(words),
        sentences=len(document.sentences),
        characters=sum(len(w) for w in words),
        syllables=sum(per_word),
        polysyllabic_words=sum(1 for n in per_word if n >= 3),
        complex_words=sum(1 for w, n in zip(words, per_word, strict=True) if n >= 3 and not w[:1].isupper()),
        long_words=sum(1 for w in words if len(w) > 6),
        paragraphs=kinds.count(BlockKind.PARAGRAPH),
        list=kinds.count(BlockKind.LIST_ITEM),
        blockquote=kinds.count(BlockKind.BLOCKQUOTE),
        heading_h1=kinds.count(BlockKind.HEADING),
    )
    return values


def _evaluate(node: ast.AST, values: dict[str, float]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, values), _evaluate(node.right, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
        return left % right
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    return float(_MATH[node.func.attr](*(_evaluate(a, values) for a in node.args)))


def _check_formula(node: ast.AST) -> str | None:
    """Why ``node`` is not a formula redline evaluates, or None when it is."""
    if isinstance(node, ast.Constant):
        return (
            None
            if isinstance(node.value, int | float) and not isinstance(node.value, bool)
            else "a non-number"
        )
    if isinstance(node, ast.Name):
        return None if node.id in _METRIC_VARIABLES else f"unknown variable '{node.id}'"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return _check_formula(node.operand)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div | ast.Mod):
        return _check_formula(node.left) or _check_formula(node.right)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "math"
        and node.func.attr in _MATH
        and not node.keywords
    ):
        return next((r for r in map(_check_formula, node.args) if r), None)
    return f"'{ast.unparse(node)}' (only numbers, variables, + - * / % and math.sqrt, math.log...)"


def _metric(file: _File, spec: RuleSpec) -> _ValeRule:
    formula, condition = file.get("formula"), file.get("condition")
    for key, value in (("formula", formula), ("condition", condition)):
        if not isinstance(value, str) or not value.strip():
            raise file.error(key if key in file.data else None, f"a metric rule needs '{key}'")
    assert isinstance(formula, str) and isinstance(condition, str)
    text = re.sub(r"heading\.(h[1-6])", r"heading_\1", formula)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise _Skip("formula", f"formula {formula!r} is not understood: {error.msg}") from None
    problem = _check_formula(tree.body)
    if problem:
        raise _Skip("formula", f"formula {formula!r} is not supported: {problem}")
    try:  # a trial run on made-up counts finds calls with the wrong arguments now, not per file
        _evaluate(tree.body, dict.fromkeys(_METRIC_VARIABLES, 7.0))
    except TypeError as error:
        raise _Skip("formula", f"formula {formula!r} is not supported: {error}") from None
    except (ZeroDivisionError, ValueError, OverflowError):
        pass
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    if used & {"pre", "heading_h2", "heading_h3", "heading_h4", "heading_h5", "heading_h6"}:
        file.warn("formula", "redline counts every heading as heading.h1 and no 'pre' blocks")
    found = _CONDITION.fullmatch(condition)
    if found is None:
        raise _Skip("condition", f"condition {condition!r} is not supported (write '> 8', '<= 0.5'...)")
    return ValeMetric(spec, tree, found.group(1), float(found.group(2)))


_BUILDERS: dict[str, Callable[[_File, RuleSpec], _ValeRule]] = {
    "existence": _existence,
    "substitution": _substitution,
    "occurrence": _occurrence,
    "repetition": _repetition,
    "consistency": _consistency,
    "capitalization": _capitalization,
    "conditional": _conditional,
    "metric": _metric,
}


# -- vocabularies ----------------------------------------------------------------------------


def vocabulary_rules(vocab: Vocabulary, warn: Warn) -> list[PackRule]:
    """``Vale.Avoid`` (reject.txt, error) and ``Vale.Terms`` (accept.txt, error)."""
    where = ", ".join(str(f) for f in vocab.folders)
    rules: list[PackRule] = []

    def spec(code: str, name: str, message: str, ignore_case: bool, summary: str) -> RuleSpec:
        return RuleSpec(
            code=code, name=name, kind="vale vocabulary", summary=summary, docs="", message=message,
            severity=Severity.ERROR, enabled=True, link="", scope=_ALL, ignore_case=ignore_case,
            word_boundaries=True, exceptions=(), sources=(), pack=where, line=None,
        )  # fmt: skip

    usable = []
    for entry in vocab.reject:
        try:
            compile_pattern(entry, ignore_case=False)
            usable.append(entry)
        except PatternError as error:
            warn(f"{where}: reject.txt: entry skipped: {error}")
    if usable:
        avoid = spec("VALE001", "Vale.Avoid", "Avoid using '{match}'.", False, "Words the vocabulary rejects")
        usable.sort(key=len, reverse=True)
        rules.append(
            ValeExistence(
                avoid,
                Matcher(
                    [rf"\b(?:{'|'.join(usable)})\b"], regex=True, ignore_case=False, word_boundaries=False
                ),
            )
        )
    # Only literal entries can be enforced (Vale too: a pattern matches any case of itself).
    terms = [e for e in vocab.accept if _PLAIN.fullmatch(e)]
    if terms:
        message = "Use '{replacement}' instead of '{match}'."
        terms_spec = spec("VALE002", "Vale.Terms", message, True, "Accepted terms written in another case")
        swaps = [Swap(rf"\b(?:{re.escape(t)})\b", t, "unsafe") for t in terms]
        matcher = Matcher([s.key for s in swaps], regex=True, ignore_case=True, word_boundaries=False)
        rules.append(ValeSubstitution(terms_spec, swaps, matcher, True))
    return rules


def load_vale_packs(folders: list[Path], warn: Warn) -> dict[Path, list[PackRule]]:
    """The rules of the Vale styles and vocabularies among ``folders``, by folder.

    Vocabularies are merged, as Vale merges ``Vocab = A, B``; their two rules are listed
    under the first vocabulary folder.
    """
    vocab_folders = [f for f in folders if is_vocabulary(f)]
    vocab = read_vocabularies(vocab_folders) if vocab_folders else None
    rules: dict[Path, list[PackRule]] = {folder: [] for folder in folders}
    for folder in folders:
        if folder not in vocab_folders:
            rules[folder] = load_vale_style(folder, vocab, warn)
    if vocab is not None:
        rules[vocab_folders[0]] = vocabulary_rules(vocab, warn)
    return rules


# -- .vale.ini ---------------------------------------------------------------------------------

_INI_KEY = re.compile(r"([^=]+?)\s*=\s*(.*)")


@dataclass
class _IniEntry:
    section: str
    key: str
    value: str
    line: int


def _ini_entries(path: Path) -> list[_IniEntry]:
    text = _read_guarded(path, "the Vale config")
    entries, section = [], ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        found = _INI_KEY.fullmatch(line)
        if found is None:
            raise ConfigError(path, number, f"not a 'key = value' line: {line!r}")
        entries.append(_IniEntry(section, found.group(1).strip(), found.group(2).strip().strip('"'), number))
    return entries


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def read_vale_ini(path: Path, warn: Warn) -> list[Path]:
    """The style and vocabulary folders a ``.vale.ini`` uses: ``StylesPath`` with the
    ``BasedOnStyles`` of all its sections and its ``Vocab``. Other settings are reported."""
    entries = _ini_entries(path)
    core = {e.key: e for e in entries if e.section == ""}
    if "StylesPath" not in core:
        raise ConfigError(path, None, "no StylesPath (redline does not look in Vale's default location)")
    styles_path = (path.parent / core["StylesPath"].value).resolve()
    if not styles_path.is_dir():
        raise ConfigError(
            path, core["StylesPath"].line, f"StylesPath {core['StylesPath'].value!r} is not a folder"
        )
    folders: list[Path] = []
    for entry in entries:
        if entry.section == "" and entry.key == "Vocab":
            for name in _names(entry.value):
                candidates = [styles_path / "config" / "vocabularies" / name, styles_path / "Vocab" / name]
                folder = next((c for c in candidates if c.is_dir()), None)
                if folder is None:
                    raise ConfigError(path, entry.line, f"vocabulary {name!r} not found in {styles_path}")
                if folder not in folders:
                    folders.append(folder)
        elif entry.section not in ("", "formats") and entry.key == "BasedOnStyles":
            for name in _names(entry.value):
                if name == "Vale":
                    warn(
                        f"{path}:{entry.line}: Vale's built-in style is not read (Vale.Spelling, "
                        "Vale.Repetition); Vale.Terms and Vale.Avoid come from the vocabulary"
                    )
                    continue
                folder = styles_path / name
                if not folder.is_dir():
                    raise ConfigError(path, entry.line, f"style {name!r} not found in {styles_path}")
                if folder not in folders:
                    folders.append(folder)
        elif entry.key != "StylesPath":
            where = f"[{entry.section}] " if entry.section else ""
            warn(f"{path}:{entry.line}: {where}'{entry.key}' is not read by redline; ignored")
    sections = {e.section for e in entries if e.key == "BasedOnStyles" and e.section not in ("", "formats")}
    if len(sections) > 1:
        warn(f"{path}: the styles of all sections ({', '.join(sorted(sections))}) apply to every file")
    return folders


def pack_inputs(path: Path) -> list[Path]:
    """Every file a ``rule-packs`` entry reads (for the result cache's key)."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    if path.suffix == ".ini" and path.is_file():
        try:
            folders = read_vale_ini(path, lambda _: None)
        except ConfigError:
            return [path]
        return [path, *(f for folder in folders for f in pack_inputs(folder))]
    return [path]
