"""The pipeline: load -> compose -> check -> write, to memory (bytes) or to files (atomically).

`Renderer` holds what many renders share - a profile, a template, a council's symbols and
house style, read once - and is safe to share between threads: it keeps no per-render
state, and what it uses (word tables, symbol pictures, compiled templates, the speech
engine) is loaded once per process behind locks or is read-only. Nothing here changes
the process: no working folder, umask, stdout or signal handler is touched.
"""

from __future__ import annotations

import os
import secrets
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from easyread.composer import compose, profile_name_for
from easyread.document import Document
from easyread.errors import OutputError, UsageError, WriterUnavailable, making
from easyread.inputs.house_style import HouseStyle, load_house_style
from easyread.inputs.kinds import kind_named
from easyread.inputs.loader import InputSource, input_file, load, origin_of
from easyread.inputs.model import VOICES, Input, Voice
from easyread.inputs.names import data_stem
from easyread.inputs.profile import Profile, get_profile
from easyread.presentation.layout import Layout
from easyread.readability import Report, check
from easyread.readability.report import TooDenseError
from easyread.scratch import due
from easyread.symbols import SymbolSet, symbol_set
from easyread.writers import format_of, formats_for, in_making_order, leftover_pattern, spoken
from easyread.writers.plan import RenderPlan


@dataclass
class Rendered:
    """What a render made: the Document, its readability report, each format's bytes, and any files written."""

    document: Document
    report: Report
    files: dict[str, bytes] = field(default_factory=dict)  # format -> content, in the order asked
    stem: str = "document"  # the name files are given, without an extension
    paths: list[Path] = field(default_factory=list)  # the files written, by render(); none by render_bytes()
    skipped: list[str] = field(default_factory=list)  # formats the needs ask for that this version cannot make
    unavailable: list[str] = field(default_factory=list)  # formats whose engine is missing, and what to install
    notes: list[str] = field(default_factory=list)  # what a writer did in place of what was asked ("fmt: ...")
    voice: str | None = None  # the speech engine and voice of the audio formats, if any were made

    @property
    def formats(self) -> list[str]:
        """The formats made, in the order asked."""
        return list(self.files)

    def filename(self, fmt: str) -> str:
        """The file name for a format: the stem and the format's extension (`jordan-plan.pdf`)."""
        return self.stem + format_of(fmt).extension

    def media_type(self, fmt: str) -> str:
        """The format's media type, for HTTP responses and email attachments."""
        return format_of(fmt).media_type

    def content(self, fmt: str) -> bytes:
        """The content of one format; UsageError if it was not made."""
        if fmt not in self.files:
            made = ", ".join(self.files) or "none"
            raise UsageError(f"{fmt!r} was not rendered (made: {made}); ask for it in formats=")
        return self.files[fmt]


class Renderer:
    """Renders plans, reviews and letters with the same settings; one can serve every thread of a process.

    Settings given here are the defaults of each call; a call's own keyword arguments win.
    """

    def __init__(self, *, profile: str | Path | Profile | None = None, template: str | Path | None = None,
                 symbols: str | Path | SymbolSet | None = None, house_style: str | Path | HouseStyle | None = None,
                 picture_folders: Sequence[str | Path] = (), voice: str | None = None,
                 read_along: bool | None = None) -> None:
        if voice not in (None, *VOICES):
            raise UsageError(f"voice {voice!r} is not one easyread has; use one of: {', '.join(VOICES)}")
        self.voice: Voice | None = voice  # checked against VOICES above
        self.read_along = read_along  # False: an EPUB without its recording; None: as the profile says
        self.picture_folders = tuple(Path(folder) for folder in picture_folders)  # besides each plan's own folder
        self.profile = get_profile(profile) if profile is not None else None
        self.template = template
        self.symbols = symbols if isinstance(symbols, SymbolSet) or symbols is None \
            else symbol_set(str(Path(symbols).resolve()))
        self.house_style = house_style if isinstance(house_style, HouseStyle) or house_style is None \
            else load_house_style(house_style)

    def profile_for(self, loaded: Input, profile: str | Path | Profile | None = None,
                    read_along: bool | None = None) -> Profile:
        """The profile for a document: the one asked for, else the person's recorded needs; with the house style."""
        chosen = get_profile(profile) if profile is not None else self.profile or get_profile(profile_name_for(loaded))
        read_along = self.read_along if read_along is None else read_along
        chosen = chosen.with_presentation(voice=self.voice, read_along=read_along)
        return chosen.with_house_style(self.house_style) if self.house_style is not None else chosen

    def compose(self, source: InputSource | Input, *, profile: str | Path | Profile | None = None,
                template: str | Path | None = None) -> Document:
        """An input composed into a Document (not yet checked)."""
        loaded = load(source, picture_folders=self.picture_folders)
        return compose(loaded, template=template or self.template, profile=self.profile_for(loaded, profile),
                       symbols=self.symbols)

    def render_bytes(self, source: InputSource | Input, *, formats: Sequence[str] | None = None,
                     profile: str | Path | Profile | None = None, template: str | Path | None = None,
                     read_along: bool | None = None) -> Rendered:
        """Every format asked for as bytes, touching no files but caches; TooDenseError if the gate refuses.

        With no formats, the formats come from the person's recorded information needs.
        """
        loaded = load(source, picture_folders=self.picture_folders)
        chosen = self.profile_for(loaded, profile, read_along)
        document = compose(loaded, template=template or self.template, profile=chosen, symbols=self.symbols)
        report = check(document, profile=chosen)
        if report.refused:
            raise TooDenseError(report)
        skipped: list[str] = []
        if not formats:
            formats, skipped = formats_for(list(loaded.person.information_needs.formats))
            formats = formats or ["txt"]
        if isinstance(formats, str):
            raise UsageError(f"formats must be a list of format names, like [{formats!r}], not a string")
        wanted = list(dict.fromkeys(formats))
        writers = {fmt: format_of(fmt).writer() for fmt in wanted}  # unknown formats fail before anything is made
        done = Rendered(document, report, stem=output_stem(source, loaded), skipped=skipped)
        # the MP3 and WAV share one recording, and the read-along book its sentences: in the plan, which goes
        # when the render ends
        layout = Layout.of(document, chosen)  # how it looks and sounds, decided once for every format
        plan = RenderPlan(frozenset(wanted), layout.read_along)
        made = {}
        for fmt in in_making_order(wanted):  # the speech script after the audio, which measures it
            try:
                with making(fmt):
                    made[fmt] = writers[fmt].render(document, layout, plan)
            except WriterUnavailable as err:
                done.unavailable.append(str(err))  # "pdf: ...": the other formats are still made
        done.files.update((fmt, made[fmt]) for fmt in wanted if fmt in made)  # in the order asked
        done.notes = plan.notes
        house = chosen.house
        if house is not None and house.name.casefold() != loaded.organisation.name.casefold():
            # another council's letterhead on this plan: a mix-up a reader (and a data-protection officer) would see
            done.notes.append(f"the house style is {house.name}'s, but the {kind_named(loaded.kind).words} is from "
                              f"{loaded.organisation.name}: check the house style given")
        language = loaded.person.information_needs.language
        if language and not language.casefold().endswith("english"):
            # the Accessible Information Standard: the person's recorded need is met by people, not by this English
            done.notes.append(f"{loaded.person.called} wants information in {language}, and easyread writes English: "
                              f"arrange a translation, or an interpreter to go through the "
                              f"{kind_named(loaded.kind).words} with them")
        if any(spoken(fmt, layout.read_along) for fmt in done.files):  # the voice that spoke
            from easyread.writers.audio import voice_for
            from easyread.writers.plan import spoken_by

            speaker = voice_for(layout)
            done.voice = spoken_by(speaker.engine, speaker.voice)  # the engine and voice that spoke it
            recorded, british = loaded.person.information_needs.voice, speaker.engine == "espeak-ng"
            if recorded == "british" and british:
                # no British natural voice can be installed offline: the person should know what they will hear
                done.notes.append(f"{loaded.person.called} asked for a British voice: easyread's only one is "
                                  f"espeak-ng, clear but robotic, and harder to follow than the natural voice "
                                  f"(docs/audio.md); check it suits them, or use --voice natural")
            elif recorded and (recorded == "british") != british:  # the render's own choice won
                done.notes.append(f"{loaded.person.called}'s recorded voice is {recorded}, but this audio is "
                                  f"spoken by {done.voice}, as this render asked")
        return done

    def render(self, source: InputSource | Input, *, outdir: str | Path = ".", stem: str | None = None,
               formats: Sequence[str] | None = None, profile: str | Path | Profile | None = None,
               template: str | Path | None = None) -> Rendered:
        """Render into files in `outdir`, named after the input (or `stem`), all written or none.

        Raises TooDenseError (writing nothing) if the gate refuses. A file is never written over the input.
        """
        done = self.render_bytes(source, formats=formats, profile=profile, template=template)
        folder = prepare_folder(Path(outdir))
        if stem is not None:
            done.stem = stem
        done.paths = write_files({done.filename(fmt): data for fmt, data in done.files.items()}, folder,
                                 protect=input_file(source))
        return done


def output_stem(source: object, loaded: Input | None = None) -> str:
    """The base name for outputs: the input file's name without its data suffix (.yaml, .yml, .json; any other
    dot is part of the name), also of a plan loaded from a file; else "document"."""
    origin = origin_of(loaded) if loaded is not None else None
    named = input_file(source) or (origin.name if origin is not None and not origin.name.startswith("<") else None)
    return data_stem(str(named)) if named else "document"


def prepare_folder(outdir: Path) -> Path:
    """Make sure the output folder exists and is writable, or say why not; clear what a killed render left there."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        _create(outdir / f".easyread-{secrets.token_hex(8)}.probe").unlink()
    except OSError as err:
        reason = err.strerror or str(err)
        raise OutputError(f"cannot write to the folder {str(outdir)!r} ({reason}); choose another folder with -o") from None
    _sweep_now(outdir)
    return outdir


def _create(path: Path) -> Path:
    """Create a new, empty file with the usual permissions (the umask applies; mkstemp would make it private)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    return path


STALE_AFTER_SECONDS = 60  # a live render locks its .part file the moment it makes it; this covers that moment
SWEEP_EVERY_SECONDS = 600  # a long-running process looks in a folder again after this long


def _sweep_now(folder: Path) -> None:
    """Sweep a folder on this process's first render into it, then at most every SWEEP_EVERY_SECONDS."""
    if due(f"parts:{os.path.abspath(folder)}", SWEEP_EVERY_SECONDS):
        remove_stale_parts(folder)


def remove_stale_parts(folder: str | Path) -> list[Path]:
    """Remove the hidden half-written files (`.<name>.easyread-<hex>.part`) a killed render left in `folder`; return them.

    Only files with easyread's own names, that no process holds locked (a live render locks each
    .part file it writes until it is in place) and that were last written over a minute ago.
    """
    removed: list[Path] = []
    # what write_files and prepare_folder leave if the process is killed (kill -9, the OOM killer), for every
    # registered format: only these names are ever swept, and only when no process holds them
    leftover = leftover_pattern()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if leftover.fullmatch(entry.name) and _remove_if_abandoned(Path(entry.path)):
            removed.append(Path(entry.path))
    return removed


def _remove_if_abandoned(path: Path) -> bool:
    """Remove one leftover if it is a plain file, a minute old, and no process holds its lock; True if removed."""
    try:
        info = path.lstat()
        age = time.time() - info.st_mtime
        if not stat.S_ISREG(info.st_mode) or age < STALE_AFTER_SECONDS:
            return False
        try:
            import fcntl
        except ImportError:  # no flock (Windows): only a file an hour old is surely abandoned
            if age < 3600:
                return False
            path.unlink()
            return True
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while its writer is alive
            except OSError:
                return False
            path.unlink()  # while holding the lock, so no writer can be using it
            return True
        finally:
            os.close(handle)
    except OSError:  # gone already, or not ours to remove: leave it
        return False


def _lock(handle: int) -> None:
    """Hold a .part file while it is written, so a sweep in another process or thread never removes it."""
    try:
        import fcntl
    except ImportError:
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a file system without locks: the age rule still protects it
        pass


def write_files(files: dict[str, bytes], outdir: Path, protect: Path | None = None) -> list[Path]:
    """Write each file under a temporary name, then move them all into place.

    If any write fails, nothing is left behind and no earlier good file is replaced. A file
    that would replace `protect` (the input) is refused before anything is written. Each
    temporary file is locked until it is in place, so a sweep (remove_stale_parts) leaves it alone.
    """
    targets = [outdir / name for name in files]
    if protect is not None and protect.resolve() in {t.resolve() for t in targets}:
        raise OutputError(f"writing {protect.name} would replace the input file; choose another folder with -o")
    temps: list[Path] = []
    handles: list[int] = []
    try:
        for target, data in zip(targets, files.values()):
            temp = outdir / f".{target.name}.easyread-{secrets.token_hex(4)}.part"
            handles.append(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            temps.append(temp)
            _lock(handles[-1])
            with open(handles[-1], "wb", closefd=False) as stream:
                stream.write(data)
        for temp, target in zip(temps, targets):
            os.replace(temp, target)
    except OSError as err:
        raise OutputError(f"could not write to {str(outdir)!r}: {err.strerror or err}") from None
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
        for handle in handles:
            os.close(handle)  # and so unlock, now that each file is in place (or gone)
    return targets


def render_bytes(source: InputSource | Input, *, formats: Sequence[str] | None = None,
                 profile: str | Path | Profile | None = None, template: str | Path | None = None,
                 symbols: str | Path | SymbolSet | None = None, house_style: str | Path | HouseStyle | None = None,
                 picture_folders: Sequence[str | Path] = (), voice: str | None = None,
                 read_along: bool | None = None) -> Rendered:
    """Render an input (a plan, a letter ...) to bytes in memory (`done.content("pdf")`); TooDenseError if refused.

    `source` is a Plan, Review or Letter, a dict, a file path, or YAML or JSON text. With no
    formats, they come from the person's recorded needs. `symbols` is a council's folder of
    pictures; `house_style` its name, logo, font and colours (see easyread.inputs.house_style);
    `picture_folders` where photos may be besides the plan's own folder; `voice` the audio's voice,
    "natural" or "british" (else the person's recorded need, else the natural voice where installed);
    `read_along=False` an EPUB without its recording (else as the profile says).
    """
    return Renderer(profile=profile, template=template, symbols=symbols, house_style=house_style,
                    picture_folders=picture_folders, voice=voice,
                    read_along=read_along).render_bytes(source, formats=formats)


def render(source: InputSource | Input, *, formats: Sequence[str] | None = None, outdir: str | Path = ".",
           stem: str | None = None, profile: str | Path | Profile | None = None, template: str | Path | None = None,
           symbols: str | Path | SymbolSet | None = None, house_style: str | Path | HouseStyle | None = None,
           picture_folders: Sequence[str | Path] = (), voice: str | None = None,
           read_along: bool | None = None) -> Rendered:
    """Render an input (a plan, a letter ...) into files in `outdir`; raises TooDenseError (writing nothing) if refused.

    Takes what render_bytes() takes, and writes one file per format named after the input.
    """
    return Renderer(profile=profile, template=template, symbols=symbols, house_style=house_style,
                    picture_folders=picture_folders, voice=voice,
                    read_along=read_along).render(source, outdir=outdir, stem=stem, formats=formats)
