"""The one shared sample every output format is snapshot-tested on, and the snapshot helper.

A fixed :class:`RunResult` over three small files, built by hand (not by running rules, so
rule changes do not churn the snapshots): non-ASCII text before a finding (code-point,
UTF-16 and UTF-8 columns all differ there), a related location in another file, a safe
and an unsafe fix, all three severities, a rule the formatters cannot look up (from a
pack), characters that need escaping (``% , : < & "``), a clean file and two file errors.

Set ``REDLINE_UPDATE_SNAPSHOTS=1`` to rewrite the files under ``tests/snapshots/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from redline.engine import FileError, FileResult, RunResult
from redline.findings import Applicability, Edit, Finding, Fix, Related, Severity
from redline.markup import parse
from redline.rules import Registry
from redline.rules.base import Rule
from redline.source import Source

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE_ENV = "REDLINE_UPDATE_SNAPSHOTS"

GUIDE = """\
# Café guide ☕

Our café 🍰 serves the the best coffee in town.

Fresh beans arrive every Monday morning from the roaster.

We roast in small batches, so every cup tastes fresh and every bag is dated by hand.
"""

INTRO = """\
Welcome to the café.

Fresh beans arrive every Monday morning from the roaster.
"""

NOTES = """\
R&D ships "the blend" today.
"""

REPEATED = "Fresh beans arrive every Monday morning from the roaster."
LONG = "We roast in small batches, so every cup tastes fresh and every bag is dated by hand."


class SampleRepeatedSentence(Rule):
    """Sentence repeated word for word.

    A sentence that appears again is padding: the reader has already read it.

    Bad::

        Upgrade today. Upgrade today.

    Good::

        Upgrade today.
    """

    code = "RL101"
    name = "redundancy.repeated-sentence"


class SampleDoubledWord(Rule):
    """Word written twice in a row.

    "the the" is a typing slip that spell checkers miss.
    """

    code = "RL106"
    name = "redundancy.doubled-word"


class SampleLongSentence(Rule):
    """Sentence too long."""

    code = "RL301"
    name = "readability.long-sentence"
    default_enabled = False
    default_severity = Severity.INFO


def sample_rules() -> Registry:
    """Stand-ins for the built-in rules with fixed documentation, so that editing a rule's
    docstring does not change the SARIF snapshot (the sample run carries their metadata).
    """
    return Registry([SampleRepeatedSentence(), SampleDoubledWord(), SampleLongSentence()])


def _file(path: str, text: str, findings: list[Finding]) -> FileResult:
    return FileResult(path, Source(path, text, "utf-8"), parse(path, text), findings)


def sample_run() -> RunResult:
    doubled = GUIDE.index("the the")
    repeated, earlier = GUIDE.index(REPEATED), INTRO.index(REPEATED)
    long_start = GUIDE.index(LONG)
    guide = _file(
        "docs/guide.md",
        GUIDE,
        [
            Finding(
                "RL106",
                "redundancy.doubled-word",
                "Doubled word: 'the' written twice",
                doubled,
                doubled + 7,
                fix=Fix((Edit(doubled + 3, doubled + 7, ""),)),
            ),
            Finding(
                "RL101",
                "redundancy.repeated-sentence",
                "Sentence repeats docs/intro.md line 3 word for word",
                repeated,
                repeated + len(REPEATED),
                severity=Severity.ERROR,
                related=[
                    Related(earlier, earlier + len(REPEATED), "earlier occurrence", path="docs/intro.md")
                ],
            ),
            Finding(
                "RL301",
                "readability.long-sentence",
                "Sentence has 17 words (limit 12, 42% over)",
                long_start,
                long_start + len(LONG),
                severity=Severity.INFO,
            ),
        ],
    )
    intro = _file("docs/intro.md", INTRO, [])
    notes = _file(
        "notes/50% done, v2.txt",
        NOTES,
        [
            Finding(
                "ACME001",
                "acme.spell-out",
                "Write 'research & development', not 'R&D' (house style: no <abbr>)",
                0,
                3,
                fix=Fix((Edit(0, 3, "Research & development"),), Applicability.UNSAFE),
            )
        ],
    )
    return RunResult(
        files=[guide, intro, notes],
        errors=[
            FileError(
                "notes/broken.md", "not valid UTF-8: byte 0xff at offset 3 (line 1); redline reads UTF-8 text"
            ),
            FileError("redline.toml", "unknown key 'selct' in [tool]", 4),
        ],
        rules={rule.code: rule.meta for rule in sample_rules()},
    )


def assert_snapshot(name: str, actual: str) -> None:
    """``actual`` equals ``tests/snapshots/<name>``; with REDLINE_UPDATE_SNAPSHOTS=1 it is written."""
    path = SNAPSHOTS / name
    if os.environ.get(UPDATE_ENV):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    assert path.exists(), f"no snapshot {path}; run with {UPDATE_ENV}=1 to create it"
    assert actual == path.read_bytes().decode("utf-8"), f"{name} differs; {UPDATE_ENV}=1 rewrites it"
