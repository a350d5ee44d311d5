"""SVG symbols to PNG at print resolution, cached on disk by content hash.

A second render of the same symbol at the same size does no SVG work at all: the PNG
is read from `$EASYREAD_CACHE_DIR/rasters` (default ~/.cache/easyread/rasters).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from easyread.document import SymbolRef
from easyread.cache import cache_folder

# 2 cm square at 300 dpi, the size easy-read pictures are printed at
PRINT_PX = 236


def png(svg: bytes, px: int = PRINT_PX) -> Path:
    """A PNG of an SVG, `px` pixels square, from the cache or made now."""
    key = hashlib.sha256(svg + f"/{px}".encode()).hexdigest()
    path = cache_folder() / "rasters" / key[:2] / f"{key}.png"
    if path.exists():
        return path
    import cairosvg  # type: ignore[import-untyped]  # CairoSVG ships no type hints

    data: bytes = cairosvg.svg2png(bytestring=svg, output_width=px, output_height=px, unsafe=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".raster-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:  # no cache: write to a private temporary file instead
        handle, temporary = tempfile.mkstemp(suffix=".png")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        return Path(temporary)
    return path


def source_file(ref: SymbolRef) -> Path:
    """The file a symbol is drawn from: an SVG (OpenMoji's or a council's) or a person's photo."""
    from easyread.symbols import openmoji

    return Path(ref.file) if ref.file else openmoji.svg_path(ref.code or "")


def picture(ref: SymbolRef, px: int = PRINT_PX) -> Path:
    """A PNG (or the person's own PNG/JPEG) for a Document's symbol, ready for a writer."""
    source = source_file(ref)
    if source.suffix.lower() != ".svg":
        return source
    stat = source.stat()  # a changed file (a council's own symbol, edited) is a new key
    key = (str(source), stat.st_mtime_ns, stat.st_size, px, str(cache_folder()))
    path = _svg_png(*key)
    if not path.exists():  # the cache folder was emptied while we ran
        _svg_png.cache_clear()
        path = _svg_png(*key)
    return path


@lru_cache(maxsize=1024)
def _svg_png(source: str, modified: int, size: int, px: int, folder: str) -> Path:
    """png() of an SVG file, remembered for the life of the process (no read, no hash)."""
    return png(Path(source).read_bytes(), px)
