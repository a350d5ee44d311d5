"""MP3 writer: the spoken version, with a chapter for each section (see audio.py)."""

from __future__ import annotations

from pathlib import Path

from easyread.document import Document
from easyread.profile import Profile

EXTENSION = ".mp3"


def write(document: Document, profile: Profile, path: Path) -> None:
    """Write the spoken version as MP3 with ID3v2.4 chapters."""
    from easyread.writers.audio import record, write_mp3

    write_mp3(record(document, profile), document, path)
