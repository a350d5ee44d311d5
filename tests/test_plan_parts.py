"""Everything a real plan holds: the person-centred parts, a communication passport, decisions, health,
risks, contingency, carers, equipment, home, sharing, staying in control and a council's own parts."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterator
from typing import Any, Literal

import jsonschema
import pytest
from pydantic import BaseModel, ValidationError

import easyread
from easyread.inputs.kinds import json_schema, kind_named, kinds
from easyread.inputs.loader import load
from easyread.inputs.model import (
    Attorney,
    CapacityAssessment,
    Carer,
    CommunicationPassport,
    Contingency,
    Decisions,
    Equipment,
    Health,
    Home,
    InControl,
    Medicine,
    Picture,
    Plan,
    Review,
    Risk,
    Sharing,
    SupportedDecision,
    Viewpoint,
    Wording,
)
from easyread.readability.report import TooDenseError
from tests.conftest import EXAMPLES, ROOT

EVERY_PART = EXAMPLES / "tom-plan.yaml"  # a plan with every field filled
NEW_PARTS = ("important_for_me", "good_day", "bad_day", "likes", "dislikes", "hopes", "worries", "working",
             "not_working", "communication", "decisions", "health", "equipment", "home", "in_control",
             "contingency", "carers", "sharing", "extra")
# Fields that describe the document or the person's needs rather than say something to them: the writers use
# them (the letterhead, the file's title, the profile), they are not lines of the text.
NOT_TEXT = ("organisation", "person.name", "person.reference", "person.address", "person.pronouns",
            "person.information_needs", "title")


def _is_choice(annotation: Any) -> bool:
    """A field whose value is one of a fixed set (a status, an outcome): said as a sentence, not printed."""
    return typing.get_origin(annotation) is Literal or any(_is_choice(a) for a in typing.get_args(annotation))


def texts(value: Any, easy_read: bool, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, the words a reader should find) for every piece of text in an input."""
    if path.startswith(NOT_TEXT) or isinstance(value, Picture):
        return
    if isinstance(value, Wording):
        yield path, (value.easy_read if easy_read and value.easy_read else value.text)
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            if not _is_choice(info.annotation) and name != "per":  # "per" is said with its amount: "£20 a week"
                yield from texts(getattr(value, name), easy_read, f"{path}.{name}" if path else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, easy_read, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, easy_read, f"{path}[{index}]")
    elif isinstance(value, dt.date):
        yield path, f"{value.day} {value:%B %Y}"
    elif isinstance(value, str):
        yield path, value


@pytest.mark.parametrize("profile", ["easy-read", "large-print"])
@pytest.mark.parametrize("example", ["tom-plan", "priya-review", "grace-assessment-letter", "peter-financial-letter",
                                     "aisha-safeguarding-letter", "dylan-change-letter", "ellie-one-page-profile",
                                     "ellie-hospital-passport"])
@pytest.mark.slow
def test_every_field_is_in_the_text_nothing_silently_dropped(example, profile, tmp_path):
    source = EXAMPLES / f"{example}.yaml"
    done = easyread.render(source, formats=["txt"], profile=profile, outdir=tmp_path)
    # an item's sentences may be items of their own in easy read ("- Bev is good." "- You trust her.")
    written = " ".join(done.paths[0].read_text().replace("\n- ", "\n").split())
    found = list(texts(load(source), easy_read=profile == "easy-read"))
    missing = [(path, words) for path, words in found if " ".join(words.split()) not in written]
    assert len(found) > (10 if "one-page" in example else 20) and missing == []


def test_the_example_fills_every_new_part_and_every_field_of_the_new_parts():
    plan = load(EVERY_PART)
    assert isinstance(plan, Plan) and [part for part in NEW_PARTS if not getattr(plan, part)] == []
    new = {model.__name__ for model in (CommunicationPassport, Decisions, SupportedDecision, CapacityAssessment,
                                        Attorney, Health, Medicine, Contingency, Carer, Equipment, Home, Sharing,
                                        InControl, Risk, Viewpoint)}
    filled: dict[str, set[str]] = {}

    def visit(value: Any) -> None:
        if isinstance(value, BaseModel) and not isinstance(value, Wording):
            if type(value).__name__ in new:
                filled.setdefault(type(value).__name__, set()).update(
                    name for name in type(value).model_fields if getattr(value, name) not in (None, [], {}))
            for name in type(value).model_fields:
                visit(getattr(value, name))
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit(plan)
    assert {name: set(globals()[name].model_fields) - filled.get(name, set()) for name in new} == {name: set() for name in new}


def test_working_takes_a_string_a_wording_or_a_view_with_whose_it_is():
    assert Viewpoint.model_validate("The rota works").what.text == "The rota works"
    wording = Viewpoint.model_validate({"text": "The rota works", "easy_read": "Your rota is good."})
    assert (wording.what.easy_read, wording.who) == ("Your rota is good.", None)
    assert Viewpoint.model_validate({"what": "The rota works", "who": "Mum"}).who == "Mum"
    with pytest.raises(ValidationError, match="whom"):
        Viewpoint.model_validate({"what": "The rota works", "whom": "Mum"})
    schema = json_schema("plan")
    validator = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/Viewpoint"})
    for good in ("The rota works", {"text": "The rota works", "easy_read": "Your rota is good."},
                 {"what": "The rota works", "who": "Mum"}, {"what": {"text": "The rota works"}}):
        assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors({"what": "The rota works", "whom": "Mum"}))


def test_whose_view_it_is_is_said_and_me_is_you(tmp_path):
    done = easyread.render(EVERY_PART, formats=["txt"], outdir=tmp_path)
    text = done.paths[0].read_text()
    assert "Your medicine box and phone alarm work well.\n- Who says this: Mum" in text
    assert "You have 2 friends there.\n- Who says this: you" in text


def test_a_risk_holds_what_could_happen_how_likely_who_and_the_persons_view(tmp_path):
    done = easyread.render(EVERY_PART, formats=["txt"], outdir=tmp_path)
    safe = done.paths[0].read_text().split("\nStaying safe\n")[1]
    assert safe.index("You could get lost.") < safe.index("This could happen.") < safe.index("You carry a card")
    assert "- Who makes sure: You and Kasia" in safe
    assert "\u201cI know the bus. I want to go on my own like everyone else.\u201d" in safe


def test_decisions_say_what_a_capacity_assessment_found_and_the_words_are_explained(tmp_path):
    done = easyread.render(EVERY_PART, formats=["txt"], outdir=tmp_path)
    text = done.paths[0].read_text().replace("\xa0", " ")  # dates are kept whole with no-break spaces
    assert "Signing the paper to rent a flat\n- When: Wednesday 4 November 2026\n- Other people must help decide." in text
    assert "Ewa Nowak can make decisions for you about your health and care." in text
    assert "Mental capacity: " in text and "Lasting power of attorney: " in text and "Carer's assessment: " in text


def test_a_councils_own_part_is_shown_under_its_name_and_checked_by_the_gate(tmp_path):
    plan = load(EVERY_PART).model_dump(mode="json", exclude_none=True)
    plan["extra"] = {"moving_day": "Notwithstanding the aforementioned considerations, the relocation necessitates "
                                   "comprehensive multidisciplinary coordination prior to implementation."}
    with pytest.raises(TooDenseError) as refused:
        easyread.render(plan, formats=["txt"], outdir=tmp_path)
    refusals = [finding for finding in refused.value.report.findings if finding.level == "refuse"]
    assert refusals and all(finding.source.fields == ("extra.moving_day",) for finding in refusals)
    done = easyread.render(EVERY_PART, formats=["txt"], outdir=tmp_path)
    assert "\nMoving day\n\nYou want to move on a weekday.\n" in done.paths[0].read_text()


@pytest.mark.parametrize("key", ["Moving day", "moving-day", "1st", ""])
def test_a_councils_own_part_needs_a_simple_name(key):
    plan = load(EVERY_PART).model_dump(mode="json", exclude_none=True)
    plan["extra"] = {key: "Words"}
    with pytest.raises(ValidationError, match="extra"):
        Plan.model_validate(plan)


@pytest.mark.parametrize("kind", ["plan", "review"])
def test_the_schema_has_every_new_part_with_easy_read_wording_beside_professional_text(kind):
    schema = json_schema(kind)
    assert set(NEW_PARTS) <= set(schema["properties"])
    medicine = schema["$defs"]["Medicine"]["properties"]
    assert medicine["what_for"]["$ref"] == "#/$defs/Wording"
    assert schema["$defs"]["Risk"]["properties"]["my_view"]["anyOf"][0]["x-own-words"] is True


def test_a_review_keeps_its_old_working_lists():
    review = load(EXAMPLES / "priya-review.yaml")
    assert isinstance(review, Review) and review.working and all(view.who is None for view in review.working)


def test_the_fields_reference_is_made_from_the_models_and_up_to_date():
    from easyread.inputs.fields import reference

    made = reference()
    assert (ROOT / "docs" / "fields.md").read_text() == made, "run: python -m easyread.inputs.fields"
    assert "| `seizure_plan` | list of wording: An epilepsy or seizure plan" in made
    assert "| `my_view` | own words: What the person thinks" in made


def test_a_json_schema_is_published_for_every_kind():
    from easyread.inputs.fields import schemas

    made = schemas()  # the examples are validated against each by test_cli's schema test
    assert sorted(made) == sorted(kinds())
    for kind, text in made.items():
        assert (ROOT / "docs" / "schema" / f"{kind}.json").read_text() == text, "run: python -m easyread.inputs.fields"


@pytest.mark.parametrize(("kind", "purpose"), [("plan", None), ("review", None), ("one-page-profile", None),
                                               ("hospital-passport", None), *(("letter", purpose) for purpose in (
    "review-invitation", "assessment-outcome", "financial-assessment", "safeguarding-next-steps", "change-of-support"))])
def test_lint_has_two_samples_per_kind_every_optional_field_and_none(kind, purpose):
    from easyread.inputs.model import LETTER_PARTS

    full, bare = load(kind_named(kind).sample_file()), load(kind_named(kind).sample_file(minimal=True, purpose=purpose))
    model = kind_named(kind).model_class()
    optional = [name for name, info in model.model_fields.items() if not info.is_required()]
    assert [name for name in optional if getattr(full, name) in (None, [], {})] == []
    needed = {"purpose", LETTER_PARTS[purpose][0]} if purpose else set()  # what the purpose of letter must have
    assert [name for name in optional if name not in needed
            and getattr(bare, name) != model.model_fields[name].get_default(call_default_factory=True)] == []
    assert purpose is None or bare.purpose == purpose


def test_lint_catches_a_part_without_its_if_and_names_the_field(write):
    from easyread.errors import TemplateError
    from easyread.lint import lint

    template = write("mine.md.j2", "{#---\nkind: letter\n---#}\n# Hello {{ person.called }}\n"
                                   ":clock: From **{{ meeting.start | time }}** to **{{ meeting.end | time }}**.\n")
    with pytest.raises(TemplateError) as failed:
        lint(template)
    assert str(failed.value) == ("mine.md.j2:5: meeting.end is empty in this input, and the time filter needs a time: "
                                 "put that part inside {% if meeting.end %} ... {% endif %} (with the sample "
                                 "letter-minimal.yaml, which leaves every optional field empty)")
    fixed = write("fixed.md.j2", "{#---\nkind: letter\n---#}\n# Hello {{ person.called }}\n"
                                 ":clock: From **{{ meeting.start | time }}**{% if meeting.end %} to "
                                 "**{{ meeting.end | time }}**{% endif %}.\n")
    assert lint(fixed).name == "fixed.md.j2 (with the samples letter.yaml and letter-minimal.yaml)"


LETTERS = {"assessment-outcome": "grace-assessment-letter", "financial-assessment": "peter-financial-letter",
           "safeguarding-next-steps": "aisha-safeguarding-letter", "change-of-support": "dylan-change-letter"}


@pytest.mark.parametrize("purpose", list(LETTERS))
def test_each_purpose_of_letter_has_its_own_template_and_example(purpose):
    document = easyread.compose(EXAMPLES / f"{LETTERS[purpose]}.yaml")
    assert document.template == purpose.replace("-", "_") + ".md.j2"


@pytest.mark.parametrize("purpose", list(LETTERS))
def test_a_letter_without_what_its_purpose_is_about_is_refused_naming_the_part(purpose):
    from easyread.errors import InputError
    from easyread.inputs.model import LETTER_PARTS

    letter = load(EXAMPLES / f"{LETTERS[purpose]}.yaml").model_dump(mode="json", exclude_none=True)
    part = LETTER_PARTS[purpose][0]
    del letter[part]
    with pytest.raises(InputError, match=f"a {purpose} letter needs `{part}:`"):
        load(letter)


def test_a_template_for_another_purpose_is_a_clear_error():
    from easyread.errors import TemplateError

    with pytest.raises(TemplateError, match="this template is for a review-invitation letter, but the input is a "
                                            "financial-assessment letter"):
        easyread.compose(EXAMPLES / "peter-financial-letter.yaml", template="review_invitation")


def test_the_letters_say_what_matters_in_each(tmp_path):
    said = {name: " ".join(easyread.render(EXAMPLES / f"{name}.yaml", formats=["txt"], outdir=tmp_path)
                           .paths[0].read_text().replace("\xa0", " ").split()) for name in LETTERS.values()}
    assert "You will pay £42.30 a week towards your care. This starts on Monday 7 December 2026." \
        in said["peter-financial-letter"]
    assert "Please tell us by Wednesday 23 December 2026." in said["peter-financial-letter"]
    assert "You told us: \u201cI want it to stop. I still want to say hello to her. I don't want to move.\u201d" \
        in said["aisha-safeguarding-letter"]
    assert "If you are in danger now, ring 999." in said["aisha-safeguarding-letter"]
    assert "A meeting with you We would like to meet you. We will agree how you stay safe." \
        in said["aisha-safeguarding-letter"]
    assert "What stays the same - You still get 15 hours of support a week" in said["dylan-change-letter"]
    assert "You can get support from the council for some of your needs." in said["grace-assessment-letter"]
    assert "If you do not agree You can ask us to look at our decision again." in said["grace-assessment-letter"]
    # words about plans only in the letters about one; "advocate" only where a meeting says one can come
    assert "Care and support plan:" in said["grace-assessment-letter"] and "Advocate:" not in said["grace-assessment-letter"]
    assert "Care and support plan:" not in said["peter-financial-letter"] and "Advocate:" in said["aisha-safeguarding-letter"]


def test_a_financial_letter_for_someone_who_pays_nothing_says_so(tmp_path):
    letter = load(EXAMPLES / "peter-financial-letter.yaml").model_dump(mode="json", exclude_none=True)
    letter["charge"]["amount"]["amount"] = "0"
    text = easyread.render(letter, formats=["txt"], outdir=tmp_path).paths[0].read_text()
    assert "You do not have to pay anything towards your care." in text and "You will pay" not in text


def test_a_letter_holds_a_councils_own_parts_too(tmp_path):
    letter = load(EXAMPLES / "dylan-change-letter.yaml").model_dump(mode="json", exclude_none=True)
    letter["extra"] = {"your_keys": "Keep your house keys in the key safe by the door."}
    text = easyread.render(letter, formats=["txt"], outdir=tmp_path).paths[0].read_text()
    assert "\nYour keys\n\nKeep your house keys in the key safe by the door.\n" in text
    assert text.index("Your keys") < text.index("Who to contact")
