"""How fast the PDF writer is: python bench/pdf_speed.py

The largest example's easy-read PDF, warm (goal under 0.3 s), and every example in both
profiles in one process, from loading the plan to the PDF bytes (goal under 3 s).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easyread.composer import compose  # noqa: E402
from easyread.inputs.profile import get_profile  # noqa: E402
from easyread.presentation.layout import Layout  # noqa: E402
from easyread.writers import pdf  # noqa: E402


def main(runs: int = 7) -> None:
    examples = sorted(p for p in (ROOT / "examples").glob("*.yaml") if "too-dense" not in p.name)
    largest = max(examples, key=lambda p: p.stat().st_size)
    profile = get_profile("easy-read")
    document = compose(largest, profile=profile)
    pdf.render(document, Layout.of(document, profile))  # warm: rasters cached, fonts read
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        data = pdf.render(document, Layout.of(document, profile))
        times.append(time.perf_counter() - start)
    print(f"{largest.name}: easy-read PDF ({len(data) / 1024:.0f} KB) median {statistics.median(times):.3f} s "
          f"over {runs} runs (goal < 0.3 s)")
    start = time.perf_counter()
    count = 0
    for example in examples:
        for name in ("easy-read", "large-print"):
            chosen = get_profile(name)
            pdf.render(document := compose(example, profile=chosen), Layout.of(document, chosen))
            count += 1
    print(f"all {count} example PDFs (both profiles) in one process: {time.perf_counter() - start:.2f} s (goal < 3 s)")


if __name__ == "__main__":
    main()
