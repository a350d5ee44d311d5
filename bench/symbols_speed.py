"""How fast pictures are chosen and found: python bench/symbols_speed.py

Resolves the symbols of a 60-statement document (the words choose a picture for each
statement) and finds the PNG of every symbol, with a warm raster cache; goal under 20 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easyread.composer import Pictures, attach_symbols, compose  # noqa: E402
from easyread.document import Section, Statement, sections  # noqa: E402
from easyread.symbols import symbol_set  # noqa: E402
from easyread.symbols.raster import picture  # noqa: E402


def main(runs: int = 50) -> None:
    document = compose(ROOT / "examples" / "jordan-plan.yaml")
    rows = [b for s in sections(document) for b in s.blocks if isinstance(b, Statement)][:60]
    for row in rows:  # let the words choose every picture
        row.symbol, row.symbol_source = None, None
    first = next(sections(document))
    document.blocks = [Section(heading=first.heading, level=2, blocks=rows, source=rows[0].source)]
    pictures = Pictures(symbol_set())

    def resolve() -> None:
        document.symbols = {}
        for row in rows:
            row.symbol, row.symbol_source = None, None
        attach_symbols(document, pictures)
        for ref in document.symbols.values():
            picture(ref)

    resolve()  # warm: rasters made and cached
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        resolve()
        times.append(time.perf_counter() - start)
    chosen = sum(1 for row in rows if row.symbol)
    print(f"{len(rows)} statements, {chosen} pictures chosen from their words, {len(document.symbols)} distinct: "
          f"median {1000 * statistics.median(times):.1f} ms over {runs} runs (goal < 20 ms)")


if __name__ == "__main__":
    main()
