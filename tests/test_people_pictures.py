"""People pictured as themselves: a person the plan names is shown by their photo where the plan gives one, else by
what they are (their role), in the people lists, beside sentences that name them, and on contact cards."""

from __future__ import annotations

import zipfile

import pytest

import easyread
from easyread.document import ContactCard, Statement, pictured_blocks
from tests.conftest import EXAMPLES, pdf_structure

LETTER = EXAMPLES / "jordan-review-letter.yaml"


def line(document, text: str) -> Statement:
    """The line of a document with these words."""
    return next(b for b in pictured_blocks(document) if isinstance(b, Statement) and b.text == text)


def test_each_person_at_a_meeting_is_shown_by_their_photo_or_what_they_are():
    document = easyread.compose(LETTER)
    alt = {name: ref.alt for name, ref in document.symbols.items()}
    jordan, sam, ruth, mum = (line(document, text) for text in (
        "Jordan Reid: You", "Sam Whitfield: Your social worker. Sam will lead the meeting.",
        "Ruth Ellis: Your advocate", "Denise Reid: Your mum, if you want her to come"))
    assert alt[jordan.symbol].startswith("Jordan smiling") and jordan.symbol_source == "photo"
    assert alt[sam.symbol].startswith("Sam, a man") and "photo the plan gives" in sam.symbol_reason
    assert (ruth.symbol, mum.symbol) == ("advocate", "mum")  # no photo: what they are


def test_a_sentence_that_names_someone_shows_them_when_its_words_show_no_one_better(plan, write):
    plan["worker"]["photo"] = {"file": str(EXAMPLES / "pictures" / "sam.png"), "alt": "Tom, smiling."}
    plan["people_who_help"] = [{"name": "Rhian Jones", "relationship": "Your advocate",
                                "how_they_help": "She helps you say what you think."}]
    plan["strengths"] = ["You met Tom 3 times.", "Rhian can meet you before.", "Tom will cook with you."]
    document = easyread.compose(plan)
    met, before, cook = (line(document, text) for text in plan["strengths"])
    assert document.symbols[met.symbol].alt == "Tom, smiling." and met.symbol_source == "photo"
    assert before.symbol == "advocate" and "lists as :advocate:" in before.symbol_reason
    assert cook.symbol == "cook"  # what is done is the picture; the photo does not hide it


def test_a_first_name_two_people_share_names_neither(plan):
    plan["people_who_help"] = [{"name": "Sam Cole", "relationship": "Your brother"},
                               {"name": "Sam Price", "relationship": "Your friend"}]
    plan["strengths"] = ["Sam can meet you before."]
    document = easyread.compose(plan)
    assert line(document, "Sam can meet you before.").symbol not in ("brother", "friend")


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_contact_cards_show_what_each_contact_is_and_two_kinds_never_share_a_picture(example):
    document = easyread.compose(example)
    cards = [b for b in pictured_blocks(document) if isinstance(b, ContactCard)]
    if document.needs.pictures == "photos":  # the person asked for photos: a card is a photo, or has none
        assert all(card.symbol is None or document.symbols[card.symbol].source == "photo" for card in cards)
        return
    assert all(card.symbol not in (None, "contact") for card in cards), \
        [(card.get("name"), card.symbol) for card in cards if card.symbol in (None, "contact")]
    by_picture: dict[str, set[str]] = {}
    for card in cards:
        by_picture.setdefault(card.symbol, set()).add(card.get("name"))
    for picture, names in by_picture.items():
        if len(names) > 1:  # only the same kind of contact, each named so by its own role's words
            shared = [card for card in cards if card.symbol == picture]
            assert all(card.symbol_source == "words" for card in shared), (picture, names)


@pytest.mark.slow
def test_the_people_lists_photos_are_in_every_visual_format(tmp_path):
    done = easyread.render(LETTER, formats=["pdf", "docx", "html", "epub"], outdir=tmp_path)
    files = {path.suffix: path for path in done.paths}
    jordan = "Jordan smiling, wearing his Leeds United shirt."
    _kinds, alts = pdf_structure(files[".pdf"])
    assert alts.count(jordan) >= 1
    html = files[".html"].read_text(encoding="utf-8")
    assert html.count(f'alt="{jordan}"') >= 1 and html.count('alt="Lucy, a woman') >= 2  # her card and the list
    with zipfile.ZipFile(files[".docx"]) as docx:
        body = docx.read("word/document.xml").decode()
    assert body.count(f'descr="{jordan}"') >= 1 and body.count('descr="Lucy, a woman') >= 2
    with zipfile.ZipFile(files[".epub"]) as book:
        pages = "".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xhtml"))
    assert pages.count('alt="Lucy, a woman') >= 2


def test_a_name_in_a_people_list_never_chooses_by_its_words(plan):
    plan["person"]["name"] = "Ada Price"  # "price" is a word for money
    plan["people_who_help"] = [{"name": "Lena Banks", "relationship": "Your sister"}]
    plan["involvement"] = {"how_i_took_part": "You met us at home.", "people": [{"name": "Ada Price", "role": "You"},
                                      {"name": "Lena Banks", "role": "Your sister"}]}
    document = easyread.compose(plan)
    assert line(document, "Ada Price: You").symbol != "money"
    assert line(document, "Lena Banks: Your sister").symbol == "sister"


def test_the_person_a_line_starts_with_beats_the_day_it_names(plan, write):
    plan["people_who_help"] = [{"name": "Omar Said", "relationship": "Your brother",
                                "photo": {"file": str(EXAMPLES / "pictures" / "sam.png"), "alt": "Omar, smiling."}}]
    plan["strengths"] = ["Omar helps you at weekends.", "You go swimming at the weekend with Omar."]
    document = easyread.compose(plan)
    assert document.symbols[line(document, "Omar helps you at weekends.").symbol].alt == "Omar, smiling."
    assert line(document, "You go swimming at the weekend with Omar.").symbol == "swimming"


def test_the_reader_in_a_people_list_without_a_photo_is_a_person_like_them(plan):
    plan["person"]["pronouns"] = "she/her"
    plan["involvement"] = {"how_i_took_part": "You met us at home.",
                           "people": [{"name": "Ada Lovelock", "role": "You"}]}
    assert line(easyread.compose(plan), "Ada Lovelock: You").symbol == "you-woman"


def test_a_carers_needs_and_help_are_shown_by_who_the_carer_is(plan):
    plan["carers"] = [{"name": "Ola Nowak", "relationship": "Your sister", "their_needs": ["A break each week."],
                       "support": ["A carers group on Tuesdays."]}]
    document = easyread.compose(plan)
    assert line(document, "What Ola Nowak needs:").symbol == "sister"
    assert line(document, "Help for Ola Nowak:").symbol == "sister"
