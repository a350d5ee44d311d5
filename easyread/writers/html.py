"""Accessible HTML writer: one self-contained page for case-management systems and email.

Semantic HTML5 (main, headings in order, sections, lists, the timetable as a table with
th scope, the glossary as dl), lang en-GB, a skip link, CSS inline in rem so it scales
with the browser's text size, pictures as data URIs with alt text (symbols as SVG, sharp
at any zoom), and nothing fetched from anywhere. Jinja2 autoescapes everything: a person's
words are always text. The one value that goes into the CSS from outside, the house style's
font, is written as a CSS string with every character but letters, digits and spaces escaped.
"""

from __future__ import annotations

import base64
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from easyread.cache import template_bytecode
from easyread.document import Document, Section
from easyread.presentation.layout import BOX_FRAME_PT, BOX_HEADING, POINT_CM, Layout
from easyread.presentation.nobreak import keep_whole
from easyread.writers.data import DataModel, runs_data
from easyread.writers.plan import RenderPlan

if TYPE_CHECKING:
    import jinja2

PICTURE_PX = 160
# After the house font: Atkinson Hyperlegible where it is installed, the UK council norm, then fonts
# each system has for the scripts and emoji a person's own words may hold, then the browser's own.
# (emoji before Chinese and Japanese, whose fonts draw some emoji, such as ⚽, in black and white)
FONT_STACK = ("Atkinson Hyperlegible", "Arial", "Helvetica", "Noto Sans", "Segoe UI", "Noto Sans Arabic",
              "Noto Color Emoji", "Segoe UI Emoji", "Apple Color Emoji", "Noto Sans CJK SC", "Microsoft YaHei",
              "PingFang SC", "Hiragino Sans")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    import jinja2

    folder = Path(__file__).resolve().parent.parent / "templates"
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              bytecode_cache=template_bytecode(__file__))


_SVG_SAFE = " =:/;,()-._!*~@$+?"  # what may stay as it is in a data URI inside a quoted attribute


def _data_uri(path: str) -> str:
    if path.lower().endswith(".svg"):  # symbols: remembered by the file's size and time, so a changed one shows
        state = os.stat(path)
        return _svg_uri(path, state.st_mtime_ns, state.st_size)
    # photos are read for each render, never kept: a person's photo is theirs, and may be large
    data = Path(path).read_bytes()
    return f"data:{image_type(path, data)};base64,{base64.b64encode(data).decode('ascii')}"


def image_type(path: str, data: bytes) -> str:
    """A picture's media type: SVG by its name, a photo by its first bytes (PNG, JPEG or GIF, as the loader
    allows), whatever its name says."""
    if path.lower().endswith(".svg"):
        return "image/svg+xml"
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg" if data[:2] == b"\xff\xd8" else "image/gif"


@lru_cache(maxsize=512)
def _svg_uri(path: str, _modified: int, _size: int) -> str:
    # an SVG is text: percent-encoded it is about a quarter smaller than in base64, in a page of 200 pictures
    text = Path(path).read_bytes().decode("utf-8")
    return "data:image/svg+xml," + quote(" ".join(text.split()), safe=_SVG_SAFE)


def css_string(text: str) -> str:
    """Text as a quoted CSS string: anything but letters, digits, spaces and hyphens is written as an escape,
    so it can end neither the string, the rule nor the <style> element."""
    return '"' + "".join(ch if ch.isalnum() or ch in " -" else f"\\{ord(ch):x} " for ch in text) + '"'


def font_stack(house_font: str | None) -> Markup:
    """The CSS font-family list: the house font, then FONT_STACK, each a CSS string, then sans-serif."""
    families = dict.fromkeys([*([house_font] if house_font else []), *FONT_STACK])
    return Markup(", ".join(css_string(family) for family in families) + ", sans-serif")


class Model(DataModel):
    """The Document and its Layout as plain data for the HTML layout."""

    narrow_lists = True  # on a phone, a timetable reads day by day (CSS shows one or the other)

    def __init__(self, document: Document, layout: Layout) -> None:
        super().__init__(document, layout)
        self.ids: dict[str, int] = {}
        self.uris: dict[str, str] = {}  # this render's pictures as data URIs: a symbol used twice is read once

    def data_uri(self, path: Path | str) -> str:
        """A picture file as a data URI, read once in this render."""
        key = str(path)
        if key not in self.uris:
            self.uris[key] = _data_uri(key)
        return self.uris[key]

    def build(self) -> dict[str, Any]:
        """The whole model."""
        from easyread.symbols.raster import source_file

        document, layout = self.document, self.layout
        house = document.council
        body = layout.body_pt
        background = layout.background or "#FFFFFF"

        def rem(cm: float) -> float:
            return round(cm / (body * POINT_CM), 2)

        return {
            "title": document.title,
            "author": document.author or (house.name if house else ""),
            "subject": document.subject,
            "words": document.words,
            "body_pt": body,
            "root_percent": round(body / 12 * 100, 2),  # 100% is 12pt (16px) in every browser
            "line_height": layout.line_height,
            "h1": round(layout.heading_pt[0] / body, 2), "h2": round(layout.heading_pt[1] / body, 2),
            "h3": round(layout.heading_pt[2] / body, 2),
            # Layout's centimetres in body sizes (rem), so they grow with the reader's text size
            "picture_rem": rem(layout.picture_cm), "picture_gap_rem": rem(layout.picture_gap_cm),
            "heading_picture_rem": rem(layout.heading_picture_cm), "card_picture_rem": rem(layout.card_picture_cm),
            "table_picture_rem": rem(layout.table_picture_cm),
            "sign_line_rem": rem(layout.sign_line_cm), "row_gap_rem": rem(layout.row_gap_cm),
            "choice_picture_rem": rem(layout.choice_picture_cm), "tick_box": layout.tick_box,
            "write_line": layout.write_line, "write_lines": layout.write_lines,
            "row_words_pad": layout.row_words_pad_in_lines,
            "row_sentence_gap": layout.row_sentence_gap,
            "font_stack": font_stack(layout.font),
            "background": background,
            "text_colour": layout.text_colour,
            "heading_colour": layout.heading_colour,
            "link_colour": layout.link_colour,
            "pictures": layout.pictures,
            "heading_pictures": layout.heading_pictures,
            "boxes": layout.boxes,
            "letterhead": {
                "name": house.name,
                "logo": {"src": self.data_uri(source_file(house.logo)), "alt": house.logo.alt, "size": ""}
                if house.logo else None,
            } if house else None,
            "contact": [keep_whole(line) for line in house.contact] if house else [],
            "attribution": " ".join(document.attribution) if layout.heading_pictures else "",
            "cover": self.cover(),
            "cover_picture_rem": rem(layout.cover_picture_cm),
            "heading_below": layout.heading_below,
            "box_frame_pt": BOX_FRAME_PT, "box_heading": BOX_HEADING,
            "blocks": self.blocks(document.blocks),
        }

    def section(self, block: Section) -> list[dict[str, Any]]:
        """A section element, holding its heading and content."""
        return [{"type": "section", "level": block.level, "id": self.anchor(block.title), "new_page": block.new_page,
                 "runs": runs_data(block.heading), "picture": self.picture(block.symbol, block.title),
                 "blocks": self.blocks(block.blocks)}]

    def picture(self, symbol: str | None, where: str = "") -> dict[str, Any] | None:
        """A symbol as a data URI with its alt text: the SVG itself, sharp at any zoom, or a photo."""
        if not self.layout.heading_pictures or not symbol or symbol not in self.document.symbols:
            return None
        from easyread.symbols.raster import source_file

        ref = self.document.symbols[symbol]
        return {"src": self.data_uri(source_file(ref)), "alt": ref.alt, "size": PICTURE_PX}

    def anchor(self, title: str) -> str:
        """A unique id for a heading."""
        base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
        self.ids[base] = self.ids.get(base, 0) + 1
        return base if self.ids[base] == 1 else f"{base}-{self.ids[base]}"


def page(document: Document, layout: Layout) -> str:
    """The HTML page as text."""
    return environment().get_template("document.html.j2").render(model=Model(document, layout).build())


def render(document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
    """The Document as one self-contained, accessible HTML page (UTF-8)."""
    return page(document, layout).encode("utf-8")
