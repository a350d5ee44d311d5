"""WAV writer: the spoken version as plain PCM audio, for systems that want it (see audio.py)."""

from __future__ import annotations

from pathlib import Path

from easyread.document import Document
from easyread.profile import Profile

EXTENSION = ".wav"


def write(document: Document, profile: Profile, path: Path) -> None:
    """Write the spoken version as 22,050 Hz mono WAV."""
    from easyread.writers.audio import record, write_wav

    write_wav(record(document, profile), path)
