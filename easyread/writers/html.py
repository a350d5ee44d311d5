"""Accessible HTML writer: one self-contained page for case-management systems and email.

Semantic HTML5 (main, headings in order, sections, lists, the timetable as a table with
th scope, the glossary as dl), lang en-GB, a skip link, CSS inline in rem so it scales
with the browser's text size, pictures as data URIs with alt text, and nothing fetched
from anywhere. Jinja2 autoescapes everything: a person's words are always text.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from easyread.document import (
    Agreement, ContactCard, Document, Glossary, ListBlock, Quote, Run, Section, Statement, Table,
)
from easyread.house_style import MIN_CONTRAST, contrast
from easyread.profile import Profile

EXTENSION = ".html"
PICTURE_PX = 160
CONTACT_LABELS = {"phone": "Phone: ", "email": "Email: ", "address": "Address: ", "hours": "When: "}
LINK_COLOUR = "#1A4F8B"


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    folder = Path(__file__).resolve().parent.parent / "templates"
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=512)
def _data_uri(path: str) -> str:
    data = Path(path).read_bytes()
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg" if data[:2] == b"\xff\xd8" else "image/gif"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def readable(colour: str, background: str) -> str:
    """The colour, or black or white when it is not readable (4.5:1) on the page's background."""
    if contrast(colour, background) >= MIN_CONTRAST:
        return colour
    return max(("#000000", "#FFFFFF"), key=lambda c: contrast(c, background))


class Model:
    """The Document and Profile as plain data for the HTML layout."""

    def __init__(self, document: Document, profile: Profile) -> None:
        self.document = document
        self.profile = profile
        self.pictures = profile.presentation.pictures and document.needs.pictures != "none"
        self.ids: dict[str, int] = {}

    def build(self) -> dict[str, Any]:
        """The whole model."""
        document, profile, house = self.document, self.profile, self.profile.house
        body = profile.body_size(document.needs)
        scale = profile.presentation.heading_scale
        background = document.needs.background_colour or "#FFFFFF"
        return {
            "title": document.title,
            "author": document.author or (house.name if house else ""),
            "subject": document.subject,
            "body_pt": body,
            "root_percent": round(body / 12 * 100, 2),  # 100% is 12pt (16px) in every browser
            "line_height": 1.5,
            "h1": round(scale * 1.25, 2), "h2": round(scale, 2), "h3": round(1 + (scale - 1) / 2, 2),
            "font_stack": f"{house.font + ', ' if house else ''}'Atkinson Hyperlegible', Arial, Helvetica, sans-serif",
            "background": background,
            "text_colour": readable(house.colours.text if house else "#000000", background),
            "heading_colour": readable(house.colours.headings if house else "#000000", background),
            "link_colour": readable(LINK_COLOUR, background),
            "pictures": self.pictures,
            "letterhead": {
                "name": house.name,
                "logo": {"src": _data_uri(str(house.logo.file)), "alt": house.logo.alt, "size": ""}
                if house.logo else None,
            } if house else None,
            "contact": list(house.contact) if house else [],
            "attribution": " ".join(document.attribution) if self.pictures else "",
            "blocks": self.blocks(document.blocks),
        }

    def blocks(self, blocks: list) -> list[dict[str, Any]]:
        """The blocks, sections nested as sections."""
        out: list[dict[str, Any]] = []
        for block in blocks:
            if isinstance(block, Section):
                out.append({"type": "section", "level": block.level, "id": self.anchor(block.title),
                            "runs": _runs(block.heading), "picture": self.picture(block.symbol),
                            "blocks": self.blocks(block.blocks)})
            elif isinstance(block, (Statement, Quote)):
                out.append({"type": "quote" if isinstance(block, Quote) else "row", "runs": _runs(block.runs),
                            "picture": self.picture(block.symbol)})
            elif isinstance(block, ListBlock):
                out.append({"type": "list", "entries": [_runs(item.runs) for item in block.items]})
            elif isinstance(block, Table):
                out.append({"type": "table", "caption": block.caption, "header": [_runs(c) for c in block.header],
                            "rows": [[_runs(c) for c in row.cells] for row in block.rows]})
            elif isinstance(block, Glossary):
                out.append({"type": "terms", "terms": [{"word": t.word, "meaning": _runs(t.meaning)}
                                                       for t in block.terms]})
            elif isinstance(block, ContactCard):
                out.append({"type": "contact", "picture": self.picture(block.symbol), "lines": [
                    {"label": CONTACT_LABELS.get(d.key, ""), "runs": _runs(d.runs), "bold": d.key == "name",
                     "href": _href(d.key, "".join(r.text for r in d.runs))} for d in block.details]})
            elif isinstance(block, Agreement):
                out.append({"type": "agreement", "status": _runs(block.status) if block.status else None,
                            "comments": _runs(block.comments) if block.comments else None,
                            "choices": block.choices, "sign": block.sign})
        return out

    def picture(self, symbol: str | None) -> dict[str, Any] | None:
        """A symbol as a data URI with its alt text."""
        if not self.pictures or not symbol or symbol not in self.document.symbols:
            return None
        from easyread.symbols.raster import picture

        ref = self.document.symbols[symbol]
        return {"src": _data_uri(str(picture(ref, PICTURE_PX))), "alt": ref.alt, "size": PICTURE_PX}

    def anchor(self, title: str) -> str:
        """A unique id for a heading."""
        base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
        self.ids[base] = self.ids.get(base, 0) + 1
        return base if self.ids[base] == 1 else f"{base}-{self.ids[base]}"


def _runs(runs: list[Run]) -> list[dict[str, Any]]:
    return [{"text": run.text, "bold": run.bold} for run in runs]


def _href(key: str, text: str) -> str | None:
    if key == "phone":
        return "tel:" + re.sub(r"[^\d+]", "", text)
    if key == "email":
        return "mailto:" + text
    return None


def render(document: Document, profile: Profile) -> str:
    """The HTML page."""
    return _environment().get_template("document.html.j2").render(model=Model(document, profile).build())


def write(document: Document, profile: Profile, path: Path) -> None:
    """Write the Document as one self-contained, accessible HTML file."""
    path.write_text(render(document, profile), encoding="utf-8")
