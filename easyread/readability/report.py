"""The readability report: every finding with its sentence, where it came from, the numbers and a fix."""

from __future__ import annotations

import itertools
import json
import re
import textwrap
from dataclasses import asdict, dataclass, field, replace
from typing import Literal

from easyread.errors import EasyReadError

Level = Literal["refuse", "warn", "note"]
_PATH_PART = re.compile(r"\[\d+\]|[^.\[\]]+")


@dataclass(frozen=True)
class Scores:
    """Whole-text readability scores, counted with our own sentences and words."""

    flesch_reading_ease: float
    flesch_kincaid_grade: float
    smog: float
    words: int
    sentences: int


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


@dataclass(frozen=True)
class FieldFix:
    """One place to change so the text passes: a plan field (or a template's wording), and how."""

    field: str | None  # the plan field path; None for a template's own wording
    file: str | None
    line: int | None
    template: str | None
    fix: str


@dataclass(frozen=True)
class SentenceFindings:
    """One sentence with all its problems, refusals first; `also` are other places with the very same sentence."""

    sentence: str
    source: Location
    findings: tuple[Finding, ...]
    also: tuple[Location, ...] = ()

    @property
    def level(self) -> Level:
        """The worst level of its findings."""
        return min((f.level for f in self.findings), key=_LEVELS.index)


_LEVELS: tuple[Level, ...] = ("refuse", "warn", "note")


@dataclass
class Report:
    """All findings for one text in one profile."""

    profile: str
    name: str
    findings: list[Finding] = field(default_factory=list)
    sentences: int = 0
    words: int = 0
    scores: Scores | None = None
    kind: str | None = None  # the input kind (easyread.inputs.model.KINDS): what a field's fix can be; None for plain text
    wording: str = "easy-read"  # the wording the profile shows when a field has both: where a field's fix goes
    list_all: str = "easyread check --all"  # the command that lists every warning and note, for the summary

    @property
    def refusals(self) -> list[Finding]:
        """Findings that stop any output being written."""
        return [f for f in self.findings if f.level == "refuse"]

    @property
    def refused(self) -> bool:
        """True when the text must not be written."""
        return bool(self.refusals)

    def whole_text(self) -> list[Finding]:
        """Findings about the whole text (an average, a count, the scores), refusals first."""
        return sorted((f for f in self.findings if f.position < 0), key=lambda f: _LEVELS.index(f.level))

    def by_sentence(self) -> list[SentenceFindings]:
        """Each sentence with findings once, in text order, with all its problems; a sentence said the
        same way in several places (a template line used for every need) is listed once, with its places."""
        grouped: dict[int, list[Finding]] = {}
        for finding in self.findings:
            if finding.position >= 0:
                grouped.setdefault(finding.position, []).append(finding)
        seen: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
        out: list[SentenceFindings] = []
        for findings in grouped.values():
            ordered = tuple(sorted(findings, key=lambda f: _LEVELS.index(f.level)))
            key = (ordered[0].sentence, tuple((f.rule, f.message) for f in ordered))
            if key in seen:
                first = out[seen[key]]
                out[seen[key]] = replace(first, also=(*first.also, ordered[0].source))
                continue
            seen[key] = len(out)
            out.append(SentenceFindings(ordered[0].sentence, ordered[0].source, ordered))
        return out

    def fixes(self) -> list[FieldFix]:
        """The places to change so the text passes, each once, in the order the text uses them."""
        from easyread.inputs.kinds import takes_easy_read

        found: dict[tuple[str | None, str | None], FieldFix] = {}
        places = [(item.source, *item.also) for item in self.by_sentence() if item.level == "refuse"]
        # a refusal of the whole text (its scores) is placed at its longest part: that is a place to change too
        places += [(f.source,) for f in self.whole_text() if f.level == "refuse" and (f.source.fields or f.source.template)]
        for sources in places:
            for source in sources:
                # the fields that hold wording: in a table row or "name: relationship", not the name or the time
                worded = [name for name in source.fields if self.kind and takes_easy_read(self.kind, name)]
                for name in worded:
                    found.setdefault((name, None), FieldFix(
                        name, source.file, source.line, source.template,
                        "add an easy_read: wording beside each (the professional wording stays in the record)"
                        if self.wording == "easy-read" else "change the professional wording: this profile shows it"))
                if worded:
                    continue
                simpler = [name for name in source.fields if name.endswith(".easy_read")]
                for name in simpler:  # the easy-read wording itself is too hard
                    found.setdefault((name, None), FieldFix(name, source.file, source.line, source.template,
                                                            "say it more simply: this is the easy_read: wording"))
                if simpler:
                    continue
                if source.template:  # the template's own words (around names and dates) are what to change
                    where = f"{source.template}:{source.template_line}" if source.template_line else source.template
                    found.setdefault((None, where), FieldFix(None, None, None, where, "change the template's own wording"))
                elif source.fields:
                    found.setdefault((source.fields[0], None), FieldFix(source.fields[0], source.file, source.line, None,
                                                                         "say it in everyday words"))
                else:
                    where = f"{source.file}:{source.line}" if source.file and source.line else self.name
                    found.setdefault((None, where), FieldFix(None, source.file, source.line, where, "rewrite the sentence"))
        # in the order of the plan file when its lines are known (the glossary is printed last, but written early)
        return sorted(found.values(), key=lambda fix: (fix.line is None, fix.line or 0))

    def to_text(self, *, all_warnings: bool = False) -> str:
        """The report for a person to read: a summary first, then each sentence to fix once with its problems."""
        counts = {level: sum(f.level == level for f in self.findings) for level in _LEVELS}
        fixes = self.fixes()
        lines = [f"{self.name}: {'REFUSED' if self.refused else 'passed'} for {self.profile}"
                 + (f": {_count(len(fixes), 'place')} to change" if self.refused else "")]
        head = f"{self.sentences} sentences, {self.words:,} words"
        if self.scores:
            head += (f"; Flesch reading ease {self.scores.flesch_reading_ease}, Flesch-Kincaid grade "
                     f"{self.scores.flesch_kincaid_grade}, SMOG {self.scores.smog}")
        lines.append(head + f"; {_count(counts['refuse'], 'refusal')}, {_count(counts['warn'], 'warning')}, "
                            f"{_count(counts['note'], 'note')}.")
        if fixes:
            lines += ["", f"To change ({len(fixes)}), in plan order:"]
            for fix, group in itertools.groupby(fixes, key=lambda fix: fix.fix):
                places = [f"{place.field or place.template}" + (f" (line {place.line})" if place.field and place.line else "")
                          for place in group]
                lines.append(f"  {fix[0].upper()}{fix[1:]}:")
                lines += textwrap.wrap(", ".join(places), width=110, initial_indent="    ", subsequent_indent="    ",
                                       break_long_words=False, break_on_hyphens=False)
        whole = [f for f in self.whole_text() if all_warnings or f.level == "refuse"]
        if whole:
            lines += ["", "About the whole text:"]
            lines += [f"  {f.level.upper()} {f.rule}: {f.message}. Fix: {f.fix}" for f in whole]
        items = self.by_sentence()
        shown = [item for item in items if all_warnings or item.level == "refuse"]
        if shown:
            lines += ["", "Sentences to change:" if not all_warnings else "Every sentence with a finding:", ""]
        for item in shown:
            also = f" and {_count(len(item.also), 'more place')}" if item.also else ""
            hidden = [] if all_warnings else list(dict.fromkeys(f.rule for f in item.findings if f.level != "refuse"))
            lines += [f"* {item.source}{also}" + (f" (also warned: {', '.join(hidden)})" if hidden else ""),
                      f'  "{item.sentence}"']
            lines += [f"  {f.level.upper()} {f.rule}: {f.message}. Fix: {f.fix}" for f in item.findings
                      if f.level == "refuse" or all_warnings]
        rest = [item for item in items if item not in shown]
        unsaid = len(self.whole_text()) - len(whole)
        if rest or unsaid:
            hidden = [f"{len(rest)} more {'sentence has' if len(rest) == 1 else 'sentences have'} only warnings or notes"
                      ] if rest else []
            hidden += [f"{unsaid} {'warning is' if unsaid == 1 else 'warnings are'} about the whole text"] if unsaid else []
            lines += ["", "; ".join(hidden) + f"; `{self.list_all}` lists them."]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The report for machines: the same structure as the text (summary, sentences), and every finding."""
        data = {
            "name": self.name, "profile": self.profile, "refused": self.refused,
            "sentences": self.sentences, "words": self.words,
            "scores": asdict(self.scores) if self.scores else None,
            "summary": {"fixes": [asdict(fix) for fix in self.fixes()],
                        "whole_text": [asdict(f) for f in self.whole_text()]},
            "by_sentence": [{"sentence": item.sentence, "source": asdict(item.source), "level": item.level,
                             "also": [asdict(place) for place in item.also],
                             "problems": [{key: value for key, value in asdict(f).items() if key not in ("sentence", "source")}
                                          for f in item.findings]} for item in self.by_sentence()],
            "findings": [asdict(f) for f in self.findings],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class TooDenseError(EasyReadError):
    """The readability gate refused the text; `report` says which sentences and how to fix them."""

    def __init__(self, report: Report) -> None:
        self.report = report
        refusals = report.refusals
        n = len(refusals)
        super().__init__(
            f"refused: {n} sentence{'s' if n != 1 else ''} too hard to read for {report.profile}; nothing was written"
        )


def _count(number: int, thing: str) -> str:
    """'1 note', '2 notes'."""
    return f"{number} {thing}{'' if number == 1 else 's'}"
