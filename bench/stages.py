"""Where the time of a style-only run goes: import, parse, tokens, each rule, metrics, output.

    python bench/stages.py [PATH ...]      # default: the docs corpus
    REDLINE_DEFAULT_GC=1 python bench/stages.py   # with Python's default GC threshold

Runs the stages of ``redline check --no-cache`` one after another in one process, timing
each (CPU time of the process, ``process_time``: steadier than wall time on a shared machine) over every file, and prints a table sorted by cost.
The embedding rule is left out (it is measured by bench/run.py).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:  # noqa: PLR0915 - one timed stage after another
    costs: dict[str, float] = defaultdict(float)
    start = time.process_time()
    from redline.cli import app  # noqa: F401  (what the command line imports first)
    from redline.files import expand
    from redline.lint import finalize, with_severity
    from redline.results import FileResult, RunResult
    from redline.services import Services
    from redline.settings import LintOptions, Resolver

    costs["import: redline, typer"] = time.process_time() - start
    if not os.environ.get("REDLINE_DEFAULT_GC"):  # as Linter.lint_paths runs (gc_tuning.py)
        from redline.gc_tuning import RUN_THRESHOLD

        gc.set_threshold(RUN_THRESHOLD, *gc.get_threshold()[1:])
    from redline.rules.base import RuleContext
    from redline.selection import CommandLineSettings

    paths = sys.argv[1:] or [str(REPO / "../shared/corpus/docs")]
    resolver = Resolver(LintOptions(use_cache=False, command_line=CommandLineSettings(ignore=["RL102"])))
    services = Services()
    files = list(expand(paths, resolver, RunResult()))
    tick = time.process_time()
    from redline.analysis import load_pipeline
    from redline.tokenize_en import english_pipeline, use_port

    if use_port(None):
        english_pipeline().warm_up()  # tokenize_en: spaCy's rules, spaCy not imported
        costs["tokenizer: rules loaded, regexes compiled"] = time.process_time() - tick
    else:
        load_pipeline(None)
        costs["import: spaCy (without torch), blank pipeline"] = time.process_time() - tick
    from redline.markup import parse
    from redline.metrics import compute
    from redline.source import read_source

    results = []
    words = 0
    for path in files:
        tick = time.process_time()
        source = read_source(path)
        settings = resolver.settings_for(Path(path).absolute())
        rules = settings.rules_for(Path(path))
        costs["read + config"] += time.process_time() - tick
        tick = time.process_time()
        document = parse(source.path, source.text)
        costs["parse markup"] += time.process_time() - tick
        tick = time.process_time()
        words += document.analysis.word_count
        costs["sentences + tokens (tokenize_en)"] += time.process_time() - tick
        findings = []
        for active in rules:
            tick = time.process_time()
            context = RuleContext(options=active.options, services=services)
            findings.extend(with_severity(f, active.severity) for f in active.rule.check(document, context))
            costs[f"rule {active.rule.code} {active.rule.name}"] += time.process_time() - tick
        tick = time.process_time()
        kept = finalize(findings, document)
        costs["engine: suppress, dedupe, sort"] += time.process_time() - tick
        tick = time.process_time()
        metrics = compute(document, services)
        costs["metrics (counts, readability)"] += time.process_time() - tick
        results.append(FileResult(path, source, document, kept, metrics))
    tick = time.process_time()
    from redline.output import OutputOptions, formatter

    formatter("text")(RunResult(files=results), OutputOptions())
    costs["output: text"] = time.process_time() - tick
    report(costs, len(files), words)


def report(costs: dict[str, float], files: int, words: int) -> None:
    total = sum(costs.values())
    print(f"{files} files, {words} prose words, {total:.2f} s of CPU in all (one process, no cache)\n")
    print("| stage | seconds | share |")
    print("|---|---:|---:|")
    for stage, seconds in sorted(costs.items(), key=lambda kv: -kv[1]):
        print(f"| {stage} | {seconds:.2f} | {seconds / total:.0%} |")


if __name__ == "__main__":
    main()
