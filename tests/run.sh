#!/usr/bin/env bash
# Installs what the tests need, then runs the whole suite: Python lint and types, the
# JavaScript lint and unit tests, and pytest (unit, API, WebSocket and browser tests).
# Usage: bash tests/run.sh [pytest args...]   e.g. bash tests/run.sh tests/engine -x
# Installs are skipped when nothing changed, so a re-run starts testing at once.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh test
export PATH="$PWD/.venv/bin:$PATH"

# What Debian must provide: Chromium for the browser tests (driven by Playwright; never
# `playwright install`, which downloads a browser), a CJK font for the Chinese page's
# screenshots, and Node.js for the JavaScript tests.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi micro hei" || missing+=(fonts-wqy-microhei)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing ${missing[*]} (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "error: missing ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# ESLint, pinned in package-lock.json; reinstalled only when the lock file changes.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# One command a line: under `set -e` a failure inside `a && b` would not stop the script.
echo "== ruff"
ruff check backend tests bench scripts
ruff format --check backend tests bench scripts
echo "== mypy"; mypy
echo "== eslint"; npx --no-install eslint
echo "== node --test"; node --test tests/js/
echo "== pytest"; python -m pytest "$@"
