"""The one-page profile and the hospital passport: two documents written as the person would say them ("I",
"me") for the people who support them, the passport in the red, amber and green parts hospitals know."""

from __future__ import annotations

import subprocess

import pdfplumber
import pytest

import easyread
from easyread.document import sections
from easyread.errors import InputError, TemplateError
from easyread.inputs.kinds import kind_named
from easyread.inputs.loader import load, load_text
from easyread.inputs.model import HospitalPassport, OnePageProfile
from easyread.presentation.layout import Idea, leads_into, rows
from tests.conftest import EXAMPLES, run_cli

PROFILE = EXAMPLES / "ellie-one-page-profile.yaml"
PASSPORT = EXAMPLES / "ellie-hospital-passport.yaml"


def text_of(source, tmp_path, profile: str = "easy-read") -> str:
    """The accessible text of a render, with no-break spaces as spaces and lines joined by single spaces."""
    done = easyread.render(source, formats=["txt"], profile=profile, outdir=tmp_path / profile)
    return " ".join(done.paths[0].read_text().replace("\xa0", " ").split())


@pytest.mark.parametrize(("example", "model", "template", "subject"), [
    (PROFILE, OnePageProfile, "one_page_profile.md.j2", "One-page profile"),
    (PASSPORT, HospitalPassport, "hospital_passport.md.j2", "Hospital passport"),
])
def test_each_kind_has_its_template_and_speaks_as_the_person(example, model, template, subject):
    assert isinstance(load(example), model)
    document = easyread.compose(example)
    assert (document.template, document.subject, document.addressed) == (template, subject, False)
    assert document.title == "Ellie's " + subject[0].lower() + subject[1:]
    assert easyread.compose(EXAMPLES / "tom-plan.yaml").addressed  # a plan still speaks to the person


@pytest.mark.parametrize("profile", ["easy-read", "large-print"])
def test_the_passport_is_red_then_amber_then_green(profile, tmp_path):
    said = text_of(PASSPORT, tmp_path, profile)
    red, amber, green = (said.index(f"{colour}: ") for colour in ("Red", "Amber", "Green"))
    assert red < said.index("My NHS number is 999 246 8130.") < said.index("My allergies:") < amber
    assert amber < said.index("When I am in pain or ill:") < said.index("Keeping me safe:") < green
    assert green < said.index("I like: - Horses") < said.index("\u201cPlease talk to me first. I know what hurts.\u201d")
    # who to ring first, then what staff must know about decisions, is in the red part
    assert red < said.index("My allergies:") < said.index("Who to contact about me") < said.index("My health:") \
        < said.index("I make these decisions with help:") < amber


def test_the_traffic_lights_are_pictures_beside_the_headings_and_words_in_them():
    document = easyread.compose(PASSPORT, profile="easy-read")
    headings = {section.title: section.symbol for section in sections(document)}
    assert headings["Red: things you must know about me"] == "traffic-light-red"
    assert headings["Amber: things that are really important to me"] == "traffic-light-amber"
    assert headings["Green: my likes and dislikes"] == "traffic-light-green"
    assert {document.symbols[name].code for name in ("traffic-light-red", "traffic-light-amber",
                                                     "traffic-light-green")} == {"1F534", "1F7E0", "1F7E2"}
    # no words choose them: "a green bin" is a bin
    assert easyread.compose(EXAMPLES / "tom-plan.yaml").symbols.keys().isdisjoint(
        {"traffic-light-red", "traffic-light-amber", "traffic-light-green"})


def test_the_shared_parts_speak_as_i_in_the_passport_and_as_you_in_a_plan(tmp_path):
    passport, plan = text_of(PASSPORT, tmp_path), text_of(EXAMPLES / "tom-plan.yaml", tmp_path)
    for mine, yours in (("How to understand me", "How to understand you"), ("When I am in pain or ill:",
                        "When you are in pain or ill:"), ("My medicines:", "Your medicines:"),
                        ("I make these decisions with help:", "You make these decisions with help:")):
        assert mine in passport and yours not in passport
        assert yours in plan and mine not in plan


def test_a_passport_that_does_not_say_about_allergies_asks_never_says_none(tmp_path):
    said = text_of(kind_named("hospital-passport").sample_file(minimal=True), tmp_path)
    assert "This passport does not say if I have allergies. Please ask." in said
    assert "Please ask me, or the people who know me well." in said and "Please ask me what I like." in said
    assert "allergies:" not in said.lower().replace("if i have allergies", "")


def test_wording_about_the_person_is_refused_in_a_document_in_their_voice():
    # a passport is the person speaking: "I need my food cut up small", never "She needs ..." (issue 34)
    passport = load(PASSPORT).model_dump(mode="json", exclude_none=True)
    passport["important_to_me"]["eating_and_drinking"] = ["She needs her food cut up small."]
    report = easyread.check(easyread.compose(passport))
    (finding,) = [f for f in report.findings if f.rule == "speaks-to-you"]
    assert finding.level == "refuse" and "'I need ...'" in finding.fix


@pytest.mark.parametrize(("given", "kept"), [("9992468130", "999 246 8130"), ("999 246 8130", "999 246 8130"),
                                             ("943 476 5919", "943 476 5919")])
def test_an_nhs_number_is_kept_in_its_usual_spacing(given, kept):
    passport = load(PASSPORT).model_dump(mode="json", exclude_none=True)
    passport["nhs_number"] = given
    assert load(passport).nhs_number == kept


@pytest.mark.parametrize("wrong", ["999 246 8131", "943 476 5918", "999 123 4560"])
def test_an_nhs_number_with_a_wrong_check_digit_is_refused_naming_the_line(wrong):
    text = PASSPORT.read_text().replace('nhs_number: "999 246 8130"', f'nhs_number: "{wrong}"')
    line = next(number for number, row in enumerate(text.splitlines(), 1) if row.startswith("nhs_number:"))
    with pytest.raises(InputError) as refused:
        load_text(text, "ellie.yaml")
    [problem] = refused.value.problems
    assert (problem.field, problem.line) == ("nhs_number", line)
    assert "is not a valid NHS number (its last digit does not check)" in problem.message


def test_a_one_page_profile_needs_its_three_parts():
    profile = load(PROFILE).model_dump(mode="json", exclude_none=True)
    for part in ("admired_for", "important_to_me", "how_to_support_me"):
        broken = {key: value for key, value in profile.items() if key != part}
        with pytest.raises(InputError) as refused:
            load(broken)
        assert [(p.field, p.message) for p in refused.value.problems] == [(part, "is required but missing; add it")]


def test_the_person_s_words_and_what_others_admire_are_said_with_whose_they_are(tmp_path):
    said = text_of(PROFILE, tmp_path)
    assert "Ellie remembers everyone's birthday. - Who says this: Mum" in said
    assert "- I am good at looking after animals." in said  # no one named: a plain item
    assert "\u201cRinging my mum every night at 7 o'clock.\u201d" in said
    assert "We wrote it on 20 November 2026." in said


def test_a_lead_in_that_holds_its_list_does_not_hold_on_to_the_next_row(tmp_path):
    document = easyread.compose(PASSPORT, profile="large-print")
    red = next(section for section in sections(document) if section.title.startswith("Red"))
    items = rows(red.blocks, document.symbols, pictures=False)
    with_list = [item for item in items if isinstance(item, Idea) and item.details is not None]
    assert with_list and not any(leads_into(item, items[items.index(item) + 1]) for item in with_list)
    # so the large-print pages fill up: what staff must know starts on page 1, the medicines with it
    done = easyread.render(PASSPORT, formats=["pdf"], profile="large-print", outdir=tmp_path)
    with pdfplumber.open(done.paths[0]) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    assert "Red: things you must know about me" in pages[0] and "Penicillin" in pages[0]
    assert len(pages) <= 5


def test_a_template_header_that_is_not_yaml_names_the_line(write):
    template = write("mine.md.j2", "{#---\nkind: hospital-passport\ndescription: Red: must know\n---#}\n# Hi\n")
    with pytest.raises(TemplateError) as failed:
        easyread.compose(PASSPORT, template=template)
    assert str(failed.value).startswith("mine.md.j2:3: the header is not valid YAML")
    assert "put a value that holds ': ' or '#' in quotes" in str(failed.value)


def test_templates_list_and_schema_name_the_new_kinds():
    listing = run_cli("templates", "list").stdout.splitlines()
    kinds = {line.split()[0]: line.split()[1] for line in listing}
    assert kinds["one_page_profile"] == "one-page-profile" and kinds["hospital_passport"] == "hospital-passport"
    assert len({line.index(line.split()[2]) for line in listing}) == 1  # the descriptions line up
    for kind in ("one-page-profile", "hospital-passport"):
        assert run_cli("schema", kind).returncode == 0
    wrong = run_cli("render", "-", "--to", "txt", stdin="kind: passport\n")
    assert wrong.returncode != 0
    assert "kind must be plan, review, letter, one-page-profile or hospital-passport" in wrong.stderr


def test_the_examples_render_in_every_visual_format_and_audio(tmp_path):
    done = easyread.render(PASSPORT, formats=["docx", "html", "mp3"], outdir=tmp_path)
    assert [path.suffix for path in done.paths] == [".docx", ".html", ".mp3"]
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "csv=p=0", str(done.paths[2])],
                           capture_output=True, text=True, check=True).stdout
    assert "Red: things you must know about me" in probe and "Green: my likes and dislikes" in probe
