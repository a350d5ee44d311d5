"""SVG symbols to PNG at print resolution, cached on disk by content hash.

A second render of the same symbol at the same size does no SVG work at all: the PNG
is read from `$EASYREAD_CACHE_DIR/rasters` (default ~/.cache/easyread/rasters). When that
folder cannot be written, each PNG is made once per process into one private temporary
folder, removed when the process ends: nothing is left behind for each render.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from easyread.cache import cache_folder, private_folder, write_whole
from easyread.document import SymbolRef

# 2 cm square at 300 dpi, the size easy-read pictures are printed at
PRINT_PX = 236


def png(svg: bytes, px: int = PRINT_PX) -> Path | bytes:
    """A PNG of an SVG, `px` pixels square: its file in the cache, or the PNG itself when the cache cannot be written."""
    key = hashlib.sha256(svg + f"/{px}".encode()).hexdigest()
    folder = private_folder("rasters", key[:2])  # None when another user could plant a picture there
    path = folder / f"{key}.png" if folder else None
    if path is not None and path.exists():
        return path
    import cairosvg  # type: ignore[import-untyped]  # CairoSVG ships no type hints

    data: bytes = cairosvg.svg2png(bytestring=svg, output_width=px, output_height=px, unsafe=False)
    if path is None:
        return data
    try:
        write_whole(path, data)
    except OSError:  # no cache (unwritable, or the disk is full): the PNG stays in memory, never an error
        return data
    return path


def source_file(ref: SymbolRef) -> Path:
    """The file a symbol is drawn from: an SVG (OpenMoji's or a council's) or a person's photo."""
    from easyread.symbols import openmoji

    return Path(ref.file) if ref.file else openmoji.svg_path(ref.code or "")


def picture(ref: SymbolRef, px: int = PRINT_PX) -> Path | bytes:
    """A PNG (or the person's own PNG/JPEG) for a Document's symbol, ready for a writer: a file, or PNG bytes."""
    source = source_file(ref)
    if source.suffix.lower() != ".svg":
        return source
    stat = source.stat()  # a changed file (a council's own symbol, edited) is a new key
    key = (str(source), stat.st_mtime_ns, stat.st_size, px, str(cache_folder()))
    made = _svg_png(*key)
    if isinstance(made, Path) and not made.exists():  # the cache folder was emptied while we ran
        _svg_png.cache_clear()
        made = _svg_png(*key)
    return made


@lru_cache(maxsize=1024)
def _svg_png(source: str, modified: int, size: int, px: int, folder: str) -> Path | bytes:
    """png() of an SVG file, remembered for the life of the process (no read, no hash)."""
    return png(Path(source).read_bytes(), px)
