"""Compose: templates in the sandbox, escaping of plan values, sources on every node."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest
import yaml

import easyread
from easyread.composer import compose, templates
from easyread.document import ContactCard, Glossary, ListBlock, Quote, Statement, Table, sections, statements
from easyread.errors import InputError, TemplateError
from easyread.inputs.kinds import kinds
from easyread.inputs.loader import load
from easyread.inputs.profile import get_profile
from tests.conftest import EXAMPLES, all_blocks

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
                     "Your money for support", "Do you agree with this plan?", "Words to know", "Who to contact",
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
    assert "You need help to cook hot food." in easy and "Ada requires prompting to prepare hot meals safely." not in easy
    assert "Ada requires prompting to prepare hot meals safely." in large


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
    assert "We wrote it on Tuesday 1 September 2026." in texts
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
    started = time.monotonic()
    with pytest.raises(TemplateError, match="took longer than 0.3 seconds") as excinfo:
        compose(plan, template=custom(write, LONG_LOOP))
    assert time.monotonic() - started < 2 and excinfo.value.line == 2


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
    said = [block.text for block in all_blocks(compose(load(review)).blocks)
            if isinstance(block, Statement) and block.text.startswith("We met on")]
    assert said == ["We met on Thursday 19 November 2026.", "We met on Thursday 5 November 2026."]
