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
            status=0
            .venv/bin/easyread render "$example" --to all -o out 2>out/too-dense-report.txt || status=$?
            if [ "$status" -ne 1 ]; then  # 1 is refused by the readability gate; 0 or 2 is wrong
                cat out/too-dense-report.txt >&2
                echo "error: $example should have been refused (exit 1), but easyread exited $status" >&2
                exit 1
            fi
            echo "$example: refused, as it should be (report in out/too-dense-report.txt)"
            ;;
        *)
            .venv/bin/easyread render "$example" --to all --house-style examples/house-style/northmoor.yaml -o out
            ;;
    esac
done
