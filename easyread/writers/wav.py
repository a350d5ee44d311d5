"""WAV writer: the spoken version as plain PCM audio, for systems that want it (see audio.py)."""

from __future__ import annotations

from easyread.document import Document
from easyread.presentation.layout import Layout
from easyread.writers.plan import RenderPlan


def render(document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
    """The spoken version as mono WAV, at the voice's own rate (24 kHz natural, 22.05 kHz British)."""
    from easyread.writers.audio import record, wav

    return wav(record(document, layout, plan))
