"""How fast easyread meets input made to be slow: python bench/hostile.py

The tests only bound these in CPU time (tests/conftest.py cpu_budget, tests/hostile.py run_bounded), so a
busy machine never fails them; the times themselves are measured here, the median of 5 runs each:
sentence splitting on long runs of full stops and abbreviations (was 29 s for 40,000 full stops), judging
a 19,000-character word (a regular expression built with the word inside took minutes), and refusing a
small alias bomb while it is read.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pipeline import median_ms  # noqa: E402
from easyread.errors import InputError  # noqa: E402
from easyread.inputs.loader import load  # noqa: E402
from easyread.language.sentences import split, words  # noqa: E402
from easyread.readability import check_text, lexicon  # noqa: E402
from tests.test_load import BOMB  # noqa: E402  # the tests' own small "billion laughs"


def refuse_bomb(path: Path) -> None:
    try:
        load(path)
    except InputError:
        return
    raise AssertionError("the alias bomb was not refused")


def main() -> None:
    lexicon.warm_up()
    cases = {
        "split 40,000 full stops": lambda: (split("." * 40_000), words("." * 40_000)),
        "split 10,000 'Dr.'": lambda: (split("Dr. " * 10_000), words("Dr. " * 10_000)),
        "split 700 'Ring Jo' + 50 full stops": lambda: split(("Ring Jo" + "." * 50 + " ") * 700),
        "check a 19,000-character word": lambda: check_text("Your " + "xylophonic" * 1_900 + " is here.\nIt "
                                                            + "zq" * 9_000 + " helps."),
    }
    with tempfile.TemporaryDirectory() as folder:
        bomb = Path(folder) / "bomb.yaml"
        bomb.write_text(BOMB)
        cases["refuse an alias bomb of 531,441 values"] = lambda: refuse_bomb(bomb)
        print("| input | median ms |\n|---|---|")
        for name, action in cases.items():
            print(f"| {name} | {median_ms(action, 5):.1f} |")


if __name__ == "__main__":
    main()
