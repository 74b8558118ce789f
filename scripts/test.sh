#!/usr/bin/env bash
# Install redline with its test extras (CPU-only torch first) and run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet "torch==2.13.0" -e ".[embeddings,archive,ray,test]"
bash scripts/install-sarif-multitool.sh
bash scripts/install-chromium.sh
python3 -m pytest -q "$@"
