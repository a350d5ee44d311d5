"""The readability gate: judge every sentence of a Document against a profile."""

from __future__ import annotations

from collections.abc import Iterable

from easyread.document import Document
from easyread.profile import Profile, get_profile
from easyread.readability.report import Finding, Report
from easyread.readability.rules import RULES, Sentence
from easyread.readability.sentences import split, words

__all__ = ["Finding", "Report", "check", "check_text", "check_sentences"]


def check_sentences(sentences: Iterable[Sentence], profile: Profile, name: str) -> Report:
    """Run every rule the profile turns on over some sentences."""
    report = Report(profile=profile.name, name=name)
    active = [(rule, profile.rule(rule.id)) for rule in RULES if profile.rule(rule.id).severity != "off"]
    for sentence in sentences:
        report.sentences += 1
        report.words += len(words(sentence.text))
        for rule, settings in active:
            report.findings.extend(rule.check(sentence, settings, profile.name))
    return report


def document_sentences(document: Document) -> Iterable[Sentence]:
    """Every sentence of a Document, with its source and whether it is the person's own words."""
    for _kind, runs, source in document.statements():
        text = "".join(run.text for run in runs)
        own_chars = [run.own_words for run in runs for _ in run.text]
        position = 0
        for sentence in split(text):
            start = text.find(sentence, position)
            position = start + len(sentence)
            # A sentence is the person's own only when most of it is their words, so a
            # long template sentence cannot hide behind a short quote on the same line.
            marks = [own for char, own in zip(sentence, own_chars[start:position]) if not char.isspace()]
            yield Sentence(sentence, str(source), sum(marks) * 2 > len(marks))


def check(document: Document, profile: str | Profile | None = None) -> Report:
    """Judge a composed Document; the report says whether it must be refused."""
    chosen = get_profile(profile or document.profile)
    return check_sentences(document_sentences(document), chosen, document.title)


def check_text(text: str, profile: str | Profile = "easy-read", name: str = "<text>") -> Report:
    """Judge plain text: one paragraph or bullet per line."""
    chosen = get_profile(profile)

    def sentences() -> Iterable[Sentence]:
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip().lstrip("-*•#> ").strip()
            for sentence in split(line):
                yield Sentence(sentence, f"{name}:{number}")

    return check_sentences(sentences(), chosen, name)
