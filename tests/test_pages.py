"""The page checks themselves (tests/pages.py) find each defect a reader met, on small PDFs made to have it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.pages import (
    broken_words,
    credit_alone,
    nearly_empty,
    outside_the_body,
    overflowing_cells,
    read_pages,
    split_across_lines,
    split_across_pages,
    vocabulary,
)

LAYOUT = SimpleNamespace(body_pt=16, margins_cm=(3.2, 2.65, 2.0))
PAGE = """#set page(paper: "a4", margin: (top: 3.2cm, bottom: 2.65cm, x: 2cm), header-ascent: 0.8cm,
  header: [Northmoor Council], footer: context [Page #counter(page).display() of #counter(page).final().first()])
#set text(size: 16pt, hyphenate: false)
"""


@pytest.fixture
def pages(tmp_path):
    """The pages of a PDF typst makes from this body, in the layout's page."""
    import typst

    def make(body: str, page: str = PAGE):
        source = tmp_path / "t.typ"
        source.write_text(page + body, encoding="utf-8")
        (tmp_path / "t.pdf").write_bytes(typst.compile(str(source)))
        return read_pages(tmp_path / "t.pdf")
    return make


def test_a_phone_number_broken_across_lines_is_found(pages):
    assert split_across_lines(pages("In an emergency ring 01632 960 \\ 999 at once.")) == [
        "page 1, phone number: '01632 960\\n999'"]
    assert split_across_lines(pages("In an emergency ring 01632~960~999 at once.")) == []


def test_a_heading_a_lead_in_or_a_card_split_from_what_follows_is_found(pages):
    heading = pages('#v(19cm)\n#text(size: 24pt)[Who to contact]\n#pagebreak()\nSam Whitfield')
    assert split_across_pages(heading, LAYOUT, set()) == ["page 1 ends with a heading: 'Who to contact'"]
    lead = pages("#v(19cm)\nIf something goes wrong:\n#pagebreak()\n- Ring Sam.")
    assert split_across_pages(lead, LAYOUT, set()) == ["page 1 ends with a lead-in: 'If something goes wrong:'"]
    assert split_across_pages(lead, LAYOUT, set(), lead_ins=False) == []
    card = pages("#v(19cm)\n*Sam Whitfield*\n#pagebreak()\nPhone: 07700 900 418")
    assert split_across_pages(card, LAYOUT, set()) == ["page 2 starts inside a contact card: 'Phone: 07700 900 418'"]
    signed = pages("#v(19cm)\nDate:\n#pagebreak()\nThank you.")
    assert split_across_pages(signed, LAYOUT, {"Date:"}) == []  # a line to sign on leads into nothing


def test_text_in_the_letterhead_or_page_number_room_is_found(pages):
    tight = PAGE.replace("bottom: 2.65cm", "bottom: 1.6cm").replace("top: 3.2cm", "top: 2cm")
    found = outside_the_body(pages("First line.\n#v(1fr)\nLast line.", tight), LAYOUT, "Northmoor Council")
    assert found == ["page 1: 'First line.' is in the letterhead's room",
                     "page 1: 'Last line.' is in the page number's room"]
    assert outside_the_body(pages("First line.\n#v(1fr)\nLast line."), LAYOUT, "Northmoor Council") == []


def test_a_word_broken_inside_is_found(pages):
    words = vocabulary("Adaeze Okafor (granddaughter) helps you.", "Northmoor Council", "Page of")
    assert broken_words(pages("Adaeze Okafor (granddaug \\ hter) helps you."), words) == [
        "page 1: 'granddaug'", "page 1: 'hter'"]
    assert broken_words(pages("Adaeze Okafor (granddaughter) helps you."), words) == []


def test_a_nearly_empty_page_is_found_but_not_the_last(pages):
    assert nearly_empty(pages("One line.\n#pagebreak()\nThe end."), LAYOUT.margins_cm) == ["page 1 is 2% full"]
    assert nearly_empty(pages("#v(12cm)\nA third down.\n#pagebreak()\nThe end."), LAYOUT.margins_cm) == []


def test_a_word_too_long_for_its_cell_is_found(pages):
    table = '#table(columns: (2.2cm, 4cm), [Monday], [{}])'
    assert overflowing_cells(pages(table.format("Rehabilitation"))) == []
    found = overflowing_cells(pages(table.replace("2.2cm", "1.2cm").format("").replace("[Monday]", "[Wednesday]")))
    assert found == ["page 1: 'Wednesday' crosses a table border"]


def test_a_last_page_holding_only_the_picture_credit_is_found(pages):
    credit = "All emojis designed by OpenMoji. License: CC BY-SA 4.0"
    alone = pages(f"#v(19cm)\nThe end of the plan.\n#pagebreak()\n{credit}")
    assert credit_alone(alone, LAYOUT, credit) == ["page 2 holds only the picture credit"]
    assert credit_alone(pages(f"The end of the plan.\n\n{credit}"), LAYOUT, credit) == []
