"""The HTML writer: semantic, self-contained, escaped - and checked with axe-core in a real Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import easyread
from easyread.inputs.profile import get_profile
from tests.conftest import CASES, ROOT, all_blocks, laid_out, render_examples

BROWSER = ROOT / "tests" / "browser"


class Outline(HTMLParser):
    """The tags, headings, images and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data):
        self.text.append(data)


def outline(path: Path) -> Outline:
    parsed = Outline()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[tuple[str, str], dict]:
    return render_examples(tmp_path_factory.mktemp("html"), "html")


@pytest.mark.parametrize(("name", "profile"), CASES)
@pytest.mark.slow
def test_phone_numbers_postcodes_and_dates_cannot_wrap_in_html_or_text(pages, name, profile, tmp_path):
    import re

    from easyread.writers import txt
    from tests.pages import WHOLE_ON_A_LINE

    page = pages[(name, profile)]["html"].read_text(encoding="utf-8")
    document = pages[(name, profile)]["document"]
    text = txt.render(document, laid_out(document, profile)).decode("utf-8")
    for output in (page, text):
        found = [m.group(0) for pattern in WHOLE_ON_A_LINE.values() for m in re.finditer(pattern, output)]
        assert found and all(" " not in whole and "\n" not in whole for whole in found), found


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_semantic_self_contained_html(pages, name, profile):
    page = outline(pages[(name, profile)]["html"])
    tags = [tag for tag, _ in page.tags]
    attrs = dict(page.tags)
    assert attrs["html"]["lang"] == "en-GB" and "title" in tags and tags.count("main") == 1
    skip = next(a for t, a in page.tags if t == "a")
    assert skip["href"] == "#main" and attrs["main"]["id"] == "main"  # the skip link comes first
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:]))
    for tag, attr in page.tags:
        if tag == "img":
            assert attr.get("alt") and attr["src"].startswith("data:image/")
        for key in ("src", "href"):
            value = attr.get(key, "")
            assert not value.startswith(("http:", "https:", "//")), value  # nothing fetched from anywhere
    assert "link" not in tags and "script" not in tags
    document = pages[(name, profile)]["document"]
    has = {type(block).__name__ for block in all_blocks(document.blocks)}
    if "Table" in has and get_profile(profile).uses_tables(document.needs):
        assert "table" in tags and any(t == "th" and a.get("scope") == "col" for t, a in page.tags)
        assert 'class="day-list narrow"' in pages[(name, profile)]["html"].read_text()  # for phones
    elif "Table" in has:  # large print, or a person who asked for no tables: day by day
        assert "table" not in tags and 'class="day-list ' in pages[(name, profile)]["html"].read_text()
    assert ("dl" in tags) == ("Glossary" in has) and ("ul" in tags) == ("ListBlock" in has)


def test_symbols_are_vector_pictures_and_photos_stay_photos(pages):
    path = pages[("jordan-plan", "easy-read")]["html"]
    sources = [attr["src"] for tag, attr in outline(path).tags if tag == "img"]
    from urllib.parse import unquote

    svgs = [s for s in sources if s.startswith("data:image/svg+xml,")]
    photos = [s for s in sources if s.startswith(("data:image/jpeg", "data:image/png"))]
    assert len(svgs) > 50 and len(photos) >= 1  # OpenMoji and the example's own SVG; Jordan's photo
    assert all(unquote(s.split(",", 1)[1]).lstrip().startswith(("<svg", "<?xml")) for s in svgs)
    assert all(not set('"<>#\n') & set(s) for s in svgs)  # nothing that would end or break the attribute
    # PNG rasters made it 1.2 MB; SVG in base64 0.7 MB, then 0.88 MB once each idea had its own picture
    assert path.stat().st_size < 800_000


def test_font_size_follows_the_profile_and_the_person(pages):
    easy = pages[("jordan-plan", "easy-read")]["html"].read_text()
    large = pages[("margaret-plan", "large-print")]["html"].read_text()
    assert "html { font-size: 133.33%; }" in easy  # 16pt, and it grows with the browser's text size
    assert "html { font-size: 166.67%; }" in large  # Margaret's 20pt
    assert "background: #FFFDD0" in large  # her page colour


def test_a_persons_html_is_text(plan, tmp_path):
    plan["about_me"] = ['<script>alert(1)</script> <img src=x onerror=alert(2)> & "quotes"']
    done = easyread.render(plan, formats=["html"], outdir=tmp_path)
    html = done.paths[0].read_text()
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = outline(done.paths[0])
    assert '<script>alert(1)</script> <img src=x onerror=alert(2)> & "quotes"' in "".join(page.text)


def node() -> str:
    """The Node.js scripts/install.sh recorded beside this Python (.venv/bin/node), else one on PATH."""
    recorded = Path(sys.executable).parent / "node"
    found = str(recorded) if os.access(recorded, os.X_OK) else shutil.which("node")
    assert found, (f"Node.js is missing: neither {recorded} nor a node on PATH; "
                   "scripts/install.sh installs Node.js and links it there")
    return found


def chromium() -> Path:
    """The browser check.mjs launches: $CHROMIUM, else Debian's Chromium (the same rule as check.mjs)."""
    return Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")


# what the page's font list can end in on a machine set up by scripts/install.sh (and emoji and
# other scripts in a person's own words)
SANS_FONTS = {"Atkinson Hyperlegible", "Arial", "Helvetica", "Noto Sans", "Noto Color Emoji", "Noto Sans CJK SC",
              "Noto Sans Arabic", "DejaVu Sans", "Liberation Sans"}


def browser_check(files: list[Path], shots: Path) -> list[dict]:
    command, browser = node(), chromium()
    assert (BROWSER / "node_modules" / "axe-core").exists(), "run: cd tests/browser && npm ci (scripts/install.sh does)"
    assert browser.exists(), f"Chromium is missing at {browser}: apt-get install chromium, or set CHROMIUM"
    result = subprocess.run([command, str(BROWSER / "check.mjs"), str(shots), *map(str, files)],
                            capture_output=True, text=True, timeout=600, cwd=BROWSER,
                            env={**os.environ, "CHROMIUM": str(browser)})
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


@pytest.mark.slow
def test_axe_finds_no_wcag_violations_and_nothing_leaves_the_page(pages, plan, tmp_path):
    plan["about_me"] = ["<script>alert(1)</script> is what I typed"]
    script_page = easyread.render(plan, formats=["html"], outdir=tmp_path / "script").paths[0]
    files = [v["html"] for v in pages.values()] + [script_page]
    # a page made wrong on purpose: lines that cannot wrap and a box that hides what overflows it
    broken = tmp_path / "broken" / "broken.html"
    broken.parent.mkdir()
    broken.write_text(script_page.read_text(encoding="utf-8").replace(
        "</style>", "main p { white-space: nowrap; } h1 { height: 2rem; overflow: hidden; }</style>", 1), encoding="utf-8")
    *reports, wrong = browser_check([*files, broken], tmp_path)
    assert wrong["zoomed"]["overflow"] and any(c.startswith("h1: ") for c in wrong["zoomed"]["clipped"])
    assert len(reports) == len(files)
    for report in reports:
        assert report["violations"] == [], (report["file"], report["violations"])
        assert report["passes"] >= 15
        assert report["requests"] == [], report["requests"]
        assert [shot["width"] for shot in report["screenshots"]] == [1280, 320]
        assert not any(shot["overflow"] for shot in report["screenshots"])  # reflows at 320 px, no sideways scrolling
        # the font Chromium really draws with is one of our sans-serif fonts, never its default serif
        assert report["fonts"] and set(report["fonts"]) <= SANS_FONTS, report["fonts"]
        assert all(Path(shot["path"]).stat().st_size > 5000 for shot in report["screenshots"])
        # at 200% text size (WCAG 1.4.4) nothing is cut off and nothing scrolls sideways
        assert report["zoomed"]["clipped"] == [] and not report["zoomed"]["overflow"], report["zoomed"]


def test_a_changed_photo_shows_in_the_next_render(plan, write, tmp_path):
    # a long-running process (a web service) renders, the photo file is replaced, it renders again
    import base64
    import io

    from PIL import Image

    def photo(colour: str) -> bytes:
        data = io.BytesIO()
        Image.new("RGB", (60, 60), colour).save(data, "PNG")
        return data.getvalue()

    plan["person"]["photo"] = {"file": "ada.png", "alt": "Ada in her garden"}
    source = write("ada.yaml", plan)
    pictures = []
    for colour in ("red", "blue"):
        (tmp_path / "ada.png").write_bytes(photo(colour))
        page = easyread.render(source, formats=["html"], outdir=tmp_path / colour).paths[0]
        pictures.append({base64.b64decode(attr["src"].split(",", 1)[1]) for tag, attr in outline(page).tags
                         if tag == "img" and attr.get("alt") == "Ada in her garden"})
    assert pictures == [{photo("red")}, {photo("blue")}]


def test_the_house_font_cannot_break_out_of_the_css(plan, tmp_path):
    from easyread.inputs.house_style import Colours, HouseStyle
    from easyread.inputs.profile import get_profile
    from easyread.writers import html

    hostile = 'Arial"; } body { background-image: url(http://127.0.0.1:9/x) } </style><script>alert(1)</script>'
    # the house style refuses such a font name (tests/test_house_style.py); the CSS escapes it all the same
    style = HouseStyle.model_construct(name="Evil Council", font=hostile, colours=Colours(), logo=None, contact=[],
                                       body_pt=None)
    profile = get_profile("easy-read").model_copy(update={"house": style})
    page = html.page(easyread.compose(plan), laid_out(easyread.compose(plan), profile))
    css = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in css and "<" not in css and "}" not in css.split("font-family:", 1)[1].split(";", 1)[0]
    assert "<script>" not in page and page.count("</style>") == 1
    assert 'font-family: "Arial\\22 \\3b  \\7d  body \\7b  background-image\\3a  url\\28 http' in css


def test_the_font_stack_is_valid_css_and_reaches_fonts_for_other_scripts(pages):
    page = pages[("jordan-plan", "easy-read")]["html"].read_text(encoding="utf-8")
    stack = page.split("font-family: ", 1)[1].split(";", 1)[0]
    # every family a CSS string (Jinja once wrote 'Atkinson Hyperlegible' as &#39;...&#39;, which ends the rule)
    assert "&#39;" not in stack and "&quot;" not in stack
    families = [family.strip() for family in stack.split(",")]
    assert families[0] == '"Arial"' and families[1] == '"Atkinson Hyperlegible"' and families[-1] == "sans-serif"
    for needed in ('"Noto Sans Arabic"', '"Noto Sans CJK SC"', '"Noto Color Emoji"', '"Segoe UI Emoji"'):
        assert needed in families
