"""The readability report: every finding with its sentence, where it came from, the numbers and a fix."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from easyread.readability.rules import Scores

Level = Literal["refuse", "warn", "note"]
_PATH_PART = re.compile(r"\[\d+\]|[^.\[\]]+")


def _short_fields(fields: tuple[str, ...]) -> str:
    """Up to 2 fields by name; more (a table row's cells) by the part of the plan they share."""
    if len(fields) <= 2:
        return ", ".join(fields)
    split = [_PATH_PART.findall(name) for name in fields]
    shared = []
    for parts in zip(*split):
        if len(set(parts)) > 1:
            break
        shared.append(parts[0])
    if shared:
        return "".join(part if part.startswith("[") or not number else f".{part}" for number, part in enumerate(shared))
    return f"{fields[0]}, {fields[1]} and {len(fields) - 2} more"


@dataclass(frozen=True)
class Location:
    """Where a sentence came from: plan fields, a template line, and the line of the input file.

    Every part is optional: plain text has only `file` and `line`; a sentence of a
    template's own wording has no `fields`; a finding about the whole text has nothing.
    """

    fields: tuple[str, ...] = ()  # plan field paths, such as "outcomes[2].title"
    template: str | None = None
    template_line: int | None = None
    file: str | None = None  # the input file the plan or text was read from, as the caller named it
    line: int | None = None  # the line in that file

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        where = (f"{self.template}:{self.template_line}" if self.template and self.template_line
                 else self.template or "")
        if self.fields:
            parts.append(_short_fields(self.fields) + (f" ({where})" if where else ""))
        elif where:
            parts.append(where)
        return " ".join(parts) or "the whole text"


@dataclass(frozen=True)
class Finding:
    """One problem with one sentence, and how to fix it.

    `message` is the sentence a person reads; `numbers` holds the same measurements as
    data (`{"words": 47, "limit": 25}`), and `words` the word(s) or phrase it is about.
    """

    rule: str
    level: Level
    sentence: str
    source: Location
    message: str
    fix: str
    numbers: dict[str, int | float] = field(default_factory=dict, hash=False)
    words: tuple[str, ...] = ()
    position: int = -1  # the sentence's number in the text; -1 for the whole text

    def __str__(self) -> str:
        return f"{self.level.upper()} {self.rule} at {self.source}\n  \"{self.sentence}\"\n  {self.message}. Fix: {self.fix}"


@dataclass
class Report:
    """All findings for one text in one profile."""

    profile: str
    name: str
    findings: list[Finding] = field(default_factory=list)
    sentences: int = 0
    words: int = 0
    scores: Scores | None = None

    @property
    def refusals(self) -> list[Finding]:
        """Findings that stop any output being written."""
        return [f for f in self.findings if f.level == "refuse"]

    @property
    def refused(self) -> bool:
        """True when the text must not be written."""
        return bool(self.refusals)

    def to_text(self) -> str:
        """The report for a person to read."""
        counts = {level: sum(f.level == level for f in self.findings) for level in ("refuse", "warn", "note")}
        verdict = "REFUSED" if self.refused else "passed"
        head = (
            f"{self.name}: {verdict} for {self.profile} "
            f"({self.sentences} sentences, {self.words} words; "
            f"{counts['refuse']} to fix, {counts['warn']} warnings, {counts['note']} notes)"
        )
        if self.scores:
            head += (f"\nScores: Flesch reading ease {self.scores.flesch_reading_ease}, "
                     f"Flesch-Kincaid grade {self.scores.flesch_kincaid_grade}, SMOG {self.scores.smog}")
        return "\n\n".join([head, *map(str, self.findings)]) + "\n"

    def to_json(self) -> str:
        """The report for machines: each finding's source and numbers are objects."""
        data = {
            "name": self.name, "profile": self.profile, "refused": self.refused,
            "sentences": self.sentences, "words": self.words,
            "scores": asdict(self.scores) if self.scores else None,
            "findings": [asdict(f) for f in self.findings],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
