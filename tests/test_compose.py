"""Compose: templates in the sandbox, escaping of plan values, sources on every node."""

from __future__ import annotations

import inspect
import os
import re
import threading
from pathlib import Path

import jinja2
import pytest
import yaml
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment

import easyread
from easyread.composer import compose, sandbox, templates
from easyread.document import ContactCard, Glossary, ListBlock, Quote, Statement, Table, sections, statements
from easyread.errors import InputError, TemplateError
from easyread.inputs.kinds import kinds
from easyread.inputs.loader import load
from easyread.inputs.profile import get_profile
from tests.conftest import EXAMPLES, all_blocks, cpu_budget

TRICKY = [
    "# Not a heading",
    "## Nor this",
    "**not bold**",
    "{{ 7 * 7 }} and {% if true %}x{% endif %}",
    ":doctor: is not a symbol",
    "- not a list item",
    "> not a nested quote",
    "@table not a table",
    "| not | cells |",
    "\\ backslash kept",
    "marker \ue000chars\ue004 removed",
]


def section(document, title):
    return next(s for s in sections(document) if s.title == title)


def custom(write, text: str, name: str = "mine.md.j2"):
    return write(name, text)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
@pytest.mark.slow
def test_the_inputs_own_title_is_the_documents_title_and_a_default_stands_in(example):
    loaded = easyread.load(example)
    assert compose(loaded.model_copy(update={"title": "A title of our own"})).title == "A title of our own"
    untitled = compose(loaded.model_copy(update={"title": None})).title
    assert untitled and untitled != "A title of our own"
    assert compose(loaded).title == (loaded.title or untitled)


def test_plan_composes_into_sections_with_sources(plan):
    document = compose(plan)
    assert document.title == "Ada's care and support plan"
    assert document.author == "Westdale Council"
    assert document.template == "support_plan.md.j2"
    titles = [s.title for s in sections(document)]
    for expected in ("About you", "What you need help with", "What you want to do", "Your week",
                     "Your money for support", "What you said about this plan", "Words to know", "Who to contact",
                     "If you are not happy"):
        assert expected in titles
    for kind, runs, source in statements(document):
        if kind == "words":  # the words the formats put around the content ("Page 2 of 9") are the Document's own
            assert source.fields[0].removeprefix("words.") in document.words, runs
        else:
            assert source.template and source.line, runs
    # a statement made from a plan field names that field and the template line
    needs = section(document, "What you need help with")
    statement = next(b for b in all_blocks(needs.blocks) if isinstance(b, Statement) and "cook hot food" in b.text)
    assert statement.source.fields == ["needs[0].description.easy_read"]
    assert (statement.symbol, statement.symbol_source) == ("cook", "words")  # its own words choose, not the template


def test_easy_read_wording_is_used_for_easy_read_and_the_professional_one_for_large_print(plan):
    easy = [r.text for _k, runs, _s in statements(compose(plan, profile="easy-read")) for r in runs]
    large = [r.text for _k, runs, _s in statements(compose(plan, profile="large-print")) for r in runs]
    assert "You need help to cook hot food." in easy and "You need prompting to prepare hot meals safely." not in easy
    assert "You need prompting to prepare hot meals safely." in large


@pytest.mark.parametrize("words", TRICKY)
def test_a_persons_words_are_always_literal_text(plan, words):
    plan["about_me"] = [words]
    plan["what_matters_to_me"] = []
    document = compose(plan)
    quotes = [b for b in all_blocks(document.blocks) if isinstance(b, Quote)]
    expected = words.replace("\ue000", "").replace("\ue004", "")
    assert any(q.text == expected and q.runs[0].own_words and not q.runs[0].bold for q in quotes)
    assert [s.title for s in sections(document)].count("Nor this") == 0
    assert not any(isinstance(b, Table) for b in all_blocks(section(document, "About you").blocks))


def test_plan_values_cannot_be_symbols_headings_or_cells(plan):
    plan["timetable"][0]["activity"] = "Cooking | Dancing"
    plan["needs"][0]["area"] = ":doctor: Cooking"
    document = compose(plan)
    table = next(b for b in all_blocks(document.blocks) if isinstance(b, Table))
    assert len(table.header) == 4 and all(len(row.cells) == 4 for row in table.rows)
    assert [[r.text for r in cell] for cell in table.rows[1].cells][2] == ["Cooking | Dancing"]
    assert table.rows[1].source.fields[:2] == ["timetable[0].day", "timetable[0].start"]
    sub = next(s for s in sections(document) if s.level == 3 and "Cooking" in s.title)
    assert sub.title == ":doctor: Cooking" and sub.symbol_source == "words"  # chosen from the words, not obeyed


def test_timetable_is_a_table_in_week_order_with_a_header_row(plan):
    table = next(b for b in all_blocks(compose(plan).blocks) if isinstance(b, Table))
    assert [[r.text for r in cell] for cell in table.header] == [["Day"], ["Time"], ["What happens"], ["Who helps"]]
    assert [row.cells[0][0].text for row in table.rows] == ["Monday", "Wednesday"]
    assert [r.text for r in table.rows[0].cells[1]] == ["9:30am", " to ", "11am"]


def test_filters_format_dates_money_and_keep_the_field(plan):
    document = compose(plan)
    texts = {b.text: b for b in all_blocks(document.blocks) if isinstance(b, Statement)}
    assert "We wrote it on Tuesday 1 September 2026." in [line.text for line in document.cover.lines]
    budget = texts["Your personal budget is £120.50 a week."]
    assert budget.runs[1].bold and budget.runs[1].field == "budget.total"


def test_glossary_and_contacts_are_structured(plan):
    document = compose(plan)
    glossary = next(b for b in all_blocks(document.blocks) if isinstance(b, Glossary))
    assert "Personal budget" in [t.word for t in glossary.terms]
    cards = [b for b in all_blocks(document.blocks) if isinstance(b, ContactCard)]
    assert cards[0].get("name") == "Tom Baker" and cards[0].get("phone") == "01632 960 101"


def test_custom_template_sources_point_at_template_lines(plan, write):
    path = custom(write, "# Hello {{ person.called }}\n\n## :home: Home\n:home: You live here.\n"
                         "{% for w in about_me %}\n> {{ w }}\n{% endfor %}\n- one\n- **two** {{ person.name }}\n")
    document = compose(plan, template=path)
    home = section(document, "Home")
    assert home.source.line == 3 and home.source.template == "mine.md.j2"
    statement, quote, items = home.blocks
    assert (statement.source.line, statement.symbol, statement.text) == (4, "home", "You live here.")
    assert (quote.source.line, quote.source.fields) == (6, ["about_me[0]"])
    assert isinstance(items, ListBlock) and [i.source.line for i in items.items] == [8, 9]
    assert items.items[1].runs[0].bold and items.items[1].text == "two Ada Lovelock"
    assert document.title_source.fields == ["person.known_as"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("# T\n\n{{ person.nmae }}\n", 3, "person has no field 'nmae'"),
        ("# T\n{{ date | shout }}\n", 2, "No filter named 'shout'"),
        ("# T\n:doctr: Hello\n", 2, "did you mean :doctor:"),
        ("# T\n{{ ''.__class__.__mro__ }}\n", 2, "unsafe"),
        ("# T\n{{ person.__class__ }}\n", 2, "unsafe"),
        ("# T\n\n{% for x in about_me %}\n{{ x.__class__.__init__.__globals__ }}\n{% endfor %}\n", 4, "unsafe"),
        ("# T\n**open bold\n", 2, "bold is not closed"),
        ("# T\n### Sub\n", 2, "must come after a '## ' heading"),
        ("# T\n@table X\n| a | b |\n| c |\n", 4, "needs 2 cells"),
        ("# T\n@unknown\n", 2, "unknown block '@unknown'"),
        ("# T\n{{ person }}\n", 2, "cannot print all of"),
        ("# T\n{% if x %}\n", 2, "Unexpected end of template"),
        ("Hello first\n# T\n", 1, "must start with its title"),
        ("# T\n{{ budget.total | amount }}\n", 2, "the amount filter needs an amount"),
        ("# T\n{{ person.birthday | date }}\n", 2, "person has no field 'birthday'"),
        ("# T\n{{ about_me }}\n", 2, "cannot print the whole list about_me"),
        ("# T\n{{ 1 / 0 }}\n", 2, "could not run this line: division by zero"),
    ],
)
def test_template_errors_name_the_template_and_line(plan, write, text, line, message):
    with pytest.raises(TemplateError, match=message.replace("(", r"\(")) as excinfo:
        compose(plan, template=custom(write, text))
    assert (excinfo.value.template, excinfo.value.line) == ("mine.md.j2", line)
    assert str(excinfo.value).startswith(f"mine.md.j2:{line}: ")


def test_plan_symbol_names_are_checked(plan):
    plan["outcomes"][0]["symbol"] = "cooking"
    with pytest.raises(TemplateError, match=r"outcomes\[0\].symbol: no symbol called :cooking:; did you mean :cook:"):
        compose(plan)


def test_unknown_template_lists_the_shipped_ones(plan):
    with pytest.raises(TemplateError, match="no template called 'nope'; shipped templates are .*support_plan"):
        compose(plan, template="nope")


def test_shipped_templates_cover_every_kind():
    assert {t["kind"] for t in templates()} == set(kinds())
    assert all(t["description"] for t in templates())


def test_empty_sections_are_dropped(plan):
    plan["what_matters_to_me"] = []
    plan["strengths"] = []
    titles = [s.title for s in sections(compose(plan))]
    assert "What matters to you" not in titles and "What you are good at" not in titles


def test_a_quote_keeps_the_persons_words_theirs_even_through_a_filter(plan, write):
    path = custom(write, "# T\n{% for w in about_me %}\n> {{ w | trim | upper }}\n{% endfor %}\n")
    (quote,) = compose(plan, template=path).blocks
    assert quote.text == "I LIKE GARDENING AND MY CAT PIP." and all(r.own_words for r in quote.runs)


def test_a_template_for_another_kind_is_refused_clearly(plan):
    with pytest.raises(TemplateError, match="this template is for a review, but the input is a plan"):
        compose(plan, template="review")


# --- limits on what a template may make (issue 13, item 8) -----------------------------------------
# Each bomb here is only just past a limit, so even without the limits it would cost megabytes, not
# gigabytes: the full-size bombs run in a bounded process in tests/test_hostile_templates.py.

@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{{ "a" * 6000000 }}', "the result of \\* would be too big"),
        ('{{ ["a"] * 1000000 }}', "the result of \\* would be too big"),
        ('{{ "a" * 3000000 + "b" * 3000000 }}', "the result of \\+ would be too big"),
        ('{{ range(100) | map("string") | join("x" * 60000) }}', "the join filter would be too big"),
        ('{{ "x" * 60000 ~ "x" * 60000 | center(5000001) }}', "the center filter would be too big"),
        ('{% set s = "x" * 3000000 %}{{ s ~ s }}', "joined with ~ would be too big"),
        ('{% set s = "x" * 1000000 %}{{ [s, s, s, s, s, s] }}', "the value printed would be too big"),
        ('{{ "x".ljust(6000000) }}', "ljust\\(\\) would be too big"),
        ('{{ ("x" * 1000).replace("x", "y" * 6000) }}', "replace\\(\\) would be too big"),
        ('{{ "%6000000d" % 1 }}', "the result of % would be too big"),
        ('{{ "{:>6000000}".format(1) }}', "format\\(\\) would be too big"),
        ('{{ "%s" | format("x" * 3000000) * 2 }}', "would be too big"),
        ('{{ lipsum(4000) }}', "lipsum\\(\\) would be too big"),
        ('{{ range(10) | batch(1000000, "x") | list }}', "the batch filter would be too big"),
        ('{{ [[1]] * 100 | sum(start=[]) }}', "the sum filter adds up numbers only"),
        ("{{ 7 ** 2000 }}", "numbers of at most 1,000 digits"),
        ("{{ (10 ** 600) * (10 ** 600) }}", "numbers of at most 1,000 digits"),
        ('{% for i in range(600) %}{{ "x" * 10000 }}{% endfor %}', "output would be too big"),
    ],
)
def test_a_template_cannot_make_a_value_or_output_past_the_limits(plan, write, text, message):
    with pytest.raises(TemplateError, match=message) as excinfo:
        compose(plan, template=custom(write, "# T\n" + text + "\n"))
    assert excinfo.value.template == "mine.md.j2"


def test_a_template_that_makes_too_much_on_the_way_is_stopped(plan, write, monkeypatch):
    from easyread import composer

    monkeypatch.setattr(composer, "MAX_TEMPLATE_WORK", 2_000_000)
    text = '# T\n{% for i in range(1000) %}{% set x = "y" * 4000 %}{% endfor %}Done.\n'
    with pytest.raises(TemplateError, match="made too much") as excinfo:
        compose(plan, template=custom(write, text))
    assert excinfo.value.line == 2


def test_macro_recursion_is_a_template_error_naming_the_template(plan, write):
    text = "# T\n{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}\n{{ m(0) }}\n"
    with pytest.raises(TemplateError, match="calls itself too deeply") as excinfo:
        compose(plan, template=custom(write, text))
    assert excinfo.value.template == "mine.md.j2" and excinfo.value.line == 2


LONG_LOOP = "# T\n{% for i in range(100000) %}{% for j in range(300) %}{% endfor %}{% endfor %}Done.\n"


@pytest.mark.slow
def test_a_render_that_takes_too_long_is_stopped(plan, write, monkeypatch):
    monkeypatch.setenv("EASYREAD_TEMPLATE_SECONDS", "0.3")
    with cpu_budget(10), pytest.raises(TemplateError, match="took longer than 0.3 seconds") as excinfo:
        compose(plan, template=custom(write, LONG_LOOP))
    assert excinfo.value.line == 2


@pytest.mark.slow
def test_the_time_limit_is_per_render_not_per_process(plan, write, monkeypatch):
    monkeypatch.setenv("EASYREAD_TEMPLATE_SECONDS", "0.5")
    slow, quick = custom(write, LONG_LOOP, "slow.md.j2"), custom(write, "# T\nHello {{ person.called }}.\n", "quick.md.j2")
    compose(plan, template=quick)  # compiled now: the threads below only render
    results: dict[str, object] = {}

    def run(name, template, times):
        try:
            for _ in range(times):
                results[name] = compose(plan, template=template).title
        except TemplateError as err:
            results[name] = err

    threads = [threading.Thread(target=run, args=("slow", slow, 1)), threading.Thread(target=run, args=("quick", quick, 40))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert isinstance(results["slow"], TemplateError) and "took longer" in str(results["slow"])
    assert results["quick"] == "T"


def test_ordinary_template_arithmetic_and_filters_still_work(plan, write):
    text = ('# T\n{{ 2 ** 10 }} {{ "ab" * 3 }} {{ [1, 2] + [3] }} {{ "%s and %s" % ("tea", "toast") }} '
            '{{ "{} {}".format("hot", "food") }} {{ about_me | join(", ") }} {{ "x" | center(5) }}|'
            '{{ range(5) | batch(2, 0) | list }} {{ [1, 2, 3] | sum }} {{ "a b" | replace(" ", "-") }}\n')
    (statement,) = compose(plan, template=custom(write, text)).blocks
    assert statement.text == ("1024 ababab [1, 2, 3] tea and toast hot food I like gardening and my cat Pip. x|"
                              "[[0, 1], [2, 3], [4, 0]] 6 a-b")


# --- template files (issue 13, item 13a) ----------------------------------------------------------

def test_an_include_or_import_of_a_link_out_of_the_folder_is_refused(plan, write, tmp_path):
    (tmp_path / "secret.md.j2").write_text("Someone else's words.\n")
    folder = tmp_path / "council"
    folder.mkdir()
    (folder / "passwd.md.j2").symlink_to("/etc/passwd")
    (folder / "other.md.j2").symlink_to(tmp_path / "secret.md.j2")
    (folder / "part.md.j2").write_text("Your plan.\n")
    for text in ('# T\n{% include "passwd.md.j2" %}\n', '# T\n{% include "other.md.j2" %}\n',
                 '# T\n{% import "passwd.md.j2" as p %}\n'):
        (folder / "mine.md.j2").write_text(text)
        with pytest.raises(TemplateError, match="is a link to a file outside its folder") as excinfo:
            compose(plan, template=folder / "mine.md.j2")
        assert (excinfo.value.template, excinfo.value.line) == ("mine.md.j2", 2)
    (folder / "mine.md.j2").write_text('# T\n{% include "part.md.j2" %}\n')
    assert [block.text for block in compose(plan, template=folder / "mine.md.j2").blocks] == ["Your plan."]


def test_a_huge_template_file_is_refused(plan, write):
    from easyread.inputs.limits import MAX_TEMPLATE_BYTES

    with pytest.raises(TemplateError, match="bytes; the most easyread reads"):
        compose(plan, template=custom(write, "# T\n" + "Hello.\n" * (MAX_TEMPLATE_BYTES // 7 + 1)))


# --- picture problems name the plan (issue 13, item 13d) --------------------------------------------

def test_picture_problems_name_the_plan_file_and_line(plan, write):
    plan["person"]["photo"] = {"file": "missing.png", "alt": "Ada"}
    source = write("ada.yaml", plan)
    with pytest.raises(InputError) as excinfo:
        compose(source)
    (problem,) = excinfo.value.problems
    assert problem.file == str(source) and problem.line is not None and problem.field == "person.photo.file"
    assert str(problem).startswith(f"{source}:{problem.line}: person.photo.file: ")
    assert "relative to the file that names it" in problem.message and "plan file" not in problem.message


# --- the compiled-template cache (issue 13, item 10) ------------------------------------------------

def _poisoned(folder: Path, name: str, source: str, marker: Path) -> None:
    """Jinja2 bytecode for a template that, when loaded, creates `marker`: written under every name it might be found."""
    import hashlib
    import marshal
    import pickle

    import jinja2

    data = (jinja2.bccache.bc_magic + pickle.dumps(hashlib.sha1(source.encode()).hexdigest(), 2)
            + marshal.dumps(compile(f"open({str(marker)!r}, 'w').write('ran')\n", "<poison>", "exec")))
    key = jinja2.FileSystemBytecodeCache().get_cache_key(name, None)
    for file in (f"__jinja2_{key}.cache", f"{key}.cache"):
        (folder / file).write_bytes(data)


def _cached_environment(folder: Path):
    import jinja2

    from easyread.cache import template_bytecode

    return jinja2.Environment(loader=jinja2.DictLoader({"t": "Hello {{ name }}"}), bytecode_cache=template_bytecode(__file__))


def test_compiled_templates_are_signed_and_anything_else_is_not_run(monkeypatch, tmp_path):
    import jinja2

    monkeypatch.setenv("EASYREAD_CACHE_DIR", str(tmp_path / "cache"))
    assert _cached_environment(tmp_path).get_template("t").render(name="Ada") == "Hello Ada"
    (folder,) = [path for path in (tmp_path / "cache" / "templates").iterdir() if path.is_dir()]
    (cached,) = folder.glob("*.cache")
    assert (tmp_path / "cache" / "templates" / "key").stat().st_mode & 0o777 == 0o600
    compiles = []
    monkeypatch.setattr(jinja2.Environment, "_compile",
                        lambda self, *args: compiles.append(args) or pytest.fail("compiled again"))
    assert _cached_environment(tmp_path).get_template("t").render(name="Ada") == "Hello Ada"  # from the signed file
    monkeypatch.undo()
    monkeypatch.setenv("EASYREAD_CACHE_DIR", str(tmp_path / "cache"))
    marker = tmp_path / "ran"
    _poisoned(folder, "t", "Hello {{ name }}", marker)
    assert _cached_environment(tmp_path).get_template("t").render(name="Ada") == "Hello Ada"
    assert not marker.exists() and cached.exists()


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_no_compiled_templates_from_a_folder_others_can_change(monkeypatch, tmp_path):
    from easyread.cache import template_bytecode

    monkeypatch.setenv("EASYREAD_CACHE_DIR", str(tmp_path / "cache"))
    assert template_bytecode(__file__) is not None
    key = tmp_path / "cache" / "templates" / "key"
    for place, mode in ((tmp_path / "cache", 0o777), (tmp_path / "cache" / "templates", 0o775), (key, 0o644)):
        before = place.stat().st_mode & 0o777
        place.chmod(mode)
        try:
            assert template_bytecode(__file__) is None, place
        finally:
            place.chmod(before)
    assert template_bytecode(__file__) is not None


def test_direction_controls_are_made_harmless_once_for_every_format(plan, tmp_path):
    # done when the Document is composed, so the plain text and JSON are safe too, not only PDF, HTML and Word
    plan["next_review"]["how_to_ask_earlier"] = "Ring Tom on 01632\u202e 960 101 if things change."
    plan["about_me"] = ["\u202eMy words", "I like tea."]
    done = easyread.render(plan, formats=["txt", "json"], outdir=tmp_path)
    text, data = (path.read_text(encoding="utf-8") for path in done.paths)
    # in the text the number is whole (no-break spaces), in the JSON as written
    assert "Ring Tom on 01632\u00a0960\u00a0101 if things change." in text and text.count("\u202e") == 1
    assert "\u202eMy words\u202c" in text  # the person's own override, closed at the end of their words
    assert "01632 960 101" in data and "01632\\u202e" not in data


SAMPLES = Path(easyread.__file__).parent / "samples"


def _ending_in_full_stops(value):
    """Every free-text value of an input (words with a space, not a phone number, date or colour) ending in '.'."""
    if isinstance(value, dict):
        return {key: _ending_in_full_stops(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_ending_in_full_stops(item) for item in value]
    if isinstance(value, str) and " " in value.strip() and not re.fullmatch(r"[\d +()-]+|\d{4}-\d\d-\d\d.*", value.strip()) \
            and not value.rstrip().endswith((".", "?", "!", ":")):
        return value.rstrip() + "."
    return value


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_a_template_full_stop_after_a_value_that_ends_a_sentence_is_not_doubled(sample):
    # a practitioner's "Dad looks after it. The direct payments team helps him." before the template's own
    # full stop was printed "helps him.."; whatever ends a value, one full stop ends the sentence
    data = _ending_in_full_stops(yaml.safe_load(sample.read_text(encoding="utf-8")))
    for profile in ("easy-read", "large-print"):
        document = compose(load(data), profile=get_profile(profile))
        doubled = [block.text for block in all_blocks(document.blocks)
                   if isinstance(block, Statement) and re.search(r"[.?!]\*{0,2}\.(?!\.)", block.text)]
        assert not doubled, (profile, doubled[:3])


def test_a_review_says_its_meeting_date_once_when_the_dates_met_hold_it_too():
    review = yaml.safe_load((EXAMPLES / "priya-review.yaml").read_text(encoding="utf-8"))
    review["involvement"]["dates"] = [review["date"], "2026-11-05"]
    review["person"].pop("photo"), review["contacts"][0].pop("photo")
    document = compose(load(review))
    said = [block.text for block in [*document.cover.lines, *all_blocks(document.blocks)]
            if isinstance(block, Statement) and block.text.startswith("We met on")]
    assert said == ["We met on Thursday 19 November 2026.", "We met on Thursday 5 November 2026."]  # the cover's, then


# --- the sandbox adapter (easyread/composer/sandbox.py) against Jinja2 itself -------------------------
# sandbox.py is the one module that reaches into Jinja2's internals. These tests use it directly, not
# through a plan, so a Jinja2 release that renames or changes one thing it relies on fails one test
# that names that thing.

# what sandbox.py adds to Jinja2's classes, rather than overrides: every other name they define must be Jinja2's
OUR_OWN_NAMES = {"easyread_tick", "easyread_output", "easyread_join", "_name_message", "_field_message"}
EXTENDED = [(sandbox.LimitedCodeGenerator, CodeGenerator), (sandbox.LimitedSandbox, ImmutableSandboxedEnvironment),
            (sandbox.WordedUndefined, jinja2.StrictUndefined)]
OVERRIDDEN = [pytest.param(ours, theirs, name, id=f"{theirs.__name__}.{name}")
              for ours, theirs in EXTENDED for name in vars(ours) if not name.startswith("__") and name not in OUR_OWN_NAMES]
# names of Jinja2's that sandbox.py reads or whose generated code it writes, beyond what it overrides
READ = [
    pytest.param(jinja2.Undefined, "_undefined_hint", id="Undefined._undefined_hint"),
    pytest.param(jinja2.Undefined, "_undefined_obj", id="Undefined._undefined_obj"),
    pytest.param(jinja2.Undefined, "_undefined_name", id="Undefined._undefined_name"),
    pytest.param(jinja2.Undefined, "_fail_with_undefined_error", id="Undefined._fail_with_undefined_error"),
    pytest.param(CodeGenerator, "writeline", id="CodeGenerator.writeline"),
    pytest.param(CodeGenerator, "write", id="CodeGenerator.write"),
    pytest.param(CodeGenerator, "visit", id="CodeGenerator.visit"),
    pytest.param(jinja2.filters, "sync_do_join", id="filters.sync_do_join"),
    pytest.param(jinja2.filters, "make_attrgetter", id="filters.make_attrgetter"),
    pytest.param(jinja2.utils, "generate_lorem_ipsum", id="utils.generate_lorem_ipsum"),
    pytest.param(jinja2.loaders, "split_template_path", id="loaders.split_template_path"),
]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _shape(function) -> list[str]:
    """How a function is called: its positional parameters, *args, keyword-only parameters and **kwargs."""
    kinds = {inspect.Parameter.VAR_POSITIONAL: "*args", inspect.Parameter.VAR_KEYWORD: "**kwargs",
             inspect.Parameter.KEYWORD_ONLY: "keyword"}
    return [kinds.get(parameter.kind, "positional") for parameter in inspect.signature(function).parameters.values()]


def test_sandbox_jinja2_is_inside_the_range_pyproject_pins():
    import importlib.metadata
    import tomllib

    from tests.conftest import ROOT

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    (pin,) = [spec for spec in dependencies if re.match(r"jinja2\b", spec, re.I)]
    lowest, below = re.search(r">=\s*([\d.]+)", pin), re.search(r"(?<![<>=!])<\s*([\d.]+)", pin)
    assert lowest and below, f"pyproject.toml pins Jinja2 without a range: {pin!r}"
    installed = importlib.metadata.version("Jinja2")
    assert installed == jinja2.__version__
    assert _version(lowest.group(1)) <= _version(installed) < _version(below.group(1)), (installed, pin)


@pytest.mark.parametrize(("ours", "theirs", "name"), OVERRIDDEN)
def test_sandbox_jinja2_still_has_what_it_overrides(ours, theirs, name):
    mine = inspect.getattr_static(ours, name)
    jinjas = inspect.getattr_static(theirs, name, None)
    assert jinjas is not None, (f"Jinja2 {jinja2.__version__} has no {theirs.__name__}.{name}, which sandbox.py's "
                                f"{ours.__name__} overrides (if it is easyread's own, add it to OUR_OWN_NAMES)")
    if isinstance(mine, property):
        assert isinstance(jinjas, property), f"{theirs.__name__}.{name} is no longer a property"
    elif callable(mine):
        assert callable(jinjas) and _shape(mine) == _shape(jinjas), \
            f"{theirs.__name__}.{name} is now called {inspect.signature(jinjas)}; {ours.__name__} has {inspect.signature(mine)}"


@pytest.mark.parametrize(("owner", "name"), READ)
def test_sandbox_jinja2_still_has_what_it_reads(owner, name):
    assert hasattr(owner, name), f"Jinja2 {jinja2.__version__} has no {name} in {owner.__name__}, which sandbox.py uses"


def test_sandbox_jinja2_still_gives_generated_code_the_joins_and_keeps_namespaces_as_it_did():
    assert {"markup_join", "str_join"} <= set(jinja2.runtime.exported)  # what the code for `~` joins with
    assert getattr(jinja2.utils.Namespace(s="held"), "_Namespace__attrs") == {"s": "held"}  # what size_of counts
    assert sandbox.size_of(jinja2.utils.Namespace(s="x" * 1000)) > 1000


def _render(text: str, context: dict | None = None, max_work: int = 100_000_000, seconds: float = 20, **options):
    env = sandbox.limited_environment([], **options)
    return sandbox.render_within_limits(env.from_string(text), context or {}, seconds=seconds, max_work=max_work)


BIG = "x" * 1_000_000
# (what a template does, the call our code generator or Jinja2's sandbox writes for it, context, the error past a limit)
LIMITED = {
    "string multiplication": ("{{ s * n }}", "environment.call_binop(context, '*',", {"s": "a", "n": 6_000_000},
                              r"the result of \* would be too big"),
    "list multiplication": ("{{ [s] * n }}", "environment.call_binop(context, '*',", {"s": "a", "n": 1_000_000},
                            r"the result of \* would be too big"),
    "a power": ("{{ 7 ** n }}", "environment.call_binop(context, '**',", {"n": 2000}, "numbers of at most 1,000 digits"),
    "a product of numbers": ("{{ a * b }}", "environment.call_binop(context, '*',", {"a": 10**600, "b": 10**600},
                             "numbers of at most 1,000 digits"),
    "% formatting": ('{{ "%6000000d" % n }}', "environment.call_binop(context, '%',", {"n": 1},
                     "the result of % would be too big"),
    "+ in a loop": ('{% set ns = namespace(s="x") %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}',
                    "environment.call_binop(context, '+',", {}, r"the result of \+ would be too big"),
    "~ in a loop": ('{% set ns = namespace(s="x") %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
                    "environment.easyread_join(str_join, (", {}, "the text joined with ~ would be too big"),
    "output": ("{% for i in range(600) %}{{ s }}{% endfor %}", "environment.easyread_output(", {"s": "x" * 10_000},
               "the template's output would be too big"),
    "a value printed": ("{{ [s, s, s, s, s, s] }}", "environment.finalize(", {"s": BIG}, "the value printed would be too big"),
    "a method call": ("{{ s.ljust(n) }}", "environment.call(context, environment.getattr(", {"s": "x", "n": 6_000_000},
                      r"the result of .ljust\(\) would be too big"),
    "str.format": ('{{ "{:>6000000}".format(n) }}', "environment.call(context,", {"n": 1},
                   r"the result of .format\(\) would be too big"),
    "the join filter": ("{{ items | join(s) }}", None, {"items": ["a"] * 100, "s": "x" * 60_000},
                        "the result of the join filter would be too big"),
    "the center filter": ("{{ s | center(n) }}", None, {"s": "x", "n": 6_000_000},
                          "the result of the center filter would be too big"),
    "the batch filter": ('{{ range(10) | batch(n, "x") | list }}', None, {"n": 1_000_000},
                         "the result of the batch filter would be too big"),
    "the sum filter": ("{{ items | sum(start=[]) }}", None, {"items": [[1]] * 100}, "the sum filter adds up numbers only"),
    "the slice filter (its eval context hidden)": ("{{ items | slice(n, s) | list }}", None,
                                                   {"items": [1], "n": 100_000, "s": "x" * 100},
                                                   "the result of the slice filter would be too big"),
    "lipsum": ("{{ lipsum(n) }}", None, {"n": 4000}, r"the result of lipsum\(\) would be too big"),
}


@pytest.mark.parametrize("construct", LIMITED)
def test_sandbox_generated_code_calls_our_hooks_and_refuses_past_the_limits(construct):
    text, hook, context, refusal = LIMITED[construct]
    if hook is not None:
        assert hook in sandbox.limited_environment([]).compile(text, raw=True), f"{construct}: no {hook} in the code"
    with pytest.raises(sandbox.TemplateLimit, match=refusal):
        _render(text, context)


def test_sandbox_every_hook_the_generated_code_calls_is_the_environments():
    text = ('{% macro m(n) %}{{ n }}{% endmacro %}{% for i in r %}{{ m(i) ~ "x" }}{{ i.real }}{{ r[0] }}{% endfor %}'
            '{{ "a" * 2 }}')
    code = sandbox.limited_environment([]).compile(text, raw=True)
    called = set(re.findall(r"environment\.(easyread_\w+)", code))
    assert called == {"easyread_tick", "easyread_output", "easyread_join"}
    assert all(callable(getattr(sandbox.LimitedSandbox, name)) for name in called)
    assert _render(text, {"r": [1, 2]}) == "1x112x21aa"  # and the code it makes still runs as Jinja2's would


def test_sandbox_each_loop_turn_and_macro_call_is_counted_and_endless_recursion_ends():
    loop, macro = "{% for i in range(n) %}{% endfor %}", "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}"
    assert _render(loop, {"n": 400}, max_work=1000) == ""
    with pytest.raises(sandbox.TemplateLimit, match="made too much: more than 1,000 characters"):
        _render(loop, {"n": 2000}, max_work=1000)
    assert sandbox.limited_environment([]).compile(macro, raw=True).count("environment.easyread_tick()") == 2  # root, macro
    with pytest.raises(sandbox.TemplateLimit, match="made too much"):
        _render(macro, max_work=500)
    with pytest.raises(RecursionError):  # the composer words it ("calls itself too deeply")
        _render(macro)


def test_sandbox_a_render_stops_at_its_seconds_and_the_budget_is_the_renders_own():
    with cpu_budget(10), pytest.raises(sandbox.TemplateLimit, match="took longer than 0.05 seconds"):
        _render("{% for i in range(100000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}", seconds=0.05)
    # outside a render nothing is counted: Jinja2 folding constants as it compiles is not a render
    assert sandbox.limited_environment([]).from_string("{% for i in range(5000) %}{% endfor %}ok").render() == "ok"


def test_sandbox_a_printed_value_is_sized_before_finalize_sees_it():
    seen = []
    assert _render("{{ s }}", {"s": "tea"}, finalize=lambda value: seen.append(value) or value.upper()) == "TEA"
    with pytest.raises(sandbox.TemplateLimit, match="the value printed would be too big"):
        _render("{{ [s, s, s, s, s, s] }}", {"s": BIG}, finalize=seen.append)
    assert seen == ["tea"]


def test_sandbox_filters_given_are_limited_and_sized_as_asked():
    filters = {"repeat": lambda value, times=2: str(value) * times}
    sizes = {"repeat": lambda asked: len(str(asked["value"])) * asked["times"]}
    assert _render('{{ "tea" | repeat }}', filters=filters, filter_sizes=sizes) == "teatea"
    with pytest.raises(sandbox.TemplateLimit, match="the result of the repeat filter would be too big"):  # before it is made
        _render("{{ s | repeat(n) }}", {"s": "x", "n": 6_000_000}, filters=filters, filter_sizes=sizes)
    with pytest.raises(sandbox.TemplateLimit, match="a value given to the repeat filter would be too big"):
        _render("{{ s | repeat(1) }}", {"s": "x" * 6_000_000}, filters=filters)
    with pytest.raises(sandbox.TemplateLimit, match="made too much"):  # each call counted, Jinja2's filters too
        _render('{% for i in range(2000) %}{{ "" | repeat | upper }}{% endfor %}', filters=filters, max_work=1000)


def test_sandbox_loader_keeps_to_its_folders_and_refuses_huge_templates(tmp_path):
    from easyread.inputs.limits import MAX_TEMPLATE_BYTES

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "ok.md.j2").write_text("Hello \ue000there", encoding="utf-8")
    (folder / "big.md.j2").write_text("x" * (MAX_TEMPLATE_BYTES + 1), encoding="utf-8")
    (tmp_path / "secret.md.j2").write_text("someone else's", encoding="utf-8")
    (folder / "link.md.j2").symlink_to(tmp_path / "secret.md.j2")
    env = sandbox.limited_environment([str(folder)], read_source=lambda text: text.replace("\ue000", ""))
    assert env.get_template("ok.md.j2").render() == "Hello there"
    with pytest.raises(jinja2.exceptions.SecurityError, match="is a link to a file outside its folder"):
        env.get_template("link.md.j2")
    with pytest.raises(sandbox.TemplateLimit, match="bytes; the most easyread reads"):
        env.get_template("big.md.j2")
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("../secret.md.j2")


class _Worded(sandbox.WordedUndefined):
    def _name_message(self, name):
        return f"nothing is called {name}"

    def _field_message(self, owner, name):
        return f"{owner['label']} has no {name}" if isinstance(owner, dict) else None


def test_sandbox_undefined_values_say_what_the_subclass_words():
    def error(text, **context):
        with pytest.raises(jinja2.TemplateRuntimeError) as excinfo:  # UndefinedError, or SecurityError when unsafe
            _render(text, context, undefined=_Worded)
        return str(excinfo.value)

    assert error("{{ tea }}") == "nothing is called tea"
    assert error("{{ thing.colour }}", thing={"label": "the thing"}) == "the thing has no colour"
    assert error("{{ n.colour }}", n=1) == "'int object' has no attribute 'colour'"  # Jinja2's own, when we give none
    assert error("{{ n.__class__ }}", n=1) == "access to attribute '__class__' of 'int' object is unsafe."  # the hint first
    assert "unsafe" in error("{{ n._name_message('x') }}", n=_Worded(name="tea"))  # the hooks are not a template's to call
    with pytest.raises(jinja2.UndefinedError, match="nothing is called tea"):
        sandbox.raise_if_undefined(_Worded(name="tea"))
    sandbox.raise_if_undefined("tea")
    sandbox.raise_if_undefined(None)


def test_sandbox_errors_name_the_template_file_and_line(tmp_path):
    (tmp_path / "t.md.j2").write_text("one\n{{ 1 / n }}\n", encoding="utf-8")
    env = sandbox.limited_environment([str(tmp_path)])
    for template, name in ((env.get_template("t.md.j2"), "t.md.j2"), (env.from_string("one\n{{ 1 / n }}\n"), "<template>")):
        with pytest.raises(ZeroDivisionError) as excinfo:
            sandbox.render_within_limits(template, {"n": 0}, seconds=5, max_work=1000)
        assert sandbox.template_line(excinfo.value) == (name, 2)


def test_sandbox_the_compiled_template_cache_is_named_after_every_module_that_decides_the_code(monkeypatch, tmp_path):
    from easyread import composer
    from easyread.cache import template_bytecode
    from easyread.composer import markup

    monkeypatch.setenv("EASYREAD_CACHE_DIR", str(tmp_path / "cache"))
    assert set(composer.COMPILED_BY) == {composer.__file__, sandbox.__file__, markup.__file__}
    folder = composer.environment.__wrapped__((str(tmp_path),)).bytecode_cache.folder  # a new one, not the cached
    assert folder == template_bytecode(*composer.COMPILED_BY).folder != template_bytecode(composer.__file__).folder
    # a change to any of them, or code moved from one to the next, is a new cache
    first, second = tmp_path / "first.py", tmp_path / "second.py"
    names = set()
    for one, two in (("a = 1\n", "b = 2\n"), ("a = 1\nb = 2\n", ""), ("a = 1\n", "b = 3\n"), ("a = 0\n", "b = 2\n")):
        first.write_text(one)
        second.write_text(two)
        names.add(template_bytecode(str(first), str(second)).folder.name)
    assert len(names) == 4
