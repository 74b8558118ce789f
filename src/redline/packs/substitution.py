"""``kind = "substitution"``: prefer one form over another, with a fix where it is exact.

``[rule.swap]`` maps what to flag to what to write instead::

    [rule.swap]
    "in order to" = "to"                              # the rule's default fix applies
    "utilize" = { to = "use", fix = "unsafe" }        # per-entry fix: safe, unsafe, none
    "commence" = "begin|start"                        # choices: listed, never applied

The rule's ``fix`` key (default ``"safe"``) says how exact its swaps are. A safe fix is
applied by ``redline --fix``; it is demoted to unsafe when the case of the match cannot be
carried over (``In Order To``), when markup sits inside the match, or when the swap
changes the sound an ``a``/``an`` before it needs. With ``regex = true`` the keys are RE2
patterns and the replacement refers to their groups as ``\\1``, ``\\2``. Case is carried
over only with ``ignore-case = true``; otherwise the replacement is written as given.
Message fields: ``{match}``, ``{replacement}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from redline.document import Document
from redline.findings import Applicability, Edit, Finding, Fix
from redline.packs.base import PackOptions, PackRule, RuleSpec
from redline.packs.matching import Hit, Matcher, preserve_case, unmasked
from redline.packs.reader import TableReader
from redline.rules.base import RuleContext

FIX_CHOICES = ("safe", "unsafe", "none")
_ARTICLE_BEFORE = re.compile(r"(?:^|[^\w])(an?)\s+$", re.IGNORECASE)
_GROUP_REF = re.compile(r"\\(\d)")
_WORDS_BEFORE = re.compile(r"\w+")
#: A one-word replacement that would be the third of its kind within this many words before
#: the match is not suggested: "to attempt to gain access to projects in order to inject"
#: keeps its purpose clause apart with the longer form.
_RUN_WINDOW = 10


@dataclass(frozen=True)
class Swap:
    key: str
    to: str
    fix: str  # safe, unsafe or none

    @property
    def choices(self) -> list[str]:
        return [c.strip() for c in self.to.split("|")]


class SubstitutionRule(PackRule):
    keys = frozenset({"fix", "regex", "swap"})
    message_fields = frozenset({"replacement"})
    default_message = "Prefer '{replacement}' over '{match}'"

    def __init__(self, spec: RuleSpec, swaps: list[Swap], matcher: Matcher, regex: bool) -> None:
        super().__init__(spec)
        self.swaps, self.matcher, self.regex = swaps, matcher, regex

    @classmethod
    def build(cls, spec: RuleSpec, reader: TableReader) -> SubstitutionRule:
        default_fix = reader.choice("fix", FIX_CHOICES, "safe")
        regex = reader.boolean("regex", False)
        table = reader.table_of("swap")
        if not table:
            raise reader.error(None, "a substitution rule needs a [rule.swap] table")
        swaps = []
        for key, value in table.items():
            if isinstance(value, str):
                swaps.append(Swap(key, value, default_fix))
                continue
            if (
                not isinstance(value, dict)
                or not isinstance(value.get("to"), str)
                or set(value) - {"to", "fix"}
            ):
                raise reader.error(
                    ("swap", key), f'swap {key!r}: give a string or {{ to = "...", fix = "..." }}'
                )
            fix = value.get("fix", default_fix)
            if fix not in FIX_CHOICES:
                raise reader.error(
                    ("swap", key), f"swap {key!r}: fix must be one of {', '.join(FIX_CHOICES)}"
                )
            swaps.append(Swap(key, value["to"], fix))
        _reject_self_maps(reader, swaps, ignore_case=spec.ignore_case)
        matcher = cls.compile_terms(spec, reader, "swap", [s.key for s in swaps], regex=regex)
        _check_settles(spec, reader, swaps, matcher, regex)
        return cls(spec, swaps, matcher, regex)

    def details(self) -> list[str]:
        safe = sum(1 for s in self.swaps if s.fix == "safe" and len(s.choices) == 1)
        return [f"Entries: {len(self.swaps)} ({safe} with a safe fix)."]

    def check(self, document: Document, ctx: RuleContext[PackOptions]) -> Iterator[Finding]:
        for hit in self.hits(document, self.matcher, ctx):
            swap = self.swaps[hit.index]
            if _breaks_a_run(document.prose, hit.start, swap.choices):
                continue
            replacement = self.replacement(swap, hit)
            fix = self.fix(document, swap, hit, replacement)
            shown = replacement if replacement is not None else swap.to.replace("|", "' or '")
            yield self.finding(hit.start, hit.end, self.message(hit.text, replacement=shown), fix=fix)

    def replacement(self, swap: Swap, hit: Hit) -> str | None:
        """The case-preserved replacement, or None when there is no single exact one."""
        if len(swap.choices) != 1:
            return None
        to = swap.choices[0]
        if self.regex:
            to = _GROUP_REF.sub(lambda m: _group(hit, int(m.group(1))), to)
        if not self.spec.ignore_case:
            return to  # the match has exactly the case the pack wrote: so has the replacement
        if self.regex:
            return preserve_case(hit.text, None, to)
        return preserve_case(hit.text, swap.key, to)

    def fix(self, document: Document, swap: Swap, hit: Hit, replacement: str | None) -> Fix | None:
        if swap.fix == "none" or len(swap.choices) != 1 or not unmasked(document, hit.start, hit.end):
            return None  # no single replacement, or an edit here would delete markup or code
        safe = swap.fix == "safe" and replacement is not None
        text = replacement if replacement is not None else swap.choices[0]
        end = hit.end
        if text.endswith(".") and document.text.startswith(".", end):
            end += 1  # "10 p.m." ending a sentence takes the full stop: no "p.m.."
        edits = [Edit(hit.start, end, text)]
        article = _article_edit(document.text, hit.start, text)
        if article is not None:
            edits.insert(0, article)  # "an added bonus" -> "a bonus": a guess from spelling, so unsafe
            safe = False
        return Fix(tuple(edits), Applicability.SAFE if safe else Applicability.UNSAFE)


def _breaks_a_run(prose: str, start: int, choices: list[str]) -> bool:
    """True when the one-word replacement already occurs twice in the words just before.

    "to attempt to gain access to projects in order to inject": "to inject" would be the
    fourth "to" in a row, and the longer form is what marks the purpose.
    """
    if len(choices) != 1 or " " in choices[0]:
        return False
    word = choices[0].lower()
    head = re.split(r"[.!?;:]", prose[max(0, start - 200) : start])[-1]
    window = _WORDS_BEFORE.findall(head.lower())[-_RUN_WINDOW:]
    return window.count(word) >= 2


def _check_settles(
    spec: RuleSpec, reader: TableReader, swaps: list[Swap], matcher: Matcher, regex: bool
) -> None:
    """Refuse a fixable swap whose output this rule would flag again (issue 18, item 7).

    ``"dog" = "big dog"`` would add a "big" on every ``--fix`` pass and ``"cat" = "cat
    cat"`` double the cats; a loop through two keys (``"a" = "b"``, ``"b" = "a"``) is
    caught the same way. A match inside one of the rule's exceptions is not a match. A
    regex replacement that uses groups (``\\1``) is checked at fix time instead.
    """
    phrases = [p for p in spec.exceptions if p.strip()]
    exceptions = (
        Matcher(phrases, regex=False, ignore_case=spec.ignore_case, word_boundaries=True) if phrases else None
    )
    for swap in swaps:
        if swap.fix == "none" or len(swap.choices) != 1:
            continue  # never applied
        output = swap.choices[0]
        if regex and _GROUP_REF.search(output):
            continue
        skip = [(s, e) for _, s, e in exceptions.terms_in(output)] if exceptions else []
        for index, start, end in matcher.terms_in(output):
            if not any(s <= start and end <= e for s, e in skip):
                again = swaps[index].key
                raise reader.error(
                    ("swap", swap.key),
                    f"swap {swap.key!r} -> {output!r} does not settle: its output matches "
                    f"{again!r} again, so every --fix pass would change it",
                )


def _reject_self_maps(reader: TableReader, swaps: list[Swap], *, ignore_case: bool) -> None:
    """A swap that offers its own text as the replacement flags what it asks for (and
    ``--fix`` would "fix" it forever): an error at the pack's line, as in codespell's lists."""
    for swap in swaps:
        key = swap.key.casefold() if ignore_case else swap.key
        if any((c.casefold() if ignore_case else c) == key for c in swap.choices):
            raise reader.error(("swap", swap.key), f"swap {swap.key!r} maps to itself")


def _group(hit: Hit, number: int) -> str:
    if number == 0:
        return hit.text
    return (hit.groups[number - 1] or "") if number <= len(hit.groups) else ""


def _article_edit(text: str, start: int, new: str) -> Edit | None:
    """The edit to an ``a``/``an`` just before ``start`` that ``new`` needs, if any."""
    found = _ARTICLE_BEFORE.search(text, max(0, start - 8), start)
    if found is None or not new:
        return None
    article = found.group(1)
    wanted = "an" if new[:1] in "aeiouAEIOU" else "a"
    if article.lower() == wanted:
        return None
    written = wanted.capitalize() if article[:1].isupper() else wanted
    return Edit(found.start(1), found.end(1), written)
