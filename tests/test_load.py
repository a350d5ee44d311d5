"""Loading YAML and JSON: every problem named with file, line and field, all at once."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
import yaml

from easyread.errors import InputError
from easyread.inputs.limits import MAX_ALIASES, MAX_DEPTH, MAX_FIELD_CHARS, MAX_INPUT_BYTES, MAX_LIST_ITEMS, MAX_NODES
from easyread.inputs.loader import load, photos_left_out
from easyread.inputs.model import Plan
from tests.conftest import cpu_budget


def problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_yaml_and_json_and_dict_load_the_same(plan, write):
    from_yaml = load(write("ada.yaml", plan))
    from_json = load(write("ada.json", json.dumps(plan)))
    assert from_yaml == from_json == load(plan) == load(from_yaml)


def test_malformed_yaml_names_file_line_and_column(write):
    path = write("bad.yaml", "kind: plan\nperson:\n  name: [Ada\n  known_as: Ada\n")
    with pytest.raises(InputError) as excinfo:
        load(path)
    (problem,) = excinfo.value.problems
    assert problem.file == str(path)
    assert problem.line == 4 and problem.column is not None
    assert "not valid YAML" in problem.message


def test_malformed_json_names_file_line_and_column(write):
    path = write("bad.json", '{\n  "kind": "plan",\n  "person": {"name": "Ada",}\n}\n')
    with pytest.raises(InputError) as excinfo:
        load(path)
    (problem,) = excinfo.value.problems
    assert (problem.line, problem.column) == (3, 28)
    assert "not valid JSON" in problem.message


def test_all_problems_at_once_with_field_paths_and_lines(plan, write):
    plan["date"] = "1 Sept"
    plan["outcomes"][0]["steps"][0]["by"] = "soon"
    del plan["worker"]
    plan["budget"]["total"]["amount"] = "lots"
    path = write("ada.yaml", plan)
    with pytest.raises(InputError) as excinfo:
        load(path)
    found = {p.field: p for p in excinfo.value.problems}
    assert set(found) == {"date", "outcomes[0].steps[0].by", "worker", "budget.total.amount"}
    assert "expected a date written like 2026-03-14" in found["date"].message
    assert "required" in found["worker"].message
    lines = path.read_text().splitlines()
    assert "soon" in lines[found["outcomes[0].steps[0].by"].line - 1]
    assert "lots" in lines[found["budget.total.amount"].line - 1]
    assert str(excinfo.value).startswith("4 problems in the input:")


def test_misspelt_field_points_at_its_key(plan, write):
    plan["person"]["nmae"] = "Ada"
    path = write("ada.yaml", plan)
    with pytest.raises(InputError) as excinfo:
        load(path)
    (problem,) = excinfo.value.problems
    assert problem.field == "person.nmae"
    assert "nmae" in path.read_text().splitlines()[problem.line - 1]
    assert "not a field easyread knows" in problem.message


@pytest.mark.parametrize("content", ["", "   \n\n", "# only a comment\n"])
def test_empty_file_is_a_clear_error(write, content):
    with pytest.raises(InputError, match="is empty"):
        load(write("empty.yaml", content))


def test_missing_and_unknown_kind(plan, write):
    del plan["kind"]
    with pytest.raises(InputError, match="kind: plan"):
        load(write("nokind.yaml", plan))
    plan["kind"] = "memo"
    with pytest.raises(InputError, match="kind must be plan, review, letter, one-page-profile or hospital-passport"):
        load(write("memo.yaml", plan))


def test_yaml_12_rules_keep_words_and_times_as_written(plan, write):
    text = write("ada.yaml", plan).read_text()
    text = text.replace("start: '17:00'", "start: 17:00").replace("- I like gardening and my cat Pip.", "- no")
    assert "start: 17:00" in text and "- no" in text
    loaded = load(write("yaml12.yaml", text))
    assert loaded.timetable[0].start.hour == 17  # YAML 1.1 would read 17:00 as the number 1020
    assert loaded.about_me == ["no"]  # ... and "no" as False


def test_amounts_are_exact_decimals(plan, write):
    text = write("ada.yaml", plan).read_text().replace("amount: '120.50'", "amount: 120.50")
    loaded = load(write("exact.yaml", text))
    assert loaded.budget.total.amount == Decimal("120.50")


def test_duplicate_keys_are_an_error_with_a_line(write):
    with pytest.raises(InputError, match="appears twice") as excinfo:
        load(write("dup.yaml", "kind: plan\nkind: plan\n"))
    assert excinfo.value.problems[0].line == 2


def test_not_utf8_and_missing_file(write, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("kind: plan\nabout_me: [caf\xe9]\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load(path)
    with pytest.raises(InputError, match="file not found"):
        load(tmp_path / "nope.yaml")


def test_not_a_mapping(write):
    with pytest.raises(InputError, match="got a list"):
        load(write("list.yaml", "- a\n- b\n"))


def test_picture_files_are_found_next_to_the_plan(plan, write, tmp_path):
    plan["person"]["photo"] = {"file": "photos/ada.jpg", "alt": "Ada smiling in her garden"}
    loaded = load(write("sub/ada.yaml", plan))
    assert loaded.person.photo.file == (tmp_path / "sub" / "photos" / "ada.jpg").resolve()
    assert isinstance(loaded, Plan)


# --- hostile input (issue 13): limits, numbers, keys, pictures -----------------------------------

# A small "billion laughs": 531,441 values, enough to pass the limit, not enough to hurt if it did not hold
# (the whole bomb runs, bounded, in test_hostile_input.py).
BOMB = "kind: plan\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{name}: &{name} [{','.join(['*' + previous] * 9)}]\n" for previous, name in zip("abcdef", "bcdefg"))


def test_an_alias_bomb_is_refused_while_it_is_read(write):
    with cpu_budget(10), pytest.raises(InputError, match=f"more than {MAX_NODES:,} values") as excinfo:
        load(write("bomb.yaml", BOMB))
    assert excinfo.value.problems[0].line is not None


def test_aliases_are_counted_and_cannot_contain_themselves(write):
    many = "kind: plan\nabout_me: [&x Hello, " + ", ".join(["*x"] * MAX_ALIASES) + "]\n"
    with pytest.raises(InputError, match="at most 100 in one file") as excinfo:
        load(write("aliases.yaml", many.replace("]\n", ", *x]\n")))
    assert "not valid YAML" not in str(excinfo.value)
    with pytest.raises(InputError, match="inside the value it names"):
        load(write("self.yaml", "kind: plan\nabout_me: &me [*me]\n"))
    with pytest.raises(InputError, match="required") as excinfo:  # within the limits: read as usual
        load(write("fine.yaml", many))
    assert "aliases (*name)" not in str(excinfo.value)


@pytest.mark.parametrize(("name", "text", "line"), [
    ("deep.json", "[" * 10_000 + "]" * 10_000, 1),
    ("deep.json", '{"a": "[[[[", "b":\n' + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "}", 2),
    ("deep.yaml", "kind: plan\nabout_me: " + "[" * 900 + "]" * 900 + "\n", 2),
    ("deep.yaml", "kind: plan\n" + "".join(" " * depth + "a:\n" for depth in range(100)), MAX_DEPTH + 2),
])
def test_deep_nesting_is_refused_with_the_limit_not_a_recursion_error(write, name, text, line):
    with pytest.raises(InputError, match=f"nested more than {MAX_DEPTH} levels deep") as excinfo:
        load(write(name, text))
    assert excinfo.value.problems[0].line == line


def test_nesting_within_the_limit_is_read(write):
    text = '{"kind": "plan", "about_me": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    with pytest.raises(InputError) as excinfo:
        load(write("within.json", text))
    assert "levels deep" not in str(excinfo.value)


def test_input_over_the_size_limit_is_refused_before_it_is_parsed(write, tmp_path):
    big = "kind: plan\nabout_me:\n" + "- I like my garden.\n" * (MAX_INPUT_BYTES // 20 + 1)
    with pytest.raises(InputError, match=f"easyread reads at most {MAX_INPUT_BYTES:,} bytes") as excinfo:
        load(write("big.yaml", big))
    assert excinfo.value.problems[0].message.startswith(f"is {len(big):,} bytes")
    with pytest.raises(InputError, match="bytes"):
        load(big)
    with pytest.raises(InputError, match="bytes"):
        load(big.encode())


def test_a_long_field_and_a_long_list_are_refused_naming_field_and_line(plan, write):
    plan["strengths"] = ["You can cook. " * 1_800]
    plan["what_matters_to_me"] = ["My cat."] * (MAX_LIST_ITEMS + 1)
    path = write("long.yaml", plan)
    with pytest.raises(InputError) as excinfo:
        load(path)
    found = {p.field: p for p in excinfo.value.problems}
    assert set(found) == {"strengths[0]", "what_matters_to_me"}
    assert f"at most {MAX_FIELD_CHARS:,} characters" in found["strengths[0]"].message
    assert f"at most {MAX_LIST_ITEMS:,} items" in found["what_matters_to_me"].message
    assert "You can cook" in path.read_text().splitlines()[found["strengths[0]"].line - 1]


@pytest.mark.parametrize(("text", "says"), [
    ("speech_rate_wpm: " + "9" * 5000, "more than 15 digits"),
    ("speech_rate_wpm: !!int " + "9" * 5000, "more than 15 digits"),
    ("speech_rate_wpm: 1" + "0" * 15, "more than 15 digits"),
    ("speech_rate_wpm: 1.0e999999999", "more than 15 digits"),
    ("speech_rate_wpm: !!float .inf", ".inf is not a finite number"),
    ("speech_rate_wpm: !!float -.inf", "is not a finite number"),
    ("speech_rate_wpm: !!float .nan", ".nan is not a finite number"),
    ("speech_rate_wpm: !!float nan", "NaN is not a finite number"),
    ("speech_rate_wpm: !!float lots", "'lots' is not a number"),
])
def test_numbers_no_plan_holds_are_refused_with_a_line(plan, write, text, says):
    source = write("ada.yaml", plan).read_text().replace("speech_rate_wpm: 130", text)
    with pytest.raises(InputError, match=says) as excinfo:
        load(write("numbers.yaml", source))
    (problem,) = excinfo.value.problems
    assert problem.line == [line.strip() for line in source.splitlines()].index(text) + 1
    assert "not valid YAML" not in problem.message


@pytest.mark.parametrize(("written", "says"), [("9" * 5000, "more than 15 digits"), ("-" + "9" * 16, "more than 15 digits"),
                                               ("1e999999999", "more than 15 digits"), ("NaN", "NaN is not a finite"),
                                               ("-Infinity", "-Infinity is not a finite")])
def test_numbers_no_plan_holds_are_refused_in_json_too(plan, write, written, says):
    text = json.dumps(plan, indent=2).replace('"speech_rate_wpm": 130', f'"speech_rate_wpm": {written}')
    with pytest.raises(InputError, match=says) as excinfo:
        load(write("numbers.json", text))
    (problem,) = excinfo.value.problems
    assert written in text.splitlines()[problem.line - 1]


@pytest.mark.parametrize(("value", "says"), [(10**5000, "digits"), (Decimal("1e99999"), "digits"), (float("inf"), "finite"),
                                             (float("nan"), "finite"), (Decimal("-Infinity"), "finite")],
                         ids=["10**5000", "1e99999", "inf", "nan", "-Infinity"])
def test_numbers_no_plan_holds_are_refused_in_a_dict(plan, value, says):
    # 1e999999999 as a whole number would take gigabytes: refused before anything turns it into one
    plan["person"]["information_needs"]["speech_rate_wpm"] = value
    with pytest.raises(InputError) as excinfo:
        load(plan)
    (problem,) = excinfo.value.problems
    assert problem.field == "person.information_needs.speech_rate_wpm"
    assert problem.message.endswith("easyread reads numbers of at most 15 digits" if says == "digits"
                                    else "is not a finite number; write an amount like 120.50")


def test_a_dict_that_contains_itself_is_only_too_deep(plan):
    plan["worker"]["self"] = plan
    with pytest.raises(InputError, match="nested more than"):
        load(plan)


@pytest.mark.parametrize("key", ["? [a, b]\n: c\n", "? {a: 1}\n: c\n", "[a]: c\n"])
def test_a_list_or_mapping_as_a_key_is_refused_with_a_line(write, key):
    with pytest.raises(InputError, match="a key must be a word") as excinfo:
        load(write("keys.yaml", "kind: plan\n" + key))
    assert excinfo.value.problems[0].line == 2


def test_json_duplicate_keys_are_refused_naming_key_and_line(plan, write):
    text = json.dumps(plan, indent=2).replace('"known_as": "Ada",', '"known_as": "Ada",\n    "name": "Someone Else",')
    with pytest.raises(InputError, match="the key 'name' appears twice") as excinfo:
        load(write("dup.json", text))
    (problem,) = excinfo.value.problems
    assert "Someone Else" in text.splitlines()[problem.line - 1]
    with pytest.raises(InputError, match="'kind' appears twice"):
        load('{"kind": "plan", "kind": "review"}')


def test_a_lone_surrogate_from_json_is_refused(plan, write):
    text = json.dumps(plan).replace("make tea", "make\\ud800 tea")
    with pytest.raises(InputError, match="strengths"):
        load(write("surrogate.json", text))


def test_long_values_are_cut_short_in_messages(plan):
    plan["date"] = "x" * 15_000
    with pytest.raises(InputError) as excinfo:
        load(plan)
    assert len(str(excinfo.value)) < 300


def test_pictures_must_be_inside_the_plans_folder(plan, write, tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "someone.png").write_bytes(b"x")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "ada.png").symlink_to(tmp_path / "other" / "someone.png")
    for file in [str(tmp_path / "other" / "someone.png"), "../other/someone.png", "ada.png"]:
        plan["person"]["photo"] = {"file": file, "alt": "Ada"}
        with pytest.raises(InputError, match="the picture must be inside the plan's folder") as excinfo:
            load(write("plans/ada.yaml", plan))
        (problem,) = excinfo.value.problems
        assert problem.field == "person.photo.file" and problem.line is not None
    loaded = load(write("plans/ada.yaml", plan), picture_folders=[tmp_path / "other"])  # a folder set up for pictures
    assert loaded.person.photo.file == tmp_path / "other" / "someone.png"


def test_pictures_in_a_dict_or_text_must_be_inside_the_working_folder(plan, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plan["person"]["photo"] = {"file": "ada.png", "alt": "Ada"}
    assert load(plan).person.photo.file == tmp_path / "ada.png"
    plan["person"]["photo"] = {"file": "/etc/hostname", "alt": "Ada"}
    with pytest.raises(InputError, match="inside the working folder"):
        load(plan)
    with pytest.raises(InputError, match="inside the working folder"):
        load(yaml.safe_dump(plan))


def test_photos_can_be_left_out_unread_naming_their_fields(plan, write, tmp_path):
    plan["person"]["photo"] = {"file": "/etc/hostname", "alt": "Ada"}  # outside every folder, and not a picture
    plan["contacts"] = [{"name": "Sam", "role": "Social worker", "photo": {"file": "../sam.png", "alt": "Sam"}}]
    for source in (plan, yaml.safe_dump(plan).encode(), write("plans/ada.yaml", plan)):
        loaded = load(source, photos=False)
        assert loaded.person.photo is None and loaded.contacts[0].photo is None
        assert photos_left_out(loaded) == ("person.photo", "contacts[0].photo")
        assert loaded.contacts[0].name == "Sam" and loaded.person.name == plan["person"]["name"]
    kept = load(write("plans/ada.yaml", {**plan, "person": {**plan["person"], "photo": None}, "contacts": []}))
    assert photos_left_out(kept) == () and photos_left_out(load(kept, photos=False)) == ()
    once = load(plan, photos=False)
    assert photos_left_out(load(once, photos=False)) == ("person.photo", "contacts[0].photo")  # said once, kept
    with pytest.raises(InputError, match="inside the plan's folder"):  # read as ever when photos are wanted
        load(write("plans/ada.yaml", plan))


def test_pictures_sent_with_an_input_are_its_photos_by_file_name(plan, tmp_path):
    sent = tmp_path / "sent"
    sent.mkdir()
    (sent / "ada.png").write_bytes(b"x")
    plan["person"]["photo"] = {"file": "C:\\Photos\\ada.png", "alt": "Ada"}  # the sender's folders, any kind
    plan["contacts"] = [{"name": "Sam", "role": "Social worker", "photo": {"file": "/srv/sam.png", "alt": "Sam"}}]
    loaded = load(plan, photos=False, sent_pictures={"ada.png": sent / "ada.png"})
    assert loaded.person.photo.file == sent / "ada.png" and loaded.contacts[0].photo is None
    assert photos_left_out(loaded) == ("contacts[0].photo",)
    plan["contacts"] = []
    plan["person"]["photo"]["file"] = "pictures/ada.png"
    assert load(yaml.safe_dump(plan), sent_pictures={"ada.png": sent / "ada.png"}).person.photo.file == sent / "ada.png"


def test_an_unknown_field_offers_the_nearest_known_one_and_says_where_a_councils_own_parts_go(plan, write):
    data = copy.deepcopy(plan)
    data["person"]["knwon_as"] = data["person"].pop("known_as")
    data["needs"][0]["descriptoin"] = data["needs"][0].pop("description")
    data["colour"] = "blue"
    with pytest.raises(InputError) as raised:
        load(write("ada.yaml", data))
    said = {p.field: p.message for p in raised.value.problems}
    assert said["person.knwon_as"].startswith("is not a field easyread knows (did you mean 'known_as'?); check the "
                                              "spelling, or keep a part of your own under `extra:`")
    assert "(did you mean 'description'?)" in said["needs[0].descriptoin"]  # inside a list of parts
    assert said["colour"].startswith("is not a field easyread knows; check the spelling")  # nothing near it
