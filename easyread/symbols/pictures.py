"""Checking picture files before they go into a document: format, size, damage, outside links.

A person's own photos and a council's symbol files come from outside easyread, so each
is checked once: a real PNG, JPEG or GIF (or an SVG with nothing outside it), not too big
to open safely (decompression bombs), and not damaged.
"""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024
MAX_SIDE = 8000
MAX_PIXELS = 40_000_000
FORMATS = {"PNG", "JPEG", "GIF"}
_SVG_NS = "{http://www.w3.org/2000/svg}"
_LINK_ATTRIBUTES = ("href", "{http://www.w3.org/1999/xlink}href", "src")


class PictureProblem(ValueError):
    """A picture file that cannot be used, and what to do about it."""


def check_picture(path: Path) -> None:
    """Raise PictureProblem unless `path` is a picture easyread can safely use."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PictureProblem(f"picture file {str(path)!r} not found; paths are relative to the plan file") from None
    except OSError as err:
        raise PictureProblem(f"picture file {str(path)!r} cannot be read ({err.strerror})") from None
    if size > MAX_BYTES:
        raise PictureProblem(f"picture file {path.name!r} is {size / 1e6:.0f} MB; use one under {MAX_BYTES // 2**20} MB")
    if path.suffix.lower() == ".svg":
        check_svg(path.read_bytes(), path.name)
        return
    from PIL import Image

    try:
        with Image.open(path) as image:  # reads the header only
            kind, (width, height) = image.format, image.size
            if kind not in FORMATS:
                raise PictureProblem(f"picture file {path.name!r} is {kind}; use PNG, JPEG or GIF")
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise PictureProblem(f"picture file {path.name!r} is {width:,} x {height:,} pixels, too big to use "
                                     f"safely; make it smaller than {MAX_SIDE:,} x {MAX_SIDE:,}")
            image.verify()  # damage shows here, without decoding the whole picture
    except PictureProblem:
        raise
    except Image.DecompressionBombError:
        raise PictureProblem(f"picture file {path.name!r} is far too big to open safely; make it smaller") from None
    except Exception as err:  # Pillow raises many kinds for bad files
        raise PictureProblem(f"picture file {path.name!r} is damaged or not a picture ({err})") from None


def check_svg(data: bytes, name: str) -> None:
    """Raise PictureProblem if an SVG has entities, scripts, or links to anything outside itself."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data)
    except DefusedXmlException:
        raise PictureProblem(f"{name}: the SVG declares entities or a DTD, which easyread does not accept") from None
    except ParseError as err:
        raise PictureProblem(f"{name}: not a valid SVG file ({err})") from None
    if root.tag not in (f"{_SVG_NS}svg", "svg"):
        raise PictureProblem(f"{name}: not an SVG picture")
    for element in root.iter():
        if element.tag.endswith("script") or element.tag.endswith("foreignObject"):
            raise PictureProblem(f"{name}: the SVG contains <{element.tag.split('}')[-1]}>, which easyread does not accept")
        for attribute in _LINK_ATTRIBUTES:
            target = (element.get(attribute) or "").strip()
            if target and not target.startswith(("#", "data:")):
                raise PictureProblem(f"{name}: the SVG refers to {target!r} outside itself; embed it or remove it")
        style = (element.get("style") or "") + (element.text or "" if element.tag.endswith("style") else "")
        if "url(" in style and "url(#" not in style.replace(" ", ""):
            raise PictureProblem(f"{name}: the SVG style refers to something outside itself")
