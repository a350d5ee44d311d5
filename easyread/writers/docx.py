"""Word writer: easy-read and large-print .docx that a screen reader and a council can use.

Easy read lays each idea out as a row: the picture floating on the left, then its words (so a
screen reader reads the picture's alt text and then its words), with no layout table, so a tagged
PDF exported from the file has no table that holds no data. Large print is plain paragraphs at the
person's size with 1.5 line spacing. Both use real Heading 1/2/3 styles, en-GB on every style, A4
pages, page numbers, a real timetable table with a repeating header row, and alt text (`descr` only:
LibreOffice joins title and descr) on every picture. python-docx's template boilerplate - its
author, 2013 dates, thumbnail and "Microsoft Macintosh Word" - is replaced.

This module decides only the layout, through python-docx's public API; Word's XML where
python-docx has no API, and python-docx's internals, are in easyread.writers.wordml.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.shared import Cm, Length, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph
from docx.text.run import Run as WordRun

from easyread.document import (
    CONTACT_LABELS,
    Agreement,
    Block,
    ContactCard,
    Cover,
    Document,
    Glossary,
    ListBlock,
    Quote,
    Run,
    Section,
    Statement,
    Table,
    Visitor,
    around,
)
from easyread.presentation.layout import (
    BAND_PICTURE_CM,
    BOX_FRAME_PT,
    BOX_HEADING,
    BOX_LINE_GAP,
    COVER_SPACE_CM,
    EMERGENCY_FRAME_PT,
    LETTERHEAD_FROM_EDGE_CM,
    POINT_CM,
    Idea,
    Layout,
    item_rows,
    lead_ins,
    rows,
)
from easyread.presentation.nobreak import keep_whole, keep_whole_runs
from easyread.writers import made_at, wordml
from easyread.writers.data import day_by_day
from easyread.writers.plan import RenderPlan

LANGUAGE = "en-GB"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
OWN_WORDS = "Own Words"  # the paragraph style of the person's own words
LIST_INDENT_CM = 0.635  # a bullet's hanging indent, as python-docx's "List Bullet" has it
NARROW_AVERAGE_CHARACTER = 0.42  # a character's average width in plain words, in font sizes, at its narrowest
SIGN_LABEL_CM = 5.0  # the column of labels beside the lines to sign ("Your name", "Signed")
HEADING_LINE_EXTRA = 0.25  # Word's single line, in heading sizes, beyond the PDF's heading
HALF_X_HEIGHT = 0.35  # from the baseline to the middle of a line's small letters, in font sizes
HEADING_PICTURE_GAP_CM = 0.25  # a space, at a heading's size: between its picture and its words


class Writer(Visitor[None]):
    """Builds one .docx from a Document and its Layout, a block at a time."""

    def __init__(self, document: Document, layout: Layout) -> None:
        self.source = document
        self.house = document.council
        self.layout = layout
        self.pictures = layout.pictures
        self.body = layout.body_pt
        self.font = layout.named_font
        self.text_colour = layout.text_colour
        self.heading_colour = layout.heading_colour
        self.picture_column = Cm(layout.picture_cm + layout.picture_gap_cm)  # the gap to the words, in its column
        self.text_width = Length(PAGE_WIDTH - 2 * Cm(layout.margins_cm[2]))  # between the page's side margins
        self.doc = new_document()
        self.into: wordml.Container = self.doc  # where blocks go: the body, or the emergency card's cell
        self.box = False  # in a box (layout: boxes)
        self.style_ids: dict[str, str] = {}
        self.rasters: dict[str, Path | bytes] = {}  # symbol -> its PNG
        self.inline_pictures = wordml.InlinePictures(self.doc)

    # --- the document as a whole -------------------------------------------------------------

    def build(self) -> None:
        """Lay out the whole document."""
        self._page()
        self._styles()
        self._footer()
        self._letterhead()
        if self.source.cover is None:
            self._heading(self.source.title, 1, None)
        else:
            self._cover(self.source.cover)
        self._blocks(self.source.blocks)
        self._ending()
        self._separate_tables()  # Word wants a paragraph after the last table
        self._properties()

    def package(self) -> bytes:
        """The .docx file's bytes; every part dated when it was made, so the same input makes the same file."""
        return wordml.write_package(self.doc, made_at())

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        # room above the text for the letterhead and below it for the page number at the body size, so
        # neither runs into the text (Layout's margins, the same as the PDF's)
        top, bottom, side = (Cm(cm) for cm in self.layout.margins_cm)
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = top, bottom, side, side
        section.header_distance = section.footer_distance = Cm(LETTERHEAD_FROM_EDGE_CM)
        colour = self.layout.background
        if colour:  # the person's page colour (large print), shown when printed and on screen
            wordml.set_page_colour(self.doc, colour)
        wordml.turn_off_hyphenation(self.doc)

    def _styles(self) -> None:
        styles = self.doc.styles
        wordml.set_default_language(self.doc, LANGUAGE)
        normal = styles["Normal"]
        self._font(normal, self.body)
        normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        # at least the line height in points, as in the PDF and HTML: a "multiple" counts in the font's own
        # line, which differs from font to font (LibreOffice's stand-in for Arial is a third taller)
        normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        normal.paragraph_format.line_spacing = Pt(self.body * self.layout.line_height)
        normal.paragraph_format.space_after = Pt(self.body * self.layout.paragraph_gap)
        for level, size in enumerate(self.layout.heading_pt, 1):
            style = styles[f"Heading {level}"]
            self._font(style, size, colour=self.heading_colour, bold=True)
            # a heading's line is its font's own (single), about a quarter of its size taller than the PDF's
            # heading (cap height to descender): the space around it is that much less, so both measure alike
            style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            extra = HEADING_LINE_EXTRA * size / 2
            style.paragraph_format.space_before = Pt(max(self.body * self.layout.heading_above - extra, 0) if level > 1 else 0)
            style.paragraph_format.space_after = Pt(max(self.body * self.layout.heading_below - extra, 0))
            style.paragraph_format.keep_with_next = True
        for name in ("List Bullet", "Footer", "Header", "Table Grid"):
            style = styles[name]
            self._font(style, self.body)
        wordml.set_table_border_colour(styles["Table Grid"], self.text_colour)  # "auto" is black, even on a dark page
        # the person's own words in a style of our own, not Word's "Quote": LibreOffice's tagged PDF tags a "Quote"
        # paragraph /Quote and role-maps it to /P, which PDF/UA-1 forbids (veraPDF 7.1-7); ours is a plain /P
        words = styles.add_style(OWN_WORDS, WD_STYLE_TYPE.PARAGRAPH)
        words.base_style = normal
        self._font(words, self.body)
        words.paragraph_format.left_indent = Cm(0.6)

    def _font(self, style: ParagraphStyle, size: float, colour: str | None = None, bold: bool | None = None) -> None:
        wordml.set_style_font(style, self.font)
        style.font.size = Pt(size)
        if self.layout.dark_page:  # light on the page, and black on paper printed without the page colour
            wordml.set_automatic_colour(style)
        else:
            style.font.color.rgb = RGBColor.from_string((colour or self.text_colour).lstrip("#"))
        if bold is not None:
            style.font.bold = bold
        style.font.italic = False
        wordml.set_style_language(style, LANGUAGE)

    def _footer(self) -> None:
        footer = self.doc.sections[0].footer
        paragraph = footer.paragraphs[0]
        self._style(paragraph, "Footer")
        if self.layout.max_pages == 1:  # a one-page document carries the pictures' credit at its foot instead
            if self.layout.heading_pictures and self.source.attribution:
                paragraph.add_run(" ".join(self.source.attribution)).font.size = Pt(self.layout.credit_pt)
            return
        before, between, after = around(self.source.words["page"], "page", "pages")  # "Page 2 of 9"
        paragraph.add_run(before)
        wordml.add_field(paragraph, "PAGE")
        paragraph.add_run(between)
        wordml.add_field(paragraph, "NUMPAGES")
        if after:
            paragraph.add_run(after)

    def _letterhead(self) -> None:
        if not self.house:
            return
        header = self.doc.sections[0].header
        paragraph = header.paragraphs[0]
        self._style(paragraph, "Header")
        if self.house.logo:
            from easyread.symbols.raster import source_file

            logo = paragraph.add_run()
            self.inline_pictures.add(logo, source_file(self.house.logo), self.house.logo.alt, Cm(self.layout.header_cm),
                                     by_height=True)
        name = paragraph.add_run(self.house.name)
        name.bold = True
        if self.house.logo:
            name.text = " " + name.text
            self._beside([name], self.layout.header_cm)

    def _ending(self) -> None:
        credit = self.layout.heading_pictures and bool(self.source.attribution) and self.layout.max_pages != 1
        if self.house and self.house.contact:
            self._heading(f"{self.source.words['contact']} {self.house.name}", 2, None)
            for number, line in enumerate(self.house.contact, 1):  # the council's address stays whole, with the credit
                self.into.add_paragraph(keep_whole(line)).paragraph_format.keep_with_next = \
                    credit or number < len(self.house.contact)
        if credit:  # at the smallest size allowed, so it rarely moves the address; never a page of its own
            paragraph = self.into.add_paragraph()
            paragraph.add_run(" ".join(self.source.attribution)).font.size = Pt(self.layout.credit_pt)

    def _properties(self) -> None:
        """Our metadata in place of python-docx's template ("python-docx", 2013)."""
        now = made_at().replace(microsecond=0)
        author = self.source.author or (self.house.name if self.house else "")
        properties = self.doc.core_properties
        properties.title = self.source.title[:255]  # Word's title holds 255 characters; a template may make more
        properties.subject = self.source.subject
        properties.author = author
        properties.last_modified_by = author
        properties.language = LANGUAGE
        properties.created = properties.modified = now
        properties.revision = 1
        properties.comments = properties.keywords = properties.category = ""
        properties.content_status = properties.identifier = properties.version = ""
        wordml.remove_thumbnail(self.doc)
        wordml.set_extended_properties(self.doc, self.source.title, author)

    # --- blocks --------------------------------------------------------------------------------

    def _blocks(self, blocks: list[Block]) -> None:
        items = rows(blocks, self.source.symbols, self.pictures)  # the rule every format follows
        for block, lead in zip(items, lead_ins(items)):
            if isinstance(block, Idea):
                self._idea(block, lead=lead)
            else:
                self.visit(block)

    def statement(self, block: Statement) -> None:
        self._idea(Idea((block,)), lead=False)  # a statement on its own is a row of one

    def quote(self, block: Quote) -> None:
        self._statement([Run(text="\u201c"), *block.runs, Run(text="\u201d")], block.symbol, style=OWN_WORDS)

    def section(self, block: Section) -> None:
        if self.layout.boxes and block.level == 2:
            self._box(block)
            return
        self._heading(block.heading, block.level, block.symbol, new_page=block.new_page)
        self._blocks(block.blocks)

    def _box(self, block: Section) -> None:
        """A part in a frame of the heading colour: its heading and its blocks as paragraphs with one border, which
        Word and LibreOffice draw as one frame round them all (a table would be one that holds no data). A long box
        goes on over the page between blocks, never inside a contact card; on a one-page document it stays whole."""
        # a paragraph before each box: the frame stands clear of the band, and two boxes' borders never join
        self._spacer(Cm(self.layout.box_gap_cm))
        self.box = True
        first = wordml.body_end(self.doc)
        heading = self._heading(block.heading, block.level, block.symbol)
        for run in heading.runs:
            if run.text.strip():
                run.font.size = Pt(self.body * BOX_HEADING)  # as in the PDF: the frame marks it out
        self._blocks(block.blocks)
        paragraphs = wordml.body_paragraphs(self.doc, first)
        self._close_together(paragraphs)
        for paragraph in paragraphs:
            if paragraph.style is not None and paragraph.style.name == OWN_WORDS:  # indented, it would be framed on its own
                paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Cm(0)
            wordml.paragraph_frame(paragraph, self.heading_colour, BOX_FRAME_PT, Cm(self.layout.box_inset_cm))
            if self.layout.max_pages == 1 and paragraph is not paragraphs[-1]:
                paragraph.paragraph_format.keep_with_next = True
        self.box = False

    def _close_together(self, paragraphs: list[Paragraph]) -> None:
        """A box's lines close together, as in the PDF: no space before its heading, a small gap after each line."""
        for paragraph in paragraphs:
            paragraph.paragraph_format.space_before = Pt(0)
            paragraph.paragraph_format.space_after = Pt(self.body * BOX_LINE_GAP)

    def listing(self, block: ListBlock) -> None:
        if self.pictures and any(item.symbol for item in block.items):
            # items with pictures are rows, like statements, each a bullet; a sentence that goes on, in its row
            for idea in item_rows(block.items, self.source.symbols):
                self._idea(idea, lead=False, style="List Bullet")
            return
        for item in block.items:
            paragraph = self._paragraph(style="List Bullet")
            if self.pictures:
                paragraph.paragraph_format.left_indent = self.picture_column + Cm(0.6)
            self._runs(paragraph, item.runs)

    def table(self, block: Table) -> None:
        columns = self.layout.table_columns(block, self.source.symbols)
        if columns is None:
            self._day_list(block)
        else:
            self._table(block, columns)

    def glossary(self, block: Glossary) -> None:
        for term in block.terms:
            paragraph = self.into.add_paragraph()
            paragraph.add_run(term.word).bold = True
            paragraph.add_run(": ")
            self._runs(paragraph, term.meaning)

    def _statement(self, runs: list[Run], symbol: str | None, style: str | None = None) -> None:
        """One line: in easy read a row (picture, then words); in large print a paragraph."""
        self._lines(symbol, [_Line(runs, style, after=self._row_gap(symbol))])

    def _idea(self, idea: Idea, lead: bool, style: str | None = None) -> None:
        """A row: the idea's sentences beside its picture, then its details ("Who:", "By:") as a list; one page.
        `style` is its first sentence's (a list item's "List Bullet")."""
        gap = Pt(self.body * self.layout.row_sentence_gap) if self.pictures else None  # one row's sentences close
        lines = [_Line(s.runs, None if index else style, keep=True, after=gap) for index, s in enumerate(idea.statements)]
        lines += [_Line(item.runs, "List Bullet", keep=True, after=Pt(0))  # one line apart, as in the PDF and HTML
                  for item in idea.details.items] if idea.details else []
        # kept whole, in large print as in a row, and a lead-in never ends a page
        lines[-1] = replace(lines[-1], keep=lead, after=self._row_gap(idea.symbol))
        self._lines(idea.symbol, lines)

    def _row_gap(self, symbol: str | None) -> Length | None:
        """The gap under a row's words, as in the PDF: between rows, or between paragraphs without a picture."""
        if not self.pictures:
            return None
        return Cm(self.layout.row_gap_cm) if symbol in self.source.symbols else Pt(self.body * self.layout.paragraph_gap)

    def _lines(self, symbol: str | None, lines: list[_Line], icon: bool = False) -> None:
        """Lines of words: in easy read a row (the picture, the words beside it), in large print paragraphs; with
        `icon` (a contact card in a box), the picture small before the first line, as a heading's."""
        if self.pictures:
            self._row(symbol, lines)
            return
        small = icon and self.layout.heading_pictures and symbol is not None and symbol in self.source.symbols
        for line in lines:
            paragraph = self._paragraph(style=line.style)
            if small and line is lines[0]:  # no taller than the words, so the line keeps its height
                self._symbol(paragraph.add_run(), symbol or "", self.layout.card_picture_cm)
                paragraph.add_run(" ")
            self._runs(paragraph, line.runs)
            if line.keep:
                paragraph.paragraph_format.keep_with_next = True
            if line.after is not None:
                paragraph.paragraph_format.space_after = line.after

    def _row(self, symbol: str | None, lines: list[_Line]) -> None:
        """A row: the words in their column, the picture floating in its own column level with the first line, and
        room under the words down to the picture's foot. Paragraphs, not a layout table: a screen reader reads the
        picture's alt text and then its words, and a tagged PDF made from the file has no table that holds no data.
        The picture takes no part in the flow (Word and LibreOffice wrap words round it differently, and LibreOffice
        lets a heading be left behind by a paragraph that a picture moves on): the room under the words holds it."""
        shown = symbol is not None and symbol in self.source.symbols
        if shown:  # two rows' words further apart than one row's sentences
            pad = Pt(self.body * self.layout.row_words_pad_in_lines)
            lines = [replace(lines[0], before=pad), *lines[1:]]
        rows = [wordml.RowParagraph(
            runs=[("", False)] * (shown and not number) + _shown(line.runs),  # the picture's run first: read first
            style_id=self._style_id(line.style) if line.style else None,
            keep_with_next=line.keep or line is not lines[-1] or shown, keep_together=True,
            before=line.before, after=line.after,
            indent=Length(self.picture_column + (Cm(LIST_INDENT_CM) if line.style == "List Bullet" else 0)),
            hanging=Cm(LIST_INDENT_CM) if line.style == "List Bullet" else None)  # a bullet hangs in its indent
            for number, line in enumerate(lines)]
        if shown:  # the rest of the picture's height, kept with the words, so the row and its picture share a page
            rows.append(wordml.RowParagraph(keep_with_next=lines[-1].keep, before=Pt(0), after=Pt(0), exactly=Length(
                max(Pt(1), Cm(self.layout.picture_cm) + (lines[0].before or 0) - self._least_height(lines)))))
        made = wordml.append_paragraphs(self.into, rows)
        if shown:
            self._symbol(made[0].runs[0], symbol or "", self.layout.picture_cm,
                         floating=wordml.Float(gap=Cm(self.layout.picture_gap_cm), wraps=False))

    def _least_height(self, lines: list[_Line]) -> Length:
        """The least height a row's words can take: the room under them then reaches at least the picture's foot,
        however the words wrap (their lines counted at a narrow character's width and the line's least height)."""
        line_height = Pt(self.body * self.layout.line_height)  # Normal's spacing is at least this
        per_line = Length(self.text_width - self.picture_column) / Pt(self.body * NARROW_AVERAGE_CHARACTER)
        height = 0
        for line in lines:
            characters = sum(len(run.text) for run in line.runs)
            height += max(1, math.ceil(characters / per_line)) * line_height + (line.before or 0) + (line.after or 0)
        return Length(height)

    def _new_table(self, rows: int, cols: int) -> WordTable:
        """A table at the end of the body, after a separating paragraph when a table is already there."""
        self._separate_tables()
        table: WordTable = self.into.add_table(rows=rows, cols=cols)  # python-docx leaves add_table untyped
        return table

    def _separate_tables(self) -> None:
        """Two tables in a row become one in Word: a paragraph between them."""
        if wordml.ends_with_table(self.into):
            self._spacer()

    def _spacer(self, height: Length = Pt(1)) -> Paragraph:
        """An empty paragraph exactly `height` tall (1 pt: as small as Word allows)."""
        paragraph = self.into.add_paragraph()
        paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.paragraph_format.line_spacing = height
        return paragraph

    def _band(self, cover: Cover) -> None:
        """In boxes, the cover as a band at the top of the first page: the title and lines, the picture floating on
        the right beside them."""
        title = self._heading(self.source.title, 1, None)
        paragraphs = [title] + [self._paragraph() for _ in cover.lines]
        for paragraph, line in zip(paragraphs[1:], cover.lines):
            self._runs(paragraph, line.runs)
        self._close_together(paragraphs)
        if self.layout.heading_pictures and cover.symbol in self.source.symbols:
            self._symbol(title.add_run(), cover.symbol or "", BAND_PICTURE_CM,
                         floating=wordml.Float(gap=Cm(0.4), right=True))
            wordml.clearing_break(self._spacer())  # a line of its own, as small as Word allows, under the picture

    def _cover(self, cover: Cover) -> None:
        """The cover: the title, the person's picture and what this is, centred, on a page of its own."""
        if self.layout.boxes:
            self._band(cover)
            return
        space = Cm(COVER_SPACE_CM)
        title = self._heading(self.source.title, 1, None)
        title.paragraph_format.space_before = space
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in title.runs:
            run.font.size = Pt(self.layout.heading_pt[0] * 1.25)  # larger than any heading inside, as in the PDF
        if self.layout.heading_pictures and cover.symbol in self.source.symbols:
            picture = self.into.add_paragraph()
            picture.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.paragraph_format.space_before = picture.paragraph_format.space_after = space
            self._symbol(picture.add_run(), cover.symbol or "", self.layout.cover_picture_cm)
        for line in cover.lines:
            paragraph = self._paragraph()
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._runs(paragraph, line.runs)
        self.into.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _heading(self, heading: str | list[Run], level: int, symbol: str | None, new_page: bool = False) -> Paragraph:
        paragraph = self._paragraph(style=f"Heading {level}")
        paragraph.paragraph_format.page_break_before = new_page or None
        pictured = bool(symbol) and self.layout.heading_pictures and symbol in self.source.symbols
        if pictured:
            self._symbol(paragraph.add_run(), symbol or "", self.layout.heading_picture_cm)
            # a hanging indent as wide as the picture and a space: a heading that wraps goes on beside the picture,
            # not under it (a tab to the indent, LibreOffice takes to its next default stop)
            hang = Cm(self.layout.heading_picture_cm + HEADING_PICTURE_GAP_CM)
            paragraph.paragraph_format.left_indent, paragraph.paragraph_format.first_line_indent = hang, -hang
            paragraph.add_run(" ")
        if isinstance(heading, str):
            paragraph.add_run(heading)
        else:
            self._runs(paragraph, heading)
        if pictured:  # the space and the words, beside the picture's middle
            self._beside(paragraph.runs[1:], self.layout.heading_picture_cm, size=self.layout.heading_pt[level - 1])
        return paragraph

    def _day_list(self, block: Table) -> None:
        """A table for someone who does not use tables: each day in bold, then its lines, kept together."""
        for label, lines in day_by_day(block, self.source.words):
            heading = self._paragraph()
            for run in self._runs(heading, label):
                run.bold = True
            heading.paragraph_format.keep_with_next = True
            for number, (line, row) in enumerate(lines, 1):  # each day's lines kept together
                self._lines(row.symbol, [_Line(line, "List Bullet", keep=number < len(lines),
                                               after=self._row_gap(row.symbol))])

    def _table(self, block: Table, columns: list[float]) -> None:
        # a column of pictures first, when any row has one: what each row is about
        pictured = self.layout.table_picture(block, self.source.symbols)
        header_runs = [block.header[0], *[[Run(text=self.source.words["picture"])]] * pictured, *block.header[1:]]
        table = self._new_table(rows=1 + len(block.rows), cols=len(header_runs))
        wordml.set_table_style(table, self._style_id("Table Grid"))
        wordml.describe_table(table, block.caption)
        header = table.rows[0]
        wordml.repeat_as_header(header)
        wordml.keep_row_on_one_page(header)
        for cell, runs in zip(header.cells, header_runs):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.keep_with_next = True  # never a header alone at the foot of a page
            for run in runs:
                paragraph.add_run(run.text).bold = True
        table.autofit = False
        for column, width in zip(table.columns, columns):  # each as wide as its longest word, at least
            column.width = Cm(width)
            for cell in column.cells:  # Word reads the cells' widths, LibreOffice the grid's
                cell.width = column.width
        spans = self.layout.first_column_spans(block)
        for index, (row, data, span) in enumerate(zip(table.rows[1:], block.rows, spans)):
            wordml.keep_row_on_one_page(row)
            if span:  # the day once, beside all its times
                for made in self._runs(row.cells[0].paragraphs[0], data.cells[0]):
                    made.bold = True
                if span > 1:
                    row.cells[0].merge(table.rows[index + span].cells[0])
                    for covered in table.rows[index + 1:index + span]:  # a day's times stay on one page
                        wordml.keep_with_next(covered)
                    wordml.keep_with_next(row)
            if pictured and data.symbol in self.source.symbols:
                self._symbol(row.cells[1].paragraphs[0].add_run(), data.symbol or "", self.layout.table_picture_cm)
            for cell, runs in zip(row.cells[1 + pictured:], data.cells[1:]):
                self._runs(cell.paragraphs[0], runs)

    def contact(self, block: ContactCard) -> None:
        card = block
        lines = [_Line([Run(text=self.source.words["emergency"], bold=True)], keep=True, after=Pt(2))] \
            if card.emergency else []  # whom to ring in an emergency: said first, and framed
        for detail in card.details:
            label = CONTACT_LABELS.get(detail.key)
            runs = [Run(text=run.text, bold=run.bold or detail.key == "name") for run in detail.runs]
            last = detail is card.details[-1]
            lines.append(_Line([Run(text=label), *runs] if label else runs, keep=not last,  # a card is never split
                               after=Pt(self.body if last else 2)))  # and stands apart from the next
        if card.emergency and not self.box:
            self._framed(card.symbol, lines)
        else:
            self._lines(card.symbol, lines, icon=self.box)  # in a box, its picture small before the name

    def _framed(self, symbol: str | None, lines: list[_Line]) -> None:
        """Lines in a thick frame of the heading colour: a table whose header is their first line ("In an
        emergency") and whose one row is the rest, with its picture in easy read. (Not in a box, which frames
        them already: a table in a table falls apart in LibreOffice.)"""
        table = self._new_table(rows=2, cols=1)
        wordml.describe_table(table, self.source.words["emergency"])
        table.columns[0].width = self.text_width
        wordml.table_frame(table, self.heading_colour, EMERGENCY_FRAME_PT)
        wordml.cell_margins(table, Cm(self.layout.box_inset_cm), ("left", "right"))
        header, card = table.rows
        wordml.repeat_as_header(header)
        for row in table.rows:
            wordml.keep_row_on_one_page(row)
        self.into = header.cells[0]
        self._lines(None, lines[:1])
        self.into = card.cells[0]
        self._lines(symbol, lines[1:])
        for cell in (header.cells[0], card.cells[0]):
            wordml.drop_first_empty_paragraph(cell)
            for paragraph in cell.paragraphs:  # rows that cannot split keep it whole: lines kept with the next would
                paragraph.paragraph_format.keep_with_next = None  # make LibreOffice keep the table with what follows
        self.into = self.doc
        self._spacer(Pt(self.body * self.layout.paragraph_gap))  # the frame stands clear of what follows

    def agreement(self, block: Agreement) -> None:
        kept = []  # what was agreed, the choices and the lines to sign stay on one page
        if block.status:
            kept.append(self.into.add_paragraph())
            self._runs(kept[-1], block.status)
        if block.comments:
            paragraph = self._paragraph(style=OWN_WORDS)
            paragraph.add_run((f"{block.said} " if block.said else "") + "\u201c")
            self._runs(paragraph, block.comments)
            paragraph.add_run("\u201d")
            kept.append(paragraph)
        if block.choose and block.choices:
            kept.append(self.into.add_paragraph(block.choose))
        for paragraph in kept:
            paragraph.paragraph_format.keep_with_next = True
        if block.choices:
            self._choices(block.choices)
        if block.write:
            label = self.into.add_paragraph()
            label.add_run(block.write).bold = True
            label.paragraph_format.keep_with_next = True
            for number in range(self.layout.write_lines):
                self._writing_line(None, keep=number + 1 < self.layout.write_lines or bool(block.sign))
        for number, label in enumerate(block.sign, 1):
            self._writing_line(label, keep=number < len(block.sign))

    def _writing_line(self, label: str | None, keep: bool) -> None:
        """A line to write or sign on, as tall as handwriting: its label, then an underlined tab that draws the line
        to the label's column and the line's length (or the whole width), on the label's baseline."""
        paragraph = self.into.add_paragraph()
        layout = paragraph.paragraph_format
        layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        layout.line_spacing = Pt(self.body * self.layout.write_line)
        layout.space_before = layout.space_after = Pt(0)
        layout.keep_with_next = keep
        end = Cm(SIGN_LABEL_CM + self.layout.sign_line_cm) if label else self.text_width
        if label:
            paragraph.add_run(label + ":").bold = True
            layout.tab_stops.add_tab_stop(Cm(SIGN_LABEL_CM))
            paragraph.add_run("\t")
        layout.tab_stops.add_tab_stop(end)
        if not label:  # LibreOffice gives a line of nothing but a tab no height: a space holds it
            paragraph.add_run(" ")
        paragraph.add_run("\t").underline = True

    def _choices(self, choices: list[Statement]) -> None:
        """The answers to tick: each a paragraph of a box as big as the words, its picture (thumbs up ...) and its
        words, in columns set by tab stops."""
        pictured = self.pictures and any(c.symbol in self.source.symbols for c in choices)
        picture_cm = self.layout.choice_picture_cm
        box = Cm(self.layout.tick_box * self.body * POINT_CM * 1.6)  # the box glyph is about 0.6 of its size
        stops: list[Length] = [Cm(1.2 * self.layout.tick_box * self.body * POINT_CM + 0.4)]
        stops += [Length(stops[0] + Cm(picture_cm + self.layout.picture_gap_cm))] if pictured else []
        for number, choice in enumerate(choices, 1):
            paragraph = self.into.add_paragraph()
            layout = paragraph.paragraph_format
            layout.keep_with_next = True
            layout.left_indent, layout.first_line_indent = stops[-1], Length(-stops[-1])  # long words wrap under words
            layout.space_after = Pt(self.body * self.layout.paragraph_gap)
            for stop in stops:
                layout.tab_stops.add_tab_stop(stop)
            mark = paragraph.add_run("\u2610")  # the box is the marker: no bullet as well
            mark.font.size = Length(box)
            paragraph.add_run("\t")
            shown = pictured and choice.symbol in self.source.symbols
            if shown:
                self._symbol(paragraph.add_run(), choice.symbol or "", picture_cm)
            if pictured:
                paragraph.add_run("\t")
            words = self._runs(paragraph, choice.runs)
            if shown:
                self._beside([mark], picture_cm, size=box.pt)
                self._beside(words, picture_cm)

    # --- paragraphs and styles ----------------------------------------------------------------

    def _style_id(self, name: str) -> str:
        """A style's id, looked up once: python-docx searches every style on each lookup."""
        if name not in self.style_ids:
            self.style_ids[name] = self.doc.styles[name].style_id
        return self.style_ids[name]

    def _style(self, paragraph: Paragraph, style: str | None) -> None:
        if style:
            wordml.set_paragraph_style(paragraph, self._style_id(style))

    def _paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """A new body paragraph in a named style."""
        paragraph = self.into.add_paragraph(text)
        self._style(paragraph, style)
        return paragraph

    # --- runs and pictures -----------------------------------------------------------------------

    def _runs(self, paragraph: Paragraph, runs: list[Run]) -> list[WordRun]:
        made = []
        for run, text in zip(runs, keep_whole_runs([run.text for run in runs])):
            made_run = paragraph.add_run(text)
            if run.bold:
                made_run.bold = True
            made.append(made_run)
        return made

    def _symbol(self, run: WordRun, name: str, cm: float, floating: wordml.Float | None = None) -> None:
        from easyread.symbols.raster import picture

        ref = self.source.symbols[name]
        if name not in self.rasters:  # a symbol is used again and again in one document: found once
            self.rasters[name] = picture(ref)
        self.inline_pictures.add(run, self.rasters[name], ref.alt, Cm(cm), floating=floating)

    def _beside(self, runs: list[WordRun], cm: float, size: float | None = None) -> None:
        """Raise words in a line with a picture `cm` high to its middle, not its foot. The words, not the picture:
        LibreOffice does not move a picture in its line."""
        middle = cm / POINT_CM / 2 - (size or self.body) * HALF_X_HEIGHT
        for run in runs:
            wordml.lower_run(run, -middle)


def _shown(runs: list[Run]) -> list[tuple[str, bool]]:
    """Runs as a row's (text, bold) pairs, times and numbers kept whole across them."""
    return list(zip(keep_whole_runs([run.text for run in runs]), [run.bold for run in runs]))


@dataclass(frozen=True)
class _Line:
    """A paragraph to write: its runs, style, whether it keeps with the next, and the space before and after it."""

    runs: list[Run]
    style: str | None = None
    keep: bool = False
    after: Length | None = None
    before: Length | None = None


def render(document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
    """The Document as an accessible .docx, laid out as its Layout says."""
    writer = Writer(document, layout)
    writer.build()
    return writer.package()
