"""The readability report: every finding with its sentence, source, numbers and fix."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from easyread.readability.rules import Scores

Level = Literal["refuse", "warn", "note"]


@dataclass(frozen=True)
class Finding:
    """One problem with one sentence, and how to fix it."""

    rule: str
    level: Level
    sentence: str
    source: str
    numbers: str
    fix: str
    position: int = -1  # the sentence's number in the text; -1 for the whole text

    def __str__(self) -> str:
        return f"{self.level.upper()} {self.rule} at {self.source}\n  \"{self.sentence}\"\n  {self.numbers}. Fix: {self.fix}"


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
        """The report for machines."""
        data = {
            "name": self.name, "profile": self.profile, "refused": self.refused,
            "sentences": self.sentences, "words": self.words,
            "scores": asdict(self.scores) if self.scores else None,
            "findings": [asdict(f) for f in self.findings],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
