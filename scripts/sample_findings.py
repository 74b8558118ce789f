"""Draw a seeded random sample of findings from ``redline --format json`` output, for reading.

    redline --no-cache --format json ../shared/corpus/news > news.json
    python scripts/sample_findings.py news.json --count 40 --seed 14 [--skip RL305]

Prints one numbered line per finding: code, path:line, message, and the text the finding
spans (clipped), so an editor can mark each accept / reject / debatable.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--skip", default="", help="comma-separated codes left out of the draw")
    args = parser.parse_args()
    skipped = {c for c in args.skip.split(",") if c}
    data = json.loads(Path(args.report).read_text("utf-8"))
    pool = [
        (entry["path"], finding)
        for entry in data["files"]
        for finding in entry["findings"]
        if finding["code"] not in skipped
    ]
    sample = random.Random(args.seed).sample(pool, min(args.count, len(pool)))
    sample.sort(key=lambda item: (item[0], item[1]["start"]["offset"]))
    for number, (path, finding) in enumerate(sample, 1):
        text = Path(path).read_text("utf-8")
        span = " ".join(text[finding["start"]["offset"] : finding["end"]["offset"]].split())
        clipped = span if len(span) <= 160 else span[:157] + "..."
        print(
            f"{number}. {finding['code']} {Path(path).name}:{finding['start']['line']} {finding['message']}"
        )
        print(f"   | {clipped}")


if __name__ == "__main__":
    main()
