"""Sentences and words, counted the way easy read needs.

Each statement (a line, a list item, a table cell) is split on its own, so a list
never runs into one long sentence. Titles like "Dr", "e.g.", times like 8.30am and
amounts like £12.50 do not end a sentence, and two-word sentences ("Call Jo.") count.
Splitting takes time in proportion to the text, however it is written (40,000 full stops too).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "mx", "st", "e.g", "i.e", "etc", "a.m", "p.m", "approx", "cllr", "prof", "rd"}
# These end a sentence unless a number follows: "No. 5", but "I said no. Then ..."
BEFORE_NUMBERS = {"no", "nos", "tel", "p", "pp", "vol", "ref"}
# A run of . ! ? is matched from its first character only, and never given back: tried from every
# character of a long run, each try reading to the run's end, splitting took quadratic time.
_BOUNDARY = re.compile(r"(?<![.!?])([.!?]++)([\"'”’)\]]*+)\s++(?=[\"'“‘(\[]?(?:[A-Z0-9£]|[^\W\d_a-z]))")
# a letter or digit of any script: "Wiśniewski", "Seán" and "café" are one word each
LETTER, ALNUM = r"[^\W\d_]", r"[^\W_]"
WORD = re.compile(rf"(?:{ALNUM}|£)(?:{ALNUM}|[£'’.:,-])*{ALNUM}|{ALNUM}|£")
# Unicode's default-ignorable code points: soft hyphens, zero-width and joining characters, direction marks,
# invisible operators, variation selectors, tags. They split a word without showing: "sign\u00adpost" is
# "signpost" to a reader, and must be to the rules too.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
                        "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
_NOT_ASCII_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*")

# titles before a name ("Mr Brooks", "Dr Price"): not a name of their own
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})


def normalise(text: str) -> str:
    """Text as a reader sees it, to judge: compatibility forms made plain (NFKC: "ﬁ" is "fi"), default-ignorable
    characters taken out, and a Latin word's look-alike letters from another script made the Latin letters they
    look like ("intеrventions" with a Cyrillic 'е' is "interventions"). What is written out is never changed."""
    if text.isascii():
        return text
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _NOT_ASCII_WORD.sub(lambda match: _as_latin(match.group(0)), text)


@lru_cache(maxsize=4096)
def _as_latin(word: str) -> str:
    """A word that is mostly Latin letters with some from another script that look like Latin ones (a Cyrillic 'е'),
    in Latin letters; any other word as it is ("Wiśniewski", "Привет")."""
    from confusable_homoglyphs import categories, confusables  # type: ignore[import-untyped]  # no type hints

    if not confusables.is_mixed_script(word) or not any(categories.alias(char) == "LATIN" for char in word):
        return word
    found = confusables.is_confusable(word, greedy=True, preferred_aliases=["latin"]) or []
    latin = {item["character"]: next((glyph["c"] for glyph in item["homoglyphs"]
                                      if len(glyph["c"]) == 1 and categories.alias(glyph["c"]) == "LATIN"), None)
             for item in found}
    return "".join(latin.get(char) or char for char in word)


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
