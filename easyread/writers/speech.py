"""Speech script writer (`--to speech.txt`): exactly what the audio says, for people to check."""

from __future__ import annotations

from easyread.document import Document
from easyread.presentation.layout import Layout
from easyread.writers.plan import RenderPlan


def render(document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
    """The speech script, a part at a time (UTF-8)."""
    from easyread.writers.audio import said

    return said(document, layout, plan).text().encode("utf-8")  # with the audio's measured length, when it was made
