"""What an input file is called: its data suffix, and the name its outputs take from it."""

from __future__ import annotations

import os
from pathlib import Path

# the suffixes of input files, taken off to name their outputs
DATA_SUFFIXES = (".yaml", ".yml", ".json")


def data_stem(name: str | os.PathLike[str]) -> str:
    """A file's name without its folder and its data suffix (.yaml, .yml, .json): `jordan.2026-11.yaml` gives
    `jordan.2026-11`; any other dot is part of the name. "document" if nothing is left."""
    base = Path(name).name
    for suffix in DATA_SUFFIXES:
        if base.lower().endswith(suffix):
            base = base[: -len(suffix)]
            break
    return base or "document"
