"""What must stay on one line: phone numbers, NHS numbers, postcodes, dates, amounts with their period, and times
(with the "to" before the end of a range: "9:30am / to 1:30pm", never "9:30am to / 1:30pm").

"ring the council on 01632 960 / 999" reads as an emergency line called 999, and "NM1 / 3DS" as
two things. Every writer that lays text out in lines (PDF, Word, HTML, the accessible text) joins
the words of these with no-break spaces; the words themselves never change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

NO_BREAK = "\u00a0"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WHOLE = re.compile("|".join((
    r"(?<![\w£.])(?:\+44 ?|0)\d{2,4}(?:[ -]\d{3,6}){1,2}(?!\d)",  # 01632 960 999, 01632 960142, +44 1632 960 123
    r"(?<![\d.,])\d{3} \d{3} \d{4}(?!\d|[.,]\d)",  # an NHS number: 943 476 5919
    r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b",  # NM1 3DS
    rf"\b(?:(?:{_DAYS}) )?\d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?\b",  # (Wednesday) 18 November 2026
    r"£\d[\d,]*(?:\.\d\d)? (?:a|an|per|each) (?:week|fortnight|month|year|day|hour)\b",  # £27.40 a week
    r"\b(?:to )?\d{1,2}(?::\d\d)? ?(?:am|pm|noon)\b",  # 12 noon, 10 am; "9:30am to 1:30pm" breaks only before "to"
)))


def keep_whole(text: str) -> str:
    """The text with no-break spaces inside its phone and NHS numbers, postcodes, dates, amounts and times."""
    return _WHOLE.sub(lambda match: match.group(0).replace(" ", NO_BREAK), text) if " " in text else text


def keep_whole_runs(texts: Sequence[str]) -> list[str]:
    """keep_whole across runs of text shown one after another, which may split a time or a number between them
    ("9:30am", " to ", "1:30pm"): each run keeps its own length, so its style stays where it was."""
    whole = keep_whole("".join(texts))
    out, at = [], 0
    for text in texts:
        out.append(whole[at:at + len(text)])
        at += len(text)
    return out
