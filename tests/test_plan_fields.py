"""The parts a real plan, passport and letter carry (issue 37): the person's date of birth, NHS number, language
and interpreter, health action plan parts, how to support them, faith and culture; a council's own parts with
their own headings; notice and safeguarding outcome letters; lint of a template's own parts; the house style's
keys, body size per profile and font files."""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile

import docx
import pdfplumber
import pytest
import yaml

import easyread
from easyread.composer import compose, name_as_heading, with_article
from easyread.errors import InputError, TemplateError
from easyread.inputs.house_style import load_house_style
from easyread.inputs.loader import load
from easyread.inputs.profile import get_profile
from easyread.lint import lint
from easyread.presentation.layout import Layout
from tests.conftest import EXAMPLES, run_cli
from tests.test_brf import read_back

TOM = EXAMPLES / "tom-plan.yaml"
NOTICE = EXAMPLES / "bernard-charging-notice.yaml"
OUTCOME = EXAMPLES / "aisha-safeguarding-outcome.yaml"
# what Tom's plan says from each new field, in the words of every format
TOM_SAYS = [
    "You were born on 14 June 2001.", "Your NHS number is 999 765 4323.",  # person.date_of_birth, nhs_number
    "Your first language is Polish.", "You need a Polish interpreter.",  # first_language, interpreter
    "Your review in May.",  # interpreter.booked_for
    "The interpreter should be:", "In person, not on the phone",  # interpreter.preferences
    "Your eyes:", "You wear glasses for reading.", "Your hearing:", "Your teeth:", "Your feelings and mental health:",
    "How to support you", "Give you one thing to do at a time.",  # how_to_support_me
    "Your faith and culture", "You are Catholic.",  # faith_and_culture
    "A Polish interpreter will help you at the review.",  # the review, with the interpreter the person needs
]


def problems(source) -> dict[str | None, str]:
    with pytest.raises(InputError) as raised:
        load(source)
    return {problem.field: problem.message for problem in raised.value.problems}


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def in_order(text: str, parts: list[str]) -> list[str]:
    """The parts not found in `text` one after another (each after the one before): [] when all are, in order."""
    place, missing = 0, []
    for part in parts:
        found = text.find(part, place)
        if found < 0:
            missing.append(part)
        else:
            place = found + len(part)
    return missing


# --- the person's parts ------------------------------------------------------------------------


@pytest.mark.slow
def test_every_new_plan_field_is_shown_in_every_format():
    done = easyread.render_bytes(TOM, formats=["txt", "docx", "pdf", "html", "epub", "speech.txt", "brf"])
    txt = flat(done.content("txt").decode())
    word = docx.Document(io.BytesIO(done.content("docx")))
    in_word = flat(" ".join("".join(t.text or "" for t in paragraph.iter(docx.oxml.ns.qn("w:t")))
                            for paragraph in word.element.iter(docx.oxml.ns.qn("w:p"))))
    with pdfplumber.open(io.BytesIO(done.content("pdf"))) as pdf:
        in_pdf = flat(" ".join(page.extract_text() for page in pdf.pages))
    html = flat(re.sub(r"<[^>]+>", "", done.content("html").decode()))
    with zipfile.ZipFile(io.BytesIO(done.content("epub"))) as book:
        in_epub = flat(re.sub(r"<[^>]+>", "", " ".join(book.read(name).decode() for name in book.namelist()
                                                      if name.endswith(".xhtml"))))
    for said in TOM_SAYS:
        assert said in txt, said
        assert said in in_word, said
        assert said in in_pdf, said
        assert said in html, said
        assert said in in_epub, said
    assert "999\xa0765\xa04323" in done.content("html").decode()  # never split across lines
    spoken = done.content("speech.txt").decode()
    assert "Your N H S number is 9 9 9, 7 6 5, 4 3 2 3." in spoken  # digit by digit, not "nine hundred and ..."
    assert "You need a Polish interpreter." in spoken and "You are Catholic." in spoken
    braille = read_back(done.content("brf")).lower()
    assert all(word in braille for word in ("polish interpreter", "catholic", "glasses", "dentist", "born"))


def test_a_review_says_who_the_person_is_and_their_language(plan):
    review = yaml.safe_load((EXAMPLES / "priya-review.yaml").read_text())
    review["person"].pop("photo")
    for contact in review["contacts"]:
        contact.pop("photo", None)
    review["person"].update(date_of_birth="1990-02-01", nhs_number="9434765919", first_language="Gujarati")
    review["person"]["information_needs"]["interpreter"] = True
    text = flat(easyread.render_bytes(review, formats=["txt"]).content("txt").decode())
    assert "You were born on 1 February 1990. Your NHS number is 943 476 5919." in text
    assert "Your first language is Gujarati. You need a Gujarati interpreter." in text
    assert "A Gujarati interpreter will help you at the review." in text


def test_a_passport_takes_the_identifiers_under_person_or_at_the_top_but_refuses_two_different_ones():
    passport = yaml.safe_load((EXAMPLES / "ellie-hospital-passport.yaml").read_text())
    top = passport.pop("nhs_number")
    passport["person"]["nhs_number"] = top
    text = flat(easyread.render_bytes(passport, formats=["txt"]).content("txt").decode())
    assert f"My NHS number is {top}." in text
    passport["nhs_number"] = "943 476 5919"
    said = problems(passport)
    assert said[None].endswith("nhs_number is 943 476 5919 here and 999 246 8130 under person.nhs_number: they must "
                               "be the same person's; give it once, under person:")


def test_an_nhs_number_under_person_is_checked_in_every_kind(plan):
    plan["person"]["nhs_number"] = "943 476 5918"
    assert "is not a valid NHS number (its last digit does not check)" in problems(plan)["person.nhs_number"]


@pytest.mark.parametrize(("given", "language"), [(True, "Welsh"), ("Urdu", "Urdu"),
                                                 ({"language": "British Sign Language"}, "British Sign Language")])
def test_an_interpreter_is_true_a_language_or_a_part_of_its_own(plan, given, language):
    plan["person"]["first_language"] = "Welsh"
    plan["person"]["information_needs"] = {"interpreter": given}
    assert load(plan).person.interpreter_language == language
    text = flat(easyread.render_bytes(plan, formats=["txt"]).content("txt").decode())
    assert f"You need {with_article(language)} {language} interpreter." in text


def test_an_interpreter_with_no_language_anywhere_says_where_to_give_one(plan):
    plan["person"]["information_needs"] = {"interpreter": True}
    assert problems(plan)["person"].endswith("information_needs.interpreter: say which language, in "
                                             "`interpreter.language:` or `information_needs.language:` (or the "
                                             "person's `first_language:`)")


@pytest.mark.parametrize(("word", "article"), [("Urdu", "an"), ("Ukrainian", "a"), ("Polish", "a"),
                                               ("Arabic", "an"), ("NHS", "an"), ("British Sign Language", "a"),
                                               ("Somali", "a"), ("Spanish", "a"), ("SEN", "an")])
def test_a_or_an_is_as_said(word, article):
    assert with_article(word) == article


def test_a_one_page_profile_shows_faith_and_language_in_the_persons_voice():
    profile = yaml.safe_load((EXAMPLES / "ellie-one-page-profile.yaml").read_text())
    profile["person"]["first_language"] = "Bengali"
    profile["faith_and_culture"] = ["I pray on Fridays."]
    text = flat(easyread.render_bytes(profile, formats=["txt"]).content("txt").decode())
    assert "My first language is Bengali." in text and "My faith and culture" in text and "I pray on Fridays." in text


@pytest.mark.parametrize(("given", "meant"), [("faith", "faith_and_culture"), ("how_to_support", "how_to_support_me"),
                                              ("strenghts", "strengths")])
def test_an_unknown_field_names_a_longer_field_it_is_a_word_of(plan, given, meant):
    plan[given] = ["Something"]
    said = problems(plan)[given]
    assert said.startswith(f"is not a field easyread knows{f' (did you mean {meant!r}?)' if meant else ''}; "
                           "check the spelling, or keep a part of your own under `extra:`")


# --- a council's own parts ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "heading"), [("nhs_number", "NHS number"), ("my_gp", "My GP"),
                                               ("bsl_support", "BSL support"), ("pip_review", "PIP review"),
                                               ("moving_day", "Moving day"), ("why", "Why")])
def test_a_heading_from_a_name_keeps_its_acronyms(name, heading):
    assert name_as_heading(name) == heading


def test_an_extra_part_with_a_title_keeps_its_capitals(plan):
    plan["extra"] = {"nhs_number": "Keep your NHS letter safe.",
                     "ehc": {"title": "Your EHC plan", "lines": "Your school has a copy."}}
    text = flat(easyread.render_bytes(plan, formats=["txt"]).content("txt").decode())
    assert "NHS number Keep your NHS letter safe." in text and "Your EHC plan - Your school has a copy." in text


def test_a_part_the_template_shows_is_not_shown_again_at_the_end(write):
    letter = yaml.safe_load(NOTICE.read_text())
    letter["extra"] = {"current_charge": "You pay £40 a week now.", "helpline": "Our helpline is open every day."}
    template = write("charging.md.j2", '{% import "_common.md.j2" as common %}\n# Your charge\n'
                                       ":money: {{ extra.current_charge }}\n{{ common.letter_closing(plan) }}\n")
    text = easyread.render_bytes(letter, formats=["txt"], template=template).content("txt").decode()
    assert flat(text).count("You pay £40 a week now.") == 1
    assert "Helpline\n\nOur helpline is open every day." in text


def test_a_part_an_input_leaves_out_is_false_in_an_if_and_named_when_printed(write):
    letter = yaml.safe_load(NOTICE.read_text())
    guarded = write("guarded.md.j2", "# Charge\n{% if extra.new_charge %}\n:money: {{ extra.new_charge }}\n"
                                     "{% endif %}\n:money: We wrote to you.\n")
    assert "We wrote to you." in easyread.render_bytes(letter, formats=["txt"], template=guarded).content("txt").decode()
    bare = write("bare.md.j2", "# Charge\n:money: {{ extra.new_charge }}\n")
    with pytest.raises(TemplateError) as failed:
        compose(letter, template=bare)
    assert ("the template uses extra.new_charge, a part of the council's own that this input does not have: add "
            "`new_charge:` under `extra:` in the input (a letter from a batch gets it from its row), or put that part "
            "inside {% if extra.new_charge %} ... {% endif %} if some inputs will not have it; a part every input has "
            "is named in the template's header (`extra: new_charge`)") in str(failed.value)


# --- lint and a template's own parts -----------------------------------------------------------


CHARGING = ("{{#---\nkind: letter\npurpose: notice\n{declared}---#}}\n{{% import \"_common.md.j2\" as common %}}\n"
            "# Changes to what you pay\n:money: Now you pay {{{{ extra.current_charge }}}}.\n"
            "{{% if extra.new_charge %}}\n:money: From April you will pay {{{{ extra.new_charge }}}}.\n{{% endif %}}\n"
            "{{{{ common.letter_closing(plan) }}}}\n")


def test_lint_fills_the_parts_a_template_asks_for_and_those_every_input_has(write):
    undeclared = write("charging.md.j2", CHARGING.format(declared=""))
    with pytest.raises(TemplateError) as failed:
        lint(undeclared)  # the sample with no optional part has no current_charge: it needs its if, or a declaration
    assert "extra.current_charge" in str(failed.value) and "letter-notice-minimal.yaml" in str(failed.value)
    declared = write("declared.md.j2", CHARGING.format(declared="extra: current_charge\n"))
    report = lint(declared)
    assert not report.refused and report.sentences > 10


def test_lint_gives_an_amount_to_a_part_the_template_uses_as_money(write):
    template = write("money.md.j2", "{#---\nkind: letter\npurpose: notice\nextra: new_charge\n---#}\n# Your charge\n"
                                    ":money: From April you pay {{ extra.new_charge | money }}.\n{% if extra.old_charge %}\n"
                                    ":money: Now you pay {{ extra.old_charge.amount | amount }}.\n{% endif %}\n")
    assert not lint(template).refused


def test_templates_lint_all_lists_every_warning_and_the_summary_names_it():
    shown = run_cli("templates", "lint", "notice")
    assert shown.returncode == 0, shown.stderr
    assert "`easyread templates lint --all notice` lists them." in shown.stderr
    every = run_cli("templates", "lint", "--all", "notice")
    assert every.returncode == 0 and "About the whole text:" in every.stderr and "lists them" not in every.stderr


# --- the two new letters -----------------------------------------------------------------------


def test_a_notice_says_what_is_changing_when_what_it_means_what_to_do_and_who_to_ask():
    text = flat(easyread.render_bytes(NOTICE, formats=["txt"]).content("txt").decode())
    order = ["This letter tells you about a change.", "What is changing", "It will go up from £250 to £275.",
             "It starts on Monday 5 April 2027.", "Why it is changing", "What it means for you",
             "Most people will pay the same as now.", "What you can do", "Ask us to look at your money again.",
             "Please tell us what you think by Friday 26 February 2027.", "Who to ask",
             "If you have a question, please ring us on 01632 960 450."]
    assert in_order(text, order) == []
    assert "We looked at your money" not in text  # not the financial assessment's opening


def test_a_notice_names_who_to_ask_and_needs_its_part():
    letter = yaml.safe_load(NOTICE.read_text())
    letter["notice"]["who_to_ask"] = {"name": "Charging Helpline", "role": "Answers questions about charges",
                                      "phone": "01632 960 451"}
    text = flat(easyread.render_bytes(letter, formats=["txt"]).content("txt").decode())
    assert "If you have a question, please ask: Charging Helpline" in text
    letter["notice"]["who_to_ask"] = letter["sender"]  # the sender's card is at the end: said once
    text = flat(easyread.render_bytes(letter, formats=["txt"]).content("txt").decode())
    assert "please ask Financial Assessment Team. Ring them on 01632 960 450." in text
    assert text.count("Works out what people pay towards their care") + text.count(
        "The team that works out what you pay for your care") == 1
    del letter["notice"]
    assert problems(letter)[None].endswith("a notice letter needs `notice:` (what is changing, when it starts and "
                                           "what it means for the reader)")


def test_a_safeguarding_outcome_letter_has_its_four_parts_in_order():
    text = flat(easyread.render_bytes(OUTCOME, formats=["txt"]).content("txt").decode())
    order = ["This letter says what we found out and what we decided.", "What someone told us", "What you wanted",
             "We did what you wanted.", "What we found out", "The neighbour took £340", "What we decided",
             "You do not have to move.", "What happens next", "Ben will ring you in March.", "If you do not agree",
             "You can ask a manager to look at it again.", "An advocate can help you say what you think.",
             "We will book an Urdu interpreter for the meeting."]
    assert in_order(text, order) == []
    assert "This letter says what happens next." not in text  # the next-steps letter's opening


def test_a_safeguarding_outcome_letter_needs_what_was_found_and_decided_and_has_a_right_to_challenge():
    letter = yaml.safe_load(OUTCOME.read_text())
    del letter["safeguarding"]["right_to_challenge"]
    text = flat(easyread.render_bytes(letter, formats=["txt"]).content("txt").decode())
    assert "You can tell us if you do not agree with what we decided. You can ask for someone else to look at it " \
           "again." in text
    del letter["safeguarding"]["what_we_found"]
    assert problems(letter)[None].endswith("a safeguarding-outcome letter needs `safeguarding.what_we_found:` (what "
                                           "the enquiry found); for a letter before the enquiry ends, use purpose: "
                                           "safeguarding-next-steps")


def test_the_schema_has_every_new_field_and_kind():
    schema = json.loads(run_cli("schema", "letter").stdout)
    text = json.dumps(schema)
    assert all(word in text for word in ("safeguarding-outcome", '"notice"', "what_we_found", "right_to_challenge",
                                         "what_it_means_for_you"))
    plan = json.dumps(json.loads(run_cli("schema", "plan").stdout))
    assert all(word in plan for word in ("date_of_birth", "nhs_number", "first_language", "interpreter", "eyesight",
                                         "mental_health", "how_to_support_me", "faith_and_culture", "ExtraPart"))


# --- house style -------------------------------------------------------------------------------


def house_problems(write, text: str) -> dict[str | None, str]:
    with pytest.raises(InputError) as raised:
        load_house_style(write("style.yaml", text))
    return {problem.field: problem.message for problem in raised.value.problems}


def test_an_unknown_house_style_key_names_the_keys_there(write):
    said = house_problems(write, 'name: A Council\ncolours: {text: "#111111", accent: "#00427A"}\ncolour: blue\n')
    assert said["colours.accent"] == "is not a house-style key; the keys here are: headings, text"
    assert said["colour"] == ("is not a house-style key (did you mean 'colours'?); the keys here are: body_pt, "
                              "colours, contact, font, font_files, logo, name")


def test_a_house_style_sets_a_body_size_for_each_profile(write):
    style = load_house_style(write("style.yaml", "name: A Council\nbody_pt: {easy-read: 14, large-print: 18}\n"))
    document = compose(EXAMPLES / "bernard-charging-notice.yaml")
    sizes = [Layout.of(document, get_profile(name).with_house_style(style)).body_pt
             for name in ("easy-read", "large-print")]
    assert sizes == [14, 18]
    said = house_problems(write, "name: A Council\nbody_pt: {large_print: 18}\n")
    assert said["body_pt"].startswith("'large_print' is not a profile (did you mean 'large-print'?)")
    said = house_problems(write, "name: A Council\nbody_pt: {easy-read: huge}\n")
    assert said["body_pt"] == "easy-read: expected a size in points, more than 0 and at most 72, like 16; got 'huge'"


@pytest.fixture
def font_folder(tmp_path):
    from fontTools.ttLib import TTFont

    folder = tmp_path / "style"
    folder.mkdir()
    source = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    font = TTFont(source)
    font.save(folder / "House.ttf")
    font["OS/2"].fsType = 2  # restricted licence: no embedding
    font.save(folder / "Restricted.ttf")
    return folder


@pytest.mark.slow
def test_the_house_font_files_are_embedded_in_the_pdf(font_folder):
    (font_folder / "style.yaml").write_text("name: Northmoor Council\nfont: DejaVu Sans\nfont_files: [House.ttf]\n")
    done = easyread.render_bytes(NOTICE, formats=["pdf"], house_style=font_folder / "style.yaml")
    import pikepdf

    with pikepdf.open(io.BytesIO(done.content("pdf"))) as read:
        names = {str(f.get("/BaseFont", "")) for page in read.pages for f in page.Resources.Font.values()}
    assert any(name.endswith("+DejaVuSans") for name in names), names
    assert not [note for note in done.notes if "house font" in note]


def test_a_font_file_that_may_not_be_embedded_or_is_another_font_is_refused(font_folder):
    (font_folder / "style.yaml").write_text("name: A Council\nfont: Verdana\nfont_files: [House.ttf, Restricted.ttf, "
                                            "missing.ttf, style.yaml]\n")
    with pytest.raises(InputError) as raised:
        load_house_style(font_folder / "style.yaml")
    said = [(problem.field, problem.message) for problem in raised.value.problems]
    assert said[0] == ("font_files[0]", "'House.ttf' is the font DejaVu Sans, not Verdana: give the files of Verdana, "
                                        "or set font: to their name")
    assert said[2] == ("font_files[2]", "'missing.ttf' is not there; give the font file's name relative to the house "
                                        "style file")
    assert said[3][1].startswith("'style.yaml' is not a font file easyread can read")
    (font_folder / "style.yaml").write_text("name: A Council\nfont: DejaVu Sans\nfont_files: [Restricted.ttf]\n")
    with pytest.raises(InputError) as raised:
        load_house_style(font_folder / "style.yaml")
    assert raised.value.problems[0].message.startswith("'Restricted.ttf': the font's licence does not let a document "
                                                       "embed it (OS/2 fsType says restricted)")


def test_the_shipped_schema_and_fields_reference_cover_the_letters(plan):
    fields = (EXAMPLES.parent / "docs" / "fields.md").read_text()
    assert all(word in fields for word in ("what_is_changing", "what_we_decided", "faith_and_culture", "booked_for"))
    data = copy.deepcopy(plan)
    data["how_to_support_me"] = ["Give you time."]
    assert load(data).how_to_support_me[0].text == "Give you time."


def test_the_persons_language_and_the_help_to_take_part_are_said_to_them_and_noted_for_the_worker(plan):
    plan["person"]["first_language"] = "Somali"
    plan["person"]["information_needs"] = {"language": "Somali", "interpreter": True,
                                           "communication_support": ["A female interpreter, in person"]}
    done = easyread.render_bytes(plan, formats=["txt"])
    text = flat(done.content("txt").decode())
    assert ("Your first language is Somali. People should speak to you in Somali. They should give you information "
            "in Somali. You need a Somali interpreter. You need this help to take part: - A female interpreter, in "
            "person") in text
    assert done.notes == ["Ada wants information in Somali, and easyread writes English: arrange a translation, or "
                          "an interpreter to go through the plan with them"]


def test_a_passport_says_on_its_first_page_that_an_interpreter_is_needed():
    passport = yaml.safe_load((EXAMPLES / "ellie-hospital-passport.yaml").read_text())
    passport["person"]["first_language"] = "Polish"
    passport["person"]["information_needs"]["interpreter"] = {"booked_for": ["My operation."]}
    text = flat(easyread.render_bytes(passport, formats=["txt"]).content("txt").decode())
    assert text.count("I need a Polish interpreter.") == 1
    assert text.index("I need a Polish interpreter.") < text.index("My allergies") < text.index("My language")
    assert "We booked an interpreter for: - My operation." in text


def test_a_plan_wording_in_the_persons_voice_is_warned_but_a_quote_is_not(plan):
    plan["how_to_support_me"] = ["Check I have understood.", 'Say "I am here" when you come in.']
    report = easyread.check(easyread.compose(plan))
    said = [(f.sentence, f.level) for f in report.findings if f.rule == "speaks-to-you"]
    assert said == [("Check I have understood.", "warn")]


def test_an_amount_of_the_councils_own_prints_as_money_and_a_wrong_shape_is_one_message(write):
    letter = yaml.safe_load(NOTICE.read_text())
    letter["extra"] = {"new_charge": {"amount": "85.85", "per": "week"}}
    template = write("t.md.j2", "# Charge\n:money: From April you pay {{ extra.new_charge }}.\n")
    text = flat(easyread.render_bytes(letter, formats=["txt"], template=template).content("txt").decode())
    assert "From April you pay £85.85 a week." in text
    assert "New charge £85.85 a week" in flat(easyread.render_bytes(letter, formats=["txt"]).content("txt").decode())
    letter["extra"] = {"new_charge": {"amount": "lots"}}  # an amount by its keys: what is wrong with it
    said = problems(letter)
    assert said["extra.new_charge.amount"].startswith("input should be a valid decimal")
    assert said["extra.new_charge.per"] == "is required but missing; add it"
    letter["extra"] = {"new_charge": {"cost": 5}}  # no shape at all: the shapes there are
    said = problems(letter)
    assert list(said) == ["extra.new_charge"]
    assert said["extra.new_charge"].startswith("a part of the council's own is a wording (`text:`, with `easy_read:` "
                                               "beside it if you like), a list of them, an amount with how often "
                                               "(`amount: 85.85` and `per: week`), or a part with a `title:`")


def test_one_body_size_under_large_prints_minimum_says_how_to_give_one_per_profile(write):
    from easyread.errors import UsageError

    style = load_house_style(write("style.yaml", "name: A Council\nbody_pt: 14\n"))
    with pytest.raises(UsageError) as refused:
        get_profile("large-print").with_house_style(style)
    assert str(refused.value) == ("the house style's body_pt 14 is under the large-print minimum of 16pt; use 16 or "
                                  "more, or give one size for each profile, like {easy-read: 14, large-print: 16}")


def test_checks_summary_names_the_file_and_options_to_list_everything():
    checked = run_cli("check", str(OUTCOME), "--profile", "easy-read")
    assert f"`easyread check --all --profile easy-read {OUTCOME}` lists them." in checked.stderr


@pytest.mark.slow
def test_a_batch_says_each_note_once_with_how_many_documents_and_keeps_it_in_the_report(write, tmp_path):
    style = write("style.yaml", "name: Northmoor Council\nfont: Made Up Sans\n")
    letters = EXAMPLES / "letters"
    done = run_cli("render", str(letters / "invitations.csv"), "--base", str(letters / "invitation-base.yaml"),
                   "--to", "pdf", "-o", str(tmp_path / "out"), "--house-style", str(style))
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "house font" in line]
    assert said == ["easyread: note: pdf: the house font Made Up Sans is not installed here (or its licence does not "
                    "let a document embed it), so the PDF is in Atkinson Hyperlegible; give its files in the house "
                    "style's font_files, or install it, to embed it (5 of 5 documents)"]
    report = json.loads((tmp_path / "out" / "easyread-report.json").read_text())
    assert all(len(document["notes"]) == 1 for document in report["documents"])


@pytest.mark.parametrize(("pronouns", "refused"), [(None, True), ("he/him", False), ("she/her", True),
                                                   ("they/them", False)])
def test_a_he_or_she_that_cannot_be_the_person_by_their_pronouns_is_someone_else(plan, pronouns, refused):
    plan["person"]["pronouns"] = pronouns
    plan["strengths"] = ["She speaks Tigrinya."]
    report = easyread.check(easyread.compose(plan))
    assert any(f.rule == "speaks-to-you" and f.level == "refuse" for f in report.findings) == refused


def test_a_batchs_house_style_mistake_is_said_once_naming_its_file(write, tmp_path):
    style = write("style.yaml", 'name: Northmoor Council\ncolours: {links: "#00427A"}\n')
    letters = EXAMPLES / "letters"
    done = run_cli("render", str(letters / "invitations.csv"), "--base", str(letters / "invitation-base.yaml"),
                   "--to", "txt", "-o", str(tmp_path / "out"), "--house-style", str(style))
    assert done.returncode == 2
    assert done.stderr.count("is not a house-style key") == 1 and f"{style}:2: colours.links" in done.stderr
    assert not (tmp_path / "out").exists()


def test_check_checks_every_rows_letter_with_its_base(write):
    table = EXAMPLES / "letters" / "invitations.csv"
    checked = run_cli("check", str(table))
    assert checked.returncode == 2
    assert f"is letter data: check every row's letter with `easyread check {table} --base BASE`" in checked.stderr
    base = write("base.yaml", NOTICE.read_text() + "extra:\n  new_charge: {per: week}\n")
    rows = write("rows.csv", "person.name,extra.new_charge.amount,profile\nAnn Lee,70.83,\nBob Ray,,\n"
                             "Cal Roe,12.00,large-print\n")
    checked = run_cli("check", str(rows), "--base", str(base))
    assert checked.returncode == 2
    assert checked.stderr.splitlines() == [
        f"{rows}:1: passed for easy-read",
        f"{rows}:2: cannot be a letter: 1 problem in the input: {rows}:3: row 2, column 'extra.new_charge.amount': is "
        "required but missing; add it",
        f"{rows}:3: passed for large-print"]


def test_a_soft_default_picture_may_be_given_with_its_question_mark(write):
    template = write("t.md.j2", '{% import "_common.md.j2" as common %}\n# T\n{{ common.said("You go by bus.", "bus?") }}\n')
    document = compose(NOTICE, template=template)
    assert "bus" in document.symbols


def test_a_notice_shows_the_councils_own_parts_before_who_to_ask_and_only_once():
    letter = yaml.safe_load(NOTICE.read_text())
    letter["extra"] = {"your_new_charge": {"amount": "17.50", "per": "week"}}
    text = flat(easyread.render_bytes(letter, formats=["txt"]).content("txt").decode())
    assert in_order(text, ["What it means for you", "Your new charge £17.50 a week", "Who to ask"]) == []
    assert text.count("£17.50 a week") == 1


def test_an_outcome_letter_says_when_the_enquiry_ended():
    text = flat(easyread.render_bytes(OUTCOME, formats=["txt"]).content("txt").decode())
    assert in_order(text, ["What we found out", "We finished looking into it on Friday 15 January 2027.",
                           "We talked with you"]) == []


def test_a_one_page_profile_leaves_out_the_interpreter_bookings():
    profile = yaml.safe_load((EXAMPLES / "ellie-one-page-profile.yaml").read_text())
    profile["person"]["first_language"] = "Tigrinya"
    profile["person"]["information_needs"].update(language="Tigrinya", interpreter={
        "preferences": ["a man", "in person"], "booked_for": ["My review."]})
    text = flat(easyread.render_bytes(profile, formats=["txt"]).content("txt").decode())
    assert ("My language My first language is Tigrinya. Please speak to me and give me information in Tigrinya. I "
            "need a Tigrinya interpreter. The interpreter should be: - a man - in person") in text
    assert "booked" not in text  # a profile lasts; a booking does not


def test_a_sign_language_interpreter_is_pictured_signing(plan):
    from easyread.document import Statement, pictured_blocks

    plan["person"]["information_needs"] = {"interpreter": "British Sign Language"}
    pictured = {block.text: block.symbol for block in pictured_blocks(compose(plan)) if isinstance(block, Statement)}
    assert pictured["You need a British Sign Language interpreter."] == "sign-language"
    assert pictured["A British Sign Language interpreter will help you at the review."] == "sign-language"


def test_the_right_to_challenge_names_who_to_ring():
    text = flat(easyread.render_bytes(OUTCOME, formats=["txt"]).content("txt").decode())
    assert in_order(text, ["If you do not agree", "You can ask a manager to look at it again.",
                           "Ring Ben Carter on 01632 960 392."]) == []
    assert "Advocate: Someone who helps you say what you want." in text  # the letter names one: it says what it is


def test_a_council_part_with_a_title_words_and_an_amount(plan):
    plan["extra"] = {"telecare_charge": {"amount": {"amount": "4.85", "per": "week"},
                                         "lines": ["You pay this for your pendant alarm."]}}
    text = flat(easyread.render_bytes(plan, formats=["txt"]).content("txt").decode())
    assert "Telecare charge - £4.85 a week - You pay this for your pendant alarm." in text
    plan["extra"] = {"telecare_charge": {"title": "Telecare"}}
    assert list(problems(plan)) == ["extra.telecare_charge"]


def test_a_passport_has_the_health_action_plan_parts_and_faith_in_amber():
    passport = yaml.safe_load((EXAMPLES / "ellie-hospital-passport.yaml").read_text())
    passport["important_to_me"].update(teeth=["I have a top denture."], mental_health=["I get anxious."])
    passport["health_action_plan"] = "My GP has it."
    passport["faith_and_culture"] = ["A woman helps me wash."]
    text = flat(easyread.render_bytes(passport, formats=["txt"]).content("txt").decode())
    assert in_order(text, ["Amber:", "My teeth: - I have a top denture.", "My feelings and mental health: - I get "
                           "anxious.", "I have a health action plan. My GP has it.", "My faith and culture",
                           "A woman helps me wash.", "Green:"]) == []


def test_lint_gives_a_titled_part_to_a_template_that_takes_its_title_lines_and_amount(write):
    template = write("titled.md.j2", "{#---\nkind: letter\npurpose: notice\nextra: current_charge\n---#}\n# Charge\n"
                                     "## {{ extra.current_charge.title }}\n:money: You pay "
                                     "{{ extra.current_charge.amount | money }}.\n{% for line in extra.current_charge.lines %}"
                                     "\n{{ line }}\n{% endfor %}\n")
    assert not lint(template).refused


def test_a_right_to_challenge_with_its_own_number_gets_no_second_one():
    letter = yaml.safe_load(OUTCOME.read_text())
    letter["safeguarding"]["right_to_challenge"] = "Ring the safeguarding team on 01632 960 500."
    text = flat(easyread.render_bytes(letter, formats=["txt"]).content("txt").decode())
    assert "Ring the safeguarding team on 01632 960 500." in text and "Ring Ben Carter on" not in text


def test_a_passport_says_how_to_support_the_person_in_amber_and_the_help_to_talk_with_staff():
    passport = yaml.safe_load((EXAMPLES / "ellie-hospital-passport.yaml").read_text())
    passport["how_to_support_me"] = ["Tell me what you will do first."]
    passport["person"]["information_needs"]["communication_support"] = ["A woman interpreter"]
    text = flat(easyread.render_bytes(passport, formats=["txt"]).content("txt").decode())
    assert in_order(text, ["Amber:", "How to support me: - Tell me what you will do first.", "Green:"]) == []
    assert "I need this help to talk with you: - A woman interpreter" in text
