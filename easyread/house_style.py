"""A council's house style: its name, logo, font, colours and contact block, in a small file.

    name: Northmoor Council
    font: Arial
    colours: {text: "#1A1A1A", headings: "#00427A"}
    logo: {file: logo.png, alt: Northmoor Council logo}
    contact: [Adult Social Care, Civic Centre, Market Street, Northmoor NM1 1AA, 01632 960 000]
    body_pt: 16            # optional; never under the profile's minimum

Colours must reach WCAG 2.2 AA contrast for text (4.5 to 1) on a white page; anything
less is refused with the ratio it has. Writers read the house style from the Profile.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from easyread.errors import InputError, Problem
from easyread.model import Colour, Picture

MIN_CONTRAST = 4.5
WHITE = "#FFFFFF"


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

    name: str = Field(min_length=1)
    font: str = Field(default="Arial", min_length=1)
    colours: Colours = Field(default_factory=Colours)
    logo: Picture | None = Field(default=None, description="The logo, relative to the house style file, and its alt text.")
    contact: list[str] = Field(default_factory=list)
    body_pt: float | None = Field(default=None, gt=0)


def load_house_style(path: str | Path) -> HouseStyle:
    """Read and check a house style file (YAML or JSON); every problem is reported at once."""
    from easyread.loader import field_path, parse, read_text
    from easyread.symbols.pictures import PictureProblem, check_picture

    path = Path(path)
    data, locate = parse(read_text(path), str(path), is_json=path.suffix.lower() == ".json")
    if not isinstance(data, dict):
        raise InputError([Problem("expected a house style with a name:, font:, colours: ...", file=str(path))])
    try:
        style = HouseStyle.model_validate(data, context={"base_dir": path.parent.resolve()})
    except ValidationError as err:
        marks = locate()
        problems = []
        for error in err.errors(include_url=False):
            loc = tuple(error["loc"])
            line = marks.get(loc, (None, None))[0]
            message = str(error.get("ctx", {}).get("error", error["msg"])) if error["type"] == "value_error" else error["msg"]
            problems.append(Problem(message, file=str(path), field=field_path(loc), line=line))
        raise InputError(problems) from None
    if style.logo is not None:
        try:
            check_picture(style.logo.file)
        except PictureProblem as err:
            raise InputError([Problem(str(err), file=str(path), field="logo.file")]) from None
    return style
