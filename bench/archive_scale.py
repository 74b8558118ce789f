"""``redline archive`` at ~50,000 units: build, one new article checked, vs a warm ``--cross-file`` run.

    python bench/archive_scale.py [COPIES]          # default 7 copies of the docs corpus (~50k units)
    python bench/archive_scale.py 14 --build-only   # ~100k units: the build alone

Makes COPIES related variants of the docs corpus (as ``cross_file_scale.py`` does) and a
new article (one doc with one word in eight given a suffix, so it restates many archived
sentences in partly other words), all with the hashed bag-of-words stand-in embedder (what is
measured is everything but the model). Then, in this process:

1. ``archive build`` over the copies: wall and CPU time per stage, units, peak RSS;
2. ``archive check`` of the article: CPU time;
3. ``--cross-file --select RL102`` over the copies and the article with the result
   cache, once to fill it and once warm: CPU time of the warm run;
4. the pairs involving the article found by each: (article line, other path, other line)
   for two statements of one claim (a ``--cross-file`` claim is one finding on its first
   repeat, which may be in another file, with every other statement related).
"""

from __future__ import annotations

import hashlib
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cross_file_scale import REPO, make_copies

_WORD = re.compile(r"[A-Za-z]{3,}")
ARTICLE_SOURCE = "nodejs-https.md"


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pairs(run: object, article: str) -> set[tuple[int, str, int]]:
    """(article line, other path, other line) for every two statements of one RL102 claim
    of which one is in the article and the other in another file. A ``--cross-file`` finding
    is one claim (on its first repeat, the other statements related), wherever the claim
    was first repeated; an archive finding is the article's sentence with its archived ones."""
    found: set[tuple[int, str, int]] = set()
    for result in run.files:  # type: ignore[attr-defined]
        for finding in result.findings:
            if finding.code != "RL102":
                continue
            statements = [(result.path, finding.start)]
            statements += [(r.path or result.path, r.start) for r in finding.related]
            lines = [
                (path, run.file(path).document.lines.position(start)[0])  # type: ignore[attr-defined]
                for path, start in statements
            ]
            for path, line in lines:
                if path == article:
                    found.update((line, other, other_line) for other, other_line in lines if other != article)
    return found


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    build_only = "--build-only" in sys.argv
    from redline.archive.build import Settings, build
    from redline.archive.check import check_files
    from redline.archive.engines import LocalEngine
    from redline.engine import Linter, LintOptions
    from redline.rules.redundancy.near_duplicate import NearDuplicateOptions
    from redline.selection import CommandLineSettings

    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        make_copies(REPO / "../shared/corpus/docs", root / "docs", copies)
        text = (REPO / "../shared/corpus/docs" / ARTICLE_SOURCE).read_text("utf-8")

        def vary(match: re.Match[str]) -> str:
            word = match.group()
            chosen = hashlib.blake2b(f"{word}99".encode(), digest_size=1).digest()[0] % 8 == 0
            return f"{word}x99" if chosen else word

        (root / "zz").mkdir()
        article = str(root / "zz" / "article.md")
        Path(article).write_text(_WORD.sub(vary, text), "utf-8")
        config = root / "redline.toml"
        config.write_text('[rules.near-duplicate]\nbackend = "hashed"\n')
        files = sorted(str(p) for p in (root / "docs").rglob("*") if p.is_file())
        texts = {path: Path(path).read_text("utf-8") for path in files}
        settings = Settings(NearDuplicateOptions(backend="hashed"))

        wall, before = time.perf_counter(), cpu()
        report = build(files, [str(root / "docs")], root / "idx", settings, LocalEngine(), texts)
        build_wall, build_cpu = time.perf_counter() - wall, cpu() - before
        print(f"build: {report.summary()}")
        stages = ", ".join(f"{k} {report.seconds[k]:.1f}/{report.cpu_seconds[k]:.1f}" for k in report.seconds)
        print(
            f"build: {build_wall:.1f} s wall, {build_cpu:.1f} s CPU, "
            f"{1000 * build_cpu / report.units:.2f} ms CPU per unit; stages (wall/CPU s): {stages}; "
            f"peak RSS {report.peak_rss_mb:.0f} MB"
        )
        if build_only:
            return

        def linter(cross_file: bool) -> Linter:
            return Linter(
                LintOptions(
                    command_line=CommandLineSettings(select=["RL102"]),
                    config_path=config,
                    cross_file=cross_file,
                    use_cache=True,
                    cache_dir=root / "cache",
                )
            )

        before = cpu()
        checked = check_files(linter(True), [article], root / "idx")
        check_cpu = cpu() - before
        print(f"check of one article: {check_cpu:.2f} s CPU")

        before = cpu()
        linter(True).lint_paths([str(root / "docs"), article])
        cold_cpu = cpu() - before
        before = cpu()
        warm = linter(True).lint_paths([str(root / "docs"), article])
        warm_cpu = cpu() - before
        print(
            f"--cross-file over {len(files) + 1} files: cold {cold_cpu:.1f} s CPU, warm {warm_cpu:.1f} s CPU"
        )
        print(f"check / warm cross-file: {100 * check_cpu / warm_cpu:.1f}%")
        by_archive, by_cross = pairs(checked, article), pairs(warm, article)
        both = by_archive & by_cross
        print(
            f"pairs involving the article (statements of one claim): archive check {len(by_archive)}, "
            f"--cross-file {len(by_cross)}, both {len(both)}; article lines flagged: archive "
            f"{len({p[0] for p in by_archive})}, cross-file {len({p[0] for p in by_cross})}, "
            f"both {len({p[0] for p in by_archive} & {p[0] for p in by_cross})}"
        )
        for label, only in (
            ("archive check only", by_archive - by_cross),
            ("--cross-file only", by_cross - by_archive),
        ):
            for line, other, other_line in sorted(only):
                print(f"{label}: article line {line} ~ {Path(other).relative_to(root)}:{other_line}")


if __name__ == "__main__":
    main()
