"""The Document as plain data (dicts and lists) for layouts that read data: typst (PDF) and HTML.

Text stays text: runs are {"text", "bold"} pairs that each layout prints as a string,
never as markup. Writers subclass DataModel to say how pictures and sections look.
"""

from __future__ import annotations

import re
from typing import Any

from easyread.document import (
    CONTACT_LABELS,
    WEEK,
    Agreement,
    Block,
    ContactCard,
    Document,
    Glossary,
    ListBlock,
    Quote,
    Row,
    Run,
    Statement,
    Table,
    Visitor,
    ends_sentence,
    filled,
    plain,
)
from easyread.presentation.layout import Idea, Layout, item_rows, lead_ins, rows
from easyread.presentation.nobreak import keep_whole, keep_whole_runs


def runs_data(runs: list[Run]) -> list[dict[str, Any]]:
    """Runs as {"text", "bold"} pairs."""
    return [{"text": text, "bold": run.bold} for run, text in zip(runs, keep_whole_runs([run.text for run in runs]))]


def href(key: str, text: str) -> str | None:
    """A link for a contact detail: tel: for phone numbers, mailto: for email."""
    if key == "phone":
        return "tel:" + re.sub(r"[^\d+]", "", text)
    if key == "email":
        return "mailto:" + text
    return None


def day_by_day(table: Table, words: dict[str, str]) -> list[tuple[list[Run], list[tuple[list[Run], Row]]]]:
    """A table as lines for people who do not use tables: rows grouped under their first cell ("Monday"),
    each row one line of its other cells with their headings ("Time: 9am to 10:30am. What happens: ..."), and
    days in a row with the same lines written once ("Monday to Friday": the same visit five times is hard to scan)."""
    return _same_days_once(_by_first_cell(table), words)


def _by_first_cell(table: Table) -> list[tuple[list[Run], list[tuple[list[Run], Row]]]]:
    """The rows as lines, grouped under their first cell."""
    groups: list[tuple[list[Run], list[tuple[list[Run], Row]]]] = []
    for row in table.rows:
        line: list[Run] = []
        for column, (heading, cell) in enumerate(zip(table.header[1:], row.cells[1:])):
            # a full stop after each cell, unless it ends a sentence itself ("Breakfast." never "Breakfast..")
            stop = "" if not line or ends_sentence(plain(line)) else "."
            # the first (the time) in bold: an eye, or a magnifier, finds each line by it
            line += [Run(text=stop + (" " if line else "") + plain(heading) + ": ", bold=not column),
                     *(Run(text=run.text, bold=run.bold or not column) for run in cell)]
        if not ends_sentence(plain(line)):
            line.append(Run(text="."))
        if not groups or plain(groups[-1][0]) != plain(row.cells[0]):
            groups.append((row.cells[0], []))
        groups[-1][1].append((line, row))
    return groups


def _same_days_once(groups: list[tuple[list[Run], list[tuple[list[Run], Row]]]],
                    words: dict[str, str]) -> list[tuple[list[Run], list[tuple[list[Run], Row]]]]:
    """Days one after another in the week whose lines are the same, under one label: "Monday to Friday"."""
    runs: list[list[tuple[list[Run], list[tuple[list[Run], Row]]]]] = []
    for group in groups:
        day, lines = plain(group[0]), [plain(line) for line, _row in group[1]]
        if runs and day in WEEK and (last := plain(runs[-1][-1][0])) in WEEK \
                and WEEK.index(day) == WEEK.index(last) + 1 and lines == [plain(line) for line, _ in runs[-1][0][1]]:
            runs[-1].append(group)
        else:
            runs.append([group])
    merged = []
    for days in runs:
        first, last = plain(days[0][0]), plain(days[-1][0])
        if len(days) == 1:
            merged.append(days[0])
            continue
        label = filled(words["two_days" if len(days) == 2 else "days"], first=first, last=last)
        merged.append(([Run(text=label, bold=any(run.bold for run in days[0][0]))], days[0][1]))
    return merged


class DataModel(Visitor[list[dict[str, Any]]]):
    """Blocks as data, each block one or more entries; subclasses give `picture()` and `section()`."""

    narrow_lists = False  # a table also carries its day-by-day lines, for a layout that shows them on narrow screens

    def __init__(self, document: Document, layout: Layout) -> None:
        self.document = document
        self.layout = layout
        self.pictures = self.layout.pictures
        self.tables = self.layout.tables

    def picture(self, symbol: str | None, where: str) -> dict[str, Any] | None:
        """A symbol's picture as the layout needs it, or None."""
        raise NotImplementedError

    def row_picture(self, symbol: str | None, where: str) -> dict[str, Any] | None:
        """The picture beside a row of words: none without pictures, or in boxes."""
        return self.picture(symbol, where) if self.pictures else None

    def cover(self) -> dict[str, Any] | None:
        """The cover's picture (the person, large) and lines, or None for a document without one."""
        cover = self.document.cover
        if cover is None:
            return None
        return {"picture": self.picture(cover.symbol, self.document.title),
                "lines": [runs_data(line.runs) for line in cover.lines]}

    def blocks(self, blocks: list[Block]) -> list[dict[str, Any]]:
        """The blocks as data, statements in rows (see easyread.presentation.layout.rows)."""
        out: list[dict[str, Any]] = []
        items = rows(blocks, self.document.symbols, self.pictures)
        for block, lead in zip(items, lead_ins(items)):
            if isinstance(block, Idea):
                # a lead-in ("If something goes wrong:") never ends a page: its long list follows
                out.append(self.idea(block, lead=lead))
            else:
                out += self.visit(block)
        return out

    def idea(self, idea: Idea, lead: bool) -> dict[str, Any]:
        """A row: a picture, the idea's sentences, and any details, kept whole."""
        first = idea.statements[0]
        return {"type": "row", "runs": runs_data(first.runs), "quote": False,
                "more": [runs_data(s.runs) for s in idea.statements[1:]],
                "details": [runs_data(item.runs) for item in idea.details.items] if idea.details else [],
                "lead": lead, "picture": self.row_picture(idea.symbol, idea.pictured.text)}

    def statement(self, block: Statement) -> list[dict[str, Any]]:
        return [self.idea(Idea((block,)), lead=False)]  # a statement on its own is a row of one

    def quote(self, block: Quote) -> list[dict[str, Any]]:
        return [{"type": "row", "runs": runs_data(block.runs), "quote": True, "more": [], "details": [],
                 "lead": False, "picture": self.row_picture(block.symbol, block.text)}]

    def listing(self, block: ListBlock) -> list[dict[str, Any]]:
        if self.pictures and any(item.symbol for item in block.items):  # rows, a sentence that goes on in its row
            entries = [self.idea(idea, lead=False) for idea in item_rows(block.items, self.document.symbols)]
            return [{"type": "list", "entries": entries, "pictured": any(e["picture"] for e in entries)}]
        return [self.entries([(item.runs, item.symbol, item.text) for item in block.items])]

    def glossary(self, block: Glossary) -> list[dict[str, Any]]:
        return [{"type": "terms", "terms": [{"word": t.word, "meaning": runs_data(t.meaning)} for t in block.terms]}]

    def contact(self, block: ContactCard) -> list[dict[str, Any]]:
        # in boxes, no row picture beside the card, but a small one before its name (as a heading's)
        icon = self.picture(block.symbol, block.get("name") or "contact") if self.layout.boxes else None
        return [{"type": "contact", "picture": self.row_picture(block.symbol, block.get("name") or "contact"), "icon": icon,
                 "emergency": self.document.words["emergency"] if block.emergency else None,
                 "lines": [{"label": CONTACT_LABELS.get(d.key, ""), "runs": runs_data(d.runs), "bold": d.key == "name",
                            "href": href(d.key, "".join(r.text for r in d.runs))} for d in block.details]}]

    def agreement(self, block: Agreement) -> list[dict[str, Any]]:
        return [{"type": "agreement", "status": runs_data(block.status) if block.status else None,
                 "comments": runs_data(block.comments) if block.comments else None,
                 "said": block.said, "choose": block.choose, "write": block.write, "sign": block.sign,
                 "choices": [{"text": keep_whole(c.text), "picture": self.row_picture(c.symbol, c.text)} for c in block.choices]}]

    def table(self, block: Table) -> list[dict[str, Any]]:
        return [self.timetable(block)]

    def timetable(self, table: Table) -> dict[str, Any]:
        """A table, with a column of pictures first when any row has one (what each row is about); or its
        lines day by day when it is not to be drawn as a table (easyread.presentation.layout.Layout.table_columns)."""
        columns = self.layout.table_columns(table, self.document.symbols)
        if columns is None:
            return self.day_list(table)
        return {"type": "table", "caption": table.caption, "header": [runs_data(c) for c in table.header],
                "rows": [[runs_data(c) for c in row.cells] for row in table.rows],
                "pictures": [self.row_picture(row.symbol, row.text) for row in table.rows],
                "spans": self.layout.first_column_spans(table),
                "pictured": self.layout.table_picture(table, self.document.symbols), "columns": columns,
                "picture_heading": self.document.words["picture"],
                # without pictures: the page carries each picture once more for every use
                "narrow": self.day_list(table, pictures=False) if self.narrow_lists else None}

    def entries(self, items: list[tuple[list[Run], str | None, str]], pictures: bool = True) -> dict[str, Any]:
        """A list of (runs, symbol, text) items; with pictures, laid out as rows like statements (still a list)."""
        entries = [{"runs": runs_data(runs), "more": [], "picture": self.row_picture(symbol, text) if pictures else None}
                   for runs, symbol, text in items]
        return {"type": "list", "entries": entries, "pictured": self.pictures and any(e["picture"] for e in entries)}

    def day_list(self, table: Table, pictures: bool = True) -> dict[str, Any]:
        """A table written day by day (see day_by_day): each day's label, then a list of its lines."""
        return {"type": "day-list", "caption": table.caption,
                "groups": [{"label": runs_data(label),
                            "list": self.entries([(line, row.symbol, row.text) for line, row in lines], pictures)}
                           for label, lines in day_by_day(table, self.document.words)]}
