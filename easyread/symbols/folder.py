"""A council's own symbols: a folder of pictures that extends or overrides the vocabulary by name.

    my-symbols/
      symbols.yaml      attribution, and alt text and synonyms for new names
      doctor.png        overrides the shipped :doctor: picture (keeps its alt text)
      bin-day.svg       a new symbol :bin-day: (needs an alt in symbols.yaml)

symbols.yaml:
    attribution: Symbols (c) Example Symbols Ltd, used under licence by Northmoor Council
    concepts:
      bin-day: {alt: The day the bins are collected, synonyms: [bins, rubbish]}
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from easyread.errors import InputError, Problem
from easyread.inputs.pictures import PictureProblem, check_picture
from easyread.symbols.vocabulary import Concept, SymbolSet, _concept

SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def extend(shipped: SymbolSet, folder: Path) -> SymbolSet:
    """The shipped symbols with a council folder's pictures added or put in their place."""
    if not folder.is_dir():
        raise InputError([Problem("symbol folder not found; give a folder of pictures", file=str(folder))])
    settings = _settings(folder)
    described = settings.get("concepts") or {}
    concepts = dict(shipped.concepts)
    problems: list[Problem] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES):
        name = path.stem.lower()
        if not _NAME.match(name):
            problems.append(Problem("a symbol file name must be lower-case words joined by hyphens, like bin-day.svg",
                                    file=str(path)))
            continue
        try:
            check_picture(path)
        except PictureProblem as err:
            problems.append(Problem(str(err), file=str(path)))
            continue
        entry = described.get(name) or {}
        if name in concepts:  # override the picture; symbols.yaml may also change the words
            base = concepts[name]
            concepts[name] = replace(base, file=path, alt=entry.get("alt", base.alt),
                                     synonyms=tuple(entry.get("synonyms", base.synonyms)))
        elif entry.get("alt"):
            concepts[name] = replace(_concept(name, entry), file=path)
        else:
            problems.append(Problem(f"new symbol {name!r} needs a text alternative: add it under concepts: in "
                                    "symbols.yaml with an alt:", file=str(path)))
    if problems:
        raise InputError(problems)
    attributions = dict(shipped.attributions)
    if settings.get("attribution"):
        attributions["council"] = str(settings["attribution"])
    return SymbolSet(concepts, attributions)


def _settings(folder: Path) -> dict[str, Any]:
    path = folder / "symbols.yaml"
    if not path.exists():
        return {}
    from easyread.inputs.loader import parse, read_text

    data, _ = parse(read_text(path), str(path), is_json=False)
    if data is not None and not isinstance(data, dict):
        raise InputError([Problem("expected attribution: and concepts:", file=str(path))])
    return data or {}


__all__ = ["Concept", "extend"]
