"""``redline archive check``: new files against the archive, and against each other.

The files are linted with RL102 in cross-file mode (so their own restatements, and
those between them, are found as by ``redline --cross-file``). Then each of their units
is searched in the archive's index; candidates over RL102's cosine floor are scored by
RL102's pair scorer (:func:`redline.archive.rl102.score_pair`), and a sentence that
restates archived sentences gets one RL102 finding whose related locations are the
archived sentences: path, line and the stored text (the file may be gone or changed).

A sentence copied word for word (the same words, ignoring case, spacing and punctuation)
is RL101's, as in ``--cross-file``: between the checked files RL101 reports it, and
against the archive this module does, with the archived copies related (and their
stored text); RL102 leaves such a sentence alone.

Archived units of a file that is being checked are left out: the file's current text
stands for it, and its old version would match itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from redline.analysis import normalize_sentence
from redline.archive.rl102 import (
    TokenLookup,
    Unit,
    document_units,
    kept_apart,
    score_needed,
    score_pairs,
    thresholds,
)
from redline.archive.store import INDEX, Archive, ArchiveError, FileRecord, StoredUnit, UnitLookup
from redline.document import BlockKind, Document, Syntax
from redline.engine import Linter
from redline.findings import Finding, Related, Severity
from redline.lint import finalize
from redline.results import FileError, FileResult, RunResult
from redline.rules.redundancy.near_duplicate import NearDuplicate, NearDuplicateOptions
from redline.rules.redundancy.repeated_sentence import RepeatedSentence, RepeatedSentenceOptions
from redline.source import Source

#: Archived sentences listed per finding (the best-scoring ones).
MAX_RELATED = 5


@dataclass
class ArchiveRun(RunResult):
    """A run whose findings may point into archived files that are not part of the run."""

    archived: dict[str, FileRecord] = field(default_factory=dict)
    _stand_ins: dict[str, FileResult] = field(default_factory=dict)

    def file(self, path: str) -> FileResult | None:
        found = super().file(path)
        if found is not None or path not in self.archived:
            return found
        if path not in self._stand_ins:
            self._stand_ins[path] = _stand_in(path, self.archived[path])
        return self._stand_ins[path]


def _stand_in(path: str, record: FileRecord) -> FileResult:
    """A file result with the archived file's line structure (blanks for its text): for line numbers."""
    text = [" "] * record.length
    for start in record.line_starts[1:]:
        if 0 < start <= record.length:
            text[start - 1] = "\n"
    skeleton = "".join(text)
    document = Document(path, skeleton, skeleton, [], Syntax.TEXT)
    return FileResult(path, Source(path, skeleton, "utf-8"), document, [])


@dataclass(frozen=True)
class Match:
    score: float
    stored: StoredUnit


def check_files(linter: Linter, paths: list[str], folder: Path) -> ArchiveRun:
    """Lint ``paths`` with RL102 across files, then add the archive's matches (raises ArchiveError)."""
    from redline.embedding import ModelUnavailable, get_embedder
    from redline.embedding.index import IndexUnavailable, VectorIndex

    archive, by_key = Archive.load_lookup(folder)
    try:
        index = VectorIndex.load(folder / INDEX, archive.trained_rows)
    except IndexUnavailable as error:
        raise ArchiveError(str(error)) from None
    except RuntimeError as error:  # FAISS cannot read the file
        raise ArchiveError(f"{folder / INDEX}: cannot read the index: {error}") from None
    linted = linter.lint_paths(paths)
    run = ArchiveRun(
        files=linted.files,
        errors=linted.errors,
        notices=linted.notices,
        rules=linted.rules,
        archived=archive.files,
    )
    checked = {os.path.realpath(r.path) for r in run.files}
    outside = {path for path in archive.files if os.path.realpath(path) not in checked}
    for result in run.files:
        active = rl102_options(linter, result.path)
        if active is None:
            continue
        options, severity = active
        model = f"{options.model}|{options.backend}"
        if model != archive.model:
            run.errors.append(
                FileError(
                    result.path,
                    f"the archive was built with model {archive.model!r}, this file's config uses {model!r}",
                )
            )
            continue
        try:
            settings = linter.settings_for(Path(result.path))
            services = linter.services.with_cache(settings.use_cache, settings.cache_dir)
            embedder = get_embedder(services, options.model, options.backend)
            units = document_units(result.document, options)
            vectors = (
                embedder.encode([u.text for u in units]) if units else np.zeros((0, archive.dim), np.float32)
            )
            matches, copies = _matches(units, vectors, index, by_key, outside, options, embedder.tokens)
        except ModelUnavailable as error:
            run.notices.append(f"RL102 archive check did not run: {error}")
            continue
        findings = [
            _finding(result.document, units_of_member, found, run, severity)
            for units_of_member, found in matches
        ]
        copying = rl101_options(linter, result.path)
        if copying is not None:
            findings += [
                _copy_finding(unit, stored, run, copying[1])
                for unit, stored in copies
                if _rl101_compares(result.document, unit, copying[0])
            ]
        if findings:
            result.findings = finalize(result.findings + findings, result.document)
    return run


def rl102_options(linter: Linter, path: str) -> tuple[NearDuplicateOptions, object] | None:
    """RL102's options and severity for ``path`` (None: RL102 is not active there)."""
    for active in linter.settings_for(Path(path)).rules_for(Path(path)):
        if active.rule.code == NearDuplicate.code:
            options: NearDuplicateOptions = active.options
            return options, active.severity
    return None


def rl101_options(linter: Linter, path: str) -> tuple[RepeatedSentenceOptions, Severity | None] | None:
    """RL101's options and severity for ``path`` (None: RL101 is not active there)."""
    for active in linter.settings_for(Path(path)).rules_for(Path(path)):
        if active.rule.code == RepeatedSentence.code:
            options: RepeatedSentenceOptions = active.options
            return options, active.severity
    return None


def _copies(unit: Unit, stored: Unit) -> bool:
    """Whether two whole-sentence units are the same sentence word for word (RL101's key)."""
    if unit.text != unit.sentence or stored.text != stored.sentence:
        return False  # a clause: its sentence's own unit decides
    return normalize_sentence(unit.sentence) == normalize_sentence(stored.sentence)


def _rl101_compares(document: Document, unit: Unit, options: RepeatedSentenceOptions) -> bool:
    """Whether RL101 with ``options`` compares the checked sentence of ``unit`` at all."""
    span = next((s for s in document.sentence_spans if s.start == unit.start), None)
    if span is None or span.word_count < options.min_words:
        return False
    kind = document.blocks[span.block].kind
    return options.include_headings or kind not in (BlockKind.HEADING, BlockKind.TABLE_CELL)


def _matches(
    units: list[Unit],
    vectors: np.ndarray,
    index: object,
    by_key: UnitLookup,
    outside: set[str],
    options: NearDuplicateOptions,
    tokens: TokenLookup,
) -> tuple[list[tuple[Unit, list[Match]]], list[tuple[Unit, list[StoredUnit]]]]:
    """For each sentence of the file with archived restatements: its best archived sentences;
    and for each sentence copied word for word from the archive: the archived copies (those
    sentences are RL101's, so they get no RL102 match).

    The candidates of the whole file are scored together (one request for token vectors)."""
    from redline.embedding.index import VectorIndex

    assert isinstance(index, VectorIndex)
    if not units:
        return [], []
    limits = thresholds(options)
    # the file's own archived units are skipped, so look a little further than k
    scores, keys = index.search(vectors, options.neighbours * 2)
    first_unit: dict[int, Unit] = {}
    candidates: list[tuple[Unit, StoredUnit, float]] = []
    copies: dict[int, dict[tuple[str, int], StoredUnit]] = {}
    for row, unit in enumerate(units):
        first_unit.setdefault(unit.member, unit)
        taken = 0
        for cosine, key in zip(scores[row].tolist(), keys[row].tolist(), strict=True):
            if key < 0 or cosine < limits.floor or taken == options.neighbours:
                break
            if by_key.path(key) not in outside:
                continue
            stored = by_key[key]
            taken += 1
            if _copies(unit, stored.unit):
                copies.setdefault(unit.member, {})[(stored.path, stored.unit.start)] = stored
                continue
            if kept_apart(unit, stored.unit, options):  # as --cross-file decides for two files
                continue
            candidates.append((unit, stored, float(cosine)))
    candidates = [c for c in candidates if c[0].member not in copies]
    scored = score_pairs(
        [(unit, stored.unit, cosine) for unit, stored, cosine in candidates], options, tokens
    )
    best: dict[int, dict[tuple[str, int], Match]] = {}
    for (unit, stored, _), score in zip(candidates, scored, strict=True):
        if score is None or score < score_needed(unit, stored.unit, limits, options):
            continue
        place = (stored.path, stored.unit.member)
        found = best.setdefault(unit.member, {})
        if place not in found or score > found[place].score:
            found[place] = Match(score, stored)
    matches = [
        (
            first_unit[member],
            sorted(found.values(), key=lambda m: (-m.score, m.stored.path, m.stored.unit.start)),
        )
        for member, found in sorted(best.items())
    ]
    copied = [
        (first_unit[member], [found[place] for place in sorted(found)])
        for member, found in sorted(copies.items())
    ]
    return matches, copied


def _finding(
    document: Document, unit: Unit, matches: list[Match], run: ArchiveRun, severity: object
) -> Finding:
    labels = [_label(run, m.stored) for m in matches]
    message = f"Restates the archived sentence at {labels[0]} (score {matches[0].score:.2f})"
    if len(matches) > 1:
        message += f"; the archive makes this claim {len(matches)} times: {_shown(labels)}"
    related = [
        Related(
            m.stored.unit.start,
            m.stored.unit.end,
            f'archived statement of the same claim: "{m.stored.unit.sentence}"',
            path=m.stored.path,
        )
        for m in matches[:MAX_RELATED]
    ]
    finding = NearDuplicate().finding(unit.start, unit.end, message, related=related)
    from redline.findings import Severity

    return replace(finding, severity=severity) if isinstance(severity, Severity) else finding


def _copy_finding(
    unit: Unit, copies: list[StoredUnit], run: ArchiveRun, severity: Severity | None
) -> Finding:
    """RL101 on a sentence copied word for word from the archive, as ``--cross-file`` reports a
    copy from another file: the archived copies related, with their stored text."""
    labels = [_label(run, stored).rsplit(":", 1)[0] for stored in copies]  # path:line, as RL101 says
    message = f"Sentence copies {labels[0]} word for word"
    if len(copies) > 1:
        message += f" (archived {len(copies)} times: {_shown(labels)})"
    related = [
        Related(
            stored.unit.start,
            stored.unit.end,
            f'the archived original: "{stored.unit.sentence}"',
            path=stored.path,
        )
        for stored in copies[:MAX_RELATED]
    ]
    finding = RepeatedSentence().finding(unit.start, unit.end, message, related=related)
    return replace(finding, severity=severity) if severity is not None else finding


def _shown(labels: list[str]) -> str:
    """The first places of a claim or copy, for a message."""
    return ", ".join(labels[:MAX_RELATED]) + (", ..." if len(labels) > MAX_RELATED else "")


def _label(run: ArchiveRun, stored: StoredUnit) -> str:
    archived = run.file(stored.path)
    assert archived is not None
    line, column = archived.document.lines.position(stored.unit.start)
    return f"{stored.path}:{line}:{column}"
