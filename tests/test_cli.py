"""The command line: exit codes, paths, outputs, and what is (not) written."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import pytest
import yaml

from easyread.document import Document, Quote, Statement, sections, statements
from tests.conftest import EXAMPLES, ROOT, run_cli

GOOD = sorted(p for p in EXAMPLES.glob("*.yaml") if "too-dense" not in p.name)
DENSE = EXAMPLES / "too-dense-plan.yaml"


def test_there_are_examples_of_each_kind():
    kinds = {yaml.safe_load(p.read_text())["kind"] for p in GOOD}
    from easyread.inputs.kinds import BUILT_IN

    assert kinds == {kind.name for kind in BUILT_IN} and len(GOOD) >= 4 and DENSE.exists()


@pytest.mark.parametrize("example", GOOD, ids=lambda p: p.name)
def test_every_example_renders_to_txt_and_json(example, tmp_path):
    result = run_cli("render", example, "--to", "txt,json", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    stem = example.name.removesuffix(".yaml")
    assert result.stdout.split() == [str(tmp_path / f"{stem}.txt"), str(tmp_path / f"{stem}.json")]
    data = yaml.safe_load(example.read_text())
    text = (tmp_path / f"{stem}.txt").read_text()
    called = data["person"].get("known_as") or data["person"]["name"].split()[0]
    assert called in text and ("Who to contact" in text or not data.get("contacts"))  # a one-page profile may have none
    assert ":" + "help" + ":" not in text  # symbols never leak into the text version
    document = Document.model_validate_json((tmp_path / f"{stem}.json").read_text())
    assert document.kind == data["kind"]
    for kind, runs, source in statements(document):
        if kind == "words":  # the words the formats put around the content, the Document's own
            assert source.fields[0].removeprefix("words.") in document.words, runs
        elif kind != "title":
            assert source.template and source.line, runs
    for _kind, runs, _source in statements(document):
        for run in runs:
            if run.field:
                assert run.field.split(".")[0].split("[")[0] in data or run.field.startswith("person"), run.field


def test_dense_example_is_refused_and_nothing_is_written(tmp_path):
    result = run_cli("render", DENSE, "--to", "txt,json", "-o", tmp_path)
    assert result.returncode == 1
    assert list(tmp_path.iterdir()) == []
    assert "REFUSED for easy-read" in result.stderr
    assert "needs[0].description (support_plan.md.j2:" in result.stderr or "needs[0].description (_common.md.j2:" in result.stderr
    assert "words; easy-read refuses a sentence over 40" in result.stderr
    lines = result.stderr.splitlines()
    # the summary comes first: the verdict, the numbers, then the places to change in plan order
    assert lines[0].startswith("Care and Support Plan (Care Act 2014, section 25): REFUSED for easy-read:")
    assert "places to change" in lines[0]
    assert lines[3].startswith("To change (") and lines[4].startswith("  Add an easy_read: wording beside each")
    assert "needs[0].description (line " in result.stderr
    assert len(lines) < 175, len(lines)  # a few lines for each place to change, not hundreds
    # each sentence once, with its problems under it
    assert result.stderr.count("Mr Brooks demonstrates a high level of motivation") == 1


def test_a_refused_run_leaves_good_output_alone(plan, write, tmp_path):
    source = write("ada.yaml", plan)
    out = tmp_path / "out"
    assert run_cli("render", source, "--to", "txt", "-o", out).returncode == 0
    good = (out / "ada.txt").read_text()
    plan["needs"][0]["description"]["easy_read"] = "You need " + "a lot of " * 14 + "help to cook."
    write("ada.yaml", plan)
    assert run_cli("render", source, "--to", "txt", "-o", out).returncode == 1
    assert (out / "ada.txt").read_text() == good
    assert sorted(p.name for p in out.iterdir()) == ["ada.txt"]  # no temporary files left


def test_malformed_input_exits_2_with_file_and_line(write, tmp_path):
    source = write("broken.yaml", "kind: plan\nperson: {name: Ada\n")
    result = run_cli("render", source, "--to", "txt", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert f"{source}:3:" in result.stderr and "not valid YAML" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unwritable_folder_exits_2_with_a_clear_message(plan, write, tmp_path):
    source = write("ada.yaml", plan)
    blocker = write("file.txt", "not a folder")
    result = run_cli("render", source, "--to", "txt", "-o", blocker / "out")
    assert result.returncode == 2
    assert "cannot write to the folder" in result.stderr and "choose another folder with -o" in result.stderr


def test_output_never_replaces_the_input(plan, write, tmp_path):
    source = write("ada.json", json.dumps(plan))
    result = run_cli("render", source, "--to", "json", "-o", tmp_path)
    assert result.returncode == 2 and "would replace the input file" in result.stderr
    assert json.loads(source.read_text()) == plan


def test_sandbox_escape_fails_and_writes_nothing(plan, write, tmp_path):
    source = write("ada.yaml", plan)
    template = write("evil.md.j2", "# Title\n{{ cycler.__init__.__globals__.os.system('touch pwned') }}\n")
    out = tmp_path / "out"
    result = run_cli("render", source, "--template", template, "--to", "txt", "-o", out, cwd=tmp_path)
    assert result.returncode == 2 and "evil.md.j2:2:" in result.stderr
    assert not (tmp_path / "pwned").exists() and not out.exists()


def test_person_words_with_markup_appear_literally(plan, write, tmp_path):
    words = "# {{ name }} **hi** :doctor: - <b>x</b>"
    plan["about_me"] = [words]
    result = run_cli("render", write("ada.yaml", plan), "--to", "txt,json", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert f"\u201c{words}\u201d" in (tmp_path / "out" / "ada.txt").read_text()
    document = Document.model_validate_json((tmp_path / "out" / "ada.json").read_text())
    quotes = [b for s in sections(document) for b in s.blocks if isinstance(b, Quote)]
    assert [q.text for q in quotes][0] == words


def test_formats_come_from_recorded_needs(plan, write, tmp_path):
    plan["person"]["information_needs"]["formats"] = ["easy-read", "braille"]
    result = run_cli("render", write("ada.yaml", plan), "-o", tmp_path / "out")
    assert result.returncode == 0
    assert result.stdout.split() == [str(tmp_path / "out" / f"ada.{ext}") for ext in ("docx", "pdf", "brf")]
    assert "skipped" not in result.stderr


def test_unknown_format_and_unknown_template_exit_2(plan, write, tmp_path):
    source = write("ada.yaml", plan)
    result = run_cli("render", source, "--to", "odt", "-o", tmp_path)
    assert result.returncode == 2 and "no writer for 'odt'" in result.stderr
    result = run_cli("render", source, "--template", "nope", "-o", tmp_path)
    assert result.returncode == 2 and "no template called 'nope'" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["ada.yaml"]


def test_usage_errors_exit_2():
    assert run_cli().returncode == 2
    assert run_cli("render").returncode == 2
    assert run_cli("schema", "memo").returncode == 2


def test_check_plain_text_file_stdin_and_json(write):
    long = ("This sentence is far too long for easy read because it keeps going on and on with more and more words "
            "and then some more words after that and then yet more words that nobody needs or wants to read at all.")
    path = write("notes.txt", f"Short line.\n- {long}\n")
    result = run_cli("check", path)
    assert result.returncode == 1 and f"{path}:2" in result.stderr
    result = run_cli("check", "-", "--json", stdin="Call Jo.\nCome at 8.30am.\n")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert (report["sentences"], report["refused"], report["findings"]) == (2, False, [])
    result = run_cli("check", path, "--profile", "large-print", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["profile"] == "large-print"


def test_check_a_plan_and_the_dense_example():
    assert run_cli("check", GOOD[0]).returncode == 0
    result = run_cli("check", DENSE, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["refused"] and all(f["source"]["template"] or f["position"] < 0 for f in report["findings"])
    assert any(f["source"]["fields"][:1] == ["needs[0].description"] and f["source"]["file"] == str(DENSE)
               and isinstance(f["source"]["line"], int) for f in report["findings"] if f["level"] == "refuse")


@pytest.mark.parametrize("kind", ["plan", "review", "letter", "one-page-profile", "hospital-passport"])
def test_schema_validates_every_example_of_its_kind(kind):
    result = run_cli("schema", kind)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(schema)
    examples = [p for p in EXAMPLES.glob("*.yaml") if yaml.safe_load(p.read_text())["kind"] == kind]
    assert examples
    for example in examples:
        data = json.loads(json.dumps(yaml.safe_load(example.read_text()), default=str))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], (example.name, errors)
    broken = dict(data)
    broken.pop("person")
    assert not validator.is_valid(broken)


def test_templates_list_and_symbols_list():
    result = run_cli("templates", "list")
    assert result.returncode == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == ["assessment_outcome", "change_of_support", "financial_assessment", "hospital_passport", "notice",
                     "one_page_profile", "review", "review_invitation", "safeguarding_next_steps",
                     "safeguarding_outcome", "support_plan"]
    symbols = run_cli("symbols", "list").stdout
    assert "doctor" in symbols and "A doctor" in symbols


def test_python_api_raises_too_dense_with_the_report(tmp_path):
    import easyread

    with pytest.raises(easyread.TooDenseError) as excinfo:
        easyread.render(DENSE, formats=["txt"], outdir=tmp_path)
    assert excinfo.value.report.refused
    assert list(tmp_path.iterdir()) == []
    done = easyread.render(GOOD[0], formats=["txt"], outdir=tmp_path)
    assert done.paths == [tmp_path / (GOOD[0].name.removesuffix(".yaml") + ".txt")]
    assert any(isinstance(b, Statement) for s in sections(done.document) for b in s.blocks)


def test_many_inputs_keep_going_and_exit_with_the_worst_code(plan, write, tmp_path):
    good = write("ada.yaml", plan)
    out = tmp_path / "out"
    result = run_cli("render", DENSE, good, "--to", "txt", "-o", out)
    assert result.returncode == 1
    assert result.stdout.split() == [str(out / "ada.txt")]
    result = run_cli("render", good, write("bad.yaml", "kind: [\n"), DENSE, "--to", "txt", "-o", out)
    assert result.returncode == 2


def test_a_council_profile_file_can_tighten_a_shipped_one(write):
    profile = write("strict.yaml",
                    "extends: easy-read\nname: strict-easy-read\nrules:\n  sentence-length:\n    refuse_over: 12\n")
    thirteen = "You and your sister will go to the shops in town on Saturday."
    text = write("t.txt", thirteen + "\n")
    assert run_cli("check", text).returncode == 0
    result = run_cli("check", text, "--profile", profile, "--json")
    assert result.returncode == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["message"] == "13 words; strict-easy-read refuses a sentence over 12"
    assert finding["numbers"] == {"words": 13, "limit": 12} and finding["source"]["file"] == str(text)
    result = run_cli("check", text, "--profile", "tiny-print")
    assert result.returncode == 2 and "no profile called 'tiny-print'" in result.stderr


def test_document_schema_validates_the_json_output(tmp_path):
    schema = json.loads(run_cli("schema", "document").stdout)
    assert run_cli("render", GOOD[0], "--to", "json", "-o", tmp_path).returncode == 0
    output = json.loads(next(tmp_path.glob("*.json")).read_text())
    jsonschema.Draft202012Validator(schema).validate(output)
    assert output["title_source"]["template"] and output["language"] == "en-GB"


@pytest.mark.parametrize("template", ["support_plan", "review", "review_invitation", "assessment_outcome",
                                      "financial_assessment", "safeguarding_next_steps", "change_of_support"])
def test_every_shipped_template_passes_lint(template):
    result = run_cli("templates", "lint", template, "--json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["sentences"] > 30 and not [f for f in report["findings"] if f["level"] == "refuse"]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_passes_check_for_its_own_profile_except_the_dense_one(example):
    result = run_cli("check", example, "--json")
    report = json.loads(result.stdout)
    if example == DENSE:
        assert result.returncode == 1
        refused_rules = {f["rule"] for f in report["findings"] if f["level"] == "refuse"}
        assert {"sentence-length", "jargon"} <= refused_rules
        assert {"hard-words", "one-idea", "passive-voice"} <= {f["rule"] for f in report["findings"]}
    else:
        assert result.returncode == 0, [f for f in report["findings"] if f["level"] == "refuse"]


def test_lint_judges_only_the_templates_own_wording(write):
    template = write("mine.md.j2", "{#---\nkind: letter\n---#}\n# Hello {{ person.called }}\n"
                                   ":letter: Your domiciliary care will commence soon.\n"
                                   ":calendar: {{ meeting.purpose }}\n")
    result = run_cli("templates", "lint", template, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    refusals = [f["source"] for f in report["findings"] if f["level"] == "refuse"]
    assert {(s["template"], s["template_line"], s["file"]) for s in refusals} == {("mine.md.j2", 5, None)}
    assert run_cli("templates", "lint", write("nokind.md.j2", "# Hi\n")).returncode == 2
    assert run_cli("templates", "lint").returncode == 2


def test_check_binary_junk_is_a_clear_error(write, tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 4)
    result = run_cli("check", junk)
    assert result.returncode == 2 and "is not UTF-8 text" in result.stderr and "Traceback" not in result.stderr
    result = subprocess.run([sys.executable, "-m", "easyread.cli", "check", "-"], input=bytes(range(128, 256)),
                            capture_output=True, cwd=ROOT, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2 and b"<stdin>: is not UTF-8 text" in result.stderr


# --- issue 12, item 4: one expanded input, sub-subcommands, the small template in the docs -------------

SIMPLE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'


def small_template_from_the_docs() -> str:
    """The fenced block after the heading "A small template" in docs/templates.md."""
    lines = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip("#").strip() == "A small template")
    opening = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
    closing = next(i for i in range(opening + 1, len(lines)) if lines[i].startswith("```"))
    return "\n".join(lines[opening + 1:closing]) + "\n"


def council_folder(tmp_path):
    """A council's symbols folder adding :bin-day: (as tests/test_symbols.py makes one)."""
    folder = tmp_path / "council"
    folder.mkdir()
    (folder / "bin-day.svg").write_text(SIMPLE_SVG, encoding="utf-8")
    (folder / "symbols.yaml").write_text("concepts:\n  bin-day: {alt: Bin day, synonyms: [bins]}\n", encoding="utf-8")
    return folder


def test_render_a_folder_holding_one_plan(plan, write, tmp_path):
    write("plans/ada.yaml", plan)
    write("plans/notes.txt", "not a plan, so not an input\n")
    out = tmp_path / "out"
    result = run_cli("render", tmp_path / "plans", "--to", "txt,json", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out / "ada.txt"), str(out / "ada.json")]
    assert sorted(p.name for p in out.iterdir()) == ["ada.json", "ada.txt"]  # one input: no batch report


def test_render_a_glob_matching_one_file(plan, write, tmp_path):
    write("plans/ada.yaml", plan)
    write("plans/ada-notes.txt", "not matched\n")
    out = tmp_path / "out"
    result = run_cli("render", tmp_path / "plans" / "a*.yaml", "--to", "txt", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out / "ada.txt")]


def test_render_a_folder_with_no_plans_is_a_clear_error(write, tmp_path):
    write("plans/notes.txt", "not a plan\n")
    result = run_cli("render", tmp_path / "plans", "--to", "txt", "-o", tmp_path / "out")
    assert result.returncode == 2 and "no input (a .yaml, .yml or .json plan, letter ...) found" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("order", ["options-first", "options-last", "before-the-action"])
def test_symbols_find_with_a_council_folder(tmp_path, order):
    folder = str(council_folder(tmp_path))
    words = ["Put", "the", "bins", "out"]
    args = {"options-first": ["symbols", "find", "--symbols", folder, "--json", *words],
            "options-last": ["symbols", "find", *words, "--symbols", folder, "--json"],
            "before-the-action": ["symbols", "--symbols", folder, "find", "--json", *words]}[order]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["words"] == "Put the bins out" and found["chosen"]["name"] == "bin-day"


def test_symbols_find_and_list_take_options_on_either_side():
    result = run_cli("symbols", "find", "--json", "Your", "doctor", "will", "ring")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["chosen"]["name"] == "doctor"
    listed = run_cli("symbols", "list", "--json")
    assert listed.returncode == 0 and any(c["name"] == "doctor" for c in json.loads(listed.stdout))


@pytest.mark.parametrize("order", ["options-last", "options-first"])
def test_templates_lint_path_with_kind(write, order):
    headerless = small_template_from_the_docs().split("---#}\n", 1)[-1]
    path = str(write("small.md.j2", headerless))
    args = [path, "--kind", "review", "--json"] if order == "options-last" else ["--kind", "review", "--json", path]
    result = run_cli("templates", "lint", *args)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"].endswith("(with the samples review.yaml and review-minimal.yaml)")


@pytest.mark.parametrize("args, says", [
    (["symbols", "find"], "words"),
    (["symbols", "find", "--json"], "words"),
    (["symbols", "sheet"], "-o"),
    (["templates", "lint"], "template"),
    (["templates", "lint", "--kind", "review"], "template"),
    (["symbols"], "list, find, sheet or review"),
    (["templates"], "list or lint"),
])
def test_a_missing_argument_is_one_clear_usage_line(args, says):
    result = run_cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["symbols", "list"], ["symbols", "find"], ["symbols", "sheet"],
                                     ["templates", "list"], ["templates", "lint"]])
def test_each_sub_subcommand_has_its_own_help(command):
    result = run_cli(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: easyread {' '.join(command)}")
    wanted = {"find": ["WORDS", "--symbols", "--json"], "sheet": ["-o", "--symbols"], "lint": ["--kind", "--sample"]}
    assert all(option in result.stdout for option in wanted.get(command[1], []))


def test_the_small_template_in_the_docs_passes_lint_without_kind(write):
    text = small_template_from_the_docs()
    assert text.startswith("{#---\n") and "kind: review" in text.split("---#}")[0]  # the header a template should have
    result = run_cli("templates", "lint", write("small.md.j2", text), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["sentences"] >= 5 and not [f for f in report["findings"] if f["level"] == "refuse"]


def test_a_headerless_template_is_linted_with_the_only_kind_that_fits(write):
    headerless = small_template_from_the_docs().split("---#}\n", 1)[-1]
    assert "kind:" not in headerless
    result = run_cli("templates", "lint", write("small.md.j2", headerless), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "small.md.j2 (with the samples review.yaml and review-minimal.yaml)"
    several = run_cli("templates", "lint", write("any.md.j2", "# Hello {{ person.called }}\n"))
    assert several.returncode == 2 and "--kind" in several.stderr \
        and "plan, review, letter, one-page-profile and hospital-passport samples alike" in several.stderr


def test_all_with_wav_makes_every_format_and_wav(plan, write, tmp_path):
    result = run_cli("render", write("ada.yaml", plan), "--to", "all,wav", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert made == sorted(f"ada.{ext}" for ext in ("txt", "json", "docx", "pdf", "mp3", "speech.txt", "html", "brf",
                                                   "epub", "wav"))


def test_a_bug_says_so_in_one_line(capsys, monkeypatch):
    from easyread import cli

    monkeypatch.setattr(cli, "cmd_schema", lambda args: 1 / 0)
    assert cli.main(["schema", "plan"]) == 3
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "this is a bug in easyread (ZeroDivisionError" in err
    assert cli.main(["--debug", "schema", "plan"]) == 3
    assert "Traceback (most recent call last)" in capsys.readouterr().err


# --- issue 13: output names, standard input, what a killed render leaves, the batch report -------------

def test_one_file_with_dots_in_its_name_keeps_them(plan, write, tmp_path):
    source = write("jordan.2026-11.yaml", plan)
    out = tmp_path / "out"
    result = run_cli("render", source, "--to", "txt", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out / "jordan.2026-11.txt")]
    result = run_cli("render", source, "--to", "txt", "-o", out, "--name", "jordan-november")
    assert result.stdout.split() == [str(out / "jordan-november.txt")]


def test_render_reads_a_plan_from_standard_input(plan, tmp_path):
    out = tmp_path / "out"
    result = run_cli("render", "-", "--to", "txt", "-o", out, stdin=yaml.safe_dump(plan))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out / "document.txt")] and "Ada" in (out / "document.txt").read_text()
    result = run_cli("render", "-", "--to", "txt,json", "-o", out, "--name", "ada-plan", stdin=json.dumps(plan))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out / "ada-plan.txt"), str(out / "ada-plan.json")]
    broken = run_cli("render", "-", "--to", "txt", "-o", out, stdin="kind: plan\nperson: {name: [\n")
    assert broken.returncode == 2 and "<stdin>:" in broken.stderr and "not valid YAML" in broken.stderr
    both = run_cli("render", "-", EXAMPLES / "jordan-plan.yaml", "-o", out, stdin="")
    assert both.returncode == 2 and "must be the only input" in both.stderr
    outside = run_cli("render", "-", "--to", "txt", "-o", out, "--name", "../escaped", stdin=json.dumps(plan))
    assert outside.returncode == 2 and "plain file name" in outside.stderr
    assert sorted(p.name for p in out.iterdir()) == ["ada-plan.json", "ada-plan.txt", "document.txt"]


def test_a_render_clears_the_half_written_files_a_killed_render_left(plan, write, tmp_path):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".ada.txt.easyread-1a2b3c4d.part", out / ".easyread-0123456789abcdef.probe",  # left by kill -9
             out / ".ada.epub.easyread-2b3c4d5e.part", out / ".ada.brf.easyread-3c4d5e6f.part",
             out / ".ada.speech.txt.easyread-4d5e6f70.part"]
    live = out / ".bob.pdf.easyread-deadbeef.part"  # another render is writing it, and holds it locked
    fresh = out / ".cy.txt.easyread-0badcafe.part"  # just made: its writer may not have locked it yet
    others = [out / ".notes.txt.part", out / "ada.txt.easyread-1a2b3c4d.part", out / ".photo.png.easyread-1a2b3c4d.part",
              out / ".mydata.txt.12345678.part"]  # another program's, named as easyread once named its own
    for path in [*stale, live, fresh, *others]:
        path.write_bytes(b"half a file")
    hour_ago = os.stat(fresh).st_mtime - 3600
    for path in [*stale, live, *others]:
        os.utime(path, (hour_ago, hour_ago))
    with open(live, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run_cli("render", write("ada.yaml", plan), "--to", "txt", "-o", out)
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in stale)
    assert live.exists() and fresh.exists() and all(path.exists() for path in others)
    assert (out / "ada.txt").read_text().strip()


def test_the_sweep_knows_the_half_written_file_of_every_format():
    from easyread.writers import FORMATS, leftover_pattern

    pattern = leftover_pattern()
    for fmt in FORMATS.values():
        assert pattern.fullmatch(f".jordan-plan{fmt.extension}.easyread-1a2b3c4d.part"), fmt.name
        assert not pattern.fullmatch(f"jordan-plan{fmt.extension}.easyread-1a2b3c4d.part"), fmt.name  # not hidden
        assert not pattern.fullmatch(f".mydata{fmt.extension}.12345678.part"), fmt.name  # not named as easyread's
    assert not pattern.fullmatch(".photo.png.easyread-1a2b3c4d.part")


def test_a_batch_report_that_cannot_be_written_is_not_said_to_be_there(plan, write, tmp_path):
    write("in/ada.yaml", plan)
    write("in/bob.yaml", {**plan, "person": {**plan["person"], "name": "Bob Marley", "known_as": "Bob"}})
    blocker = write("blocker", "a file, not a folder")
    out = tmp_path / "out"
    result = run_cli("render", tmp_path / "in", "--to", "txt", "-o", out, "--report", blocker / "report.json")
    assert result.returncode == 2
    assert f"could not write the report {blocker / 'report.json'}" in result.stderr
    assert result.stderr.rstrip().endswith("; no report was written") and "report in" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["ada.txt", "bob.txt"]  # the documents are there


def test_a_photo_outside_the_plans_folder_needs_a_picture_folder(plan, write, tmp_path):
    import shutil

    (tmp_path / "photos").mkdir()
    shutil.copy(EXAMPLES / "pictures" / "jordan.png", tmp_path / "photos" / "ada.png")
    plan["person"]["photo"] = {"file": "../photos/ada.png", "alt": "Ada smiling"}
    path = write("plans/ada.yaml", plan)
    refused = run_cli("render", path, "--to", "html", "-o", tmp_path / "out")
    assert refused.returncode == 2 and "inside the plan's folder" in refused.stderr
    done = run_cli("render", path, "--to", "html", "-o", tmp_path / "out", "--picture-folder", tmp_path / "photos")
    assert done.returncode == 0, done.stderr
    assert 'alt="Ada smiling"' in (tmp_path / "out" / "ada.html").read_text()
