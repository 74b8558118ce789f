#!/usr/bin/env bash
# Chromium for the review report's browser tests (tests/test_report_chromium.py).
# Idempotent: does nothing when a chromium is on PATH. Installs Debian's package when
# apt-get is there and we are root; otherwise says so and the browser tests skip.
set -uo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
    echo "scripts/install-chromium.sh: no chromium and no root apt-get; the browser tests will skip" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; then
    echo "scripts/install-chromium.sh: installing chromium failed; the browser tests will skip" >&2
fi
exit 0
