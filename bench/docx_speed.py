"""How fast the Word writer is: python bench/docx_speed.py

Writes the easy-read .docx of the largest example, warm (symbol rasters cached, template
compiled), and reports the median; goal under 0.5 s.
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
from easyread.writers import docx  # noqa: E402


def main(runs: int = 7) -> None:
    largest = max((p for p in (ROOT / "examples").glob("*.yaml") if "too-dense" not in p.name),
                  key=lambda p: p.stat().st_size)
    profile = get_profile("easy-read")
    document = compose(largest, profile=profile)
    docx.render(document, Layout.of(document, profile))  # warm: rasters cached
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        size = len(docx.render(document, Layout.of(document, profile)))
        times.append(time.perf_counter() - start)
    print(f"{largest.name}: easy-read .docx ({size / 1024:.0f} KB, {len(document.symbols)} distinct pictures) "
          f"median {statistics.median(times):.3f} s over {runs} runs (goal < 0.5 s)")


if __name__ == "__main__":
    main()
