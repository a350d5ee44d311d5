"""Batches given broken or dangerous inputs, run as an attacker would meet them (tests/hostile.py: a real
process under 1 GB and 60 s of CPU): each ends in exit 2 with a clear error, before anything is rendered,
never a traceback, exit 1 or exit 3."""

from __future__ import annotations

import json

import yaml

from tests.conftest import EXAMPLES
from tests.hostile import assert_clean_failure, run_bounded

BASE = EXAMPLES / "letters" / "invitation-base.yaml"
HEADER = "person.name,person.known_as,meeting.date,meeting.start,meeting.end\n"


def render(*args, out, stdin=None):
    return run_bounded("render", *args, "--to", "txt", "-o", out, stdin=stdin)


def test_a_header_only_csv(tmp_path):
    table = tmp_path / "letters.csv"
    table.write_text(HEADER)
    result = render(table, "--base", BASE, out=tmp_path / "out")
    assert_clean_failure(result, f"{table}: has no rows of letter data")
    assert not (tmp_path / "out").exists()


def test_an_empty_csv(tmp_path):
    table = tmp_path / "letters.csv"
    table.write_text("\n")
    assert_clean_failure(render(table, "--base", BASE, out=tmp_path / "out"), f"{table}: is empty")


def test_a_json_lines_file_whose_only_row_is_a_list(tmp_path):
    lines = tmp_path / "letters.jsonl"
    lines.write_text('["Amira Hassan", "2027-01-11"]\n')
    result = render(lines, "--base", BASE, out=tmp_path / "out")
    assert_clean_failure(result, f"{lines}:1: row 1 is a list, not an object of fields")
    assert not (tmp_path / "out").exists()


def test_a_csv_whose_every_row_is_short(tmp_path):
    table = tmp_path / "letters.csv"
    table.write_text(HEADER + "Amira Hassan,Amira,2027-01-11\nBernard Cole\n")
    result = render(table, "--base", BASE, out=tmp_path / "out")
    assert_clean_failure(result, f"{table}:2: row 1 has 3 cells", "missing: meeting.start, meeting.end",
                         f"{table}:3: row 2 has 1 cells")
    assert not (tmp_path / "out").exists()


def test_a_csv_with_a_column_named_twice(tmp_path):
    table = tmp_path / "letters.csv"
    table.write_text("person.name,person.name\nAmira Hassan,Bernard Cole\n")
    assert_clean_failure(render(table, "--base", BASE, out=tmp_path / "out"),
                         "the column 'person.name' is named twice in the header")


def test_a_base_that_is_not_a_mapping(tmp_path):
    table = tmp_path / "letters.csv"
    table.write_text(HEADER + "Amira Hassan,Amira,2027-01-11,10:00,11:00\n")
    base = tmp_path / "base.yaml"
    base.write_text("- just\n- a list\n")
    assert_clean_failure(render(table, "--base", base, out=tmp_path / "out"), "the base must be a mapping")


def test_inputs_whose_names_clash_in_one_folder(plan, write, tmp_path):
    write("in/ada.yaml", plan)
    write("in/ada.json", json.dumps(plan))
    out = tmp_path / "out"
    result = render(tmp_path / "in", out=out)
    assert_clean_failure(result, "nothing was rendered",
                         f"{tmp_path / 'in' / 'ada.json'} and {tmp_path / 'in' / 'ada.yaml'} would both write "
                         f"{out / 'ada.txt'}")
    assert not out.exists()


def test_a_batch_that_would_write_over_one_of_its_inputs(plan, write, tmp_path):
    folder = tmp_path / "in"
    write("in/ada.yaml", plan)
    other = write("in/person.json", json.dumps({**plan, "person": {**plan["person"], "name": "Bob Marley"}}))
    write("in/person.yaml", yaml.safe_dump(plan))
    result = run_bounded("render", folder, "--to", "json", "-o", folder)
    assert_clean_failure(result, "nothing was rendered", f"would replace {other}, an input of this batch")
    assert json.loads(other.read_text())["person"]["name"] == "Bob Marley"
    assert sorted(p.name for p in folder.iterdir()) == ["ada.yaml", "person.json", "person.yaml"]


def test_a_report_that_would_replace_an_input(plan, write, tmp_path):
    ada = write("in/ada.yaml", plan)
    write("in/bob.yaml", plan)
    before = ada.read_text()
    result = run_bounded("render", tmp_path / "in", "--to", "txt", "-o", tmp_path / "out", "--report", ada)
    assert_clean_failure(result, f"the report {ada} would replace {ada}")
    assert ada.read_text() == before and not (tmp_path / "out").exists()


def test_an_unknown_format_in_a_batch_stops_before_rendering(plan, write, tmp_path):
    write("in/ada.yaml", plan)
    write("in/bob.yaml", plan)
    result = run_bounded("render", tmp_path / "in", "--to", "odt", "-o", tmp_path / "out")
    assert_clean_failure(result, "no writer for 'odt'")
    assert not (tmp_path / "out").exists()


def test_standard_input_that_is_empty_or_not_text(tmp_path):
    assert_clean_failure(render("-", out=tmp_path / "out", stdin=""), "<stdin>: is empty")
    assert_clean_failure(render("-", out=tmp_path / "out", stdin=bytes(range(128, 256))), "<stdin>: is not UTF-8")
    assert_clean_failure(render("-", out=tmp_path / "out", stdin="[1, 2, 3]\n"), "<stdin>")
    assert not (tmp_path / "out").exists()
