"""Speech script writer (`--to speech.txt`): exactly what the audio says, for people to check."""

from __future__ import annotations

from easyread.document import Document
from easyread.profile import Profile
from easyread.speech import script

EXTENSION = ".speech.txt"
MEDIA_TYPE = "text/plain; charset=utf-8"


def render(document: Document, profile: Profile) -> bytes:
    """The speech script, a part at a time (UTF-8)."""
    from easyread.writers.audio import rate_for

    return script(document, rate_for(document, profile)).text().encode("utf-8")
