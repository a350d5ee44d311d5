"""Time each stage of the pipeline for every example: python bench/pipeline.py [RUNS].

Prints the median of RUNS runs (default 20) per stage, after one warm-up run that
compiles the templates, and the whole-process time of `easyread --help` and of one render.
Not part of the test suite: numbers depend on the machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easyread.composer import compose  # noqa: E402
from easyread.inputs.loader import load  # noqa: E402
from easyread.inputs.profile import get_profile  # noqa: E402
from easyread.pipeline import write_files  # noqa: E402
from easyread.presentation.layout import Layout  # noqa: E402
from easyread.readability import check  # noqa: E402
from easyread.writers import format_of, writer  # noqa: E402


def median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def write_text_and_json(document, profile, folder: Path) -> None:
    """The txt and json writers, and the atomic write of their files."""
    layout = Layout.of(document, profile)
    write_files({f"x{format_of(fmt).extension}": writer(fmt).render(document, layout) for fmt in ("txt", "json")}, folder)


def process_seconds(*args: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "easyread.cli", *args], cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(runs: int = 20) -> None:
    print(f"median of {runs} runs, milliseconds")
    print(f"{'example':<28} {'load':>7} {'compose':>8} {'check':>7} {'txt+json':>9} {'sentences':>10}")
    with tempfile.TemporaryDirectory() as out:
        for path in sorted((ROOT / "examples").glob("*.yaml")):
            if "too-dense" in path.name:
                continue
            plan = load(path)
            profile = get_profile("easy-read")
            document = compose(plan, profile=profile)
            report = check(document, profile=profile)
            print(
                f"{path.name:<28} {median_ms(lambda: load(path), runs):7.1f} "
                f"{median_ms(lambda: compose(plan, profile=profile), runs):8.1f} "
                f"{median_ms(lambda: check(document, profile=profile), runs):7.1f} "
                f"{median_ms(lambda: write_text_and_json(document, profile, Path(out)), runs):9.1f} "
                f"{report.sentences:>10}"
            )
        print(f"\nwhole process: easyread --help {process_seconds('--help'):.2f} s; "
              f"render jordan-plan --to txt,json "
              f"{process_seconds('render', 'examples/jordan-plan.yaml', '--to', 'txt,json', '-o', out):.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
