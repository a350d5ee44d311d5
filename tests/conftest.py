"""Shared fixtures: a small fictional plan, and helpers to write files and run the CLI."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOOD = sorted(p for p in EXAMPLES.glob("*.yaml") if "too-dense" not in p.name)  # every example that should render
HOUSE = EXAMPLES / "house-style" / "northmoor.yaml"
PROFILES = ("easy-read", "large-print")
CASES = [(example.stem, profile) for example in GOOD for profile in PROFILES]

# A small, complete, fictional plan (not an example file: tests change it freely).
PLAN = {
    "kind": "plan",
    "date": "2026-09-01",
    "organisation": {"name": "Westdale Council", "phone": "01632 960 100"},
    "person": {
        "name": "Ada Lovelock",
        "known_as": "Ada",
        "information_needs": {"formats": ["easy-read"], "speech_rate_wpm": 130},
    },
    "worker": {"name": "Tom Baker", "role": "Your social worker", "phone": "01632 960 101"},
    "about_me": ["I like gardening and my cat Pip."],
    "what_matters_to_me": ["Seeing my sister on Sundays."],
    "strengths": ["You can make tea and toast."],
    "needs": [
        {
            "area": "Cooking",
            "description": {"text": "Ada requires prompting to prepare hot meals safely.", "easy_read": "You need help to cook hot food."},
            "eligible": True,
            "how_met": "A support worker cooks with you.",
        }
    ],
    "eligibility": {"decision": "eligible", "decided_on": "2026-08-20", "explanation": "You need help with cooking and washing."},
    "outcomes": [
        {"title": "Cook a hot meal", "why": "I want to eat proper food.", "symbol": "cook",
         "steps": [{"what": "Cook with you on Mondays.", "who": "Kim", "by": "2026-12-01"}]}
    ],
    "timetable": [
        {"day": "Wednesday", "start": "17:00", "end": "18:00", "activity": "Cooking tea", "who": "Kim"},
        {"day": "Monday", "start": "09:30", "end": "11:00", "activity": "Shopping", "who": "Kim"},
    ],
    "budget": {"total": {"amount": "120.50", "per": "week"}, "managed_as": "council-managed",
               "pays_for": [{"what": "Support with cooking", "cost": {"amount": "120.50", "per": "week"}}]},
    "involvement": {"people": [{"name": "Ada Lovelock", "role": "You"}], "how_i_took_part": "You met Tom at home."},
    "agreement": {"status": "agreed", "date": "2026-09-01", "comments": "It is fine."},
    "next_review": {"date": "2027-03-01", "how_to_ask_earlier": "Ring Tom if things change."},
    "complaints": {"how": "Tell Tom if you are not happy.", "contact": {"name": "Complaints Team", "role": "They look at complaints", "phone": "01632 960 102"}},
}


def least_pictures(document, profile: str) -> int:
    """How many pictures a rendered example shows at least: easy read 20 or more; a person who asked for
    photos only their photos (and never a cartoon symbol); large print, or "no pictures", none."""
    if profile != "easy-read" or document.needs.pictures == "none":
        return 0
    return 1 if document.needs.pictures == "photos" else 20


def picture_alts(document) -> set[str]:
    """The alt texts the document's pictures may have: only its photos' when the person asked for photos."""
    photos_only = document.needs.pictures == "photos"
    return {ref.alt for ref in document.symbols.values() if not photos_only or ref.source in ("photo", "council")}


CACHE = pytest.StashKey[tuple]()  # (the session's cache folder, EASYREAD_CACHE_DIR before it)


def pytest_configure(config):
    """A fresh, empty easyread cache for this test session (word tables, rasters, compiled templates),
    set before any test imports easyread, so no run depends on what an earlier one left behind.
    Processes the tests start (run_cli, batch workers) inherit it."""
    folder = tempfile.mkdtemp(prefix="easyread-test-cache-")
    config.stash[CACHE] = (folder, os.environ.get("EASYREAD_CACHE_DIR"))
    os.environ["EASYREAD_CACHE_DIR"] = folder


def pytest_unconfigure(config):
    folder, before = config.stash.get(CACHE, (None, None))
    if folder is None:
        return
    if before is None:
        os.environ.pop("EASYREAD_CACHE_DIR", None)
    else:
        os.environ["EASYREAD_CACHE_DIR"] = before
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def plan() -> dict:
    """A fresh copy of the small plan, to change in a test."""
    return copy.deepcopy(PLAN)


@pytest.fixture
def write(tmp_path: Path):
    """Write data (as YAML) or text to a file in tmp_path; returns the path."""

    def _write(name: str, content) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, (dict, list)):
            content = yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
        path.write_text(content, encoding="utf-8")
        return path

    return _write


def run_cli(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `python -m easyread.cli ARGS` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "easyread.cli", *map(str, args)],
        input=stdin, capture_output=True, text=True, cwd=cwd or ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def render_examples(out: Path, fmt: str) -> dict[tuple[str, str], dict]:
    """Every good example in both profiles, with the example house style: {(name, profile): {fmt: path, "document"}}."""
    import easyread

    made = {}
    for example in GOOD:
        for profile in PROFILES:
            done = easyread.render(example, formats=[fmt], profile=profile, outdir=out / profile, house_style=HOUSE)
            made[(example.stem, profile)] = {fmt: done.paths[0], "document": done.document}
    return made


def pdf_structure(path: Path) -> tuple[list[str], list[str]]:
    """A tagged PDF's structure types in reading order, and every Figure's alt text (read with pikepdf)."""
    import pikepdf

    kinds, alts = [], []
    with pikepdf.open(path) as document:
        def walk(node):
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                kinds.append(str(node.S))
                if node.S == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                walk(kid)
        walk(document.Root.StructTreeRoot)
    return kinds, alts


# What a reader must see on one line, written here independently of easyread.writers.whole: a
# phone number, a postcode, a date, an amount with its period, "12 noon". Any space may be a
# line break in the page's text; a match that holds one is split.
_GAP = r"[ \u00a0\n]"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
WHOLE_ON_A_LINE = {
    "phone number": rf"(?<![\d£.])(?:\+44{_GAP}?|0)\d{{2,4}}(?:{_GAP}\d{{3,4}}){{1,2}}(?!\d)",
    "postcode": rf"\b[A-Z]{{1,2}}\d[A-Z\d]?{_GAP}\d[A-Z]{{2}}\b",
    "date": rf"\b\d{{1,2}}{_GAP}(?:{_MONTHS})(?:{_GAP}\d{{4}})?\b",
    "amount": rf"£\d[\d,]*(?:\.\d\d)?{_GAP}(?:a|an|per|each){_GAP}(?:week|fortnight|month|year|day|hour)\b",
    "time": rf"\b\d{{1,2}}{_GAP}noon\b",
}


def split_across_lines(pdf: Path) -> list[str]:
    """Every phone number, postcode, date, amount or time that a PDF's pages break across two lines."""
    import re

    import pdfplumber

    with pdfplumber.open(pdf) as document:
        pages = [page.extract_text() or "" for page in document.pages]
    return [f"page {number}, {kind}: {match.group(0)!r}" for number, text in enumerate(pages, 1)
            for kind, pattern in WHOLE_ON_A_LINE.items() for match in re.finditer(pattern, text)
            if "\n" in match.group(0)]


def split_across_pages(pdf: Path, document, lead_ins: bool = True) -> list[str]:
    """Every page that ends with a lead-in ("If something goes wrong:") whose list is on the next page,
    and every page that starts inside a contact card (its name on the page before)."""
    import re

    import pdfplumber

    from easyread.document import Agreement

    footer = re.compile(r"^Page \d+ of \d+$")
    with pdfplumber.open(pdf) as opened:
        pages = [[line.strip() for line in (page.extract_text() or "").splitlines()
                  if line.strip() and not footer.match(line.strip())] for page in opened.pages]
    # the agreement's lines to sign ("Date:") end with a colon and lead into nothing
    sign = {f"{label}:" for block in _all_blocks(document.blocks) if isinstance(block, Agreement) for label in block.sign}
    found = []
    for number, (lines, following) in enumerate(zip(pages, pages[1:]), 1):
        if lead_ins and lines and lines[-1].endswith(":") and lines[-1] not in sign:
            found.append(f"page {number} ends with a lead-in: {lines[-1]!r}")
        if following and re.match(r"^(Phone|Email|Address|When): ", following[0]):
            found.append(f"page {number + 1} starts inside a contact card: {following[0]!r}")
    return found


def closest_to_the_page_number(pdf: Path) -> float:
    """The smallest gap, in cm, between the body text and the "Page N of M" line below it, on any page."""
    import pdfplumber

    gaps = [99.0]
    with pdfplumber.open(pdf) as opened:
        for page in opened.pages:
            words = page.extract_words()
            footer = [word["top"] for word in words if word["text"] == "Page"]
            if footer:
                above = [word["bottom"] for word in words if word["bottom"] < max(footer) - 1]
                gaps += [(max(footer) - max(above)) / 72 * 2.54] if above else []
    return min(gaps)


def page_problems(pdf: Path, document, lead_ins: bool = True) -> list[str]:
    """What a reader would trip over on the rendered pages: a phone number, postcode, date or amount split
    across lines; text within 0.4 cm of the page number; a lead-in or contact card split across pages."""
    gap = closest_to_the_page_number(pdf)
    return [*split_across_lines(pdf), *split_across_pages(pdf, document, lead_ins),
            *([f"text {gap:.2f} cm above the page number"] if gap < 0.4 else [])]


def _all_blocks(blocks):
    for block in blocks:
        yield block
        yield from _all_blocks(getattr(block, "blocks", []))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failed test: a missing dependency must not pass silently."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"
