"""Linting one file: a function of its source and its settings.

:func:`lint_source` parses the text, runs the active rules, drops suppressed findings,
computes the metrics and uses the result cache; it returns a
:class:`~redline.results.FileResult` or the :class:`~redline.results.FileError` that
stopped it; :func:`lint_path` reads the file first. The serial loop, the worker processes, the language server and the review
report all call it. :func:`lint_corpus` runs the cross-file rules once over many files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from redline.config import ConfigError
from redline.document import Document
from redline.findings import Finding, Severity
from redline.markup import parse
from redline.metrics import compute
from redline.quotations import drop_quoted_fixes
from redline.result_cache import FileCache
from redline.results import FileError, FileResult
from redline.rules.base import RuleContext
from redline.rules.readability.combined import combine_paragraph_findings
from redline.rules.redundancy.near_duplicate import with_redundancy
from redline.selection import ActiveRule
from redline.services import Services
from redline.settings import Resolver, Settings
from redline.source import Source, SourceError, read_source
from redline.suppression import unsuppressed


def lint_source(
    source: Source, settings: Settings, services: Services, path: Path | None = None
) -> FileResult | FileError:
    """Lint ``source`` under ``settings``; ``path`` (default: the source's) picks the overrides."""
    rules = settings.rules_for(path or Path(source.path))
    services = services.with_cache(settings.use_cache, settings.cache_dir)
    config = settings.config
    cache = FileCache.open(services, source, rules, config, settings.verbose, settings.cross_file)
    hit = cache.get() if cache is not None else None
    if hit is not None:
        document = hit.document(source.path, source.text, config.spacy_model)
        findings, metrics = (
            list(hit.findings),
            with_redundancy(dict(hit.metrics), document, list(hit.findings)),
        )
        return FileResult(
            source.path, source, document, findings, metrics, settings.fail_on, settings.min_severity
        )
    issued = services.issued
    try:
        document = parse(source.path, source.text, spacy_model=config.spacy_model)
        findings = run_rules(document, rules, services, settings)
        metrics = compute(document, services)
    except RecursionError:
        return FileError(source.path, "document is nested too deeply to parse")
    if cache is not None and services.issued == issued:  # a result that raised a notice is not kept
        # The cross-file rules read the sentence spans later: kept, a warm run needs no spaCy.
        cross_file = settings.cross_file and any(active.rule.cross_file for active in rules)
        cache.put(document, findings, metrics, spans=cross_file)
    metrics = with_redundancy(metrics, document, findings)
    return FileResult(
        source.path, source, document, findings, metrics, settings.fail_on, settings.min_severity
    )


def lint_path(path: str, resolver: Resolver, services: Services) -> FileResult | FileError:
    """Read and lint the file at ``path`` with the settings of its config."""
    try:
        settings = resolver.settings_for(Path(path).absolute())
    except ConfigError as error:
        return FileError(error.path, error.message, error.line)
    try:
        source = read_source(path, settings.config.max_file_size or None)
    except SourceError as error:
        return FileError(path, str(error))
    return lint_source(source, settings, services, Path(path))


def run_rules(
    document: Document, rules: list[ActiveRule], services: Services, settings: Settings
) -> list[Finding]:
    """The findings of the per-file rules (cross-file rules wait for :func:`lint_corpus`)."""
    findings: list[Finding] = []
    for active in rules:
        if settings.cross_file and active.rule.cross_file:
            continue
        context = RuleContext(options=active.options, services=services, verbose=settings.verbose)
        findings.extend(with_severity(f, active.severity) for f in active.rule.check(document, context))
    return finalize(findings, document)


def lint_corpus(files: Iterable[tuple[FileResult, Settings]], services: Services) -> None:
    """Run each cross-file rule once over every document that has it active; findings are
    added to the results of the files they are in."""
    groups: dict[str, tuple[ActiveRule, Settings, list[FileResult]]] = {}
    for result, settings in files:
        if not settings.cross_file:
            continue
        for active in settings.rules_for(Path(result.path)):
            if active.rule.cross_file:
                groups.setdefault(active.rule.code, (active, settings, []))[2].append(result)
    for active, settings, results in groups.values():
        by_path = {r.path: r for r in results}
        view = services.with_cache(settings.use_cache, settings.cache_dir)
        context = RuleContext(options=active.options, services=view, verbose=settings.verbose)
        found = active.rule.check_corpus([r.document for r in results], context)
        for path, findings in found.items():
            target = by_path.get(path)
            if target is not None:
                extra = [with_severity(f, active.severity) for f in findings]
                target.findings = finalize(target.findings + extra, target.document)


def finalize(findings: list[Finding], document: Document) -> list[Finding]:
    """Suppressed findings dropped, duplicates removed, sorted by position; no fix inside a quote."""
    kept = unsuppressed(findings, document.directives, document.lines, document.text)
    kept = combine_paragraph_findings(drop_quoted_fixes(kept, document))
    unique: dict[tuple[str, int, int, str], Finding] = {}
    for finding in kept:
        unique.setdefault((finding.code, finding.start, finding.end, finding.message), finding)
    return sorted(unique.values(), key=Finding.sort_key)


def with_severity(finding: Finding, severity: Severity | None) -> Finding:
    return replace(finding, severity=severity) if severity is not None else finding


def hide_below_min_severity(results: Iterable[FileResult]) -> None:
    """Drop the findings each file's ``min-severity`` does not show (after cross-file rules ran)."""
    for result in results:
        if result.min_severity > Severity.INFO:
            result.findings = [f for f in result.findings if f.severity >= result.min_severity]
