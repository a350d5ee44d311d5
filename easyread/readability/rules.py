"""Readability rules: each a small named unit with an id, settings from the profile, and a fix.

A rule sees the whole text (every sentence with its source, and the glossary), so it
can tell whether a hard word is explained in the next sentence or in "Words to know".
Its severity (refuse / warn / off) and thresholds come from the profile, never from
code; the person's own words are only ever noted, never refused.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from easyread.inputs.profile import RuleSettings
from easyread.language import lexicon
from easyread.language.sentences import LETTER, TITLES, normalise, words
from easyread.readability.report import Finding, Location, Scores


@dataclass
class Sentence:
    """A sentence to judge: its text, where it came from, and whether it is the person's own words."""

    text: str
    source: Location
    own_words: bool = False
    block: int = 0  # sentences of the same statement (paragraph) share a block number
    position: int = -1  # where it is in the text, for ordering findings
    template_text: bool = True  # some of it is a template's own wording (not only plan values)
    field_text: str = ""  # the part of it that is a plan field's wording (not a name, not the template's)
    unnamed_text: str | None = None  # all of it but the plan's names of people and organisations (None: no names known)

    def __post_init__(self) -> None:
        self.text = normalise(self.text)  # "sign\u00adpost" is judged as the "signpost" a reader sees

    @cached_property
    def words(self) -> list[str]:
        """The sentence's words."""
        return words(self.text)


_TERM = rf"{LETTER}[\w'’-]*(?: {LETTER}[\w'’-]*){{0,3}}"
_DEFINES = re.compile(
    rf"^(?:what is |what are )?(?:an? |the )?({_TERM}?)(?:\s*\([^)]*\))?"
    # "X is a ...", "X is when ...", "X means ...": not "X is poor" or "X is high", which say how it is, not what
    r"\s+(?:means|is called|(?:is|are)\s+(?:an?|the|when|where|what|how|someone|something|somewhere|money|people|"
    r"help|support|care|things?|ways?|one|some|any|your|our|my|their)\b)",
    re.I,
)
# "We call this 'X'", "This is called X", "known as X"
_CALLED = re.compile(rf"\b(?:called|known as|we call (?:this|these|that|them|it))\s+['‘\"“]?(?:an? |the )?({_TERM})", re.I)
# a line that is a definition, as in a glossary: "Stakeholders - someone who ...", "Advocate: a person who ..."
_GLOSSED = re.compile(rf"^({_TERM})\s*(?:\([^)]*\))?\s*(?: [-–—] |: )\s*\S", re.I)


@dataclass
class Text:
    """Everything a rule may look at: the sentences in order, and the words explained in a glossary."""

    sentences: list[Sentence]
    glossary: set[str] = field(default_factory=set)
    profile: str = ""
    known_names: set[str] = field(default_factory=set)
    person: tuple[str, ...] = ()  # how the person's name may be written: "Margaret", "Mr Brooks"
    addressed: bool = False  # the text speaks to the person as "you" (a plan, review or letter; see Document.addressed)
    own_voice: bool = False  # the text is the person speaking ("I", "me": a one-page profile, a hospital passport)
    pictures: tuple[str, ...] = ()  # the picture beside each line, heading and card that has one, in order
    people_items: frozenset[str] = frozenset()  # the parts of the plan that are a person ("carers[0]", a card)
    who_items: frozenset[str] = frozenset()  # the parts of the plan that name who does them (a step's "who")
    pronouns: str | None = None  # the person's recorded pronouns ("he/him"), when the plan gives them

    @cached_property
    def names(self) -> set[str]:
        """Names: words written with a capital in the middle of a sentence somewhere, and known names."""
        found = {n.lower() for n in self.known_names}
        for sentence in self.sentences:
            tokens = [match.group(0) for match in _WORD.finditer(sentence.text)]
            for number, token in enumerate(tokens):
                capital = token[0].isupper() and not token.isupper()
                # mid-sentence, or first with a capitalised word after it: "Kusum Patel will visit you."
                if capital and (number or (len(tokens) > 1 and tokens[1][0].isupper() and not tokens[1].isupper())):
                    found.add(lexicon.normalise(token))
        return found

    @cached_property
    def lower_words(self) -> set[str]:
        """Every word the text writes small somewhere: a common word, even where a sentence starts with it."""
        return {match.group(0) for sentence in self.sentences for match in _WORD.finditer(sentence.text)
                if match.group(0).islower()}

    @cached_property
    def defined_words(self) -> set[str]:
        """Every word of every phrase the text names as a term ("We call these 'adults with incapacity'"
        explains "incapacity"); not of any "X is ..." sentence, which may say nothing about X's words."""
        return {word for phrase in self._phrases(_CALLED, _GLOSSED) for word in phrase.split()}

    @cached_property
    def defined(self) -> set[str]:
        """Words the text explains somewhere: in its glossary, or in a sentence like "A direct payment is money ..."."""
        return {g.lower() for g in self.glossary} | self._phrases(_DEFINES, _CALLED, _GLOSSED)

    def _phrases(self, *patterns: re.Pattern[str]) -> set[str]:
        found = set()
        for sentence in self.sentences:
            for pattern in patterns:
                if match := pattern.search(sentence.text):
                    found.add(match.group(1).lower().strip("'’\"”"))
        return found

    @cached_property
    def initials(self) -> str:
        """The first letters of each sentence's capitalised words, in order ("." for any other word; "|"
        between sentences), so "National Care Service" gives "ncs": found once, for every acronym."""
        return "|".join("".join(word[0].lower() if word[0].isupper() else "." for word in _WORD.findall(sentence.text)
                                if word.lower() not in _SMALL_WORDS) for sentence in self.sentences)

    def following(self, index: int) -> Sentence | None:
        """The sentence after `index`, if any."""
        return self.sentences[index + 1] if index + 1 < len(self.sentences) else None


_CUE = re.compile(
    r"\b(means?|meaning|is when|is where|is someone|are people|is a|is an|is the|is money|are things|"
    r"helps?|lets|checks|looks after|pays)\b", re.I
)
_REFERS_BACK = re.compile(r"^(this|that|it|they|these|he|she|a|an|the)\b", re.I)


def _forms(term: str) -> set[str]:
    term = term.lower()
    return {term, term + "s", term + "es", term[:-1] if term.endswith("s") else term}


# No word is longer: a longer "term" (a field of one 20,000-letter word) is not explained, and is
# never compiled into a pattern (patterns with a 10 MB word inside took minutes and gigabytes).
_LONGEST_TERM = 64


@lru_cache(maxsize=1024)
def _explaining(term: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The patterns that find a term explained beside it, at the start of its sentence, or mentioned: compiled once."""
    escaped = re.escape(term)
    return (
        re.compile(rf"\b{escaped}\w*+\s*(\(|,? which means|, or\b| - | – )|\(\s*{escaped}(?:['’]?s)?\s*\)"
                   rf"|\b(called|known as)\s+(an?\s+|the\s+)?{escaped}", re.I),
        re.compile(rf"(an?\s+|the\s+|your\s+)?{escaped}\b", re.I),
        re.compile(rf"\b{escaped}", re.I),
    )


def explained(term: str, index: int, text: Text, *, strictly: bool = False) -> bool:
    """True if `term` is defined in the text (glossary, "X is ..."), or explained where it is used or next.

    `strictly`: only a definition or an explanation beside the term counts, not a next sentence that
    merely helps ("The council will help with this." does not explain "domiciliary care").
    """
    forms = _forms(term)
    if forms & text.defined or (" " not in term and forms & text.defined_words):
        return True
    if len(term) > _LONGEST_TERM:
        return False
    beside, first, mentioned = _explaining(term)
    here = text.sentences[index].text
    if beside.search(here):
        return True
    if strictly:
        return False
    after = text.following(index)
    if _CUE.search(here) and first.match(here):
        return True  # this sentence is the explanation: "An advocate helps you have your say."
    return bool(after and _CUE.search(after.text) and (mentioned.search(after.text) or _REFERS_BACK.match(after.text)))


class Rule:
    """A readability rule; subclasses judge one sentence, or override `check` for the whole text."""

    id = ""

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        """Every finding of this rule in the text."""
        for index, sentence in enumerate(text.sentences):
            yield from self.judge(sentence, index, text, settings)

    def judge(self, sentence: Sentence, index: int, text: Text, settings: Settings) -> Iterator[Finding]:
        """Findings for one sentence."""
        return iter(())

    def finding(self, sentence: Sentence, level: str, message: str, fix: str, *,
                numbers: dict[str, int | float | Decimal] | None = None, words: Iterable[str] = ()) -> Finding:
        """A finding, noted only (never refused) when the sentence is the person's own words."""
        if sentence.own_words:
            level, fix = "note", "these are the person's own words: keep them as they are"
        return Finding(rule=self.id, level=level, sentence=sentence.text, source=sentence.source,  # type: ignore[arg-type]
                       message=message, fix=fix, numbers={k: _plain(v) for k, v in (numbers or {}).items()},
                       words=tuple(words), position=sentence.position)


def _plain(value: int | float | Decimal) -> int | float:
    # profile thresholds are read as Decimal ("0.15"), which JSON cannot write
    return value if isinstance(value, int) else float(value)


WHOLE_TEXT = Location()  # findings about the whole text have no one place
THE_WHOLE_TEXT = Sentence(text="(the whole text)", source=WHOLE_TEXT)  # what such a finding is about


def too_many(rule: Rule, found: list[Finding], text: Text, settings: Settings, message: str, fix: str,
             numbers: dict[str, int | float | Decimal]) -> list[Finding]:
    """The findings with their warnings made refusals, after one finding for the whole text that says why:
    for rules where one or two only warn but many refuse."""
    level = settings["severity"]
    summary = rule.finding(THE_WHOLE_TEXT, level, message, fix, numbers=numbers)
    return [summary, *(replace(f, level=level) if f.level == "warn" else f for f in found)]


def judged_words(text: Text) -> int:
    """How many words the text has, not counting the person's own."""
    return sum(len(s.words) for s in text.sentences if not s.own_words)


def too_often(count: int, text: Text, settings: Settings, least: int) -> bool:
    """True when something happens more than `max_per_100` times in every 100 words (and `min_count`
    times, `least` unless the profile says): so a long text is judged as fairly as a short one."""
    limit, words = setting(settings, "max_per_100"), judged_words(text)
    return (limit is not None and words > 0 and count >= setting(settings, "min_count", least)
            and count * 100 / words > limit)


Settings = dict[str, Any]  # a rule's settings from the profile: "severity" and its thresholds


def settings_for(rule_settings: RuleSettings) -> Settings:
    """A rule's profile settings as a plain dict (read many times in the hot loop)."""
    return {**(rule_settings.model_extra or {}), "severity": rule_settings.severity}


def setting(settings: Settings, name: str, default: Any = None) -> Any:
    """A threshold from the profile's settings for a rule."""
    return settings.get(name, default)


# --- sentence length --------------------------------------------------------------------

# Words that start a new clause wherever they are; "and", "or", "but", "so" and "then" join two
# clauses only when a subject follows ("and we will ..."): otherwise they join two words, as in
# "regain or maximise" or "washing, dressing and eating", which must never be cut apart.
_CLAUSE_WORDS = ("because", "which", "when", "while", "if", "who", "until", "although", "so that")
_JOINING_WORDS = ("and", "but", "so", "or", "then")
_PUNCTUATION = ".,;:!?\"'’“”()[]"
_SUBJECTS = frozenset("i you he she it we they this that there these those your my our his her their the a an "
                      "someone people staff everyone".split())


def split_hint(sentence: str) -> str:
    """Where to split a long sentence: between two clauses, as near its middle as can be; never inside a list."""
    tokens = sentence.split()
    middle = len(tokens) / 2
    best: tuple[float, str] | None = None
    for index, token in enumerate(tokens[2:-3], start=2):
        bare = token.lower().strip(_PUNCTUATION)
        following = tokens[index + 1].lower().strip(_PUNCTUATION)
        if bare in _CLAUSE_WORDS or (bare in _JOINING_WORDS and following in _SUBJECTS):
            candidate = (abs(index - middle), f"split it into 2 sentences before '{token.strip(',;')} {tokens[index + 1]}'")
        elif token.endswith((",", ";")) and _clause_after(tokens, index + 1):
            candidate = (abs(index + 1 - middle), f"split it into 2 sentences after '{token.rstrip(',;')}'")
        else:
            continue
        if best is None or candidate[0] < best[0]:
            best = candidate
    return best[1] if best else "say it in 2 or more short sentences, one idea in each"


def _clause_after(tokens: list[str], start: int) -> bool:
    """True when the words after a comma run on for 4 or more before the next comma or "and"/"or" (not a list)."""
    count = 0
    for token in tokens[start:]:
        if token.lower() in ("and", "or") and count < 4:
            return False
        count += 1
        if token.endswith((",", ";")) or count >= 4:
            break
    return count >= 4


class SentenceLength(Rule):
    """Long sentences: one far over the line is refused, and so are many over it; one or two only warn."""

    id = "sentence-length"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        found = list(super().check(text, settings))
        counted = [s for s in text.sentences if s.words and not s.own_words]
        long_over, max_share = setting(settings, "long_over"), setting(settings, "max_long_share")
        enough = len(counted) >= setting(settings, "min_sentences", 6)
        if long_over is not None and max_share is not None and enough:
            long = [s for s in counted if len(s.words) > long_over]
            if len(long) > max_share * len(counted):
                positions = {s.position for s in long}
                found = [f for f in found if f.position not in positions or f.level != "warn"] + too_many(
                    self, [f for f in found if f.position in positions and f.level == "warn"], text, settings,
                    f"{len(long)} of {len(counted)} sentences are over {long_over} words; "
                    f"{text.profile} allows at most {_share(max_share)} of them",
                    "split the long sentences listed here, one idea in each",
                    {"long": len(long), "sentences": len(counted), "over": long_over, "limit": max_share})
        max_spread = setting(settings, "max_spread")
        # not headings and labels, nor the longest sentence: one long sentence is judged on its own, above
        lengths = sorted(len(s.words) for s in counted if len(s.words) >= 3)[:-1]
        # a spread means something only over many sentences: 2 long among 4 short is the long share's to judge
        if max_spread is not None and len(lengths) >= setting(settings, "min_spread_sentences", 10):
            spread = statistics.pstdev(lengths)
            if spread > max_spread:  # short on average, but with long ones among them: plain English, not easy read
                yield self.finding(THE_WHOLE_TEXT, settings["severity"],
                                   f"sentence lengths vary a lot (by {spread:.1f} words either side of "
                                   f"{statistics.fmean(lengths):.0f}, leaving out the longest); {text.profile} keeps "
                                   f"every sentence short, within {max_spread}",
                                   "split the longest sentences, one idea in each",
                                   numbers={"spread": round(spread, 1), "sentences": len(lengths), "limit": max_spread})
        max_average = setting(settings, "max_average")
        average = sum(len(s.words) for s in counted) / len(counted) if counted else 0.0
        if max_average is not None and enough and average > max_average:
            yield self.finding(THE_WHOLE_TEXT, settings["severity"],
                               f"{average:.1f} words a sentence on average; {text.profile} needs {max_average} or fewer",
                               "split the longest sentences",
                               numbers={"average": round(average, 1), "sentences": len(counted), "limit": max_average})
        yield from found

    def judge(self, sentence: Sentence, index: int, text: Text, settings: Settings) -> Iterator[Finding]:
        count = len(sentence.words)
        refuse_over, warn_over = setting(settings, "refuse_over"), setting(settings, "warn_over")
        if refuse_over is not None and count > refuse_over:
            level, limit = settings["severity"], refuse_over
            message = f"{count} words; {text.profile} refuses a sentence over {refuse_over}"
        elif warn_over is not None and count > warn_over:
            level, limit = "warn", warn_over
            message = f"{count} words; {text.profile} asks for {warn_over} or fewer"
        else:
            return
        yield self.finding(sentence, level, message, split_hint(sentence.text), numbers={"words": count, "limit": limit})


def _share(fraction: float) -> str:
    """0.33 as "1 in 3", 0.25 as "1 in 4", 0.4 as "40%"."""
    whole = round(1 / float(fraction)) if fraction else 0
    return f"1 in {whole}" if whole and abs(1 / whole - float(fraction)) < 0.02 else f"{float(fraction):.0%}"


# --- one idea per sentence ----------------------------------------------------------------

_JOINS = re.compile(
    r"(;|,\s*(and|but|so|or|then|which|who|where)\b|\b(because|although|though|whereas|unless|whilst|while|"
    r"however|therefore|whether|which|so that|as well as|in order to|as long as)\b)",
    re.I,
)


class OneIdea(Rule):
    """Sentences that join several ideas (several main verbs) together."""

    id = "one-idea"

    def judge(self, sentence: Sentence, index: int, text: Text, settings: Settings) -> Iterator[Finding]:
        joins = [m.group(0).strip(" ,") for m in _JOINS.finditer(sentence.text)]
        count = len(sentence.words)
        if len(joins) >= setting(settings, "max_joins", 1) + 1 or (joins and count > setting(settings, "long_words", 12)):
            first = joins[0] or ";"
            fix = (f"end the sentence before '{first}' and start a new one" if first != ";"
                   else "end the sentence at the ';' and start a new one")
            yield self.finding(sentence, settings["severity"],
                               f"{len(joins) + 1} ideas joined by {', '.join(repr(j or ';') for j in joins)}", fix,
                               numbers={"ideas": len(joins) + 1, "words": count}, words=[j or ";" for j in joins])


# --- hard and rare words, jargon, acronyms ---------------------------------------------

_WORD = re.compile(rf"{LETTER}(?:{LETTER}|['’-])*{LETTER}")


def _is_name(token: str, start: bool, following: str, text: Text) -> bool:
    # Capitalised words are names (people, places, services), not hard words: mid-sentence
    # always; at the start when the text uses them as names elsewhere or a name follows.
    if not token[0].isupper():
        return False
    return not start or lexicon.normalise(token) in text.names or following[:1].isupper()


class HardWords(Rule):
    """Rare, long words that are not explained."""

    id = "hard-words"

    def judge(self, sentence: Sentence, index: int, text: Text, settings: Settings) -> Iterator[Finding]:
        rare = _rare_words(sentence.text, setting(settings, "max_zipf", 3.0), setting(settings, "very_rare_zipf", 2.0),
                           setting(settings, "min_syllables", 3))
        for token, bare, frequency, count, first, following in rare:
            if _is_name(token, first, following, text):
                continue
            if not explained(bare, index, text):
                yield self.finding(
                    sentence, setting(settings, "each", "warn"),
                    f"'{token}' is a rare word (frequency {frequency:.1f}; {count} syllables)",
                    f"use an everyday word instead of '{token}', or explain it in the next sentence or in Words to know",
                    numbers={"zipf": round(frequency, 1), "syllables": count, "unexplained": 1}, words=[token],
                )


@lru_cache(maxsize=8192)
def _rare_words(sentence: str, max_zipf: float, very_rare: float, min_syllables: int
                ) -> tuple[tuple[str, str, float, int, bool, str], ...]:
    """The rare words of a sentence, each once: (token, bare word, familiarity, syllables, first in the
    sentence, the word after it). Remembered by sentence: a plan says "Who: Kim" many times."""
    found = []
    seen: set[str] = set()
    tokens = [m.group(0) for m in _WORD.finditer(sentence)]
    for number, token in enumerate(tokens):
        bare = lexicon.normalise(token)
        if bare in seen or len(bare) < 4 or _ACRONYM.fullmatch(token) or bare in _jargon_words():
            continue
        seen.add(bare)
        # two signals before a word is hard: rare in every form of it (its stem, its other spelling,
        # not a curated everyday word), and long (or so rare that even a 2-syllable word is hard)
        frequency = lexicon.familiarity(bare)
        count = lexicon.syllables(bare)
        if frequency < max_zipf and (count >= min_syllables or frequency < very_rare and count >= 2):
            found.append((token, bare, frequency, count, number == 0, tokens[number + 1] if number + 1 < len(tokens) else ""))
    return tuple(found)


@dataclass(frozen=True)
class Jargon:
    """A jargon term, its plain alternative, and whether it may stay when explained."""

    term: str
    plain: str
    explain_ok: bool


@lru_cache(maxsize=1)
def jargon_list() -> tuple[Jargon, ...]:
    """The shipped social-care jargon list."""
    from easyread.inputs.loader import read_yaml

    text = resources.files(__package__).joinpath("jargon.yaml").read_text(encoding="utf-8")
    return tuple(Jargon(**entry) for entry in read_yaml(text))


_TERM_TOKEN = re.compile(rf"{LETTER}(?:{LETTER}|['’])*")


def _term_tokens(text: str) -> tuple[str, ...]:
    return tuple(t.lower().replace("’", "'") for t in _TERM_TOKEN.findall(text))


@lru_cache(maxsize=1)
def _jargon_index() -> dict[str, list[tuple[tuple[str, ...], Jargon]]]:
    """Terms by their first word, longest first: matching is a dict lookup per word, not a huge regex."""
    index: dict[str, list[tuple[tuple[str, ...], Jargon]]] = {}
    for entry in jargon_list():
        tokens = _term_tokens(entry.term)
        index.setdefault(tokens[0], []).append((tokens, entry))
    for candidates in index.values():
        candidates.sort(key=lambda c: len(c[0]), reverse=True)
    return index


def _same_word(found: str, term: str) -> bool:
    return found == term or found in (term + "s", term + "es")


def find_jargon(sentence: str) -> tuple[tuple[str, Jargon], ...]:
    """Each jargon term in a sentence (as written there), with its entry; plurals match too."""
    return _jargon_in(sentence)


@lru_cache(maxsize=8192)
def _jargon_in(sentence: str) -> tuple[tuple[str, Jargon], ...]:
    return tuple(_find_jargon(sentence))


def _find_jargon(sentence: str) -> Iterator[tuple[str, Jargon]]:
    index = _jargon_index()
    matches = list(_TERM_TOKEN.finditer(sentence))
    tokens = [m.group(0).lower().replace("’", "'") for m in matches]
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token not in index and token[:-1] not in index and token[:-2] not in index:
            position += 1  # most words start no term: a quick look
            continue
        for key in (token, token[:-1], token[:-2]):
            found = next(((words, entry) for words, entry in index.get(key, ())
                          if len(words) <= len(tokens) - position
                          and all(a == b for a, b in zip(tokens[position:position + len(words) - 1], words[:-1]))
                          and _same_word(tokens[position + len(words) - 1], words[-1])), None)
            if found:
                words, entry = found
                yield sentence[matches[position].start():matches[position + len(words) - 1].end()], entry
                position += len(words) - 1
                break
        position += 1


@lru_cache(maxsize=None)
def _term_zipf(term: str) -> float:
    """How common a term is: as common as its rarest word."""
    return min(lexicon.zipf(word) for word in _term_tokens(term))


@lru_cache(maxsize=1)
def _jargon_words() -> frozenset[str]:
    # every word of every term: the jargon rule judges them, so hard-words need not
    return frozenset(word for j in jargon_list() for word in _term_tokens(j.term))


class JargonRule(Rule):
    """Social-care jargon that has a plain alternative; many different terms refuse even when each only warns."""

    id = "jargon"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        found = list(super().check(text, settings))
        terms = {f.words[0].lower() for f in found if f.level == "warn"}
        if too_often(len(terms), text, settings, least=5):
            found = too_many(self, found, text, settings,
                             f"{len(terms)} different social-care terms: more than {settings['max_per_100']} in every 100 words",
                             "say most of them in everyday words; explain the few the person needs to know",
                             {"terms": len(terms), "words": judged_words(text), "limit": settings["max_per_100"]})
        yield from found

    def judge(self, sentence: Sentence, index: int, text: Text, settings: Settings) -> Iterator[Finding]:
        for found, entry in find_jargon(sentence.text if sentence.unnamed_text is None else sentence.unnamed_text):
            fix = f"say '{entry.plain}' instead of '{found}'"
            if explained(entry.term, index, text, strictly=not entry.explain_ok):
                if entry.explain_ok:
                    continue  # a term of art the person will meet again, explained here: as it should be
                level = setting(settings, "explained", "warn")  # explained, but there are plainer words
            elif entry.explain_ok:
                fix += f", or explain '{found}' in the next sentence or in Words to know"
                level = setting(settings, "unexplained_terms", "warn")
            elif _term_zipf(entry.term) >= setting(settings, "common_zipf", 99):
                # a formal but everyday word ("provide", "ensure"): better replaced, not a reason to refuse
                level = setting(settings, "common_words", "warn")
            else:
                level = settings["severity"]  # professional jargon, unexplained: the reader cannot know it
            if level != "off":
                yield self.finding(sentence, level, f"'{found}' is social-care jargon", fix, words=[found])


_ACRONYM = re.compile(r"\b(?=[A-Za-z]*[A-Z][A-Za-z]*[A-Z])[A-Z][A-Za-z]{1,7}\b")
_CAMEL_CASE = re.compile(r"[A-Z]?[a-z]+[A-Z][a-z]")  # WhatsApp, YouTube, iPad: names, not acronyms
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "to", "with", "at", "by", "a"})


def _spelled_out(acronym: str, text: Text) -> bool:
    """True when the text writes the acronym's words in full somewhere ("National Care Service" for NCS)."""
    return len(acronym) >= 2 and acronym.lower() in text.initials


class Acronyms(Rule):
    """Acronyms that are not spelt out or explained where they are first used."""

    id = "acronyms"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        allowed = {a.upper() for a in setting(settings, "allowed", [])}
        common_zipf = setting(settings, "word_zipf", 3.8)
        seen: set[str] = set()
        for index, sentence in enumerate(text.sentences):
            if sentence.text.isupper():
                continue  # a line in capitals is a heading style, not an acronym
            for match in _ACRONYM.finditer(sentence.text):
                acronym = match.group(0)
                if _CAMEL_CASE.search(acronym):
                    continue  # a name written in CamelCase
                single = acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym  # GPs
                if (single.upper() in allowed or single in seen or single.isupper() and len(sentence.words) == 1
                        or lexicon.zipf(single.lower()) >= common_zipf):  # used as a word: COVID, NOT, FREE
                    continue
                before = sentence.text[:match.start()].split()
                if before and before[-1][:1].isupper() and len(before) > 1 and len(single) <= 4:
                    continue  # letters after a name: "Lord Scott KC", "Jo Brown OBE"
                seen.add(single)
                if not (explained(single, index, text) or _spelled_out(single, text)):
                    yield self.finding(sentence, setting(settings, "each", "warn"), f"'{single}' is an acronym",
                                       f"write the words in full, or explain '{single}' where it is first used",
                                       words=[single], numbers={"unexplained": 1})


# --- words written in full ----------------------------------------------------------------

_CONTRACTION = re.compile(r"\b(?:[A-Za-z]+n['’]t"
                          r"|(?:I|you|we|they|he|she|it|that|there|who|what|here|where)['’](?:re|ll|ve|d|m|s))\b", re.I)


class Contractions(Rule):
    """Short forms such as "you'll" and "don't": easy read writes the words in full ("you will", "do not").

    One or two only warn; more than `max_per_100` in every 100 words refuses.
    """

    id = "contractions"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        found = []
        for sentence in text.sentences:
            if "'" not in sentence.text and "’" not in sentence.text:
                continue  # most sentences: no need to search them
            for match in _CONTRACTION.finditer(sentence.text):
                short = match.group(0)
                found.append(self.finding(sentence, "warn", f"'{short}' is a short form",
                                          f"write the words in full: '{_in_full(short)}'", words=[short]))
        counted = [f for f in found if f.level != "note"]  # the person's own short forms are theirs: never counted
        if too_often(len(counted), text, settings, least=2):
            found = too_many(self, found, text, settings,
                             f"{len(counted)} short forms such as '{counted[0].words[0]}': "
                             f"more than {settings['max_per_100']} in every 100 words",
                             "write each one in full ('you will', 'do not')",
                             {"short_forms": len(counted), "words": judged_words(text), "limit": settings["max_per_100"]})
        yield from found


class Semicolons(Rule):
    """Semicolons, which join two sentences into one: one warns, more than `max_count` refuse."""

    id = "semicolons"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        found = [self.finding(sentence, "warn", "a semicolon joins two sentences into one",
                              "end the sentence at the ';' and start a new one", words=[";"])
                 for sentence in text.sentences for _ in range(sentence.text.count(";"))]
        limit = setting(settings, "max_count")
        counted = [f for f in found if f.level != "note"]  # the person's own semicolons are theirs: never counted
        if limit is not None and len(counted) > limit:
            found = too_many(self, found, text, settings, f"{len(counted)} semicolons; {text.profile} allows {limit}",
                             "end each sentence at its ';' and start a new one", {"semicolons": len(counted), "limit": limit})
        yield from found


_FULL = {"n't": " not", "'re": " are", "'ll": " will", "'ve": " have", "'d": " would", "'m": " am", "'s": " is"}
_IRREGULAR_NOT = {"won't": "will not", "can't": "cannot", "shan't": "shall not", "ain't": "is not"}


def _in_full(short: str) -> str:
    straight = short.replace("’", "'")
    if straight.lower() in _IRREGULAR_NOT:
        return _IRREGULAR_NOT[straight.lower()]
    for ending, full in _FULL.items():
        if straight.lower().endswith(ending):
            return straight[: -len(ending)] + full
    return straight


# --- how many words are left unexplained --------------------------------------------------

_COUNTED = ("hard-words", "acronyms")


class UnexplainedWords(Rule):
    """Too many rare words and acronyms left unexplained: more than `max_per_100` different ones in every
    100 words (and at least `min_count`). Each is found, and warned about, by its own rule."""

    id = "unexplained-words"

    def tally(self, findings: list[Finding], text: Text, settings: Settings) -> list[Finding]:
        """The findings, with those words' warnings made refusals after one finding that says why, if too many."""
        counted = [f for f in findings if f.rule in _COUNTED and f.numbers.get("unexplained") and f.level == "warn"]
        different = sorted({w.lower() for f in counted for w in f.words})
        if not too_often(len(different), text, settings, least=2):
            return findings
        listed = ", ".join(different[:8]) + (" ..." if len(different) > 8 else "")
        (summary,) = too_many(self, [], text, settings,
                              f"{len(different)} different hard words or acronyms are not explained ({listed}): "
                              f"more than {settings['max_per_100']} in every 100 words",
                              "use everyday words, or explain each one where it is first used or in Words to know",
                              {"unexplained": len(different), "words": judged_words(text), "limit": settings["max_per_100"]})
        refused = {id(f) for f in counted}
        return [replace(summary, words=tuple(different)),
                *(replace(f, level=summary.level) if id(f) in refused else f for f in findings)]


UNEXPLAINED_WORDS = UnexplainedWords()


# --- grammar ------------------------------------------------------------------------------

_PARTICIPLE_EXCEPTIONS = {
    "tired", "worried", "interested", "bored", "scared", "pleased", "married", "supposed", "used", "based",
    "excited", "annoyed", "upset", "allowed", "involved", "needed", "called", "concerned", "confused",
    "frightened", "disabled", "retired", "prepared", "qualified", "related", "registered", "satisfied",
    "shared", "surprised", "tied", "ashamed", "engaged", "finished", "closed", "open", "dressed",
}
_BEFORE_TO = {"determined", "committed", "motivated", "inclined"}  # adjectives before "to" ("determined to walk")
_IRREGULAR = (
    "given|taken|made|done|seen|known|told|paid|sent|kept|held|brought|bought|found|left|built|written|"
    "shown|chosen|spent|set|put|met|read|heard|said|sold|taught|thought|understood|won|run|begun|drawn|"
    "driven|eaten|fallen|forgotten|hidden|hurt|lost|meant|caught|fed|led|lent|shut|spoken|stolen|sung|woken"
)
_PASSIVE = re.compile(rf"\b(am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(?:not\s+)?(\w+ed|{_IRREGULAR})\b", re.I)


class PassiveVoice(Rule):
    """Passive sentences ("you will be contacted"), which hide who does what."""

    id = "passive-voice"

    def judge(self, sentence: Sentence, index: int, text: Text, settings: Settings) -> Iterator[Finding]:
        for match in _PASSIVE.finditer(sentence.text):
            if match.group(2).lower() in _PARTICIPLE_EXCEPTIONS:
                continue
            if match.group(2).lower() in _BEFORE_TO and sentence.text[match.end():].lstrip().lower().startswith("to "):
                continue  # "You are determined to walk again": how someone is, not what is done to them
            yield self.finding(sentence, settings["severity"], f"passive: '{match.group(0)}'",
                               "say who does it: 'we will ring you', not 'you will be rung'", words=[match.group(0)])
            return


# --- numbers --------------------------------------------------------------------------------

_NUMBER_WORDS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million"
).split()
_NUMBER_WORD = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})\b", re.I)
_SMALL_NUMBERS = set(_NUMBER_WORDS[:9])  # two to ten
_PROPORTION = re.compile(
    r"(\d\s*%|\bper\s?cent\b|[½¼¾⅓⅔]|(?<![/\d])\d+/\d+(?![/\d])|\b\d+\s+(in|out of)\s+(every\s+)?\d+\b)",
    re.I,
)
# fractions in words, which people can picture ("half of them") better than "47%": a warning only
# "a third", never "a third-party company" or "a half-day"
_PROPORTION_WORDS = re.compile(r"\b((a|one|two|three)\s+(half|third|quarter|fifth)s?\b(?!-)|\bhalf of\b)", re.I)
_MAYBE_PROPORTION = re.compile(r"[\d½¼¾⅓⅔]|per\s?cent|half|third|quarter|fifth", re.I)  # a quick first look


class NumberWords(Rule):
    """Numbers written as words, which are harder to read than digits."""

    id = "number-words"

    def judge(self, sentence: Sentence, index: int, text: Text, settings: Settings) -> Iterator[Finding]:
        allow_small = setting(settings, "allow_up_to_ten", False)
        for match in _NUMBER_WORD.finditer(sentence.text):
            word = match.group(1)
            if allow_small and word.lower() in _SMALL_NUMBERS:
                continue
            yield self.finding(sentence, settings["severity"], f"'{word}' is a number written as a word",
                               f"write it in digits: '{_digits(word)}' instead of '{word}'", words=[word])
            return


def _digits(word: str) -> str:
    index = _NUMBER_WORDS.index(word.lower())
    values = list(range(2, 21)) + [30, 40, 50, 60, 70, 80, 90, 100, 1000, 1000000]
    return f"{values[index]:,}"


class Proportions(Rule):
    """Percentages and fractions, which many easy-read readers cannot use."""

    id = "percentages-fractions"

    def judge(self, sentence: Sentence, index: int, text: Text, settings: Settings) -> Iterator[Finding]:
        if not _MAYBE_PROPORTION.search(sentence.text):
            return
        match = _PROPORTION.search(sentence.text)
        level = settings["severity"]
        if match is None:
            match, level = _PROPORTION_WORDS.search(sentence.text), setting(settings, "in_words", "warn")
        if match and level != "off":
            found = match.group(0).strip()
            yield self.finding(sentence, level, f"'{found}' is a percentage or fraction",
                               "say it in words people can picture: 'most people', 'some people', 'about 1 out of 4 people' "
                               "becomes 'some people'",
                               words=[found])


# --- paragraphs and the whole text ---------------------------------------------------------


class ParagraphLength(Rule):
    """Statements (paragraphs) with too many sentences."""

    id = "paragraph-length"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        limit = setting(settings, "max_sentences", 5)
        block: list[Sentence] = []
        for sentence in [*text.sentences, None]:
            if block and (sentence is None or sentence.block != block[0].block):
                if len(block) > limit and not all(s.own_words for s in block):
                    yield self.finding(block[0], settings["severity"],
                                       f"{len(block)} sentences in one paragraph; {text.profile} needs {limit} or fewer",
                                       "split it into shorter paragraphs, one idea in each",
                                       numbers={"sentences": len(block), "limit": limit})
                block = []
            if sentence is not None:
                block.append(sentence)


def scores(sentences: list[Sentence]) -> Scores | None:
    """Flesch reading ease, Flesch-Kincaid grade and SMOG for some sentences (None if empty)."""
    counted = [s for s in sentences if s.words]
    if not counted:
        return None
    n_sentences = len(counted)
    all_words = [w for s in counted for w in s.words]
    n_words = len(all_words)
    n_syllables = sum(lexicon.syllables(w) for w in all_words)
    polysyllables = sum(1 for w in all_words if lexicon.syllables(w) >= 3)
    per_sentence, per_word = n_words / n_sentences, n_syllables / n_words
    return Scores(
        flesch_reading_ease=round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1),
        flesch_kincaid_grade=round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1),
        smog=round(1.0430 * math.sqrt(polysyllables * 30 / n_sentences) + 3.1291, 1),
        words=n_words,
        sentences=n_sentences,
    )


class TextScores(Rule):
    """The whole text's grade level is too high for the profile."""

    id = "text-scores"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        judged = scores([s for s in text.sentences if not s.own_words])
        if judged is None or judged.words < setting(settings, "min_words", 60):
            return
        max_grade, max_smog = setting(settings, "max_grade"), setting(settings, "max_smog")
        over = []
        if max_grade is not None and judged.flesch_kincaid_grade > max_grade:
            over.append(f"Flesch-Kincaid grade {judged.flesch_kincaid_grade}; {text.profile} needs {max_grade} or lower")
        if max_smog is not None and judged.smog > max_smog:
            over.append(f"SMOG {judged.smog} (years of school, from its words of 3 or more syllables); "
                        f"{text.profile} needs {max_smog} or lower")
        if over:
            yield self.finding(
                _longest_part(text), settings["severity"], "; ".join(over),
                "use shorter sentences and everyday words; fix the sentences listed first, then the longest part",
                numbers={"grade": judged.flesch_kincaid_grade, "ease": judged.flesch_reading_ease, "smog": judged.smog,
                         **({"limit": max_grade} if max_grade is not None else {}),
                         **({"smog_limit": max_smog} if max_smog is not None else {})},
            )


def _longest_part(text: Text) -> Sentence:
    """The whole text, placed at the plan field with the most of its letters (long words and long sentences weigh
    most in the scores), or the template line when no field has any: a refusal of the whole text still names a
    place to change."""
    fields: Counter[Location] = Counter()
    templates: Counter[Location] = Counter()
    for sentence in text.sentences:
        if not sentence.own_words and (sentence.source.fields or sentence.source.template):
            (fields if sentence.source.fields else templates)[sentence.source] += len(sentence.text)
    letters = fields or templates
    return Sentence(text=THE_WHOLE_TEXT.text, source=letters.most_common(1)[0][0]) if letters else THE_WHOLE_TEXT


_FUNCTION_WORDS = frozenset(
    "a an the and or but if so to of in on at by for with from up out about into over after before you your "
    "i me my we us our he him his she her it its they them their this that these those is are was were be "
    "been have has had do does did will would can could should may might must not no yes what who when "
    "where why how all some any more most very too also just only than then there here".split()
)


class NotEnglish(Rule):
    """Text that is mostly not English (another language, or junk): one clear finding, not hundreds."""

    id = "not-english"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        tokens = [m.group(0).lower() for s in text.sentences if not s.own_words for m in _WORD.finditer(s.text)]
        if len(tokens) < setting(settings, "min_words", 20):
            return
        # Every English text, easy read above all, is full of little words like "you", "the", "to".
        share = sum(1 for t in tokens if t in _FUNCTION_WORDS) / len(tokens)
        minimum = setting(settings, "min_common_share", 0.15)
        if share < minimum:
            yield self.finding(THE_WHOLE_TEXT, settings["severity"],
                               f"only {share:.0%} of the {len(tokens)} words are everyday English words like 'you' and 'the'",
                               "check the text is in English; easyread checks English only",
                               numbers={"share": round(share, 2), "words": len(tokens),
                                        "limit": minimum})


_STAFF = re.compile(
    r"^(?:all |the |our |your |any )?(?:staff|carers?|care workers?|support workers?|workers|practitioners|"
    r"professionals|the team|care team|the provider|providers)\b[^.?!]*?\b(?:should|must|need to|needs to|"
    r"are to|is to|will need to|are asked to|are required to|ought to)\b", re.I)
# parts of a plan whose every sentence is about the person (not a helper or a worker)
_ABOUT_THE_PERSON = ("strengths[", "person.how_i_communicate[", "needs[", "eligibility.", "what_is_working", "what_is_not",
                     "likes[", "dislikes[", "important_for_me[", "good_day[", "bad_day[", "health.", "communication.",
                     "person.information_needs.communication_support[", "how_to_support_me[", "faith_and_culture[")
# what others say of the person, in a document in the person's own voice: said about them, rightly
_OTHERS_SAY = ("admired_for[",)
# parts mostly about the person, where a he or she may be someone the sentence names first ("Anaya could ... her")
_MOSTLY_ABOUT_THE_PERSON = ("staying_safe.risks[",)
_HE_SHE = re.compile(r"^(he|she|his|her)\b", re.I)
_HE_SHE_ANYWHERE = re.compile(r"\b(he|she|him|his|her|hers|himself|herself)\b", re.I)
_PEOPLE_LIST = re.compile(r"\.(?:name|role)$")  # "Jordan Reid: Jordan" in a list of who took part names them
_YOU = re.compile(r"\b(you|your|yours|yourself)\b", re.I)
_I_ME = re.compile(r"\b(I|me|my|mine|myself)\b")
_GOAL = re.compile(r"^outcomes\[\d+\]\.title")  # a goal, often in the person's own voice ("Keep doing ... myself")
_QUOTED = re.compile(r"[\"\u201c][^\"\u201d]*[\"\u201d]|'[^']*'(?!\w)")  # what someone says, in quotes


_HE = frozenset({"he", "him", "his", "himself"})
_SHE = frozenset({"she", "her", "hers", "herself"})


def _could_be_them(pronoun: str, recorded: str | None) -> bool:
    """Whether a he or she could be the person, by their recorded pronouns: any, when none are recorded."""
    word = pronoun.lower()
    if recorded == "he/him":
        return word in _HE
    if recorded == "she/her":
        return word in _SHE
    return recorded is None  # they/them: a he or she is someone else


class SpeaksToYou(Rule):
    """In a document addressed to the person, plan wording that talks about them ("Margaret has ...",
    "She cannot read") or tells staff what to do, instead of speaking to them as "you". In a document in the
    person's own voice (a one-page profile, a hospital passport), wording that talks about them instead of saying
    "I" and "me" ("He must be seated upright"), but for what others say of them."""

    id = "speaks-to-you"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        if not (text.addressed or text.own_voice):
            return
        # the name as the subject of what is said ("Margaret has", "Mr Brooks presents", "Margaret's sight")
        # or its object at the end ("writes it down for Win.")
        named = (re.compile(rf"\b({'|'.join(map(re.escape, text.person))})(?:['’]s\b|\s+[a-z]"
                            rf"|\s*[.!?]?$)") if text.person else None)
        about_them = -2  # the position of the last sentence that talked about the person
        subjects: dict[tuple[str, ...], list[str]] = {}  # each field's sentences' first words, so far
        for sentence in text.sentences:
            # who the field's earlier sentences are about (their first word): "Anaya could do too much. This could
            # affect her school work."
            earlier = subjects.setdefault(sentence.source.fields, [])
            before = earlier[:]
            earlier.extend(sentence.field_text.split()[:1])
            # the plan's words, not the template's ("Where you met: Win's flat" talks about Win)
            if not sentence.field_text or sentence.own_words or _YOU.search(sentence.field_text):
                continue
            if sentence.source.fields == ("title",):
                continue  # a title says whose document it is ("Jordan's support plan"), not what Jordan does
            if text.own_voice and any(name.startswith(_OTHERS_SAY) for name in sentence.source.fields):
                continue  # what people like about them, in their own voices: "Ellie is kind" (Mum)
            # unless this sentence, or an earlier one of its field, is about someone else it names
            named_first = " ".join([*before, sentence.field_text])
            if text.own_voice:  # every part is about them, but a he or she beside "I" or "me" is someone else
                about_the_person = not _I_ME.search(sentence.text) and not self._someone_else(text, named_first)
            else:  # unless a part with a person of its own (a health contact's card), or someone named before it
                about_the_person = any(name.startswith(_ABOUT_THE_PERSON + _MOSTLY_ABOUT_THE_PERSON)
                                       and name.rsplit(".", 1)[0] not in text.people_items
                                       for name in sentence.source.fields) and not self._someone_else(text, named_first)
            if named and (match := named.search(sentence.field_text)) \
                    and not all(_PEOPLE_LIST.search(name) for name in sentence.source.fields):
                about = f"talks about the person by name ('{match.group(1)}')"
            # "She ..." straight after a sentence about them, or "her" in a part of the plan about them
            elif pronoun := ((_HE_SHE.match(sentence.field_text) if sentence.position == about_them + 1
                              or self._nobody_else(text, sentence, before) else None)
                             or (_HE_SHE_ANYWHERE.search(sentence.field_text) if about_the_person else None)):
                if not _could_be_them(pronoun.group(1), text.pronouns):
                    continue  # "She speaks Tigrinya" in a plan for a man: the counsellor, not him
                about = f"talks about the person as '{pronoun.group(1).lower()}'"
            elif _STAFF.match(sentence.field_text) and not text.own_voice:  # a passport may tell staff what to do
                yield self._about(sentence, settings, "tells staff what to do")
                continue
            elif not text.own_voice and not any(_GOAL.search(name) for name in sentence.source.fields) \
                    and (me := _I_ME.search(_QUOTED.sub("", sentence.field_text))):
                # the person's voice in the plan's wording ("Check I have understood"), printed under "How to support
                # you": a warning, as a plan may quote the person without quotation marks; a goal is often theirs
                yield self.finding(sentence, "warn", f"this document is written to the person, but this speaks as "
                                   f"them ('{me.group(1)}')", "say it to the person as 'you' ('Check you have "
                                   "understood'), or put the person's own words in quotation marks")
                continue
            else:
                continue
            about_them = sentence.position
            yield self._about(sentence, settings, about, own_voice=text.own_voice)

    @staticmethod
    def _nobody_else(text: Text, sentence: Sentence, before: list[str]) -> bool:
        """Whether a field's first sentence has no one else its "he" or "she" could be: its part of the plan names
        no person of its own (a helper's card, a step with its "who") and nothing came before it in the field."""
        if before or not text.addressed:
            return False
        previous = text.sentences[sentence.position - 1].text if sentence.position > 0 else ""
        return not any(name.rsplit(".", 1)[0] in text.people_items | text.who_items for name in sentence.source.fields) \
            and not SpeaksToYou._someone_else(text, previous + " " + sentence.field_text)

    @staticmethod
    def _someone_else(text: Text, words: str) -> bool:
        """Whether words name someone other than the person before their last he, she, him or her."""
        pronoun = next(reversed(list(_HE_SHE_ANYWHERE.finditer(words))), None)
        person = {name.lower() for name in text.person}
        before = [match.group(0) for match in _WORD.finditer(words[:pronoun.start() if pronoun else 0])]
        # a name: a capital, a name of the plan's, and never written small ("Staff travel with her" names no one);
        # not a title's surname ("Mr Brooks" may be the person, whose wife is a Brooks too)
        return any(word[0].isupper() and word.lower() not in person | text.lower_words
                   and lexicon.normalise(word) in text.names and word.lower() not in TITLES
                   and (number == 0 or before[number - 1].lower() not in TITLES)
                   for number, word in enumerate(before))

    def _about(self, sentence: Sentence, settings: Settings, about: str, own_voice: bool = False) -> Finding:
        if own_voice:
            return self.finding(sentence, settings["severity"],
                                f"this document is the person speaking ('I', 'me'), but this {about}",
                                "say it as the person would: 'I need ...', 'Help me ...', 'Tell me ...'")
        where = ("; for easy read, put that in an easy_read: wording beside the professional one"
                 if setting(settings, "in_easy_read_wording", True) else " in the plan's own wording")
        return self.finding(sentence, settings["severity"], f"this document is written to the person, but this {about}",
                            f"say it to the person as 'you' ('You have ...', 'We will ...'){where}")


# --- who the text is written for ----------------------------------------------------------

# duty words: what staff or a council must do ("must ensure", "should be offered", "has a duty to")
_DUTY = re.compile(r"\b(must|should|shall|(?:is|are|be) (?:required|expected|obliged) to|(?:has|have) a duty|duty to|"
                   r"duties|ensure|ensuring|responsible for|responsibilit(?:y|ies)|obligations?)\b", re.I)
# people written about in the third person, and the bodies that serve them ("the person's needs", "service users")
_PEOPLE = re.compile(r"\b(?:(?:the|a|an|each|any|every) (?:person|individual|adult|client|resident|respondent|applicant|"
                     r"claimant|recipient)s?(?:['’]s)?|service users?|residents|respondents|individuals|practitioners?|"
                     r"professionals|local authorit(?:y|ies)|providers?)\b", re.I)
_READER = re.compile(r"\b(you|your|yours|yourself|yourselves)\b", re.I)


class StaffLanguage(Rule):
    """Text written for staff, not for the person who reads it: duty words ("must ensure"), people in the third
    person ("the person's needs", "service users") and professional terms, in text that seldom says "you" (or, in
    the person's own voice, "I"). Each sign alone is ordinary; together, more than `max_per_100` in every 100
    words after taking away the words that speak to the reader, they are procedure writing."""

    id = "staff-language"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        judged = [s for s in text.sentences if not s.own_words and s.words]
        words = sum(len(s.words) for s in judged)
        if words < setting(settings, "min_words", 60):
            return
        reader = _I_ME if text.own_voice else _READER
        terms: set[str] = set()
        signs: list[tuple[Sentence, list[str]]] = []
        speaks_to_reader = 0
        for sentence in judged:
            seen = sentence.text if sentence.unnamed_text is None else sentence.unnamed_text
            found = [m.group(0) for m in _DUTY.finditer(seen)] + [m.group(0) for m in _PEOPLE.finditer(seen)]
            terms.update(term.lower() for term, _entry in find_jargon(seen))
            speaks_to_reader += len(reader.findall(seen))
            if found:
                signs.append((sentence, found))
        count = len(terms) + sum(len(found) for _s, found in signs)
        limit = setting(settings, "max_per_100", 5.5)
        density = (count - speaks_to_reader) * 100 / words
        if density <= limit:
            return
        listed = sorted({word.lower() for _s, found in signs for word in found})
        reader_word = "I" if text.own_voice else "you"
        yield self.finding(  # about the whole text, then each sentence that says it, to change
            THE_WHOLE_TEXT, settings["severity"],
            f"written for staff, not for the person reading it: {count} duty words, people in the third person and "
            f"professional terms ({', '.join((listed + sorted(terms))[:6])}), and "
            f"{'no' if not speaks_to_reader else speaks_to_reader} '{reader_word}' to the reader: {density:.1f} in "
            f"every 100 words, after taking away each '{reader_word}'; {text.profile} allows {limit}",
            f"write to the reader as '{reader_word}': say what will happen and who will do it, in everyday words",
            numbers={"signs": count, "reader": speaks_to_reader, "words": words, "per_100": round(density, 1),
                     "limit": limit})
        for sentence, found in signs:
            yield self.finding(sentence, settings["severity"], f"staff wording: {', '.join(repr(word) for word in found)}",
                               f"say it to the reader as '{reader_word}', and what will happen", words=found)


class PictureVariety(Rule):
    """One picture beside too many lines: a reader learns to ignore a picture that is everywhere, and it
    cannot mean all those things. Reported when one picture is more than `max_share` of them."""

    id = "picture-variety"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        if len(text.pictures) < setting(settings, "min_pictures", 10):
            return
        limit = setting(settings, "max_share", 0.1)
        for name, count in Counter(text.pictures).most_common():
            if count <= limit * len(text.pictures):
                break
            yield self.finding(THE_WHOLE_TEXT, settings["severity"],
                               f"the picture :{name}: is beside {count} of {len(text.pictures)} lines "
                               f"({count / len(text.pictures):.0%}); {text.profile} allows {float(limit):.0%}",
                               "let each line's own words choose its picture, or give it none: no picture is "
                               "better than one that means something else", numbers={"count": count,
                               "pictures": len(text.pictures), "limit": limit}, words=[name])


RULES: list[Rule] = [
    NotEnglish(), SentenceLength(), OneIdea(), HardWords(), JargonRule(), Acronyms(), PassiveVoice(),
    NumberWords(), Proportions(), Contractions(), Semicolons(), ParagraphLength(), TextScores(), StaffLanguage(),
    SpeaksToYou(),
    PictureVariety(),
]
