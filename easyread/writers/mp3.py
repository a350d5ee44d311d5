"""MP3 writer: the spoken version, with a chapter for each section (see audio.py)."""

from __future__ import annotations

from easyread.document import Document
from easyread.inputs.profile import Profile


def render(document: Document, profile: Profile) -> bytes:
    """The spoken version as MP3 with ID3v2.4 chapters."""
    from easyread.writers.audio import mp3, record

    return mp3(record(document, profile), document)
