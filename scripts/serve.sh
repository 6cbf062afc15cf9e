#!/usr/bin/env bash
# Installs lrscope into .venv (first run only) and starts it; prints the URL and keeps
# running until Ctrl-C. Extra arguments go to `lrscope serve` (e.g. --host 0.0.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/lrscope serve "$@"
