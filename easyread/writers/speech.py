"""Speech script writer (`--to speech.txt`): exactly what the audio says, for people to check."""

from __future__ import annotations

from easyread.document import Document
from easyread.inputs.profile import Profile
from easyread.writers import RenderPlan


def render(document: Document, profile: Profile, plan: RenderPlan | None = None) -> bytes:
    """The speech script, a part at a time (UTF-8)."""
    from easyread.writers.audio import said

    return said(document, profile, plan).text().encode("utf-8")  # with the audio's measured length, when it was made
