"""The Document's nodes: a format-free tree that every writer renders.

Like Pandoc's AST, the Document is the only thing writers see (with a Profile). Every
node records its source, so a finding or a question about the output can be traced to
the plan field (`outcomes[2].title`) or the template line (`support_plan.md.j2:14`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from easyread.inputs.model import InformationNeeds


class Node(BaseModel):
    """Base for every Document node."""

    model_config = ConfigDict(extra="forbid")


class Source(Node):
    """Where a node came from: the template line and any plan fields inserted into it."""

    template: str | None = None
    line: int | None = None
    fields: list[str] = Field(default_factory=list)

    def __str__(self) -> str:
        where = f"{self.template}:{self.line}" if self.template and self.line else (self.template or "")
        if self.fields:
            return ", ".join(self.fields) + (f" ({where})" if where else "")
        return where or "<unknown>"


class Run(Node):
    """A stretch of text with one style; `field` says which plan field it came from."""

    text: str
    bold: bool = False
    field: str | None = None
    own_words: bool = Field(default=False, description="The person's own words: never rewritten or refused.")


def plain(runs: list[Run]) -> str:
    """The text of a list of runs, without styling."""
    return "".join(run.text for run in runs)


def ends_sentence(text: str) -> bool:
    """True when a text ends a sentence itself: "Breakfast.", "Do you agree?"."""
    return text.rstrip().endswith((".", "?", "!"))


def full_stop(text: str) -> str:
    """A heading or a cell as a sentence: a full stop after it, unless it already ends one ("Do you agree?")."""
    text = text.rstrip()
    return text if ends_sentence(text) else text + "."


SymbolSource = Literal["template", "plan", "words", "default", "person", "photo", "none"]


class Pictured(Node):
    """A block that can carry a picture beside it, and why it has the one it has."""

    symbol: str | None = None
    symbol_source: SymbolSource | None = Field(
        default=None,
        description="template: fixed by the template; plan: named on the plan item; words: chosen from the words; "
                    "default: the template's soft default, as the words named nothing better; person: the reader's "
                    "own picture; none: deliberately none.",
    )
    symbol_reason: str | None = Field(default=None, description="Why this picture (or none) was chosen, for review.")
    # the template's soft default (`:name?:`), used only when the words choose nothing better
    symbol_default: str | None = Field(default=None, exclude=True)


class Line(Pictured):
    """One line of text with an optional symbol on its left: a statement or a quote."""

    runs: list[Run]
    source: Source

    @property
    def text(self) -> str:
        """The line's text without styling."""
        return plain(self.runs)

    @property
    def own_words(self) -> bool:
        """True when any of the line is the person's own words."""
        return any(run.own_words for run in self.runs)


class Statement(Line):
    """One statement: in easy read, one idea."""

    type: Literal["statement"] = "statement"

    @property
    def listed_name(self) -> str | None:
        """The name a people list's item starts with, from the plan, before a colon ("**Lucy Adeyemi**: Your main
        support worker"); not a place's name, nor a sentence that starts with someone ("Ewa had ...")."""
        shown = [run for run in self.runs if run.text.strip()]
        if len(shown) < 2 or shown[0].field is None or not shown[0].field.endswith(".name"):
            return None
        return shown[0].text.strip() if shown[1].text.lstrip().startswith(":") else None


# a list this short is the details of the statement that leads into it ("Who: Jordan and Lucy", "By: Friday")
SHORT_LIST = 3
# a list of names or short items after a colon ("You will meet:") is the details of its lead-in too:
# one picture beside one idea, rather than a row and a picture for each name (but for a list of people, each
# shown as themselves: see easyread.composer.ideas)
NAMES_LIST, NAME_WORDS = 6, 10


class ListBlock(Node):
    """A bulleted list; each item is a statement of its own."""

    type: Literal["list"] = "list"
    items: list[Statement]
    source: Source

    def led_into_by(self, lead: Statement) -> bool:
        """True when the statement before leads into this list: it ends with a colon ("If something goes wrong:"),
        or the list is a step's few details ("Who:", "By:")."""
        return lead.text.rstrip().endswith(":") or len(self.items) <= SHORT_LIST

    def details_of(self, lead: Statement) -> bool:
        """True when this list is the details of the statement before it, shown under its words beside its one
        picture: a step's few details, or a few short items after a colon, such as the people at a meeting."""
        short = len(self.items) <= SHORT_LIST or (
            len(self.items) <= NAMES_LIST and all(len(item.text.split()) <= NAME_WORDS for item in self.items))
        # items with pictures of their own (the people at a meeting, each as themselves) are rows of their own
        return self.led_into_by(lead) and short and not any(item.symbol for item in self.items)


class Row(Pictured):
    """One row of a table: a list of cells, each a list of runs, and a picture for what the row is about."""

    cells: list[list[Run]]
    source: Source

    @property
    def text(self) -> str:
        """The row's words, cell after cell."""
        return " ".join(plain(cell) for cell in self.cells)


class Table(Node):
    """A data table with a header row, such as the weekly timetable."""

    type: Literal["table"] = "table"
    caption: str
    header: list[list[Run]]
    rows: list[Row]
    source: Source

    def sentences(self, row: Row) -> str:
        """A row as sentences, a cell at a time with its heading, for a format that reads it out or writes it as a
        line: "Day: Monday. Time: 9:30am to 11am. What happens: Shopping. Who helps: Kim."."""
        return " ".join(full_stop(f"{plain(heading)}: {plain(cell)}") for heading, cell in zip(self.header, row.cells))


class Quote(Line):
    """The person's own words, shown as theirs."""

    type: Literal["quote"] = "quote"


class Term(Node):
    """A word to know and what it means."""

    word: str
    meaning: list[Run]
    source: Source


class Glossary(Node):
    """The "Words to know" list."""

    type: Literal["glossary"] = "glossary"
    terms: list[Term]
    source: Source


ContactKey = Literal["name", "role", "organisation", "phone", "email", "address", "hours"]
# how each detail of a contact card is introduced when it is written or read out
CONTACT_LABELS: dict[str, str] = {"name": "", "role": "", "organisation": "", "phone": "Phone: ",
                                  "email": "Email: ", "address": "Address: ", "hours": "When: "}


# The words the formats put around the content, each a Document's own (Document.words), so the gate checks them
# with the rest and every format says the same. {names} are filled where they are shown or said: the page's number,
# the recording's length (see `filled`).
WRITER_WORDS: dict[str, str] = {
    "skip": "Skip to the main content",  # the web page's first link, for keyboard and screen-reader users
    "contact": "Contact",  # the heading of the council's own contact details: "Contact Northmoor Council"
    "emergency": "In an emergency",  # above a contact card to ring in an emergency, which stands out
    "picture": "Picture",  # the heading of a table's column of pictures, such as the timetable's
    "days": "{first} to {last}",  # days in a row with the same times, written day by day: "Monday to Friday"
    "two_days": "{first} and {last}",  # "Saturday and Sunday"
    "contents": "Contents",  # the heading of an EPUB's table of contents
    "page": "Page {page} of {pages}",  # at the foot of every page of the PDF and the Word file
    "from": "From {author}.",  # after the title, in the text version and the recording
    "recording": "This recording lasts {length}. It has {parts} after this one.",  # the recording's introduction
    "under_a_minute": "less than 1 minute",
    "a_minute": "about 1 minute",
    "minutes": "about {minutes} minutes",
    "one_part": "1 part",
    "parts": "{count} parts",
}
# what the gate fills each {name} with when it checks the words: a long document's numbers
SAMPLE_VALUES = {"page": "12", "pages": "21", "length": "about 15 minutes", "minutes": "15", "parts": "14 parts",
                 "count": "14", "author": "Northmoor Council", "first": "Monday", "last": "Friday"}
WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def filled(pattern: str, **values: object) -> str:
    """A pattern of the Document's words with its {names} filled: filled("Page {page} of {pages}", page=2, pages=9)."""
    return pattern.format_map(values)


def around(pattern: str, *names: str) -> list[str]:
    """The words of a pattern around its {names}, in order: around("Page {page} of {pages}", "page", "pages") is
    ["Page ", " of ", ""], for a format that puts a field of its own (a page number) between them."""
    pieces, rest = [], pattern
    for name in names:
        before, _, rest = rest.partition("{" + name + "}")
        pieces.append(before)
    return [*pieces, rest]


class Detail(Node):
    """One line of a contact card: a phone number, an address ..."""

    key: ContactKey
    runs: list[Run]
    source: Source


class ContactCard(Pictured):
    """Who to contact and how."""

    type: Literal["contact"] = "contact"
    details: list[Detail]
    emergency: bool = Field(default=False, description="Whom to ring in an emergency: marked out, and shown first.")
    source: Source

    def get(self, key: ContactKey) -> str | None:
        """The text of one detail, or None."""
        return next((plain(d.runs) for d in self.details if d.key == key), None)


class Agreement(Node):
    """The agreement block: what was recorded, the person's comments, choices and space to sign."""

    type: Literal["agreement"] = "agreement"
    status: list[Run] | None = None
    comments: list[Run] | None = None
    said: str | None = Field(default=None, description="The words that introduce the person's comments, e.g. 'Your words:'.")
    choose: str | None = Field(default=None, description="The words that introduce the choices, e.g. 'Put a tick next to one:'.")
    choices: list[Statement] = Field(default_factory=list, description="The answers to tick, each with its picture "
                                     "(thumbs up for 'I agree.').")
    write: str | None = Field(default=None, description="The label of the space for the person's own words, e.g. "
                              "'What you want to say:'.")
    sign: list[str] = Field(default_factory=list, description="Labels of lines to sign or write on.")
    source: Source


Block = Annotated[
    Union[Statement, ListBlock, Table, Quote, Glossary, ContactCard, Agreement, "Section"],
    Field(discriminator="type"),
]


class Section(Pictured):
    """A part of the document with a heading (level 2 or 3) and a symbol."""

    type: Literal["section"] = "section"
    heading: list[Run]
    level: int = Field(ge=2, le=3)
    blocks: list[Block] = Field(default_factory=list)
    new_page: bool = Field(default=False, description="Printed from the top of a new page: the full plan after "
                                                      "the cover and the most important things.")
    source: Source

    @property
    def title(self) -> str:
        """The heading's text."""
        return plain(self.heading)


class Cover(Pictured):
    """The first page of a long document: its title, the person's picture (their photo, or a picture standing for
    them) and a few lines saying what it is, under the council's letterhead."""

    lines: list[Statement]
    source: Source


class SymbolRef(Node):
    """The picture behind a symbol name: an OpenMoji code, a council's file, or the person's own photo."""

    name: str
    alt: str = Field(description="The text alternative, for screen readers and as picture alt text.")
    source: Literal["openmoji", "council", "photo"]
    code: str | None = Field(default=None, description="The OpenMoji code, for openmoji pictures.")
    file_name: str | None = Field(default=None, description="The picture file's name, without its folder (council "
                                                            "pictures, photos).")
    # where the picture is on this machine: for the writers only, never written out (no local paths in JSON)
    file: str | None = Field(default=None, exclude=True)


class Council(Node):
    """The council a document comes from, as its house style gives it: the name and logo of its letterhead and
    the contact block at its end."""

    name: str
    logo: SymbolRef | None = None
    contact: list[str] = Field(default_factory=list, description="The lines of its contact block: an address, a phone "
                               "number ...")


class Document(Node):
    """A composed document: its metadata and its blocks."""

    kind: str = Field(description="The kind of input it was composed from (plan, review, letter ... see "
                                  "`easyread.inputs.kinds`), or text for plain text given to the gate.")
    title: str
    title_source: Source | None = None
    subject: str = ""
    author: str = Field(default="", description="The organisation the document comes from.")
    language: str = "en-GB"
    date: dt.date | None = None
    profile: str
    template: str | None = None
    needs: InformationNeeds = Field(default_factory=InformationNeeds)
    cover: Cover | None = Field(default=None, description="The first page, in a long document that has one; in boxes, "
                                "the band at the top of the first page.")
    boxes: bool = Field(default=False, description="Each part in a framed box, its lines close together without pictures "
                        "beside them, as a one-page profile or a hospital passport is laid out (the template's header "
                        "says `layout: boxes`).")
    max_pages: int | None = Field(default=None, ge=1, description="The most pages the document may take on A4 (the "
                                  "template's header says `pages: 1` for a one-page profile): more is refused.")
    blocks: list[Block] = Field(default_factory=list)
    symbols: dict[str, SymbolRef] = Field(default_factory=dict, description="Every symbol the document uses.")
    attribution: list[str] = Field(default_factory=list, description="Credits for the pictures used.")
    council: Council | None = Field(default=None, description="The council's letterhead and contact block, from "
                                    "its house style.")
    words: dict[str, str] = Field(default_factory=lambda: dict(WRITER_WORDS), description="The words the formats put "
                                  "around the content (page numbers, who it is from, the recording's length, labels), "
                                  "with {names} each format fills.")
    # the file the plan was loaded from, for the line numbers of findings (easyread.inputs.loader.Origin); never written out
    _origin: Any = PrivateAttr(None)
    # the title as composed, each run knowing its plan field (the person's name in "Eilidh's plan" is a name)
    _title_runs: list[Run] | None = PrivateAttr(None)
    # the person's own names (full name, the name they use), for the rule that the document speaks to them as "you"
    _person_names: tuple[str, ...] = PrivateAttr(())
    _person_pronouns: str | None = PrivateAttr(None)  # their recorded pronouns ("he/him"): a "she" is someone else

    @property
    def addressed(self) -> bool:
        """Whether the document speaks to the person as "you" (a plan, review or letter), rather than as the
        person to those who support them (a one-page profile, a hospital passport); plain text speaks to no one."""
        from easyread.inputs.kinds import kinds

        kind = kinds().get(self.kind)
        return kind is not None and kind.addressed


Section.model_rebuild()
Document.model_rebuild()
