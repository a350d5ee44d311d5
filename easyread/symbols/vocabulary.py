"""The concept vocabulary behind `:name:`, and choosing a picture from a statement's words.

The vocabulary (vocabulary.yaml) maps each concept to an OpenMoji picture, a plain
text alternative and synonyms; a council can add a folder of its own pictures that
extends or overrides it by name (see `SymbolSet.with_folder`). A statement's explicit
`:name:` always wins; otherwise its words choose, or nothing does - a wrong picture is
worse than none.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from easyread.language.lexicon import zipf

NONE = "none"  # `:none:` in markup: deliberately no picture
COMMON_ZIPF = 5.5  # a synonym this common ("live", "want") only chooses when nothing better is named
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_TOKEN_OR_BREAK = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[,.;:!?()]")  # a break ends what a "not" reaches
# an amount of money, and an amount of none
_AMOUNT = re.compile(r"£\s?\d[\d,]*(?:\.\d\d)?")
_NOTHING_TO_PAY = re.compile(r"£\s?0(?:\.00)?(?![\d.,])")
MONEY_PICTURE = "money"
MONEY = frozenset({"money", "coins", "bill", "benefits", "budget", "wallet"})
# a place's name ("Station View", "Larch Court", "Mill House"): its words name the place, not what they say
_PLACE_NAME = re.compile(r"\b(?:[A-Z][a-z'’]+ )+(?:View|Court|House|Lodge|Gardens|Close|Road|Street|Avenue|Lane|Way|"
                         r"Place|Terrace|Drive|Crescent|Grove|Mews|Walk|Homes)\b")
# words that turn what follows in their clause into its opposite: "does not pay", "never send money"
NEGATIONS = frozenset(
    "not no never nobody nothing without cannot can't don't doesn't didn't won't isn't aren't wasn't "
    "weren't haven't hasn't shouldn't mustn't instead except forget forgets forgot forgotten".split()
)
# pairs that turn what follows into its opposite like a "not": "independent of the council", "free of charge"
NEGATING_PAIRS = frozenset({("independent", "of"), ("free", "of"), ("free", "from"), ("apart", "from"), ("instead", "of")})
NEGATED = "no picture, not even a default"  # how choose() says the words deny what they name
LONGEST = 30  # words: a sentence longer than this holds more ideas than one picture can show
_CONDITIONS = frozenset({"if", "when", "unless"})  # "If X, do Y": the picture shows Y, what to do
_CLAUSE_BREAKS = frozenset(",.;:!?()") | {"but"}
_NOTHING_AFTER = _CLAUSE_BREAKS | {""}
# verbs that say what someone needs, wants or has to do, not the thing itself: "needs to change" is no `needs`
_VERBS_BEFORE_TO = frozenset("need needs needed want wants wanted have has had going used try tries tried".split())
# concepts that mean "no", "stop" or "not yet": right beside a negated sentence, not contradicted by it
NEGATIVE = frozenset({"stopped", "not-allowed", "not-yet", "cross", "disagree", "not-sure", "private"})
# people who help: beside what they do ("Carers help you wash"), the doing is the picture
HELPERS = frozenset({"carer", "support-worker", "social-worker", "nurse", "therapist", "volunteer", "people"})
# who does things: beside "The council does not have to pay", their picture would say they do
# pictures that fit almost any sentence about care: named by a template where they mean something, never chosen by
# a word alone ("We will help you with some things" beside a helping hand tells the reader nothing)
TOO_GENERAL = frozenset({"help", "people", "needs", "change"})
AGENTS = HELPERS | frozenset({"council", "doctor", "advocate", "social-worker"})
PROHIBITION = "not-allowed"  # "Never share your password", "Do not open the door": a picture that says don't
# words too common to choose a picture by themselves
_STOP = frozenset(
    "a an the and or but to of in on at by for with from is are was be been will can could would should "
    "you your yours i me my we us our they them their he she him her it its this that these those "
    "get gets got have has had do does did go goes going make made thing things day".split()
)


@dataclass(frozen=True)
class Concept:
    """One symbol: its name, picture, text alternative and the words that choose it."""

    name: str
    alt: str
    code: str | None = None  # OpenMoji code
    file: Path | None = None  # a council's own picture, overriding the code
    synonyms: tuple[str, ...] = ()
    priority: int = 2  # 1: generic, chosen only when nothing more specific matches
    not_as_verb: tuple[str, ...] = ()  # words that name it only as a noun: "your plan", not "help you plan meals"
    name_chooses: bool = True  # False: only its synonyms choose it ("contact" alone may be "social contact")
    not_as_noun: tuple[str, ...] = ()  # words that name it only as a verb: "stop smoking", not "the next stop"

    @property
    def source(self) -> str:
        """Where the picture comes from: council, openmoji, or none."""
        return "council" if self.file else ("openmoji" if self.code else "none")


@dataclass(frozen=True)
class Choice:
    """A picture chosen for some words, and why."""

    name: str
    alt: str
    word: str
    position: int
    reason: str
    priority: int
    strong: bool  # the concept's own name, or a word not so common that it says little
    negated: bool = False  # after a "not" or "never" in the same clause: the sentence says the opposite


def _forms(token: str) -> list[str]:
    """A word and the simple forms it may be built from: buses -> bus, cooking -> cook, used -> use."""
    forms = [token]
    if token.endswith("'s"):
        token = token[:-2]
        forms.append(token)
    # the least taken off first, so "cares" is care before car; "-d" only after an "e" (used -> use, not card -> car)
    for ending, replacement in (("ies", "y"), ("s", ""), ("es", ""), ("ing", ""), ("ing", "e"), ("ed", ""),
                                ("ed", "e")):
        if token.endswith(ending) and len(token) - len(ending) >= 3:
            forms.append(token[: -len(ending)] + replacement)
    return forms


@dataclass
class SymbolSet:
    """The concepts a document can use, with the attribution for each set of pictures."""

    concepts: dict[str, Concept]
    attributions: dict[str, str] = field(default_factory=dict)  # source -> credit line

    @cached_property
    def phrases(self) -> dict[tuple[str, ...], Concept]:
        """Every phrase (name and synonyms, as words) that chooses a concept."""
        index: dict[tuple[str, ...], Concept] = {}
        for concept in self.concepts.values():
            for phrase in ((concept.name.replace("-", " "),) if concept.name_chooses else ()) + concept.synonyms:
                words = tuple(_TOKEN.findall(phrase.lower()))
                if words and not (len(words) == 1 and words[0] in _STOP):
                    index.setdefault(words, concept)
        return index

    @cached_property
    def longest_phrase(self) -> int:
        """The most words in any phrase."""
        return max((len(p) for p in self.phrases), default=1)

    def unknown(self, name: str) -> str | None:
        """None if `name` is a symbol here, else a message naming the closest ones."""
        if name in self.concepts or name == NONE:
            return None
        close = difflib.get_close_matches(name, self.concepts, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(':' + c + ':' for c in close)}?" if close else \
            "; `easyread symbols list` shows them all"
        return f"no symbol called :{name}:{hint}"

    def candidates(self, text: str) -> list[Choice]:
        """Every concept the words of `text` point to, in order of position, each marked if a "not" reaches it."""
        index, longest = self.phrases, self.longest_phrase
        tokens = _tokens(text, _TOKEN_OR_BREAK)
        found: list[Choice] = []
        negated = False
        position = 0
        while position < len(tokens):
            if tokens[position] in _CLAUSE_BREAKS:
                negated = False
                position += 1
                continue
            for size in range(min(longest, len(tokens) - position), 0, -1):
                window = tokens[position:position + size]
                following = tokens[position + size] if position + size < len(tokens) else ""
                concept = _lookup(index, window, following)
                before = tokens[position - 1] if position else ""
                if concept is not None and size == 1 and (
                        (window[0] in concept.not_as_verb and _a_verb(before, following))
                        or (window[0] in concept.not_as_noun and before in _BEFORE_A_NOUN)):
                    concept = None  # "to plan meals", "staff will lift you", "the next stop": another sense
                if concept is not None:
                    said = " ".join(window)
                    names = any(form.replace(" ", "-") == concept.name for form in _forms(said))
                    reason = f"'{said}' names the concept '{concept.name}'" if names else \
                        f"'{said}' is a word for '{concept.name}'"
                    # very common words ("live", "tell", "want") say less than the concept names beside them
                    strong = names or size > 1 or zipf(said) <= COMMON_ZIPF
                    found.append(Choice(concept.name, concept.alt, said, position, reason, concept.priority, strong,
                                        negated and concept.name not in NEGATIVE))
                    position += size - 1
                    break
            else:
                negated = negated or tokens[position] in NEGATIONS or tuple(tokens[position:position + 2]) in NEGATING_PAIRS
            position += 1
        return found

    def find(self, text: str) -> Choice | None:
        """The picture for a statement: the most specific concept its words name (earliest on a tie).

        Specific concepts beat generic ones (`priority`), and a concept's own name or an
        uncommon word beats a very common one; then the first in the sentence wins. Words a
        "not" or "never" reaches are never chosen ("The council does not pay" shows no money),
        and a sentence that tells the reader not to do something gets the "don't" picture.
        """
        return self.choose(text)[0]

    def choose(self, text: str) -> tuple[Choice | None, str]:
        """The picture for a statement, or None, with the reason either way."""
        text = _PLACE_NAME.sub(" ", text)  # "Station View" is a home's name, not a train station
        found = self.candidates(text)
        if _NOTHING_TO_PAY.search(text) and any(c.name in MONEY for c in found):
            return None, "no picture: it says there is nothing to pay, and money would say the opposite"
        elif (amount := _AMOUNT.search(text)) and MONEY_PICTURE in self.concepts:  # "You keep £30.65 each week"
            concept = self.concepts[MONEY_PICTURE]
            position = len(_tokens(text[:amount.start()], _TOKEN_OR_BREAK))
            found = sorted([*found, Choice(concept.name, concept.alt, amount.group(0), position,
                                           f"'{amount.group(0)}' is an amount of money", concept.priority, True)],
                           key=lambda c: c.position)
        kept = [choice for choice in found if not choice.negated]
        words = _tokens(text, _TOKEN)
        tokens = _tokens(text, _TOKEN_OR_BREAK)  # with the breaks, as Choice.position counts them
        if PROHIBITION in self.concepts and _forbids(words) and not any(c.name in NEGATIVE for c in kept):
            concept = self.concepts[PROHIBITION]
            said = " ".join(words[:2]) if words[0] != "never" else "never"
            return Choice(concept.name, concept.alt, said, 0, f"'{said}' tells you not to do something",
                          concept.priority, True), ""
        if kept and max(len(sentence.split()) for sentence in _sentences(text)) > LONGEST:
            return None, f"no picture: a sentence over {LONGEST} words holds more ideas than one picture can show"
        if kept and words[0] in _CONDITIONS:  # the main clause, after the condition's comma, says what to do
            comma = tokens.index(",") if "," in tokens else len(tokens)
            kept = [c for c in kept if c.position > comma] or kept
        if kept:
            best = max(kept, key=lambda c: (c.priority, c.strong, c.name not in HELPERS, -c.position))
            denied = [c for c in found if c.negated and c.position > best.position and best.name in AGENTS
                      and not {".", "!", "?"} & set(tokens[best.position:c.position])]
            if denied:  # "The council does not have to pay": who does not is no picture of what they do not do
                return None, (f"{NEGATED}: a 'not' or 'never' reaches '{denied[0].word}', what the sentence is about, "
                              f"so '{best.word}' alone would say the opposite")
            if best.name in TOO_GENERAL:
                return None, f"no picture: '{best.word}' alone says too little to show (a generic picture is a miss)"
            return best, ""
        if found:
            skipped = ", ".join(f"'{c.word}'" for c in found)
            return None, f"{NEGATED}: a 'not' or 'never' reaches {skipped}, so a picture would say the opposite"
        return None, "no picture: no word in the vocabulary"


def _tokens(text: str, pattern: re.Pattern[str]) -> list[str]:
    """The words of a text in lower case (and the breaks between clauses, if the pattern takes them)."""
    return pattern.findall(text.lower().replace("’", "'"))


def _sentences(text: str) -> list[str]:
    """The sentences of a statement, as the gate splits them."""
    from easyread.language.sentences import split

    return split(text) or [text]


# what comes before a verb: "to plan", "will lift", "you cross", "and plan"
_BEFORE_A_VERB = frozenset("to will can could would should must might may shall you we i they he she staff "
                           "and or please let's not never also then".split())
# what follows a verb at the start of a sentence ("Plan your week.", "Cross the road."), not a noun ("Plan: ...")
_AFTER_A_VERB = frozenset("a an the your my our their his her this that what how where when it them you me us "
                          "and".split())


# what comes before a noun: "the stop", "one stop", "your next stop", "the bus stops"
_BEFORE_A_NOUN = frozenset("a an the your my our their his her this that these those next last first one two three "
                           "each every bus tram train same right wrong".split())


def _a_verb(before: str, after: str) -> bool:
    """True when a word between these two is used as a verb: after "to", a modal or a subject, or opening a
    sentence with its object after it."""
    return before in _BEFORE_A_VERB or (before in ("", ".", "!", "?", ":", ";", ",") and after in _AFTER_A_VERB)


def _forbids(words: list[str]) -> bool:
    """True for a sentence that tells the reader not to do something: "Never ...", "Do not ...", "Don't ..."."""
    if not words:
        return False
    opening = words[:3]
    if opening[0] == "never" or opening[:2] == ["do", "not"] or opening[0] == "don't":
        return not {"worry", "mind", "forget"} & set(opening)  # "Don't worry" and "Don't forget" reassure or remind
    return False


def _lookup(index: dict[tuple[str, ...], Concept], window: list[str], following: str = "") -> Concept | None:
    """The concept a run of words names, allowing simple word forms of each word.

    A negation ("no", "not") before other words is no picture, only inside a phrase ("not sure"): it
    changes what follows it. Alone ("No."), it is the answer no. A verb before "to" ("wants to") is not its noun.
    """
    if len(window) == 1:
        if window[0] in _STOP or (window[0] in NEGATIONS and following not in _NOTHING_AFTER) or \
                (window[0] in _VERBS_BEFORE_TO and following == "to"):
            return None
        return next((index[(form,)] for form in _forms(window[0]) if (form,) in index), None)
    *head, last = window
    for form in _forms(last):
        concept = index.get((*head, form))
        if concept is not None:
            return concept
    return None


def _concept(name: str, entry: dict[str, Any], file: Path | None = None) -> Concept:
    return Concept(name=name, alt=entry["alt"], code=entry.get("code"), file=file,
                   synonyms=tuple(str(s).lower() for s in entry.get("synonyms") or ()),
                   priority=int(entry.get("priority", 2)),
                   not_as_verb=tuple(str(s).lower() for s in entry.get("not_as_verb") or ()),
                   name_chooses=bool(entry.get("name_chooses", True)),
                   not_as_noun=tuple(str(s).lower() for s in entry.get("not_as_noun") or ()))


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, Any]]:
    """The shipped concepts, by name: code, alt text and synonyms."""
    from easyread.inputs.loader import read_yaml

    return read_yaml(  # type: ignore[no-any-return]  # package data, checked by the tests
        resources.files(__package__).joinpath("vocabulary.yaml").read_text(encoding="utf-8"))
