"""Speech script writer (`--to speech.txt`): exactly what the audio says, for people to check."""

from __future__ import annotations

from pathlib import Path

from easyread.document import Document
from easyread.profile import Profile
from easyread.speech import script

EXTENSION = ".speech.txt"


def write(document: Document, profile: Profile, path: Path) -> None:
    """Write the speech script, a part at a time."""
    from easyread.writers.audio import rate_for

    path.write_text(script(document, rate_for(document, profile)).text(), encoding="utf-8")
