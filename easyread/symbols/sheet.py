"""Contact sheets: every symbol with its name and text alternative, for people to review."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

if TYPE_CHECKING:
    from PIL import Image as PILImage
    from PIL import ImageFont as PILImageFont

    from easyread.symbols import SymbolSet

CELL = 180
PICTURE = 120
COLUMNS = 8
ROWS_PER_PAGE = 10


def draw(entries: list[tuple[str, str, Path | bytes | None]], out: Path, title: str = "") -> Path:
    """Draw (name, caption, png) entries in a grid: one tall PNG, or a PDF of pages (by the file's suffix)."""
    pdf = out.suffix.lower() == ".pdf"
    per_page = COLUMNS * ROWS_PER_PAGE if pdf else max(len(entries), 1)
    pages = [_page(entries[i:i + per_page], title if i == 0 else "") for i in range(0, max(len(entries), 1), per_page)]
    out.parent.mkdir(parents=True, exist_ok=True)
    if pdf:
        pages[0].save(out, "PDF", resolution=150.0, save_all=True, append_images=pages[1:])
    else:
        pages[0].save(out, "PNG")
    return out


def _page(entries: list[tuple[str, str, Path | bytes | None]], title: str) -> PILImage.Image:
    from PIL import Image, ImageDraw

    rows = max((len(entries) + COLUMNS - 1) // COLUMNS, 1)
    top = 40 if title else 0
    page = Image.new("RGB", (COLUMNS * CELL, rows * CELL + top), "white")
    pen = ImageDraw.Draw(page)
    font = _font(14)
    if title:
        pen.text((10, 10), title, fill="black", font=_font(18))
    for index, (name, caption, picture) in enumerate(entries):
        x, y = (index % COLUMNS) * CELL, (index // COLUMNS) * CELL + top
        pen.rectangle([x, y, x + CELL - 1, y + CELL - 1], outline="#CCCCCC")
        if picture is not None:
            with Image.open(io.BytesIO(picture) if isinstance(picture, bytes) else picture) as opened:
                image = opened.convert("RGBA")
                image.thumbnail((PICTURE, PICTURE))
                page.paste(image, (x + (CELL - image.width) // 2, y + 4), image)
        else:
            pen.text((x + 40, y + 50), "(no picture)", fill="#999999", font=font)
        pen.text((x + 4, y + PICTURE + 8), name[:22], fill="black", font=_font(14, bold=True))
        pen.text((x + 4, y + PICTURE + 28), caption[:24], fill="#333333", font=font)
    return page


def draw_set(symbols: SymbolSet, out: Path) -> Path:
    """Draw every symbol of a set, by name, with its text alternative."""
    from easyread.document import SymbolRef
    from easyread.symbols.raster import picture

    entries = []
    for concept in sorted(symbols.concepts.values(), key=lambda c: c.name):
        file = None
        if concept.source != "none":
            source = cast(Literal["openmoji", "council"], concept.source)  # Concept.source is a plain str
            ref = SymbolRef(name=concept.name, alt=concept.alt, source=source, code=concept.code,
                            file=str(concept.file) if concept.file else None)
            file = picture(ref, PICTURE)
        entries.append((concept.name, concept.alt, file))
    credits = "; ".join(symbols.attributions.values())
    return draw(entries, out, f"easyread symbols: {len(entries)} concepts. {credits}")


def _font(size: int, bold: bool = False) -> PILImageFont.FreeTypeFont | PILImageFont.ImageFont:
    from PIL import ImageFont

    for name in ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", "Arial.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()
