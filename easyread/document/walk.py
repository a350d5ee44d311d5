"""One way to walk a Document: a Visitor has one handler for each kind of block, and `visit` sends each
block to its handler.

Every part of easyread that goes through blocks (the gate's sentences, the pictures, the speech script and
each writer) is a Visitor. A new kind of block is added to the Block union, to `visit` (whose
`assert_never` fails `mypy --strict` until it is) and as an abstract handler here, so every Visitor that does
not handle it fails `mypy --strict` where it is made: no block ever vanishes silently from one format or
from the gate.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Generic, TypeVar, assert_never

from easyread.document.nodes import (
    SAMPLE_VALUES,
    Agreement,
    Block,
    ContactCard,
    Document,
    Glossary,
    ListBlock,
    Pictured,
    Quote,
    Run,
    Section,
    Source,
    Statement,
    Table,
    filled,
)

T = TypeVar("T")


class Visitor(ABC, Generic[T]):
    """A handler for each kind of block; `visit` picks the block's own."""

    def visit(self, block: Block) -> T:
        """The block's handler's answer."""
        match block:
            case Statement():
                return self.statement(block)
            case Quote():
                return self.quote(block)
            case ListBlock():
                return self.listing(block)
            case Table():
                return self.table(block)
            case Glossary():
                return self.glossary(block)
            case ContactCard():
                return self.contact(block)
            case Agreement():
                return self.agreement(block)
            case Section():
                return self.section(block)
            case _:
                assert_never(block)

    def visit_all(self, blocks: list[Block]) -> list[T]:
        """Each block's handler's answer, in order."""
        return [self.visit(block) for block in blocks]

    @abstractmethod
    def statement(self, block: Statement) -> T:
        """One statement: in easy read, one idea."""

    @abstractmethod
    def quote(self, block: Quote) -> T:
        """The person's own words."""

    @abstractmethod
    def listing(self, block: ListBlock) -> T:
        """A bulleted list."""

    @abstractmethod
    def table(self, block: Table) -> T:
        """A table, such as the weekly timetable."""

    @abstractmethod
    def glossary(self, block: Glossary) -> T:
        """The words to know."""

    @abstractmethod
    def contact(self, block: ContactCard) -> T:
        """Who to contact and how."""

    @abstractmethod
    def agreement(self, block: Agreement) -> T:
        """The agreement: what was recorded, the person's words, choices and lines to sign."""

    @abstractmethod
    def section(self, block: Section) -> T:
        """A part with a heading; most visitors visit its blocks too."""


class BlocksWithPictures(Visitor[list[Pictured]]):
    """Every block that can carry a picture, depth first."""

    def statement(self, block: Statement) -> list[Pictured]:
        return [block]

    def quote(self, block: Quote) -> list[Pictured]:
        return [block]

    def listing(self, block: ListBlock) -> list[Pictured]:
        return list(block.items)

    def table(self, block: Table) -> list[Pictured]:
        return list(block.rows)

    def glossary(self, block: Glossary) -> list[Pictured]:
        return []

    def contact(self, block: ContactCard) -> list[Pictured]:
        return [block]

    def agreement(self, block: Agreement) -> list[Pictured]:
        return list(block.choices)

    def section(self, block: Section) -> list[Pictured]:
        return [block, *(found for inner in self.visit_all(block.blocks) for found in inner)]


def pictured_blocks(document: Document) -> Iterator[Pictured]:
    """Every block that can carry a picture, depth first: the cover, lines, headings, list items, table rows,
    contacts."""
    if document.cover is not None:
        yield document.cover
    for found in BlocksWithPictures().visit_all(document.blocks):
        yield from found


def sections(document: Document) -> Iterator[Section]:
    """Every section, depth first."""
    return (block for block in pictured_blocks(document) if isinstance(block, Section))


Piece = tuple[str, list[Run], Source]  # (what it is: "heading", "statement", "item" ..., its runs, its source)


class _Statements(Visitor[list[Piece]]):
    """Every piece of running text a reader meets, in reading order."""

    def statement(self, block: Statement) -> list[Piece]:
        return [(block.type, block.runs, block.source)]

    def quote(self, block: Quote) -> list[Piece]:
        return [(block.type, block.runs, block.source)]

    def listing(self, block: ListBlock) -> list[Piece]:
        return [("item", item.runs, item.source) for item in block.items]

    def table(self, block: Table) -> list[Piece]:
        return [("cell", cell, row.source) for row in block.rows for cell in row.cells]

    def glossary(self, block: Glossary) -> list[Piece]:
        return [("term", term.meaning, term.source) for term in block.terms]

    def contact(self, block: ContactCard) -> list[Piece]:
        # wording; names, numbers and addresses are not sentences
        return [("contact", detail.runs, detail.source) for detail in block.details if detail.key in ("role", "hours")]

    def agreement(self, block: Agreement) -> list[Piece]:
        # every word a reader sees, the template's labels and choices too, so the gate checks them
        pieces: list[Piece] = []
        for runs in (block.status, block.comments):
            if runs:  # with the plan fields in them, so a finding names the plan's line
                fields = list(dict.fromkeys(run.field for run in runs if run.field))
                pieces.append(("agreement", runs, block.source.model_copy(update={"fields": fields})))
        pieces += [("agreement", [Run(text=words)], block.source)
                   for words in (block.said, block.choose, *(c.text for c in block.choices), block.write, *block.sign)
                   if words]
        return pieces

    def section(self, block: Section) -> list[Piece]:
        return [("heading", block.heading, block.source), *(piece for inner in self.visit_all(block.blocks)
                                                            for piece in inner)]


def pieces(block: Block) -> list[Piece]:
    """Every piece of running text in one block (a section's, with its heading), in reading order."""
    return _Statements().visit(block)


def statements(document: Document) -> Iterator[Piece]:
    """Every piece of running text, in reading order, the title first, then the words the formats put around it:
    (kind, runs, source)."""
    yield "title", document._title_runs or [Run(text=document.title)], document.title_source or Source()
    for line in document.cover.lines if document.cover else []:
        yield "cover", line.runs, line.source
    for pieces in _Statements().visit_all(document.blocks):
        yield from pieces
    values = {**SAMPLE_VALUES, **({"author": document.author} if document.author else {})}
    for key, pattern in document.words.items():
        yield "words", [Run(text=filled(pattern, **values))], Source(fields=[f"words.{key}"])
