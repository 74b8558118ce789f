"""What a rule is: a stable code, a dotted name, typed options and a pure ``check``.

A rule receives a parsed :class:`~redline.document.Document` and a :class:`RuleContext`
(its options, the shared services) and yields findings. It never prints, reads files or
looks up config: selection, suppression, severity and sorting happen in the engine.

The class docstring is the rule's documentation, printed by ``redline explain``: first
line a short description, then why it matters, a ``Bad::`` and a ``Good::`` example
(indented blocks, run as tests), and the options.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from redline.findings import Finding, Fix, Related, Severity

if TYPE_CHECKING:
    from pathlib import Path

    from redline.document import Document
    from redline.services import Services


@dataclass(frozen=True)
class Bounds:
    """The values a numeric option accepts, declared once on its options dataclass field.

    ``minimum``/``maximum`` are inclusive, ``above``/``below`` exclusive. Every number must
    also be finite (TOML has ``nan`` and ``inf``).
    """

    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None
    below: float | None = None

    def admits(self, value: float) -> bool:
        return (
            math.isfinite(value)
            and (self.minimum is None or value >= self.minimum)
            and (self.maximum is None or value <= self.maximum)
            and (self.above is None or value > self.above)
            and (self.below is None or value < self.below)
        )

    def describe(self, integer: bool) -> str:
        """``an integer of at least 1``, ``a number over 0 and under 1``."""
        if self.minimum is not None and self.maximum is not None:
            low, high = _number(self.minimum), _number(self.maximum)
            parts = [f"from {low} to {high}"]
        else:
            parts = [
                f"{word} {_number(limit)}"
                for word, limit in (
                    ("of at least", self.minimum),
                    ("over", self.above),
                    ("of at most", self.maximum),
                    ("under", self.below),
                )
                if limit is not None
            ]
        if not parts:
            return "a finite integer" if integer else "a finite number"
        return f"{'an integer' if integer else 'a number'} {' and '.join(parts)}"


#: What a numeric option without declared bounds accepts: counts, limits, densities and
#: grades are never negative.
DEFAULT_BOUNDS = Bounds(minimum=0)


def bounded(
    default: float | None,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    below: float | None = None,
) -> Any:
    """A numeric option field with its accepted range, checked when a config is loaded."""
    bounds = Bounds(minimum, maximum, above, below)
    return field(default=default, metadata={"bounds": bounds})


def option_bounds(option: dataclasses.Field[Any]) -> Bounds:
    bounds = option.metadata.get("bounds", DEFAULT_BOUNDS)
    assert isinstance(bounds, Bounds)
    return bounds


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class NoOptions:
    pass


#: A rule's options dataclass: ``Rule[MyOptions]`` makes mypy check every use of them.
OptionsT = TypeVar("OptionsT")


@dataclass
class RuleContext(Generic[OptionsT]):
    options: OptionsT
    services: Services
    verbose: bool = False


@dataclass(frozen=True)
class RuleMeta:
    """Everything known about a rule besides its code: one record for built-in and pack rules.

    Output formats, the review report and the language server read this, never the rule.
    """

    code: str
    name: str
    summary: str
    documentation: str
    severity: Severity
    enabled: bool
    #: Too slow for every keystroke: the language server runs it on save only.
    slow: bool = False
    #: Looks at every document of a run together (``check_corpus``).
    cross_file: bool = False
    #: A page that explains the rule (pack rules' ``link``).
    link: str = ""
    #: One line for tools that show a description (a Vale rule keeps its own, maybe empty).
    description: str = ""

    @property
    def family(self) -> str:
        """The first part of the dotted name: ``redundancy``, ``hedging``, a pack's name."""
        return self.name.split(".", 1)[0]


class Rule(Generic[OptionsT]):
    """A rule. Built-in rules set these attributes on their class, pack rules per instance."""

    code: str = ""
    name: str = ""
    default_enabled: bool = True
    default_severity: Severity = Severity.WARNING
    Options: ClassVar[type] = NoOptions
    cross_file: bool = False
    slow: bool = False
    link: str = ""

    @property
    def meta(self) -> RuleMeta:
        return RuleMeta(
            code=self.code,
            name=self.name,
            summary=self.summary,
            documentation=self.documentation,
            severity=self.default_severity,
            enabled=self.default_enabled,
            slow=self.slow,
            cross_file=self.cross_file,
            link=self.link,
            description=self.description,
        )

    @property
    def family(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def description(self) -> str:
        return f"{self.summary}."

    @property
    def summary(self) -> str:
        return self.documentation.split("\n", 1)[0].strip().rstrip(".")

    @property
    def documentation(self) -> str:
        return inspect.cleandoc(type(self).__doc__ or self.name)

    def check(self, document: Document, ctx: RuleContext[OptionsT]) -> Iterable[Finding]:
        return ()

    def check_corpus(self, documents: list[Document], ctx: RuleContext[OptionsT]) -> dict[str, list[Finding]]:
        """Findings over all the documents of a run, keyed by path (cross-file rules)."""
        return {}

    def finding(
        self,
        start: int,
        end: int,
        message: str,
        *,
        related: Iterable[Related] = (),
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            rule=self.name,
            message=message,
            start=start,
            end=end,
            severity=severity or self.default_severity,
            related=list(related),
            fix=fix,
        )

    def default_options(self) -> OptionsT:
        options: OptionsT = self.Options()
        return options

    def environment_key(self, options: Any, cache_dir: Path | None) -> str:
        """What, besides options and text, this rule's results depend on in this environment
        (a model's weights); part of the result-cache key, so no environment reads results
        that another one computed with a model it does not have."""
        return ""

    def option_problems(self, options: Any) -> Iterator[tuple[str, str]]:
        """``(option-key, message)`` for values that are in range alone but wrong together,
        or that name data the rule does not have; checked when a config is loaded. A problem
        of two options is yielded once per key: the error names the one the config set."""
        return iter(())


def in_order(low_key: str, low: float, high_key: str, high: float) -> Iterator[tuple[str, str]]:
    """The problems of two options that must not cross (``min-words`` <= ``max-words``)."""
    if low > high:
        yield low_key, f"must not exceed {high_key} ({high}), got {low}"
        yield high_key, f"must be at least {low_key} ({low}), got {high}"


#: A rule whatever its options (registries, selection, output).
AnyRule = Rule[Any]

_EXAMPLE = re.compile(r"^(Bad|Good)::\n\n((?:(?:    .*)?\n)+)", re.MULTILINE)


def doc_examples(rule: AnyRule) -> Iterator[tuple[str, str]]:
    """``("bad" | "good", text)`` for each example block in the rule's documentation."""
    for match in _EXAMPLE.finditer(rule.documentation + "\n"):
        body = "\n".join(line[4:] for line in match.group(2).splitlines()).strip("\n") + "\n"
        yield match.group(1).lower(), body
