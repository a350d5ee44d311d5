"""Writers: one module per format, each seeing only the Document and its Layout.

A format is a `Format` record in `FORMATS`: its name, file extension, media type, what it needs
installed, whether a voice speaks it, and the module whose `render(document, layout, plan) -> bytes` makes
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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from easyread.errors import UsageError

if TYPE_CHECKING:
    from easyread.document import Document
    from easyread.presentation.layout import Layout
    from easyread.writers.plan import RenderPlan


class Writer(Protocol):
    """What a writer module gives: the format's bytes for a Document laid out by its Layout, as part of a render's plan."""

    def render(self, document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
        """The whole file's content."""
        ...


@dataclass(frozen=True)
class Format:
    """One output format, known before its writer is imported."""

    name: str  # as asked for: `--to pdf`, `formats=["speech.txt"]`
    extension: str  # what the file name ends with: `jordan-plan.speech.txt`
    media_type: str  # for HTTP answers and email attachments
    module: str  # the writer module: a name under easyread.writers ("pdf"), or a whole dotted path of one elsewhere
    needs: str = ""  # what must be installed beyond easyread's own dependencies, for the docs and messages
    spoken: bool = False  # a speech engine makes it: slow, so a server gives such formats workers of their own
    spoken_when_read_along: bool = False  # a speech engine makes it only when it is read along (an EPUB)
    in_all: bool = True  # `--to all` makes it
    after: tuple[str, ...] = ()  # formats made before it in one render, when both are asked for (it measures them)

    def writer(self) -> Writer:
        """The format's writer module, imported now."""
        name = self.module if "." in self.module else f"{__name__}.{self.module}"
        return cast(Writer, importlib.import_module(name))


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
           spoken_when_read_along=True),
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
    known = FORMATS.get(fmt)
    return known is not None and (known.spoken or known.spoken_when_read_along and read_along)


def in_making_order(formats: Sequence[str]) -> list[str]:
    """The formats in the order to make them: each after the formats it measures (`Format.after`)."""
    return sorted(formats, key=lambda fmt: any(before in formats for before in format_of(fmt).after))


def leftover_pattern() -> re.Pattern[str]:
    """The names of what a killed render can leave in a folder: a hidden half-written file of any registered
    format (`.jordan-plan.epub.easyread-1a2b3c4d.part`), and a write probe. Both carry easyread's name: another
    program's `.notes.txt.1a2b3c4d.part` is never taken for ours."""
    extensions = "|".join(re.escape(fmt.extension) for fmt in FORMATS.values())
    return re.compile(rf"\.(?:.+(?:{extensions})\.easyread-[0-9a-f]{{8}}\.part|easyread-[0-9a-f]{{16}}\.probe)",
                      re.DOTALL)


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
