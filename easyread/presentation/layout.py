"""How a document looks, decided once for every format: the Layout settings and the rows of ideas.

A writer asks `Layout.of(document, profile)` for sizes, spacing, colours and whether to draw
pictures and tables, and `rows(blocks, ...)` for how statements sit beside their pictures, so
the PDF, the Word file and the HTML page agree (before this, each writer had its own sizes).

One idea a row, as in hand-made easy read: a sentence, or a sentence with its direct continuation ("It is 2
buses away.") when the picture fits both, up to MAX_ROW_STATEMENTS. Two sentences whose own pictures differ
never share a row, so no picture stands beside an idea it does not show. Pictures are about 3 cm (the
profile's picture_cm), the same in every format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from easyread.document import (
    Block,
    BlocksWithPictures,
    ListBlock,
    Pictured,
    Section,
    Statement,
    SymbolRef,
    Table,
    plain,
)
from easyread.presentation.nobreak import keep_whole

if TYPE_CHECKING:
    from PIL import ImageFont

    from easyread.document import Document
    from easyread.inputs.profile import Profile

from easyread.inputs.house_style import MIN_CONTRAST, WHITE, contrast
from easyread.inputs.model import Voice
from easyread.presentation.fonts import FONT

POINT_CM = 2.54 / 72
CAP_HEIGHT = 0.7  # about, in font sizes: typst measures a line from its cap height to its baseline
LOGO_HEIGHT_CM = 1.4
LETTERHEAD_FROM_EDGE_CM = 1.0  # the letterhead from the top of the page, the page number from its foot
TEXT_GAP_CM = 0.8  # from the letterhead and the page number to the text
SIDE_MARGIN_CM = 2.0  # and the top margin without a letterhead
PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 21.0, 29.7  # A4
TABLE_PICTURE_ROOM_CM = 0.8  # around a picture in a table's first column
EMERGENCY_FRAME_PT, EMERGENCY_INSET_CM = 3.0, 0.4  # the frame that marks out whom to ring in an emergency
COVER_SPACE_CM = 1.5  # above the cover's title, and around its picture
BAND_PICTURE_CM = 4.0  # the person's picture in the band at the top of a page of boxes
BOX_FRAME_PT = 2.0  # a box's frame
# the room inside a box and between boxes; on a page of fixed count (the one-page profile), tighter, so it holds
# its words in Word as in the PDF
BOX_INSET_CM, BOX_GAP_CM, TIGHT_BOX_CM = 0.35, 0.4, 0.25
BOX_LINE_GAP = 0.1  # between the lines of a box, in body sizes, beyond the line height: close, still apart
BOX_HEADING = 1.15  # a box's heading, in body sizes: bold and larger, the frame marks it out too
MAX_ROW_STATEMENTS = 2  # a sentence and its direct continuation
MAX_ROW_WORDS = 24  # about three lines beside a picture: more and the picture is far from the last words
# first words that carry on the sentence before: "It is 2 buses away." "They will use picture recipes."
GOES_ON = re.compile(r"(?:It|Its|This|That|These|Those|They|Their|She|Her|He|His|So|Then|Also|And|But)\b")


@dataclass(frozen=True)
class Idea:
    """Statements shown as one row beside the first picture among them, with the short list they lead into
    ("Who: Jordan and Lucy", "By: Friday") as details under the words: one row, never split by a page."""

    statements: tuple[Statement, ...]
    details: ListBlock | None = None

    @property
    def pictured(self) -> Statement:
        """The statement whose picture the row shows: the first that has one."""
        return next((s for s in self.statements if s.symbol), self.statements[0])

    @property
    def symbol(self) -> str | None:
        """The row's picture."""
        return self.pictured.symbol


def picture_identity(ref: SymbolRef) -> str:
    """What a reader sees: `money` and `budget` are both the pound note."""
    return ref.code or ref.file or ref.name


def leads_into(before: Block | Idea | None, after: Block | Idea | None) -> bool:
    """True when a statement (or the row it ends) leads into what comes after it, so no page ends between
    them: it ends with a colon ("If something goes wrong:", "Who to ring first:" before a contact card), what
    follows is a list of a step's few details ("Who:", "By:"), or a table it introduces ("This is the support
    you get each week."). A row that holds its list already leads
    into nothing more: else "My health:" with its list would stick to the next lead-in and its list, and a
    run of them would move to the next page as one block."""
    if isinstance(before, Idea):
        if before.details is not None:
            return False
        before = before.statements[-1]
    if not isinstance(before, Statement) or after is None:
        return False
    return before.text.rstrip().endswith(":") or isinstance(after, Table) \
        or (isinstance(after, ListBlock) and after.led_into_by(before)) or _same_item(before, after)


MOST_KEPT_TOGETHER = 4  # rows: a longer run of lines that lead into each other may end a page, not empty one


def lead_ins(items: Sequence[Block | Idea]) -> list[bool]:
    """For each of a run of rows, whether it leads into the next (see leads_into); but never more than
    MOST_KEPT_TOGETHER rows in one unbreakable run: six sentences of one field would move to the next page as
    one block and leave the page before three-quarters empty."""
    found, run = [], 0
    for index, item in enumerate(items):
        lead = index + 1 < len(items) and leads_into(item, items[index + 1])
        run = run + 1 if lead else 0
        if run >= MOST_KEPT_TOGETHER and not (isinstance(item, Idea) and item.statements[-1].text.rstrip().endswith(":")):
            lead, run = False, 0
        found.append(lead)
    return found


_ITEM = re.compile(r"^[\w.]+\[\d+\]")  # one item of a plan's list: "people_who_help[0]"


def _same_item(before: Statement, after: Block | Idea) -> bool:
    """True when a line and the row after it come from one plan field ("In an emergency ring 999.", "Or press your
    alarm button.") or one item of a plan's list (a helper's name, then how they help): they stay on one page."""
    first = after.statements[0] if isinstance(after, Idea) else after
    if not isinstance(first, Statement) or not before.source.fields:
        return False
    if before.source.fields == first.source.fields:
        return True
    items = [{match.group(0) for field in s.source.fields if (match := _ITEM.match(field))} for s in (before, first)]
    return bool(items[0] & items[1])


def _identity(statement: Statement, symbols: Mapping[str, SymbolRef]) -> str | None:
    """The picture a statement's own words chose, as a reader sees it; None when it has none."""
    ref = symbols.get(statement.symbol or "")
    return picture_identity(ref) if ref else None


def _joins(row: list[Statement], statement: Statement, symbols: Mapping[str, SymbolRef]) -> bool:
    """True when a statement goes on with the row before it: the same picture's idea again, or its direct
    continuation ("It is 2 buses away."), and never a sentence whose own picture is another one: two pictured
    ideas never share one picture. A sentence without a picture from another plan field starts its own row."""
    if len(row) >= MAX_ROW_STATEMENTS or sum(len(s.text.split()) for s in [*row, statement]) > MAX_ROW_WORDS:
        return False
    shown = next((identity for s in row if (identity := _identity(s, symbols))), None)
    own = _identity(statement, symbols)
    if own is not None and shown is not None:
        return own == shown  # one picture, one idea: "Your budget is £838.80 a week." "You pay £27.40 of it."
    if statement.source.fields and statement.source != row[-1].source:
        return False
    return bool(GOES_ON.match(statement.text)) and (own is None or len(row) == 1)


def rows(blocks: Sequence[Block], symbols: Mapping[str, SymbolRef], pictures: bool) -> list[Block | Idea]:
    """The blocks with each statement in a row (an Idea); with pictures, a statement that goes on with the one
    before shares its row. A statement that leads into a short list takes it as its details."""
    out: list[Block | Idea] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if not isinstance(block, Statement):
            out.append(block)
            continue
        row = [block]
        while pictures and index < len(blocks) and isinstance(blocks[index], Statement) \
                and _joins(row, cast(Statement, blocks[index]), symbols):
            row.append(cast(Statement, blocks[index]))
            index += 1
        after = blocks[index] if index < len(blocks) else None
        details = after if isinstance(after, ListBlock) and after.details_of(row[-1]) else None
        index += details is not None
        out.append(Idea(tuple(row), details))
    return out


def item_rows(items: Sequence[Statement], symbols: Mapping[str, SymbolRef]) -> list[Idea]:
    """A pictured list's items as rows: each its own, but a sentence that goes on with the item before shares
    its row (see easyread.composer.ideas, which cuts an item into its sentences)."""
    return [cast(Idea, idea) for idea in rows(items, symbols, pictures=True)]


@lru_cache(maxsize=4096)
def _width_cm(text: str, size_pt: float) -> float:
    """How wide a text is drawn in bold at this size, in cm (Pillow reads the font's own letter widths)."""
    return _bold_font().getlength(text) / 1000 * size_pt * POINT_CM


@lru_cache(maxsize=1)
def _bold_font() -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    from easyread.presentation.fonts import font_folder  # Atkinson Hyperlegible, which the PDF embeds

    return ImageFont.truetype(str(Path(font_folder()) / "AtkinsonHyperlegible-Bold.ttf"), 1000)


class _Shown(BlocksWithPictures):
    """The blocks whose pictures a reader sees, a section's rows as easy read lays them out."""

    def __init__(self, symbols: Mapping[str, SymbolRef]) -> None:
        self.symbols = symbols

    def section(self, block: Section) -> list[Pictured]:
        return [block, *shown(block.blocks, self.symbols)]


def shown(blocks: Sequence[Block], symbols: Mapping[str, SymbolRef]) -> Iterator[Pictured]:
    """Every block whose picture a reader sees in easy read, in order: a row shows its pictured statement's."""
    for item in rows(blocks, symbols, pictures=True):
        yield from [item.pictured] if isinstance(item, Idea) else _Shown(symbols).visit(item)


BLACK = "#000000"
LINK_COLOUR = "#1A4F8B"  # links in the web page and the book, where the house style names no colour for them


def readable(colour: str, background: str) -> str:
    """The colour, or black or white when it is not readable (4.5:1, WCAG 2.2 AA) on the page's background."""
    if contrast(colour, background) >= MIN_CONTRAST:
        return colour
    return max((BLACK, WHITE), key=lambda c: contrast(c, background))


@dataclass(frozen=True)
class Layout:
    """Everything a writer needs to know about how one document looks and sounds, resolved once from the profile,
    the person's recorded needs and the house style: sizes (points and centimetres), spacing (multiples of the body
    size), colours, fonts, the voice and its pace. Writers read this, never the profile; the letterhead's words are
    the Document's own (Document.council)."""

    body_pt: float
    credit_pt: float  # the picture credit: the smallest size the profile allows, so it rarely needs a page of its own
    heading_pt: tuple[float, float, float]  # levels 1, 2, 3
    line_height: float  # baseline to baseline, in body sizes (CSS line-height)
    paragraph_gap: float  # space after a paragraph, in body sizes
    pictures: bool  # a picture beside each idea (easy read), and on the headings and the cover
    heading_pictures: bool  # pictures on the headings and the cover: in boxes, the only ones
    boxes: bool  # each part in a framed box (Document.boxes), its lines without pictures beside them
    max_pages: int | None  # the most pages the document may take (Document.max_pages)
    box_inset_cm: float  # the room inside a box, round its words
    box_gap_cm: float  # between boxes
    tables: bool
    picture_cm: float  # beside a row
    picture_gap_cm: float  # between a row's picture and its words (a list without pictures is indented as far)
    heading_picture_cm: float
    card_picture_cm: float  # before a contact card's name in a box: no taller than its words
    table_picture_cm: float
    sign_line_cm: float  # the line to sign or write on, after its label
    tick_box: float  # a box to tick, in body sizes: at least as big as the words beside it
    choice_picture_cm: float  # beside an answer to tick: thumbs up beside "I agree."
    cover_picture_cm: float  # the person's picture on the cover
    write_line: float  # the height of a line to write or sign on, in body sizes: room for handwriting
    write_lines: int  # lines of space for the person's own words
    row_gap_cm: float  # between rows of pictures
    # above and below a row's words (from cap height and baseline), and between the sentences of one row, in body
    # sizes: two rows' words stand well apart and one row's sentences close, so each is seen beside its picture
    row_words_pad: float
    row_sentence_gap: float
    heading_above: float  # space before a heading (level 2 and 3), in body sizes
    heading_below: float
    margins_cm: tuple[float, float, float]  # top, bottom, sides of an A4 page
    header_cm: float  # the letterhead's height (its logo), in the top margin
    footer_cm: float  # the page number's line, in the bottom margin
    picture_heading: str  # the heading of a table's column of pictures, as wide as that column must be
    font: str  # the font every format asks for first: the house style's, else Atkinson Hyperlegible
    # what a format that names a font but cannot carry one (Word) names: the house font, else Arial, on every
    # council computer (a reader without Atkinson Hyperlegible would get whatever Word puts in its place)
    named_font: str
    font_files: tuple[Path, ...]  # the house font's own files, to embed (the house style's font_files); () for none
    # colours, each readable (4.5:1) on the page: a house colour that is not, on this person's page colour,
    # becomes black or white, in every format alike
    text_colour: str
    heading_colour: str
    link_colour: str
    background: str | None  # the person's page colour; None for a plain white page
    profile: str  # the profile's name ("easy-read"), for a file's keywords
    description: str  # the profile in words, for an EPUB's accessibility summary
    speech_rate_wpm: int  # the person's recorded pace, else the profile's
    voice: Voice | None  # the render's own choice, else the person's recorded need; None: the natural voice if installed
    read_along: bool  # an EPUB carries its recording

    @classmethod
    def of(cls, document: Document, profile: Profile) -> Layout:
        """The layout for this person's document in this profile."""
        presentation, house = profile.presentation, profile.house
        body = profile.body_size(document.needs)
        scale = presentation.heading_scale
        pictures = profile.shows_pictures(document.needs)
        line_cm = body * 1.5 * POINT_CM  # the letterhead's name or the page number, at the body size (UKAAF)
        header = LOGO_HEIGHT_CM if house and house.logo else line_cm
        page = document.needs.background_colour or WHITE
        return cls(
            body_pt=body,
            credit_pt=min(body, presentation.min_body_pt),
            # each level clearly larger than the one below (UKAAF): with the shipped scale 1.4, 1.25, 1.5 and 1.875
            # times the words (20, 24 and 30 pt over 16 pt)
            heading_pt=(round(body * (1 + (scale - 1) * 1.25) * 1.25, 1), round(body * (1 + (scale - 1) * 1.25), 1),
                        round(body * (1 + (scale - 1) * 0.625), 1)),
            line_height=presentation.line_spacing,
            paragraph_gap=0.5,
            pictures=pictures and not document.boxes,
            heading_pictures=pictures,
            boxes=document.boxes,
            max_pages=document.max_pages,
            box_inset_cm=TIGHT_BOX_CM if document.max_pages else BOX_INSET_CM,
            box_gap_cm=TIGHT_BOX_CM if document.max_pages else BOX_GAP_CM,
            tables=profile.uses_tables(document.needs),
            picture_cm=presentation.picture_cm,
            picture_gap_cm=0.6,
            heading_picture_cm=0.8 if document.boxes else 1.5,  # in a box, on a heading no bigger than the words; else
            # big enough to read at arm's length (1.1 cm was judged too small to make out)
            card_picture_cm=round(body * POINT_CM * 1.1, 2),
            table_picture_cm=round(presentation.picture_cm * 2 / 3, 2),  # beside a table row's few words
            sign_line_cm=8.0,
            tick_box=1.25,
            choice_picture_cm=round(presentation.picture_cm * 2 / 3, 2),
            cover_picture_cm=7.0,
            write_line=2.0,
            write_lines=4,
            row_gap_cm=0.25,
            row_words_pad=0.5,
            row_sentence_gap=0.25,
            heading_above=presentation.heading_above,
            heading_below=0.75,  # a heading stands apart from the words under it, as well as above
            # the letterhead 1 cm from the top and the page number 1 cm from the foot, each 0.8 cm from the text
            margins_cm=(LETTERHEAD_FROM_EDGE_CM + header + TEXT_GAP_CM if house else SIDE_MARGIN_CM,
                        LETTERHEAD_FROM_EDGE_CM + line_cm + TEXT_GAP_CM, SIDE_MARGIN_CM),
            header_cm=header,
            footer_cm=line_cm,
            picture_heading=document.words["picture"],
            font=house.font if house else FONT,
            named_font=house.font if house else "Arial",
            font_files=tuple(house.font_files) if house else (),
            text_colour=readable(house.colours.text if house else BLACK, page),
            heading_colour=readable(house.colours.headings if house else BLACK, page),
            link_colour=readable(LINK_COLOUR, page),
            background=document.needs.background_colour,
            profile=profile.name,
            description=profile.description,
            speech_rate_wpm=document.needs.speech_rate_wpm or presentation.speech_rate_wpm,
            voice=presentation.voice or document.needs.voice,
            read_along=presentation.read_along,
        )

    def table_picture(self, table: Table, symbols: Mapping[str, SymbolRef]) -> bool:
        """True when a table has a first column of pictures: in easy read, when any row has one."""
        return self.pictures and any(row.symbol in symbols for row in table.rows)

    def table_columns(self, table: Table, symbols: Mapping[str, SymbolRef]) -> list[float] | None:
        """The widths of a table's columns in cm (its picture column second, after the day, if any), or None when it is
        not drawn as a table: the person or profile wants no tables, or its longest words cannot all fit
        across the page, and then it is written day by day rather than with a word broken in a cell.

        Each column is at least as wide as its longest word in bold (the widest a word is drawn, in
        Atkinson Hyperlegible, about as wide as Arial) and the rest of the width goes where the text is.
        """
        if not self.tables:
            return None
        padding = max(self.body_pt * POINT_CM, 0.4)  # typst's cell inset, Word's cell margins
        first = [max(self.table_picture_cm + TABLE_PICTURE_ROOM_CM, _width_cm(self.picture_heading, self.body_pt) + padding)
                 ] if self.table_picture(table, symbols) else []  # as wide as its picture and its heading
        room = PAGE_WIDTH_CM - 2 * self.margins_cm[2] - sum(first)
        columns = [[table.header[j], *(row.cells[j] for row in table.rows)] for j in range(len(table.header))]
        least, wanted = [], []
        for cells in columns:
            texts = [keep_whole(plain(cell)) for cell in cells]  # "18 December 2026" is one word
            least.append(max(_width_cm(word, self.body_pt) for text in texts for word in text.split(" ")) + padding)
            wanted.append(max(_width_cm(text, self.body_pt) for text in texts) + padding)
        if sum(least) > room:
            return None
        extra = room - sum(least)
        more = [want - low for want, low in zip(wanted, least)]
        if sum(more) <= extra:  # everything on one line, and the rest shared out evenly
            widths = [want + (extra - sum(more)) / len(more) for want in wanted]
        else:
            widths = [low + extra * gain / sum(more) for low, gain in zip(least, more)]
        return [round(width, 3) for width in widths[:1] + first + widths[1:]]

    @staticmethod
    def first_column_spans(table: Table) -> list[int]:
        """How many rows each row's first cell spans: a day written once beside all its times, as a visual timetable
        shows it ([2, 0, 1]: Monday over two rows, then Tuesday); 0 for a row whose first cell the one above covers."""
        spans: list[int] = []
        first = 0  # the row whose cell spans this one
        for index, row in enumerate(table.rows):
            if index and plain(row.cells[0]) == plain(table.rows[index - 1].cells[0]):
                spans.append(0)
                spans[first] += 1
            else:
                first = index
                spans.append(1)
        return spans

    @property
    def dark_page(self) -> bool:
        """True when the page colour is dark, so the text is light: a format that may be printed without its page
        colour (Word prints none by default) uses its automatic text colour, light on the page and black on paper."""
        page = self.background or WHITE
        return contrast(WHITE, page) > contrast(BLACK, page)

    @property
    def typst_leading(self) -> float:
        """The line height as typst's leading: the gap from one line's baseline to the next line's cap height."""
        return round(self.line_height - CAP_HEIGHT, 3)

    @property
    def row_words_pad_in_lines(self) -> float:
        """`row_words_pad` where a line of text is a whole line high (Word, HTML), not cap height to baseline."""
        return round(self.row_words_pad - (self.line_height - CAP_HEIGHT) / 2, 3)

