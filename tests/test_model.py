"""Input models: wording, money, dates, times and strictness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from easyread.model import INPUT_ADAPTER, Letter, Money, Plan, Review, TimetableSlot, Wording


def test_wording_accepts_a_plain_string_or_both_wordings():
    assert Wording.model_validate("Plain words.") == Wording(text="Plain words.")
    both = Wording.model_validate({"text": "Domiciliary care.", "easy_read": "Help at home."})
    assert (both.text, both.easy_read) == ("Domiciliary care.", "Help at home.")


def test_plan_validates_with_every_part(plan):
    loaded = INPUT_ADAPTER.validate_python(plan)
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
        INPUT_ADAPTER.validate_python(plan)


def test_timetable_slot_must_end_after_it_starts():
    with pytest.raises(ValidationError, match="must be after start"):
        TimetableSlot(day="Monday", start="10:00", end="09:00", activity="x", who="y")


def test_unknown_fields_are_errors_not_silently_dropped(plan):
    plan["person"]["nmae"] = "typo"
    with pytest.raises(ValidationError, match="nmae"):
        INPUT_ADAPTER.validate_python(plan)


def test_kind_picks_the_model(plan):
    assert isinstance(INPUT_ADAPTER.validate_python(plan), Plan)
    assert set(INPUT_ADAPTER.json_schema()["discriminator"]["mapping"]) == {"plan", "review", "letter"}
    assert Review.model_fields["kind"].annotation.__args__ == ("review",)
    assert Letter.model_fields["kind"].annotation.__args__ == ("letter",)


def test_own_words_fields_are_marked_in_the_schema():
    schema = Plan.model_json_schema()
    assert schema["properties"]["about_me"]["x-own-words"] is True
    assert schema["$defs"]["Outcome"]["properties"]["why"]["x-own-words"] is True
