#!/usr/bin/env bash
# Install Microsoft's SARIF multitool (npm) into .tools/ for tests/test_output_sarif.py.
# Idempotent and quick when already there; never fails the caller: without npm or the
# registry the multitool test skips and says why.
set -uo pipefail
cd "$(dirname "$0")/.."
VERSION=5.7.0
TOOLS=.tools
MARKER="$TOOLS/node_modules/@microsoft/sarif-multitool/package.json"
if [ -f "$MARKER" ] && grep -q "\"version\": \"$VERSION\"" "$MARKER"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-sarif-multitool: npm not found; the SARIF multitool test will be skipped" >&2
  exit 0
fi
mkdir -p "$TOOLS"
[ -f "$TOOLS/package.json" ] || echo '{"private": true}' > "$TOOLS/package.json"
if ! npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error \
    "@microsoft/sarif-multitool@$VERSION" >&2; then
  echo "install-sarif-multitool: npm install failed; the SARIF multitool test will be skipped" >&2
fi
exit 0
