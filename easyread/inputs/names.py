"""What things are called: an input file (its data suffix, and the name its outputs take from it), and the
shipped profiles."""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
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


def profile_folder() -> Traversable:
    """The folder of the shipped profiles, inside the package."""
    return resources.files("easyread").joinpath("profiles")


def profile_names() -> list[str]:
    """The names of the shipped profiles."""
    return sorted(p.name.removesuffix(".yaml") for p in profile_folder().iterdir() if p.name.endswith(".yaml"))
