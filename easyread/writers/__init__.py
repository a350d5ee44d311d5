"""Writers: one module per format, each seeing only the Document and a Profile.

A writer module defines `EXTENSION` and `write(document, profile, path)`, and is imported
only when its format is asked for, so a missing optional engine never slows or breaks
the others.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from easyread.errors import UsageError

# format name -> module under easyread.writers
WRITERS = {"txt": "txt", "json": "json", "docx": "docx", "pdf": "pdf", "mp3": "mp3", "wav": "wav", "speech.txt": "speech",
           "html": "html"}
# `--to all`: every format, but not WAV (the MP3's audio, uncompressed, made only on request)
ALL = [fmt for fmt in WRITERS if fmt != "wav"]
# what a person's recorded information need asks for, best first
NEED_FORMATS = {
    "easy-read": ["docx", "pdf"],
    "large-print": ["docx", "pdf"],
    "standard-print": ["pdf"],
    "audio": ["mp3"],
    "email": ["html"],
    "braille": ["brf"],
}


def writer(fmt: str) -> ModuleType:
    """The writer module for a format name."""
    if fmt not in WRITERS:
        raise UsageError(f"no writer for {fmt!r}; formats are {', '.join(WRITERS)}")
    return importlib.import_module(f"{__name__}.{WRITERS[fmt]}")


def formats_for(needs: list[str]) -> tuple[list[str], list[str]]:
    """The formats a person's recorded needs ask for: (available, not yet available)."""
    wanted = list(dict.fromkeys(fmt for need in needs for fmt in NEED_FORMATS.get(need, [])))
    available = [fmt for fmt in wanted if fmt in WRITERS]
    missing = [fmt for fmt in wanted if fmt not in WRITERS]
    return available, missing
