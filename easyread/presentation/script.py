"""The speech script: the Document as words to be spoken, the way a person would say them.

First the title, who it is from, how long it lasts and how many parts; then each section
with its heading. Money, times, phone numbers, acronyms and symbols are turned into
words ("120 pounds 50 pence", "half past 2 in the afternoon", "0 1 6 3 2, 9 6 0 ...").
Pictures' alt texts are not read out: the words beside them already say it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from easyread.document import (
    CONTACT_LABELS,
    WRITER_WORDS,
    Agreement,
    ContactCard,
    Document,
    Glossary,
    ListBlock,
    Quote,
    Section,
    Statement,
    Table,
    Visitor,
    filled,
    full_stop,
    plain,
)

PAUSE_BETWEEN_SECTIONS = 0.6  # seconds after a part, beside the pause after its last line


@dataclass
class Part:
    """One spoken part (an audio chapter): its title and its sentences."""

    title: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The words to synthesise, a line at a time."""
        return "\n".join(self.lines)

    @property
    def words(self) -> int:
        """How many words will be spoken."""
        return len(self.text.split())


@dataclass
class Script:
    """What is spoken: the introduction, then one part for each section."""

    title: str
    author: str
    opening: list[str]  # what the document says before its first section
    sections: list[Part]
    rate_wpm: int
    words: dict[str, str] = field(default_factory=lambda: dict(WRITER_WORDS))  # the Document's own words
    seconds: float | None = None  # the measured length, once synthesised

    @property
    def parts(self) -> list[Part]:
        """Every part in order, the introduction first."""
        return [self.introduction(), *self.sections]

    def introduction(self) -> Part:
        """The title, who it is from, how long it lasts and how many parts, then the opening lines."""
        seconds = self.seconds
        if seconds is None:  # an estimate from the speech rate, until the audio is measured
            words = sum(p.words for p in self.sections) + len(" ".join(self.opening).split()) + 25
            seconds = words / self.rate_wpm * 60
        minutes, count, own = round(seconds / 60), len(self.sections), self.words
        length = own["under_a_minute"] if minutes < 1 else own["a_minute"] if minutes == 1 \
            else filled(own["minutes"], minutes=minutes)
        parts = own["one_part"] if count == 1 else filled(own["parts"], count=count)
        lines = [say(f"{self.title}.")]
        if self.author:
            lines.append(say(filled(own["from"], author=self.author)))
        lines.append(filled(own["recording"], length=length, parts=parts))
        return Part(self.title, lines + self.opening)

    def text(self) -> str:
        """The whole script as plain text, a part at a time, for people to check."""
        return "\n\n".join(f"[{part.title}]\n{part.text}" for part in self.parts) + "\n"


def script(document: Document, rate_wpm: int) -> Script:
    """The speech script for a Document at a speech rate."""
    opening = [say(line.text) for line in document.cover.lines] if document.cover else []
    sections = []
    for block in document.blocks:
        if isinstance(block, Section):  # a part (an audio chapter) of its own
            sections.append(Part(block.title, _Said(document.words).visit(block)))
        else:
            opening += _Said(document.words).visit(block)
    return Script(document.title, document.author, opening, sections, rate_wpm, dict(document.words))


class _Said(Visitor[list[str]]):
    """Each block as the lines a voice says."""

    def __init__(self, words: dict[str, str]) -> None:
        self.words = words

    def statement(self, block: Statement) -> list[str]:
        return [say(block.text)]

    def quote(self, block: Quote) -> list[str]:
        return [say(block.text)]

    def listing(self, block: ListBlock) -> list[str]:
        return [say(item.text) for item in block.items]

    def table(self, block: Table) -> list[str]:
        # a cell at a time, each its own sentence: "What happens: ... your mum. Who helps: Marcus."
        return [say(block.sentences(row)) for row in block.rows]

    def glossary(self, block: Glossary) -> list[str]:
        return [say(f"{term.word}: {plain(term.meaning)}") for term in block.terms]

    def contact(self, block: ContactCard) -> list[str]:
        # "When:" reads oddly aloud
        first = [say(full_stop(self.words["emergency"]))] if block.emergency else []  # whom to ring: said first
        return [*first, *(say(("" if detail.key == "hours" else CONTACT_LABELS[detail.key]) + plain(detail.runs))
                          for detail in block.details)]

    def agreement(self, block: Agreement) -> list[str]:
        out = []
        if block.status:
            out.append(say(plain(block.status)))
        if block.comments:
            out.append(say((f"{block.said} " if block.said else "") + plain(block.comments)))
        if block.choices:
            texts = [choice.text for choice in block.choices]
            out.append(say((f"{block.choose} " if block.choose else "") + ", ".join(t.rstrip(".") for t in texts[:-1])
                           + (" or " if len(texts) > 1 else "") + texts[-1]))
        return out

    def section(self, block: Section) -> list[str]:
        return [say(full_stop(block.title)), *(line for lines in self.visit_all(block.blocks) for line in lines)]




# --- saying things the way a person would --------------------------------------------------------

_MONEY = re.compile(r"£(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{2})|\.(\d+)(?=k|m|bn))?(?:(k|m|bn)\b)?")  # "£5m": 5 million pounds
LARGE = {"k": "thousand", "m": "million", "bn": "billion"}
_TIME = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s?(am|pm|a\.m\.|p\.m\.)(?![a-z])", re.I)
_PHONE = re.compile(r"(?<![\d£])(?:\+44\s?|0)\d{2,4}(?:[ -]?\d{3,4}){1,3}(?![\d])")
_EMERGENCY = re.compile(r"\b(999|111|112)\b")
# a dose or a measurement, said in words: espeak-ng said "5 mg" as "five M G" (heard back as "5 mp"), and a
# person is told "5 milligrams"; "mg/kg" is "milligrams per kilogram"
UNITS = {"mg": "milligram", "mcg": "microgram", "µg": "microgram", "g": "gram", "kg": "kilogram", "ml": "millilitre",
         "l": "litre", "mm": "millimetre", "cm": "centimetre", "m": "metre", "km": "kilometre", "mmol": "millimole",
         "mph": "miles an hour", "mL": "millilitre"}
_UNITS = "|".join(sorted(UNITS, key=len, reverse=True))  # as written, in lower case: "5M" is no measurement
_UNIT = re.compile(rf"(?<![£\w.])(\d+(?:\.\d+)?)\s?({_UNITS})(?:/({_UNITS}))?(?![\w/])")
# How words are said, for both voices: the natural voice says "easy-read" as "easy red"
SPOKEN_AS = {"easy-read": "easy-reed", "easy read": "easy reed"}
_SPOKEN_AS = re.compile(r"\b(" + "|".join(map(re.escape, SPOKEN_AS)) + r")\b", re.I)
# a postcode, said a character at a time ("N M 1, 1 A A"), not as a word "nim one"
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) (\d[A-Z]{2})\b")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"\b(\d{{1,2}}) ({_MONTHS})\b")  # 25 November: said "the 25th of November", as people say it
_NHS_NUMBER = re.compile(r"(?<![\d£])\d{3} \d{3} \d{4}(?![\d])")  # 943 476 5919: said digit by digit, like a phone number
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = re.compile(r"\b(?:https?://)?(?:www\.)[\w.-]+(?:/\S*)?|\bhttps?://\S+")
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
SPOKEN_AS_WORDS = {"PIN", "PIP", "ESOL", "NATO", "AIDS", "COVID", "SCIE", "UNICEF", "OK"}
SPELLED = {"TV", "UK", "NHS", "GP", "AM", "PM", "ID", "OT", "PA", "CV", "DWP", "ASC", "BBC", "EU", "USA"}
COMMON_ZIPF = 4.0  # a word in capitals this common is a word written loudly ("talking TO me"), not letters
_REPLACE = {"&": " and ", "+": " plus ", "%": " percent", "=": " equals ", "@": " at ", "#": " hash "}  # "Press # to ..."
_NUMBER_SIGN = re.compile(r"#(\d)")
# a person's emoticons, said as what they are: "put :) at the end" is "put smiley face at the end"
EMOTICONS = {":)": "smiley face", ":-)": "smiley face", ":(": "sad face", ":-(": "sad face", ";)": "winking face",
             ";-)": "winking face", ":D": "laughing face", ":-D": "laughing face", ":P": "face with tongue out",
             ":p": "face with tongue out", ":-P": "face with tongue out", "<3": "heart"}
_EMOTICON = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(e) for e in sorted(EMOTICONS, key=len, reverse=True)) + r")(?![\w])")
_OPEN, _CLOSE = re.compile(r"[\[{]+"), re.compile(r"[\]}]+")  # said as round brackets: a pause, as a reader makes
_SILENT = re.compile(r"[<>*_|\\^~`]+")
# quotation marks are not said, and they change how the voice says the word beside them (hibari said the
# "I'm" of "“I'm Jordan." with another vowel); a person's quoted words are said as written, without them
_QUOTES = re.compile('["\u201c\u201d\u201e\u201f\u00ab\u00bb]')
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?)])")


def say_money(match: re.Match[str]) -> str:
    """An amount as said: "£27.40" is "27 pounds 40 pence", "£1.5m" "1.5 million pounds"."""
    if match.group(4):
        decimals = match.group(2) or match.group(3)
        return f"{match.group(1)}{'.' + decimals if decimals else ''} {LARGE[match.group(4)]} pounds"
    pounds = int(match.group(1).replace(",", ""))
    pence = int(match.group(2) or 0)
    words = []
    if pounds or not pence:
        words.append(f"{pounds} pound{'s' if pounds != 1 else ''}")
    if pence:
        words.append(f"{pence} pence")
    return " ".join(words)


def say_time(match: re.Match[str]) -> str:
    hour, minutes, half = int(match.group(1)), int(match.group(2) or 0), match.group(3).lower().replace(".", "")
    if hour > 12 or minutes > 59:
        return match.group(0)
    hour24 = hour % 12 + (12 if half == "pm" else 0)
    period = ("in the morning" if half == "am" else "in the afternoon" if hour24 < 17
              else "in the evening" if hour24 < 21 else "at night")
    if hour == 12 and minutes == 0 and half == "pm":
        return "12 noon"
    if minutes == 0:
        return f"{hour} {period}"
    if minutes == 15:
        return f"quarter past {hour} {period}"
    if minutes == 30:
        return f"half past {hour} {period}"
    if minutes == 45:
        return f"quarter to {hour % 12 + 1} {period}"
    return f"{minutes} minutes past {hour} {period}" if minutes < 30 else f"{60 - minutes} minutes to {hour % 12 + 1} {period}"


def say_capitals(match: re.Match[str]) -> str:
    """A word in capitals: an acronym letter by letter ("G P", "L U F C"), a word said as one ("PIN"), or a
    common word written loudly said as that word ("TO", "NOT", "STOP")."""
    from easyread.language.lexicon import zipf

    word = match.group(0)
    if word in SPOKEN_AS_WORDS:
        return word
    if word not in SPELLED and re.search("[AEIOUY]", word) and zipf(word.lower()) >= COMMON_ZIPF:  # "JR" has no vowel
        return word.lower()
    return " ".join(word)


def _keep_capital(written: str, said: str) -> str:
    return said[:1].upper() + said[1:] if written[:1].isupper() else said


def say_date(match: re.Match[str]) -> str:
    """A day and month as people say them: "the 25th of November" (an engine says "25 November" as a number)."""
    day = int(match.group(1))
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"the {day}{suffix} of {match.group(2)}"


def say_digits(match: re.Match[str]) -> str:
    groups = re.split(r"[ -]+", match.group(0).replace("+44", "+44 ").strip())
    return ", ".join(" ".join("plus" if ch == "+" else ch for ch in group) for group in groups if group)


def say_unit(match: re.Match[str]) -> str:
    """A measurement as said: "5mg" is "5 milligrams", "1 ml" "1 millilitre", "2 mg/kg" "2 milligrams per kilogram"."""
    number, unit, per = match.group(1), UNITS[match.group(2)], match.group(3)
    said = unit if number == "1" or unit.endswith("hour") else f"{unit}s"
    return f"{number} {said}" + (f" per {UNITS[per]}" if per else "")


def say(text: str) -> str:
    """A line of text as a person would say it aloud: the words as written, never double punctuation."""
    # invisible format characters go first: a direction override (U+202E) or a zero-width space inside
    # a phone number would stop it being read as one, and none of them is ever spoken
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFKC", text)
    text = _EMAIL.sub(lambda m: m.group(0).replace("@", " at ").replace(".", " dot "), text)
    text = _URL.sub(lambda m: re.sub(r"^https?://", "", m.group(0)).rstrip("/").replace(".", " dot ").replace("/", " slash "),
                    text)
    text = _EMOTICON.sub(lambda m: f" {EMOTICONS[m.group(0)]} ", text)  # before brackets: ":)" holds one
    text = _MONEY.sub(say_money, text)
    text = _TIME.sub(say_time, text)
    text = _DATE.sub(say_date, text)
    text = _SPOKEN_AS.sub(lambda m: _keep_capital(m.group(0), SPOKEN_AS[m.group(0).lower()]), text)
    text = _POSTCODE.sub(lambda m: f"{' '.join(m.group(1))}, {' '.join(m.group(2))}", text)
    text = _NHS_NUMBER.sub(say_digits, text)
    text = _PHONE.sub(say_digits, text)
    text = _EMERGENCY.sub(lambda m: " ".join(m.group(1)), text)
    text = _UNIT.sub(say_unit, text)
    text = _NUMBER_SIGN.sub(r"number \1", text)
    text = _CLOSE.sub(")", _OPEN.sub("(", text))
    text = _QUOTES.sub(" ", text)
    text = _SILENT.sub(" ", text)  # before acronyms: "JR_LUFC" is two, each said letter by letter
    text = _ACRONYM.sub(say_capitals, text)
    for sign, words in _REPLACE.items():
        text = text.replace(sign, words)
    # emoji and pictographs are not said
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Cs", "Co", "Cn", "Sk"))
    text = " ".join(text.split()).replace("( ", "(")
    text = _SPACE_BEFORE.sub(r"\1", text)
    return re.sub(r"([.?!])[.,;:]+(?=\s|$)", r"\1", text)  # "mum.," or "plan?." never reach the voice
