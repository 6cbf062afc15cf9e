#!/usr/bin/env bash
# Installs what the tests need and runs the whole suite: lint, types, unit, API,
# WebSocket and browser tests. Usage: bash tests/run.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

# torch first, pinned: on this kind of machine 2.13.0 is the local CPU build; an unpinned
# torch would pull a multi-GB CUDA build. The project's own range then installs nothing more.
python -m pip install --quiet --disable-pip-version-check torch==2.13.0
python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# Browser tests drive Debian's Chromium (never `playwright install`: it downloads a browser).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: /usr/bin/chromium is missing; run 'sudo apt-get install chromium' for browser tests" >&2
  fi
fi

echo "== ruff"; ruff check backend tests bench && ruff format --check backend tests bench
echo "== mypy"; mypy
echo "== pytest"; python -m pytest "$@"
