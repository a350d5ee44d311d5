"""Compose: templates in the sandbox, escaping of plan values, sources on every node."""

from __future__ import annotations

import pytest

from easyread.composer import compose, templates
from easyread.document import ContactCard, Glossary, ListBlock, Quote, Section, Statement, Table
from easyread.errors import TemplateError

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


def all_blocks(blocks):
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from all_blocks(block.blocks)


def section(document, title):
    return next(s for s in document.sections() if s.title == title)


def custom(write, text: str, name: str = "mine.md.j2"):
    return write(name, text)


def test_plan_composes_into_sections_with_sources(plan):
    document = compose(plan)
    assert document.title == "Ada's care and support plan"
    assert document.author == "Westdale Council"
    assert document.template == "support_plan.md.j2"
    titles = [s.title for s in document.sections()]
    for expected in ("About you", "What you need help with", "What you want to do", "Your week",
                     "Your money for support", "Do you agree with this plan?", "Words to know", "Who to contact",
                     "If you are not happy"):
        assert expected in titles
    for _kind, runs, source in document.statements():
        assert source.template and source.line, runs
    # a statement made from a plan field names that field and the template line
    needs = section(document, "What you need help with")
    statement = next(b for b in all_blocks(needs.blocks) if isinstance(b, Statement) and "cook hot food" in b.text)
    assert statement.source.fields == ["needs[0].description.easy_read"]
    assert statement.symbol == "needs"


def test_easy_read_wording_is_used_for_easy_read_and_the_professional_one_for_large_print(plan):
    easy = [r.text for _k, runs, _s in compose(plan, profile="easy-read").statements() for r in runs]
    large = [r.text for _k, runs, _s in compose(plan, profile="large-print").statements() for r in runs]
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
    assert [s.title for s in document.sections()].count("Nor this") == 0
    assert not any(isinstance(b, Table) for b in all_blocks(section(document, "About you").blocks))


def test_plan_values_cannot_be_symbols_headings_or_cells(plan):
    plan["timetable"][0]["activity"] = "Cooking | Dancing"
    plan["needs"][0]["area"] = ":doctor: Cooking"
    document = compose(plan)
    table = next(b for b in all_blocks(document.blocks) if isinstance(b, Table))
    assert len(table.header) == 4 and all(len(row.cells) == 4 for row in table.rows)
    assert [[r.text for r in cell] for cell in table.rows[1].cells][2] == ["Cooking | Dancing"]
    assert table.rows[1].source.fields[:2] == ["timetable[0].day", "timetable[0].start"]
    sub = next(s for s in document.sections() if s.level == 3 and "Cooking" in s.title)
    assert sub.title == ":doctor: Cooking" and sub.symbol is None


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
    path = custom(write, "# Hello {{ person.called }}\n\n## :home: Home\n:home: You live here.\n{% for w in about_me %}\n> {{ w }}\n{% endfor %}\n- one\n- **two** {{ person.name }}\n")
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
    assert {t["kind"] for t in templates()} == {"plan", "review", "letter"}
    assert all(t["description"] for t in templates())


def test_empty_sections_are_dropped(plan):
    plan["what_matters_to_me"] = []
    plan["strengths"] = []
    titles = [s.title for s in compose(plan).sections()]
    assert "What matters to you" not in titles and "What you are good at" not in titles


def test_a_quote_keeps_the_persons_words_theirs_even_through_a_filter(plan, write):
    path = custom(write, "# T\n{% for w in about_me %}\n> {{ w | trim | upper }}\n{% endfor %}\n")
    (quote,) = compose(plan, template=path).blocks
    assert quote.text == "I LIKE GARDENING AND MY CAT PIP." and all(r.own_words for r in quote.runs)


def test_a_template_for_another_kind_is_refused_clearly(plan):
    with pytest.raises(TemplateError, match="this template is for a review, but the input is a plan"):
        compose(plan, template="review")
