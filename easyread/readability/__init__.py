"""The readability gate: judge every sentence of a Document (or plain text) against a profile."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from easyread.document import ContactCard, Document, Glossary, Source, sections, statements
from easyread.inputs.limits import MAX_INPUT_BYTES
from easyread.inputs.profile import Profile, get_profile
from easyread.language import lexicon
from easyread.language.sentences import LETTER, TITLES, normalise, split
from easyread.readability.report import FieldFix, Finding, Location, Report, SentenceFindings
from easyread.readability.rules import RULES, UNEXPLAINED_WORDS, Sentence, Text, scores, settings_for

if TYPE_CHECKING:
    from easyread.inputs.loader import Origin

__all__ = ["FieldFix", "Finding", "Location", "Report", "SentenceFindings", "check", "check_text", "judge"]


def judge(sentences: Iterable[Sentence], profile: Profile, name: str, glossary: Iterable[str] = frozenset(),
          names: Iterable[str] = frozenset(), person: Iterable[str] = frozenset(), addressed: bool = False,
          pictures: Iterable[str] = (), own_voice: bool = False, people_items: Iterable[str] = (),
          who_items: Iterable[str] = (), pronouns: str | None = None) -> Report:
    """Run every rule the profile turns on over some sentences, in order."""
    listed = list(sentences)
    for position, sentence in enumerate(listed):
        sentence.position = position
    text = Text(listed, {g.lower() for g in glossary}, profile.name, set(names), tuple(person), addressed, own_voice,
                tuple(pictures), frozenset(people_items), frozenset(who_items), pronouns)
    judged = [s for s in listed if not s.own_words]  # the scores are of the text we wrote, not the person's words
    report = Report(profile=profile.name, name=name, sentences=len(listed), wording=profile.wording,
                    words=sum(len(s.words) for s in listed), scores=scores(judged))
    for rule in RULES:
        settings = settings_for(profile.rule(rule.id))
        if settings["severity"] != "off":
            report.findings.extend(rule.check(text, settings))
        if rule.id == "not-english" and report.findings:
            break  # word rules would only repeat it, once for every word
    tally = settings_for(profile.rule(UNEXPLAINED_WORDS.id))
    if tally["severity"] != "off":  # counts what the word rules found
        report.findings = UNEXPLAINED_WORDS.tally(report.findings, text, tally)
    report.findings.sort(key=lambda f: (f.position >= 0, f.position))  # the whole text first, then in text order
    return report


def location(source: Source, template: str | None = None) -> Location:
    """A Document node's source as a Location (no input-file line yet: that is looked up only for findings)."""
    if not (source.template or source.fields):
        return Location(template=template)  # text with no recorded source still came from the template
    return Location(fields=tuple(source.fields), template=source.template, template_line=source.line)


def document_sentences(document: Document) -> Iterable[Sentence]:
    """Every sentence of a Document, with its source and whether it is the person's own words."""
    for block, (_kind, runs, source) in enumerate(statements(document)):
        where = location(source, document.template)
        # judged as a reader sees it: soft hyphens and zero-width characters taken out (each char keeps its marks)
        text = "".join(normalise(run.text) for run in runs)
        chars = [(run.own_words, run.field is None, run.field is not None and not run.field.endswith(_NAME_FIELDS), judged)
                 for run in runs for judged in _judged_in_names(run.field, normalise(run.text))]
        position = 0
        for sentence in split(text):
            start = text.find(sentence, position)
            position = start + len(sentence)
            marks = [mark for char, mark in zip(sentence, chars[start:position]) if not char.isspace()]
            # A sentence is the person's own only when most of it is their words, so a
            # long template sentence cannot hide behind a short quote on the same line.
            own = sum(m[0] for m in marks) * 2 > len(marks)
            # the words that came from plan fields other than names: what a practitioner wrote
            written = "".join(char if mark[2] else " " for char, mark in zip(sentence, chars[start:position]))
            # and all but the names: "Wessbury Telecare" is who they are, not jargon to explain
            unnamed = "".join(char if mark[3] else " " for char, mark in zip(sentence, chars[start:position]))
            yield Sentence(sentence, where, own, block, template_text=any(m[1] for m in marks),
                           field_text=" ".join(written.split()), unnamed_text=" ".join(unnamed.split()))


_NAME_FIELDS = (".name", ".known_as", ".called", ".who", ".who_is_responsible", ".organisation")
_WHO_FIELDS = (".who", ".who_is_responsible")  # names, or words about who: "Your allocated worker"


def _judged_in_names(field: str | None, text: str) -> list[bool]:
    """For each character of a run, whether the word rules judge it: all of it, but for the names in a name field.
    A "who" is judged but for its capitalised words ("Your allocated worker": 'allocated'; not "Wessbury Telecare")."""
    if field is None or not field.endswith(_NAME_FIELDS):
        return [True] * len(text)
    judged = [False] * len(text)
    if field.endswith(_WHO_FIELDS):
        for match in re.finditer(r"[\w'’-]+", text):
            if match.group(0)[0].islower():
                judged[match.start():match.end()] = [True] * (match.end() - match.start())
    return judged


def _items_with(document: Document, fields: tuple[str, ...]) -> set[str]:
    """The parts of the plan that have one of these fields ("carers[0]" has a `.name`; a step, its `.who`)."""
    return {run.field.rsplit(".", 1)[0] for _kind, runs, _source in statements(document) for run in runs
            if run.field and run.field.endswith(fields)}


def _document_names(document: Document) -> tuple[set[str], list[str]]:
    """Words of the plan's name fields (people, organisations), which are never hard words; and the
    ways a practitioner would write the person's name ("Margaret", and "Mr Brooks" unless someone
    else in the plan is a Brooks too)."""
    written = [run.text for _kind, runs, _source in statements(document) for run in runs
               if run.field and run.field.endswith(_NAME_FIELDS)]
    names = {lexicon.normalise(word) for text in written for word in text.split()}
    person: list[str] = []
    for name in document._person_names:
        words = name.split()
        titled = words[0].rstrip(".") if words and words[0].lower().rstrip(".") in TITLES else None
        words = [word for word in words if word.lower().rstrip(".") not in TITLES]
        if not words:
            continue
        names |= {lexicon.normalise(word) for word in words}
        person.append(words[0])
        others = [text for text in written if words[-1] in text.split() and words[0] not in text.split()]
        if len(words) > 1 and not others:
            person += [f"{title} {words[-1]}" for title in ([titled] if titled else ["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"])]
    return names, person


def _document_glossary(document: Document) -> set[str]:
    """The words the document's own "Words to know" explains."""
    blocks = [*document.blocks, *(block for section in sections(document) for block in section.blocks)]
    return {term.word for block in blocks if isinstance(block, Glossary) for term in block.terms}


def pictures_shown(document: Document, contact_cards: bool = True) -> list[str]:
    """Each picture a reader sees, in order, named by its symbols: one picture beside each row of
    an idea (easyread.presentation.layout.rows), and one picture under two names (a pound note for `money` and
    `budget`) is still one picture. Without `contact_cards`, not the pictures beside contact cards."""
    from easyread.presentation.layout import picture_identity, shown

    refs = [document.symbols[block.symbol] for block in shown(document.blocks, document.symbols)
            if block.symbol in document.symbols and (contact_cards or not isinstance(block, ContactCard))]
    pictures = [picture_identity(ref) for ref in refs]
    names: dict[str, set[str]] = {}
    for picture, ref in zip(pictures, refs):
        names.setdefault(picture, set()).add(ref.name)
    return [":, :".join(sorted(names[picture])) for picture in pictures]


def check(document: Document, *, profile: str | Profile | None = None,
          only: Callable[[Sentence], bool] | None = None) -> Report:
    """Judge a composed Document; the report says whether it must be refused.

    `only` keeps the findings of the sentences it accepts (and those about the whole text).
    """
    chosen = get_profile(profile or document.profile)
    sentences = list(document_sentences(document))
    names, person = _document_names(document)
    report = judge(sentences, chosen, document.title, _document_glossary(document), names, person,
                   addressed=document.addressed, own_voice=document.kind is not None and not document.addressed,
                   # a part that is a person (a helper, a card), or names who does it (a step's "who")
                   people_items=_items_with(document, (".name", ".known_as", ".relationship")),
                   who_items=_items_with(document, _WHO_FIELDS), pronouns=document._person_pronouns,
                   # a contact card's picture is the same mark on every card, by design: not a picture that means
                   # nothing for being everywhere (a letter with 5 contacts was warned of its card picture)
                   pictures=pictures_shown(document, contact_cards=False) if chosen.shows_pictures(document.needs) else ())
    report.kind = document.kind
    if only is not None:
        kept = {s.position for s in sentences if only(s)}
        report.findings = [f for f in report.findings if f.position in kept or f.position < 0]
    origin = getattr(document, "_origin", None)
    if origin is not None:
        _add_file_lines(report, sentences, origin)
    return report


def _add_file_lines(report: Report, sentences: list[Sentence], origin: Origin) -> None:
    """Give the sentences that have findings (and their findings) the input file and line their plan fields are on.

    Only these: the file's line map is built on first use, and a plan with no findings never needs it.
    """
    found: dict[int, Location] = {}
    for number, finding in enumerate(report.findings):
        if finding.position < 0:
            continue  # about the whole text
        if finding.position not in found:
            sentence = sentences[finding.position]
            line = next((line for name in sentence.source.fields if (line := origin.line(name)) is not None), None)
            if line is not None:  # template wording alone was not written in the file
                sentence.source = replace(sentence.source, file=origin.name, line=line)
            found[finding.position] = sentence.source
        report.findings[number] = replace(finding, source=found[finding.position])


_GLOSSARY_HEADING = re.compile(r"^(words to know|glossary|what (the )?words mean|hard words)\b", re.I)
_GLOSSARY_ENTRY = re.compile(rf"^({LETTER}[\w'’ -]{{0,40}}?)\s*(?::|\s[-–]\s)\s*\S")


def check_text(text: str, *, profile: str | Profile = "easy-read", name: str = "<text>") -> Report:
    """Judge plain text: one paragraph or bullet per line (a "Words to know" list counts as a glossary)."""
    if len(text) > MAX_INPUT_BYTES:  # as for a plan: refused before any of it is judged
        from easyread.errors import InputError, Problem

        raise InputError([Problem(f"is {len(text):,} characters long; easyread checks at most {MAX_INPUT_BYTES:,}",
                                  file=name)])
    chosen = get_profile(profile)
    glossary: set[str] = set()
    in_glossary = False
    sentences: list[Sentence] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = normalise(line).strip().lstrip("-*•#> ").strip()
        if _GLOSSARY_HEADING.match(line):
            in_glossary = True
        elif in_glossary and (entry := _GLOSSARY_ENTRY.match(line)):
            glossary.add(entry.group(1).strip())
        for sentence in split(line):
            sentences.append(Sentence(sentence, Location(file=name, line=number), block=number))
    return judge(sentences, chosen, name, glossary)
