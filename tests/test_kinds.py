"""A kind of input is data: a package that adds a model, a template and an example makes a new kind that
renders in every format and that the command, the schema and the service know, with no change to easyread."""

from __future__ import annotations

import io
import json
import textwrap
import zipfile

import docx
import pdfplumber
import pytest
import yaml

import easyread
from easyread.inputs import kinds
from tests.conftest import run_cli

PACKAGE = '''
"""A council's own kind of letter, made up for easyread's tests: a short stay away from home."""

import datetime as dt
from pathlib import Path
from typing import Literal

from easyread.inputs.kinds import Kind
from easyread.inputs.model import Common, Contact, Model, Text

HERE = Path(__file__).parent


class Stay(Model):
    """Where the person stays, and when."""

    place: str
    starts: dt.date
    ends: dt.date


class ShortStayLetter(Common):
    """A letter about a short stay (respite) away from home."""

    kind: Literal["short-stay-letter"]
    date: dt.date
    sender: Contact
    stay: Stay
    bring: list[Text] = []


SHORT_STAY = Kind(name="short-stay-letter", model=ShortStayLetter, template=HERE / "short_stay.md.j2",
                  subject="Your short stay", words="short-stay letter", sample=HERE / "example.yaml")
'''

TEMPLATE = '''{#---
kind: short-stay-letter
description: A letter about a short stay away from home.
---#}
{% import "_common.md.j2" as common %}
# Your short stay at {{ stay.place }}

{{ common.letter_opening(person, organisation, date) }}
:home: You will stay at {{ stay.place }} for a few days.
:calendar: You go there on **{{ stay.starts | date }}**.
:calendar: You come home on **{{ stay.ends | date }}**.
{% if bring %}

## What to bring
{% for thing in bring %}
- {{ thing }}
{% endfor %}
{% endif %}

{{ common.contacts_section(sender, contacts) }}
'''

EXAMPLE = {
    "kind": "short-stay-letter",
    "date": "2027-03-01",
    "organisation": {"name": "Westdale Council", "phone": "01632 960 100"},
    "person": {"name": "Nia Okafor", "known_as": "Nia"},
    "sender": {"name": "Ravi Shah", "role": "Your social worker", "phone": "01632 960 177"},
    "stay": {"place": "Larkspur House", "starts": "2027-03-15", "ends": "2027-03-19"},
    "bring": ["Your tablets.", "Your pyjamas.", "Your phone charger."],
}


@pytest.fixture
def short_stay_kind(tmp_path, monkeypatch):
    """The kind installed as a package would be: its code, template and example, and an entry point."""
    package = tmp_path / "site" / "westdale_kinds"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(PACKAGE))
    (package / "short_stay.md.j2").write_text(TEMPLATE)
    (package / "example.yaml").write_text(yaml.safe_dump(EXAMPLE, sort_keys=False))
    info = tmp_path / "site" / "westdale_kinds-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: westdale-kinds\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[easyread.kinds]\nshort-stay-letter = westdale_kinds:SHORT_STAY\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "site"))  # and for the processes a test starts
    kinds.forget()
    yield package / "example.yaml"
    monkeypatch.undo()
    kinds.forget()


@pytest.mark.slow
def test_a_kind_from_a_package_renders_in_every_format(short_stay_kind):
    assert "short-stay-letter" in kinds.kinds() and "short-stay-letter" in kinds.kind_names()
    done = easyread.render_bytes(short_stay_kind, formats=["txt", "json", "docx", "pdf", "html", "mp3", "speech.txt",
                                                           "brf", "epub"])
    said = "You will stay at Larkspur House for a few days."
    assert said in done.content("txt").decode() and "- Your phone charger." in done.content("txt").decode()
    data = json.loads(done.content("json"))
    assert (data["kind"], data["subject"], data["template"]) == ("short-stay-letter", "Your short stay", "short_stay.md.j2")
    word = docx.Document(io.BytesIO(done.content("docx")))
    assert said in "".join(t.text or "" for t in word.element.iter(docx.oxml.ns.qn("w:t")))  # in rows beside pictures
    with pdfplumber.open(io.BytesIO(done.content("pdf"))) as pdf:
        assert "Larkspur House" in "".join(page.extract_text() for page in pdf.pages)
    assert said in done.content("html").decode()
    assert said in done.content("speech.txt").decode()
    assert done.content("mp3")[:3] == b"ID3" and len(done.content("mp3")) > 20_000
    assert done.content("brf").strip()
    with zipfile.ZipFile(io.BytesIO(done.content("epub"))) as book:
        assert any(said in book.read(name).decode() for name in book.namelist() if name.endswith(".xhtml"))
    assert easyread.compose(short_stay_kind).addressed  # a letter speaks to the person, as its Kind says


@pytest.mark.slow
def test_a_kind_from_a_package_is_in_the_schema_the_help_and_lint(short_stay_kind):
    schema = run_cli("schema", "short-stay-letter")
    assert schema.returncode == 0, schema.stderr
    assert set(json.loads(schema.stdout)["properties"]) >= {"kind", "stay", "bring", "sender"}
    helped = run_cli("schema", "--help")
    assert "short-stay-letter" in helped.stdout
    rendered = run_cli("render", short_stay_kind, "--to", "txt", "-o", short_stay_kind.parent / "out")
    assert rendered.returncode == 0, rendered.stderr
    assert "Larkspur House" in (short_stay_kind.parent / "out" / "example.txt").read_text()
    linted = run_cli("templates", "lint", short_stay_kind.parent / "short_stay.md.j2", "--kind", "short-stay-letter")
    assert linted.returncode == 0, linted.stdout + linted.stderr
    wrong = run_cli("check", short_stay_kind.parent / "example.yaml", "--profile", "nope")
    assert wrong.returncode == 2


@pytest.mark.slow
def test_a_kind_from_a_package_is_served(short_stay_kind, tmp_path):
    from tests.test_service import Server

    server = Server(tmp_path)
    try:
        assert server.get("/schema/short-stay-letter").status_code == 200
        assert "ShortStayLetter" in json.dumps(server.get("/openapi.json").json()["components"]["schemas"])
        answer = server.post("/render", short_stay_kind.read_bytes(), formats="txt")
        assert answer.status_code == 200, answer.text
        assert "You will stay at Larkspur House for a few days." in answer.text
    finally:
        assert server.stop()


def test_a_kind_says_what_it_is_and_a_broken_one_is_named(tmp_path, monkeypatch):
    assert [kind.name for kind in kinds.BUILT_IN] == kinds.kind_names()[:5]
    assert kinds.kinds_said() == "plan, review, letter, one-page-profile or hospital-passport"
    assert not easyread.compose(kinds.kind_named("one-page-profile").sample_file()).addressed
    info = tmp_path / "broken-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[easyread.kinds]\nplan = json:dumps\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    kinds.forget()
    try:
        with pytest.raises(easyread.UsageError, match="must name a Kind called 'plan'"):
            kinds.kinds()
    finally:
        monkeypatch.undo()
        kinds.forget()
