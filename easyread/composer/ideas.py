"""One idea a row: the sentences of a list item, each an item of its own where pictures are shown.

A list item can hold a plan field's whole easy-read wording ("Penicillin makes me ill. It gives me a rash
and swollen lips."). Beside pictures, each sentence becomes an item of its own, before the pictures are
chosen, so each gets the picture its own words name; the layout then joins a sentence that only goes on
with the one before ("It gives me ...") back into its row. The words are never changed: each run is cut
where a sentence ends. A list that is the details of its lead-in ("Who: ...", "By: ...") is kept as it is, as its
items sit under one picture; but a list of people (each item starting with a name from the plan) gives each
person a picture of their own.
"""

from __future__ import annotations

from easyread.document import Block, BlocksWithPictures, ContactCard, ListBlock, Run, Section, Statement, plain
from easyread.language.sentences import split
from easyread.symbols import NONE


def sentence_runs(runs: list[Run]) -> list[list[Run]]:
    """The runs cut into sentences, each keeping its style and field; the runs whole where the sentences
    cannot be found in them as written (a soft hyphen the splitter reads past)."""
    text = plain(runs)
    sentences = split(text)
    if len(sentences) < 2:
        return [runs]
    ends, at = [], 0
    for sentence in sentences:
        start = text.find(sentence, at)
        if start < 0:
            return [runs]
        at = start + len(sentence)
        ends.append(at)
    ends[-1] = len(text)
    pieces: list[list[Run]] = [[] for _ in sentences]
    offset = 0
    for run in runs:
        for index, end in enumerate(ends):
            start = ends[index - 1] if index else 0
            left, right = max(start, offset), min(end, offset + len(run.text))
            piece = run.text[left - offset:right - offset] if left < right else ""
            if index and left == start:
                piece = piece.lstrip()  # the space between two sentences
            if piece:
                pieces[index].append(run.model_copy(update={"text": piece}))
        offset += len(run.text)
    return [piece for piece in pieces if piece]


def _split_items(listing: ListBlock) -> ListBlock:
    items = [item.model_copy(update={"runs": runs}) for item in listing.items for runs in sentence_runs(item.runs)]
    return listing if len(items) == len(listing.items) else listing.model_copy(update={"items": items})


def headings_only(blocks: list[Block]) -> None:
    """In boxes (a one-page profile, a passport), no picture beside each line: each box's heading has its picture,
    and the lines under it none of their own, so no picture is chosen that no reader sees. A contact card keeps
    its own, shown small before the name, as a heading's is: the doctor and the sister do not look the same."""
    for block in BlocksWithPictures().visit_all(blocks):
        for pictured in block:
            if not isinstance(pictured, (Section, ContactCard)):  # a card keeps its own: who they are, small
                pictured.symbol, pictured.symbol_reason = NONE, "no picture: in a box, its heading's picture stands for it"


def one_idea_each(blocks: list[Block]) -> list[Block]:
    """The blocks with the items of each list that stands on its own cut into sentences, and the items of a list
    that is the details of its lead-in given no picture of their own: they are shown under its one (see the
    module)."""
    out: list[Block] = []
    for block in blocks:
        before = out[-1] if out else None
        if isinstance(block, Section):
            block.blocks = one_idea_each(block.blocks)
        elif isinstance(block, ListBlock) and isinstance(before, Statement) and block.details_of(before):
            # but the people at a meeting are each shown as themselves: their photo, or what they are
            if not all(item.listed_name for item in block.items):
                for item in block.items:
                    item.symbol, item.symbol_reason = NONE, "no picture: a detail of the line before, under its picture"
        elif isinstance(block, ListBlock):
            split = _split_items(block)
            # cut short, a list could read as the details of its lead-in, and all go under one picture
            block = block if isinstance(before, Statement) and split.details_of(before) else split
        out.append(block)
    return out
