"""A council's house style: what it may hold, and the clear errors for what it may not."""

from __future__ import annotations

import json

import pytest

import easyread
from easyread.errors import InputError
from easyread.inputs.house_style import HouseStyle, load_house_style
from easyread.inputs.limits import MAX_BODY_PT
from tests.conftest import HOUSE


def problem(write, text: str):
    """The one problem load_house_style finds in a house style file."""
    with pytest.raises(InputError) as caught:
        load_house_style(write("style.yaml", text))
    assert len(caught.value.problems) == 1, caught.value
    return caught.value.problems[0]


@pytest.mark.parametrize("font", [
    "Arial; } body { background-image: url(http://127.0.0.1:9/x) }",
    'Arial", serif',
    "Arial</style><script>alert(1)</script>",
    "Arial\\",
    "Open  Sans",
    "-Arial",
    "a" * 101,
])
def test_a_font_that_is_not_a_font_name_is_refused(write, font):
    found = problem(write, f"name: Evil Council\nfont: {json.dumps(font)}\n")  # a JSON string is a YAML string
    assert found.field == "font" and found.line == 2
    assert "is not a font name: use only letters, digits, spaces and hyphens" in found.message


@pytest.mark.parametrize("font", ["Arial", "Open Sans", "Source Sans 3", "Atkinson Hyperlegible Next", "Gill-Sans",
                                  "Helvética"])
def test_real_font_names_are_accepted(write, font):
    assert load_house_style(write("style.yaml", f"name: Council\nfont: {font}\n")).font == font


def test_body_size_is_bounded(write):
    found = problem(write, "name: Big Council\nbody_pt: 100000\n")
    assert found.field == "body_pt" and found.line == 2
    assert f"expected a size in points, more than 0 and at most {MAX_BODY_PT}, like 16; got 100000" in found.message
    assert load_house_style(write("style.yaml", f"name: Big Council\nbody_pt: {MAX_BODY_PT}\n")).body_pt == MAX_BODY_PT
    assert problem(write, "name: Big Council\nbody_pt: .inf\n").field == "body_pt"


def test_a_control_character_is_an_error_naming_the_field(write):
    with pytest.raises(InputError) as caught:
        load_house_style(write("style.yaml", 'name: "Bell\\a Council"\ncontact: [Civic Centre, "Phone\\x00 01632 960 000"]\n'))
    found = {(p.field, p.line): p.message for p in caught.value.problems}
    assert found[("name", 1)] == "holds the control character U+0007 (character 5); remove it"
    assert found[("contact[1]", 2)] == "holds the control character U+0000 (character 6); remove it"


def test_a_control_character_is_an_input_error_before_any_writer_runs(plan, write, tmp_path):
    # it reached the Word writer as "ValueError: All strings must be XML compatible"
    style = write("style.yaml", 'name: Council\ncontact: ["Ring \\x1b 01632 960 000"]\n')
    with pytest.raises(InputError, match=r"contact\[0\]: holds the control character U\+001B"):
        easyread.render(plan, formats=["docx", "pdf", "html"], outdir=tmp_path / "out", house_style=style)
    assert not (tmp_path / "out").exists()


def test_direction_controls_are_taken_out_of_the_words(write):
    style = load_house_style(write("style.yaml", 'name: "North\\u202emoor"\ncontact: ["Call \\u202e01632 960 000"]\n'))
    assert style.name == "Northmoor" and style.contact == ["Call 01632 960 000"]
    assert HouseStyle(name="X", contact=["\u2067a\u2069"]).contact == ["a"]


def test_a_missing_logo_is_looked_for_beside_the_house_style(write):
    found = problem(write, "name: Council\nlogo: {file: nothere.png, alt: Council logo}\n")
    assert found.field.startswith("logo") and "plan" not in found.message
    assert "house style" in found.message


def test_another_councils_house_style_on_a_plan_is_noted(plan):
    plan["organisation"]["name"] = "Eastmere Borough Council"
    done = easyread.render_bytes(plan, formats=["txt"], house_style=HOUSE)
    assert done.notes == ["the house style is Northmoor Council's, but the plan is from Eastmere Borough Council: "
                          "check the house style given"]
    plan["organisation"]["name"] = "northmoor council"  # the same council, however it is written
    assert easyread.render_bytes(plan, formats=["txt"], house_style=HOUSE).notes == []
