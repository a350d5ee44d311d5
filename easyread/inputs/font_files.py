"""What a font file is, read before a document carries it: its family names, and whether its licence lets a
document embed it (a house style's `font_files`, or the house font where it is installed)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

# OS/2 fsType: the font's licence for embedding; 0x0002 alone is "restricted licence", no embedding at all
_RESTRICTED = 0x0002


@lru_cache(maxsize=64)
def font_facts(path: str) -> tuple[frozenset[str], bool]:
    """A font file's family names and whether its licence lets a document embed it (OS/2 fsType); ValueError when
    the file is not a font fontTools can read."""
    from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]  # fontTools has no type hints

    try:
        font = TTFont(path, lazy=True, fontNumber=0)
    except (TTLibError, OSError, AssertionError, ValueError) as err:
        raise ValueError(f"is not a font file easyread can read ({err})") from None
    with font:
        families = frozenset(record.toUnicode() for record in font["name"].names if record.nameID in (1, 16)) \
            if "name" in font else frozenset()
        fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    return families, (fs_type & 0x000F) != _RESTRICTED


def embeddable(path: str | Path) -> bool:
    """True when a font file's licence lets a document embed it (and it is a font)."""
    try:
        return font_facts(str(path))[1]
    except ValueError:
        return False
