"""Count findings per rule in a ``redline --format json`` output (stdin or a file).

redline --no-cache --format json ../shared/corpus/news | python scripts/finding_counts.py
"""

from __future__ import annotations

import collections
import json
import sys


def main() -> None:
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as stream:
            data = json.load(stream)
    else:
        data = json.load(sys.stdin)
    counts: collections.Counter[str] = collections.Counter()
    for entry in data["files"]:
        counts.update(f["code"] for f in entry["findings"])
    total = sum(counts.values())
    for code, count in sorted(counts.items()):
        print(f"{code}  {count}")
    print(f"total {total}; without RL305 {total - counts['RL305']}; files {len(data['files'])}")


if __name__ == "__main__":
    main()
