"""The rule registry: every built-in rule, plus the rules that packs add at run time.

Built-in rule modules are listed here by name and imported when the registry is first
built; a rule module imports nothing heavy at module level.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator

from redline.rules.base import AnyRule

BUILTIN_MODULES = (
    "redline.rules.redundancy.repeated_sentence",
    "redline.rules.redundancy.doubled_word",
    "redline.rules.redundancy.near_duplicate",
    "redline.rules.redundancy.repeated_phrase",
    "redline.rules.redundancy.repetitive_opener",
    "redline.rules.readability.long_sentence",
    "redline.rules.readability.document_grade",
    "redline.rules.readability.paragraph_grade",
    "redline.rules.readability.hard_sentence",
    "redline.rules.readability.long_paragraph",
    "redline.rules.readability.passive_voice",
    "redline.rules.hedging.hedge",
    "redline.rules.hedging.weasel",
    "redline.rules.hedging.intensifier",
    "redline.rules.hedging.expectation",
)


def builtin_rules() -> list[AnyRule]:
    rules: list[AnyRule] = []
    for module_name in BUILTIN_MODULES:
        module = importlib.import_module(module_name)
        rules.extend(cls() for cls in getattr(module, "RULES", ()))
    from redline.packs import builtin_pack_rules  # the rules of the packs in rules/*.toml

    rules.extend(builtin_pack_rules())
    return rules


class Registry:
    """All known rules, looked up by code or dotted name."""

    def __init__(self, rules: Iterable[AnyRule]) -> None:
        self._rules: list[AnyRule] = []
        self._by_key: dict[str, AnyRule] = {}
        self._by_short_name: dict[str, list[AnyRule]] = {}
        for rule in rules:
            self.add(rule)

    def add(self, rule: AnyRule) -> None:
        for key in (rule.code.upper(), rule.name.lower()):
            if key in self._by_key:
                raise ValueError(f"rule {key!r} is defined twice")
        self._rules.append(rule)
        self._by_key[rule.code.upper()] = rule
        self._by_key[rule.name.lower()] = rule
        self._by_short_name.setdefault(rule.name.lower().rsplit(".", 1)[-1], []).append(rule)

    def __iter__(self) -> Iterator[AnyRule]:
        return iter(sorted(self._rules, key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self._rules)

    def get(self, key: str) -> AnyRule | None:
        """The rule with this code, dotted name, or unambiguous last name part."""
        found = self._by_key.get(key.upper()) or self._by_key.get(key.lower())
        if found is None and len(self._by_short_name.get(key.lower(), [])) == 1:
            found = self._by_short_name[key.lower()][0]
        return found

    def matches(self, selector: str) -> list[AnyRule]:
        return [r for r in self if selector_specificity(selector, r) is not None]


def selector_specificity(selector: str, rule: AnyRule) -> int | None:
    """How specifically ``selector`` names ``rule`` (longer is more specific), or None.

    A selector is ``ALL``, a code prefix (``RL1``, ``RL101``) or a dotted-name prefix
    ending at a dot boundary (``redundancy``, ``redundancy.near-duplicate``).
    """
    return code_or_name_specificity(selector, rule.code, rule.name)


def code_or_name_specificity(selector: str, code: str, name: str) -> int | None:
    if selector.upper() == "ALL":
        return 0
    if code.upper().startswith(selector.upper()):
        return len(selector)
    name, wanted = name.lower(), selector.lower()
    if name == wanted or name.startswith(wanted + "."):
        return len(selector)
    return None
