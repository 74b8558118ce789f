"""Applying fixes: safe edits by default, unsafe ones on request, written atomically.

A finding's fix is a list of edits with an applicability. One pass takes the fixes in
document order and applies every one whose edits do not overlap an edit already taken;
the others wait for the next pass, which lints the changed text again (as ruff does), up
to :data:`MAX_PASSES`. Applying fixes to text that has none left changes nothing, so
running ``--fix`` twice is the same as running it once.

A file is written back only if it still holds the bytes that were linted: the content
is compared just before a temporary file in the same folder replaces it (``os.replace``,
so a reader never sees half a file), with the original's permission bits. The text is
encoded as it was read (``Source.encoding``: a UTF-8 BOM is kept; line endings are part
of the text and are kept too), so every byte outside the edits is unchanged.
"""

from __future__ import annotations

import codecs
import difflib
import itertools
import os
import stat
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from redline.findings import Applicability, Edit, Finding
from redline.results import FileError, FileResult, RunResult, SourceLinter
from redline.source import Source, SourceError, decode

MAX_PASSES = 10


class FixError(Exception):
    """A fixed file could not be written; the message says why."""


@dataclass
class FixedFile:
    path: str
    original: str
    fixed: str
    applied: int  # findings whose fix was applied
    codes: list[str] = field(default_factory=list)  # the rule code of each fix applied

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.fixed.splitlines(keepends=True),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


@dataclass
class FixReport:
    files: list[FixedFile] = field(default_factory=list)
    unsafe_left: int = 0  # findings left whose fix is unsafe (hidden without --unsafe-fixes)

    @property
    def applied(self) -> int:
        return sum(f.applied for f in self.files)


def wanted(finding: Finding, unsafe: bool) -> bool:
    fix = finding.fix
    return fix is not None and bool(fix.edits) and (unsafe or fix.applicability is Applicability.SAFE)


def select_edits(findings: list[Finding], unsafe: bool = False) -> tuple[list[Edit], int]:
    """Edits of the fixes that can be applied together, in order, and how many fixes they are."""
    taken: list[Edit] = []
    count = 0
    for finding in sorted(findings, key=Finding.sort_key):
        if not wanted(finding, unsafe):
            continue
        assert finding.fix is not None
        edits = sorted(finding.fix.edits)
        clash = any(_overlap(a, b) for a in edits for b in taken) or any(
            _overlap(a, b) for a, b in itertools.pairwise(edits)
        )
        if clash:
            continue  # applied in a later pass, if it still applies then
        taken.extend(edits)
        count += 1
    return sorted(taken), count


def _overlap(a: Edit, b: Edit) -> bool:
    if a.start == b.start:
        return True  # two edits at one point: their order would be a guess
    return a.start < b.end and b.start < a.end


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied."""
    parts: list[str] = []
    cursor = 0
    for edit in sorted(edits):
        parts.append(text[cursor : edit.start])
        parts.append(edit.replacement)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts)


def fix_source(linter: SourceLinter, first: FileResult, unsafe: bool = False) -> tuple[FixedFile, FileResult]:
    """Fix one linted file's text in passes; the fixed text and the findings left in it."""
    source, current = first.source, first
    text, applied = source.text, 0
    codes: list[str] = []
    for _ in range(MAX_PASSES):
        edits, count = select_edits(current.findings, unsafe)
        taken = _fixed_codes(current.findings, edits)
        if not edits:
            break
        new_text = apply_edits(text, edits)
        if new_text == text:
            break
        relinted = linter.lint_source(Source(source.path, new_text, source.encoding), Path(source.path))
        if not relinted.files:
            break
        text, applied, current = new_text, applied + count, relinted.files[0]
        codes.extend(taken)
    return FixedFile(source.path, source.text, text, applied, codes), current


def _fixed_codes(findings: list[Finding], edits: list[Edit]) -> list[str]:
    """The codes of the findings whose every edit is among ``edits`` (the fixes taken)."""
    chosen = set(edits)
    return [f.code for f in findings if f.fix and f.fix.edits and chosen.issuperset(f.fix.edits)]


def fix_run(
    linter: SourceLinter, run: RunResult, *, unsafe: bool = False, write: bool = True, on_disk: bool = True
) -> FixReport:
    """Fix every file of ``run``; its findings become those left after fixing.

    With ``on_disk`` false (text from stdin) nothing is read or written: the fixed text is
    in the report. A file that changed on disk since it was linted is left alone, as an
    error of the run.
    """
    report = FixReport()
    for index, result in enumerate(run.files):
        if not on_disk:
            fixed, run.files[index] = fix_source(linter, result, unsafe)
            report.files.append(fixed)
            continue
        try:
            before = Path(result.path).stat()
            data = Path(result.path).read_bytes()
            if decode(result.path, data).text != result.source.text:
                raise FixError("changed since it was read; not fixed")
            fixed, remaining = fix_source(linter, result, unsafe)
            if fixed.changed and write:
                write_atomic(result.path, data, before, encode(fixed.fixed, result.source.encoding, data))
        except (OSError, SourceError, FixError) as error:
            message = str(error) if isinstance(error, FixError | SourceError) else f"cannot fix: {error}"
            run.errors.append(FileError(result.path, message))
            continue
        report.files.append(fixed)
        run.files[index] = remaining
    return report


def encode(text: str, encoding: str, original: bytes) -> bytes:
    """``text`` in the file's encoding, with the byte order mark the original had."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if encoding in ("utf-16", "utf-32") and codec.startswith(encoding) and original.startswith(bom):
            return bom + text.encode(codec)
    return text.encode(encoding)


def write_atomic(path: str, expected: bytes, before: os.stat_result, data: bytes) -> None:
    """Replace the file at ``path`` with ``data`` if it still holds ``expected`` (read at ``before``)."""
    target = Path(os.path.realpath(path))
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".redline")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(before.st_mode))
        now = target.stat()
        if (now.st_mtime_ns, now.st_size) != (
            before.st_mtime_ns,
            before.st_size,
        ) or target.read_bytes() != expected:
            raise FixError("changed while being fixed; not written")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run_fix_command(
    linter: SourceLinter, run: RunResult, *, diff: bool, unsafe: bool, stdin: bool, out: TextIO, err: TextIO
) -> tuple[FixReport, int | None]:
    """``check --fix`` / ``--diff``: fix, print diffs (or, for stdin, the fixed text).

    Returns the report and, when the command is done (``--diff``, or stdin), its exit
    code; otherwise the caller prints the findings left, as usual.
    """
    report = fix_run(linter, run, unsafe=unsafe, write=not diff, on_disk=not stdin)
    if not unsafe:
        report.unsafe_left = sum(1 for r in run.files for f in r.findings if wanted(f, True))
    if diff:
        for fixed in report.files:
            out.write(fixed.diff())
        would = report.applied
        err.write(f"Would fix {would} finding{'s' if would != 1 else ''}.\n")
        return report, 2 if run.errors else (1 if would else 0)
    if stdin:
        for fixed in report.files:
            out.write(fixed.fixed)
        return report, 2 if run.errors else (1 if run.failed else 0)
    return report, None


def fixes_applied(report: FixReport) -> list[str]:
    """``--show-fixes`` after ``--fix``: per file, how many fixes of each rule were applied."""
    rows = []
    for fixed in report.files:
        for code, count in sorted(Counter(fixed.codes).items()):
            rows.append(f"Fixed {fixed.path}: {count} × {code}")
    return rows


def fixes_available(run: RunResult, unsafe: bool = False) -> list[str]:
    """``--show-fixes`` without ``--fix``: each finding's fix, as the edit it would make."""
    rows = []
    for result in run.files:
        for finding in result.findings:
            if not wanted(finding, unsafe):
                continue
            assert finding.fix is not None
            line, column = result.document.lines.position(finding.start)
            edits = "; ".join(
                f"{result.source.text[e.start:e.end]!r} -> {e.replacement!r}" for e in sorted(finding.fix.edits)
            )
            kind = "" if finding.fix.applicability is Applicability.SAFE else " (unsafe)"
            rows.append(f"Fixable{kind} {result.path}:{line}:{column}: {finding.code} {edits}")
    return rows


def summary(report: FixReport) -> str:
    text = f"Fixed {report.applied} finding{'s' if report.applied != 1 else ''}."
    if report.unsafe_left:
        text += f" {report.unsafe_left} more with --unsafe-fixes."
    return text
