"""MP3 writer: the spoken version, with a chapter for each section (see audio.py)."""

from __future__ import annotations

from easyread.document import Document
from easyread.presentation.layout import Layout
from easyread.writers.plan import RenderPlan


def render(document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
    """The spoken version as MP3 with ID3v2.4 chapters (the recording the WAV of the same render has too)."""
    from easyread.writers.audio import mp3, record

    return mp3(record(document, layout, plan), document)
