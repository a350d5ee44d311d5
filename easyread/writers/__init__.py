"""Writers: one module per format, each seeing only the Document and a Profile.

A format is a `Format` record in `FORMATS`: its name, file extension, media type, what it needs
installed, whether a voice speaks it, and the module whose `render(document, profile) -> bytes` makes
it (the `Writer` protocol). The module is imported only when its format is asked for, so a missing
optional engine never slows or breaks the others. Writers never touch the disk (but for caches): the
pipeline writes their bytes to files, atomically. Every other part of easyread (the pipeline, the
batch, the command, the service) learns the formats from `FORMATS`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from easyread.errors import UsageError

if TYPE_CHECKING:
    from easyread.document import Document
    from easyread.inputs.profile import Profile


class Writer(Protocol):
    """What a writer module gives: the format's bytes for a Document in a Profile."""

    def render(self, document: Document, profile: Profile) -> bytes:
        """The whole file's content."""
        ...


@dataclass(frozen=True)
class Format:
    """One output format, known before its writer is imported."""

    name: str  # as asked for: `--to pdf`, `formats=["speech.txt"]`
    extension: str  # what the file name ends with: `jordan-plan.speech.txt`
    media_type: str  # for HTTP answers and email attachments
    module: str  # the writer module under easyread.writers
    needs: str = ""  # what must be installed beyond easyread's own dependencies, for the docs and messages
    spoken: bool = False  # a speech engine makes it: slow, so a server gives such formats workers of their own
    in_all: bool = True  # `--to all` makes it
    after: tuple[str, ...] = ()  # formats made before it in one render, when both are asked for (it measures them)

    def writer(self) -> Writer:
        """The format's writer module, imported now."""
        return cast(Writer, importlib.import_module(f"{__name__}.{self.module}"))


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format (a council's own writer, say); a name or extension already taken is refused."""
    taken = next((known for known in FORMATS.values() if fmt.extension == known.extension), None)
    if fmt.name in FORMATS or taken is not None:
        raise UsageError(f"the format {fmt.name!r} ({fmt.extension}) is already registered")
    FORMATS[fmt.name] = fmt
    return fmt


for _format in (
    Format("txt", ".txt", "text/plain; charset=utf-8", "txt"),
    Format("json", ".json", "application/json", "json"),
    Format("docx", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    Format("pdf", ".pdf", "application/pdf", "pdf", needs="the typst package; Noto fonts for other scripts"),
    Format("mp3", ".mp3", "audio/mpeg", "mp3", needs="the voice extra (natural voice) or espeak-ng", spoken=True),
    # the MP3's audio, uncompressed: made only on request
    Format("wav", ".wav", "audio/wav", "wav", needs="the voice extra (natural voice) or espeak-ng", spoken=True,
           in_all=False),
    # after the audio: the script then says how long the recording lasts
    Format("speech.txt", ".speech.txt", "text/plain; charset=utf-8", "speech", after=("mp3", "wav")),
    Format("html", ".html", "text/html; charset=utf-8", "html"),
    Format("brf", ".brf", "application/x-brf", "brf", needs="liblouis (lou_translate)"),
    Format("epub", ".epub", "application/epub+zip", "epub", needs="a voice, for the read-along recording",
           spoken=True),
):
    register(_format)

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


def format_of(fmt: str) -> Format:
    """The Format of a name; UsageError naming the formats there are when there is none."""
    if fmt not in FORMATS:
        raise UsageError(f"no writer for {fmt!r}; formats are {', '.join(FORMATS)}")
    return FORMATS[fmt]


def writer(fmt: str) -> Writer:
    """The writer for a format name."""
    return format_of(fmt).writer()


def spoken(fmt: str, read_along: bool = True) -> bool:
    """True when a speech engine makes the format: the audio always, an EPUB when it is read along."""
    return fmt in FORMATS and FORMATS[fmt].spoken and (fmt != "epub" or read_along)


def in_making_order(formats: Sequence[str]) -> list[str]:
    """The formats in the order to make them: each after the formats it measures (`Format.after`)."""
    return sorted(formats, key=lambda fmt: any(before in formats for before in format_of(fmt).after))


def leftover_pattern() -> re.Pattern[str]:
    """The names of what a killed render can leave in a folder: a hidden half-written file of any registered
    format (`.jordan-plan.epub.1a2b3c4d.part`), and a write probe."""
    extensions = "|".join(re.escape(fmt.extension) for fmt in FORMATS.values())
    return re.compile(rf"\.(?:.+(?:{extensions})\.[0-9a-f]{{8}}\.part|easyread-[0-9a-f]{{16}}\.probe)", re.DOTALL)


def split_formats(text: str | None) -> list[str] | None:
    """Formats named in a list like "pdf,docx" (a CLI option, an HTTP query); "all" is every format but WAV, with any named
    beside it ("all,wav"); None when none are named."""
    if not text:
        return None
    formats = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    if "all" in formats:
        every = [name for name, fmt in FORMATS.items() if fmt.in_all]
        return list(dict.fromkeys([*every, *(f for f in formats if f != "all")]))
    return formats or None


def formats_for(needs: list[str]) -> tuple[list[str], list[str]]:
    """The formats a person's recorded needs ask for: (available, not yet available)."""
    wanted = list(dict.fromkeys(fmt for need in needs for fmt in NEED_FORMATS.get(need, [])))
    available = [fmt for fmt in wanted if fmt in FORMATS]
    missing = [fmt for fmt in wanted if fmt not in FORMATS]
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
