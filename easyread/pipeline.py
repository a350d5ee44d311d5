"""The pipeline: load -> compose -> check -> write, with atomic output."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from easyread.compose import compose, profile_for
from easyread.document import Document
from easyread.errors import OutputError, TooDenseError, WriterUnavailable
from easyread.house_style import HouseStyle, load_house_style
from easyread.load import Input, Source, load
from easyread.profile import Profile, get_profile
from easyread.readability import Report, check
from easyread.writers import formats_for, writer


@dataclass
class Rendered:
    """What a render produced: the files written, the report, and any formats skipped."""

    document: Document
    report: Report
    paths: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # formats the needs ask for that this version cannot make
    unavailable: list[str] = field(default_factory=list)  # formats whose engine is missing, and what to install


def output_stem(source: Source) -> str:
    """The base name for outputs: the input file's name without its extension."""
    if isinstance(source, (str, Path)):
        return Path(source).name.split(".")[0] or "document"
    return "document"


def prepare_folder(outdir: Path) -> Path:
    """Make sure the output folder exists and is writable, or say why not."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=outdir, prefix=".easyread-", delete=True)
        probe.close()
    except OSError as err:
        reason = err.strerror or str(err)
        raise OutputError(f"cannot write to the folder {str(outdir)!r} ({reason}); choose another folder with -o") from None
    return outdir


def write_all(document: Document, profile: Profile, formats: list[str], outdir: Path, stem: str,
              protect: Path | None = None, unavailable: list[str] | None = None) -> list[Path]:
    """Write each format to a temporary file, then move them all into place.

    A writer that fails leaves nothing behind, and no earlier good output is replaced. A
    format whose engine is not installed is skipped (its reason added to `unavailable`).
    """
    unavailable = [] if unavailable is None else unavailable
    modules = [writer(fmt) for fmt in formats]
    targets = [outdir / f"{stem}{module.EXTENSION}" for module in modules]
    if protect is not None and protect.resolve() in {t.resolve() for t in targets}:
        raise OutputError(f"writing {protect.name} would replace the input file; choose another folder with -o")
    prepare_folder(outdir)
    temps: list[Path] = []
    written: list[tuple[Path, Path]] = []
    try:
        for module, target in zip(modules, targets):
            handle, name = tempfile.mkstemp(dir=outdir, prefix=f".{target.name}.", suffix=".part")
            os.close(handle)
            temps.append(Path(name))
            try:
                module.write(document, profile, temps[-1])
            except WriterUnavailable as err:
                unavailable.append(f"{target.suffix.lstrip('.')}: {err}")  # the other formats still get written
                continue
            written.append((temps[-1], target))
        mode = 0o666 & ~_umask()  # mkstemp makes 0600 files; outputs are ordinary files
        for temp, target in written:
            os.chmod(temp, mode)
            os.replace(temp, target)
    except OSError as err:
        raise OutputError(f"could not write to {str(outdir)!r}: {err.strerror or err}") from None
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
        audio = sys.modules.get("easyread.writers.audio")
        if audio is not None:  # its MP3 and WAV share a recording: minutes of audio not to keep after the render
            audio.forget()
    return [target for _, target in written]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def render(source: Source | Input, formats: list[str] | None = None, profile: str | Path | Profile | None = None,
           template: str | Path | None = None, outdir: str | Path = ".", stem: str | None = None,
           symbols: str | Path | None = None, house_style: str | Path | HouseStyle | None = None) -> Rendered:
    """Render a plan, review or letter into files; raises TooDenseError (writing nothing) if refused.

    With no formats, the formats come from the person's recorded information needs; `symbols`
    is a council's folder of pictures that extends or overrides the shipped ones, and
    `house_style` its name, logo, font and colours (a file, see easyread.house_style).
    """
    loaded = load(source)
    chosen = get_profile(profile or profile_for(loaded))
    if house_style is not None:
        style = house_style if isinstance(house_style, HouseStyle) else load_house_style(house_style)
        chosen = chosen.with_house_style(style)
    document = compose(loaded, template, chosen, symbols)
    report = check(document, chosen)
    if report.refused:
        raise TooDenseError(report)
    skipped: list[str] = []
    if not formats:
        formats, skipped = formats_for(loaded.person.information_needs.formats)
        formats = formats or ["txt"]
    for fmt in formats:
        writer(fmt)  # unknown formats fail before anything is written
    protect = Path(source) if isinstance(source, (str, Path)) else None
    unavailable: list[str] = []
    paths = write_all(document, chosen, list(dict.fromkeys(formats)), Path(outdir), stem or output_stem(source), protect,
                      unavailable)
    return Rendered(document, report, paths, skipped, unavailable)
