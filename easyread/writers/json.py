"""JSON writer: the Document itself, for other systems."""

from __future__ import annotations

from easyread.document import Document
from easyread.presentation.layout import Layout
from easyread.writers.plan import RenderPlan


def render(document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
    """The Document as JSON (its schema is `easyread schema document`); no local file paths."""
    return (document.model_dump_json(indent=2) + "\n").encode("utf-8")
