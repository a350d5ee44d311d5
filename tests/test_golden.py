"""Every example's text and JSON, pinned: a change to what a reader gets shows up here, on purpose.

The pinned files are in tests/golden/. After a change that is meant to alter the words or the
Document, write them again and read the difference before committing it:

    EASYREAD_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from easyread import render_bytes
from tests.conftest import GOOD

GOLDEN = Path(__file__).parent / "golden"
FORMATS = ("txt", "json")
UPDATE = os.environ.get("EASYREAD_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")


@pytest.mark.parametrize("example", GOOD, ids=[example.stem for example in GOOD])
def test_example_text_and_json_are_pinned(example: Path) -> None:
    done = render_bytes(example, formats=list(FORMATS))
    changed = []
    for fmt in FORMATS:
        pinned = GOLDEN / f"{example.stem}.{fmt}"
        made = done.content(fmt).decode("utf-8")
        if UPDATE:
            pinned.write_text(made, encoding="utf-8")
            continue
        assert pinned.is_file(), f"{pinned} is missing: run with EASYREAD_UPDATE_GOLDEN=1 to write it"
        wanted = pinned.read_text(encoding="utf-8")
        if made != wanted:
            diff = difflib.unified_diff(wanted.splitlines(), made.splitlines(), f"pinned/{pinned.name}",
                                        f"made/{pinned.name}", lineterm="", n=1)
            changed.append("\n".join(list(diff)[:60]))
    assert not changed, "\n\n".join(changed)


def test_every_example_is_pinned() -> None:
    pinned = {path.name for path in GOLDEN.iterdir()}
    wanted = {f"{example.stem}.{fmt}" for example in GOOD for fmt in FORMATS}
    assert pinned == wanted, (sorted(pinned - wanted), sorted(wanted - pinned))
