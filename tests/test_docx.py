"""The Word writer, read back by independent tools: python-docx, and LibreOffice's tagged PDF (pikepdf)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

import easyread
from easyread.document import Table
from easyread.errors import InputError, UsageError
from easyread.inputs.house_style import load_house_style
from easyread.inputs.profile import get_profile
from tests.conftest import (
    CASES,
    HOUSE,
    PROFILES,
    all_blocks,
    least_pictures,
    pdf_structure,
    picture_alts,
    render_examples,
    run_cli,
    word_paragraphs,
    word_pictures,
    word_rows,
)
from tests.pages import page_problems

CONVERT = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
CONVERT_UA = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},' \
             '"PDFUACompliance":{"type":"boolean","value":"true"}}'  # File > Export as PDF > PDF/UA


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("LibreOffice is not installed: apt-get install libreoffice-writer-nogui (scripts/install.sh does)")
    return found


def to_pdf(files: list[Path], outdir: Path) -> None:
    """Convert .docx files to tagged PDF with LibreOffice, as a council's Word would be read."""
    profile = outdir / "lo-profile"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", CONVERT,
                    "--outdir", str(outdir), *map(str, files)], check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, str], dict]:
    """Every example in both profiles (with the example house style), as .docx and as LibreOffice's PDF."""
    out = tmp_path_factory.mktemp("docx")
    made = render_examples(out, "docx")
    for profile in PROFILES:
        to_pdf([v["docx"] for (_, p), v in made.items() if p == profile], out / profile)
    for value in made.values():
        value["pdf"] = value["docx"].with_suffix(".pdf")
    return made


def structure(pdf: Path) -> tuple[list[str], list[str], int]:
    """The structure types in reading order, the Figure alt texts, and the number of TH cells."""
    with pikepdf.open(pdf) as document:
        assert document.Root.MarkInfo.Marked
    kinds, alts = pdf_structure(pdf)
    return kinds, alts, kinds.count("/TH")


# --- read back with python-docx --------------------------------------------------------------------

@pytest.mark.parametrize(("name", "profile"), CASES)
def test_headings_are_real_styles_in_order(rendered, name, profile):
    document = docx.Document(rendered[(name, profile)]["docx"])
    paragraphs = word_paragraphs(document)  # in a box or the band, a heading is in a table's cell
    levels = [int(p.style.name.split()[-1]) for p in paragraphs if p.style.name.startswith("Heading")]
    assert levels[0] == 1 and levels.count(1) == 1 and 2 in levels
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))  # no skipped level
    assert next(p for p in paragraphs if p.text).text == rendered[(name, profile)]["document"].title


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_every_picture_has_alt_text_and_no_title(rendered, name, profile):
    document = docx.Document(rendered[(name, profile)]["docx"])
    shapes = word_pictures(document)
    header_shapes = document.sections[0].header._element.findall(".//" + qn("wp:docPr"))
    for properties in [*shapes, *header_shapes]:
        assert properties.get("descr"), properties.get("name")
        assert properties.get("title") is None
    source = rendered[(name, profile)]["document"]
    if least_pictures(source, profile):
        assert len(shapes) >= least_pictures(source, profile)
        assert {p.get("descr") for p in shapes} <= picture_alts(source)
    else:
        assert shapes == []  # large print, or a person who asked for no pictures
    assert [p.get("descr") for p in header_shapes] == ["Northmoor Council logo"]


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_sizes_fonts_and_spacing_follow_the_profile(rendered, name, profile):
    document = docx.Document(rendered[(name, profile)]["docx"])
    needs = rendered[(name, profile)]["document"].needs
    expected = max(needs.print_size_pt or (16 if profile == "easy-read" else 18), 14 if profile == "easy-read" else 16)
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(expected) and normal.font.name == "Arial"
    # 1.5 lines in points, at least: the same in every font, as in the PDF and the HTML (CSS line-height 1.5)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.AT_LEAST
    assert normal.paragraph_format.line_spacing == Pt(expected * 1.5)
    for name_ in ("Heading 1", "Heading 2", "Heading 3", "Footer", "List Bullet", "Own Words"):
        assert document.styles[name_].font.size >= Pt(expected)
        assert not document.styles[name_].font.italic
    assert document.styles["Heading 2"].font.size > Pt(expected)
    credit = " ".join(rendered[(name, profile)]["document"].attribution)
    cover = rendered[(name, profile)]["document"].cover
    centred = {rendered[(name, profile)]["document"].title, *(line.text for line in cover.lines)} if cover else set()
    for paragraph in word_paragraphs(document):
        # left, never justified: only the cover's title and lines are centred, or its picture
        assert paragraph.alignment in (None, 0) or (paragraph.alignment == 1 and paragraph.text.replace("\u00a0", " ")
                                                    in centred) or (paragraph.alignment in (1, 2) and not paragraph.text)
        for run in paragraph.runs:
            # the picture credit alone is smaller: the smallest the profile allows, so it fits on the last page
            least = get_profile(profile).presentation.min_body_pt if run.text == credit else expected
            assert run.font.size is None or run.font.size >= Pt(least)
            assert not run.italic and not run.underline


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_page_language_properties_and_no_python_docx_boilerplate(rendered, name, profile):
    path = rendered[(name, profile)]["docx"]
    document = docx.Document(path)
    source = rendered[(name, profile)]["document"]
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    properties = document.core_properties
    assert (properties.title, properties.subject, properties.author, properties.language) == (
        source.title, source.subject, "Northmoor Council", "en-GB")
    assert properties.created.year >= 2026 and properties.last_modified_by == "Northmoor Council"
    assert "python-docx" not in (properties.comments + properties.author + properties.keywords)
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        app = package.read("docProps/app.xml").decode()
        styles = package.read("word/styles.xml").decode()
        settings = package.read("word/settings.xml").decode()
    assert "docProps/thumbnail.jpeg" not in names and "Macintosh" not in app and "<Application>easyread<" in app
    assert 'w:val="en-US"' not in styles and styles.count('w:val="en-GB"') >= 5
    assert 'w:autoHyphenation w:val="false"' in settings
    footer = section.footer._element.xml
    if rendered[(name, profile)]["document"].max_pages == 1:  # one page: the pictures' credit (if any) at its foot
        assert "PAGE" not in footer
    else:
        assert "PAGE" in footer and "NUMPAGES" in footer


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_nothing_that_must_stay_whole_is_split_and_the_page_number_stands_clear(rendered, name, profile):
    # as LibreOffice lays the Word file out (large print once ran to 3 mm above "Page 9 of 38"). Lead-ins
    # rely on keep-with-next inside the layout table, which LibreOffice does not always honour, so only
    # the PDF writer's test checks those
    made = rendered[(name, profile)]
    assert page_problems(made["pdf"], made, lead_ins=False) == []


def test_timetable_is_a_real_table_with_a_repeating_header_row(rendered):
    document = docx.Document(rendered[("jordan-plan", "easy-read")]["docx"])
    timetable = next(t for t in document.tables if t.style is not None and t.style.name == "Table Grid")
    header = timetable.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in header.cells] == ["Day", "Picture", "Time", "What happens", "Who helps"]
    assert len(timetable.rows) == 12 and timetable.rows[1].cells[0].text == "Monday"
    # the day once, beside its times: Monday's cell spans its two rows (w:vMerge), kept on one page
    assert timetable.rows[1].cells[0]._tc is timetable.rows[2].cells[0]._tc


def test_easy_read_rows_put_the_picture_before_its_words(rendered):
    document = docx.Document(rendered[("jordan-plan", "easy-read")]["docx"])
    picture, words = next(row for row in word_rows(document) if row[1][0].startswith("Your personal budget is"))
    assert picture.find(qn("wp:docPr")).get("descr").startswith("Money")
    # the same picture's idea again shares its row: one picture, two paragraphs
    assert words == ["Your personal budget is £838.80\u00a0a\u00a0week.", "You pay £27.40\u00a0a\u00a0week towards it."]
    # the picture floats in its column, first in the row (read before its words); the words stand beside it
    first = next(p for p in document.paragraphs if p.text == words[0])
    assert first._p.xpath("./w:r[1]//wp:anchor/wp:wrapNone")
    assert first.paragraph_format.left_indent.cm == pytest.approx(3.6, abs=0.01)  # 3 cm picture, 0.6 cm gap
    room = first._p.getnext().getnext()  # after the second sentence, the room down to the picture's foot
    assert Paragraph(room, None).text == "" and Paragraph(room, None).paragraph_format.line_spacing.cm > 0.5


def test_heading_pictures_sit_beside_the_heading_words(rendered):
    document = docx.Document(rendered[("jordan-plan", "easy-read")]["docx"])
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading") and p._p.findall(".//" + qn("wp:docPr"))]
    assert headings
    for heading in headings:  # its words raised to the picture's middle, not its foot (LibreOffice moves no picture)
        picture, *words = heading.runs
        assert picture._r.find(qn("w:rPr")) is None or picture._r.rPr.find(qn("w:position")) is None
        assert all(int(run._r.rPr.find(qn("w:position")).get(qn("w:val"))) > 10 for run in words)


def test_agreement_reads_sensibly(rendered):
    document = docx.Document(rendered[("jordan-plan", "easy-read")]["docx"])
    text = "\n".join(p.text for p in word_paragraphs(document))
    # jordan-plan records Jordan's answer: it says so, with his words, and asks nothing
    assert "You said you agree with this plan on Wednesday\u00a018\u00a0November\u00a02026." in text
    assert "Your words: \u201cYeah it's good." in text
    assert "\u2610" not in text and "Your name:" not in text


def test_house_style_contact_block_and_attribution_are_in_the_document(rendered):
    document = docx.Document(rendered[("jordan-plan", "easy-read")]["docx"])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Contact Northmoor Council" in text and "Civic Centre, Market Street, Northmoor NM1\u00a01AA" in text
    assert "OpenMoji" in text
    assert "Northmoor Council" in document.sections[0].header.paragraphs[0].text


# --- read back through LibreOffice's tagged PDF ---------------------------------------------------

@pytest.mark.parametrize(("name", "profile"), CASES)
def test_libreoffice_opens_it_and_tags_headings_figures_and_table_headers(rendered, name, profile):
    pdf = rendered[(name, profile)]["pdf"]
    with pikepdf.open(pdf) as document:
        assert len(document.pages) >= 2 or rendered[(name, profile)]["document"].max_pages == 1
    kinds, alts, headers = structure(pdf)
    assert kinds.count("/H1") == 1 and "/H2" in kinds and kinds.index("/H1") < kinds.index("/H2")
    source = rendered[(name, profile)]["document"]
    assert all(alts) and set(alts) <= picture_alts(source) | {"Northmoor Council logo"}
    assert len(alts) >= least_pictures(source, profile)
    timetable = any(isinstance(block, Table) for block in all_blocks(source.blocks))
    if timetable and get_profile(profile).uses_tables(source.needs):
        assert "/Table" in kinds and headers >= 4  # the timetable's header cells are TH
    # every table has header cells: no table only lays words out (the rows are paragraphs; a box's heading,
    # and "In an emergency", head theirs)
    assert kinds.count("/Table") <= headers


@pytest.mark.parametrize("profile", PROFILES)
def test_libreoffices_pdf_ua_export_passes_the_pdfua_checker(rendered, profile, tmp_path):
    # a council exports the Word file to PDF: LibreOffice's PDF/UA export of it passes the checks our own PDF does
    files = [made["docx"] for (_name, made_profile), made in rendered.items() if made_profile == profile]
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", CONVERT_UA, "--outdir", str(tmp_path), *map(str, files)],
                   check=True, capture_output=True, timeout=300)
    paths = sorted(str(path) for path in tmp_path.glob("*.pdf"))
    assert len(paths) == len(files)
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", *paths], capture_output=True, text=True,
                            timeout=300)
    assert "No module named pdfua" not in result.stderr, "the pdfua checker is missing: scripts/install.sh installs it"
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert result.stdout.count("result: PASS") == len(paths), result.stdout


# --- bad input -------------------------------------------------------------------------------------

def test_poor_contrast_house_style_is_refused(write, plan, tmp_path):
    style = write("style.yaml", "name: Pale Council\ncolours:\n  text: '#AAAAAA'\n")
    with pytest.raises(InputError, match=r"#AAAAAA on a white page has contrast 2\.32 to 1") as excinfo:
        load_house_style(style)
    assert excinfo.value.problems[0].field == "colours.text" and excinfo.value.problems[0].line == 3
    result = run_cli("render", write("ada.yaml", plan), "--to", "docx", "--house-style", style, "-o", tmp_path / "out")
    assert result.returncode == 2 and "contrast 2.32 to 1" in result.stderr and not (tmp_path / "out").exists()


def test_house_style_font_size_under_the_minimum_is_refused(write, plan, tmp_path):
    style = write("style.yaml", "name: Small Council\nbody_pt: 12\n")
    with pytest.raises(UsageError, match="body_pt 12 is under the easy-read minimum of 14pt"):
        easyread.render(plan, formats=["docx"], outdir=tmp_path / "out", house_style=style)
    assert not (tmp_path / "out").exists()


def test_unreadable_logo_is_refused(write, tmp_path):
    (tmp_path / "logo.png").write_bytes(b"not a png")
    with pytest.raises(InputError, match="damaged or not a picture"):
        load_house_style(write("style.yaml", "name: X\nlogo: {file: logo.png, alt: X logo}\n"))


def test_very_long_words_and_urls_still_make_a_document_libreoffice_opens(plan, tmp_path):
    plan["advice"] = [{"topic": "Website", "detail": "Look at https://www.example.org/" + "very-long-path/" * 20}]
    plan["about_me"] = ["Supercalifragilistic" * 15]
    done = easyread.render(plan, formats=["docx"], profile="large-print", outdir=tmp_path)
    to_pdf(done.paths, tmp_path)
    with pikepdf.open(done.paths[0].with_suffix(".pdf")) as document:
        assert len(document.pages) >= 2
    text = "\n".join(p.text for p in docx.Document(done.paths[0]).paragraphs)
    assert "very-long-path/" * 20 in text


# --- other scripts, direction controls, the letterhead ----------------------------------------------

def test_libreoffice_shows_a_persons_words_in_other_scripts(plan, tmp_path):
    # Word names fonts rather than embedding them: Word and LibreOffice find a font for each character
    # themselves (checked here with LibreOffice, the way tests/test_docx.py reads every document)
    plan["about_me"] = ["I love football ⚽ 😀", "你好", "مرحبا", "Zoë Ångström"]
    done = easyread.render(plan, formats=["docx"], outdir=tmp_path)
    to_pdf(done.paths, tmp_path)
    pdf = done.paths[0].with_suffix(".pdf")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("你好", "مرحبا", "Zoë Ångström"):
        assert words in text, words
    with pikepdf.open(pdf) as document:
        fonts = {str(font.get("/BaseFont")) for page in document.pages
                 for font in (page.Resources.get("/Font") or {}).values()}
    assert any("CJK" in name for name in fonts), fonts  # a font with Chinese letters, not boxes


def test_a_direction_override_cannot_turn_a_phone_number_round_in_word(plan, tmp_path):
    plan["next_review"]["how_to_ask_earlier"] = "Ring Tom on 01632\u202e 960 101 if things change."
    plan["about_me"] = ["\u202eMy words", "I like tea."]
    done = easyread.render(plan, formats=["docx"], outdir=tmp_path)
    with zipfile.ZipFile(done.paths[0]) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "Ring Tom on 01632\u00a0960\u00a0101 if things change." in xml  # whole: no-break spaces
    assert "\u202eMy words\u202c" in xml and xml.count("\u202e") == 1  # the person's own, closed within their words


def test_the_letterhead_has_room_above_the_text(rendered):
    # a letterhead taller than the top margin pushed the text down in LibreOffice and lost the
    # timetable's header row (no TH) where the table met a page break
    section = docx.Document(rendered[("jordan-plan", "easy-read")]["docx"]).sections[0]
    logo_cm = 1.4
    assert section.top_margin.cm >= section.header_distance.cm + logo_cm + 0.5


def test_each_picture_shows_its_own_symbol(rendered):
    # drawings are copied from one built for each size: each must still point at its own picture
    from easyread.symbols.raster import picture

    made = rendered[("jordan-plan", "easy-read")]
    document = docx.Document(made["docx"])
    rasters: dict[str, set[bytes]] = {}
    for ref in made["document"].symbols.values():
        raster = picture(ref)
        rasters.setdefault(ref.alt, set()).add(raster if isinstance(raster, bytes) else raster.read_bytes())
    shown = [(docpr.get("descr"), document.part.related_parts[docpr.getparent().find(".//" + qn("a:blip")).get(
        qn("r:embed"))].blob) for docpr in word_pictures(document)]
    assert len(shown) > 100 and all(blob in rasters[alt] for alt, blob in shown)


# --- the python-docx adapter (easyread/writers/wordml.py), checked against python-docx directly ----------
# Each test names the adapter function it checks, so a python-docx release that changes an internal the
# function relies on fails here, by name, rather than somewhere in a whole document.

def _png(width: int, height: int) -> bytes:
    """A small PNG of the given size in pixels."""
    import io

    from PIL import Image as PillowImage

    out = io.BytesIO()
    PillowImage.new("RGB", (width, height), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def _children(element) -> list[str]:
    """The tags of an element's children, in order."""
    return [child.tag for child in element]


def test_wordml_write_package_dates_every_member_stores_pictures_and_python_docx_opens_it():
    import datetime as dt
    import io

    from easyread.writers import wordml

    document = docx.Document()
    picture = _png(20, 10)
    wordml.InlinePictures(document).add(document.add_paragraph().add_run(), picture, "A red box", docx.shared.Cm(2))
    stamp = dt.datetime(2026, 9, 1, 10, 20, 30, tzinfo=dt.timezone.utc)  # zip times count in two-second steps
    made = wordml.write_package(document, stamp)
    assert made == wordml.write_package(document, stamp)  # the same document, the same bytes
    with zipfile.ZipFile(io.BytesIO(made)) as package:
        members = {info.filename: info for info in package.infolist()}
        assert package.read("word/media/image1.png") == picture
    assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
            "word/styles.xml", "docProps/core.xml", "docProps/app.xml", "word/media/image1.png"} <= set(members)
    assert list(members)[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert {info.date_time for info in members.values()} == {(2026, 9, 1, 10, 20, 30)}
    for name, info in members.items():
        expected = zipfile.ZIP_STORED if name.endswith((".png", ".jpeg")) else zipfile.ZIP_DEFLATED
        assert info.compress_type == expected, name
    reopened = docx.Document(io.BytesIO(made))
    assert len(reopened.inline_shapes) == 1 and reopened.inline_shapes[0]._inline.docPr.get("descr") == "A red box"


def test_wordml_set_extended_properties_and_remove_thumbnail():
    import datetime as dt
    import io
    from xml.etree import ElementTree

    from easyread.writers import wordml

    document = docx.Document()
    assert any(rel.reltype.endswith("/thumbnail") for rel in document.part.package.rels.values())  # the template's
    wordml.remove_thumbnail(document)
    wordml.set_extended_properties(document, "Your plan & you", "Northmoor <Council>")
    assert not any(rel.reltype.endswith("/thumbnail") for rel in document.part.package.rels.values())
    with zipfile.ZipFile(io.BytesIO(wordml.write_package(document, dt.datetime(2026, 1, 1)))) as package:
        assert "docProps/thumbnail.jpeg" not in package.namelist()
        app = ElementTree.fromstring(package.read("docProps/app.xml"))
    ns = {"p": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
          "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"}
    assert app.findtext("p:Application", namespaces=ns) == "easyread"
    assert app.findtext("p:Company", namespaces=ns) == "Northmoor <Council>"
    assert [e.text for e in app.iterfind("p:TitlesOfParts/vt:vector/vt:lpstr", ns)] == ["Your plan & you"]


def test_wordml_set_page_colour_and_turn_off_hyphenation():
    from easyread.writers import wordml

    document = docx.Document()
    wordml.set_page_colour(document, "#1a2b3c")
    wordml.turn_off_hyphenation(document)
    background = document.element[0]
    assert background.tag == qn("w:background") and background.get(qn("w:color")) == "1A2B3C"
    settings = document.settings.element
    assert settings[0].tag == qn("w:displayBackgroundShape")
    assert settings[-1].tag == qn("w:autoHyphenation") and settings[-1].get(qn("w:val")) == "false"


def test_wordml_languages_on_the_defaults_and_a_style():
    from easyread.writers import wordml

    document = docx.Document()
    wordml.set_default_language(document, "en-GB")
    wordml.set_style_language(document.styles["Heading 1"], "en-GB")
    wordml.set_style_language(document.styles["Heading 1"], "cy-GB")  # set again: one w:lang, changed
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for rpr, language in ((defaults, "en-GB"), (document.styles["Heading 1"].element.rPr, "cy-GB")):
        languages = rpr.findall(qn("w:lang"))
        assert len(languages) == 1
        assert [languages[0].get(qn(a)) for a in ("w:val", "w:eastAsia", "w:bidi")] == [language] * 3


def test_wordml_set_style_font_replaces_the_theme_fonts():
    from easyread.writers import wordml

    document = docx.Document()
    style = document.styles["Heading 1"]
    assert style.element.rPr.rFonts.get(qn("w:asciiTheme"))  # the template's theme font, which wins over a name
    wordml.set_style_font(style, "Atkinson Hyperlegible")
    fonts = style.element.rPr.rFonts
    assert {key: fonts.get(qn(key)) for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == dict.fromkeys(
        ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"), "Atkinson Hyperlegible")
    assert not [key for key in fonts.attrib if "heme" in key]
    assert style.font.name == "Atkinson Hyperlegible"


def test_wordml_set_table_border_colour():
    from easyread.writers import wordml

    document = docx.Document()
    wordml.set_table_border_colour(document.styles["Table Grid"], "#0b0c0d")
    edges = [edge for borders in document.styles["Table Grid"].element.iter(qn("w:tblBorders")) for edge in borders]
    assert len(edges) == 6 and {edge.get(qn("w:color")) for edge in edges} == {"0B0C0D"}


def test_wordml_set_paragraph_style_and_set_table_style():
    from easyread.writers import wordml

    document = docx.Document()
    paragraph = document.add_paragraph("Words")
    wordml.set_paragraph_style(paragraph, "Heading2")
    assert paragraph._p.pPr.pStyle.get(qn("w:val")) == "Heading2" and paragraph.style.name == "Heading 2"
    table = document.add_table(rows=1, cols=1)
    wordml.set_table_style(table, "TableGrid")
    assert table._tbl.tblPr.find(qn("w:tblStyle")).get(qn("w:val")) == "TableGrid"
    assert table.style.name == "Table Grid"


def test_wordml_add_field():
    from easyread.writers import wordml

    paragraph = docx.Document().add_paragraph("Page ")
    wordml.add_field(paragraph, "PAGE")
    runs = paragraph._p.findall(qn("w:r"))[1:]
    assert [_children(run) for run in runs] == [[qn("w:fldChar")], [qn("w:instrText")], [qn("w:fldChar")],
                                                [qn("w:t")], [qn("w:fldChar")]]
    assert [runs[i][0].get(qn("w:fldCharType")) for i in (0, 2, 4)] == ["begin", "separate", "end"]
    assert runs[1][0].text == " PAGE " and runs[1][0].get(qn("xml:space")) == "preserve"
    assert paragraph.text == "Page 1"  # the placeholder, until Word works the page number out


def test_wordml_lower_run():
    from easyread.writers import wordml

    run = docx.Document().add_paragraph().add_run("x")
    wordml.lower_run(run, 7.3)
    position = run._r.rPr.find(qn("w:position"))
    assert position.get(qn("w:val")) == "-15"  # half-points, rounded


def test_wordml_ends_with_table():
    from easyread.writers import wordml

    document = docx.Document()
    assert not wordml.ends_with_table(document)  # the body holds only its section properties
    document.add_table(rows=1, cols=1)
    assert wordml.ends_with_table(document)
    document.add_paragraph()
    assert not wordml.ends_with_table(document)


def test_wordml_table_caption_margins_and_row_properties():
    from docx.shared import Length

    from easyread.writers import wordml

    table = docx.Document().add_table(rows=2, cols=2)
    wordml.describe_table(table, "Your week")
    wordml.cell_margins(table, Length(0), ("left", "right"))
    wordml.repeat_as_header(table.rows[0])
    wordml.keep_row_on_one_page(table.rows[0])
    wordml.keep_row_on_one_page(table.rows[1])
    properties = table._tbl.tblPr
    assert properties.find(qn("w:tblCaption")).get(qn("w:val")) == "Your week"
    margins = properties.find(qn("w:tblCellMar"))
    assert _children(margins) == [qn("w:left"), qn("w:right")]
    assert all((m.get(qn("w:w")), m.get(qn("w:type"))) == ("0", "dxa") for m in margins)
    header, row = (r._tr.trPr for r in table.rows)
    assert _children(header) == [qn("w:tblHeader"), qn("w:cantSplit")] and header[0].get(qn("w:val")) == "true"
    assert _children(row) == [qn("w:cantSplit")]


def test_wordml_append_paragraphs():
    from docx.shared import Cm

    from easyread.writers import wordml

    document = docx.Document()
    document.add_paragraph("before")
    made = wordml.append_paragraphs(document, [
        wordml.RowParagraph(runs=[("", False), ("Tea & ", True), ("toast\tat 8\nthen a walk", False)],
                            style_id="ListBullet", keep_with_next=True, keep_together=True, after=Pt(6),
                            indent=Cm(3), hanging=Cm(0.5)),
        wordml.RowParagraph(before=Pt(0), exactly=Cm(2))])
    assert [p.text for p in document.paragraphs] == ["before", "Tea & toast\tat 8\nthen a walk", ""]
    assert document.element.body[-1].tag == qn("w:sectPr")  # before the section's properties, which end the body
    words, room = (p._p for p in made)
    assert _children(words.pPr) == [qn("w:pStyle"), qn("w:keepNext"), qn("w:keepLines"), qn("w:spacing"), qn("w:ind")]
    assert words.pPr[3].get(qn("w:after")) == str(Pt(6).twips) and words.pPr[3].get(qn("w:before")) is None
    assert (words.pPr[4].get(qn("w:left")), words.pPr[4].get(qn("w:hanging"))) == (str(Cm(3).twips), str(Cm(0.5).twips))
    picture, bold, plain = words.r_lst
    assert _children(picture) == [] and made[0].runs[0]._r is picture  # the run a picture goes in
    assert _children(bold) == [qn("w:rPr"), qn("w:t")] and bold.rPr.b is not None and bold[1].text == "Tea & "
    assert _children(plain) == [qn("w:t"), qn("w:tab"), qn("w:t"), qn("w:br"), qn("w:t")]
    spacing = room.pPr[0]
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == (str(Cm(2).twips), "exact")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    wordml.append_paragraphs(cell, [wordml.RowParagraph(runs=[("in a cell", False)])])
    assert [p.text for p in cell.paragraphs] == ["", "in a cell"]


def test_wordml_floating_pictures_paragraph_frames_and_the_body():
    from docx.shared import Cm

    from easyread.writers import wordml

    document = docx.Document()
    pictures = wordml.InlinePictures(document)
    beside, band = document.add_paragraph(), document.add_paragraph()
    pictures.add(beside.add_run(), _png(20, 20), "Beside", Cm(3), floating=wordml.Float(gap=Cm(0.6), wraps=False))
    pictures.add(band.add_run(), _png(20, 20), "Band", Cm(2), floating=wordml.Float(gap=Cm(0.4), right=True))
    left, right = (paragraph._p.find(".//" + qn("wp:anchor")) for paragraph in (beside, band))
    assert _children(left) == [qn(tag) for tag in ("wp:simplePos", "wp:positionH", "wp:positionV", "wp:extent",
                                                    "wp:effectExtent", "wp:wrapNone", "wp:docPr",
                                                    "wp:cNvGraphicFramePr", "a:graphic")]  # the schema's order
    assert [a.find(qn("wp:positionH"))[0].text for a in (left, right)] == ["left", "right"]
    assert right.find(qn("wp:wrapSquare")).get("wrapText") == "left" and right.get("distL") == str(Cm(0.4))
    assert left.find(qn("wp:extent")).get("cx") == str(Cm(3)) and left.find(qn("wp:docPr")).get("descr") == "Beside"
    assert len(document.inline_shapes) == 0  # floating, not in the line
    wordml.clearing_break(band)
    assert band._p.r_lst[-1][0].get(qn("w:clear")) == "all"
    framed = document.add_paragraph("In a box", style="Heading 2")
    framed.paragraph_format.space_after = Pt(2)
    wordml.paragraph_frame(framed, "#102030", 2, Pt(7))
    framed.paragraph_format.keep_with_next = True  # python-docx puts what comes later in its place
    assert _children(framed._p.pPr) == [qn("w:pStyle"), qn("w:keepNext"), qn("w:pBdr"), qn("w:spacing")]
    assert [(side.tag, side.get(qn("w:sz")), side.get(qn("w:space")), side.get(qn("w:color")))
            for side in framed._p.pPr.find(qn("w:pBdr"))] == [
        (qn(f"w:{side}"), "16", "7", "102030") for side in ("top", "left", "bottom", "right")]
    start = wordml.body_end(document)
    document.add_paragraph("after")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "in a table"
    document.add_paragraph("last")
    assert [paragraph.text for paragraph in wordml.body_paragraphs(document, start)] == ["after", "last"]


def test_wordml_inline_pictures_add():
    from docx.shared import Cm

    from easyread.writers import wordml

    document = docx.Document()
    pictures = wordml.InlinePictures(document)
    wide, tall = _png(40, 20), _png(10, 30)
    runs = [document.add_paragraph().add_run() for _ in range(4)]
    pictures.add(runs[0], wide, "Wide", Cm(4))
    pictures.add(runs[1], wide, "Wide again", Cm(2))
    pictures.add(runs[2], tall, "Tall", Cm(3))
    pictures.add(runs[3], wide, "Wide by height", Cm(1), by_height=True)
    shapes = document.inline_shapes
    assert [(s.width, s.height) for s in shapes] == [(Cm(4), Cm(2)), (Cm(2), Cm(1)), (Cm(1), Cm(3)), (Cm(2), Cm(1))]
    properties = [s._inline.docPr for s in shapes]
    assert [p.get("descr") for p in properties] == ["Wide", "Wide again", "Tall", "Wide by height"]
    assert all(p.get("title") is None for p in properties)  # LibreOffice would join a title to the alt text
    ids = [int(p.get("id")) for p in properties]
    assert len(set(ids)) == 4 and [p.get("name") for p in properties] == [f"Picture {i}" for i in ids]
    blobs = [document.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.get(qn("r:embed"))].blob
             for s in shapes]
    assert blobs == [wide, wide, tall, wide]
    assert len(document.part.package.image_parts) == 2  # one part a picture file, however often it is shown
    for run in runs:
        assert _children(run._r) == [qn("w:drawing")] and run._r[0][0].tag == qn("wp:inline")


def test_wordml_is_the_only_writer_module_that_touches_python_docx_internals():
    # the Word writer decides the layout through python-docx's public API; wordml.py does the rest
    import ast

    source = (Path(easyread.__file__).parent / "writers" / "docx.py").read_text(encoding="utf-8")
    reached = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("docx"):
            reached += [f"{node.module}.{alias.name}" for alias in node.names if alias.name.startswith("_")]
            if node.module.startswith(("docx.oxml", "docx.opc", "docx.parts")):
                reached.append(node.module)
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if not (isinstance(node.value, ast.Name) and node.value.id == "self"):  # self._heading is ours, run._r not
                reached.append(f"{ast.unparse(node)} (line {node.lineno})")
    assert reached == []


def test_a_dark_page_reads_light_on_screen_and_prints_dark_on_paper(plan, tmp_path):
    plan["person"]["information_needs"]["background_colour"] = "#000000"
    easyread.render(plan, formats=["docx"], profile="large-print", outdir=tmp_path, stem="ada",
                    house_style=HOUSE)  # its text and heading colours are dark: unreadable on black
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"),
                    str(tmp_path / "ada.docx")], check=True, capture_output=True, timeout=300)
    with pdfplumber.open(tmp_path / "lo" / "ada.pdf") as read:  # LibreOffice shows the page colour
        colours = {tuple(round(v, 2) for v in char["non_stroking_color"]) for page in read.pages for char in page.chars}
    assert colours == {(1.0, 1.0, 1.0)}, colours  # Word's automatic colour, drawn white on the black page


# --- the page design's limits, as Word (through LibreOffice) lays them out ---------------------------

@pytest.mark.parametrize("profile", PROFILES)
def test_word_keeps_the_one_page_profile_on_one_page_and_the_passport_within_four(rendered, profile):
    with pikepdf.open(rendered[("ellie-one-page-profile", profile)]["pdf"]) as one_page:
        assert len(one_page.pages) == 1
    with pikepdf.open(rendered[("ellie-hospital-passport", profile)]["pdf"]) as passport:
        # the passport in its reader's easy read within 4 pages; in large print, at 18 pt, 5
        assert len(passport.pages) <= (4 if profile == "easy-read" else 5)
