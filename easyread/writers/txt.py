"""Plain-text writer: accessible text for email and screen readers.

Headings stand on their own lines with a blank line around them; every statement,
list item and table row is one line; nothing decorative that a screen reader would
read out (no rules of ===, no symbols).
"""

from __future__ import annotations

from easyread.document import (
    CONTACT_LABELS, Agreement, Block, ContactCard, Document, Glossary, ListBlock, Quote, Section, Statement, Table,
    plain,
)
from easyread.profile import Profile
from easyread.writers.whole import keep_whole

EXTENSION = ".txt"
MEDIA_TYPE = "text/plain; charset=utf-8"


def lines(document: Document) -> list[str]:
    """The document as lines of plain text."""
    out = [document.title, ""]
    if document.author:
        out += [f"From {document.author}.", ""]
    _blocks(document.blocks, out)
    if document.attribution:
        out += ["", *document.attribution]
    # one blank line between blocks, none at the end
    tidy = [line for index, line in enumerate(out) if line or (index and out[index - 1])]
    while tidy and not tidy[-1]:
        tidy.pop()
    return tidy


def _blocks(blocks: list[Block], out: list[str]) -> None:
    for block in blocks:
        if isinstance(block, Section):
            out += ["", block.title, ""]
            _blocks(block.blocks, out)
        elif isinstance(block, Statement):
            out.append(block.text)
            continue  # statements run on, one a line
        elif isinstance(block, Quote):
            out.append(f"\u201c{block.text}\u201d")
            continue
        elif isinstance(block, ListBlock):
            out += [f"- {item.text}" for item in block.items]
        elif isinstance(block, Table):
            header = [plain(cell) for cell in block.header]
            out.append(f"{block.caption}:")
            for row in block.rows:
                out.append("; ".join(f"{h}: {plain(cell)}" for h, cell in zip(header, row.cells)) + ".")
        elif isinstance(block, Glossary):
            out += [f"{term.word}: {plain(term.meaning)}" for term in block.terms]
        elif isinstance(block, ContactCard):
            out += [CONTACT_LABELS[d.key] + plain(d.runs) for d in block.details]
        elif isinstance(block, Agreement):
            if block.status:
                out.append(plain(block.status))
            if block.comments:
                out.append((f"{block.said} " if block.said else "") + f"\u201c{plain(block.comments)}\u201d")
            if block.choices:
                out += [block.choose] if block.choose else []
                out += [f"[ ] {choice}" for choice in block.choices]
            out += [f"{label}:" for label in block.sign]  # a line of underscores is read aloud, one by one
        out.append("")


def render(document: Document, profile: Profile) -> bytes:
    """The Document as accessible plain text (UTF-8)."""
    return ("\n".join(keep_whole(line) for line in lines(document)) + "\n").encode("utf-8")
