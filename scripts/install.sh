#!/usr/bin/env bash
# Install everything easyread needs on a fresh Debian/Ubuntu machine:
# the system packages listed in scripts/apt-packages.txt, then a virtual
# environment in .venv with easyread and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t packages < <(grep -v '^\s*#' scripts/apt-packages.txt | tr -s ' \t' '\n' | sed '/^$/d')
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node.js runs the browser checks (axe-core in Chromium); many machines have it already
if ! command -v npm >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "easyread needs Python 3.11 or newer; $("$python" --version) found. Set PYTHON=/path/to/python3.11" >&2
    exit 2
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# compiled now, so no run compiles easyread again (even where PYTHONDONTWRITEBYTECODE is set)
.venv/bin/python -m compileall -q easyread
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
