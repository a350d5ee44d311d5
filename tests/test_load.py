"""Loading YAML and JSON: every problem named with file, line and field, all at once."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from easyread.errors import InputError
from easyread.loader import load
from easyread.model import Plan


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
    with pytest.raises(InputError, match="plan, review or letter"):
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
