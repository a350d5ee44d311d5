"""The layout decided once for every format: rows of ideas, their details, and the sizes each format uses."""

from __future__ import annotations

import re
from html import unescape

import docx
import pdfplumber
import pytest

import easyread
from easyread.composer import compose
from easyread.document import ListBlock, Quote, Row, Run, Source, Statement, SymbolRef, Table, sections
from easyread.inputs.house_style import load_house_style
from easyread.inputs.profile import get_profile
from easyread.presentation.layout import MAX_ROW_STATEMENTS, Idea, Layout, _width_cm, leads_into, picture_identity, rows
from easyread.writers import docx as docx_writer
from easyread.writers import html, pdf
from tests.conftest import EXAMPLES, HOUSE, laid_out, pdf_structure, word_paragraphs, word_pictures, word_rows

SYMBOLS = {
    "bus": SymbolRef(name="bus", alt="a bus", source="openmoji", code="1F68C"),
    "doctor": SymbolRef(name="doctor", alt="a doctor", source="openmoji", code="1F9D1-200D-2695-FE0F"),
    "money": SymbolRef(name="money", alt="money", source="openmoji", code="1F4B7"),
    "budget": SymbolRef(name="budget", alt="money", source="openmoji", code="1F4B7"),  # the same pound note
}


def line(text: str, symbol: str | None = None) -> Statement:
    return Statement(runs=[Run(text=text)], source=Source(), symbol=symbol)


def listing(*texts: str) -> ListBlock:
    return ListBlock(items=[line(text) for text in texts], source=Source())


def texts(items) -> list:
    return [[s.text for s in item.statements] if isinstance(item, Idea) else type(item).__name__ for item in items]


# --- rows of ideas --------------------------------------------------------------------------------

def test_a_sentence_that_goes_on_with_the_one_before_shares_its_row():
    blocks = [line("You go on the bus to college.", "bus"), line("It is the number 36."),
              line("Your doctor will ring you.", "doctor"), line("She will ask how you are.", "doctor")]
    assert texts(rows(blocks, SYMBOLS, pictures=True)) == [
        ["You go on the bus to college.", "It is the number 36."],
        ["Your doctor will ring you.", "She will ask how you are."]]


def test_two_pictured_ideas_never_share_one_picture():
    # "He looks after you when you have a fit. Your dad is 72." beside a frying pan, in the issue
    blocks = [line("You go on the bus to college.", "bus"), line("It costs money.", "money"),
              line("You get benefits.", "money"), line("Without help you would struggle."),
              line("You have a budget.", "budget"), line("Your doctor will ring you.", "doctor")]
    assert texts(rows(blocks, SYMBOLS, pictures=True)) == [
        ["You go on the bus to college."],
        ["It costs money.", "You get benefits."],  # goes on, but with a picture of its own: the same as the next
        ["Without help you would struggle."],  # no picture of its own, and not going on
        ["You have a budget."], ["Your doctor will ring you."]]
    for item in rows(blocks, SYMBOLS, pictures=True):
        assert len({picture_identity(SYMBOLS[s.symbol]) for s in item.statements if s.symbol in SYMBOLS}) <= 1


def test_a_row_holds_a_sentence_and_its_continuation():
    same = [line(f"You get money {n}.", "money") for n in range(5)]
    assert [len(row.statements) for row in rows(same, SYMBOLS, pictures=True)] == [MAX_ROW_STATEMENTS] * 2 + [1]
    long = [line("You get money from the council every week for your support at home.", "money"),
            line("It is paid into a bank account that only you and your mum can use.")]
    assert len(rows(long, SYMBOLS, pictures=True)) == 2  # 27 words would sit far from the picture


def test_a_row_without_a_picture_takes_only_what_goes_on_and_shows_its_picture():
    step = [line("Go to the course at the library."), line("It is on the bus route.", "bus"),
            line("Your doctor will ring you.", "doctor")]
    first, second = rows(step, SYMBOLS, pictures=True)
    assert len(first.statements) == 2 and first.symbol == "bus" and first.pictured.text == "It is on the bus route."
    assert second.symbol == "doctor"
    alone = [line("Without help you would struggle."), line("Your doctor will ring you.", "doctor")]
    assert len(rows(alone, SYMBOLS, pictures=True)) == 2  # a new idea, not one that goes on


def test_quotes_and_large_print_never_join():
    quoted = [line("You said this.", "money"), Quote(runs=[Run(text="It is my money.")], source=Source())]
    assert texts(rows(quoted, SYMBOLS, pictures=True)) == [["You said this."], "Quote"]
    same = [line("You get money.", "money"), line("It is paid weekly.", "money")]
    assert len(rows(same, SYMBOLS, pictures=False)) == 2  # large print: each statement its own paragraph


def said(field: str, *texts: str, symbol: str | None = "bus") -> list[Statement]:
    """Sentences of one plan field, as `common.said` makes them."""
    return [Statement(runs=[Run(text=text)], source=Source(template="t", line=3, fields=[field]), symbol=symbol)
            for text in texts]


def test_a_fields_sentences_start_their_own_row_and_join_only_what_goes_on():
    before = line("You go on the bus to college.", "bus")
    four = said("place.getting_there", "Take the 36.", "It stops at the bus station.", "Go up the lift.",
                "Room 2 is on the left.", symbol=None)
    assert texts(rows([before, *four], SYMBOLS, pictures=True)) == [
        ["You go on the bus to college."],  # another field's idea: not joined
        ["Take the 36.", "It stops at the bus station."], ["Go up the lift."], ["Room 2 is on the left."]]
    other = said("support[1]", "There will be drinks.", "And biscuits.", symbol="money")  # the same picture
    assert texts(rows([*four[:2], *other], SYMBOLS, pictures=True)) == [
        ["Take the 36.", "It stops at the bus station."], ["There will be drinks.", "And biscuits."]]
    assert len(rows(four, SYMBOLS, pictures=False)) == 4  # large print: each statement its own paragraph


def test_a_few_names_after_a_colon_are_the_details_of_their_lead_in():
    names = listing("Jordan Reid: You", "Sam Whitfield: Your social worker. Sam will lead the meeting.",
                    "Lucy Adeyemi: Your main support worker", "Ruth Ellis: Your advocate", "Denise Reid: Your mum")
    meet, = rows([line("You will meet:", "bus"), names], SYMBOLS, pictures=True)
    assert len(meet.details.items) == 5
    long = listing(*["Tell staff if anyone online asks you for money or for your passwords."] * 4)
    lead, after = rows([line("If something goes wrong:", "bus"), long], SYMBOLS, pictures=True)
    assert lead.details is None and after is long  # long items keep their own rows
    seven = listing(*"abcdefg")
    assert rows([line("You will meet:", "bus"), seven], SYMBOLS, pictures=True)[0].details is None


def test_a_statement_takes_a_short_list_it_leads_into_as_its_details():
    blocks = [line("Pick 3 meals.", "money"), listing("Who: Jordan and Lucy", "By: Friday 18 December 2026"),
              line("If something goes wrong:", "bus"),
              listing(*["If you are worried, talk to staff. You can also talk to your mum or Sam."] * 4)]
    for pictures in (True, False):
        step, lead, long_list = rows(blocks, SYMBOLS, pictures=pictures)
        assert [item.text for item in step.details.items] == ["Who: Jordan and Lucy", "By: Friday 18 December 2026"]
        assert lead.details is None and isinstance(long_list, ListBlock) and leads_into(lead, long_list)
    assert not leads_into(line("Pick 3 meals."), listing(*"abcde"))  # no colon and a long list: not led into


# --- the same layout in every format ----------------------------------------------------------------

def test_sizes_follow_the_profile_the_person_and_the_house_style(plan):
    from easyread.inputs.model import InformationNeeds

    document = compose(plan)
    easy, large = get_profile("easy-read"), get_profile("large-print")
    assert Layout.of(document, easy).pictures and not Layout.of(document, large).pictures
    assert Layout.of(document, easy).body_pt == 16 and Layout.of(document, large).body_pt == 18
    assert Layout.of(document, easy).heading_pt[1] > 16 and Layout.of(document, large).tables is False
    bigger = document.model_copy(update={"needs": InformationNeeds(print_size_pt=24)})
    layout = Layout.of(bigger, large)
    assert layout.body_pt == 24 and layout.margins_cm[1] > Layout.of(document, large).margins_cm[1]  # page number room
    housed = Layout.of(document, easy.with_house_style(load_house_style(HOUSE)))
    assert housed.margins_cm[0] > Layout.of(document, easy).margins_cm[0] and housed.font == "Arial"


def test_a_profile_sets_the_picture_size_for_every_format(plan, write):
    profile = write("big.yaml", {"extends": "easy-read", "presentation": {"picture_cm": 3.0}})
    document = compose(plan)
    assert Layout.of(document, get_profile(profile)).picture_cm == 3.0
    page = html.page(document, laid_out(document, get_profile(profile)))
    rem = 3.0 / (16 * 2.54 / 72)
    assert f"grid-template-columns: {rem:.2f}rem 1fr" in page


def test_one_picture_beside_each_idea_in_pdf_word_and_html(plan, write, tmp_path):
    template = write("t.md.j2", "# T\n:bus: You go to college on the bus.\n:bus: It is the number 36.\n"
                                ":doctor: Your doctor will ring you.\n")
    document = compose(plan, template=template)
    profile = get_profile("easy-read")
    (tmp_path / "t.pdf").write_bytes(pdf.render(document, laid_out(document, profile)))
    _kinds, alts = pdf_structure(tmp_path / "t.pdf")
    assert len(alts) == 2  # the bus beside two sentences, the doctor beside one
    (tmp_path / "t.docx").write_bytes(docx_writer.render(document, laid_out(document, profile)))
    word = docx.Document(tmp_path / "t.docx")
    rows = word_rows(word)
    assert len(word_pictures(word)) == 2 and len(rows) == 2
    assert rows[0][1] == ["You go to college on the bus.", "It is the number 36."]
    page = html.page(document, laid_out(document, profile))
    assert page.count('class="symbol"') == 2
    assert re.search(r"<p>You go to college on the bus\.</p><p>It is the number 36\.</p>", page)


def test_details_stay_in_their_row_in_every_format(plan, write, tmp_path):
    template = write("t.md.j2", "# T\n:bus: Learn the bus to college.\n- Who: Jordan and Dev\n- By: Friday\n")
    document = compose(plan, template=template)
    profile = get_profile("easy-read")
    (tmp_path / "t.docx").write_bytes(docx_writer.render(document, laid_out(document, profile)))
    assert word_rows(docx.Document(tmp_path / "t.docx"))[0][1] == [
        "Learn the bus to college.", "Who: Jordan and Dev", "By: Friday"]
    page = html.page(document, laid_out(document, profile))
    assert re.search(r'<ul class="details"><li>Who: Jordan and Dev</li><li>By: Friday</li></ul>', page)
    (tmp_path / "t.pdf").write_bytes(pdf.render(document, laid_out(document, profile)))
    kinds, alts = pdf_structure(tmp_path / "t.pdf")
    assert len(alts) == 1 and kinds.count("/LI") == 2  # still a list, for a screen reader


@pytest.mark.parametrize("example", ["jordan-plan", "jordan-review-letter"])
@pytest.mark.slow
def test_every_format_shows_the_same_pictures(example, tmp_path):
    done = easyread.render(EXAMPLES / f"{example}.yaml", formats=["pdf", "docx", "html"], outdir=tmp_path,
                           house_style=HOUSE)
    _kinds, alts = pdf_structure(tmp_path / f"{example}.pdf")
    shapes = [picture.get("descr") for picture in word_pictures(docx.Document(tmp_path / f"{example}.docx"))]
    page = (tmp_path / f"{example}.html").read_text(encoding="utf-8")
    images = re.findall(r'<img class="(?:symbol|heading-symbol|cover-picture|choice-symbol)" src="[^"]*" alt="([^"]*)"', page)
    assert alts == shapes == [unescape(alt) for alt in images]
    shown = sum(1 for idea in _all_rows(done.document) if idea.symbol in done.document.symbols)
    assert shown < sum(1 for idea in _all_rows(done.document) for _ in idea.statements) * 0.9  # ideas, not lines


def _all_rows(document):
    def walk(blocks):
        for item in rows(blocks, document.symbols, pictures=True):
            if isinstance(item, Idea):
                yield item
            yield from walk(getattr(item, "blocks", []))
    return list(walk(document.blocks))


# --- tables that fit, or lines ------------------------------------------------------------------

def table(*rows: tuple[str, ...], header=("Day", "Time", "What happens", "Who helps")) -> Table:
    return Table(caption="Your week", header=[[Run(text=h)] for h in header], source=Source(),
                 rows=[Row(cells=[[Run(text=c)] for c in row], source=Source(), symbol="bus") for row in rows])


def test_days_in_a_row_with_the_same_lines_are_written_once_day_by_day():
    from easyread.document import WRITER_WORDS, plain
    from easyread.writers.data import day_by_day

    visit = ("8am to 9am", "Getting up", "Hollybank")
    week = table(*[(day, *visit) for day in ("Monday", "Tuesday", "Wednesday")], ("Thursday", "2pm", "Post", "Ann"),
                 ("Friday", *visit), ("Sunday", *visit), ("Sunday", "6pm", "Tea", "Ann"))
    written = [(plain(label), [plain(line) for line, _row in lines]) for label, lines in day_by_day(week, WRITER_WORDS)]
    once = ["Time: 8am to 9am. What happens: Getting up. Who helps: Hollybank."]
    assert written == [("Monday to Wednesday", once), ("Thursday", ["Time: 2pm. What happens: Post. Who helps: Ann."]),
                       ("Friday", once),  # not with Sunday: Saturday is between them
                       ("Sunday", [*once, "Time: 6pm. What happens: Tea. Who helps: Ann."])]
    line = day_by_day(week, WRITER_WORDS)[0][1][0][0]
    assert [run.text for run in line if run.bold] == ["Time: ", "8am to 9am"]  # the time first, in bold, to scan by
    two = table(("Saturday", *visit), ("Sunday", *visit))
    assert [plain(label) for label, _ in day_by_day(two, WRITER_WORDS)] == ["Saturday and Sunday"]


def test_every_column_is_as_wide_as_its_longest_word(plan):
    layout = Layout.of(compose(plan), get_profile("easy-read"))
    week = table(("Wednesday", "9:30am to 11am", "Exercise class", "Osteopath (granddaughter) physiotherapist"))
    widths = layout.table_columns(week, SYMBOLS)
    assert widths is not None and len(widths) == 5  # the pictures second, after the day
    assert sum(widths) == pytest.approx(21 - 2 * layout.margins_cm[2], abs=0.01)
    padding = layout.body_pt * 2.54 / 72
    for width, longest in zip(widths[:1] + widths[2:], ("Wednesday", "9:30am", "Exercise", "physiotherapist")):
        assert width >= _width_cm(longest, layout.body_pt) + padding
    assert widths[4] > widths[3]  # the words go where the text is


@pytest.mark.slow
def test_a_table_whose_words_cannot_fit_is_written_day_by_day_in_every_format(plan, tmp_path):
    long = ("Wednesday", "Rehabilitation", "Physiotherapist", "Neuropsychologist")
    week = table(long, header=("Day", "Appointment", "Professional", "Specialist"))
    layout = Layout.of(compose(plan), get_profile("easy-read"))
    assert layout.table_columns(week, SYMBOLS) is None  # four long words and the pictures: no room on A4
    assert Layout.of(compose(plan), get_profile("large-print")).table_columns(table(("Monday", "9am", "Tea", "Bev")),
                                                                               SYMBOLS) is None  # large print: lines
    document = compose(plan)
    section = next(sections(document))
    section.blocks.append(week)
    document.symbols.update(SYMBOLS)
    profile = get_profile("easy-read")
    (tmp_path / "t.docx").write_bytes(docx_writer.render(document, laid_out(document, profile)))
    word = docx.Document(tmp_path / "t.docx")
    assert not any(c.text == "Specialist" for t in word.tables for c in t.rows[0].cells)  # not a table: lines
    assert any("Appointment: Rehabilitation" in p.text for p in word_paragraphs(word))
    page = html.page(document, laid_out(document, profile))
    assert "Appointment: Rehabilitation" in re.sub(r"<[^>]+>", "", page)  # the first cell bold: found by its time
    assert '<th scope="col">Specialist</th>' not in page
    (tmp_path / "t.pdf").write_bytes(pdf.render(document, laid_out(document, profile)))
    with pdfplumber.open(tmp_path / "t.pdf") as opened:
        text = " ".join(page.extract_text() or "" for page in opened.pages)
    assert "Appointment: Rehabilitation" in " ".join(text.split())


def _hex(colour) -> str:
    """A colour read back from a file as #RRGGBB: pdfplumber's 0-1 grey or RGB tuple, or Word's RRGGBB."""
    if isinstance(colour, str):
        return "#" + colour.upper()
    values = [colour[0]] * 3 if len(colour) == 1 else list(colour)
    return "#" + "".join(f"{round(v * 255):02X}" for v in values)


@pytest.mark.parametrize("house", [None, HOUSE], ids=["plain", "house-style"])
def test_a_black_page_gets_readable_text_in_the_pdf_word_and_html(plan, house):
    from easyread.inputs.house_style import contrast

    plan["person"]["information_needs"]["background_colour"] = "#000000"
    done = easyread.render_bytes(plan, formats=["pdf", "docx", "html"], profile="large-print", house_style=house)

    with pdfplumber.open(__import__("io").BytesIO(done.content("pdf"))) as read:
        page = read.pages[0]
        fills = {_hex(rect["non_stroking_color"]) for rect in page.rects if rect["width"] > page.width * 0.9}
        colours = {_hex(char["non_stroking_color"]) for p in read.pages for char in p.chars}
    assert fills == {"#000000"}  # the page is the person's colour
    assert colours and all(contrast(colour, "#000000") >= 4.5 for colour in colours), colours

    word = docx.Document(__import__("io").BytesIO(done.content("docx")))
    body = word.element.body.getparent()
    assert body.find(docx.oxml.ns.qn("w:background")).get(docx.oxml.ns.qn("w:color")) == "000000"
    qn = docx.oxml.ns.qn
    used = {"Normal"} | {e.get(qn("w:val")) for tag in ("w:pStyle", "w:rStyle", "w:tblStyle") for e in word.element.iter(qn(tag))}
    by_id = {style.get(qn("w:styleId")): style for style in word.styles.element.iter(qn("w:style"))}
    while True:  # and every style they are based on
        based = {b.get(qn("w:val")) for name in used for b in by_id[name].iter(qn("w:basedOn"))} - used
        if not based:
            break
        used |= based
    text = [c.get(qn("w:val")) for name in used for c in by_id[name].iter(qn("w:color"))]
    borders = [c.get(qn("w:val")) for c in word.element.iter(qn("w:color"))]  # the table borders and lines to sign
    assert {"Heading1", "Heading2", "Normal"} <= used
    # Word's automatic text colour: light on the dark page, and black on paper printed without the page colour
    # (Word prints none by default); LibreOffice's reading of it is checked in test_docx.py
    assert text and set(text) == {"auto"}, sorted(set(text))
    assert all(contrast(_hex(value), "#000000") >= 4.5 for value in borders), sorted(set(borders))

    page_css = done.content("html").decode()
    body_rule = re.search(r"body \{[^}]*background: (#[0-9A-Fa-f]{6}); color: (#[0-9A-Fa-f]{6})", page_css)
    assert body_rule and body_rule.group(1) == "#000000" and contrast(body_rule.group(2), "#000000") >= 4.5
    headings = re.search(r"h1, h2, h3 \{ color: (#[0-9A-Fa-f]{6})", page_css)
    assert headings and contrast(headings.group(1), "#000000") >= 4.5
