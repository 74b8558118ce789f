"""Finding records: what a rule reports, anchored by code-point offsets.

Offsets are 0-based and end-exclusive, into the decoded text of the file (a UTF-8 BOM
is not part of the text). Lines and columns are derived from offsets only at output
time, by :class:`redline.linecol.LineIndex`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected info, warning or error)") from None


class Applicability(enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE


@dataclass(frozen=True)
class Related:
    """Another place that belongs to a finding (the earlier sentence a duplicate repeats).

    ``path`` is None for a place in the same file as the finding.
    """

    start: int
    end: int
    message: str = ""
    path: str | None = None


@dataclass
class Finding:
    code: str
    rule: str
    message: str
    start: int
    end: int
    severity: Severity = Severity.WARNING
    related: list[Related] = field(default_factory=list)
    fix: Fix | None = None
    #: Machine-readable details (a score, counts): ``data`` in JSON output, never in the message.
    data: dict[str, float | int | str] = field(default_factory=dict)

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.start, self.end, self.code, self.message)
