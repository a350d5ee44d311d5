"""Checking picture files before they go into a document: format, size, damage, outside links.

A person's own photos and a council's symbol files come from outside easyread, so each
is checked once, before anything decodes it: a regular file (not a pipe or a device), a
real PNG, JPEG or GIF (or an SVG with nothing outside it and nothing embedded in it), small
enough once decoded to use safely (decompression bombs), and not damaged. The limits are in
easyread.inputs.limits.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from xml.etree.ElementTree import Element

from easyread.inputs.limits import (
    MAX_PICTURE_BYTES,
    MAX_PICTURE_PIXELS,
    MAX_PICTURE_SIDE,
    MAX_SVG_BYTES,
    MAX_SVG_ELEMENTS,
)

FORMATS = {"PNG", "JPEG", "GIF"}
NAMED_BY = "the file that names it"  # a plan, a house style: check_picture's callers may say which
_SVG_NS = "{http://www.w3.org/2000/svg}"
_LINK_ATTRIBUTES = ("href", "{http://www.w3.org/1999/xlink}href", "src")
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISDIR, "a folder"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


class PictureProblem(ValueError):
    """A picture file that cannot be used, and what to do about it."""


def check_picture(path: Path, named_by: str = NAMED_BY) -> None:
    """Raise PictureProblem unless `path` is a picture easyread can safely use (`named_by`: for the message)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise PictureProblem(f"picture file {str(path)!r} not found; paths are relative to {named_by}") from None
    except OSError as err:
        raise PictureProblem(f"picture file {str(path)!r} cannot be read ({err.strerror})") from None
    if not stat.S_ISREG(info.st_mode):  # a pipe would hang the render, a device would never end
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise PictureProblem(f"picture file {str(path)!r} is {kind}, not a picture file; give a PNG, JPEG, GIF or SVG file")
    if path.suffix.lower() == ".svg":
        if info.st_size > MAX_SVG_BYTES:
            raise PictureProblem(f"the SVG {path.name!r} is {info.st_size:,} bytes; a symbol must be under "
                                 f"{MAX_SVG_BYTES:,} bytes (simplify it, or save it as a PNG)")
        with path.open("rb") as file:
            check_svg(file.read(MAX_SVG_BYTES + 1), path.name)
        return
    if info.st_size > MAX_PICTURE_BYTES:
        raise PictureProblem(f"picture file {path.name!r} is {info.st_size / 1e6:.0f} MB; use one under "
                             f"{MAX_PICTURE_BYTES // 2**20} MB")
    _check_raster(path)


def _check_raster(path: Path) -> None:
    """A PNG, JPEG or GIF whose decoded size is within the limits, judged from its header alone."""
    from PIL import Image

    try:
        with Image.open(path) as image:  # reads the header only
            kind, (width, height) = image.format, image.size
            if kind not in FORMATS:
                raise PictureProblem(f"picture file {path.name!r} is {kind}; use PNG, JPEG or GIF")
            depth = _png_bit_depth(path) if kind == "PNG" else 8
            # what decoding costs: 16 bits a channel takes twice the memory of 8, in every writer
            decoded = width * height * (2 if depth == 16 else 1)
            if width > MAX_PICTURE_SIDE or height > MAX_PICTURE_SIDE or decoded > MAX_PICTURE_PIXELS:
                bits = " at 16 bits a channel (which counts double)" if depth == 16 else ""
                raise PictureProblem(
                    f"picture file {path.name!r} is {width:,} x {height:,} pixels{bits}, too big to use safely; "
                    f"the most is {MAX_PICTURE_PIXELS / 1e6:g} megapixels and {MAX_PICTURE_SIDE:,} pixels a side "
                    f"(8 bits a channel): make it smaller")
            image.verify()  # damage shows here, without decoding the whole picture
    except PictureProblem:
        raise
    except Image.DecompressionBombError:
        raise PictureProblem(f"picture file {path.name!r} is far too big to open safely; make it smaller") from None
    except Exception as err:  # Pillow raises many kinds for bad files
        raise PictureProblem(f"picture file {path.name!r} is damaged or not a picture ({err})") from None


def _png_bit_depth(path: Path) -> int:
    """The bits a channel of a PNG, from its header (Pillow reports 16-bit colour as 8-bit RGB)."""
    with path.open("rb") as file:
        header = file.read(25)
    return header[24] if len(header) == 25 and header[12:16] == b"IHDR" else 8


def check_svg(data: bytes, name: str) -> None:
    """Raise PictureProblem if an SVG is too big, or has entities, scripts, embedded files or links outside itself.

    Embedded files (`data:` URIs) are refused whatever they hold: a small one can unpack to gigabytes
    (a gzipped SVG inside an SVG), and a symbol never needs one. A PNG can be given as a PNG instead.
    """
    if len(data) > MAX_SVG_BYTES:
        raise PictureProblem(f"the SVG {name!r} is over {MAX_SVG_BYTES:,} bytes; a symbol must be smaller "
                             "(simplify it, or save it as a PNG)")
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
            if target.lower().startswith("data:"):
                raise PictureProblem(f"{name}: the SVG has a file embedded in it (a data: URI), which easyread does "
                                     "not accept; use a plain SVG, or give the picture as a PNG")
            if target and not target.startswith("#"):
                raise PictureProblem(f"{name}: the SVG refers to {target!r} outside itself; embed it or remove it")
        style = (element.get("style") or "") + (element.text or "" if element.tag.endswith("style") else "")
        if "@import" in style or any(not url.startswith("#") for url in _CSS_URL.findall(style)):
            raise PictureProblem(f"{name}: the SVG style refers to something outside itself")
    _check_uses(root, name)


def _check_uses(root: Element, name: str) -> None:
    """Refuse an SVG whose <use> elements, followed, draw more than MAX_SVG_ELEMENTS elements (or loop)."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    if not any(element.tag.endswith("use") for element in root.iter()):
        return
    drawn: dict[int, int] = {}  # element id() -> elements drawn for it, once known

    def count(element: Element, path: frozenset[int]) -> int:
        if id(element) in drawn:
            return drawn[id(element)]
        if id(element) in path:
            raise PictureProblem(f"{name}: the SVG's <use> elements refer to each other in a loop")
        inside = path | {id(element)}
        total = 1 + sum(count(child, inside) for child in element)
        if element.tag.endswith("use"):
            target = (element.get("href") or element.get("{http://www.w3.org/1999/xlink}href") or "").lstrip("#")
            if target in by_id:
                total += count(by_id[target], inside)
        if total > MAX_SVG_ELEMENTS:
            raise PictureProblem(f"{name}: the SVG draws more than {MAX_SVG_ELEMENTS:,} shapes once its <use> "
                                 "elements are followed; simplify it")
        drawn[id(element)] = total
        return total

    try:
        count(root, frozenset())
    except RecursionError:
        raise PictureProblem(f"{name}: the SVG is nested too deeply to draw safely") from None

