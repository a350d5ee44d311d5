"""JSON writer: the Document itself, for other systems."""

from __future__ import annotations

from pathlib import Path

from easyread.document import Document
from easyread.profile import Profile

EXTENSION = ".json"


def write(document: Document, profile: Profile, path: Path) -> None:
    """Write the Document as JSON (its schema is `easyread schema document`)."""
    path.write_text(document.model_dump_json(indent=2) + "\n", encoding="utf-8")
