"""The Word writer, read back by independent tools: python-docx, and LibreOffice's tagged PDF (pikepdf)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

import easyread
from easyread.document import Table
from easyread.errors import InputError, UsageError
from easyread.inputs.house_style import load_house_style
from easyread.inputs.profile import get_profile
from tests.conftest import (
    CASES,
    PROFILES,
    all_blocks,
    least_pictures,
    pdf_structure,
    picture_alts,
    render_examples,
    run_cli,
)
from tests.pages import page_problems

CONVERT = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


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
    levels = [int(p.style.name.split()[-1]) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert levels[0] == 1 and levels.count(1) == 1 and 2 in levels
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))  # no skipped level
    assert document.paragraphs[0].text == rendered[(name, profile)]["document"].title


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_every_picture_has_alt_text_and_no_title(rendered, name, profile):
    document = docx.Document(rendered[(name, profile)]["docx"])
    shapes = [shape._inline.docPr for shape in document.inline_shapes]
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
    for name_ in ("Heading 1", "Heading 2", "Heading 3", "Footer", "List Bullet", "Quote"):
        assert document.styles[name_].font.size >= Pt(expected)
        assert not document.styles[name_].font.italic
    assert document.styles["Heading 2"].font.size > Pt(expected)
    credit = " ".join(rendered[(name, profile)]["document"].attribution)
    for paragraph in document.paragraphs:
        assert paragraph.alignment in (None, 0)  # left, never justified
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
    assert [c.text for c in header.cells] == ["Picture", "Day", "Time", "What happens", "Who helps"]
    assert len(timetable.rows) == 12 and timetable.rows[1].cells[1].text == "Monday"


def test_easy_read_rows_put_the_picture_before_its_words(rendered):
    document = docx.Document(rendered[("jordan-plan", "easy-read")]["docx"])
    first = document.tables[0].rows[0].cells
    assert first[0]._tc.findall(".//" + qn("wp:docPr"))[0].get("descr") == "A plan"
    # "It says what help you get." goes on from the first sentence: one idea, one row, two paragraphs
    assert [p.text for p in first[1].paragraphs] == ["This is your care and support plan.", "It says what help you get."]


def test_heading_pictures_sit_beside_the_heading_words(rendered):
    document = docx.Document(rendered[("jordan-plan", "easy-read")]["docx"])
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading") and p._p.findall(".//" + qn("wp:docPr"))]
    assert headings
    for heading in headings:  # lowered, so the words are beside the picture's middle, not its foot
        positions = heading._p.findall(".//" + qn("w:position"))
        assert positions and int(positions[0].get(qn("w:val"))) < -20


def test_agreement_reads_sensibly(rendered):
    document = docx.Document(rendered[("jordan-plan", "easy-read")]["docx"])
    text = "\n".join(p.text for p in document.paragraphs)
    for choice in ("I agree.", "I do not agree.", "I am not sure."):
        assert f"\u2610 {choice}" in text
    assert "Your words: \u201cYeah it's good." in text
    labels = [t.rows[0].cells[0].text for t in document.tables if len(t.rows[0].cells) == 2]
    assert "Your name" in labels
    boxes = [p for p in document.paragraphs if p.text.startswith("\u2610")]
    assert len(boxes) == 3 and all(p.style.name != "List Bullet" for p in boxes)  # the box is the marker, no bullet
    sign = next(t for t in document.tables if t.rows[0].cells[0].text == "Your name")
    assert [round(column.width.cm, 1) for column in sign.columns] == [5.0, 11.0]  # the line starts beside its label


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
        assert len(document.pages) >= 2
    kinds, alts, headers = structure(pdf)
    assert kinds.count("/H1") == 1 and "/H2" in kinds and kinds.index("/H1") < kinds.index("/H2")
    source = rendered[(name, profile)]["document"]
    assert all(alts) and set(alts) <= picture_alts(source) | {"Northmoor Council logo"}
    assert len(alts) >= least_pictures(source, profile)
    timetable = any(isinstance(block, Table) for block in all_blocks(source.blocks))
    if timetable and get_profile(profile).uses_tables(source.needs):
        assert "/Table" in kinds and headers >= 4  # the timetable's header cells are TH
    else:  # large print, or a person who asked for no tables: day by day, no header cells
        assert headers == 0


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
    shown = [(shape._inline.docPr.get("descr"), document.part.related_parts[
        shape._inline.graphic.graphicData.pic.blipFill.blip.get(qn("r:embed"))].blob) for shape in document.inline_shapes]
    assert len(shown) > 100 and all(blob in rasters[alt] for alt, blob in shown)
