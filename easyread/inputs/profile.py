"""Profiles: a reading level and a presentation, kept as data so a council can add its own."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from easyread.errors import InputError, Problem, UsageError
from easyread.inputs.house_style import HouseStyle
from easyread.inputs.model import InformationNeeds, Voice
from easyread.inputs.names import profile_folder as _folder
from easyread.inputs.names import profile_names

Severity = Literal["refuse", "warn", "off"]


class Presentation(BaseModel):
    """How the text is shown: sizes in points, spacing, pictures."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    body_pt: float = Field(ge=8)
    min_body_pt: float = Field(ge=8)
    heading_scale: float = Field(default=1.4, ge=1)
    line_spacing: float = Field(default=1.5, ge=1, description="Baseline to baseline, in body sizes (CSS line-height).")
    heading_above: float = Field(default=1.2, ge=0.5, le=4, description="The space above a heading, in body sizes: "
                                 "more than under it (0.75), so a heading reads as the start of what follows.")
    pictures: bool = True
    picture_cm: float = Field(default=3.0, ge=1.5, le=6, description="The size of the picture beside each row, in cm.")
    tables: bool = True  # false: tables (the timetable) are written day by day, as lines a magnifier can follow
    speech_rate_wpm: int = Field(default=140, ge=80, le=250)
    voice: Voice | None = Field(default=None, description="The audio's voice, over the person's recorded need: "
                                "natural or british (see InformationNeeds.voice).")
    read_along: bool = Field(default=True, description="An EPUB carries its recording, each sentence highlighted as "
                             "it is spoken (media overlays); false: an EPUB of text and pictures only.")


class RuleSettings(BaseModel):
    """A rule's severity and thresholds in one profile; thresholds vary by rule."""

    model_config = ConfigDict(extra="allow", frozen=True)

    severity: Severity = "refuse"


class Profile(BaseModel):
    """A named reading level and presentation, e.g. easy-read or large-print."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    description: str = ""
    wording: Literal["easy-read", "standard"] = Field(
        description="Which wording of a field to use when the plan gives both."
    )
    presentation: Presentation
    rules: dict[str, RuleSettings] = Field(default_factory=dict)
    house: HouseStyle | None = Field(default=None, description="The council's house style, if one is given.")

    def rule(self, rule_id: str) -> RuleSettings:
        """The settings for one rule (off when the profile does not mention it)."""
        return self.rules.get(rule_id, RuleSettings(severity="off"))

    def with_house_style(self, style: HouseStyle) -> Profile:
        """This profile in a council's house style; a body size under the profile's minimum is refused."""
        presentation = self.presentation
        size = style.body_pt_for(self.name)
        if size is not None:
            if size < presentation.min_body_pt:
                each = "" if isinstance(style.body_pt, dict) else (
                    f", or give one size for each profile, like {{easy-read: {size:g}, {self.name}: "
                    f"{presentation.min_body_pt:g}}}")
                raise UsageError(f"the house style's body_pt {size:g} is under the {self.name} minimum of "
                                 f"{presentation.min_body_pt:g}pt; use {presentation.min_body_pt:g} or more{each}")
            presentation = presentation.model_copy(update={"body_pt": size})
        return self.model_copy(update={"house": style, "presentation": presentation})

    def with_voice(self, voice: Voice | None) -> Profile:
        """This profile with the audio spoken in a voice (natural or british); None leaves it as it is."""
        return self.with_presentation(voice=voice)

    def with_presentation(self, **changes: Any) -> Profile:
        """This profile with some presentation settings changed (voice, read_along ...); None leaves one as it is."""
        given = {name: value for name, value in changes.items() if value is not None}
        if not given:
            return self
        return self.model_copy(update={"presentation": self.presentation.model_copy(update=given)})

    def shows_pictures(self, needs: InformationNeeds) -> bool:
        """Pictures are shown when the profile has them and the person has not asked for none."""
        return self.presentation.pictures and needs.pictures != "none"

    def uses_tables(self, needs: InformationNeeds) -> bool:
        """Tables are drawn as tables when the profile has them and the person has not asked for none."""
        return self.presentation.tables and needs.tables

    def body_size(self, needs: InformationNeeds) -> float:
        """The body text size for a person: their recorded size when there is one, never under the minimum."""
        return max(needs.print_size_pt or self.presentation.body_pt, self.presentation.min_body_pt)


@lru_cache(maxsize=None)
def _shipped(name: str) -> Profile:
    from easyread.inputs.loader import read_yaml

    return Profile.model_validate(read_yaml(_folder().joinpath(f"{name}.yaml").read_text(encoding="utf-8")))


def get_profile(profile: str | Path | Profile) -> Profile:
    """A shipped profile by name, or a profile file (which may `extends:` a shipped one)."""
    if isinstance(profile, Profile):
        return profile
    if isinstance(profile, str) and profile in profile_names():
        return _shipped(profile)
    path = Path(profile)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise UsageError(f"no profile called {str(profile)!r}; profiles are {', '.join(profile_names())}, or a .yaml file")
    from easyread.inputs.loader import field_path, parse, read_text

    name = str(path)
    data, _ = parse(read_text(path), name, is_json=path.suffix.lower() == ".json")
    if not isinstance(data, dict):
        raise InputError([Problem("expected a profile with named fields", file=name)])
    base = data.pop("extends", None)
    if base is not None:
        data = _merge(get_profile(base).model_dump(), data)
    try:
        return Profile.model_validate(data)
    except ValidationError as err:
        raise InputError(
            [Problem(e["msg"], file=name, field=field_path(tuple(e["loc"]))) for e in err.errors(include_url=False)]
        ) from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge a profile file over the profile it extends."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged
