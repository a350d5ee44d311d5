"""The font every format that can embed one uses: Atkinson Hyperlegible (OFL), designed for low-vision readers."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from easyread.errors import WriterUnavailable

FONT = "Atkinson Hyperlegible"


@lru_cache(maxsize=1)
def font_folder() -> str:
    """Atkinson Hyperlegible, from the PyPI package, to embed."""
    try:
        import fontpkg_atkinson_hyperlegible as fonts  # type: ignore[import-untyped]  # a font package, no type hints
    except ImportError:
        raise WriterUnavailable(f"the {FONT} font is missing: pip install fontpkg-atkinson-hyperlegible") from None
    return str(Path(fonts.ROOT) / "files")
