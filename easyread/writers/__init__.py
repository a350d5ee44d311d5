"""Writers: one module per format, each seeing only the Document and a Profile.

A writer module defines `EXTENSION`, `MEDIA_TYPE` and `render(document, profile) -> bytes`,
and is imported only when its format is asked for, so a missing optional engine never
slows or breaks the others. Writers never touch the disk (but for caches): the pipeline
writes their bytes to files, atomically.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from types import ModuleType
from typing import Any, TypeVar

from easyread.errors import UsageError

# format name -> module under easyread.writers
WRITERS = {"txt": "txt", "json": "json", "docx": "docx", "pdf": "pdf", "mp3": "mp3", "wav": "wav", "speech.txt": "speech",
           "html": "html", "brf": "brf", "epub": "epub"}
# the formats a speech engine makes (read-along EPUB included): slow, so a server gives them workers of their own
SPOKEN = ("mp3", "wav", "epub")
# `--to all`: every format, but not WAV (the MP3's audio, uncompressed, made only on request)
ALL = [fmt for fmt in WRITERS if fmt != "wav"]
# what a person's recorded information need asks for, best first
NEED_FORMATS = {
    "easy-read": ["docx", "pdf"],
    "large-print": ["docx", "pdf"],
    "standard-print": ["pdf"],
    "audio": ["mp3"],
    "email": ["html"],
    "braille": ["brf"],
    "epub": ["epub"],
}

T = TypeVar("T")
A = TypeVar("A")
# what the writers of one render share (the MP3's and WAV's recording); see one_render()
_SHARED: ContextVar[dict[Any, Any] | None] = ContextVar("easyread_render_shared", default=None)
_CLIPS = object()  # its key in a render's memo, for the sentences' speech
_FORMATS = object()  # and for the formats the render makes
_CLIPS_LOCK = threading.Lock()


def writer(fmt: str) -> ModuleType:
    """The writer module for a format name."""
    if fmt not in WRITERS:
        raise UsageError(f"no writer for {fmt!r}; formats are {', '.join(WRITERS)}")
    return importlib.import_module(f"{__name__}.{WRITERS[fmt]}")


def spoken(fmt: str, read_along: bool = True) -> bool:
    """True when a speech engine makes the format: the audio always, an EPUB when it is read along."""
    return fmt in SPOKEN and (fmt != "epub" or read_along)


def split_formats(text: str | None) -> list[str] | None:
    """Formats named in a list like "pdf,docx" (a CLI option, an HTTP query); "all" is ALL with any named
    beside it ("all,wav"); None when none are named."""
    if not text:
        return None
    formats = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    if "all" in formats:
        return list(dict.fromkeys([*ALL, *(f for f in formats if f != "all")]))
    return formats or None


def formats_for(needs: list[str]) -> tuple[list[str], list[str]]:
    """The formats a person's recorded needs ask for: (available, not yet available)."""
    wanted = list(dict.fromkeys(fmt for need in needs for fmt in NEED_FORMATS.get(need, [])))
    available = [fmt for fmt in wanted if fmt in WRITERS]
    missing = [fmt for fmt in wanted if fmt not in WRITERS]
    return available, missing


def made_at() -> dt.datetime:
    """When the outputs are made: now, or $SOURCE_DATE_EPOCH, so that the same input can give the same bytes.

    SOURCE_DATE_EPOCH is the reproducible-builds.org convention (seconds since 1970, UTC).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


@contextmanager
def one_render(formats: Sequence[str] = (), read_along: bool = True) -> Iterator[None]:
    """While it lasts, writers share what they make with `shared` (one recording for MP3 and WAV), and when
    the render makes both audio and a read-along book, the speech of each sentence with `clip`.

    A context variable, so renders in other threads never see it, and nothing is kept afterwards.
    """
    memo: dict[Any, Any] = {_FORMATS: frozenset(formats)}
    if read_along and "epub" in formats and ("mp3" in formats or "wav" in formats):
        memo[_CLIPS] = {}  # else no sentence is said twice, and keeping them all would only cost memory
    token = _SHARED.set(memo)
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(key: Any, make: Callable[[], T]) -> T:
    """`make()`, made once for each key within one render (made afresh outside one)."""
    memo = _SHARED.get()
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]  # type: ignore[no-any-return]


def making(*formats: str) -> bool:
    """True when the render in hand makes every one of these formats (a writer need not keep what no other uses)."""
    memo = _SHARED.get()
    return memo is not None and set(formats) <= memo.get(_FORMATS, frozenset())


def clip(key: Any, make: Callable[[], T]) -> T:
    """A sentence's speech, said once in a render that makes it for both the audio and the read-along book."""
    memo = _SHARED.get()
    clips = memo.get(_CLIPS) if memo is not None else None
    if clips is None:
        return make()
    from concurrent.futures import Future  # only for a render with both: its import is slow for a command's start

    with _CLIPS_LOCK:  # the parts of a recording are spoken side by side: one thread says it, the others wait
        said, mine = clips.get(key), key not in clips
        if mine:
            said = clips[key] = Future()
    if mine:
        try:
            said.set_result(make())
        except BaseException as err:
            said.set_exception(err)
            raise
    return said.result()  # type: ignore[no-any-return]


def in_this_render(task: Callable[[A], T]) -> Callable[[A], T]:
    """`task`, to run on a worker thread as part of this render: a new thread starts outside every render."""
    memo = _SHARED.get()

    def run(argument: A) -> T:
        token = _SHARED.set(memo)
        try:
            return task(argument)
        finally:
            _SHARED.reset(token)
    return run
