"""A council's house style: its name, logo, font, colours and contact block, in a small file.

    name: Northmoor Council
    font: Arial
    colours: {text: "#1A1A1A", headings: "#00427A"}
    logo: {file: logo.png, alt: Northmoor Council logo}
    contact: [Adult Social Care, Civic Centre, Market Street, Northmoor NM1 1AA, 01632 960 000]
    body_pt: 16            # optional; never under the profile's minimum; or {easy-read: 14, large-print: 18}

Colours must reach WCAG 2.2 AA contrast for text (4.5 to 1) on a white page; anything
less is refused with the ratio it has. The font is a font's name (letters, digits, spaces and
hyphens: it goes into the HTML's CSS and the Word file), body_pt is at most
easyread.inputs.limits.MAX_BODY_PT, and the words (name, contact lines, logo alt text) may not hold
control characters; explicit direction controls (U+202A-U+202E, U+2066-U+2069) are removed from
them, so none can turn a phone number round. Writers read the house style from the Profile.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from easyread.errors import InputError, Problem
from easyread.inputs.direction import without_direction_controls
from easyread.inputs.limits import MAX_BODY_PT
from easyread.inputs.model import Colour, Picture

MIN_CONTRAST = 4.5
WHITE = "#FFFFFF"
# A profile's name, as a profile file may give it ("easy-read-wide").
PROFILE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
# A font's name: words of letters and digits, joined by single spaces or hyphens ("Open Sans", "Source Sans 3").
FONT_NAME = re.compile(r"[^\W_]+(?:[ -][^\W_]+)*")
MAX_FONT_NAME = 100


def words(text: str) -> str:
    """House-style words, checked: no control characters (they break the Word file and mean nothing in
    print), and no direction controls, which are removed."""
    for index, ch in enumerate(text):
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in ("\ufffe", "\uffff"):
            raise ValueError(f"holds the control character U+{ord(ch):04X} (character {index + 1}); remove it")
    return without_direction_controls(text)


Words = Annotated[str, AfterValidator(words)]


def luminance(colour: str) -> float:
    """The relative luminance of a #RRGGBB colour (WCAG 2.2)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


class Colours(BaseModel):
    """Text and heading colours, each readable on a white page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Colour = "#000000"
    headings: Colour = "#000000"

    @field_validator("text", "headings")
    @classmethod
    def _readable(cls, colour: str) -> str:
        ratio = contrast(colour, WHITE)
        if ratio < MIN_CONTRAST:
            raise ValueError(f"{colour} on a white page has contrast {ratio:.2f} to 1; text needs at least "
                             f"{MIN_CONTRAST} to 1 (WCAG 2.2 AA): choose a darker colour")
        return colour.upper()


class HouseStyle(BaseModel):
    """How a council's documents look and say who they are from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Words = Field(min_length=1)
    font: str = Field(default="Arial", min_length=1, description="A font's name: letters, digits, spaces and hyphens.")
    font_files: list[Path] = Field(default_factory=list, description="The font's files (regular, bold ...), beside "
                                   "the house style file, for the PDF to embed on any machine; left out, the PDF "
                                   "embeds the font where it is installed, else uses Atkinson Hyperlegible.")
    colours: Colours = Field(default_factory=Colours)
    logo: Picture | None = Field(default=None, description="The logo, relative to the house style file, and its alt text.")
    contact: list[Words] = Field(default_factory=list)
    body_pt: float | dict[str, float] | None = Field(
        default=None, description=f"Body text size in points, at most {MAX_BODY_PT}: one size, or one for each "
                                  "profile (`{easy-read: 14, large-print: 18}`); a profile not named keeps its own.")

    @field_validator("font")
    @classmethod
    def _font_name(cls, font: str) -> str:
        if len(font) > MAX_FONT_NAME or not FONT_NAME.fullmatch(font):
            shown = font if len(font) <= 60 else font[:57] + "..."
            raise ValueError(f"{shown!r} is not a font name: use only letters, digits, spaces and hyphens, "
                             "for example Arial or Open Sans")
        return font

    @field_validator("body_pt", mode="before")
    @classmethod
    def _body_size(cls, given: Any) -> float | dict[str, float] | None:
        """One size, or a size for each profile: each a number of points easyread makes, each profile's name one
        that could be (a shipped profile's, or close to none of them: a profile file's own)."""
        from easyread.inputs.loader import did_you_mean
        from easyread.inputs.names import profile_names

        if given is None:
            return None
        sizes = given if isinstance(given, dict) else {"": given}
        shipped = profile_names()
        for profile, size in sizes.items():
            named = f"{profile}: " if profile else ""
            if isinstance(size, bool) or not isinstance(size, (int, float)) or not 0 < size <= MAX_BODY_PT:
                raise ValueError(f"{named}expected a size in points, more than 0 and at most {MAX_BODY_PT}, like 16; "
                                 f"got {size!r}" + ("" if given is sizes else " (or one size for each profile, like "
                                                    "{easy-read: 14, large-print: 18})"))
            if profile and profile not in shipped:
                guess = did_you_mean(str(profile), shipped)
                if guess or not PROFILE_NAME.fullmatch(str(profile)):
                    raise ValueError(f"{profile!r} is not a profile{guess}; the shipped profiles are "
                                     f"{', '.join(shipped)}, or give a profile file's own name")
        return {str(profile): float(size) for profile, size in sizes.items()} if given is sizes else float(given)

    def body_pt_for(self, profile: str) -> float | None:
        """The body size this house style gives for a profile; None for the profile's own."""
        return self.body_pt.get(profile) if isinstance(self.body_pt, dict) else self.body_pt

    @field_validator("logo")
    @classmethod
    def _logo_alt(cls, logo: Picture | None) -> Picture | None:
        if logo is None:
            return None
        try:
            alt = words(logo.alt)
        except ValueError as err:
            raise ValueError(f"logo.alt {err}") from None
        return logo if alt == logo.alt else logo.model_copy(update={"alt": alt})


def load_house_style(path: str | Path) -> HouseStyle:
    """Read and check a house style file (YAML or JSON); every problem is reported at once."""
    from easyread.inputs.loader import field_path, parse, read_text, unknown_key
    from easyread.inputs.pictures import PictureProblem, check_picture

    path = Path(path)
    data, locate = parse(read_text(path), str(path), is_json=path.suffix.lower() == ".json")
    if not isinstance(data, dict):
        raise InputError([Problem("expected a house style with a name:, font:, colours: ...", file=str(path))])
    try:
        style = HouseStyle.model_validate(data, context={"base_dir": path.parent.resolve(),
                                                         "named_by": "house style"})
    except ValidationError as err:
        marks = locate()
        problems = []
        for error in err.errors(include_url=False):
            loc = tuple(error["loc"])
            line = marks.get(loc, (None, None))[0]
            message = str(error.get("ctx", {}).get("error", error["msg"])) if error["type"] == "value_error" else error["msg"]
            if error["type"] == "extra_forbidden":
                message = unknown_key(HouseStyle, loc, "a house-style key")
            problems.append(Problem(message, file=str(path), field=field_path(loc), line=line))
        raise InputError(problems) from None
    if style.logo is not None:
        try:
            check_picture(style.logo.file, named_by="the house style file")
        except PictureProblem as err:
            raise InputError([Problem(str(err), file=str(path), field="logo.file")]) from None
    if style.font_files:
        places, problems = _font_files(style, path, locate())
        if problems:
            raise InputError(problems)
        style = style.model_copy(update={"font_files": places})
    return style


def _font_files(style: HouseStyle, path: Path, marks: dict[Any, Any]) -> tuple[list[Path], list[Problem]]:
    """Where each font file given is; and each one that is outside the house style's folder, is not a font, is
    another family's, or may not be embedded (its licence says so)."""
    from easyread.inputs.font_files import font_facts

    folder = path.parent.resolve()
    places = [(folder / file).resolve() for file in style.font_files]
    problems = []
    for index, (file, place) in enumerate(zip(style.font_files, places)):
        where = {"file": str(path), "field": f"font_files[{index}]", "line": marks.get(("font_files", index), (None,))[0]}
        if not place.is_relative_to(folder):
            problems.append(Problem(f"{str(file)!r} is outside the house style's folder; put the font file beside it",
                                    **where))
            continue
        if not place.is_file():
            problems.append(Problem(f"{str(file)!r} is not there; give the font file's name relative to the house "
                                    "style file", **where))
            continue
        try:
            families, may_embed = font_facts(str(place))
        except ValueError as err:
            problems.append(Problem(f"{str(file)!r} {err}", **where))
            continue
        if style.font.casefold() not in {family.casefold() for family in families}:
            problems.append(Problem(f"{str(file)!r} is the font {' or '.join(sorted(families)) or '(unnamed)'}, not "
                                    f"{style.font}: give the files of {style.font}, or set font: to their name",
                                    **where))
        elif not may_embed:
            problems.append(Problem(f"{str(file)!r}: the font's licence does not let a document embed it (OS/2 fsType "
                                    "says restricted), so no PDF may carry it; leave font_files out, and the PDF uses "
                                    "Atkinson Hyperlegible while Word names the house font", **where))
    return places, problems
