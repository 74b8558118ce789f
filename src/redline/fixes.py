"""Applying fixes: safe edits by default, unsafe ones on request, written safely.

A finding's fix is a list of edits with an applicability. One pass takes the fixes in
document order and applies every one whose edits do not overlap an edit already taken;
the others wait for the next pass, which lints the changed text again (as ruff does), up
to :data:`MAX_PASSES`. Applying fixes to text that has none left changes nothing, so
running ``--fix`` twice is the same as running it once. A pass that resolves nothing (a
fix re-creating what it fixed) stops the passes with a warning; swaps that would never
settle are refused when their pack loads.

A file is written back only if it still holds the bytes that were linted, and only if
it is writable (a read-only file is an error of the run). The content is compared just
before a temporary file in the same folder replaces it (``os.replace``, so a reader
never sees half a file), with the original's mode, owner and group. A file with several
hard links, or one whose owner the temporary cannot be given, is overwritten in place
instead (links and owner kept, not atomic). The text is encoded as it was read
(``Source.encoding``: a BOM is kept; line endings are part of the text and are kept
too), so every byte outside the edits is unchanged. Temporaries left by a killed run
are removed by the next ``--fix`` (:func:`remove_stale_temporaries`). ``--diff`` prints
a byte-exact unified diff that ``git apply`` and ``patch`` accept.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import itertools
import os
import re
import stat
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from redline.findings import Applicability, Edit, Finding
from redline.output.escape import visible
from redline.results import FileError, FileResult, RunResult, SourceLinter
from redline.source import Source, SourceError, decode, read_regular

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
    encoding: str = "utf-8"  # the codec of the file (``Source.encoding``)
    raw: bytes | None = None  # the file's bytes as read (None: text from stdin)
    unsettled: str | None = None  # why fixing stopped before the fixes settled

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff_bytes(self) -> bytes:
        """A unified diff of the file's bytes that ``git apply`` and ``patch`` accept."""
        before = self.raw if self.raw is not None else encode(self.original, self.encoding, b"")
        if not self.changed:
            return b""
        return unified_diff_bytes(before, encode(self.fixed, self.encoding, before), self.path)

    def diff(self) -> str:
        return self.diff_bytes().decode("utf-8", "surrogateescape")


def _byte_lines(data: bytes) -> list[bytes]:
    """``data`` split after each LF, as git and patch see lines (a lone CR is not a break)."""
    lines = data.split(b"\n")
    out = [line + b"\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified_diff_bytes(before: bytes, after: bytes, path: str) -> bytes:
    """The diff of two versions of a file, byte for byte.

    Lines are split on LF only, the bytes of a UTF-8 BOM or of UTF-16 text stay as they
    are in the file, and a last line without a line break gets git's ``\\ No newline
    at end of file`` marker: the patch reproduces the file exactly.
    """
    name = os.fsencode(path)
    out: list[bytes] = []
    for line in difflib.diff_bytes(
        difflib.unified_diff, _byte_lines(before), _byte_lines(after), b"a/" + name, b"b/" + name
    ):
        out.append(line)
        if not line.endswith(b"\n"):
            out.append(b"\n\\ No newline at end of file\n")
    return b"".join(out)


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
    """Fix one linted file's text in passes; the fixed text and the findings left in it.

    Passes stop when no fix is left, and also when a pass resolved nothing: the fixable
    findings after it are those before it (a fix that re-creates what it fixed, such as
    ``"dog" = "big dog"``) or the text is one seen before (fixes undoing each other).
    :attr:`FixedFile.unsettled` then says so; the text is that of the last pass.
    """
    source, current = first.source, first
    text, applied = source.text, 0
    codes: list[str] = []
    seen = {text}
    unsettled = None
    for number in range(1, MAX_PASSES + 1):
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
        before = _fixable(current.findings, text, unsafe)
        text, applied, current = new_text, applied + count, relinted.files[0]
        codes.extend(taken)
        if new_text in seen or not before - _fixable(current.findings, text, unsafe):
            unsettled = f"fixes did not settle (pass {number} re-created what it fixed); stopped"
            break
        seen.add(new_text)
    else:
        if select_edits(current.findings, unsafe)[0]:
            unsettled = f"fixes did not settle after {MAX_PASSES} passes; stopped"
    fixed = FixedFile(source.path, source.text, text, applied, codes, source.encoding, unsettled=unsettled)
    return fixed, current


def _fixed_codes(findings: list[Finding], edits: list[Edit]) -> list[str]:
    """The codes of the findings whose every edit is among ``edits`` (the fixes taken)."""
    chosen = set(edits)
    return [f.code for f in findings if f.fix and f.fix.edits and chosen.issuperset(f.fix.edits)]


def _fixable(findings: list[Finding], text: str, unsafe: bool) -> Counter[tuple[str, str]]:
    """The fixable findings of ``text`` as (code, flagged text): what a pass should reduce."""
    return Counter((f.code, text[f.start : f.end]) for f in findings if wanted(f, unsafe))


def fix_run(
    linter: SourceLinter, run: RunResult, *, unsafe: bool = False, write: bool = True, on_disk: bool = True
) -> FixReport:
    """Fix every file of ``run``; its findings become those left after fixing.

    With ``on_disk`` false (text from stdin) nothing is read or written: the fixed text is
    in the report. A file that changed on disk since it was linted is left alone, as an
    error of the run.
    """
    report = FixReport()
    swept: set[Path] = set()
    for index, result in enumerate(run.files):
        if not on_disk:
            fixed, run.files[index] = fix_source(linter, result, unsafe)
            report.files.append(fixed)
            continue
        try:
            if write:
                folder = Path(os.path.realpath(result.path)).parent
                if folder not in swept:
                    swept.add(folder)
                    remove_stale_temporaries(folder)
            before = os.stat(result.path)
            data = read_regular(result.path, None)
            if decode(result.path, data).text != result.source.text:
                raise FixError("changed since it was read; not fixed")
            fixed, remaining = fix_source(linter, result, unsafe)
            fixed.raw = data
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


#: Temporaries are ``.<name>.<8 random characters>.redline`` beside the file they replace.
TEMPORARY_SUFFIX = ".redline"
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}" + re.escape(TEMPORARY_SUFFIX))
#: A temporary younger than this is never removed, even unlocked (its writer may not have
#: locked it yet).
STALE_AFTER_SECONDS = 10.0


def write_atomic(path: str, expected: bytes, before: os.stat_result, data: bytes) -> None:
    """Write ``data`` to the file at ``path`` if it still holds ``expected`` (read at ``before``).

    A file that is read-only (no write permission bit, or not writable by this user) is
    refused: :class:`FixError`, nothing written. Otherwise a temporary file in the same
    folder, with the original's mode, owner and group, replaces it (``os.replace``: a
    reader never sees half a file). Two cases are written in place instead, after the
    bytes are checked: a file with several hard links (replacing it would split it from
    its other names) and one whose owner or group the temporary cannot be given (a
    file of another user in a shared folder); that write is not atomic.
    """
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(before.st_mode)
    if not before.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise FixError(f"read-only file (mode {mode:04o}); not fixed")
    if before.st_nlink > 1:
        _write_in_place(target, expected, before, data)
        return
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX
        )
    except PermissionError:  # a folder we cannot create files in: the file itself is writable
        _write_in_place(target, expected, before, data)
        return
    in_place = False
    try:
        with os.fdopen(handle, "wb") as stream:
            _lock(stream.fileno(), wait=True)  # in use: see remove_stale_temporaries
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.chmod(temporary, mode)
            made = os.fstat(stream.fileno())
            if (made.st_uid, made.st_gid) != (before.st_uid, before.st_gid):
                try:
                    os.chown(temporary, before.st_uid, before.st_gid)
                    os.chmod(temporary, mode)  # chown clears set-user-ID and set-group-ID bits
                except PermissionError:
                    in_place = True
            if not in_place:
                _check_unchanged(target, expected, before)
                os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if in_place:
        Path(temporary).unlink(missing_ok=True)
        _write_in_place(target, expected, before, data)


def _check_unchanged(target: Path, expected: bytes, before: os.stat_result) -> None:
    now = target.stat()
    if (now.st_mtime_ns, now.st_size) != (
        before.st_mtime_ns,
        before.st_size,
    ) or target.read_bytes() != expected:
        raise FixError("changed while being fixed; not written")


def _write_in_place(target: Path, expected: bytes, before: os.stat_result, data: bytes) -> None:
    """Overwrite the file itself (same inode: links, owner and mode kept) after checking its bytes."""
    _check_unchanged(target, expected, before)
    with open(target, "r+b") as stream:
        if stream.read() != expected:
            raise FixError("changed while being fixed; not written")
        stream.seek(0)
        stream.write(data)
        stream.truncate()
        stream.flush()
        os.fsync(stream.fileno())


def _lock(fd: int, *, wait: bool) -> bool:
    """An exclusive ``flock`` on ``fd``; False when another process holds one (``wait`` false).

    Without ``fcntl`` (Windows) there is no lock, and stale temporaries are never removed.
    """
    try:
        import fcntl
    except ImportError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete what a killed ``--fix`` left in ``folder``; returns the paths removed.

    Only a file that is certainly ours goes: named ``.<name>.<8 characters>.redline``
    beside an existing ``<name>``, a regular file with one link, owned by this user, at
    least :data:`STALE_AFTER_SECONDS` old, and not locked (a live writer holds an
    exclusive ``flock`` on its temporary until it is renamed).
    """
    removed: list[Path] = []
    if not hasattr(os, "geteuid") or not hasattr(os, "O_NOFOLLOW"):
        return removed  # not a POSIX system: no owner or lock to be sure with
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        found = _TEMPORARY.fullmatch(entry.name)
        if found is None or not (folder / found.group("name")).is_file():
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if (
                not stat.S_ISREG(info.st_mode)
                or info.st_nlink != 1
                or info.st_uid != os.geteuid()
                or now - info.st_mtime < STALE_AFTER_SECONDS
            ):
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            try:
                if not _lock(fd, wait=False):
                    continue  # a live writer holds it
                if os.path.samestat(os.fstat(fd), info):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            finally:
                os.close(fd)
    return removed


def run_fix_command(
    linter: SourceLinter, run: RunResult, *, diff: bool, unsafe: bool, stdin: bool, out: TextIO, err: TextIO
) -> tuple[FixReport, int | None]:
    """``check --fix`` / ``--diff``: fix, print diffs (or, for stdin, the fixed text).

    Returns the report and, when the command is done (``--diff``, or stdin), its exit
    code; otherwise the caller prints the findings left, as usual.
    """
    report = fix_run(linter, run, unsafe=unsafe, write=not diff, on_disk=not stdin)
    if not unsafe:
        report.unsafe_left = sum(
            1 for r in run.files for f in r.findings if wanted(f, True) and not wanted(f, False)
        )
    for fixed in report.files:
        if fixed.unsettled:
            err.write(f"redline: warning: {visible(fixed.path)}: {fixed.unsettled}\n")
    if diff:
        for fixed in report.files:
            _write_bytes(out, fixed.diff_bytes())
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
            rows.append(f"Fixed {visible(fixed.path)}: {count} × {code}")
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
                f"{result.source.text[e.start : e.end]!r} -> {e.replacement!r}"
                for e in sorted(finding.fix.edits)
            )
            kind = "" if finding.fix.applicability is Applicability.SAFE else " (unsafe)"
            rows.append(f"Fixable{kind} {visible(result.path)}:{line}:{column}: {finding.code} {edits}")
    return rows


def summary(report: FixReport) -> str:
    text = f"Fixed {report.applied} finding{'s' if report.applied != 1 else ''}."
    if report.unsafe_left:
        text += f" {report.unsafe_left} more with --unsafe-fixes."
    return text


def _write_bytes(out: TextIO, data: bytes) -> None:
    """``data`` as it is (a diff of a UTF-16 file is not UTF-8 text) on a text stream."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8", "surrogateescape"))
        return
    out.flush()
    buffer.write(data)
    buffer.flush()
