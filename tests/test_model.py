"""Input models: wording, money, dates, times and strictness."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from easyread.inputs.kinds import input_adapter, kinds
from easyread.inputs.limits import MAX_FIELD_CHARS, MAX_LIST_ITEMS, MAX_TITLE_CHARS
from easyread.inputs.model import Letter, Meeting, Money, Picture, Plan, Review, TimetableSlot, Wording


def test_wording_accepts_a_plain_string_or_both_wordings():
    assert Wording.model_validate("Plain words.") == Wording(text="Plain words.")
    both = Wording.model_validate({"text": "Domiciliary care.", "easy_read": "Help at home."})
    assert (both.text, both.easy_read) == ("Domiciliary care.", "Help at home.")


def test_plan_validates_with_every_part(plan):
    loaded = input_adapter().validate_python(plan)
    assert isinstance(loaded, Plan)
    assert loaded.date == dt.date(2026, 9, 1)
    assert loaded.person.called == "Ada"
    assert loaded.timetable[1].start == dt.time(9, 30)
    assert loaded.budget.total == Money(amount=Decimal("120.50"), per="week")


def test_money_is_an_exact_decimal_with_a_period():
    assert Money.model_validate({"amount": "12.5", "per": "month"}).amount == Decimal("12.5")
    for bad in ({"amount": "1.234", "per": "week"}, {"amount": "-3", "per": "week"}, {"amount": "5", "per": "daily"}):
        with pytest.raises(ValidationError):
            Money.model_validate(bad)


def test_dates_must_be_real(plan):
    plan["date"] = "2026-02-30"
    with pytest.raises(ValidationError, match="date"):
        input_adapter().validate_python(plan)


def test_timetable_slot_must_end_after_it_starts():
    with pytest.raises(ValidationError, match="must be after start"):
        TimetableSlot(day="Monday", start="10:00", end="09:00", activity="x", who="y")


def test_unknown_fields_are_errors_not_silently_dropped(plan):
    plan["person"]["nmae"] = "typo"
    with pytest.raises(ValidationError, match="nmae"):
        input_adapter().validate_python(plan)


def test_kind_picks_the_model(plan):
    assert isinstance(input_adapter().validate_python(plan), Plan)
    assert set(input_adapter().json_schema()["discriminator"]["mapping"]) == set(kinds())
    assert Review.model_fields["kind"].annotation.__args__ == ("review",)
    assert Letter.model_fields["kind"].annotation.__args__ == ("letter",)


def test_own_words_fields_are_marked_in_the_schema():
    schema = Plan.model_json_schema()
    assert schema["properties"]["about_me"]["x-own-words"] is True
    assert schema["$defs"]["Outcome"]["properties"]["why"]["x-own-words"] is True


# --- wrong facts and text no document can hold (issue 13) --------------------------------------

MEETING = {"purpose": "Talk about your plan.", "date": "2026-12-01", "start": "14:00", "place": {"name": "Civic Centre"},
           "how_to_change": "Ring Sam."}


@pytest.mark.parametrize("end", ["13:00", "14:00"])
def test_meeting_must_end_after_it_starts(end):
    with pytest.raises(ValidationError) as excinfo:
        Meeting.model_validate({**MEETING, "end": end})
    (error,) = excinfo.value.errors()
    assert error["loc"] == ("end",) and f"end {end} must be after start 14:00" in error["msg"]
    assert Meeting.model_validate({**MEETING, "end": "15:30"}).end == dt.time(15, 30)
    assert Meeting.model_validate(MEETING).end is None


def test_timetable_slot_names_its_end():
    with pytest.raises(ValidationError) as excinfo:
        TimetableSlot(day="Monday", start="10:00", end="10:00", activity="x", who="y")
    assert excinfo.value.errors()[0]["loc"] == ("end",)


@pytest.mark.parametrize(("char", "says"), [("\x07", "U+0007, a control character"), ("\x00", "U+0000, a control"),
                                            ("\x85", "U+0085, a control"), ("\uffff", "U+FFFF, a character that is not"),
                                            ("\ufdd0", "U+FDD0"), ("\U0010fffe", "U+10FFFE")])
def test_control_characters_and_non_characters_are_refused_naming_the_field(plan, char, says):
    plan["strengths"] = ["You can cook.", f"You can make{char} tea."]
    plan["person"]["name"] = f"Ada{char} Lovelock"
    plan["person"]["address"] = ["1 Larch Road", f"North{char}moor"]
    with pytest.raises(ValidationError) as excinfo:
        input_adapter().validate_python(plan)
    found = {error["loc"][1:]: error["msg"] for error in excinfo.value.errors()}
    assert set(found) == {("strengths", 1, "text"), ("person", "name"), ("person", "address")}
    assert f"has {says}" in found[("strengths", 1, "text")]
    assert f"has {says}" in found[("person", "name")] and "at character 4" in found[("person", "name")]
    assert f"item 2 has {says}" in found[("person", "address")]


def test_tabs_and_line_breaks_only_where_a_field_holds_lines(plan):
    plan["strengths"] = ["You can cook.\nYou can\tsing."]
    plan["about_me"] = ["I like\r\nmy cat."]
    loaded = input_adapter().validate_python(plan)
    assert loaded.strengths[0].text == "You can cook.\nYou can\tsing."
    for field, value in [("name", "Ada\nLovelock"), ("known_as", "A\tda")]:
        changed = {**plan, "person": {**plan["person"], field: value}}
        with pytest.raises(ValidationError, match="line break or tab"):
            input_adapter().validate_python(changed)


def test_invisible_characters_are_taken_out_but_not_from_the_persons_own_words(plan):
    plan["strengths"] = ["You can sign\u00adpost and domi\u200bciliary.", "\u200b"]
    plan["about_me"] = ["I like sign\u00adposts."]
    plan["person"]["known_as"] = "\ufeffAda"
    with pytest.raises(ValidationError, match="only invisible characters"):
        input_adapter().validate_python(plan)
    plan["strengths"].pop()
    loaded = input_adapter().validate_python(plan)
    assert loaded.strengths[0].text == "You can signpost and domiciliary."
    assert loaded.about_me == ["I like sign\u00adposts."] and loaded.person.known_as == "Ada"
    plan["person"]["address"] = ["1 Kraków\u200d Road"]  # a joiner outside a Latin word stays
    assert input_adapter().validate_python(plan).person.address == ["1 Kraków\u200d Road"]


def test_titles_and_names_fit_a_document_title(plan):
    for place, field in [(plan, "title"), (plan["person"], "name"), (plan["person"], "known_as")]:
        changed = copy.deepcopy(plan)
        target = changed if place is plan else changed["person"]
        target[field] = "A" * (MAX_TITLE_CHARS + 1)
        with pytest.raises(ValidationError, match=f"at most {MAX_TITLE_CHARS} characters"):
            input_adapter().validate_python(changed)
    plan["title"] = "A" * MAX_TITLE_CHARS
    assert input_adapter().validate_python(plan).title == "A" * MAX_TITLE_CHARS


def test_every_text_field_has_a_length_limit(plan):
    plan["needs"][0]["description"]["easy_read"] = "Hello. " * (MAX_FIELD_CHARS // 7 + 1)
    with pytest.raises(ValidationError, match=f"at most {MAX_FIELD_CHARS} characters"):
        input_adapter().validate_python(plan)


def test_every_list_has_a_length_limit(plan):
    plan["strengths"] = ["You can cook."] * (MAX_LIST_ITEMS + 1)
    with pytest.raises(ValidationError, match=f"at most {MAX_LIST_ITEMS:,} items"):
        input_adapter().validate_python(plan)


def test_a_picture_must_be_inside_the_folder_that_names_it(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "other.png").write_bytes(b"x")
    (tmp_path / "plans" / "link.png").symlink_to(tmp_path / "other.png")
    context = {"base_dir": tmp_path / "plans"}
    for file in [str(tmp_path / "other.png"), "../other.png", "link.png", "sub/../../other.png"]:
        with pytest.raises(ValidationError, match="the picture must be inside the plan's folder"):
            Picture.model_validate({"file": file, "alt": "x"}, context=context)
    inside = Picture.model_validate({"file": "sub/../me.png", "alt": "x"}, context=context)
    assert inside.file == (tmp_path / "plans" / "me.png").resolve()
    allowed = Picture.model_validate({"file": "../other.png", "alt": "x"}, context={**context, "picture_folders": [tmp_path]})
    assert allowed.file == (tmp_path / "other.png").resolve()
    with pytest.raises(ValidationError, match="the house style's folder"):
        Picture.model_validate({"file": "../other.png", "alt": "x"}, context={**context, "named_by": "house style"})


def test_a_picture_with_no_folder_must_be_inside_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Picture(file="me.png", alt="x").file == (tmp_path / "me.png").resolve()
    with pytest.raises(ValidationError, match="inside the working folder"):
        Picture(file="/etc/hostname", alt="x")
