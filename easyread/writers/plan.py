"""What one render's formats share, handed to each writer: the recording the MP3, the WAV and the speech
script share, and the speech of each sentence the audio and the read-along book share. Nothing is kept
anywhere else: the plan lives as long as its render."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

    from easyread.presentation.script import Script

T = TypeVar("T")


@dataclass
class Chapter:
    """A part of the recording: its title and where it starts and ends, in milliseconds."""

    title: str
    start_ms: int
    end_ms: int


@dataclass
class Recording:
    """Mono 16-bit PCM, with its rate, its chapters, the script that was spoken and who spoke it."""

    pcm: bytearray
    chapters: list[Chapter]
    script: Script
    sample_rate: int
    engine: str = "espeak-ng"
    voice: str = ""

    @property
    def seconds(self) -> float:
        """How long it lasts."""
        return len(self.pcm) / 2 / self.sample_rate

    @property
    def speaker(self) -> str:
        """The engine and voice, as the tags and the render's result name them."""
        return spoken_by(self.engine, self.voice)


def spoken_by(engine: str, voice: str) -> str:
    """An engine and its voice, named for people: "hibari-tts, voice heart (American English, female)"."""
    return f"{engine}, voice {voice}"


class Clips:
    """The speech of each sentence in a render that makes both the recording and the read-along book: said once,
    by whichever asks first; the other waits for it (the parts of a recording are spoken side by side)."""

    def __init__(self) -> None:
        self._said: dict[Any, Future[Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, make: Callable[[], T]) -> T:
        """The speech for `key`, made by `make()` the first time it is asked for."""
        from concurrent.futures import Future  # only for a render with both: its import is slow for a command's start

        with self._lock:
            said, mine = self._said.get(key), key not in self._said
            if said is None:
                said = self._said[key] = Future()
        if mine:
            try:
                said.set_result(make())
            except BaseException as err:
                said.set_exception(err)
                raise
        return said.result()  # type: ignore[no-any-return]


@dataclass
class RenderPlan:
    """One render's formats, and what they share, handed to each writer: the MP3 and the WAV one recording, the
    speech script that recording's measured length, the audio and the read-along book each sentence's speech.
    It lives as long as the render; a writer given none makes everything afresh."""

    formats: frozenset[str] = frozenset()
    read_along: bool = True
    # each sentence's speech, kept only when both the audio and a read-along book are made: else none is said twice
    clips: Clips | None = field(init=False)
    # the recording, kept only when the MP3 and the WAV are both made (one render is one document in one layout)
    recording: Recording | None = field(default=None, init=False)
    said: Script | None = field(default=None, init=False)  # the speech script as the recording said it, with its length
    notes: list[str] = field(default_factory=list, init=False)  # what a writer did in place of what was asked

    def __post_init__(self) -> None:
        audio = not self.formats.isdisjoint({"mp3", "wav"})
        self.clips = Clips() if self.read_along and "epub" in self.formats and audio else None

    def making(self, *formats: str) -> bool:
        """True when the render makes every one of these formats (a writer need not keep what no other uses)."""
        return set(formats) <= self.formats
