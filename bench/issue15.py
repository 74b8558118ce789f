"""The figures issue 15 asks for, redline and proselint side by side in one run.

    python bench/issue15.py [--runs 3] [--skip-docs] [--first-run-only]

Runs are paired: each round runs every command once, one after the other, so a busy
machine slows redline and proselint alike and the ratios hold. Each figure is the median
over the rounds; CPU time and peak RSS (``wait4``) are of the process and its waited-for
children. The resident server's own peak RSS (``VmHWM``) is given separately, as is the
language server's.

Rows:

- docs corpus (40 files, each named, as proselint needs): ``proselint check FILES`` and
  ``redline check --no-cache --ignore RL102 FILES``, one process and ``--jobs 2``;
- seed article, style rules, no cache: proselint, redline in-process, and ``redlined``
  (the resident server, warm);
- seed article, all rules, the first run ever (an empty cache folder: the ONNX graph is
  built, without torch), also with ``scorer = "encoder"`` (RL102's pair encoder built too),
  and the export alone (a process that only builds the file), each round from an empty
  folder; then empty caches but the ONNX export already made (a fresh machine after the
  first run);
- seed article, all rules, one sentence edited (vectors cached for the rest, the result
  cache misses): in-process and through the resident server;
- language server: seconds from ``initialize`` to the first diagnostics of the seed
  article (the quick pass: without RL102).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(BENCH), str(REPO / "tests"), str(REPO / "src")]

from run import Measure, count_words, ensure_proselint, timed  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
SEED = CORPUS / "seed-article.txt"
PY = sys.executable
REDLINE = [PY, "-m", "redline", "check"]
REDLINED = [PY, "-c", "from redline.daemon import client_main; client_main()", "check"]
STYLE = ["--no-cache", "--ignore", "RL102"]


def paired(
    rows: list[tuple[Measure, list[str], dict[str, str], Path | None, Callable[[], None] | None]], runs: int
) -> None:
    for _ in range(runs):
        for measure, command, env, cwd, setup in rows:
            if setup is not None:
                setup()
            wall, cpu, rss, _ = timed(command, env=env, cwd=cwd)
            measure.walls.append(wall)
            measure.cpus.append(cpu)
            measure.rss_kb.append(rss)
    for measure, *_ in rows:
        print(
            f"  {measure.label}: {measure.wall:.2f} s wall, {measure.cpu:.2f} s CPU, {measure.rss_mb:.0f} MB",
            flush=True,
        )


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def table(title: str, rows: list[tuple[Measure, Measure | None]]) -> None:
    print(f"\n{title}\n")
    print("| run | words | wall (s) | CPU (s) | words/s (wall) | peak RSS (MB) | vs proselint (wall, CPU) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for measure, reference in rows:
        ratio = ""
        if reference is not None and measure is not reference:
            ratio = f"{reference.wall / measure.wall:.2f}x, {reference.cpu / measure.cpu:.2f}x"
        elif reference is measure:
            ratio = "reference"
        print(
            f"| {measure.label} | {measure.words} | {measure.wall:.2f} | {measure.cpu:.2f} | "
            f"{measure.words_per_second:,.0f} | {measure.rss_mb:.0f} | {ratio} |"
        )


def lsp_first_diagnostics(work: Path, runs: int) -> tuple[list[float], float]:
    from lsp_client import LspClient

    text = SEED.read_text("utf-8")
    uri = (work / "seed.md").as_uri()
    (work / "seed.md").write_text(text, encoding="utf-8")
    times, peak = [], 0.0
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "REDLINE_CACHE_DIR": str(work / "lsp-cache")}
    for _ in range(runs):
        client = LspClient(work, env)
        start = time.perf_counter()
        client.request("initialize", {"processId": None, "rootUri": work.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
        )
        client.wait_notification("textDocument/publishDiagnostics", timeout=120)
        times.append(time.perf_counter() - start)
        peak = max(peak, vm_hwm_mb(client.process.pid))
        client.close()
    return times, peak


EXPORT_SENTENCE_MODEL = """
from redline.embedding.model_source import packaged_model_dir
from redline.embedding.onnx_backend import model_file
model_file(packaged_model_dir())
"""
EXPORT_PAIR_ENCODER = """
from redline.embedding import onnx_backend, pair_encoder
from redline.embedding.model_source import packaged_model_dir
from redline.rules.redundancy.claims import pair_scorer
sha = pair_scorer().encoder.sha256
adapter = pair_encoder.read_adapter(sha)
onnx_backend.export(
    packaged_model_dir(),
    pair_encoder.onnx_file(packaged_model_dir(), sha),
    prepare_weights=lambda weights: pair_encoder.merge_adapter_numpy(weights, adapter),
)
"""


def first_runs(work: Path, repo: Path, seed_words: int, runs: int) -> list[Measure]:
    """The seed article's first run ever (all rules; and with RL102's pair encoder), and the
    export alone, each from an empty cache folder; ``work/export-cache`` then holds both exports."""
    cache = work / "export-cache"
    env = {"REDLINE_CACHE_DIR": str(cache)}
    encoder_config = work / "encoder.toml"
    encoder_config.write_text('[rules.RL102]\nscorer = "encoder"\n', encoding="utf-8")

    def empty() -> None:
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir()

    rows = [
        (
            Measure("redline all rules, first run ever: ONNX export included", seed_words),
            [*REDLINE, "seed.txt"],
        ),
        (
            Measure(
                'redline all rules, scorer = "encoder", first run ever: both exports included', seed_words
            ),
            [*REDLINE, "--config", str(encoder_config), "seed.txt"],
        ),
        (
            Measure("ONNX export alone: the sentence model (a process that only exports)", 0),
            [PY, "-c", EXPORT_SENTENCE_MODEL],
        ),
        (Measure("ONNX export alone: RL102's pair encoder", 0), [PY, "-c", EXPORT_PAIR_ENCODER]),
    ]
    print("seed article, first run ever", flush=True)
    paired([(m, command, env, repo, empty) for m, command in rows], runs)
    timed([PY, "-c", EXPORT_SENTENCE_MODEL], env=env, cwd=repo)  # the last row emptied the folder first
    return [m for m, _ in rows]


def main() -> None:  # noqa: PLR0915 - one measured scenario after another
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-docs", action="store_true")
    parser.add_argument("--first-run-only", action="store_true", help="only the first-run-ever rows")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(REPO / "src")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # As installed: pip compiles a package's modules to bytecode, so runs read .pyc files.
    # (PYTHONDONTWRITEBYTECODE, set on the project's machine, would compile redline's
    # sources again in every measured process, about 0.1 s of CPU.)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "src" / "redline")], check=True)
    proselint = [*ensure_proselint(), "check"]
    work = Path(tempfile.mkdtemp(prefix="rl15"))
    print(f"load before: {os.getloadavg()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs", flush=True)
    base_env = {"REDLINE_CACHE_DIR": str(work / "cache")}

    if not args.skip_docs and not args.first_run_only:
        files = [str(p) for p in sorted((CORPUS / "docs").iterdir()) if p.is_file()]
        words = count_words([Path(f) for f in files])
        docs = [
            (Measure("proselint check", words), [*proselint, *files], base_env, None, None),
            (
                Measure("redline style rules, --no-cache", words),
                [*REDLINE, *STYLE, *files],
                base_env,
                None,
                None,
            ),
            (
                Measure("redline style rules, --no-cache --jobs 2", words),
                [*REDLINE, *STYLE, "--jobs", "2", *files],
                base_env,
                None,
                None,
            ),
        ]
        print("docs corpus", flush=True)
        paired(docs, args.runs)  # type: ignore[arg-type]
        table("Docs corpus, style rules", [(m, docs[0][0]) for m, *_ in docs])
        news_files = [str(p) for p in sorted((CORPUS / "news").glob("*.md"))]
        news_words = count_words([Path(f) for f in news_files])
        news = [
            (Measure("proselint check", news_words), [*proselint, *news_files], base_env, None, None),
            (
                Measure("redline style rules, --no-cache", news_words),
                [*REDLINE, *STYLE, *news_files],
                base_env,
                None,
                None,
            ),
            (
                Measure("redline style rules, --no-cache --jobs 2", news_words),
                [*REDLINE, *STYLE, "--jobs", "2", *news_files],
                base_env,
                None,
                None,
            ),
        ]
        print("news corpus", flush=True)
        paired(news, args.runs)  # type: ignore[arg-type]
        table(
            f"News corpus ({len(news_files)} small files), style rules", [(m, news[0][0]) for m, *_ in news]
        )

    # the seed article in a repository of its own, served by its resident server
    repo = work / "repo"
    (repo / ".git").mkdir(parents=True)
    seed_file = repo / "seed.txt"
    shutil.copy(SEED, seed_file)
    seed_words = count_words([SEED])
    if args.first_run_only:
        table(
            "Seed article, first run ever", [(m, None) for m in first_runs(work, repo, seed_words, args.runs)]
        )
        print(f"load after: {os.getloadavg()}")
        shutil.rmtree(work, ignore_errors=True)
        return
    server_env = {**os.environ, **base_env, "REDLINE_DAEMON_IDLE": "600"}
    from redline import daemon

    os.environ.update(base_env)
    server = subprocess.Popen(
        [PY, "-m", "redline.daemon", "serve", "--root", str(repo.resolve())],
        env=server_env,
        cwd=repo,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert daemon.wait_for_server(repo.resolve(), 120) is not None, "the resident server did not start"
    timed([*REDLINED, *STYLE, "seed.txt"], env=base_env, cwd=repo)  # its first request
    seed = [
        (Measure("proselint check", seed_words), [*proselint, "seed.txt"], base_env, repo, None),
        (
            Measure("redline style rules, --no-cache", seed_words),
            [*REDLINE, *STYLE, "seed.txt"],
            base_env,
            repo,
            None,
        ),
        (
            Measure("redlined style rules, --no-cache (resident server)", seed_words),
            [*REDLINED, *STYLE, "seed.txt"],
            base_env,
            repo,
            None,
        ),
    ]
    print("seed article, style rules", flush=True)
    paired(seed, max(args.runs, 5))  # type: ignore[arg-type]

    # all rules: the first run ever (the ONNX export included), then fresh caches with the export kept
    firsts = first_runs(work, repo, seed_words, args.runs)
    onnx_dir = work / "export-cache" / "onnx"
    fresh = work / "fresh-cache"

    def fresh_cache() -> None:
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        shutil.copytree(onnx_dir, fresh / "onnx")

    cold = Measure("redline all rules, empty caches, ONNX export present", seed_words)
    paired([(cold, [*REDLINE, "seed.txt"], {"REDLINE_CACHE_DIR": str(fresh)}, repo, fresh_cache)], args.runs)  # type: ignore[list-item]

    # one sentence edited: vectors cached for the others, the result cache misses
    edit_env = {"REDLINE_CACHE_DIR": str(work / "export-cache")}
    shutil.copytree(onnx_dir, work / "cache" / "onnx", dirs_exist_ok=True)
    original = SEED.read_text("utf-8")
    counter = iter(range(1000))

    def edit_one_sentence() -> None:
        n = next(counter)
        seed_file.write_text(original.replace("The ", f"The {n}th ", 1), encoding="utf-8")

    timed([*REDLINED, "seed.txt"], env=base_env, cwd=repo)  # the server loads the model once
    timed([*REDLINE, "seed.txt"], env=edit_env, cwd=repo)
    edited = [
        (
            Measure("redline all rules, one sentence edited", seed_words),
            [*REDLINE, "seed.txt"],
            edit_env,
            repo,
            edit_one_sentence,
        ),
        (
            Measure("redlined all rules, one sentence edited (resident server)", seed_words),
            [*REDLINED, "seed.txt"],
            base_env,
            repo,
            edit_one_sentence,
        ),
    ]
    paired(edited, max(args.runs, 5))  # type: ignore[arg-type]
    reply = daemon.ping(repo.resolve())
    server_peak = vm_hwm_mb(int(reply["pid"])) if reply else 0.0
    daemon.stop_server(repo.resolve())
    server.wait(timeout=60)
    seed_file.write_text(original, encoding="utf-8")

    rows = (
        [(m, seed[0][0]) for m, *_ in seed]
        + [(m, None) for m in firsts]
        + [(cold, None)]
        + [(m, None) for m, *_ in edited]
    )
    table("Seed article", rows)
    print(f"\nresident server peak RSS (VmHWM): {server_peak:.0f} MB")

    times, lsp_peak = lsp_first_diagnostics(work, args.runs)
    print(
        f"LSP: initialize to first diagnostics (quick pass, no RL102), seed article: median "
        f"{statistics.median(times):.2f} s (runs {', '.join(f'{t:.2f}' for t in times)}), peak RSS {lsp_peak:.0f} MB"
    )
    print(f"load after: {os.getloadavg()}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
