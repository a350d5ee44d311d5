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

from easyread.document import (
    Agreement, ContactCard, Document, Glossary, ListBlock, Quote, Run, Section, Statement, Table, plain,
)
from easyread.errors import OutputError, UsageError
from easyread.profile import Profile

EXTENSION = ".pdf"
FONT = "Atkinson Hyperlegible"
PICTURE_CM = 3.4
CONTACT_LABELS = {"phone": "Phone: ", "email": "Email: ", "address": "Address: ", "hours": "When: "}


@lru_cache(maxsize=1)
def font_folder() -> str:
    """Atkinson Hyperlegible, from the PyPI package, to embed."""
    try:
        import fontpkg_atkinson_hyperlegible as fonts
    except ImportError:
        raise UsageError(f"the {FONT} font is missing: pip install fontpkg-atkinson-hyperlegible") from None
    return str(Path(fonts.ROOT) / "files")


def layout_file() -> str:
    """The typst layout."""
    return str(resources.files("easyread").joinpath("templates", "document.typ"))


class Model:
    """The Document and Profile as the plain data the typst layout reads."""

    def __init__(self, document: Document, profile: Profile) -> None:
        self.document = document
        self.profile = profile
        self.pictures = profile.presentation.pictures and document.needs.pictures != "none"

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

    def blocks(self, blocks: list) -> list[dict[str, Any]]:
        """The blocks, with sections flattened into headings followed by their content."""
        out: list[dict[str, Any]] = []
        for block in blocks:
            if isinstance(block, Section):
                out.append({"type": "heading", "level": block.level, "runs": _runs(block.heading),
                            "picture": self.picture(block.symbol, block.title)})
                out.extend(self.blocks(block.blocks))
            elif isinstance(block, (Statement, Quote)):
                out.append({"type": "row", "runs": _runs(block.runs), "quote": isinstance(block, Quote),
                            "picture": self.picture(block.symbol, block.text)})
            elif isinstance(block, ListBlock):
                out.append({"type": "list", "items": [_runs(item.runs) for item in block.items]})
            elif isinstance(block, Table):
                out.append({"type": "table", "caption": block.caption, "header": [_runs(c) for c in block.header],
                            "rows": [[_runs(c) for c in row.cells] for row in block.rows]})
            elif isinstance(block, Glossary):
                out.append({"type": "terms", "terms": [{"word": t.word, "meaning": _runs(t.meaning)}
                                                       for t in block.terms]})
            elif isinstance(block, ContactCard):
                out.append({"type": "contact", "picture": self.picture(block.symbol, block.get("name") or "contact"),
                            "lines": [{"label": CONTACT_LABELS.get(d.key, ""), "runs": _runs(d.runs),
                                       "bold": d.key == "name"} for d in block.details]})
            elif isinstance(block, Agreement):
                out.append({"type": "agreement",
                            "status": _runs(block.status) if block.status else None,
                            "comments": _runs(block.comments) if block.comments else None,
                            "choices": block.choices, "sign": block.sign})
        return out

    def picture(self, symbol: str | None, where: str) -> dict[str, str] | None:
        """A symbol's PNG and alt text; a picture without alt text never reaches the PDF."""
        if not self.pictures or not symbol or symbol not in self.document.symbols:
            return None
        from easyread.symbols.raster import picture

        ref = self.document.symbols[symbol]
        if not ref.alt.strip():
            raise OutputError(f"the picture :{symbol}: beside {where!r} has no text alternative; give it an alt")
        return {"path": str(picture(ref).resolve()), "alt": ref.alt}


def _runs(runs: list[Run]) -> list[dict[str, Any]]:
    return [{"text": run.text, "bold": run.bold} for run in runs]


def render(document: Document, profile: Profile) -> bytes:
    """The PDF's bytes."""
    import typst

    model = Model(document, profile).build()
    try:
        return typst.compile(layout_file(), root="/", font_paths=[font_folder()], ignore_system_fonts=True,
                             sys_inputs={"document": json.dumps(model)}, pdf_standards=["ua-1"])
    except typst.TypstError as err:
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise OutputError(f"the PDF could not be laid out for {plain([Run(text=document.title)])!r}: {message}") from None


def write(document: Document, profile: Profile, path: Path) -> None:
    """Write the Document as a tagged PDF (PDF/UA-1)."""
    path.write_bytes(render(document, profile))
