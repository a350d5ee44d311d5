"""Braille (`--to brf`): Unified English Braille through liblouis, read back with liblouis and compared
with the accessible text; the page geometry; the grade and the page size the person asked for."""

from __future__ import annotations

import re

import pytest

import easyread
from easyread.document import plain, sections, statements
from easyread.writers.brf import CONTINUES, translate
from tests.conftest import EXAMPLES, GOOD

BRF_CHARACTERS = re.compile(r"^[\x20-\x5f]*$")  # North American ASCII braille: the 64 cells as characters


def pages_of(data: bytes) -> list[list[str]]:
    """A BRF's pages, each a list of lines (the page number's line first)."""
    text = data.decode("ascii")
    assert text.endswith("\r\n\f")
    return [page.removesuffix("\r\n").split("\r\n") for page in text.split("\f")[:-1]]


def read_back(data: bytes, grade: int = 2) -> str:
    """The braille read back into print by liblouis, every line after the page numbers, joined: a line that ends
    with the continuation indicator runs on into the next, as a braille reader reads it."""
    lines = [line.strip() for page in pages_of(data) for line in page[1:] if line.strip()]
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1].endswith(CONTINUES):
            joined[-1] = joined[-1][:-1] + line
        else:
            joined.append(line)
    return " ".join(translate(joined, grade, backward=True))


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£@.']+", text.lower().replace("\u2019", "'"))


@pytest.mark.parametrize("example", GOOD, ids=lambda path: path.stem)
@pytest.mark.slow
def test_every_example_in_braille_reads_back_as_its_text_on_pages_of_40_by_25(example, tmp_path):
    done = easyread.render(example, formats=["brf", "txt"], outdir=tmp_path)
    data, text = done.files["brf"], done.files["txt"].decode("utf-8")
    pages = pages_of(data)
    assert pages and all(len(page) <= 25 for page in pages)
    assert all(len(line) <= 40 and BRF_CHARACTERS.match(line) for page in pages for line in page)
    numbers = translate([page[0].strip() for page in pages], backward=True)
    assert numbers == [str(number) for number in range(1, len(pages) + 1)]  # the page number, top right
    assert all(page[0].startswith(" ") for page in pages)
    said = read_back(data)
    expected = words(text.split("All emojis designed by OpenMoji")[0])  # braille shows no pictures, so no credit
    heard = set(words(said))
    missing = [word for word in expected if word not in heard]
    assert len(missing) <= 0.01 * len(expected), missing[:20]


def test_a_name_an_amount_a_phone_number_a_date_and_an_email_come_back_exactly(tmp_path):
    done = easyread.render(EXAMPLES / "peter-financial-letter.yaml", formats=["brf"], outdir=tmp_path)
    said = read_back(done.files["brf"])
    for exact in ("Peter", "Sandra Cole", "£42.30 a week", "01632 960 455", "Monday 7 December 2026",
                  "sandra.cole@northmoor.example.gov.uk"):
        assert exact in said, exact


def test_grade_2_is_contracted_and_grade_1_is_not(tmp_path):
    plan = easyread.load(EXAMPLES / "dylan-change-letter.yaml").model_dump(mode="json", exclude_none=True)
    contracted = easyread.render(plan, formats=["brf"], outdir=tmp_path / "2").files["brf"].decode()
    plan["person"]["information_needs"]["braille_grade"] = 1
    done = easyread.render(plan, formats=["brf"], outdir=tmp_path / "1")
    uncontracted = done.files["brf"].decode()
    assert " Y " in contracted and ",Y " in contracted  # "you" is the letter y in grade 2
    assert " YOU " in uncontracted and " Y " not in uncontracted
    assert len(uncontracted) > len(contracted) * 1.1
    assert read_back(uncontracted.encode(), grade=1).startswith(f"{done.document.title} From Northmoor Council.")


def test_the_page_size_comes_from_the_persons_needs(tmp_path):
    plan = easyread.load(EXAMPLES / "dylan-change-letter.yaml").model_dump(mode="json", exclude_none=True)
    plan["person"]["information_needs"].update(braille_cells=32, braille_lines=20)
    pages = pages_of(easyread.render(plan, formats=["brf"], outdir=tmp_path).files["brf"])
    assert len(pages) > 2 and all(len(page) <= 20 and all(len(line) <= 32 for line in page) for page in pages)
    assert max(len(line) for page in pages for line in page) == 32  # the page number at the right edge


def test_headings_are_centred_or_in_cell_5_and_never_end_a_page(tmp_path):
    done = easyread.render(EXAMPLES / "jordan-plan.yaml", formats=["brf"], outdir=tmp_path)
    document, pages = done.document, pages_of(done.files["brf"])
    said = {plain(runs) for kind, runs, _source in statements(document) if kind != "heading"}
    # a heading whose words are also a line elsewhere ("Cooking and food" in the most important things) is not told apart
    headings = {section.title: section.level for section in sections(document) if section.title not in said}
    braille = dict(zip(translate(list(headings)), headings.values()))
    seen = 0
    for page in pages:
        for index, line in enumerate(page[1:], 1):
            level = braille.get(line.strip())
            if level is None or len(line.strip()) > 30:
                continue
            seen += 1
            indent = len(line) - len(line.lstrip())
            if level == 2:
                assert abs(indent - (40 - len(line.strip())) // 2) <= 1, line  # centred
            else:
                assert indent == 4, line  # cell 5
            assert index < len(page) - 1, f"a heading ends a page: {line.strip()}"
    assert seen >= 10


def test_the_recorded_need_for_braille_makes_it():
    from easyread.writers import formats_for

    assert formats_for(["braille"]) == (["brf"], [])


ADDRESSES = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)[\w./-]+[\w/]")


@pytest.mark.parametrize("example", GOOD, ids=lambda path: path.stem)
@pytest.mark.slow
def test_every_email_and_web_address_of_every_example_reads_back_exactly(example, tmp_path):
    done = easyread.render(example, formats=["brf", "txt"], outdir=tmp_path)
    said = read_back(done.files["brf"])
    for address in set(ADDRESSES.findall(done.files["txt"].decode())):
        assert address.lower() in said.lower(), address


@pytest.mark.parametrize("cells", [40, 20])
def test_a_long_address_is_divided_with_the_continuation_indicator_and_a_long_word_with_a_hyphen(plan, tmp_path,
                                                                                                 cells):
    long_email = "samantha.carter-longsurname@adult-social-care.northmoor.example.gov.uk"
    plan["person"]["information_needs"] = {"braille_cells": cells}
    plan["contacts"] = [{"name": "Sam Carter", "role": "Your support worker", "email": long_email}]
    plan["strengths"] = ["x" * 20_000]  # a 20,000-character word
    data = easyread.render(plan, formats=["brf"], outdir=tmp_path).files["brf"]
    lines = [line for page in pages_of(data) for line in page]
    assert max(len(line) for line in lines) <= cells
    divided = [line for line in lines if line.endswith(CONTINUES)]
    assert divided and all(len(line.lstrip()) >= cells // 2 for line in divided)  # at a full stop, not a cell in
    assert long_email in read_back(data)
    assert sum(line.strip().startswith("X") and line.endswith("-") for line in lines) >= 20_000 // cells - 1
