"""Readability rules: each a small named unit with an id, settings from the profile, and a fix.

A rule sees the whole text (every sentence with its source, and the glossary), so it
can tell whether a hard word is explained in the next sentence or in "Words to know".
Its severity (refuse / warn / off) and thresholds come from the profile, never from
code; the person's own words are only ever noted, never refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from easyread.profile import RuleSettings
from easyread.readability import lexicon
from easyread.readability.report import Finding, Location
from easyread.readability.sentences import normalise, words


@dataclass
class Sentence:
    """A sentence to judge: its text, where it came from, and whether it is the person's own words."""

    text: str
    source: Location
    own_words: bool = False
    block: int = 0  # sentences of the same statement (paragraph) share a block number
    position: int = -1  # where it is in the text, for ordering findings
    template_text: bool = True  # some of it is a template's own wording (not only plan values)

    def __post_init__(self) -> None:
        self.text = normalise(self.text)  # "sign\u00adpost" is judged as the "signpost" a reader sees

    @cached_property
    def words(self) -> list[str]:
        """The sentence's words."""
        return words(self.text)


_DEFINES = re.compile(
    r"^(?:what is |what are )?(?:an? |the )?([A-Za-z][\w'’-]*(?: [A-Za-z][\w'’-]*){0,3}?)(?:\s*\([^)]*\))?"
    r"\s+(?:is|are|means|is called)\b(?! not\b)",
    re.I,
)
_CALLED = re.compile(r"\b(?:called|known as)\s+(?:an? |the )?([A-Za-z][\w'’-]*(?: [A-Za-z][\w'’-]*){0,3})", re.I)


@dataclass
class Text:
    """Everything a rule may look at: the sentences in order, and the words explained in a glossary."""

    sentences: list[Sentence]
    glossary: set[str] = field(default_factory=set)
    profile: str = ""
    known_names: set[str] = field(default_factory=set)

    @cached_property
    def names(self) -> set[str]:
        """Names: words written with a capital in the middle of a sentence somewhere, and known names."""
        found = {n.lower() for n in self.known_names}
        for sentence in self.sentences:
            for number, match in enumerate(_WORD.finditer(sentence.text)):
                token = match.group(0)
                if number and token[0].isupper() and not token.isupper():
                    found.add(lexicon.normalise(token))
        return found

    @cached_property
    def defined(self) -> set[str]:
        """Words the text explains somewhere: in its glossary, or in a sentence like "A direct payment is money ..."."""
        found = {g.lower() for g in self.glossary}
        for sentence in self.sentences:
            for pattern in (_DEFINES, _CALLED):
                if match := pattern.search(sentence.text):
                    found.add(match.group(1).lower())
        return found

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
        re.compile(rf"\b{escaped}\w*+\s*(\(|,? which means|, or\b| - | – )|\(\s*{escaped}\s*\)"
                   rf"|\b(called|known as)\s+(an?\s+|the\s+)?{escaped}", re.I),
        re.compile(rf"(an?\s+|the\s+|your\s+)?{escaped}\b", re.I),
        re.compile(rf"\b{escaped}", re.I),
    )


def explained(term: str, index: int, text: Text) -> bool:
    """True if `term` is defined in the text (glossary, "X is ..."), or explained where it is used or next."""
    forms = _forms(term)
    if forms & text.defined:
        return True
    if len(term) > _LONGEST_TERM:
        return False
    beside, first, mentioned = _explaining(term)
    here = text.sentences[index].text
    if beside.search(here):
        return True
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


Settings = dict[str, Any]  # a rule's settings from the profile: "severity" and its thresholds


def settings_for(rule_settings: RuleSettings) -> Settings:
    """A rule's profile settings as a plain dict (read many times in the hot loop)."""
    return {**(rule_settings.model_extra or {}), "severity": rule_settings.severity}


def setting(settings: Settings, name: str, default: Any = None) -> Any:
    """A threshold from the profile's settings for a rule."""
    return settings.get(name, default)


# --- sentence length --------------------------------------------------------------------

_SPLIT_WORDS = ("because", "and", "but", "so", "which", "when", "while", "or", "if", "then", "who", "until", "although")


def split_hint(sentence: str) -> str:
    """Where to split a long sentence: the joining word or comma nearest its middle."""
    tokens = sentence.split()
    middle = len(tokens) / 2
    best: tuple[float, str] | None = None
    for index, token in enumerate(tokens[1:-1], start=1):
        bare = re.sub(r"\W", "", token.lower())
        if bare in _SPLIT_WORDS:
            candidate = (abs(index - middle), f"split it into 2 sentences before '{token.strip(',;')}'")
        elif token.endswith((",", ";")):
            candidate = (abs(index + 1 - middle), f"split it into 2 sentences after '{token.rstrip(',;')}'")
        else:
            continue
        if best is None or candidate[0] < best[0]:
            best = candidate
    return best[1] if best else "say it in 2 or more short sentences, one idea in each"


class SentenceLength(Rule):
    """Sentences longer than the profile allows."""

    id = "sentence-length"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        yield from super().check(text, settings)
        max_average = setting(settings, "max_average")
        counted = [len(s.words) for s in text.sentences if s.words and not s.own_words]
        # an average means little over a handful of sentences
        if max_average is not None and len(counted) >= setting(settings, "min_sentences", 5) \
                and sum(counted) / len(counted) > max_average:
            average = sum(counted) / len(counted)
            yield self.finding(Sentence(text="(the whole text)", source=WHOLE_TEXT), settings["severity"],
                               f"{average:.1f} words a sentence on average; {text.profile} needs {max_average} or fewer",
                               "split the longest sentences; fix the findings above first",
                               numbers={"average": round(average, 1), "sentences": len(counted), "limit": max_average})

    def judge(self, sentence: Sentence, index: int, text: Text, settings: Settings) -> Iterator[Finding]:
        count = len(sentence.words)
        refuse_over, warn_over = setting(settings, "refuse_over"), setting(settings, "warn_over")
        if refuse_over is not None and count > refuse_over:
            level, limit = settings["severity"], refuse_over
        elif warn_over is not None and count > warn_over:
            level, limit = "warn", warn_over
        else:
            return
        yield self.finding(sentence, level, f"{count} words; {text.profile} needs {limit} or fewer", split_hint(sentence.text),
                           numbers={"words": count, "limit": limit})


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

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


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
        max_zipf = setting(settings, "max_zipf", 3.0)
        very_rare = setting(settings, "very_rare_zipf", 2.0)
        min_syllables = setting(settings, "min_syllables", 3)
        seen: set[str] = set()
        tokens = [m.group(0) for m in _WORD.finditer(sentence.text)]
        for number, token in enumerate(tokens):
            bare = lexicon.normalise(token)
            following = tokens[number + 1] if number + 1 < len(tokens) else ""
            if (bare in seen or len(bare) < 4 or _ACRONYM.fullmatch(token)
                    or _is_name(token, number == 0, following, text) or bare in _jargon_words()):
                continue
            seen.add(bare)
            frequency = lexicon.familiarity(bare)
            hard = frequency < very_rare or (frequency < max_zipf and lexicon.syllables(bare) >= min_syllables)
            if hard and not explained(bare, index, text):
                count = lexicon.syllables(bare)
                yield self.finding(
                    sentence, settings["severity"], f"'{token}' is a rare word (frequency {frequency:.1f}; {count} syllables)",
                    f"use an everyday word instead of '{token}', or explain it in the next sentence or in Words to know",
                    numbers={"zipf": round(frequency, 1), "syllables": count}, words=[token],
                )


@dataclass(frozen=True)
class Jargon:
    """A jargon term, its plain alternative, and whether it may stay when explained."""

    term: str
    plain: str
    explain_ok: bool


@lru_cache(maxsize=1)
def jargon_list() -> tuple[Jargon, ...]:
    """The shipped social-care jargon list."""
    from easyread.loader import read_yaml

    text = resources.files(__package__).joinpath("jargon.yaml").read_text(encoding="utf-8")
    return tuple(Jargon(**entry) for entry in read_yaml(text))


_TERM_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*")


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


def find_jargon(sentence: str) -> Iterator[tuple[str, Jargon]]:
    """Each jargon term in a sentence (as written there), with its entry; plurals match too."""
    index = _jargon_index()
    matches = list(_TERM_TOKEN.finditer(sentence))
    tokens = [m.group(0).lower().replace("’", "'") for m in matches]
    position = 0
    while position < len(tokens):
        token = tokens[position]
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
    """Social-care jargon that has a plain alternative."""

    id = "jargon"

    def judge(self, sentence: Sentence, index: int, text: Text, settings: Settings) -> Iterator[Finding]:
        for found, entry in find_jargon(sentence.text):
            if entry.explain_ok and explained(entry.term, index, text):
                continue
            fix = f"say '{entry.plain}' instead of '{found}'"
            level = settings["severity"]
            if entry.explain_ok:  # a term of art the person will meet again: explaining it is enough
                fix += f", or explain '{found}' in the next sentence or in Words to know"
                level = setting(settings, "unexplained_terms", level)
            elif _term_zipf(entry.term) >= setting(settings, "common_zipf", 99):
                # a formal but everyday word ("provide", "ensure"): better replaced, not a reason to refuse
                level = setting(settings, "common_words", level)
            if level != "off":
                yield self.finding(sentence, level, f"'{found}' is social-care jargon", fix, words=[found])


_ACRONYM = re.compile(r"\b(?=[A-Za-z]*[A-Z][A-Za-z]*[A-Z])[A-Z][A-Za-z]{1,7}\b")


class Acronyms(Rule):
    """Acronyms that are not spelt out or explained where they are first used."""

    id = "acronyms"

    def check(self, text: Text, settings: Settings) -> Iterator[Finding]:
        allowed = {a.upper() for a in setting(settings, "allowed", [])}
        seen: set[str] = set()
        for index, sentence in enumerate(text.sentences):
            for match in _ACRONYM.finditer(sentence.text):
                acronym = match.group(0)
                if acronym.upper() in allowed or acronym in seen or acronym.isupper() and len(sentence.words) == 1:
                    continue
                if sentence.text.isupper():
                    break  # a line in capitals is a heading style, not an acronym
                seen.add(acronym)
                if not explained(acronym, index, text):
                    yield self.finding(sentence, settings["severity"], f"'{acronym}' is an acronym",
                                       f"write the words in full, or explain '{acronym}' where it is first used",
                                       words=[acronym])


# --- grammar ------------------------------------------------------------------------------

_PARTICIPLE_EXCEPTIONS = {
    "tired", "worried", "interested", "bored", "scared", "pleased", "married", "supposed", "used", "based",
    "excited", "annoyed", "upset", "allowed", "involved", "needed", "called", "concerned", "confused",
    "frightened", "disabled", "retired", "prepared", "qualified", "related", "registered", "satisfied",
    "shared", "surprised", "tied", "ashamed", "engaged", "finished", "closed", "open", "dressed",
}
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
    r"(\d\s*%|\bper\s?cent\b|[½¼¾⅓⅔]|(?<![/\d])\d+/\d+(?![/\d])|\b\d+\s+(in|out of)\s+(every\s+)?\d+\b|"
    r"\b(a|one|two|three)\s+(half|third|quarter|fifth)s?\b|\bhalf of\b)",
    re.I,
)


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
        match = _PROPORTION.search(sentence.text)
        if match:
            found = match.group(0).strip()
            yield self.finding(sentence, settings["severity"], f"'{found}' is a percentage or fraction",
                               "say it in words people can picture: 'most people', 'some people', 'about 1 out of 4 people' becomes 'some people'",
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


@dataclass(frozen=True)
class Scores:
    """Whole-text readability scores, counted with our own sentences and words."""

    flesch_reading_ease: float
    flesch_kincaid_grade: float
    smog: float
    words: int
    sentences: int


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
        max_grade = setting(settings, "max_grade")
        if max_grade is not None and judged.flesch_kincaid_grade > max_grade:
            summary = Sentence(text="(the whole text)", source=WHOLE_TEXT)
            yield self.finding(
                summary, settings["severity"],
                f"Flesch-Kincaid grade {judged.flesch_kincaid_grade}; {text.profile} needs {max_grade} or lower "
                f"(reading ease {judged.flesch_reading_ease}, SMOG {judged.smog})",
                "use shorter sentences and everyday words; fix the findings above first",
                numbers={"grade": judged.flesch_kincaid_grade, "ease": judged.flesch_reading_ease,
                         "smog": judged.smog, "limit": max_grade},
            )


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
            summary = Sentence(text="(the whole text)", source=WHOLE_TEXT)
            yield self.finding(summary, settings["severity"],
                               f"only {share:.0%} of the {len(tokens)} words are everyday English words like 'you' and 'the'",
                               "check the text is in English; easyread checks English only",
                               numbers={"share": round(share, 2), "words": len(tokens),
                                        "limit": minimum})


RULES: list[Rule] = [
    NotEnglish(), SentenceLength(), OneIdea(), HardWords(), JargonRule(), Acronyms(), PassiveVoice(),
    NumberWords(), Proportions(), ParagraphLength(), TextScores(),
]
