"""Plain-text writer: accessible text for email and screen readers.

Headings stand on their own lines with a blank line around them; every statement,
list item and table row is one line; nothing decorative that a screen reader would
read out (no rules of ===, no symbols).
"""

from __future__ import annotations

from easyread.document import (
    CONTACT_LABELS,
    Agreement,
    Block,
    ContactCard,
    Document,
    Glossary,
    ListBlock,
    Quote,
    Section,
    Statement,
    Table,
    Visitor,
    filled,
    plain,
)
from easyread.presentation.layout import Layout
from easyread.presentation.nobreak import keep_whole
from easyread.writers.plan import RenderPlan

# What each part of the text is, for the writers that lay text out in lines (txt, brf):
# "title", "heading" (level 2 or 3), "line" (a statement, a quote, a contact's detail), "item" (a list
# item), "term" (a word and its meaning), "row" (a table row), "choice" (a tick box) and "gap" (the end of a block).
Part = tuple[str, str, int]


def parts(document: Document, credits: bool = True) -> list[Part]:
    """The document as parts of plain text in reading order: (kind, text, heading level or 0); `credits`,
    the pictures' credits at the end (braille shows no pictures)."""
    out: list[Part] = [("title", document.title, 1), GAP]
    if document.author:
        out += [("line", filled(document.words["from"], author=document.author), 0), GAP]
    if document.cover:  # the cover's lines, then the document
        out += [*(("line", line.text, 0) for line in document.cover.lines), GAP]
    out += _Parts(document.words).blocks(document.blocks)
    if document.attribution and credits:
        out += [GAP, *(("line", text, 0) for text in document.attribution)]
    return out


GAP: Part = ("gap", "", 0)
PREFIXES = {"item": "- ", "choice": "[ ] "}


def lines(document: Document) -> list[str]:
    """The document as lines of plain text."""
    out = [PREFIXES.get(kind, "") + text for kind, text, _level in parts(document)]
    # one blank line between blocks, none at the end
    tidy = [line for index, line in enumerate(out) if line or (index and out[index - 1])]
    while tidy and not tidy[-1]:
        tidy.pop()
    return tidy


class _Parts(Visitor[list[Part]]):
    """Each block as parts of plain text; a statement or quote runs on, one a line, and other blocks end with a gap."""

    def __init__(self, words: dict[str, str]) -> None:
        self.words = words

    def statement(self, block: Statement) -> list[Part]:
        return [("line", block.text, 0)]

    def quote(self, block: Quote) -> list[Part]:
        return [("line", f"\u201c{block.text}\u201d", 0)]

    def listing(self, block: ListBlock) -> list[Part]:
        return [*(("item", item.text, 0) for item in block.items), GAP]

    def table(self, block: Table) -> list[Part]:
        # a row's cells as sentences, as the recording says them (never joined by semicolons, which easy read avoids)
        return [("line", f"{block.caption}:", 0), *(("row", block.sentences(row), 0) for row in block.rows), GAP]

    def glossary(self, block: Glossary) -> list[Part]:
        return [*(("term", f"{term.word}: {plain(term.meaning)}", 0) for term in block.terms), GAP]

    def contact(self, block: ContactCard) -> list[Part]:
        first = [("line", f"{self.words['emergency']}:", 0)] if block.emergency else []  # whom to ring: said first
        return [*first, *(("line", CONTACT_LABELS[d.key] + plain(d.runs), 0) for d in block.details), GAP]

    def agreement(self, block: Agreement) -> list[Part]:
        out: list[Part] = []
        if block.status:
            out.append(("line", plain(block.status), 0))
        if block.comments:
            out.append(("line", (f"{block.said} " if block.said else "") + f"\u201c{plain(block.comments)}\u201d", 0))
        if block.choices:
            out += [("line", block.choose, 0)] if block.choose else []
            out += [("choice", choice.text, 0) for choice in block.choices]
        out += [("line", block.write, 0)] if block.write else []
        out += [("line", f"{label}:", 0) for label in block.sign]  # underscores would be read aloud, one by one
        return [*out, GAP]

    def section(self, block: Section) -> list[Part]:
        return [GAP, ("heading", block.title, block.level), GAP, *self.blocks(block.blocks), GAP]

    def blocks(self, blocks: list[Block]) -> list[Part]:
        """The parts of these blocks, in order."""
        return [part for parts in self.visit_all(blocks) for part in parts]


def render(document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
    """The Document as accessible plain text (UTF-8)."""
    return ("\n".join(keep_whole(line) for line in lines(document)) + "\n").encode("utf-8")
