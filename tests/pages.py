"""Checks that read rendered pages as a reader sees them: words, their places and sizes (pdfplumber).

They hold for our PDFs and for LibreOffice's PDF of our Word files alike. Each returns what it
found, as sentences a failing test prints: nothing found is a pass.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

CM = 72 / 2.54  # points
MARGIN_SLACK = 0.15 * CM  # a glyph's box may reach a little past the margin it is set against
FOOTER = re.compile(r"^Page \d+ of \d+$")

# What a reader must see on one line, written here independently of easyread.presentation.nobreak: a
# phone number, an NHS number, a postcode, a date, an amount with its period, "12 noon". Any space may be a
# line break in the page's text; a match that holds one is split.
_GAP = r"[ \u00a0\n]"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
WHOLE_ON_A_LINE = {
    "phone number": rf"(?<![\d£.])(?:\+44{_GAP}?|0)\d{{2,4}}(?:{_GAP}\d{{3,4}}){{1,2}}(?!\d)",
    "NHS number": rf"(?<![\d.,])\d{{3}}{_GAP}\d{{3}}{_GAP}\d{{4}}(?!\d)",
    "postcode": rf"\b[A-Z]{{1,2}}\d[A-Z\d]?{_GAP}\d[A-Z]{{2}}\b",
    "date": rf"\b\d{{1,2}}{_GAP}(?:{_MONTHS})(?:{_GAP}\d{{4}})?\b",
    "amount": rf"£\d[\d,]*(?:\.\d\d)?{_GAP}(?:a|an|per|each){_GAP}(?:week|fortnight|month|year|day|hour)\b",
    "time": rf"\b\d{{1,2}}{_GAP}noon\b",
}


@dataclass
class Page:
    """One rendered page: its text, its words with places and sizes, and its vertical rules."""

    number: int
    height: float
    text: str
    words: list[dict]
    rules: list[dict]  # vertical lines (table borders), as pdfplumber edges
    pictures: list[tuple[float, float]] = ()  # the top and bottom of each raster picture (Word's, through LibreOffice)

    @cached_property
    def lines(self) -> list[list[dict]]:
        """The words in lines, top to bottom."""
        lines: list[list[dict]] = []
        for word in sorted(self.words, key=lambda w: (round(w["top"]), w["x0"])):
            if lines and abs(lines[-1][0]["top"] - word["top"]) < 3:
                lines[-1].append(word)
            else:
                lines.append([word])
        return lines

    def body_lines(self, top: float) -> list[list[dict]]:
        """The lines between the letterhead (above `top`, in points) and the page number."""
        return [line for line in self.lines if not FOOTER.match(" ".join(w["text"] for w in line))
                and line[0]["top"] >= top - MARGIN_SLACK]


def read_pages(pdf: Path) -> list[Page]:
    """Every page of a PDF, read with pdfplumber."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return [Page(number, page.height, page.extract_text() or "", page.extract_words(extra_attrs=["size"]),
                     [e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 10],
                     [(image["top"], image["bottom"]) for image in page.images])
                for number, page in enumerate(document.pages, 1)]


def split_across_lines(pages: list[Page]) -> list[str]:
    """Every phone number, postcode, date, amount or time broken across two lines."""
    return [f"page {page.number}, {kind}: {match.group(0)!r}" for page in pages
            for kind, pattern in WHOLE_ON_A_LINE.items() for match in re.finditer(pattern, page.text)
            if "\n" in match.group(0)]


def split_across_pages(pages: list[Page], layout, sign: set[str], lead_ins: bool = True) -> list[str]:
    """Every page that ends with a heading or a lead-in ("If something goes wrong:") whose content is on
    the next page, and every page that starts inside a contact card (its name on the page before)."""
    found = []
    top, body_pt = layout.margins_cm[0] * CM, layout.body_pt
    for page, following in zip(pages, pages[1:]):
        lines, next_lines = page.body_lines(top), following.body_lines(top)
        if not lines or not next_lines:
            continue
        last = " ".join(w["text"] for w in lines[-1])
        first = " ".join(w["text"] for w in next_lines[0])
        if min(w["size"] for w in lines[-1]) > body_pt * 1.1:
            found.append(f"page {page.number} ends with a heading: {last!r}")
        if lead_ins and last.endswith(":") and last not in sign:  # lines to sign ("Date:") lead into nothing
            found.append(f"page {page.number} ends with a lead-in: {last!r}")
        if re.match(r"^(Phone|Email|Address|When): ", first):
            found.append(f"page {following.number} starts inside a contact card: {first!r}")
    return found


def outside_the_body(pages: list[Page], layout, letterhead: str, footer: str = "") -> list[str]:
    """Text in the letterhead's or the page number's room, where it would run into them; `footer` is what a one-page
    document carries there in place of the page number (the pictures' credit)."""
    slack = max(MARGIN_SLACK, 0.35 * layout.body_pt)  # a line's descenders hang below the text's last baseline
    top, bottom = layout.margins_cm[0] * CM - slack, layout.margins_cm[1] * CM - slack
    allowed_above = set(letterhead.split())
    found = []
    for page in pages:
        for line in page.lines:
            text = " ".join(w["text"] for w in line)
            above = [w for w in line if w["top"] < top]
            below = [w for w in line if w["bottom"] > page.height - bottom]
            if above and not (FOOTER.match(text) or all(w["text"] in allowed_above for w in line)):
                found.append(f"page {page.number}: {text!r} is in the letterhead's room")
            if below and not FOOTER.match(text) and not (footer and text in footer):
                found.append(f"page {page.number}: {text!r} is in the page number's room")
            if above and all(w["text"] in allowed_above for w in line) and max(w["bottom"] for w in line) > top + slack:
                found.append(f"page {page.number}: the letterhead reaches into the text")
    return found


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text))


def broken_words(pages: list[Page], vocabulary: set[str]) -> list[str]:
    """Every piece of a word that is not a word of the document: a word broken across lines ("granddaug")."""
    return [f"page {page.number}: {token!r}" for page in pages for token in _tokens(page.text)
            if token not in vocabulary and not token.isdigit()]


def vocabulary(*texts: str) -> set[str]:
    """Every word of these texts, as broken_words compares them."""
    return {token for text in texts for token in _tokens(text)}


def nearly_empty(pages: list[Page], margins_cm: tuple[float, float, float], cover: bool = False) -> list[str]:
    """Every page but the last (and a cover, a title page by design) whose text fills less than a third of its room."""
    top, bottom = margins_cm[0] * CM, margins_cm[1] * CM
    found = []
    for page in pages[1 if cover else 0:-1]:
        lines = page.body_lines(top)
        lowest = max([w["bottom"] for line in lines for w in line]  # the words, and the pictures beside them
                     + [bottom for picture_top, bottom in page.pictures if picture_top >= top - MARGIN_SLACK], default=top)
        filled = (lowest - top) / (page.height - top - bottom)
        if filled < 1 / 3:
            found.append(f"page {page.number} is {filled:.0%} full")
    return found


def credit_alone(pages: list[Page], layout, credit: str) -> list[str]:
    """The last page, when it holds nothing but the picture credit: a sheet of paper for one line."""
    lines = pages[-1].body_lines(layout.margins_cm[0] * CM) if pages else []
    text = " ".join(w["text"] for line in lines for w in line)
    return [f"page {pages[-1].number} holds only the picture credit"] if credit and text and \
        " ".join(text.split()) == " ".join(credit.split()) else []


def overflowing_cells(pages: list[Page]) -> list[str]:
    """Every word that crosses a table's vertical border: too long for its cell."""
    found = []
    for page in pages:
        for word in page.words:
            for rule in page.rules:
                middle = (word["top"] + word["bottom"]) / 2
                if rule["top"] <= middle <= rule["bottom"] and word["x0"] < rule["x0"] - 1 < rule["x0"] + 1 < word["x1"]:
                    found.append(f"page {page.number}: {word['text']!r} crosses a table border")
                    break
    return found


def closest_to_the_page_number(pages: list[Page]) -> float:
    """The smallest gap, in cm, between the body text and the "Page N of M" line below it, on any page."""
    gaps = [99.0]
    for page in pages:
        footer = [w["top"] for w in page.words if w["text"] == "Page"]
        if footer:
            above = [w["bottom"] for w in page.words if w["bottom"] < max(footer) - 1]
            gaps += [(max(footer) - max(above)) / CM] if above else []
    return min(gaps)


def page_problems(pdf: Path, made: dict, lead_ins: bool = True) -> list[str]:
    """What a reader would trip over on the rendered pages (see each check above). `made` holds the
    rendered "document", its "layout", its "letterhead" (the council's name) and every "word" it holds."""
    from easyread.document import Agreement
    from tests.conftest import all_blocks

    document, layout = made["document"], made["layout"]
    pages = read_pages(pdf)
    sign = {f"{label}:" for block in all_blocks(document.blocks) if isinstance(block, Agreement) for label in block.sign}
    gap = closest_to_the_page_number(pages)
    credit = " ".join(document.attribution) if layout.heading_pictures else ""
    return [*split_across_lines(pages), *split_across_pages(pages, layout, sign, lead_ins),
            *outside_the_body(pages, layout, made["letterhead"], credit if layout.max_pages == 1 else ""),
            *broken_words(pages, made["words"]),
            *nearly_empty(pages, layout.margins_cm, document.cover is not None and not layout.boxes),
            *overflowing_cells(pages),
            *credit_alone(pages, layout, credit),
            *([f"text {gap:.2f} cm above the page number"] if gap < 0.4 else [])]

