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
# Node.js runs the browser checks (axe-core in Chromium). Many machines have it already;
# where node or npm is not on PATH, Debian's nodejs and npm are installed.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
node="$(readlink -f "$(command -v node)")"  # the real file, never .venv/bin/node itself
if ! "$node" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
    echo "the browser checks need Node.js 18 or newer; $("$node" --version) found at $node" >&2
    exit 2
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "easyread needs Python 3.11 or newer; $("$python" --version) found. Set PYTHON=/path/to/python3.11" >&2
    exit 2
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test,voice,service,cluster]"  # voice: the natural voice; service: easyread serve; cluster: batches on Dask
# compiled now, so no run compiles easyread again (even where PYTHONDONTWRITEBYTECODE is set)
.venv/bin/python -m compileall -q easyread
# the tests run the node used here (.venv/bin/node), whatever PATH they are started with
ln -sfn "$node" .venv/bin/node
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
