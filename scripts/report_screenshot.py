"""Screenshot a review page in headless Chromium (the picture in docs/report.md).

    redline report examples/seed-article.txt -o /tmp/seed.html
    python scripts/report_screenshot.py /tmp/seed.html docs/img/report.png --height 1700

Uses the DevTools-protocol driver of the browser tests (tests/cdp.py) and Debian's
``chromium`` (scripts/install-chromium.sh). ``--click`` clicks an element first (a mark,
to show a claim's sentences linked); ``--full`` takes the whole page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cdp import Browser, find_chromium


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=1360)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--click", default="", help="CSS selector of an element to click first")
    parser.add_argument("--full", action="store_true", help="the whole page, not the first screen")
    args = parser.parse_args()
    executable = find_chromium()
    if executable is None:
        print("report_screenshot: no chromium (run scripts/install-chromium.sh)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(executable, Path(profile), width=args.width, height=args.height)
        try:
            browser.open_page(args.page.resolve().as_uri())
            if args.click:
                browser.click(args.click)
            errors = browser.console_errors()
            if errors:
                print("\n".join(errors), file=sys.stderr)
                return 1
            browser.screenshot(args.out, full_page=args.full)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
