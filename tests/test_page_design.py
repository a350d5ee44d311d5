"""The page design a reader sees, read back from the rendered files: one idea a row with its own picture, the
picture's size, the agreement, the one-page profile, the passport, the week and the contacts."""

from __future__ import annotations

import re
import unicodedata

import docx
import pytest
from lxml import html as lxml_html

import easyread
from easyread.document import Quote, Statement, pictured_blocks
from easyread.presentation.layout import picture_identity
from easyread.writers import docx as docx_writer
from easyread.writers import html
from tests.conftest import EXAMPLES, HOUSE, all_blocks, laid_out, pdf_figures

PICTURED_EXAMPLES = ["jordan-plan", "tom-plan", "jordan-review-letter", "ellie-hospital-passport", "aisha-safeguarding-letter",
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
    word_rows = [[p.text for p in row.cells[1].paragraphs if p.text.strip()]
                 for table in word.tables if len(table.columns) == 2 for row in table.rows
                 if row.cells[1].paragraphs[0].text.split("\n")[0] not in cards]
    assert sum(len(row) for row in word_rows) > 10
    assert mixed_rows(word_rows, seen) == []
    page = lxml_html.fromstring(html.page(document, layout))
    web_rows = [[p.text_content() for p in row.xpath(".//div[@class='words']/p[not(@class)]")] for row in page.xpath("//*[contains(@class, 'row')]")]
    assert sum(len(row) for row in web_rows) > 10
    assert mixed_rows(web_rows, seen) == []


def test_each_sentence_of_a_list_item_gets_its_own_picture_beside_pictures(plan, write):
    template = write("t.md.j2", "# T\n:bus: You get help:\n{% for x in ['You go on the bus. It is the number 36. "
                                "Your doctor rings you.', 'You see your mum.', 'You cook tea.', 'You get money.', 'You rest.'] %}\n- {{ x }}\n{% endfor %}\n")
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
    beside_words = [int(extent.get("cx")) / EMU_PER_CM for table in word.tables if len(table.columns) == 2
                    for row in table.rows for extent in row.cells[0]._tc.xpath(".//wp:extent")]
    assert len(beside_words) > 10 and {round(cm, 2) for cm in beside_words} == {PICTURE_CM}
    widths = [round(width, 2) for _alt, width, _height, _page in pdf_figures(tmp_path / "jordan-review-letter.pdf")]
    assert widths.count(PICTURE_CM) > 10  # beside the words; headings and the letterhead have smaller ones
    assert max(widths) == PICTURE_CM
    page = (tmp_path / "jordan-review-letter.html").read_text(encoding="utf-8")
    rem = float(re.search(r"\.row \.symbol \{ width: ([\d.]+)rem", page).group(1))
    assert rem * 16 * CM_PER_POINT == pytest.approx(PICTURE_CM, abs=0.02)  # 1rem is the body size, 16 pt
