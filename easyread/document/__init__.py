"""The Document: a format-free tree that every writer renders, and the one way to walk it.

Like Pandoc's AST, the Document is the only thing writers see (with its Layout). Every node records its
source, so a finding or a question about the output can be traced to the plan field (`outcomes[2].title`)
or the template line (`support_plan.md.j2:14`).
"""

from easyread.document.nodes import (
    CONTACT_LABELS,
    SAMPLE_VALUES,
    WEEK,
    WRITER_WORDS,
    Agreement,
    Block,
    ContactCard,
    ContactKey,
    Council,
    Cover,
    Detail,
    Document,
    Glossary,
    Line,
    ListBlock,
    Node,
    Pictured,
    Quote,
    Row,
    Run,
    Section,
    Source,
    Statement,
    SymbolRef,
    SymbolSource,
    Table,
    Term,
    around,
    ends_sentence,
    filled,
    full_stop,
    plain,
)
from easyread.document.walk import BlocksWithPictures, Piece, Visitor, pictured_blocks, pieces, sections, statements

__all__ = [
    "CONTACT_LABELS", "SAMPLE_VALUES", "WEEK", "WRITER_WORDS", "Agreement", "Block", "BlocksWithPictures", "ContactCard",
    "ContactKey", "Council", "Cover", "Detail", "Document", "Glossary", "Line", "ListBlock", "Node", "Pictured", "Piece",
    "Quote", "Row", "Run", "Section", "Source", "Statement", "SymbolRef", "SymbolSource", "Table", "Term", "Visitor", "around",
    "ends_sentence", "filled", "full_stop", "pictured_blocks", "pieces", "plain", "sections", "statements",
]
