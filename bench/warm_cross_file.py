"""A warm ``--cross-file`` run over the docs corpus copied COPIES times: CPU seconds.

    python bench/warm_cross_file.py [COPIES] [--real]    # default 5 copies, the stand-in embedder

Makes COPIES related variants of the docs corpus (as ``cross_file_scale.py`` does), then runs
``redline --cross-file --select RL102`` over them in a child process twice with one cache
folder: the first fills the result and embedding caches, the second is the warm run. Prints
the CPU seconds (user + system, from the child's rusage, as ``/usr/bin/time`` reports them),
the wall seconds and the peak RSS of each run, and whether both printed the same findings.
With ``--real`` the configured model is used (the first run then embeds every unit with it);
by default the hashed bag-of-words stand-in (``backend = "hashed"``), so that the figures
are everything but the model.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cross_file_scale import REPO, make_copies

# The CLI in a child process, with the stand-in backend registered first (it is the
# archive's, and plain ``redline`` does not import the archive).
CHILD = "import sys, redline.archive.rl102; from redline.entry import main; sys.argv[0] = 'redline'; main()"


def run(root: Path) -> tuple[float, float, float, bytes]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            "check",
            "--cross-file",
            "--select",
            "RL102",
            "--config",
            str(root / "redline.toml"),
            "--cache-dir",
            str(root / "cache"),
            "--format",
            "json",
            str(root / "docs"),
        ],
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(done.stderr.decode())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, after.ru_maxrss / 1024, done.stdout


def main() -> None:
    copies = int(next((a for a in sys.argv[1:] if a.isdigit()), "5"))
    real = "--real" in sys.argv
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        make_copies(REPO / "../shared/corpus/docs", root / "docs", copies)
        backend = "" if real else 'backend = "hashed"\n'
        (root / "redline.toml").write_text(f"[rules.near-duplicate]\n{backend}")
        cold = run(root)
        warm = run(root)
        for name, (cpu, wall, rss, _) in (("first (fills the caches)", cold), ("warm", warm)):
            print(f"{name}: {cpu:.1f} s CPU, {wall:.1f} s wall, peak RSS {rss:.0f} MB")
        findings = warm[3].count(b'"code": "RL102"')
        print(f"RL102 findings: {findings}; same output cold and warm: {cold[3] == warm[3]}")


if __name__ == "__main__":
    main()
