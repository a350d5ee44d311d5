"""Symbols: the concept vocabulary that `:name:` in markup refers to."""

from __future__ import annotations

import difflib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict]:
    """The shipped concepts, by name: alt text and synonyms."""
    text = resources.files(__package__).joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    from easyread.load import read_yaml

    return read_yaml(text)


def alt_text(name: str) -> str:
    """The text alternative for a symbol name."""
    return vocabulary()[name]["alt"]


def unknown_symbol(name: str) -> str | None:
    """None if `name` is a known symbol, else a message naming the closest known ones."""
    names = vocabulary()
    if name in names:
        return None
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(':' + c + ':' for c in close)}?" if close else "; `easyread symbols list` shows them all"
    return f"no symbol called :{name}:{hint}"
