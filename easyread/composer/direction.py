"""Direction controls made harmless in a whole Document, once, when it is composed (see
easyread.inputs.direction for what they are and why)."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from easyread.document import Run
from easyread.inputs.direction import contained, without_direction_controls

# Fields that name files or codes, not words: left exactly as they are.
_NOT_WORDS = frozenset({"file", "file_name", "code", "template", "profile", "kind", "type", "language"})

T = TypeVar("T")


def direction_safe(value: T) -> T:
    """A Document (or any node) whose text cannot be reordered by direction controls: removed from
    all text but a person's own words, and closed within each run of their words. Unchanged parts
    are shared, not copied."""
    if isinstance(value, Run):
        text = contained(value.text) if value.own_words else without_direction_controls(value.text)
        return value if text == value.text else value.model_copy(update={"text": text})
    if isinstance(value, BaseModel):
        updates = {}
        for name in type(value).model_fields:
            if name in _NOT_WORDS:
                continue
            old = getattr(value, name)
            new = direction_safe(old)
            if new is not old:
                updates[name] = new
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, str):
        return without_direction_controls(value)  # type: ignore[return-value]
    if isinstance(value, list):
        items = [direction_safe(item) for item in value]
        return items if any(a is not b for a, b in zip(items, value)) else value  # type: ignore[return-value]
    if isinstance(value, dict):
        entries = {key: direction_safe(item) for key, item in value.items()}
        return entries if any(entries[k] is not value[k] for k in value) else value  # type: ignore[return-value]
    return value
