#!/usr/bin/env bash
# Install everything, then render every example into out/ in every format.
# The too-dense example must be refused by the readability gate: that is its point.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
mkdir -p out
for example in examples/*.yaml; do
    case "$example" in
        *too-dense*)
            if .venv/bin/easyread render "$example" --to all -o out 2>out/too-dense-report.txt; then
                echo "error: $example should have been refused" >&2
                exit 1
            fi
            echo "$example: refused, as it should be (report in out/too-dense-report.txt)"
            ;;
        *)
            .venv/bin/easyread render "$example" --to all --house-style examples/house-style/northmoor.yaml -o out
            ;;
    esac
done
