"""The page design a reader sees, read back from the rendered files: one idea a row with its own picture, the
picture's size, the agreement, the one-page profile, the passport, the week and the contacts."""

from __future__ import annotations

import re
import unicodedata

import docx
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

import easyread
from easyread.document import ContactCard, Quote, Statement, pictured_blocks
from easyread.presentation.layout import picture_identity
from easyread.writers import docx as docx_writer
from easyread.writers import html
from tests.conftest import EXAMPLES, HOUSE, all_blocks, laid_out, pdf_figures, word_paragraphs, word_rows

PICTURED_EXAMPLES = ["jordan-plan", "tom-plan", "jordan-review-letter", "aisha-safeguarding-letter",
                     "grace-assessment-letter", "dylan-change-letter", "peter-financial-letter"]
EMU_PER_CM = 360000
CM_PER_POINT = 2.54 / 72
PICTURE_CM = 3.0  # professional easy read: about 3 cm beside each idea


def said(text: str) -> str:
    """Text as a sentence is compared: the no-break spaces and hyphens that keep numbers whole read as plain ones."""
    text = unicodedata.normalize("NFKC", text).replace("\u2011", "-").replace("\u2060", "")
    return " ".join(text.split()).strip("“”\"")


def chosen(document) -> list[tuple[str, str | None]]:
    """What the picture chooser saw in each sentence, in reading order: its text and the picture chosen for it
    (as a reader sees it: `money` and `budget` are one pound note), or None."""
    return [(said(block.text), picture_identity(document.symbols[block.symbol]) if block.symbol in document.symbols else None)
            for block in pictured_blocks(document) if isinstance(block, (Statement, Quote))]


def mixed_rows(rows: list[list[str]], seen: list[tuple[str, str | None]]) -> list[list[str]]:
    """The rows whose sentences carry different pictured ideas beside one picture; each sentence is matched with
    the next one of its words in the Document, so the same words in two places are told apart."""
    mixed, at = [], 0
    for row in rows:
        pictures = set()
        for text in row:
            found = next((index for index in range(at, len(seen)) if seen[index][0] == said(text)), None)
            assert found is not None, f"{text!r} is not a sentence of the Document, after the one before"
            at = found + 1
            pictures.add(seen[found][1])
        if len(pictures - {None}) > 1:
            mixed.append(row)
    return mixed


@pytest.mark.parametrize("example", PICTURED_EXAMPLES)
def test_no_row_shows_one_picture_for_two_pictured_ideas(example):
    document = easyread.compose(EXAMPLES / f"{example}.yaml", profile="easy-read")
    seen = chosen(document)
    layout = laid_out(document)
    word = docx.Document(__import__("io").BytesIO(docx_writer.render(document, layout)))
    cards = {block.get("name") for block in all_blocks(document.blocks) if block.type == "contact"}
    rows = [words for _picture, words in word_rows(word) if words[0].split("\n")[0] not in cards]
    assert sum(len(row) for row in rows) > 10
    assert mixed_rows(rows, seen) == []
    page = lxml_html.fromstring(html.page(document, layout))
    web_rows = [[p.text_content() for p in row.xpath(".//div[@class='words']/p[not(@class)]")]
                for row in page.xpath("//*[contains(@class, 'row')]")]
    assert sum(len(row) for row in web_rows) > 10
    assert mixed_rows(web_rows, seen) == []


def test_each_sentence_of_a_list_item_gets_its_own_picture_beside_pictures(plan, write):
    items = "['You go on the bus. It is the number 36. Your doctor rings you.', 'You see your mum.', 'You cook tea.', " \
            "'You get money.', 'You rest.']"
    template = write("t.md.j2", f"# T\n:bus: You get help:\n{{% for x in {items} %}}\n- {{{{ x }}}}\n{{% endfor %}}\n")
    easy = easyread.compose(plan, template=template, profile="easy-read")
    items = [item for block in easy.blocks if block.type == "list" for item in block.items]
    assert [item.text for item in items[:3]] == ["You go on the bus.", "It is the number 36.", "Your doctor rings you."]
    assert items[0].symbol == "bus" and items[2].symbol == "doctor"
    page = html.page(easy, laid_out(easy))
    assert re.search(r"<p>You go on the bus\.</p><p>It is the number 36\.</p></div>", page)  # it goes on: one row
    large = easyread.compose(plan, template=template, profile="large-print")
    items = [item for block in large.blocks if block.type == "list" for item in block.items]
    assert items[0].text == "You go on the bus. It is the number 36. Your doctor rings you."  # one bullet


def test_easy_read_pictures_are_3_cm_in_pdf_word_and_html(tmp_path):
    easyread.render(EXAMPLES / "jordan-review-letter.yaml", formats=["pdf", "docx", "html"], profile="easy-read",
                    outdir=tmp_path, house_style=HOUSE)
    word = docx.Document(tmp_path / "jordan-review-letter.docx")
    beside_words = [int(picture.find(qn("wp:extent")).get("cx")) / EMU_PER_CM for picture, _words in word_rows(word)]
    assert len(beside_words) > 10 and {round(cm, 2) for cm in beside_words} == {PICTURE_CM}
    widths = [round(width, 2) for _alt, width, _height, _page in pdf_figures(tmp_path / "jordan-review-letter.pdf")]
    assert widths.count(PICTURE_CM) > 10  # beside the words; headings and the letterhead have smaller ones
    assert max(widths) == PICTURE_CM
    page = (tmp_path / "jordan-review-letter.html").read_text(encoding="utf-8")
    rem = float(re.search(r"\.row \.symbol \{ width: ([\d.]+)rem", page).group(1))
    assert rem * 16 * CM_PER_POINT == pytest.approx(PICTURE_CM, abs=0.02)  # 1rem is the body size, 16 pt


# --- the agreement says one thing ----------------------------------------------------------------

ALL_EXAMPLES = sorted(path.stem for path in EXAMPLES.glob("*.yaml") if "too-dense" not in path.stem)


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_no_agreement_both_reports_agreement_and_asks_for_it(example):
    done = easyread.render_bytes(EXAMPLES / f"{example}.yaml", formats=["txt", "html"])
    for fmt in ("txt", "html"):
        text = done.content(fmt).decode("utf-8")
        reports = re.search(r"You said you (do not )?agree|You said you agree with some", text)
        asks = "Put a tick" in text or "I do not agree." in text or 'class="choices"' in text
        assert not (reports and asks), (example, fmt)


def asked(plan) -> dict:
    plan["agreement"] = {"status": "not-asked-yet"}
    return plan


def test_an_agreement_not_yet_given_asks_with_pictures_room_to_write_and_lines_to_sign(plan, tmp_path):
    easyread.render(asked(plan), formats=["pdf", "docx", "html"], profile="easy-read", outdir=tmp_path, stem="p")
    alts = [alt for alt, *_ in pdf_figures(tmp_path / "p.pdf")]
    assert {"Agree, thumbs up", "Do not agree, thumbs down", "Not sure"} <= set(alts)
    word = docx.Document(tmp_path / "p.docx")
    paragraphs = word_paragraphs(word)
    choices = [p for p in paragraphs if p.text.startswith("\u2610")]
    assert [p.text for p in choices] == ["\u2610\t\tI agree.", "\u2610\t\tI do not agree.", "\u2610\t\tI am not sure."]
    assert all(p._p.xpath(".//wp:inline/wp:docPr") for p in choices)  # a picture between the box and the words
    assert min(p.runs[0].font.size.pt for p in choices) >= 16  # the box at least the words' size
    lines = [p for p in paragraphs if p.text.endswith(":\t\t")]
    assert [p.text for p in lines] == ["Your name:\t\t", "Date:\t\t"]
    for line in lines:  # the label, then the line to sign on its baseline: an underlined tab to the line's end
        assert line.runs[0].bold and line.runs[-1].underline and not line.runs[-2].underline
        assert [stop.position.cm for stop in line.paragraph_format.tab_stops] == pytest.approx([5.0, 13.0], abs=0.01)
    written = [p for p in paragraphs if p.text == " \t" and p.runs[-1].underline]
    assert len(written) == 4  # room for their own words: 4 lines across the page
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert page.count('class="choice-symbol"') == 3 and '<div class="write"><p><strong>What you want to say:' in page


def test_an_agreement_the_plan_records_says_so_once_without_boxes(plan, tmp_path):
    plan["agreement"] = {"status": "agreed", "date": "2026-11-18", "comments": "It's good."}
    done = easyread.render_bytes(plan, formats=["txt", "docx"], profile="easy-read")
    text = done.content("txt").decode("utf-8")
    assert "What you said about this plan" in text and "You said you agree with this plan on" in text
    assert "Do you agree" not in text and "I am not sure" not in text and "Your name" not in text


def test_large_print_tick_boxes_are_at_least_the_body_size(plan, tmp_path):
    import pdfplumber

    easyread.render(asked(plan), formats=["pdf"], profile="large-print", outdir=tmp_path, stem="p")
    with pdfplumber.open(tmp_path / "p.pdf") as pdf:
        boxes = [rect for page in pdf.pages for rect in page.rects
                 if abs(rect["width"] - rect["height"]) < 1 and rect["width"] < 60]
    assert len(boxes) == 3 and min(rect["width"] for rect in boxes) >= 18  # 18 pt: large print's body size


# --- contacts as picture cards -------------------------------------------------------------------

def test_emergency_contacts_are_marked_out_and_found_first(tmp_path):
    easyread.render(EXAMPLES / "jordan-plan.yaml", formats=["docx", "txt", "html"], profile="easy-read", outdir=tmp_path)
    word = docx.Document(tmp_path / "jordan-plan.docx")
    framed = [table for table in word.tables if table._tbl.xpath("./w:tblPr/w:tblBorders/w:right[@w:sz='24']")]
    assert len(framed) == 2  # in the most important things, after the cover, and first among the contacts
    for table in framed:  # "In an emergency" heads the card, as the table's header row
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader") and table.rows[0].cells[0].text == "In an emergency"
        words = [p.text for p in table.rows[1].cells[0].paragraphs]
        assert words[0] == "Emergency Duty Team" and "Phone: 01632\u00a0960\u00a0999" in words
        assert table.rows[1].cells[0]._tc.xpath(".//wp:anchor")  # with its picture
    text = (tmp_path / "jordan-plan.txt").read_text(encoding="utf-8")
    contacts = text[text.index("Who to contact"):]
    assert contacts.split("\n\n")[1].startswith("In an emergency:\nEmergency Duty Team")  # the first card
    page = (tmp_path / "jordan-plan.html").read_text(encoding="utf-8")
    assert page.count('<div class="emergency">') == 2


@pytest.mark.parametrize(("role", "name", "expected"), [
    ("Your doctor (GP)", "Dr Helen Price", "doctor"), ("Your MS nurse", "Claire Dunn", "nurse"),
    ("Your advocate", "Ruth Ellis", "advocate"), ("Your social worker", "Kate Morris", "social-worker"),
    ("Council help at night and at weekends", "Emergency Duty Team", "emergency"),
])
def test_a_contact_card_shows_what_its_role_is(plan, role, name, expected):
    plan["contacts"] = [{"name": name, "role": role, "phone": "01632 960 100"}]
    document = easyread.compose(plan, profile="easy-read")
    card = next(b for b in pictured_blocks(document) if isinstance(b, ContactCard) and b.get("name") == name)
    assert card.symbol == expected


# --- the week ------------------------------------------------------------------------------------

def page_texts(pdf_path) -> list[str]:
    """Each page's text, as pdftotext reads it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


@pytest.mark.parametrize("example", ["jordan-plan", "tom-plan", "margaret-plan"])
def test_the_weeks_heading_is_on_the_page_of_its_first_day_and_times_stay_whole(example, tmp_path):
    for profile in ("easy-read", "large-print"):
        done = easyread.render(EXAMPLES / f"{example}.yaml", formats=["pdf"], profile=profile, outdir=tmp_path / profile,
                               house_style=HOUSE)
        pages = page_texts(done.paths["pdf"] if isinstance(done.paths, dict) else done.paths[0])
        (at,) = [n for n, text in enumerate(pages) if re.search(r"^Your week\s*$", text, re.M)]
        table = next(b for b in all_blocks(done.document.blocks) if b.type == "table")
        first_day = table.rows[0].cells[0][0].text
        assert re.search(rf"^{first_day}\b", pages[at], re.M), (profile, pages[at][-300:])
        lines = [line.strip() for text in pages for line in text.splitlines()]
        for row in table.rows:  # "9:30am to 1:30pm" may break before "to", never inside a time or after "to"
            assert not any(re.fullmatch(r"(\d+(:\d\d)?(am|pm)|\d+ noon) to", line) or line in ("to", "am", "pm", "noon")
                           for line in lines), profile


# --- the one-page profile and the passport ----------------------------------------------------------

@pytest.mark.parametrize("profile", ["easy-read", "large-print"])
@pytest.mark.parametrize("house", [None, HOUSE])
def test_the_one_page_profile_is_one_page_and_the_passport_puts_what_staff_must_know_first(profile, house, tmp_path):
    import pikepdf

    done = easyread.render(EXAMPLES / "ellie-one-page-profile.yaml", formats=["pdf"], profile=profile, outdir=tmp_path,
                           house_style=house)
    with pikepdf.open(done.paths[0]) as pdf:
        assert len(pdf.pages) == 1
    passport = easyread.render(EXAMPLES / "ellie-hospital-passport.yaml", formats=["pdf"], profile=profile,
                               outdir=tmp_path, house_style=house)
    pages = page_texts(passport.paths[0])
    assert len(pages) <= (4 if profile == "easy-read" else 5)
    assert "Red: things you must know about me" in pages[0] and "My NHS number is" in pages[0]
    assert "Penicillin" in pages[0]  # the allergy, on the first page


def test_a_one_page_profile_that_cannot_fit_is_refused_naming_the_parts_to_shorten(tmp_path):
    from easyread.errors import OutputError
    from easyread.inputs.loader import read_yaml

    profile = read_yaml((EXAMPLES / "ellie-one-page-profile.yaml").read_text(encoding="utf-8"))
    profile["how_to_support_me"] = [f"Help me with thing number {n}, and tell me what will happen next." for n in range(14)]
    with pytest.raises(OutputError) as refused:
        easyread.render(profile, formats=["pdf", "txt"], outdir=tmp_path, stem="long")
    message = str(refused.value)
    assert re.search(r"does not fit on 1 page of A4 at 16 pt: it needs about \d\.\d pages, so cut about \d+% of its words",
                     message), message
    assert message.index("'How to support me well' (how_to_support_me") < message.index("admired_for")
    assert not list(tmp_path.iterdir())  # nothing half-written


# --- large print ---------------------------------------------------------------------------------

def test_large_print_headings_step_up_clearly_from_the_words(tmp_path):
    import collections

    import pdfplumber

    done = easyread.render(EXAMPLES / "margaret-plan.yaml", formats=["pdf"], profile="large-print", outdir=tmp_path)
    with pdfplumber.open(done.paths[0]) as pdf:
        sizes = collections.Counter(round(char["size"], 1) for page in pdf.pages[:8] for char in page.chars)
    body = sizes.most_common(1)[0][0]
    headings = sorted(size for size in sizes if size > body)
    assert body == laid_out(done.document, "large-print").body_pt and len(headings) == 3
    h3, h2, h1 = headings
    assert h3 >= 1.2 * body and h2 >= 1.15 * h3 and h1 >= 1.2 * h2  # each level clearly larger than the one below
