"""Explicit direction controls in text (U+202A-U+202E, U+2066-U+2069), made harmless once, when a
Document is composed, so no writer can show or say a phone number backwards."""

from __future__ import annotations

# Explicit direction controls: embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
# An override such as U+202E reverses everything after it up to the end of the paragraph, so one in
# a phone number shows the number backwards: they are removed from everything except a person's own
# words, where they are kept but closed at the end of each run (`contained`).
_EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # closed by U+202C (PDF)
_ISOLATES = "\u2066\u2067\u2068"  # closed by U+2069 (PDI)
_POP_FORMATTING, _POP_ISOLATE = "\u202c", "\u2069"
DIRECTION_CONTROLS = frozenset(_EMBEDDINGS + _ISOLATES + _POP_FORMATTING + _POP_ISOLATE)
_STRIP = str.maketrans(dict.fromkeys(map(ord, DIRECTION_CONTROLS)))



def without_direction_controls(text: str) -> str:
    """The text with every explicit direction control (U+202A-U+202E, U+2066-U+2069) removed."""
    return text.translate(_STRIP) if not DIRECTION_CONTROLS.isdisjoint(text) else text


def contained(text: str) -> str:
    """A person's own words with their direction controls kept, each one closed by the end of the
    text, so none can reorder the words around them; an unmatched closing control is dropped."""
    if DIRECTION_CONTROLS.isdisjoint(text):
        return text
    out: list[str] = []
    opened: list[str] = []
    for ch in text:
        if ch in _EMBEDDINGS or ch in _ISOLATES:
            opened.append(ch)
        elif ch == _POP_FORMATTING:
            if not opened or opened[-1] not in _EMBEDDINGS:
                continue  # nothing of this run's to close: it would close something outside it
            opened.pop()
        elif ch == _POP_ISOLATE:
            if not any(o in _ISOLATES for o in opened):
                continue
            while opened.pop() not in _ISOLATES:  # an isolate's end closes what was opened inside it
                pass
        out.append(ch)
    out.extend(_POP_ISOLATE if o in _ISOLATES else _POP_FORMATTING for o in reversed(opened))
    return "".join(out)
