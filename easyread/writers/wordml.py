"""Word's XML and python-docx's internals, in one place: the only module that touches them.

The Word writer (writers/docx.py) decides the layout; the functions here carry it out where
python-docx has no public API: WordprocessingML elements built by hand (fields, table captions,
header rows, borders, page colour, floating pictures), python-docx's private members (a run's `_r`, a
table's `_tbl`, PackageWriter's steps, a part's `_blob`), and the fast paths that build a row's
paragraphs or a picture's drawing as XML. Each function is small and documented, and tests/test_docx.py checks each against
python-docx directly (test_wordml_...), so a python-docx release that changes an internal fails a
test that names the function, not a whole document.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from xml.sax.saxutils import escape

from docx.document import Document as WordDocument
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.oxml.shape import CT_Inline
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.image import ImagePart
from docx.shared import Length
from docx.styles.style import BaseStyle, CharacterStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

PICTURE_EXTENSIONS = ("png", "jpeg", "jpg", "gif")  # compressed already: stored in the zip as they are
_BREAKS = re.compile(r"(\t|\r\n|\r|\n)")  # a run's tabs and line breaks, each its own element

# --- the package ---------------------------------------------------------------------------------


class _DatedZip:
    """A zip for python-docx's PackageWriter: each part dated `stamp`, pictures stored, XML compressed."""

    def __init__(self, stamp: tuple[int, ...]) -> None:
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)
        self.stamp = stamp

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        """Add one part."""
        stored = pack_uri.ext.lower() in PICTURE_EXTENSIONS
        self.zip.writestr(zipfile.ZipInfo(pack_uri.membername, date_time=self.stamp),  # type: ignore[arg-type]
                          blob, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)

    def close(self) -> bytes:
        """The finished zip's bytes."""
        self.zip.close()
        return self.buffer.getvalue()


def write_package(document: WordDocument, stamp: dt.datetime) -> bytes:
    """The .docx file's bytes, every member dated `stamp` (so the same input makes the same file), pictures stored."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    # what python-docx's PackageWriter.write does, into a zip that dates each part itself (python-docx
    # dates them with the time they are zipped) and stores pictures as they are (PNG is compressed already);
    # saving with Document.save and zipping again costs a quarter of a plan's render
    packed = _DatedZip(stamp.timetuple()[:6])
    writer = cast(PhysPkgWriter, packed)  # the two methods PackageWriter uses: write, close
    PackageWriter._write_content_types_stream(writer, package.parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(writer, package.parts)
    return packed.close()


def _app_xml(title: str, company: str) -> bytes:
    """docProps/app.xml: easyread as the application, the company and the title."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>easyread</Application><Company>{escape(company)}</Company>"
        f"<TitlesOfParts><vt:vector size=\"1\" baseType=\"lpstr\"><vt:lpstr>{escape(title)}</vt:lpstr></vt:vector>"
        "</TitlesOfParts></Properties>"
    ).encode("utf-8")


def set_extended_properties(document: WordDocument, title: str, company: str) -> None:
    """The extended properties (docProps/app.xml) name easyread, the company and the title, not the template's Word."""
    for relationship in document.part.package.rels.values():
        if relationship.reltype == RT.EXTENDED_PROPERTIES:
            # python-docx loads app.xml as a plain Part, whose bytes have no setter
            relationship.target_part._blob = _app_xml(title, company)


def remove_thumbnail(document: WordDocument) -> None:
    """Drop the template's thumbnail picture (a page of python-docx's sample) from the package."""
    rels = document.part.package.rels
    for key, relationship in list(rels.items()):
        if relationship.reltype == RT.THUMBNAIL:
            rels.pop(key)


# --- page and settings ---------------------------------------------------------------------------


def _hex(colour: str) -> str:
    """A '#rrggbb' colour as Word writes it: RRGGBB."""
    return colour.lstrip("#").upper()


def set_page_colour(document: WordDocument, colour: str) -> None:
    """Colour every page ('#rrggbb', w:background), and have Word show the colour (w:displayBackgroundShape)."""
    background = OxmlElement("w:background")
    background.set(qn("w:color"), _hex(colour))
    document.element.insert(0, background)
    document.settings.element.insert(0, OxmlElement("w:displayBackgroundShape"))


def turn_off_hyphenation(document: WordDocument) -> None:
    """No automatic hyphenation (w:autoHyphenation false)."""
    hyphenation = OxmlElement("w:autoHyphenation")
    hyphenation.set(qn("w:val"), "false")
    document.settings.element.append(hyphenation)


# --- styles --------------------------------------------------------------------------------------


def _set_language(rpr: BaseOxmlElement, language: str) -> None:
    """Set w:lang in run properties: the same language for Latin, East Asian and complex scripts."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)


def set_default_language(document: WordDocument, language: str) -> None:
    """The document's default language (w:docDefaults), for text outside any style's."""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_language(defaults, language)


def set_style_language(style: BaseStyle, language: str) -> None:
    """A style's language (w:lang), for every script."""
    _set_language(style.element.get_or_add_rPr(), language)


def set_style_font(style: CharacterStyle, font: str) -> None:
    """A style's font for every script (w:rFonts), in place of the template's theme fonts."""
    style.font.name = font
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), font)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)


def set_automatic_colour(style: CharacterStyle) -> None:
    """The style's text in Word's automatic colour (w:color w:val="auto"): light on a dark page colour and
    black on a light one, and black when printed without the page colour, as Word prints by default."""
    colour = style.element.get_or_add_rPr().get_or_add_color()
    for name in list(colour.attrib):
        del colour.attrib[name]
    colour.set(qn("w:val"), "auto")


def set_table_border_colour(style: BaseStyle, colour: str) -> None:
    """Every border a table style draws (w:tblBorders) in `colour` ('#rrggbb')."""
    for borders in style.element.iter(qn("w:tblBorders")):
        for edge in borders:
            edge.set(qn("w:color"), _hex(colour))


# --- paragraphs and runs -------------------------------------------------------------------------


def set_paragraph_style(paragraph: Paragraph, style_id: str) -> None:
    """A paragraph's style by its id (w:pStyle): python-docx's by-name setter searches every style each time."""
    paragraph._p.style = style_id


def add_field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) at the end of a paragraph, showing "1" until Word works it out."""
    for kind, text in (("begin", ""), (None, code), ("separate", ""), (None, "1"), ("end", "")):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == code:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = f" {code} "
            run._r.append(instruction)
        else:
            run.text = text


def lower_run(run: Run, points: float) -> None:
    """Lower a run's contents below the line (w:position) by `points`, to the nearest half-point."""
    lowered = OxmlElement("w:position")
    lowered.set(qn("w:val"), str(-round(points * 2)))  # half-points
    run._r.get_or_add_rPr().append(lowered)


def ends_with_table(container: Container) -> bool:
    """Whether the body's (or a cell's) last block, before its section properties, is a table."""
    body = container._tc if isinstance(container, _Cell) else container.element.body
    last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
    return bool(last.tag == qn("w:tbl"))


def body_end(document: WordDocument) -> int:
    """Where the body's next block goes: before its section's properties, which end it."""
    body = document.element.body
    return len(body) - 1 if len(body) and body[-1].tag == qn("w:sectPr") else len(body)


def body_paragraphs(document: WordDocument, start: int) -> list[Paragraph]:
    """The body's paragraphs from block `start` on (not those in tables)."""
    return [Paragraph(p, document) for p in document.element.body[start:] if p.tag == qn("w:p")]


# where blocks go: the body, or a table's cell (the emergency card)
Container = WordDocument | _Cell


def keep_with_next(row: _Row) -> None:
    """A table row that stays on the page with the row (or paragraph) after it: Word keeps a row with the next
    when its paragraphs keep with the next."""
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def drop_first_empty_paragraph(cell: _Cell) -> None:
    """Remove the empty paragraph a new cell starts with, once something else follows it (Word needs a cell to end
    with a paragraph, so one after a table stays)."""
    first = cell.paragraphs[0] if cell.paragraphs else None
    if first is not None and not first.text and not first._p.xpath(".//w:drawing") and len(cell._tc.xpath("./w:p|./w:tbl")) > 1:
        first._p.getparent().remove(first._p)


# --- tables --------------------------------------------------------------------------------------


def set_table_style(table: Table, style_id: str) -> None:
    """A table's style by its id (w:tblStyle): python-docx's by-name setter searches every style each time."""
    table._tbl.tblStyle_val = style_id


def describe_table(table: Table, text: str) -> None:
    """A table's caption for assistive technology (w:tblCaption)."""
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), text)
    table._tbl.tblPr.append(caption)


def cell_margins(table: Table, length: Length, sides: Sequence[str] = ("top", "left", "bottom", "right")) -> None:
    """The room inside a table's cells, on these sides (w:tblCellMar)."""
    margins = OxmlElement("w:tblCellMar")
    for side in sides:
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(length.twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def keep_row_on_one_page(row: _Row) -> None:
    """A row that a page break never splits (w:cantSplit)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def repeat_as_header(row: _Row) -> None:
    """Mark a header row (w:tblHeader): it repeats on each page and is read as headers."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def table_frame(table: Table, colour: str, points: float) -> None:
    """A frame around a whole table and no lines inside it (w:tblBorders)."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        inside = side.startswith("inside")
        for attribute, value in (("w:val", "nil" if inside else "single"), ("w:sz", "0" if inside else str(round(points * 8))),
                                 ("w:color", _hex(colour))):
            line.set(qn(attribute), value)
        borders.append(line)
    table._tbl.tblPr.append(borders)


def paragraph_frame(paragraph: Paragraph, colour: str, points: float, inset: Length) -> None:
    """A frame round a paragraph (w:pBdr), `inset` from its words: the paragraphs after it with the same frame
    are framed together, as one box."""
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{side}")
        for attribute, value in (("w:val", "single"), ("w:sz", str(round(points * 8))), ("w:space", str(round(inset.pt))),
                                 ("w:color", _hex(colour))):
            line.set(qn(attribute), value)
        borders.append(line)
    properties = paragraph._p.get_or_add_pPr()
    # in the schema's order: after the style, keeps, page break and numbering, before shading, tabs and spacing
    after = [qn(f"w:{tag}") for tag in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                                         "widowControl", "numPr", "suppressLineNumbers")]
    position = sum(1 for child in properties if child.tag in after)
    properties.insert(position, borders)


@dataclass(frozen=True)
class RowParagraph:
    """A paragraph of a row that `append_paragraphs` writes: its runs (text, bold) and its paragraph properties."""

    runs: Sequence[tuple[str, bool]] = ()
    style_id: str | None = None
    keep_with_next: bool = False
    keep_together: bool = False
    before: Length | None = None
    after: Length | None = None
    exactly: Length | None = None  # the line's height, exactly (an empty paragraph that keeps room)
    indent: Length | None = None
    hanging: Length | None = None


def _space(side: str, length: Length | None) -> str:
    """A w: attribute in twips (spacing before or after, an indent), or nothing."""
    return f' w:{side}="{length.twips}"' if length is not None else ""


def _run_xml(text: str, bold: bool) -> str:
    """A run's XML, as python-docx writes it: tabs and line breaks as their own elements."""
    pieces = (("<w:tab/>" if piece == "\t" else "<w:br/>" if piece in "\r\n" else
               f'<w:t xml:space="preserve">{escape(piece)}</w:t>') for piece in _BREAKS.split(text) if piece)
    return f"<w:r>{'<w:rPr><w:b/></w:rPr>' if bold else ''}{''.join(pieces)}</w:r>"


def _paragraph_xml(paragraph: RowParagraph) -> str:
    """A paragraph's XML: its properties (w:pPr, in the schema's order, when it has any), then its runs."""
    spacing = _space("before", paragraph.before) + _space("after", paragraph.after) \
        + (f' w:line="{paragraph.exactly.twips}" w:lineRule="exact"' if paragraph.exactly is not None else "")
    indent = _space("left", paragraph.indent) + _space("hanging", paragraph.hanging)
    properties = (f'<w:pStyle w:val="{paragraph.style_id}"/>' if paragraph.style_id else "") \
        + ("<w:keepNext/>" if paragraph.keep_with_next else "") \
        + ("<w:keepLines/>" if paragraph.keep_together else "") \
        + (f"<w:spacing{spacing}/>" if spacing else "") + (f"<w:ind{indent}/>" if indent else "")
    runs = "".join(_run_xml(text, bold) for text, bold in paragraph.runs)
    return f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{runs}</w:p>"


def append_paragraphs(container: Container, paragraphs: Sequence[RowParagraph]) -> list[Paragraph]:
    """Add paragraphs at the end of the body (before its section's properties) or a cell, built as XML in one go."""
    # python-docx's object layer, property by property, took a third of a plan's render
    made = parse_xml(f'<w:body {nsdecls("w")}>{"".join(map(_paragraph_xml, paragraphs))}</w:body>')
    body, at = (container._tc, len(container._tc)) if isinstance(container, _Cell) \
        else (container.element.body, body_end(container))
    elements = list(made)
    for offset, element in enumerate(elements):
        body.insert(at + offset, element)
    return [Paragraph(element, container) for element in elements]


# --- pictures ------------------------------------------------------------------------------------


class InlinePictures:
    """Adds pictures to a document's runs, as run.add_picture() does, with what it repeats remembered.

    python-docx hashes the file and searches every earlier image part for each picture, searches
    every id in the part for the next drawing id, and builds each drawing from its XML text: here
    each file is one image part, related once to each part, drawing ids are counted, and each size's
    drawing is built once and then copied.
    """

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self.images: dict[tuple[int, str], tuple[str, Image]] = {}  # (part, file) -> (relationship id, image)
        self.image_parts: dict[str, ImagePart] = {}  # file -> its part in the package
        self.shape_ids: dict[int, int] = {}  # part -> the next drawing id in it
        self.inlines: dict[tuple[int, int], CT_Inline] = {}  # (width, height) -> a drawing to copy

    def add(self, run: Run, file: Path | bytes, alt: str, size: Length, by_height: bool = False,
            floating: Float | None = None) -> None:
        """A picture in `run` (a file, or PNG bytes) whose longer side, or height, is `size`, with alt text: inline in
        the line, or `floating` beside the paragraph's words."""
        part = run.part
        source = str(file) if isinstance(file, Path) else hashlib.sha256(file).hexdigest()
        if (id(part), source) not in self.images:  # a file, or PNG bytes when the raster cache cannot be written
            if source not in self.image_parts:
                image = Image.from_file(str(file) if isinstance(file, Path) else io.BytesIO(file))
                name = PackURI(f"/word/media/image{len(self.image_parts) + 1}.{image.ext}")
                self.image_parts[source] = ImagePart.from_image(image, name)
                self.document.part.package.image_parts.append(self.image_parts[source])
            image_part = self.image_parts[source]
            self.images[(id(part), source)] = (part.relate_to(image_part, RT.IMAGE), image_part.image)
        relationship, image = self.images[(id(part), source)]
        tall = by_height or image.px_height > image.px_width
        width, height = image.scaled_dimensions(None if tall else size, size if tall else None)
        shape_id = self.shape_ids.get(id(part)) or part.next_id
        self.shape_ids[id(part)] = shape_id + 1
        if (width, height) not in self.inlines:
            self.inlines[(width, height)] = CT_Inline.new_pic_inline(0, relationship, image.filename, width, height)
        inline = copy.deepcopy(self.inlines[(width, height)])
        inline.docPr.set("id", str(shape_id))
        inline.docPr.set("name", f"Picture {shape_id}")
        for tag, attribute, value in (("a:blip", "r:embed", relationship), ("pic:cNvPr", "name", image.filename)):
            next(inline.iter(qn(tag))).set(qn(attribute) if ":" in attribute else attribute, value)
        inline.docPr.set("descr", alt)  # alt text; no title, which LibreOffice would join to it
        run._r.add_drawing(_anchor(inline, floating, shape_id) if floating else inline)


@dataclass(frozen=True)
class Float:
    """Where a floating picture sits: against the column's left (or right) edge, level with the top of its
    paragraph. With `wraps`, words wrap beside it, `gap` from it; without, they take no notice of it, and the writer
    keeps them clear of it (their indent, and room under them)."""

    gap: Length
    right: bool = False
    wraps: bool = True


def _anchor(inline: CT_Inline, floating: Float, shape_id: int) -> BaseOxmlElement:
    """An inline drawing made a floating one (wp:anchor) beside the words, so a row needs no layout table, which a
    tagged PDF would have to call a table of data."""
    side = "right" if floating.right else "left"
    wrap = f'<wp:wrapSquare wrapText="{"left" if floating.right else "right"}"/>' if floating.wraps else "<wp:wrapNone/>"
    distances = f'distT="0" distB="0" distL="{floating.gap if floating.right else 0}" ' \
                f'distR="{0 if floating.right else floating.gap}"'
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} {distances} simplePos="0" relativeHeight="{shape_id}" behindDoc="0" '
        f'locked="0" layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:align>{side}</wp:align></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="0" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/>{wrap}</wp:anchor>')
    anchor.find(qn("wp:extent")).attrib.update(inline.extent.attrib)
    for part in (inline.docPr, inline.find(qn("wp:cNvGraphicFramePr")), inline.graphic):
        anchor.append(part)
    return anchor


def clearing_break(paragraph: Paragraph) -> None:
    """A line break that clears floating pictures (w:br w:clear="all"): what follows starts below them."""
    run = OxmlElement("w:r")
    brk = OxmlElement("w:br")
    brk.set(qn("w:type"), "textWrapping")
    brk.set(qn("w:clear"), "all")
    run.append(brk)
    paragraph._p.append(run)
