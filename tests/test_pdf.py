"""The tagged PDF writer, read back by independent tools: pikepdf, the pdfua checker, pdfplumber."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pdfplumber
import pikepdf
import pytest

import easyread
from easyread.composer import compose
from easyread.document import SymbolRef
from easyread.errors import OutputError, WriterUnavailable
from easyread.inputs.profile import get_profile
from easyread.writers import pdf
from tests.conftest import CASES, laid_out, least_pictures, pdf_structure, picture_alts, render_examples, word_paragraphs
from tests.pages import page_problems


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, str], dict]:
    """Every example in both profiles, with the example house style."""
    return render_examples(tmp_path_factory.mktemp("pdf"), "pdf")


@pytest.mark.parametrize(("name", "profile"), CASES)
@pytest.mark.slow
def test_nothing_that_must_stay_whole_is_split_and_the_page_number_stands_clear(rendered, name, profile):
    made = rendered[(name, profile)]
    assert page_problems(made["pdf"], made) == []


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_structure_language_title_and_marking(rendered, name, profile):
    path, document = rendered[(name, profile)]["pdf"], rendered[(name, profile)]["document"]
    with pikepdf.open(path) as pdf_file:
        root = pdf_file.Root
        assert "/StructTreeRoot" in root and root.MarkInfo.Marked
        assert str(root.Lang) == "en-GB"
        assert root.ViewerPreferences.DisplayDocTitle
        info = pdf_file.open_metadata()
        assert info.get("dc:title") == document.title and "Northmoor Council" in str(info.get("dc:creator"))
    kinds, alts = pdf_structure(path)
    headings = [int(k[2:]) for k in kinds if k in ("/H1", "/H2", "/H3")]
    assert headings[0] == 1 and headings.count(1) == 1 and all(b - a <= 1 for a, b in zip(headings, headings[1:]))
    assert all(alts)
    assert set(alts) <= picture_alts(document) | {"Northmoor Council logo"}
    if least_pictures(document, profile):
        assert len(alts) >= least_pictures(document, profile)
    else:
        assert set(alts) <= {"Northmoor Council logo"}
    timetable = document.kind in ("plan", "review")  # the kinds with a weekly timetable
    if timetable and get_profile(profile).uses_tables(document.needs):
        assert "/Table" in kinds and kinds.count("/TH") >= 4  # the timetable, with header cells
    elif timetable:  # large print, or a person who asked for no tables: day by day
        assert "/Table" not in kinds and "/L" in kinds


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_fonts_are_embedded(rendered, name, profile):
    with pikepdf.open(rendered[(name, profile)]["pdf"]) as pdf_file:
        fonts = {}
        for page in pdf_file.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                fonts[str(font.get("/BaseFont"))] = font
        assert fonts and all("AtkinsonHyperlegible" in name_ for name_ in fonts)
        for font in fonts.values():
            descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_symbols_are_vector_graphics(rendered):
    # typst draws each SVG symbol into the page; the only images are photos and the logo
    path = rendered[("jordan-plan", "easy-read")]["pdf"]
    with pikepdf.open(path) as pdf_file:
        images = {x.objgen for page in pdf_file.pages for x in (page.Resources.get("/XObject") or {}).values()
                  if x.get("/Subtype") == "/Image"}
    _, alts = pdf_structure(path)
    assert len(alts) >= 50 and len(images) <= 5


def test_the_pdfua_checker_finds_nothing(rendered):
    # run from this Python (the virtual environment's), whether or not its bin folder is on PATH
    paths = [str(v["pdf"]) for v in rendered.values()]
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", *paths], capture_output=True, text=True,
                            timeout=300)
    assert "No module named pdfua" not in result.stderr, "the pdfua checker is missing: scripts/install.sh installs it"
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert result.stdout.count("result: PASS") == len(paths)


@pytest.mark.parametrize(("name", "profile"), CASES)
@pytest.mark.slow
def test_body_text_size_follows_the_profile_and_the_person(rendered, name, profile):
    path, document = rendered[(name, profile)]["pdf"], rendered[(name, profile)]["document"]
    expected = get_profile(profile).body_size(document.needs)
    minimum = get_profile(profile).presentation.min_body_pt
    with pdfplumber.open(path) as pdf_file:
        sizes = Counter(round(char["size"], 1) for page in pdf_file.pages[:4] for char in page.chars)
    body, _count = sizes.most_common(1)[0]
    assert body == expected
    assert min(sizes) >= minimum  # page numbers and captions too
    assert expected == (document.needs.print_size_pt or (16 if profile == "easy-read" else 18))


def test_a_persons_words_print_as_themselves(plan, tmp_path):
    words = "#set text(red) *star* $x^2$ @ref <label> [bracket] _under_ \\ // not a comment"
    plan["about_me"] = [words]
    done = easyread.render(plan, formats=["pdf"], outdir=tmp_path)
    with pdfplumber.open(done.paths[0]) as pdf_file:
        text = "\n".join(page.extract_text() or "" for page in pdf_file.pages)
    assert words in text.replace("\n", " ")


def test_a_picture_without_alt_text_cannot_reach_the_pdf(plan):
    document = compose(plan)
    name = next(iter(document.symbols))
    document.symbols[name] = SymbolRef(name=name, alt=" ", source="openmoji", code="1F3E0")
    with pytest.raises(OutputError, match=rf"the picture :{name}: beside ['\"].+['\"] has no text alternative"):
        pdf.render(document, laid_out(document, get_profile("easy-read")))


def test_a_missing_font_says_what_to_install(monkeypatch, plan):
    import builtins

    real_import = builtins.__import__

    def no_font(name, *args, **kwargs):
        if name == "fontpkg_atkinson_hyperlegible":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    pdf.font_folder.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_font)
    try:
        with pytest.raises(WriterUnavailable, match="pip install fontpkg-atkinson-hyperlegible"):
            pdf.render(compose(plan), laid_out(compose(plan), get_profile("easy-read")))
    finally:
        pdf.font_folder.cache_clear()


def test_typst_errors_become_our_own_clear_message(monkeypatch, plan, tmp_path):
    broken = tmp_path / "broken.typ"
    broken.write_text("#let x = (\n")
    monkeypatch.setattr(pdf, "layout_file", lambda: str(broken))
    with pytest.raises(OutputError, match="the PDF could not be laid out"):
        pdf.render(compose(plan), laid_out(compose(plan), get_profile("easy-read")))
    with pytest.raises(OutputError) as failed:
        easyread.render(plan, formats=["txt", "pdf"], outdir=tmp_path / "out")
    assert failed.value.format == "pdf" and str(failed.value).startswith("pdf: the PDF could not be laid out")
    assert not list((tmp_path / "out").glob("*"))  # nothing half-written, the txt neither


# --- a person's words in any script; pictures from the render's own folder; direction controls --------

WORLD_WORDS = ["I love football ⚽ 😀", "你好", "مرحبا", "Zoë Ångström"]


def pdf_text(path) -> str:
    """The PDF's text as poppler's pdftotext reads it (logical order for Arabic, unlike pdfplumber)."""
    import shutil

    found = shutil.which("pdftotext")
    assert found, "pdftotext is missing: apt-get install poppler-utils (scripts/install.sh does)"
    return subprocess.run([found, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_persons_words_in_any_script_print_embedded_and_tagged(plan, tmp_path):
    plan["about_me"] = WORLD_WORDS
    done = easyread.render(plan, formats=["pdf", "docx", "html"], outdir=tmp_path)
    pdf_file, docx_file, html_file = done.paths
    text = pdf_text(pdf_file)
    for words in ["⚽", "😀", "你好", "مرحبا", "Zoë Ångström"]:
        assert words in text, words
    with pikepdf.open(pdf_file) as document:
        fonts = {}
        for page in document.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                fonts[font.objgen] = font
        kinds = {str(font.Subtype) for font in fonts.values()}
        assert "/Type3" in kinds  # the colour emoji: glyphs drawn by the PDF itself, so embedded by nature
        names = " ".join(str(font.get("/BaseFont", "")) for font in fonts.values())
        assert "AtkinsonHyperlegible" in names and "NotoSansCJK" in names and "Arabic" in names
        for font in fonts.values():
            assert "/ToUnicode" in font  # text a screen reader and a search can read
            if font.Subtype == "/Type3":
                assert len(font.CharProcs) > 0
            else:
                descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", str(pdf_file)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and "result: PASS" in result.stdout, result.stdout + result.stderr[-2000:]
    import docx as word

    paragraphs = "\n".join(p.text for p in word_paragraphs(word.Document(docx_file)))
    html = html_file.read_text(encoding="utf-8")
    for words in WORLD_WORDS:
        assert words in paragraphs and words in html, words


def test_latin_text_needs_no_fallback_fonts_and_other_scripts_say_what_to_install(monkeypatch, plan, tmp_path):
    monkeypatch.setattr(pdf, "fallback_fonts", lambda: ((), ("fonts-noto-core", "fonts-noto-cjk")))
    pdf.render(compose(plan), laid_out(compose(plan), get_profile("easy-read")))  # Atkinson Hyperlegible is enough for English
    plan["about_me"] = ["你好"]
    with pytest.raises(WriterUnavailable, match="apt-get install fonts-noto-core fonts-noto-cjk"):
        pdf.render(compose(plan), laid_out(compose(plan), get_profile("easy-read")))
    done = easyread.render(plan, formats=["pdf", "txt"], outdir=tmp_path)  # the other formats are still made
    assert [p.suffix for p in done.paths] == [".txt"] and "fonts-noto-cjk" in done.unavailable[0]


def test_characters_no_font_has_print_as_the_replacement_character(plan, tmp_path):
    plan["about_me"] = ["My sign \U0010fffd and \u0378 here."]
    done = easyread.render(plan, formats=["pdf"], outdir=tmp_path)
    assert "My sign \ufffd and \ufffd here." in pdf_text(done.paths[0])


def test_typst_reads_only_this_renders_pictures(monkeypatch, plan, tmp_path):
    import json
    import os

    import typst
    import yaml
    from PIL import Image

    Image.new("RGB", (40, 30), "red").save(tmp_path / "ada.png")
    plan["person"]["photo"] = {"file": "ada.png", "alt": "Ada in her garden"}
    (tmp_path / "ada.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    seen = {}
    real_compile = typst.compile

    def spy(layout, **options):
        root = options["root"]
        assert layout == os.path.join(root, "document.typ")
        model = json.loads(options["sys_inputs"]["document"])
        seen.update(root=root, listing=sorted(os.listdir(root)), model=model)
        return real_compile(layout, **options)

    monkeypatch.setattr(typst, "compile", spy)
    done = easyread.render(tmp_path / "ada.yaml", formats=["pdf"], outdir=tmp_path / "out")
    assert seen["root"] != "/" and not os.path.exists(seen["root"])  # a private folder, gone after the render
    paths = []

    def collect(node):
        if isinstance(node, dict):
            if isinstance(node.get("path"), str):
                paths.append(node["path"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(seen["model"])
    assert paths and all("/" not in path for path in paths)  # names in that folder, never paths on the machine
    assert seen["listing"] == sorted({*paths, "document.typ"})  # the layout and this render's pictures, nothing else
    kinds, alts = pdf_structure(done.paths[0])
    assert "Ada in her garden" in alts and len(alts) >= len(set(paths))
    with pikepdf.open(done.paths[0]) as document:
        images = [x for page in document.pages for x in (page.Resources.get("/XObject") or {}).values()
                  if x.get("/Subtype") == "/Image"]
    assert images  # the photo is in the PDF


def test_a_direction_override_cannot_turn_a_phone_number_round(plan, tmp_path):
    # U+202E (right-to-left override) reverses what follows it: "101 069 23610" in print, and the
    # number read out as words; it is removed from all text but the person's own words
    plan["next_review"]["how_to_ask_earlier"] = "Ring Tom on 01632\u202e 960 101 if things change."
    plan["about_me"] = ["\u202eMy words", "I like tea."]
    done = easyread.render(plan, formats=["pdf", "speech.txt", "html"], outdir=tmp_path)
    pdf_file, speech, html_file = done.paths
    assert "Ring Tom on 01632 960 101 if things change." in pdf_text(pdf_file)
    said = speech.read_text(encoding="utf-8")
    assert "Ring Tom on 0 1 6 3 2, 9 6 0, 1 0 1 if things change." in said and "\u202e" not in said
    html = html_file.read_text(encoding="utf-8")
    assert "01632\u00a0960\u00a0101" in html  # whole: no-break spaces
    assert "\u202eMy words\u202c" in html  # the person's own override is kept, but closed at the end of their words


def test_a_changed_photo_shows_in_the_next_pdf(plan, write, tmp_path):
    # typst sees each render's pictures under the same names (picture-0.png ...): the new photo must show
    from PIL import Image

    plan["person"]["photo"] = {"file": "ada.png", "alt": "Ada in her garden"}
    source = write("ada.yaml", plan)
    colours = []
    for colour in ("red", "blue"):
        Image.new("RGB", (60, 60), colour).save(tmp_path / "ada.png")
        done = easyread.render(source, formats=["pdf"], outdir=tmp_path / colour)
        with pikepdf.open(done.paths[0]) as document:
            images = [pikepdf.PdfImage(x).as_pil_image() for page in document.pages
                      for x in (page.Resources.get("/XObject") or {}).values() if x.get("/Subtype") == "/Image"]
        colours.append({image.convert("RGB").getpixel((30, 30)) for image in images if image.size == (60, 60)})
    assert colours == [{(255, 0, 0)}, {(0, 0, 255)}]


@pytest.mark.parametrize("font, embedded", [("DejaVu Sans", "DejaVuSans"), ("Made Up Sans", "AtkinsonHyperlegible")])
def test_a_house_font_is_embedded_where_it_is_installed_and_said_where_it_is_not(plan, write, font, embedded):
    import io

    import docx

    house = write("house.yaml", {"name": "Westdale Council", "font": font})
    done = easyread.render_bytes(plan, formats=["pdf", "docx", "html"], house_style=house)
    with pikepdf.open(io.BytesIO(done.content("pdf"))) as read:
        names = {str(f.get("/BaseFont", "")) for page in read.pages for f in page.Resources.Font.values()}
    assert any(embedded in name for name in names), names  # the body's font, first in every page
    said = [note for note in done.notes if "house font" in note]
    assert said == ([] if embedded == "DejaVuSans" else
                    [f"pdf: the house font {font} is not installed here (or its licence does not let a document "
                     "embed it), so the PDF is in Atkinson Hyperlegible; give its files in the house style's "
                     "font_files, or install it, to embed it"])
    assert docx.Document(io.BytesIO(done.content("docx"))).styles["Normal"].font.name == font  # Word names it
    assert done.content("html").decode().count(f'"{font}"') >= 1  # and the web page asks for it first
