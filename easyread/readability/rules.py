"""Readability rules: each a small named unit with an id, settings from the profile, and a fix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from easyread.profile import RuleSettings
from easyread.readability.report import Finding, Level
from easyread.readability.sentences import words


@dataclass(frozen=True)
class Sentence:
    """A sentence to judge: its text, where it came from, and whether it is the person's own words."""

    text: str
    source: str
    own_words: bool = False


def _level(settings_level: str, own_words: bool) -> Level:
    # The person's own words are theirs: never refused, only noted.
    return "note" if own_words else settings_level  # type: ignore[return-value]


_SPLIT_WORDS = ("because", "and", "but", "so", "which", "when", "while", "or", "if", "then", "who", "until")


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


class SentenceLength:
    """Sentences longer than the profile allows."""

    id = "sentence-length"

    def check(self, sentence: Sentence, settings: RuleSettings, profile: str) -> Iterator[Finding]:
        count = len(words(sentence.text))
        refuse_over = getattr(settings, "refuse_over", None)
        warn_over = getattr(settings, "warn_over", None)
        if refuse_over is not None and count > refuse_over:
            level = _level(settings.severity, sentence.own_words)
            limit = refuse_over
        elif warn_over is not None and count > warn_over:
            level, limit = _level("warn", sentence.own_words), warn_over
        else:
            return
        if level == "off":
            return
        yield Finding(
            rule=self.id, level=level, sentence=sentence.text, source=sentence.source,
            numbers=f"{count} words; {profile} needs {limit} or fewer",
            fix=split_hint(sentence.text) if not sentence.own_words else "these are the person's own words: keep them; consider a short summary beside them",
        )


RULES = [SentenceLength()]
