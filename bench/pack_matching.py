"""Pack matching on one long paragraph: time and hits at several sizes (issue 18, item 3).

    python bench/pack_matching.py            # 1, 4 and 16 MB
    python bench/pack_matching.py 0.0625 0.125 0.25

The text is the issue's: ``'We utilize it. ' * n``, one paragraph with a hit of the
built-in substitution rule RL402 ("utilize" -> "use") every 15 characters. Each size is
parsed as plain text and RL402's ``check`` is timed alone (``perf_counter``, wall clock,
best of ``--runs``), so the figure is the matching, not spaCy or start-up. Linear matching
shows as a steady MB/s; a per-match cost over the whole paragraph as MB/s that falls
with the size.
"""

from __future__ import annotations

import argparse
import os
import time

UNIT = "We utilize it. "


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=float, default=[1, 4, 16], help="sizes in MB (10^6 bytes)")
    parser.add_argument("--runs", type=int, default=1, help="best of this many runs per size")
    args = parser.parse_args()

    from redline.markup import parse
    from redline.packs import builtin_pack_rules
    from redline.rules.base import RuleContext
    from redline.services import Services

    (rule,) = [r for r in builtin_pack_rules() if r.code == "RL402"]
    context = RuleContext(options=rule.Options(), services=Services(use_cache=False), verbose=False)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    print("| size (MB) | characters | hits | seconds | MB/s |")
    print("|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        text = UNIT * max(1, round(size * 1_000_000 / len(UNIT))) + "\n"
        document = parse("u.txt", text)
        best = float("inf")
        hits = 0
        for _ in range(args.runs):
            started = time.perf_counter()
            hits = sum(1 for _ in rule.check(document, context))
            best = min(best, time.perf_counter() - started)
        print(f"| {size:g} | {len(text):,} | {hits:,} | {best:.2f} | {len(text) / 1e6 / best:.2f} |")


if __name__ == "__main__":
    main()
