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
from easyread.profile import get_profile
from easyread.writers import pdf
from tests.conftest import CASES, pdf_structure, render_examples



@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, str], dict]:
    """Every example in both profiles, with the example house style."""
    return render_examples(tmp_path_factory.mktemp("pdf"), "pdf")


def pictures_expected(document, profile: str) -> bool:
    return profile == "easy-read" and document.needs.pictures != "none"


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
    symbol_alts = {ref.alt for ref in document.symbols.values()} | {"Northmoor Council logo"}
    assert set(alts) <= symbol_alts
    if pictures_expected(document, profile):
        assert len(alts) >= 20
    else:
        assert set(alts) <= {"Northmoor Council logo"}
    if document.kind != "letter":
        assert "/Table" in kinds and kinds.count("/TH") >= 4  # the timetable, with header cells


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
    with pytest.raises(OutputError, match=rf"the picture :{name}: beside '.+' has no text alternative"):
        pdf.render(document, get_profile("easy-read"))


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
            pdf.render(compose(plan), get_profile("easy-read"))
    finally:
        pdf.font_folder.cache_clear()


def test_typst_errors_become_our_own_clear_message(monkeypatch, plan, tmp_path):
    broken = tmp_path / "broken.typ"
    broken.write_text("#let x = (\n")
    monkeypatch.setattr(pdf, "layout_file", lambda: str(broken))
    with pytest.raises(OutputError, match="the PDF could not be laid out"):
        pdf.render(compose(plan), get_profile("easy-read"))
    with pytest.raises(OutputError):
        easyread.render(plan, formats=["txt", "pdf"], outdir=tmp_path / "out")
    assert not list((tmp_path / "out").glob("*"))  # nothing half-written, the txt neither
