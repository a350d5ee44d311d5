"""MP3 writer: the spoken version, with a chapter for each section (see audio.py)."""

from __future__ import annotations

from easyread.document import Document
from easyread.profile import Profile

EXTENSION = ".mp3"
SPOKEN = True  # made by a speech engine: the render's result names its voice
MEDIA_TYPE = "audio/mpeg"


def render(document: Document, profile: Profile) -> bytes:
    """The spoken version as MP3 with ID3v2.4 chapters."""
    from easyread.writers.audio import mp3, record

    return mp3(record(document, profile), document)
