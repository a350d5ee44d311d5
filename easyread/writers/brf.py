"""Braille writer: Unified English Braille as a BRF file (ASCII braille, pages of lines).

liblouis translates (its `lou_translate` command, Debian's liblouis-bin, with the tables of
liblouis-data): grade 2 (contracted, the UK standard) or grade 1 when the person's recorded needs
ask for it, in North American ASCII braille, which BRF files and embossers use. The layout is
the usual UK one (UKAAF): the page number at the right of each page's top line; the title and
main headings centred with a blank line above; subheadings from cell 5; a statement starts in
cell 3 and runs on from cell 1; a list item starts in cell 1 and runs on from cell 3. No pictures:
their words are the text beside them. A heading never ends a page. Lines end CR LF and pages end
with a form feed; the page size comes from the person's needs (40 cells by 25 lines unless they
say otherwise).
"""

from __future__ import annotations

import re
import shutil
import subprocess

from easyread.document import Document
from easyread.errors import OutputError, WriterUnavailable
from easyread.presentation.layout import Layout
from easyread.writers.plan import RenderPlan
from easyread.writers.txt import parts

TABLES = {1: "en-us-brf.dis,en-ueb-g1.ctb", 2: "en-us-brf.dis,en-ueb-g2.ctb"}
INSTALL = "sudo apt-get install liblouis-bin liblouis-data"
# email addresses and web addresses are brailled uncontracted (UKAAF), so they can be typed as read
ADDRESS = re.compile(r"\S+@\S+\.\w+|(?:https?://|www\.)\S+")
# UEB 10.13: an address (or any sequence that is not a word) divided between lines ends its line with the line
# continuation indicator, dot 5; a word too long for a line is divided with a hyphen (dots 36)
CONTINUES, HYPHEN = '"', "-"
# cells that only say how to read the cell after them (capital, number, and the prefixes of signs and contractions):
# a line never ends with one, as its sign would be cut in two
PREFIXES = frozenset(',#^_@.;"')
# where an address divides best: after a full stop (4 in this braille) or a slash (_/)
ADDRESS_BREAK = re.compile(r"4|_/")
# where each kind of part starts, and where its further lines start (cells from 1); None: centred
INDENTS: dict[str, tuple[int | None, int | None]] = {
    "title": (None, None), "heading2": (None, None), "heading3": (5, 5), "line": (3, 1),
    "item": (1, 3), "term": (1, 3), "row": (1, 3), "choice": (1, 3),
}


def translate(texts: list[str], grade: int = 2, backward: bool = False) -> list[str]:
    """Each text in braille (or, backward, braille back in print), one for one, through liblouis."""
    command = shutil.which("lou_translate")
    if command is None:
        raise WriterUnavailable(f"braille needs liblouis: {INSTALL}")
    if not texts:
        return []
    lines = "\n".join(text.replace("\\", "\\\\") for text in texts) + "\n"  # lou_translate reads \ as an escape
    done = subprocess.run([command, "--backward" if backward else "--forward", TABLES[grade]], input=lines,
                          capture_output=True, encoding="utf-8", errors="replace", timeout=60 + len(texts))
    out = done.stdout.split("\n")[: len(texts)]
    if done.returncode != 0 or len(out) != len(texts):
        raise OutputError(f"liblouis could not translate the text into braille ({done.stderr.strip()[:200]})")
    return out


def in_braille(texts: list[str], grade: int) -> tuple[list[str], frozenset[str]]:
    """Each text in braille at the grade asked for, but its email and web addresses uncontracted; and those
    addresses in braille, which a line may divide only with the continuation indicator."""
    pieces = [[piece for piece in re.split(f"({ADDRESS.pattern})", text) if piece.strip()] for text in texts]
    addresses = [piece for found in pieces for piece in found if ADDRESS.fullmatch(piece)]
    words = [piece for found in pieces for piece in found if not ADDRESS.fullmatch(piece)]
    addressed = translate(addresses, 1)
    said = iter(addressed), iter(translate(words, grade))

    def spaced(piece: str) -> str:  # the piece in braille, with the spaces it had around it
        braille = next(said[0] if ADDRESS.fullmatch(piece) else said[1]).strip()
        return (" " if piece[:1].isspace() else "") + braille + (" " if piece[-1:].isspace() else "")

    brailled = [" ".join("".join(spaced(piece) for piece in found).split()) for found in pieces]
    return brailled, frozenset(braille.strip() for braille in addressed)


class Pages:
    """Braille lines laid out on pages of `cells` by `lines`, the page number on each top line."""

    def __init__(self, cells: int, lines: int, grade: int, addresses: frozenset[str] = frozenset()) -> None:
        self.cells, self.lines, self.grade = cells, lines, grade
        self.addresses = addresses  # email and web addresses in braille: divided with the continuation indicator
        self.pages: list[list[str]] = []

    def lay_out(self, shown: list[tuple[str, str]]) -> None:
        """Every part in order, wrapped at its indents; a heading goes to the next page unless the first
        line of what follows it fits below it (and of what follows that, when it is a heading too)."""
        wrapped = [self._wrap(braille, *INDENTS[kind]) for kind, braille in shown]
        heading = [kind in ("title", "heading2", "heading3") for kind, _ in shown]
        blank = [kind in ("title", "heading2") for kind, _ in shown]  # a blank line above, but at a page's top

        def kept(index: int) -> int:  # the lines a part needs on its page, with what it keeps with it
            own = len(wrapped[index]) + blank[index]
            if not heading[index] or index + 1 == len(shown):
                return own
            return own + (kept(index + 1) if heading[index + 1] else 1)

        for index, lines in enumerate(wrapped):
            page = self._page()
            if heading[index] and len(page) > 1 and len(page) + kept(index) > self.lines:
                page = self._new_page()
            if blank[index] and len(page) > 1:
                page.append("")
            for line in lines:
                if len(page) >= self.lines:
                    page = self._new_page()
                page.append(line)

    def _wrap(self, braille: str, first: int | None, rest: int | None) -> list[str]:
        """Braille words in lines of at most `cells`, at the indents (None: centred). A word longer than its line
        is divided at the line's own end (UEB 10.13): an address after a full stop or slash where one is near,
        with the continuation indicator; any other word with a hyphen; never inside a sign."""
        out: list[str] = []
        line = ""

        def room() -> int:  # the cells the next line has, at its own indent
            return self.cells - ((first if not out else rest) or 1) + 1

        for word in braille.split():
            if line and len(line) + 1 + len(word) <= room():
                line = f"{line} {word}"
                continue
            if line:
                out.append(self._placed(line, first if not out else rest))
            address = any(known in word for known in self.addresses)
            while len(word) > room():
                cut = self._cut(word, room() - 1, address)
                out.append(self._placed(word[:cut] + (CONTINUES if address else HYPHEN), first if not out else rest))
                word = word[cut:]
            line = word
        if line:
            out.append(self._placed(line, first if not out else rest))
        return out

    @staticmethod
    def _cut(word: str, most: int, address: bool) -> int:
        """Where to divide a word that is longer than a line, keeping at most `most` cells on this line: after
        a full stop or slash in an address when one is in the line's second half, and never after a cell that
        only prefixes the next (a capital or number sign); at least one cell, whatever the word."""
        cut = most
        if address:
            breaks = [match.end() for match in ADDRESS_BREAK.finditer(word[:most])]
            if breaks and breaks[-1] > most // 2:
                cut = breaks[-1]
        while cut > 1 and word[cut - 1] in PREFIXES:
            cut -= 1
        return max(cut, 1)

    def _placed(self, line: str, indent: int | None) -> str:
        if indent is None:
            return " " * ((self.cells - len(line)) // 2) + line
        return " " * (indent - 1) + line

    def _page(self) -> list[str]:
        return self.pages[-1] if self.pages else self._new_page()

    def _new_page(self) -> list[str]:
        self.pages.append([""])  # the top line holds the page number, put in at the end
        return self.pages[-1]

    def text(self) -> str:
        """The BRF: CR LF line ends, a form feed after each page."""
        numbers = translate([str(n) for n in range(1, len(self.pages) + 1)], self.grade)
        out = []
        for page, number in zip(self.pages, numbers):
            page[0] = number.rjust(self.cells)
            out.append("\r\n".join(page) + "\r\n\f")
        return "".join(out)


def render(document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
    """The Document in Unified English Braille, as a BRF file."""
    needs = document.needs
    shown = [(f"heading{level}" if kind == "heading" else kind, text)
             for kind, text, level in parts(document, credits=False) if kind != "gap" and text.strip()]
    braille, addresses = in_braille([text for _, text in shown], needs.braille_grade)
    pages = Pages(needs.braille_cells, needs.braille_lines, needs.braille_grade, addresses)
    pages.lay_out([(kind, cells) for (kind, _), cells in zip(shown, braille)])
    return pages.text().encode("ascii", "replace")
