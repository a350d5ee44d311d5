"""Symbols: the concept vocabulary behind `:name:`, and choosing a picture from a statement's words.

The vocabulary (vocabulary.yaml) maps each concept to an OpenMoji picture, a plain
text alternative and synonyms; a council can add a folder of its own pictures that
extends or overrides it by name (see `SymbolSet.with_folder`). A statement's explicit
`:name:` always wins; otherwise its words choose, or nothing does - a wrong picture is
worse than none.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from easyread.symbols.vocabulary import NEGATED, NONE, Concept, SymbolSet, _concept, vocabulary

__all__ = ["NEGATED", "NONE", "Concept", "SymbolSet", "symbol_set", "vocabulary"]


@lru_cache(maxsize=8)
def symbol_set(folder: str | None = None) -> SymbolSet:
    """The shipped symbols, extended or overridden by a council's folder when one is given."""
    from easyread.symbols import openmoji
    from easyread.symbols.folder import extend

    concepts = {name: _concept(name, entry) for name, entry in vocabulary().items()}
    shipped = SymbolSet(concepts, {"openmoji": openmoji.attribution()})
    if folder is None:
        return shipped
    return extend(shipped, Path(folder))
