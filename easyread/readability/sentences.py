"""Sentences and words, counted the way easy read needs.

Each statement (a line, a list item, a table cell) is split on its own, so a list
never runs into one long sentence. Titles like "Dr", "e.g.", times like 8.30am and
amounts like £12.50 do not end a sentence, and two-word sentences ("Call Jo.") count.
"""

from __future__ import annotations

import re

ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "mx", "st", "e.g", "i.e", "etc", "a.m", "p.m", "approx", "cllr", "prof", "rd"}
# These end a sentence unless a number follows: "No. 5", but "I said no. Then ..."
BEFORE_NUMBERS = {"no", "nos", "tel", "p", "pp", "vol", "ref"}
_BOUNDARY = re.compile(r"([.!?]+)([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9£])")
WORD = re.compile(r"[A-Za-z0-9£][A-Za-z0-9£'’.:,-]*[A-Za-z0-9]|[A-Za-z0-9£]")


def split(text: str) -> list[str]:
    """The sentences of one statement."""
    sentences, start = [], 0
    for match in _BOUNDARY.finditer(text):
        before = text[start:match.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if match.group(1) == "." and (last in ABBREVIATIONS or last in BEFORE_NUMBERS and text[match.end():][:1].isdigit()):
            continue
        sentences.append(text[start:match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def words(sentence: str) -> list[str]:
    """The words of a sentence; numbers, times and amounts count as one word each."""
    return WORD.findall(sentence)
