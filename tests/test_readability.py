"""The readability gate, so far: sentences counted our way and the sentence-length rule."""

from __future__ import annotations

import pytest

from easyread.compose import compose
from easyread.readability import check, check_text
from easyread.readability.sentences import split, words

LONG = "You will have a support worker who comes to your flat every morning to help you get ready for your day at college."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call Jo.", ["Call Jo."]),
        ("Dr Patel will ring you. She works at the surgery.", ["Dr Patel will ring you.", "She works at the surgery."]),
        ("Mrs. Khan comes at 8.30am. It costs £12.50 a week.", ["Mrs. Khan comes at 8.30am.", "It costs £12.50 a week."]),
        ("Bring things, e.g. your glasses. Thank you!", ["Bring things, e.g. your glasses.", "Thank you!"]),
        ("Is it good? Yes.", ["Is it good?", "Yes."]),
        ("no full stop at all", ["no full stop at all"]),
        ("", []),
    ],
)
def test_sentences(text, expected):
    assert split(text) == expected


def test_words_count_times_and_money_as_one():
    assert words("Come at 8.30am, it costs £12.50.") == ["Come", "at", "8.30am", "it", "costs", "£12.50"]


def test_long_sentence_is_refused_with_numbers_source_and_fix():
    assert len(words(LONG)) == 23
    report = check_text(f"Hello.\n{LONG}\n", "easy-read", "letter.txt")
    (finding,) = report.findings
    assert (finding.rule, finding.level, finding.source) == ("sentence-length", "refuse", "letter.txt:2")
    assert finding.numbers == "23 words; easy-read needs 20 or fewer"
    assert finding.fix == "split it into 2 sentences before 'who'"
    assert report.refused and report.sentences == 2


def test_middling_sentence_only_warns_and_short_one_passes():
    seventeen = "You and your sister will go to the shops in town on Saturday to buy new shoes."
    assert len(words(seventeen)) == 17
    report = check_text(seventeen)
    assert [f.level for f in report.findings] == ["warn"] and not report.refused
    assert not check_text("Call Jo.").findings


def test_large_print_allows_longer_sentences_but_not_endless_ones():
    assert not check_text(LONG, "large-print").refused
    endless = " ".join(["word"] * 36) + "."
    assert check_text(endless, "large-print").refused


def test_the_persons_own_words_are_never_refused(plan):
    plan["about_me"] = [LONG.replace("You will", "I will")]
    report = check(compose(plan))
    own = [f for f in report.findings if f.source.startswith("about_me[0]")]
    assert [f.level for f in own] == ["note"] and not report.refused
    assert "own words" in own[0].fix


def test_refusal_in_a_plan_names_the_field_and_template_line(plan):
    plan["needs"][0]["description"]["easy_read"] = LONG
    report = check(compose(plan))
    (finding,) = report.refusals
    assert finding.source.startswith("needs[0].description.easy_read (_common.md.j2:")
    assert report.to_json().count('"level": "refuse"') == 1
    assert "REFUSED for easy-read" in report.to_text()


def test_a_long_template_sentence_cannot_hide_beside_the_persons_words(plan, write):
    template = write("mixed.md.j2", "# T\n:talk: You told us many things about yourself and your life and your home and your family and your friends and your work and your week. {{ about_me[0] }}\n")
    report = check(compose(plan, template=template))
    (finding,) = report.refusals
    assert finding.sentence.startswith("You told us many things") and finding.source == "about_me[0] (mixed.md.j2:2)"
    assert not [f for f in report.findings if "gardening" in f.sentence]
