"""redline's benchmark: one command, same files, peers included, a table of ratios.

    python bench/run.py                 # from the repo root; installs its peers itself
    python bench/run.py --runs 5 --corpus ../shared/corpus/docs
    python bench/run.py --quick         # one run each
    python bench/run.py --embed-sets seed,docs   # embeddings on the docs corpus too (slow)

Measures, on the docs corpus and the seed article: proselint and write-good (installed
here: ``pip install proselint``, ``npm install write-good`` into ``bench/.peers``) against
redline's style-only rules (every rule but the embedding one), with and without
``--jobs`` and the result cache; redline with embeddings cold (empty cache) and warm; a
pre-commit style run on one ~1,000-word file; and the floor the redundancy pass is held
to: importing sentence-transformers, loading the model and encoding the same sentences.
Each figure is the median of ``--runs`` runs of a fresh process; peak RSS comes from
``wait4``. Timings on a shared machine are noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
PEERS = BENCH / ".peers"
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


@dataclass
class Measure:
    label: str
    words: int
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    @property
    def rss_mb(self) -> float:
        return max(self.rss_kb) / 1024

    @property
    def words_per_second(self) -> float:
        return self.words / self.wall if self.wall else 0.0


def timed(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, int, str]:
    """Wall seconds, CPU seconds and peak RSS (KB) of the process and its waited-for children, stdout."""
    merged = {**os.environ, **(env or {})}
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=merged, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if process.returncode not in (0, 1) and not (
        cwd == PEERS and process.returncode > 0
    ):  # write-good: count
        raise RuntimeError(f"{' '.join(command[:6])}... exited {process.returncode}:\n{text[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, text


def measure(
    label: str, words: int, command: list[str], runs: int, setup: object = None, **kwargs: object
) -> Measure:
    result = Measure(label, words)
    for _ in range(runs):
        if callable(setup):
            setup()
        wall, cpu, rss, _ = timed(command, **kwargs)  # type: ignore[arg-type]
        result.walls.append(wall)
        result.cpus.append(cpu)
        result.rss_kb.append(rss)
    walls = ", ".join(f"{w:.2f}" for w in result.walls)
    print(f"  {label}: {result.wall:.2f} s wall, {result.cpu:.2f} s CPU (runs {walls})", flush=True)
    return result


def count_words(files: list[Path]) -> int:
    return sum(len(f.read_text("utf-8", "replace").split()) for f in files)


# -- peers ------------------------------------------------------------------------------


def ensure_proselint() -> list[str]:
    if shutil.which("proselint") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "proselint"], check=True)
    found = shutil.which("proselint")
    return [found] if found else [sys.executable, "-m", "proselint"]


def ensure_write_good() -> list[str] | None:
    if shutil.which("npm") is None:
        print("  npm not found: write-good skipped", flush=True)
        return None
    if not (PEERS / "node_modules" / ".bin" / "write-good").exists():
        PEERS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(PEERS), "write-good"],
            check=True,
        )
    return ["npx", "--no-install", "write-good"]


def ensure_redline() -> list[str]:
    try:
        import redline  # noqa: F401
    except ImportError:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "-e", f"{REPO}[embeddings]"], check=True
        )
    return [sys.executable, "-m", "redline"]


# -- redline helpers --------------------------------------------------------------------


def embedding_rule_code() -> str | None:
    from redline.rules import Registry, builtin_rules

    for rule in Registry(builtin_rules()):
        if rule.name.endswith("near-duplicate"):
            return rule.code
    return None


def embedded_sentences(files: list[Path]) -> list[str]:
    """The texts redline's near-duplicate rule embeds (sentences and clauses), unique."""
    from redline.embedding import sentence_key
    from redline.markup import parse
    from redline.source import read_source

    documents = [parse(str(p), read_source(str(p)).text) for p in files]
    try:  # the rule's own selection (fall back if it moves)
        from redline.rules.redundancy.claim_search import members as select_members
        from redline.rules.redundancy.claims import unit_texts
        from redline.rules.redundancy.near_duplicate import NearDuplicateOptions

        options = NearDuplicateOptions()
        members = select_members(documents, options)
        texts = [t for m in members for t in unit_texts(m.sentence.text, options.min_words)]
    except (ImportError, AttributeError, TypeError):
        texts = [s.text for d in documents for s in d.sentences if s.word_count >= 6]
    return list(dict.fromkeys(sentence_key(t) for t in texts))


def speed_ratio(m: Measure, base: Measure | None) -> str:
    """How many times ``base``'s words per second ``m`` reaches, by wall time and by CPU time."""
    if base is None:
        return ""
    return f"{base.wall / m.wall:.2f}x wall, {base.cpu / m.cpu:.2f}x CPU"


def time_ratio(m: Measure, floor: Measure) -> str:
    """``m``'s time as a multiple of the floor's, by wall time and by CPU time."""
    return f"{m.wall / floor.wall:.2f}x wall, {m.cpu / floor.cpu:.2f}x CPU of the floor"


# -- main -------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "../shared/corpus/docs")
    parser.add_argument("--seed", type=Path, default=REPO / "examples/seed-article.txt")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--quick", action="store_true", help="one run each")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument(
        "--embed-sets", default="seed", help="sets run with embeddings: seed, docs or seed,docs"
    )
    parser.add_argument(
        "--probe-sentences", type=int, default=2000, help="docs sentences for the backend probe"
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    runs = 1 if args.quick else args.runs
    corpus = args.corpus.resolve()
    corpus_files = sorted(p for p in corpus.rglob("*") if p.suffix in {".md", ".rst", ".txt"})
    seed = args.seed.resolve()
    if not corpus_files or not seed.is_file():
        print(f"no corpus at {corpus} or no seed article at {seed}", file=sys.stderr)
        return 2
    sets = {"docs": (corpus_files, count_words(corpus_files)), "seed": ([seed], count_words([seed]))}

    print("setting up peers...", flush=True)
    redline = ensure_redline()
    proselint = None if args.no_peers else ensure_proselint()
    write_good = None if args.no_peers else ensure_write_good()
    code = embedding_rule_code()
    style_only = ["--ignore", code] if code else []
    work = Path(tempfile.mkdtemp(prefix="redline-bench-"))
    rows: list[tuple[str, Measure, str]] = []

    def fresh_cache() -> None:
        shutil.rmtree(work / "cache", ignore_errors=True)

    cache = ["--cache-dir", str(work / "cache")]
    for name, (files, words) in sets.items():
        paths = [str(f) for f in files]
        print(f"{name}: {len(files)} files, {words} words", flush=True)
        base = None
        if proselint:
            base = measure(f"proselint check ({name})", words, [*proselint, "check", *paths], runs)
            rows.append((name, base, "reference"))
        if write_good:
            m = measure(f"write-good ({name})", words, [*write_good, *paths], runs, cwd=PEERS)
            rows.append((name, m, speed_ratio(m, base)))
        variants = [
            ("redline style-only, --no-cache", ["--no-cache"], None),
            (
                f"redline style-only, --no-cache --jobs {args.jobs}",
                ["--no-cache", "--jobs", str(args.jobs)],
                None,
            ),
            ("redline style-only, result cache warm", cache, "warm"),
        ]
        for label, extra, mode in variants:
            if mode == "warm":
                fresh_cache()
                timed([*redline, *style_only, *extra, *paths])
            m = measure(f"{label} ({name})", words, [*redline, *style_only, *extra, *paths], runs)
            rows.append((name, m, speed_ratio(m, base)))

    if code:
        rows.extend(embedding_rows(redline, sets, runs, args, work, code))
    shutil.rmtree(work, ignore_errors=True)
    print_table(rows, runs)
    print(BACKEND_TABLE)
    if args.json:
        args.json.write_text(json.dumps([{"set": s, **m.__dict__, "ratio": r} for s, m, r in rows], indent=1))
    return 0


def embedding_rows(
    redline: list[str],
    sets: dict[str, tuple[list[Path], int]],
    runs: int,
    args: argparse.Namespace,
    work: Path,
    code: str,
) -> list[tuple[str, Measure, str]]:
    rows: list[tuple[str, Measure, str]] = []
    for name in args.embed_sets.split(","):
        files, words = sets[name]
        paths = [str(f) for f in files]
        sentences = embedded_sentences(files)
        sentence_file = work / f"{name}-sentences.json"
        sentence_file.write_text(json.dumps(sentences))
        floor_cmd = [sys.executable, str(BENCH / "floor.py"), str(sentence_file)]
        label = f"floor: import+load+encode {len(sentences)} sentences, plain sentence-transformers ({name})"
        floor = measure(label, words, floor_cmd, runs, env=OFFLINE)
        rows.append((name, floor, "floor"))
        for backend in ("torch", "onnx"):
            config = work / f"redline-{backend}.toml"
            config.write_text(f'[rules.near-duplicate]\nbackend = "{backend}"\n')
            cache_dir = work / f"cache-{name}-{backend}"

            def empty(cache_dir: Path = cache_dir) -> None:
                shutil.rmtree(cache_dir, ignore_errors=True)

            def drop_results(cache_dir: Path = cache_dir) -> None:
                shutil.rmtree(cache_dir / "results", ignore_errors=True)

            base = [*redline, "--config", str(config), "--cache-dir", str(cache_dir)]
            if backend == "onnx":  # export the ONNX model once per machine, outside the timing
                timed([*base, "--select", code, *paths], env=OFFLINE)
            cold = measure(
                f"redline {code} only, backend {backend}, cold cache ({name})",
                words,
                [*base, "--select", code, *paths],
                runs,
                setup=empty,
                env=OFFLINE,
            )
            rows.append((name, cold, time_ratio(cold, floor)))
            full = [*base, *paths]
            everything = measure(
                f"redline all rules, backend {backend}, cold cache ({name})",
                words,
                full,
                runs,
                setup=empty,
                env=OFFLINE,
            )
            rows.append((name, everything, time_ratio(everything, floor)))
            touched = measure(
                f"redline all rules, backend {backend}, vectors cached, results not ({name})",
                words,
                full,
                runs,
                setup=drop_results,
                env=OFFLINE,
            )
            rows.append((name, touched, ""))
            warm = measure(
                f"redline all rules, backend {backend}, warm cache ({name})", words, full, runs, env=OFFLINE
            )
            rows.append((name, warm, ""))
    probe = work / "probe-sentences.json"
    pool = embedded_sentences(sets["docs"][0])[: args.probe_sentences]
    probe.write_text(json.dumps(pool))
    *_, text = timed([sys.executable, str(BENCH / "embed_backends.py"), str(probe), str(work)], env=OFFLINE)
    print(text, flush=True)
    global BACKEND_TABLE
    BACKEND_TABLE = text
    return rows


BACKEND_TABLE = ""


def print_table(rows: list[tuple[str, Measure, str]], runs: int) -> None:
    print(f"\nMedian of {runs} run(s) each (CPU = user + system, all processes); peak RSS: largest run.\n")
    print("| set | run | words | wall (s) | CPU (s) | words/s (wall) | peak RSS (MB) | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for name, m, ratio in rows:
        print(
            f"| {name} | {m.label.rsplit(' (', 1)[0]} | {m.words} | {m.wall:.2f} | {m.cpu:.2f} | "
            f"{m.words_per_second:,.0f} | {m.rss_mb:.0f} | {ratio} |"
        )


if __name__ == "__main__":
    sys.exit(main())
