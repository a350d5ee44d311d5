"""Shared fixtures: a small fictional plan, and helpers to write files and run the CLI."""

from __future__ import annotations

import copy
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from easyread.document import pictured_blocks

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
            "description": {"text": "You need prompting to prepare hot meals safely.",
                            "easy_read": "You need help to cook hot food."},
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
    "complaints": {"how": "Tell Tom if you are not happy.",
                   "contact": {"name": "Complaints Team", "role": "They look at complaints", "phone": "01632 960 102"}},
}


def least_pictures(document, profile: str) -> int:
    """How many pictures a rendered example shows at least: easy read 20 or more (most of a short letter's); a
    person who asked for photos only their photos (and never a cartoon symbol); large print, or "no pictures", none."""
    if profile != "easy-read" or document.needs.pictures == "none":
        return 0
    pictured = sum(1 for block in pictured_blocks(document) if getattr(block, "symbol", None))
    return 1 if document.needs.pictures == "photos" else min(20, int(0.8 * pictured))  # a short letter has fewer


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


@contextmanager
def cpu_budget(seconds: float):
    """Fail when the code inside uses more than `seconds` of this process's CPU time (ITIMER_PROF): a guard against
    work that explodes, such as a regular expression that backtracks, never against a busy machine. How fast
    things are is measured in bench/, not here."""
    def spent(signum, frame):
        raise AssertionError(f"used more than {seconds} s of CPU")

    previous = signal.signal(signal.SIGPROF, spent)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def run_cli(*args: str, stdin: str | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m easyread.cli ARGS` as a real process (in this environment, or `env`)."""
    env = os.environ if env is None else env
    return subprocess.run(
        [sys.executable, "-m", "easyread.cli", *map(str, args)],
        input=stdin, capture_output=True, text=True, cwd=cwd or ROOT, timeout=120,
        env={**env, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))},
    )


def render_examples(out: Path, fmt: str) -> dict[tuple[str, str], dict]:
    """Every good example in both profiles, with the example house style: {(name, profile): {fmt: path,
    "document", "layout", "letterhead" (the council's name), "words" (every word the document holds)}}."""
    import re
    from html import unescape

    import easyread
    from easyread.inputs.house_style import load_house_style
    from easyread.inputs.profile import get_profile
    from easyread.presentation.layout import Layout
    from easyread.writers.html import page
    from tests.pages import vocabulary

    house = load_house_style(HOUSE)
    made = {}
    for example in GOOD:
        for name in PROFILES:
            done = easyread.render(example, formats=[fmt], profile=name, outdir=out / name, house_style=HOUSE)
            layout = Layout.of(done.document, get_profile(name).with_house_style(house))
            text = unescape(re.sub(r"<[^>]*>", " ", page(done.document, layout)))  # every word, the page's own too
            made[(example.stem, name)] = {fmt: done.paths[0], "document": done.document, "letterhead": house.name,
                                          "layout": layout,
                                          "words": vocabulary(text, house.name, "Page of")}
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


def pdf_figures(path: Path) -> list[tuple[str, float, float, int]]:
    """Every Figure of a tagged PDF: its alt text, its width and height in cm (from its layout BBox) and its page
    number (from 1), in reading order."""
    import pikepdf

    found = []
    with pikepdf.open(path) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages, 1)}

        def walk(node, page=None):
            if not isinstance(node, pikepdf.Dictionary):
                return
            page = pages.get(node.Pg.objgen, page) if "/Pg" in node else page
            if node.get("/S") == "/Figure":
                attributes = node.get("/A")
                attributes = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
                box = next((a.BBox for a in attributes if isinstance(a, pikepdf.Dictionary) and "/BBox" in a), None)
                width, height = (float(box[2] - box[0]) * 2.54 / 72, float(box[3] - box[1]) * 2.54 / 72) if box else (0, 0)
                found.append((str(node.get("/Alt", "")), width, height, page))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                walk(kid, page)
        walk(document.Root.StructTreeRoot)
    return found


def word_paragraphs(document):
    """Every paragraph of a Word file's body in reading order, those inside tables (a box, a row) too."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, document) for p in document.element.body.iter(qn("w:p"))]


def word_pictures(document):
    """Every picture in a Word file's body (in the words' line or floating beside them), in reading order: its
    wp:docPr, which holds the alt text."""
    from docx.oxml.ns import qn

    return list(document.element.body.iter(qn("wp:docPr")))


def word_rows(document):
    """The easy-read rows of a Word file, in reading order: each picture floating beside words (a wp:anchor), with
    the words of the paragraphs from its own down to the empty one that keeps room for the picture's foot."""
    from docx.oxml.ns import qn

    rows, row = [], None
    for paragraph in word_paragraphs(document):
        anchor = paragraph._p.find(".//" + qn("wp:anchor"))
        if anchor is not None and anchor.find(qn("wp:wrapNone")) is not None:
            row = (anchor, [])
            rows.append(row)
        if row is not None:
            if not paragraph.text.strip():
                row = None  # the room under the words: the row ends
            else:
                row[1].append(paragraph.text)
    return rows


def all_blocks(blocks):
    """Every block, depth first."""
    for block in blocks:
        yield block
        yield from all_blocks(getattr(block, "blocks", []))


# Every test of these modules drives a speech engine, a browser, a server, LibreOffice or a process under limits
SLOW_MODULES = frozenset({"test_audio", "test_epub", "test_service", "test_docx", "test_hostile_input",
                          "test_hostile_templates", "test_hostile_batch", "test_hostile_output"})


def _starts_a_process(function) -> bool:
    """True when a test runs the command or another program (each start costs a third of a second or more)."""
    import inspect

    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return "run_cli(" in source or "subprocess." in source


def pytest_collection_modifyitems(config, items):
    """Mark slow what the fast tier leaves out: the slow modules, tests that start a process, and those
    marked by hand (measured at a third of a second or more with --durations)."""
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module in SLOW_MODULES or _starts_a_process(getattr(item, "function", None)):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failed test: a missing dependency must not pass silently."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"


def laid_out(document, profile="easy-read"):
    """The Layout writers are given for a document in a profile (a name or a Profile), as a render makes it."""
    from easyread.inputs.profile import Profile, get_profile
    from easyread.presentation.layout import Layout

    return Layout.of(document, profile if isinstance(profile, Profile) else get_profile(profile))
