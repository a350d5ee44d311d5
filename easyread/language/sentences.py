"""Sentences and words, counted the way easy read needs.

Each statement (a line, a list item, a table cell) is split on its own, so a list
never runs into one long sentence. Titles like "Dr", "e.g.", times like 8.30am and
amounts like £12.50 do not end a sentence, and two-word sentences ("Call Jo.") count.
Splitting takes time in proportion to the text, however it is written (40,000 full stops too).
"""

from __future__ import annotations

import re

ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "mx", "st", "e.g", "i.e", "etc", "a.m", "p.m", "approx", "cllr", "prof", "rd"}
# These end a sentence unless a number follows: "No. 5", but "I said no. Then ..."
BEFORE_NUMBERS = {"no", "nos", "tel", "p", "pp", "vol", "ref"}
# A run of . ! ? is matched from its first character only, and never given back: tried from every
# character of a long run, each try reading to the run's end, splitting took quadratic time.
_BOUNDARY = re.compile(r"(?<![.!?])([.!?]++)([\"'”’)\]]*+)\s++(?=[\"'“‘(\[]?(?:[A-Z0-9£]|[^\W\d_a-z]))")
# a letter or digit of any script: "Wiśniewski", "Seán" and "café" are one word each
LETTER, ALNUM = r"[^\W\d_]", r"[^\W_]"
WORD = re.compile(rf"(?:{ALNUM}|£)(?:{ALNUM}|[£'’.:,-])*{ALNUM}|{ALNUM}|£")
# Soft hyphens and zero-width characters, which split a word without showing: "sign\u00adpost" is
# "signpost" to a reader, and must be to the rules too.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def normalise(text: str) -> str:
    """Text as a reader sees it: without soft hyphens and zero-width characters."""
    return text.translate(_INVISIBLE)


def split(text: str) -> list[str]:
    """The sentences of one statement."""
    text = normalise(text)
    sentences, start, searched = [], 0, 0
    for match in _BOUNDARY.finditer(text):
        # the last word before the punctuation: only the text since the last match is looked at, so
        # a long run of "Dr. Dr. Dr." that never ends a sentence is not read again at every match
        before = text[searched:match.start()].split() or text[start:match.start()].split()[-1:]
        searched = match.end()
        last = before[-1].lower().rstrip(".") if before else ""
        before_number = last in BEFORE_NUMBERS and text[match.end():match.end() + 1].isdigit()
        if match.group(1) == "." and (last in ABBREVIATIONS or before_number):
            continue
        sentences.append(text[start:match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def words(sentence: str) -> list[str]:
    """The words of a sentence; numbers, times and amounts count as one word each."""
    return WORD.findall(normalise(sentence))
