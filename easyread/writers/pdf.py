"""Tagged PDF writer: PDF/UA-1 by construction, with typst.

typst compiles with `pdf_standards=["ua-1"]`, so the structure tree (headings, paragraphs,
lists, tables with header cells, figures with alt text), /Lang, the shown title, embedded
fonts and page furniture as artifacts come from the engine, and it refuses an image
without alt text. The layout is a static file (templates/document.typ); the Document goes
in as JSON data, so nothing a person wrote is ever read as typst markup.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from easyread.document import Document, Run, Section, plain
from easyread.errors import OutputError, WriterUnavailable
from easyread.profile import Profile
from easyread.writers import made_at
from easyread.writers.data import DataModel, runs_data

EXTENSION = ".pdf"
MEDIA_TYPE = "application/pdf"
FONT = "Atkinson Hyperlegible"
PICTURE_CM = 3.4
LAYOUT = ("templates", "document.typ")  # inside the package


@lru_cache(maxsize=1)
def font_folder() -> str:
    """Atkinson Hyperlegible, from the PyPI package, to embed."""
    try:
        import fontpkg_atkinson_hyperlegible as fonts  # type: ignore[import-untyped]  # a font package, no type hints
    except ImportError:
        raise WriterUnavailable(f"the {FONT} font is missing: pip install fontpkg-atkinson-hyperlegible") from None
    return str(Path(fonts.ROOT) / "files")


def layout_file() -> str:
    """The typst layout, shipped inside the package."""
    layout = Path(str(resources.files("easyread").joinpath(*LAYOUT)))
    if not layout.is_file():
        raise WriterUnavailable(f"easyread's PDF layout {layout} is missing from this installation; reinstall easyread")
    return str(layout)


class Model(DataModel):
    """The Document and Profile as the plain data the typst layout reads."""

    def build(self) -> dict[str, Any]:
        """The whole model."""
        document, profile, house = self.document, self.profile, self.profile.house
        large = profile.presentation.line_spacing >= 1.5 and not self.pictures
        return {
            "title": document.title,
            "author": document.author or (house.name if house else ""),
            "subject": document.subject,
            "keywords": [profile.name.replace("-", " ")],
            "font": FONT,
            "body": profile.body_size(document.needs),
            "heading_scale": profile.presentation.heading_scale,
            "leading": 0.9 if large else 0.75,
            "spacing": 1.3 if large else 1.0,
            "pictures": self.pictures,
            "picture_cm": PICTURE_CM,
            "background": document.needs.background_colour,
            "text_colour": house.colours.text if house else "#000000",
            "heading_colour": house.colours.headings if house else "#000000",
            "letterhead": {
                "name": house.name,
                "logo": {"path": str(house.logo.file), "alt": house.logo.alt} if house.logo else None,
            } if house else None,
            "contact": list(house.contact) if house else [],
            "attribution": " ".join(document.attribution) if self.pictures else "",
            "blocks": [{"type": "heading", "level": 1, "runs": [{"text": document.title, "bold": False}],
                        "picture": None}, *self.blocks(document.blocks)],
        }

    def section(self, block: Section) -> list[dict[str, Any]]:
        """A heading, then the section's content: typst lays headings out in one flow."""
        return [{"type": "heading", "level": block.level, "runs": runs_data(block.heading),
                 "picture": self.picture(block.symbol, block.title)}, *self.blocks(block.blocks)]

    def picture(self, symbol: str | None, where: str) -> dict[str, str] | None:
        """A symbol's SVG (drawn as vector graphics) or photo, and its alt text; none without alt text."""
        if not self.pictures or not symbol or symbol not in self.document.symbols:
            return None
        from easyread.symbols.raster import source_file

        ref = self.document.symbols[symbol]
        if not ref.alt.strip():
            raise OutputError(f"the picture :{symbol}: beside {where!r} has no text alternative; give it an alt")
        return {"path": str(source_file(ref).resolve()), "alt": ref.alt}


def render(document: Document, profile: Profile) -> bytes:
    """The PDF's bytes."""
    try:
        import typst
    except ImportError:
        raise WriterUnavailable("the PDF engine typst is missing: pip install typst") from None

    model = Model(document, profile).build()
    layout, fonts = layout_file(), font_folder()
    try:
        return typst.compile(layout, root="/", font_paths=[fonts], ignore_system_fonts=True,
                             sys_inputs={"document": json.dumps(model)}, pdf_standards=["ua-1"],
                             timestamp=int(made_at().timestamp()))
    except (typst.TypstError, RuntimeError) as err:  # RuntimeError: typst's own failures, such as a missing file
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise OutputError(f"the PDF could not be laid out for {plain([Run(text=document.title)])!r}: {message}") from None

