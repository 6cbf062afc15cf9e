#!/usr/bin/env bash
# Creates the project's virtual environment (.venv) and installs torch and lrscope into it.
# Usage: bash scripts/bootstrap.sh [test]    ("test" adds the test dependencies)
#
# A venv because Debian 12 and Ubuntu 24.04 refuse `pip install` outside one (PEP 668).
# It reinstalls only when pyproject.toml (or what is asked) changed, so a re-run is instant.
#
# Torch comes first, pinned: on the machines this project is developed on, torch==2.13.0
# is a local CPU build. Elsewhere the default index serves a multi-GB CUDA build; to get
# the CPU one, set TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu (any version in the
# project's range works: TORCH_VERSION=2.5.1, say).
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
venv=.venv
python="${PYTHON:-python3}"
torch_spec="torch==${TORCH_VERSION:-2.13.0}"
wanted="$(cat pyproject.toml; echo "$torch_spec ${TORCH_INDEX_URL:-}")"
stamp="$venv/.lrscope-installed"

if ! command -v "$python" >/dev/null; then
  echo "error: $python is not installed (on Debian: apt-get install python3 python3-venv)" >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "== installing python3-venv (Debian's venv module)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$python" -m venv "$venv"
    else
      echo "error: '$python -m venv' failed; install python3-venv (sudo apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
fi

# The stamp holds a hash of what was installed and with which extras ("test" includes all).
hash="$(printf '%s' "$wanted" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && grep -qx "$hash test" "$stamp"; then exit 0; fi
if [ -f "$stamp" ] && [ -z "$extras" ] && grep -qx "$hash" "$stamp"; then exit 0; fi

pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
echo "== installing torch and lrscope into $venv (once; later runs skip this)"
if [ -n "${TORCH_INDEX_URL:-}" ]; then
  "${pip[@]}" "$torch_spec" --index-url "$TORCH_INDEX_URL"
else
  "${pip[@]}" "$torch_spec"
fi
"${pip[@]}" -e ".${extras:+[$extras]}"
echo "$hash${extras:+ $extras}" >"$stamp"
