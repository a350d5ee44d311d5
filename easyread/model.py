"""Input models: a care and support plan, a review and a letter (Care Act 2014 s.25, s.27).

Every model forbids unknown fields, so a misspelt field is an error rather than lost
information. Dates are real dates, money is a decimal amount with a period, and any
professional wording may carry an easy-read wording beside it (`Wording`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Union, cast

from pydantic import (
    BaseModel, ConfigDict, Field, GetJsonSchemaHandler, JsonValue, PrivateAttr, TypeAdapter, ValidationInfo, field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue

# Marks a field that holds the person's own words: quoted as theirs, never rewritten,
# never refused by the readability gate.
OWN_WORDS: dict[str, JsonValue] = {"x-own-words": True}


class Model(BaseModel):
    """Base for every input model: unknown fields are errors, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Wording(Model):
    """Professional wording, optionally with an approved easy-read wording beside it."""

    text: str = Field(min_length=1, description="The professional wording.")
    easy_read: str | None = Field(
        default=None, min_length=1, description="The same meaning in easy-read English."
    )

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    def __str__(self) -> str:
        return self.text

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # The schema must admit the plain-string shorthand the validator accepts.
        as_object = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [{"type": "string", "minLength": 1}, dict(as_object)], "title": "Wording"}


# A plain string is accepted wherever a Wording is expected.
Text = Wording

OwnWords = Annotated[str, Field(min_length=1, json_schema_extra=OWN_WORDS)]

Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$", examples=["#FFFDD0"])]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ()-]{5,}[0-9]$", examples=["01632 960 123"])]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", examples=["duty@example.gov.uk"])]

Period = Literal["week", "fortnight", "four-weeks", "month", "year", "one-off"]
Day = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
Format = Literal["easy-read", "large-print", "audio", "email", "braille", "standard-print"]


class Money(Model):
    """An amount in pounds and how often it is paid."""

    amount: Decimal = Field(ge=0, decimal_places=2, max_digits=9, examples=["120.50"])
    per: Period = Field(description="How often: week, fortnight, four-weeks, month, year or one-off.")


class Picture(Model):
    """A picture file of the person's own (a photo of them, their home, a worker)."""

    file: Path = Field(description="PNG, JPEG or GIF, relative to the file that names it.")
    alt: str = Field(min_length=1, description="What the picture shows, for people who cannot see it.")

    @field_validator("file")
    @classmethod
    def _relative_to_plan(cls, file: Path, info: ValidationInfo) -> Path:
        base = (info.context or {}).get("base_dir")
        return base / file if base is not None and not file.is_absolute() else file


class InformationNeeds(Model):
    """The person's recorded information needs (Accessible Information Standard)."""

    formats: list[Format] = Field(default_factory=list, description="Formats the person needs.")
    print_size_pt: int | None = Field(default=None, ge=12, le=72, description="Body text size in points.")
    background_colour: Colour | None = Field(default=None, description="Page colour, for example cream #FFFDD0.")
    pictures: Literal["symbols", "photos", "none"] = "symbols"
    speech_rate_wpm: int | None = Field(default=None, ge=80, le=250, description="Spoken words a minute.")
    communication_support: list[Text] = Field(
        default_factory=list, description="Support to take part, e.g. 'British Sign Language interpreter'."
    )
    notes: str | None = None


class Organisation(Model):
    """The council or body the document comes from."""

    name: str = Field(min_length=1)
    team: str | None = None
    phone: Phone | None = None
    email: Email | None = None
    address: list[str] = Field(default_factory=list)
    website: str | None = None


class Person(Model):
    """The person the plan is for."""

    name: str = Field(min_length=1, description="Full name.")
    known_as: str | None = Field(default=None, description="The name they like to be called.")
    reference: str | None = Field(default=None, description="The council's case reference.")
    address: list[str] = Field(default_factory=list)
    photo: Picture | None = None
    how_i_communicate: list[Text] = Field(default_factory=list)
    information_needs: InformationNeeds = Field(default_factory=InformationNeeds)

    @property
    def called(self) -> str:
        """The name to use when speaking to the person."""
        return self.known_as or self.name.split()[0]


class Contact(Model):
    """Someone the person can get in touch with."""

    name: str = Field(min_length=1)
    role: Text
    organisation: str | None = None
    phone: Phone | None = None
    email: Email | None = None
    address: list[str] = Field(default_factory=list)
    hours: Text | None = Field(default=None, description="When they can be reached, e.g. 'Monday to Friday, 9am to 5pm'.")
    photo: Picture | None = None


class Helper(Model):
    """A person who helps: family, friends, neighbours, peer support."""

    name: str = Field(min_length=1)
    relationship: Text
    how_they_help: Text | None = None
    photo: Picture | None = None


CareActOutcome = Literal[
    "nutrition",
    "personal-hygiene",
    "toilet-needs",
    "clothing",
    "home-safety",
    "habitable-home",
    "relationships",
    "work-education-volunteering",
    "community-services",
    "caring-for-a-child",
]


class Need(Model):
    """A need found in the assessment and how it will be met."""

    area: Text = Field(description="What the need is about, e.g. 'Cooking and eating'.")
    care_act_outcome: CareActOutcome | None = Field(
        default=None, description="The outcome in the Care and Support (Eligibility Criteria) Regulations 2014."
    )
    description: Text
    eligible: bool
    how_met: Text | None = None


class Eligibility(Model):
    """The eligibility decision (Care Act 2014 s.13)."""

    decision: Literal["eligible", "not-eligible", "partly-eligible"]
    decided_on: dt.date
    explanation: Text


class Step(Model):
    """One step towards an outcome: who does what, and by when."""

    what: Text
    who: str = Field(min_length=1)
    by: dt.date | None = None
    how_often: Text | None = Field(default=None, description="For example 'every Tuesday'.")


class Outcome(Model):
    """Something the person wants to achieve."""

    title: Text
    why: OwnWords | None = Field(default=None, description="Why it matters, in the person's own words.", json_schema_extra=OWN_WORDS)
    steps: list[Step] = Field(default_factory=list)
    by: dt.date | None = None
    symbol: str | None = Field(default=None, description="A symbol name to show beside this outcome.")


class TimetableSlot(Model):
    """One regular session of support in the week."""

    day: Day
    start: dt.time
    end: dt.time
    activity: Text
    who: str = Field(min_length=1, description="Who gives the support.")

    @model_validator(mode="after")
    def _ends_after_start(self) -> TimetableSlot:
        if self.end <= self.start:
            raise ValueError(f"end {self.end:%H:%M} must be after start {self.start:%H:%M}")
        return self


class BudgetItem(Model):
    """Something the personal budget pays for."""

    what: Text
    cost: Money | None = None


class DirectPayment(Model):
    """The part of the budget paid to the person (Care Act 2014 s.31)."""

    amount: Money
    paid_into: Text | None = Field(default=None, description="For example 'a pre-paid card'.")
    managed_by: Text | None = Field(default=None, description="Who manages it, e.g. 'me, with help from my sister'.")
    used_for: list[Text] = Field(default_factory=list)


class PersonalBudget(Model):
    """The personal budget (Care Act 2014 s.26)."""

    total: Money
    my_contribution: Money | None = Field(default=None, description="What the person pays after a financial assessment.")
    managed_as: Literal["council-managed", "direct-payment", "individual-service-fund", "mixed"]
    pays_for: list[BudgetItem] = Field(default_factory=list)
    direct_payment: DirectPayment | None = None


class Advice(Model):
    """Advice and information given to the person."""

    topic: Text
    detail: Text


class Risk(Model):
    """Something that could go wrong and what is done about it."""

    worry: Text
    what_we_do: Text


class StayingSafe(Model):
    """Staying safe, and what to do if things go wrong."""

    risks: list[Risk] = Field(default_factory=list)
    if_things_go_wrong: list[Text] = Field(default_factory=list)
    emergency: Text | None = Field(default=None, description="What to do in an emergency.")


class Participant(Model):
    """Someone who took part, and their role."""

    name: str = Field(min_length=1)
    role: Text


class Involvement(Model):
    """Who was involved in making the plan and how the person took part."""

    people: list[Participant] = Field(default_factory=list)
    how_i_took_part: Text
    place: Text | None = Field(default=None, description="Where the person chose to meet.")
    dates: list[dt.date] = Field(default_factory=list)
    support_used: list[Text] = Field(default_factory=list)


class Agreement(Model):
    """Whether the person agrees with the plan."""

    status: Literal["agreed", "partly-agreed", "not-agreed", "not-asked-yet"]
    date: dt.date | None = None
    comments: OwnWords | None = Field(
        default=None, description="The person's comments, in their own words.", json_schema_extra=OWN_WORDS
    )


class NextReview(Model):
    """When the plan will be looked at again."""

    date: dt.date
    how_to_ask_earlier: Text


class Complaints(Model):
    """How to complain, and who can help."""

    how: Text
    contact: Contact
    independent_help: Text | None = Field(default=None, description="For example the Local Government and Social Care Ombudsman.")


class Term(Model):
    """A word the person may not know, and what it means."""

    word: str = Field(min_length=1)
    meaning: Text


class Common(Model):
    """Parts every document has."""

    organisation: Organisation
    person: Person
    contacts: list[Contact] = Field(default_factory=list)
    words_to_know: list[Term] = Field(default_factory=list, description="Extra words for the glossary.")
    # the file this was loaded from, for the line numbers of findings (easyread.loader.Origin)
    _origin: Any = PrivateAttr(None)


class Plan(Common):
    """A care and support plan (Care Act 2014 s.25)."""

    kind: Literal["plan"]
    title: str | None = None
    date: dt.date = Field(description="The date the plan was written.")
    worker: Contact = Field(description="The person's social worker or lead practitioner.")
    about_me: list[OwnWords] = Field(min_length=1, json_schema_extra=OWN_WORDS)
    what_matters_to_me: list[OwnWords] = Field(default_factory=list, json_schema_extra=OWN_WORDS)
    strengths: list[Text] = Field(default_factory=list)
    people_who_help: list[Helper] = Field(default_factory=list)
    needs: list[Need] = Field(min_length=1)
    eligibility: Eligibility
    outcomes: list[Outcome] = Field(min_length=1)
    timetable: list[TimetableSlot] = Field(default_factory=list)
    budget: PersonalBudget | None = None
    advice: list[Advice] = Field(default_factory=list)
    staying_safe: StayingSafe = Field(default_factory=StayingSafe)
    involvement: Involvement
    agreement: Agreement
    next_review: NextReview
    complaints: Complaints


class Progress(Model):
    """Progress on one outcome since the last plan."""

    outcome: Text
    progress: Literal["achieved", "on-track", "some-progress", "no-progress", "stopped"]
    notes: Text | None = None


class Change(Model):
    """A change agreed at the review."""

    what: Text
    who: str = Field(min_length=1)
    by: dt.date | None = None


class Review(Common):
    """A review of a care and support plan (Care Act 2014 s.27)."""

    kind: Literal["review"]
    title: str | None = None
    date: dt.date = Field(description="The date of the review meeting.")
    plan_date: dt.date = Field(description="The date of the plan being reviewed.")
    worker: Contact
    why_now: Text | None = Field(default=None, description="Why the review happened now (planned, or asked for).")
    involvement: Involvement
    in_my_words: list[OwnWords] = Field(default_factory=list, json_schema_extra=OWN_WORDS)
    working: list[Text] = Field(default_factory=list)
    not_working: list[Text] = Field(default_factory=list)
    what_has_changed: list[Text] = Field(default_factory=list)
    progress: list[Progress] = Field(default_factory=list)
    changes_agreed: list[Change] = Field(default_factory=list)
    needs: list[Need] = Field(default_factory=list, description="Needs found at this review.")
    timetable: list[TimetableSlot] = Field(default_factory=list, description="The new weekly support, if it changed.")
    budget: PersonalBudget | None = Field(default=None, description="The new personal budget, if it changed.")
    previous_budget: Money | None = None
    staying_safe: StayingSafe = Field(default_factory=StayingSafe)
    agreement: Agreement
    next_review: NextReview
    complaints: Complaints


class Place(Model):
    """Where a meeting happens."""

    name: str = Field(min_length=1)
    address: list[str] = Field(default_factory=list)
    getting_there: Text | None = Field(default=None, description="Access, parking, buses.")


class Meeting(Model):
    """A meeting the person is invited to."""

    purpose: Text
    date: dt.date
    start: dt.time
    end: dt.time | None = None
    place: Place
    who_will_be_there: list[Participant] = Field(default_factory=list)
    can_bring_someone: bool = True
    support_offered: list[Text] = Field(default_factory=list)
    online: Text | None = Field(default=None, description="How to join by video or phone instead, if the person prefers.")
    how_to_change: Text
    reply_by: dt.date | None = None


class Letter(Common):
    """A letter to the person, for example an invitation to their review meeting."""

    kind: Literal["letter"]
    purpose: Literal["review-invitation"] = "review-invitation"
    title: str | None = None
    date: dt.date = Field(description="The date on the letter.")
    sender: Contact
    meeting: Meeting
    complaints: Complaints | None = None


Input = Annotated[Union[Plan, Review, Letter], Field(discriminator="kind")]
KINDS: dict[str, type[Common]] = {"plan": Plan, "review": Review, "letter": Letter}
INPUT_ADAPTER: TypeAdapter[Plan | Review | Letter] = TypeAdapter(cast(Any, Input))  # an Annotated union is no type


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema for one kind of input: plan, review or letter."""
    schema = KINDS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://easyread.invalid/schema/{kind}.json"
    return schema
