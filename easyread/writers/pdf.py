"""Tagged PDF writer: PDF/UA-1 by construction, with typst.

typst compiles with `pdf_standards=["ua-1"]`, so the structure tree (headings, paragraphs,
lists, tables with header cells, figures with alt text), /Lang, the shown title, embedded
fonts and page furniture as artifacts come from the engine, and it refuses an image
without alt text. The layout is a static file (templates/document.typ); the Document goes
in as JSON data, so nothing a person wrote is ever read as typst markup.

Atkinson Hyperlegible covers Latin only; a person's words may hold emoji, Chinese, Arabic ...,
so typst also gets the Noto fonts (Debian fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji)
to fall back to, embedded like the rest. typst reads pictures only from a private folder made for
each render, holding copies of this render's pictures, so no path in the data can reach another file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typst

from easyread.document import Document, Run, Section, around, pieces, plain
from easyread.errors import OutputError, WriterUnavailable
from easyread.inputs.font_files import embeddable
from easyread.presentation.fonts import FONT, font_folder
from easyread.presentation.layout import (
    BAND_PICTURE_CM,
    BOX_FRAME_PT,
    BOX_HEADING,
    BOX_LINE_GAP,
    COVER_SPACE_CM,
    EMERGENCY_FRAME_PT,
    EMERGENCY_INSET_CM,
    LETTERHEAD_FROM_EDGE_CM,
    PAGE_HEIGHT_CM,
    POINT_CM,
    Layout,
)
from easyread.presentation.nobreak import keep_whole
from easyread.scratch import scratch_folder
from easyread.writers import made_at
from easyread.writers.data import DataModel, runs_data
from easyread.writers.plan import RenderPlan

LAYOUT = ("templates", "document.typ")  # inside the package
# Fonts for the characters Atkinson Hyperlegible has no letters for, in the order typst tries them:
# (family, the Debian package that installs it, its file under a fonts folder when fontconfig is absent).
# typst also falls back to any other font in their folders (Hebrew, Devanagari, Thai ... in fonts-noto-core).
FALLBACK_FONTS = (
    ("Noto Sans", "fonts-noto-core", "truetype/noto/NotoSans-Regular.ttf"),
    ("Noto Sans Arabic", "fonts-noto-core", "truetype/noto/NotoSansArabic-Regular.ttf"),
    ("Noto Color Emoji", "fonts-noto-color-emoji", "truetype/noto/NotoColorEmoji.ttf"),  # before CJK, which has ⚽ in black
    ("Noto Sans CJK SC", "fonts-noto-cjk", "opentype/noto/NotoSansCJK-Regular.ttc"),
    ("Noto Sans Symbols2", "fonts-noto-core", "truetype/noto/NotoSansSymbols2-Regular.ttf"),
)
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts")
# Code points unassigned in this Python's Unicode, noncharacters, surrogates and private-use characters
# (which mean something only in the font that made them): no fallback font has a letter for them and
# typst refuses a character no font shows under PDF/UA-1, so they print as U+FFFD instead.
UNPRINTABLE = frozenset({"Cn", "Co", "Cs"})
REPLACEMENT = "\ufffd"


def _font_file(family: str, file: str) -> Path | None:
    """Where a font family is installed: fontconfig's answer, else Debian's usual place."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            found = subprocess.run([fc_list, "--format", "%{file}\\n", f":family={family}"], capture_output=True,
                                   text=True, timeout=30, check=False).stdout.splitlines()
        except (OSError, subprocess.SubprocessError):
            found = []
        found = sorted(line for line in found if line.strip())
        if found:
            return Path(found[0])
    return next((Path(folder) / file for folder in FONT_FOLDERS if (Path(folder) / file).is_file()), None)


@lru_cache(maxsize=1)
def fallback_fonts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The folders holding the fallback fonts, and the Debian packages of any that are missing."""
    folders: dict[str, None] = {}
    missing: dict[str, None] = {}
    for family, package, file in FALLBACK_FONTS:
        path = _font_file(family, file)
        if path is None:
            missing[package] = None
        else:
            folders[str(path.parent)] = None
    return tuple(folders), tuple(missing)


@lru_cache(maxsize=4)
def _typst_fonts(folders: tuple[str, ...]) -> typst.Fonts:
    """typst's font book for these folders, read once a process (about 0.1 s for every Noto font)."""
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=list(folders))


def typst_fonts(first: str | None = None) -> typst.Fonts:
    """The font book every typst layout here uses: the folder of `first` (a house font), Atkinson Hyperlegible,
    then the fallback fonts found."""
    folders, _missing = fallback_fonts()
    return _typst_fonts((*([first] if first else []), font_folder(), *folders))


def font_families(first: str | None = None) -> list[str]:
    """The font families the layout asks for: `first` (a house font), Atkinson Hyperlegible, then the fallbacks."""
    return list(dict.fromkeys([*([first] if first else []), FONT, *(family for family, _package, _file in FALLBACK_FONTS)]))


@lru_cache(maxsize=16)
def installed_folder(family: str) -> str | None:
    """The folder holding a font family on this machine (fontconfig's answer), or None when it is not installed."""
    path = _font_file(family, "")
    return str(path.parent) if path is not None and path.is_file() and embeddable(path) else None


def printable(value: Any) -> Any:
    """The model with every character no font can draw replaced by U+FFFD, so typst can print it."""
    if isinstance(value, str):
        if value.isascii():
            return value
        return "".join(REPLACEMENT if unicodedata.category(ch) in UNPRINTABLE else ch for ch in value)
    if isinstance(value, list):
        return [printable(item) for item in value]
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    return value


def layout_file() -> str:
    """The typst layout, shipped inside the package."""
    layout = Path(str(resources.files("easyread").joinpath(*LAYOUT)))
    if not layout.is_file():
        raise WriterUnavailable(f"easyread's PDF layout {layout} is missing from this installation; reinstall easyread")
    return str(layout)


class Model(DataModel):
    """The Document and its Layout as the plain data the typst layout reads."""

    def __init__(self, document: Document, layout: Layout) -> None:
        super().__init__(document, layout)
        self.files: dict[str, str] = {}  # a picture's file -> its name in the render's private folder
        # the house font, embedded from the house style's own files, else where it is installed and its licence lets
        # a document carry it; else the PDF keeps Atkinson Hyperlegible (see render)
        font = self.layout.font
        given = self.layout.font_files
        self.house_font_folder = (str(given[0].parent) if given else installed_folder(font)) if font != FONT else None
        self.house_font = font if self.house_font_folder else None

    def file(self, path: Path) -> str:
        """The name typst reads a picture file by: a copy in the render's own folder, never the path itself."""
        source = str(path.resolve())
        if source not in self.files:
            self.files[source] = f"picture-{len(self.files)}{path.suffix.lower()}"
        return self.files[source]

    def build(self) -> dict[str, Any]:
        """The whole model."""
        from easyread.symbols.raster import source_file

        document, layout = self.document, self.layout
        house = document.council
        return {
            "title": document.title,
            "author": document.author or (house.name if house else ""),
            "subject": document.subject,
            "keywords": [layout.profile.replace("-", " ")],
            "words": document.words,
            "page_words": around(document.words["page"], "page", "pages"),
            "font": font_families(self.house_font),
            "body": layout.body_pt,
            "credit": layout.credit_pt,
            "headings": layout.heading_pt,
            "leading": layout.typst_leading,
            "spacing": layout.typst_leading + layout.paragraph_gap,  # typst's gap between paragraphs replaces the leading
            "pictures": layout.pictures,
            "heading_pictures": layout.heading_pictures,
            "boxes": layout.boxes,
            "max_pages": layout.max_pages,
            "picture_cm": layout.picture_cm,
            "picture_gap_cm": layout.picture_gap_cm,
            "sign_line_cm": layout.sign_line_cm,
            "tick_box": layout.tick_box,
            "emergency_frame_pt": EMERGENCY_FRAME_PT,
            "emergency_inset_cm": EMERGENCY_INSET_CM,
            "choice_picture_cm": layout.choice_picture_cm,
            "write_line": layout.write_line,
            "write_lines": layout.write_lines,
            "heading_picture_cm": layout.heading_picture_cm, "card_picture_cm": layout.card_picture_cm,
            "table_picture_cm": layout.table_picture_cm,
            "row_gap_cm": layout.row_gap_cm,
            "row_words_pad": layout.row_words_pad,
            "row_sentence_gap": layout.row_sentence_gap,
            "heading_above": layout.heading_above,
            "heading_below": layout.heading_below,
            "margins_cm": layout.margins_cm,
            "header_cm": layout.header_cm,
            "footer_cm": layout.footer_cm,
            "edge_cm": LETTERHEAD_FROM_EDGE_CM,
            "background": layout.background,
            "text_colour": layout.text_colour,
            "heading_colour": layout.heading_colour,
            "letterhead": {
                "name": house.name,
                "logo": {"path": self.file(source_file(house.logo)), "alt": house.logo.alt} if house.logo else None,
            } if house else None,
            "contact": [keep_whole(line) for line in house.contact] if house else [],
            "attribution": " ".join(document.attribution) if layout.heading_pictures else "",
            "cover": self.cover(),
            "cover_picture_cm": layout.cover_picture_cm,
            "cover_space_cm": COVER_SPACE_CM,
            "band_picture_cm": BAND_PICTURE_CM,
            "box_frame_pt": BOX_FRAME_PT,
            "box_inset_cm": layout.box_inset_cm,
            "box_gap_cm": layout.box_gap_cm,
            "box_line_gap": layout.typst_leading + BOX_LINE_GAP,
            "box_heading": BOX_HEADING,
            "blocks": [{"type": "heading", "level": 1, "runs": [{"text": document.title, "bold": False}],
                        "picture": None, "new_page": False}, *self.boxed(self.blocks(document.blocks))],
        }

    def boxed(self, blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """In boxes, each part (a level-2 heading and what follows it, to the next) as one box; else as it is."""
        if not self.layout.boxes:
            return blocks
        out: list[dict[str, Any]] = []
        for block in blocks:
            if block["type"] == "heading" and block["level"] == 2:
                out.append({"type": "box", "blocks": []})
            (out[-1]["blocks"] if out and out[-1]["type"] == "box" else out).append(block)
        return out

    def section(self, block: Section) -> list[dict[str, Any]]:
        """A heading, then the section's content: typst lays headings out in one flow."""
        return [{"type": "heading", "level": block.level, "runs": runs_data(block.heading), "new_page": block.new_page,
                 "picture": self.picture(block.symbol, block.title)}, *self.blocks(block.blocks)]

    def picture(self, symbol: str | None, where: str) -> dict[str, str] | None:
        """A symbol's SVG (drawn as vector graphics) or photo, and its alt text; none without alt text."""
        if not self.layout.heading_pictures or not symbol or symbol not in self.document.symbols:
            return None
        from easyread.symbols.raster import source_file

        ref = self.document.symbols[symbol]
        if not ref.alt.strip():
            raise OutputError(f"the picture :{symbol}: beside {where!r} has no text alternative; give it an alt")
        return {"path": self.file(source_file(ref)), "alt": ref.alt}


def too_long(document: Document, layout: Layout, pages: int, end_pt: float) -> str:
    """What to say when a document needs more pages than it may take: how far over it is, and the parts to shorten,
    longest first, with the plan fields their words come from. The words end `end_pt` down page `pages`."""
    parts = []
    for section in document.blocks:
        if isinstance(section, Section):
            said = pieces(section)
            fields = dict.fromkeys(re.split(r"[.\[]", field)[0] for _kind, _runs, source in said for field in source.fields)
            words = sum(len(plain(runs).split()) for _kind, runs, _source in said)
            parts.append((words, section.title, [f for f in fields if f != "person"] or list(fields)))
    longest = sorted(parts, reverse=True)[:3]
    named = "; ".join(f"{title!r} ({', '.join(fields) or 'the template'}: {words} words)" for words, title, fields in longest)
    top, bottom = (margin / POINT_CM for margin in layout.margins_cm[:2])
    text_height = PAGE_HEIGHT_CM / POINT_CM - top - bottom
    needed = pages - 1 + max(end_pt - top, 0) / text_height  # pages, as a fraction of the last
    allowed = layout.max_pages or 1
    cut = max(5, round((1 - allowed / needed) * 100 / 5) * 5)  # a share of its words, to the nearest 5%
    limit = f"{allowed} page" + ("s" if allowed != 1 else "")
    return (f"{document.title!r} does not fit on {limit} of A4 at {layout.body_pt:g} pt: it needs about {needed:.1f} "
            f"pages, so cut about {cut}% of its words. Shorten the longest parts, or move some of their words to "
            f"another document: {named}")


def _copy_pictures(files: dict[str, str], folder: Path) -> None:
    """Put this render's pictures in typst's folder: hard links (one call each, a fifth of a copy's time),
    or copies where a link cannot be made (another file system); typst reads either 3 times faster than
    a symbolic link."""
    for source, name in files.items():
        try:
            os.link(source, folder / name)
        except OSError:
            shutil.copyfile(source, folder / name)


def render(document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
    """The PDF's bytes."""
    try:
        import typst
    except ImportError:
        raise WriterUnavailable("the PDF engine typst is missing: pip install typst") from None

    builder = Model(document, layout)
    model = printable(builder.build())
    typst_layout = Path(layout_file()).read_bytes()
    fonts = typst_fonts(builder.house_font_folder)
    if layout.font != FONT and builder.house_font is None and plan is not None:
        plan.notes.append(f"pdf: the house font {layout.font} is not installed here (or its licence does not let a "
                          f"document embed it), so the PDF is in {FONT}; give its files in the house style's "
                          f"font_files, or install it, to embed it")
    missing = fallback_fonts()[1]  # named in the message when a character has no font
    title = plain([Run(text=document.title)])
    with scratch_folder("easyread-pdf-") as root:
        try:
            # the layout and this render's pictures in a private folder, typst's root: it can read nothing
            # else. (The layout as a file, not bytes: typst re-does its work for bytes, 4 times slower.)
            main = root / LAYOUT[-1]
            main.write_bytes(typst_layout)
            _copy_pictures(builder.files, root)
            return typst.compile(str(main), root=str(root), font_paths=fonts, sys_inputs={"document": json.dumps(model)},
                                 pdf_standards=["ua-1"], timestamp=int(made_at().timestamp()))
        except OSError as err:
            raise OutputError(f"the PDF for {title!r} could not be made: a picture could not be read ({err})") from None
        except (typst.TypstError, RuntimeError) as err:  # RuntimeError: typst's own failures, such as a missing file
            message = str(err).splitlines()[0] if str(err) else type(err).__name__
            if (needed := re.search(r"easyread-pages:(\d+):([\d.]+)", str(err))) and layout.max_pages:
                raise OutputError(too_long(document, layout, int(needed.group(1)), float(needed.group(2)))) from None
            if "could not be displayed with font" in message and missing:
                raise WriterUnavailable(f"the PDF for {title!r} needs fonts for characters that {FONT} has no letters "
                                        f"for: apt-get install {' '.join(missing)}") from None
            raise OutputError(f"the PDF could not be laid out for {title!r}: {message}") from None
