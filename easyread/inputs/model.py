"""Input models: a care and support plan, a review and a letter (Care Act 2014 s.25, s.27), a one-page
profile and a hospital passport.

Every model forbids unknown fields, so a misspelt field is an error rather than lost
information. Dates are real dates, money is a decimal amount with a period, and any
professional wording may carry an easy-read wording beside it (`Wording`).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path, PureWindowsPath
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    JsonValue,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue

from easyread.inputs.limits import MAX_FIELD_CHARS, MAX_LIST_ITEMS, MAX_TITLE_CHARS

# Marks a field that holds the person's own words: quoted as theirs, never rewritten,
# never refused by the readability gate.
OWN_WORDS: dict[str, JsonValue] = {"x-own-words": True}


def _char_class(*ranges: tuple[int, int]) -> str:
    return "[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges) + "]"


# Control characters (but tab and line breaks), surrogates and non-characters such as U+FFFF: no
# document can hold them (Word's XML refuses them), and no plan needs them.
_NOT_TEXT_RANGES = [(0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xD800, 0xDFFF), (0xFDD0, 0xFDEF),
                    *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))]
_NOT_TEXT = re.compile(_char_class(*_NOT_TEXT_RANGES))
_NOT_IN_A_LINE = re.compile(_char_class(*_NOT_TEXT_RANGES, (0x09, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029)))
# Fields that hold one line (a name, a phone number, an address line): no line breaks or tabs either.
_ONE_LINE = frozenset({"name", "known_as", "reference", "title", "word", "who", "team", "website", "organisation",
                       "phone", "email", "alt", "address", "symbol", "file"})
# Invisible characters that split a word without showing ("sign\u00adpost"): taken out, so the words
# judged are the words printed. Joiners only inside a Latin word: elsewhere they shape scripts and emoji.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]|(?<=[A-Za-z])[\u200c\u200d](?=[A-Za-z])")


def _checked(text: str, one_line: bool, own_words: bool, item: str = "") -> str:
    """A text field's value, refused if it holds a character no document can hold, and without invisible ones."""
    bad = (_NOT_IN_A_LINE if one_line else _NOT_TEXT).search(text)
    if bad:
        char = bad.group()
        if char in "\t\n\r\u2028\u2029":
            raise ValueError(f"{item}has a line break or tab at character {bad.start() + 1}; write it on one line")
        kind = "a control character" if ord(char) <= 0x9F else "a character that is not text"
        raise ValueError(f"{item}has U+{ord(char):04X}, {kind}, at character {bad.start() + 1}; remove it")
    if own_words:
        return text  # the person's words stay as they wrote them; the readability gate sees past invisible characters
    cleaned = _INVISIBLE.sub("", text)
    if cleaned != text:
        cleaned = cleaned.strip()
        if not cleaned:
            raise ValueError(f"{item}has only invisible characters; write the words")
    return cleaned


class Model(BaseModel):
    """Base for every input model: unknown fields are errors, strings are trimmed, checked and bounded."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, str_max_length=MAX_FIELD_CHARS)

    @model_validator(mode="before")
    @classmethod
    def _not_too_many(cls, data: Any) -> Any:
        """Refuse a list longer than MAX_LIST_ITEMS before any item of it is validated."""
        for name, value in data.items() if isinstance(data, dict) else ():
            if isinstance(value, (list, tuple)) and len(value) > MAX_LIST_ITEMS:
                raise ValueError(f"{name} has {len(value):,} items; easyread reads lists of at most {MAX_LIST_ITEMS:,} items")
        return data

    @field_validator("*")
    @classmethod
    def _text_is_printable(cls, value: Any, info: ValidationInfo) -> Any:
        """Refuse control characters and non-characters in any text field; take out invisible ones."""
        if not isinstance(value, (str, list)):
            return value
        name = info.field_name or ""
        extra = cls.model_fields[name].json_schema_extra if name in cls.model_fields else None
        own_words = isinstance(extra, dict) and bool(extra.get("x-own-words"))
        if isinstance(value, str):
            return _checked(value, name in _ONE_LINE, own_words)
        return [_checked(item, name in _ONE_LINE, own_words, f"item {number + 1} ") if isinstance(item, str) else item
                for number, item in enumerate(value)]


SymbolName = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]


class Wording(Model):
    """Professional wording, optionally with an approved easy-read wording beside it."""

    text: str = Field(min_length=1, description="The professional wording.")
    easy_read: str | None = Field(
        default=None, min_length=1, description="The same meaning in easy-read English."
    )
    symbol: SymbolName | None = Field(
        default=None, description="The picture to show beside these words, overriding the one the words would "
                                  "choose; `none` for no picture. `easyread symbols list` names them.",
        examples=["video-call"],
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
Format = Literal["easy-read", "large-print", "audio", "email", "braille", "epub", "standard-print"]


Pronouns = Literal["he/him", "she/her", "they/them"]


class Money(Model):
    """An amount in pounds and how often it is paid."""

    amount: Decimal = Field(ge=0, decimal_places=2, max_digits=9, examples=["120.50"])
    per: Period = Field(description="How often: week, fortnight, four-weeks, month, year or one-off.")


class Picture(Model):
    """A picture file of the person's own (a photo of them, their home, a worker)."""

    file: Path = Field(description="PNG, JPEG or GIF, relative to the file that names it, and inside its folder.")
    alt: str = Field(min_length=1, description="What the picture shows, for people who cannot see it.")

    @field_validator("file")
    @classmethod
    def _inside_the_folder(cls, file: Path, info: ValidationInfo) -> Path:
        """The picture's real path (symlinks followed), which must be inside the naming file's folder.

        Validation context: `base_dir`, the folder of the file that names the picture (the working
        folder when there is none: a dict or text); `picture_folders`, other folders allowed; `named_by`,
        what names it ("plan", "house style"), for the message; `photos` False when the photos are
        left out unread, and `sent`, pictures sent with the input by file name (`easyread.inputs.loader.load`).
        Anywhere else on the machine would let a plan embed other people's photos in its documents.
        """
        _checked(str(file), one_line=True, own_words=True)
        context = info.context or {}
        if (sent := (context.get("sent") or {}).get(PureWindowsPath(str(file)).name)) is not None:
            return Path(sent)  # sent with the input: the folders ('/' or '\\') were the sender's
        if context.get("photos") is False:
            return file  # never looked for: the loader leaves it out
        base = context.get("base_dir")
        try:
            folder = Path(base) if base is not None else Path.cwd()
            place = (folder / file).resolve()
            allowed = [folder.resolve(), *(Path(extra).resolve() for extra in context.get("picture_folders") or ())]
        except (OSError, RuntimeError) as err:  # RuntimeError: a loop of symlinks
            raise ValueError(f"the picture {str(file)!r} cannot be found ({err})") from None
        if not any(place.is_relative_to(root) for root in allowed):
            named = f"the {context.get('named_by', 'plan')}'s folder" if base is not None else "the working folder"
            also = " (or a picture folder you set up)" if len(allowed) > 1 else ""
            how = "leads" if (folder / file).is_symlink() else "is"
            raise ValueError(f"the picture must be inside {named}{also}; {str(file)!r} {how} outside it. "
                             f"Put the picture in {named} and give its name relative to it")
        return place


Voice = Literal["natural", "british"]
VOICES: tuple[Voice, ...] = ("natural", "british")


def _nhs_number_checked(number: str) -> str:
    """An NHS number in its usual spacing (943 476 5919), refused when its check digit is wrong (modulus 11):
    one mistyped digit in a hospital passport would point staff at someone else's records."""
    digits = [int(char) for char in number if char.isdigit()]
    total = sum(digit * weight for digit, weight in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != digits[9]:
        raise ValueError(f"{number!r} is not a valid NHS number (its last digit does not check); copy it again "
                         "from the NHS letter or the GP record")
    text = "".join(map(str, digits))
    return f"{text[:3]} {text[3:6]} {text[6:]}"


NhsNumber = Annotated[str, Field(pattern=r"^\d{3} ?\d{3} ?\d{4}$", examples=["943 476 5919"]),
                      AfterValidator(_nhs_number_checked)]


class Interpreter(Model):
    """An interpreter the person needs, and what one is booked for."""

    language: str | None = Field(default=None, max_length=MAX_TITLE_CHARS, description="The language to interpret "
                                 "(Polish, British Sign Language); left out, the person's `information_needs.language`, "
                                 "else their `first_language`.")
    booked_for: list[Text] = Field(default_factory=list, description="What an interpreter is booked for, e.g. 'your "
                                   "review on 3 March'.")
    preferences: list[Text] = Field(default_factory=list, description="What the person needs of the interpreter, "
                                    "e.g. 'a woman', 'in person, not on the phone', 'not a family member'.")

    @model_validator(mode="before")
    @classmethod
    def _from_shorthand(cls, value: Any) -> Any:
        """`true` is an interpreter in the person's language; a string is the language."""
        if value is True:
            return {}
        return {"language": value} if isinstance(value, str) else value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # The schema must admit the shorthands the validator accepts.
        as_object = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [{"const": True}, {"type": "string", "minLength": 1}, dict(as_object)],
                "title": "Interpreter"}


class InformationNeeds(Model):
    """The person's recorded information needs (Accessible Information Standard)."""

    formats: list[Format] = Field(default_factory=list, description="Formats the person needs.")
    print_size_pt: int | None = Field(default=None, ge=12, le=72, description="Body text size in points.")
    background_colour: Colour | None = Field(default=None, description='Page colour, in quotes (a # starts a comment '
                                                                       'in YAML), for example cream: "#FFFDD0".')
    pictures: Literal["symbols", "photos", "none"] = "symbols"
    tables: bool = Field(
        default=True, description="false when the person finds tables hard to follow (with a magnifier or a screen "
                                  "reader, for example): timetables are written day by day instead.")
    speech_rate_wpm: int | None = Field(default=None, ge=80, le=250, description="Spoken words a minute.")
    voice: Voice | None = Field(default=None, description="The voice for the audio: 'natural' (the natural voice, "
                                "American English) or 'british' (a British English voice, clear but robotic). "
                                "With neither, the natural voice where it is installed.")
    braille_grade: Literal[1, 2] = Field(default=2, description="Unified English Braille grade for the braille "
                                         "(`brf`): 2, contracted, the usual; or 1, uncontracted.")
    braille_cells: int = Field(default=40, ge=20, le=60, description="Braille cells a line (40 on most embossers).")
    braille_lines: int = Field(default=25, ge=10, le=40, description="Braille lines a page (25 on most embossers).")
    communication_support: list[Text] = Field(
        default_factory=list, description="Support to take part, e.g. 'British Sign Language interpreter'."
    )
    language: str | None = Field(default=None, max_length=MAX_TITLE_CHARS,
                                 description="The language the person wants to be spoken to in and to get information "
                                             "in, when it is not English, e.g. Polish.")
    interpreter: Interpreter | None = Field(
        default=None, description="An interpreter the person needs: `true` (in their language), a language "
                                  "(`Polish`, `British Sign Language`), or the language and what one is booked for.")
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

    name: str = Field(min_length=1, max_length=MAX_TITLE_CHARS, description="Full name.")
    known_as: str | None = Field(default=None, max_length=MAX_TITLE_CHARS, description="The name they like to be called.")
    reference: str | None = Field(default=None, description="The council's case reference.")
    date_of_birth: dt.date | None = Field(default=None, description="Shown where a document about health carries it: "
                                          "a plan's or review's About you, a hospital passport.")
    nhs_number: NhsNumber | None = Field(default=None, description="The NHS number, 10 digits (its check digit is "
                                         "checked); shown in a plan's or review's About you, and in a hospital "
                                         "passport.")
    first_language: str | None = Field(default=None, max_length=MAX_TITLE_CHARS,
                                       description="The person's first language, e.g. Polish.")
    address: list[str] = Field(default_factory=list)
    photo: Picture | None = None
    pronouns: Pronouns | None = Field(
        default=None, description="How to speak of the person, which also chooses the person picture for 'you' "
                                  "when there is no photo: he/him a man, she/her a woman, they/them (or none given) "
                                  "a person.")
    how_i_communicate: list[Text] = Field(default_factory=list)
    information_needs: InformationNeeds = Field(default_factory=InformationNeeds)

    @model_validator(mode="after")
    def _interpreter_has_a_language(self) -> Person:
        interpreter = self.information_needs.interpreter
        if interpreter is not None and interpreter.language is None and self.interpreter_language is None:
            raise ValueError("information_needs.interpreter: say which language, in `interpreter.language:` or "
                             "`information_needs.language:` (or the person's `first_language:`)")
        return self

    @property
    def called(self) -> str:
        """The name to use when speaking to the person."""
        return self.known_as or self.name.split()[0]

    @property
    def interpreter_language(self) -> str | None:
        """The language an interpreter interprets: the interpreter's own, else the person's information language,
        else their first language."""
        given = self.interpreter_language_given()
        return given[0] if given else None

    def interpreter_language_given(self) -> tuple[str, str] | None:
        """The language an interpreter interprets, and the field (under `person`) that gives it."""
        needs = self.information_needs
        for language, field in ((needs.interpreter.language if needs.interpreter else None,
                                 "information_needs.interpreter.language"),
                                (needs.language, "information_needs.language"), (self.first_language, "first_language")):
            if language:
                return language, field
        return None


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
    emergency: bool | None = Field(default=None, description="Whom to ring in an emergency or out of hours: marked out "
                                   "and shown first. Left out, a contact is one when its name says 'emergency', 'crisis' "
                                   "or 'out of hours', or its role says 'out of hours'.")

    @model_validator(mode="before")
    @classmethod
    def _emergency_from_words(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("emergency") is None:
            role = data.get("role")
            said = [role.get("text"), role.get("easy_read")] if isinstance(role, dict) else [role]
            name = data.get("name")
            named = isinstance(name, str) and EMERGENCY_WORDS.search(name)
            data = {**data, "emergency": bool(named or any(isinstance(w, str) and OUT_OF_HOURS.search(w) for w in said))}
        return data


# the words that make a contact one to ring in an emergency, when the plan does not say: in their name ("Emergency
# Duty Team", "Crisis Line"), or a role out of hours ("emergency cover" in a role is not enough)
EMERGENCY_WORDS = re.compile(r"\bemergenc|\bout[- ]of[- ]hours\b|\bcrisis\b", re.I)
OUT_OF_HOURS = re.compile(r"\bout[- ]of[- ]hours\b", re.I)


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
    why: OwnWords | None = Field(default=None, description="Why it matters, in the person's own words.",
                                 json_schema_extra=OWN_WORDS)
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

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end: dt.time, info: ValidationInfo) -> dt.time:
        return _after_start(end, info)


def _after_start(end: dt.time, info: ValidationInfo) -> dt.time:
    """`end`, refused unless it is after the `start` validated before it ("From 2pm to 1pm" is a mistake)."""
    start = info.data.get("start")
    if isinstance(start, dt.time) and end <= start:
        raise ValueError(f"end {end:%H:%M} must be after start {start:%H:%M}")
    return end


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


Likelihood = Literal["unlikely", "possible", "likely"]


class Risk(Model):
    """Something that could go wrong and what is agreed about it: positive risk-taking, with the person's view."""

    worry: Text = Field(description="The risk, for example 'Travelling to college alone on the bus'.")
    what_could_happen: Text | None = Field(default=None, description="What could happen if it goes wrong.")
    likelihood: Likelihood | None = Field(default=None, description="How likely it is: unlikely, possible or likely.")
    what_we_do: Text = Field(description="What was agreed, so the person can still do what matters to them.")
    who_is_responsible: str | None = Field(default=None, description="Who makes sure the agreed things happen.")
    my_view: OwnWords | None = Field(default=None, description="What the person thinks, in their own words.",
                                     json_schema_extra=OWN_WORDS)


class StayingSafe(Model):
    """Staying safe, and what to do if things go wrong."""

    risks: list[Risk] = Field(default_factory=list)
    if_things_go_wrong: list[Text] = Field(default_factory=list)
    emergency: Text | None = Field(default=None, description="What to do in an emergency.")


class Participant(Model):
    """Someone who took part, and their role."""

    name: str = Field(min_length=1)
    role: Text


class Viewpoint(Model):
    """Something that is working or not working, and whose view it is (a plain string is enough)."""

    what: Text
    who: str | None = Field(default=None, description="Whose view it is when not everyone's: 'me' for the "
                                                        "person, or a name or role, such as 'Mum' or 'support staff'.")

    @model_validator(mode="before")
    @classmethod
    def _from_wording(cls, value: Any) -> Any:
        """A string or a wording ({text, easy_read}) is the view itself, as reviews have always written it."""
        if isinstance(value, str) or (isinstance(value, dict) and "what" not in value and "text" in value):
            return {"what": value}
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # The schema must admit the wording alone (a string, or text with easy_read), as the validator does.
        as_object = handler.resolve_ref_schema(handler(core_schema))
        wording = handler.resolve_ref_schema(handler(Wording.__pydantic_core_schema__))
        return {"anyOf": [{"type": "string", "minLength": 1}, dict(wording), dict(as_object)], "title": "Viewpoint"}


class CommunicationPassport(Model):
    """How to understand the person and be understood by them: a communication passport.

    Written as the document speaks: to the person in a plan or review ("You sing and hum"; easy read
    refuses "She sings" there), in their own voice in a one-page profile or hospital passport ("I sing
    and hum").
    """

    happy: list[Text] = Field(default_factory=list, description="How people can tell the person is happy.")
    worried: list[Text] = Field(default_factory=list, description="How people can tell the person is worried or upset.")
    in_pain: list[Text] = Field(default_factory=list, description="How people can tell the person is in pain or unwell.")
    saying_no: list[Text] = Field(default_factory=list, description="How the person says no.")
    helps_me_understand: list[Text] = Field(default_factory=list, description="What helps the person understand.")


class SupportedDecision(Model):
    """A decision the person makes with support."""

    decision: Text
    who_helps: str = Field(min_length=1)
    how: Text | None = Field(default=None, description="How they help, for example 'shows me pictures of each choice'.")


class CapacityAssessment(Model):
    """A mental capacity assessment on record (Mental Capacity Act 2005) for one decision."""

    decision: Text = Field(description="The decision that was assessed.")
    date: dt.date
    outcome: Literal["has-capacity", "lacks-capacity"]
    best_interests: Text | None = Field(default=None, description="What was decided in the person's best interests, "
                                                                  "when they could not decide.")


class Attorney(Model):
    """Someone with a registered lasting power of attorney for the person."""

    name: str = Field(min_length=1)
    covers: Literal["health-and-welfare", "property-and-financial-affairs"]
    registered_on: dt.date | None = None


class Decisions(Model):
    """Decision-making: what the person decides, with whom, and the legal arrangements on record."""

    i_decide: list[Text] = Field(default_factory=list, description="Decisions the person makes on their own.")
    with_support: list[SupportedDecision] = Field(default_factory=list)
    capacity_assessments: list[CapacityAssessment] = Field(default_factory=list)
    attorneys: list[Attorney] = Field(default_factory=list, description="Lasting powers of attorney.")
    appointee: Participant | None = Field(default=None, description="Who manages the person's benefits (a DWP "
                                                                   "appointee), and their role.")
    advocate: Contact | None = None


class Medicine(Model):
    """A medicine the person takes."""

    name: str = Field(min_length=1)
    when: Text
    what_for: Text
    who_helps: str | None = Field(default=None, description="Who helps the person take it, if anyone.")


class Health(Model):
    """The person's health: conditions, medicines, allergies, health contacts and plans."""

    conditions: list[Text] = Field(default_factory=list)
    medicines: list[Medicine] = Field(default_factory=list)
    allergies: list[Text] = Field(default_factory=list)
    gp: Contact | None = None
    contacts: list[Contact] = Field(default_factory=list, description="Other health contacts: nurses, therapists ...")
    seizure_plan: list[Text] = Field(default_factory=list, description="An epilepsy or seizure plan: what to do, in order.")
    last_health_check: dt.date | None = Field(default=None, description="The last annual health check.")
    health_action_plan: Text | None = Field(default=None, description="Where the health action plan is, or who has it.")
    eyesight: list[Text] = Field(default_factory=list, description="Eyes and eyesight: glasses, eye tests, what helps.")
    hearing: list[Text] = Field(default_factory=list, description="Hearing: hearing aids, hearing tests, what helps.")
    dental: list[Text] = Field(default_factory=list, description="Teeth: the dentist, brushing, what helps.")
    mental_health: list[Text] = Field(default_factory=list, description="Mental health and feelings: what helps, "
                                      "who supports it.")


class Contingency(Model):
    """What happens if the person's carer or support worker cannot come."""

    if_support_cannot_come: list[Text] = Field(default_factory=list)
    call_first: Contact | None = Field(default=None, description="Who to call first.")
    out_of_hours: Contact | None = Field(default=None, description="Who to call at night and at weekends.")


class Carer(Model):
    """A carer (family or friend, unpaid), their own needs and support (Care Act 2014 s.10)."""

    name: str = Field(min_length=1)
    relationship: Text
    what_they_do: Text | None = None
    their_needs: list[Text] = Field(default_factory=list)
    assessment: Literal["not-offered", "offered", "declined", "done"] | None = Field(
        default=None, description="The carer's assessment: not offered, offered, declined or done.")
    assessment_date: dt.date | None = None
    support: list[Text] = Field(default_factory=list, description="Support for the carer.")


class Equipment(Model):
    """Equipment or assistive technology the person uses."""

    what: Text
    what_for: Text | None = None


class Home(Model):
    """Where the person lives."""

    where: Text = Field(description="For example 'A flat you rent from Northmoor Homes'.")
    who_i_live_with: Text | None = None
    changes_needed: list[Text] = Field(default_factory=list, description="Changes to the home that are needed.")


class Sharing(Model):
    """Consent to share information, and who may see the plan."""

    consent: Literal["agreed", "not-agreed", "not-asked-yet"]
    date: dt.date | None = None
    who_can_see: list[Text] = Field(default_factory=list)
    not_shared_with: list[Text] = Field(default_factory=list)
    comments: OwnWords | None = Field(default=None, description="What the person said, in their own words.",
                                      json_schema_extra=OWN_WORDS)


class InControl(Model):
    """How the support is managed and how the person stays in control (the seven-question support plan)."""

    how_support_is_managed: Text
    how_i_stay_in_control: list[Text] = Field(default_factory=list)


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


ExtraKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]


class ExtraPart(Model):
    """A council's own part with a heading of its own ("NHS number"), its words, and an amount if it has one."""

    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE_CHARS,
                              description="The heading, with its capitals; left out, one made from the part's name.")
    lines: list[Text] = Field(default_factory=list, description="What the part says: a wording, or a list of them.")
    amount: Money | None = Field(default=None, description="An amount and how often, shown before the lines "
                                 "(`{amount: 4.85, per: week}`).")

    @field_validator("lines", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return [value] if isinstance(value, (str, dict)) else value

    @model_validator(mode="after")
    def _says_something(self) -> ExtraPart:
        if not self.lines and self.amount is None:
            raise ValueError("give the part's `lines:`, its `amount:`, or both")
        return self


class Common(Model):
    """Parts every document has."""

    organisation: Organisation
    person: Person
    contacts: list[Contact] = Field(default_factory=list)
    words_to_know: list[Term] = Field(default_factory=list, description="Extra words for the glossary.")
    extra: dict[ExtraKey, ExtraPart | Money | Text | list[Text]] = Field(
        default_factory=dict, description="Parts of a council's own, for its own templates: each a name (lower case "
        "and underscores) with a wording, a list of them, an amount and how often (`amount:`, `per:`), or a part "
        "with its own `title:`, its `lines:` and an `amount:`. Templates use them as "
        "`extra.name`; the shipped ones show those a template has not used at the end, each under its title or a "
        "heading made from its name (nhs_number: 'NHS number'). The readability gate checks them like any other "
        "text.")
    # the file this was loaded from, for the line numbers of findings (easyread.inputs.loader.Origin)
    _origin: Any = PrivateAttr(None)
    _photos_left_out: tuple[str, ...] = PrivateAttr(())  # with easyread.inputs.loader.load(..., photos=False)


def _faith_and_culture_field() -> Any:
    """The `faith_and_culture` field of the kinds that describe the person."""
    return Field(default_factory=list, description="Faith, culture and identity: what the person wants people to "
                 "know and respect (prayer, food, festivals, who gives personal care).")


class PersonCentred(Model):
    """The person-centred parts a plan and a review may both hold; every one is optional."""

    important_for_me: list[Text] = Field(default_factory=list, description="What is important FOR the person "
                                         "(health, safety), beside what matters TO them.")
    good_day: list[Text] = Field(default_factory=list, description="What a good day looks like.")
    bad_day: list[Text] = Field(default_factory=list, description="What a bad day looks like, and what helps.")
    likes: list[Text] = Field(default_factory=list)
    dislikes: list[Text] = Field(default_factory=list)
    hopes: list[OwnWords] = Field(default_factory=list, description="The person's hopes, in their own words.",
                                  json_schema_extra=OWN_WORDS)
    worries: list[OwnWords] = Field(default_factory=list, description="The person's worries, in their own words.",
                                    json_schema_extra=OWN_WORDS)
    how_to_support_me: list[Text] = Field(default_factory=list, description="How to support the person well: what "
                                          "helps and what to avoid.")
    faith_and_culture: list[Text] = _faith_and_culture_field()
    working: list[Viewpoint] = Field(default_factory=list, description="What is working, and whose view it is.")
    not_working: list[Viewpoint] = Field(default_factory=list, description="What is not working, and whose view it is.")
    communication: CommunicationPassport | None = None
    decisions: Decisions | None = None
    health: Health | None = None
    equipment: list[Equipment] = Field(default_factory=list, description="Equipment and assistive technology.")
    home: Home | None = None
    in_control: InControl | None = None
    contingency: Contingency | None = None
    carers: list[Carer] = Field(default_factory=list)
    sharing: Sharing | None = None


class Plan(PersonCentred, Common):
    """A care and support plan (Care Act 2014 s.25)."""

    kind: Literal["plan"]
    title: str | None = Field(default=None, max_length=MAX_TITLE_CHARS)
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


class Review(PersonCentred, Common):
    """A review of a care and support plan (Care Act 2014 s.27)."""

    kind: Literal["review"]
    title: str | None = Field(default=None, max_length=MAX_TITLE_CHARS)
    date: dt.date = Field(description="The date of the review meeting.")
    plan_date: dt.date = Field(description="The date of the plan being reviewed.")
    worker: Contact
    why_now: Text | None = Field(default=None, description="Why the review happened now (planned, or asked for).")
    involvement: Involvement
    in_my_words: list[OwnWords] = Field(default_factory=list, json_schema_extra=OWN_WORDS)
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

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end: dt.time | None, info: ValidationInfo) -> dt.time | None:
        return None if end is None else _after_start(end, info)


class LetterPart(Model):
    """A part of a letter's body: a heading and what it says."""

    heading: Text
    lines: list[Text] = Field(min_length=1, description="What the part says, a sentence or two each.")


class AssessmentOutcome(Model):
    """What a needs assessment found (Care Act 2014 s.9 and s.13): the eligibility decision and the needs."""

    eligibility: Eligibility
    needs: list[Need] = Field(default_factory=list)
    next_steps: list[Text] = Field(default_factory=list, description="What happens next, in order.")


class Charge(Model):
    """The result of a financial assessment: what the person will pay, and how to challenge it."""

    amount: Money = Field(description="What the person will pay towards their care; 0 when nothing.")
    starts: dt.date
    how_worked_out: list[Text] = Field(default_factory=list, description="How the amount was worked out.")
    how_to_challenge: Text
    challenge_by: dt.date | None = None
    money_advice: Contact | None = Field(default=None, description="Free help with money and benefits.")


class Safeguarding(Model):
    """A safeguarding concern (Care Act 2014 s.42), person-led: what happens next, and once the enquiry is
    over, what it found and what was decided (a `safeguarding-outcome` letter)."""

    what_we_were_told: Text
    what_happens_next: list[Step] = Field(min_length=1)
    your_wishes: OwnWords | None = Field(default=None, description="What the person wants to happen, in their own "
                                                                  "words (Making Safeguarding Personal).",
                                         json_schema_extra=OWN_WORDS)
    keeping_safe_now: list[Text] = Field(default_factory=list)
    what_we_found: list[Text] = Field(default_factory=list, description="What the enquiry found out: needed in a "
                                      "safeguarding-outcome letter.")
    what_we_decided: list[Text] = Field(default_factory=list, description="What was decided, with the person: "
                                        "needed in a safeguarding-outcome letter.")
    your_outcomes_met: Literal["fully", "partly", "not"] | None = Field(
        default=None, description="Whether what the person wanted to happen has happened: fully, partly or not "
                                  "(Making Safeguarding Personal).")
    right_to_challenge: Text | None = Field(default=None, description="How the person can ask for the decision to be "
                                            "looked at again, or complain, if they do not agree.")
    enquiry_ended: dt.date | None = Field(default=None, description="When the enquiry ended, in a "
                                          "safeguarding-outcome letter.")


class Notice(Model):
    """A change that reaches many people (charges, a service, a policy): what is changing, from when, what it
    means for the reader, what they can do and who to ask."""

    what_is_changing: Text = Field(description="What is changing, in a sentence or two.")
    starts: dt.date = Field(description="The date the change starts.")
    why: Text | None = Field(default=None, description="Why it is changing.")
    what_it_means_for_you: list[Text] = Field(min_length=1, description="What the change means for the reader.")
    what_you_can_do: list[Text] = Field(default_factory=list, description="What the reader can do: ask for a "
                                        "check, have a say, get help.")
    tell_us_by: dt.date | None = Field(default=None, description="When to tell the council by, if the reader can "
                                       "have a say or must reply.")
    who_to_ask: Contact | None = Field(default=None, description="Who to ask about the change; left out, the "
                                       "letter's sender.")


class ChangeOfSupport(Model):
    """A change of care worker, support provider or service."""

    what_changes: Text
    starts: dt.date
    why: Text | None = None
    stays_the_same: list[Text] = Field(default_factory=list)
    new_contact: Contact | None = None


LetterPurpose = Literal["review-invitation", "assessment-outcome", "financial-assessment", "safeguarding-next-steps",
                        "safeguarding-outcome", "change-of-support", "notice"]
# The part each purpose of letter is about, which it must have, and what it holds.
LETTER_PARTS: dict[str, tuple[str, str]] = {
    "review-invitation": ("meeting", "the meeting: when, where, and how to change it"),
    "assessment-outcome": ("assessment", "what the assessment found: the eligibility decision"),
    "financial-assessment": ("charge", "what the person will pay, from when, and how to challenge it"),
    "safeguarding-next-steps": ("safeguarding", "what you were told and what happens next"),
    "safeguarding-outcome": ("safeguarding", "what you were told, what_we_found, what_we_decided and what happens "
                                             "next"),
    "change-of-support": ("change", "what changes and when"),
    "notice": ("notice", "what is changing, when it starts and what it means for the reader"),
}


class Letter(Common):
    """A letter to the person: a review invitation, an assessment outcome, a financial assessment result, a
    safeguarding "what happens next" or outcome letter, a change of support, or a notice of a change that reaches
    many people; each may also hold parts of its own."""

    kind: Literal["letter"]
    purpose: LetterPurpose = "review-invitation"
    title: str | None = Field(default=None, max_length=MAX_TITLE_CHARS)
    date: dt.date = Field(description="The date on the letter.")
    sender: Contact
    meeting: Meeting | None = Field(default=None, description="A meeting the person is invited to: needed for a "
                                                              "review invitation, and possible in any letter.")
    assessment: AssessmentOutcome | None = None
    charge: Charge | None = None
    safeguarding: Safeguarding | None = None
    change: ChangeOfSupport | None = None
    notice: Notice | None = Field(default=None, description="A change that reaches many people: needed for a notice.")
    parts: list[LetterPart] = Field(default_factory=list, description="More parts of the letter's body, each with a "
                                                                      "heading.")
    complaints: Complaints | None = None

    @model_validator(mode="after")
    def _has_what_its_purpose_needs(self) -> Letter:
        field, holds = LETTER_PARTS[self.purpose]
        if getattr(self, field) is None:
            raise ValueError(f"a {self.purpose} letter needs `{field}:` ({holds})")
        if self.purpose == "safeguarding-outcome" and self.safeguarding is not None:
            for part, says in (("what_we_found", "what the enquiry found"), ("what_we_decided", "what was decided")):
                if not getattr(self.safeguarding, part):
                    raise ValueError(f"a safeguarding-outcome letter needs `safeguarding.{part}:` ({says}); for a "
                                     "letter before the enquiry ends, use purpose: safeguarding-next-steps")
        return self


class OnePageProfile(Common):
    """A one-page profile: what people like and admire about the person, what is important to them, and how
    to support them well. Written as the person would say it ("I", "me"), for everyone who supports them."""

    kind: Literal["one-page-profile"]
    title: str | None = Field(default=None, max_length=MAX_TITLE_CHARS)
    date: dt.date = Field(description="The date the profile was written or last updated.")
    admired_for: list[Viewpoint] = Field(min_length=1, description="What people like and admire about the person, "
                                         "and who says it.")
    important_to_me: list[OwnWords] = Field(min_length=1, description="What is important to the person, in their own "
                                            "words.", json_schema_extra=OWN_WORDS)
    how_to_support_me: list[Text] = Field(min_length=1, description="How to support the person well: what helps "
                                          "and what to avoid.")
    communication: CommunicationPassport | None = None
    faith_and_culture: list[Text] = _faith_and_culture_field()
    written_with: list[Participant] = Field(default_factory=list, description="Who helped write it.")
    review_by: dt.date | None = Field(default=None, description="When it will be looked at again.")


class MustKnow(Model):
    """The red part of a hospital passport: what staff must know to keep the person safe."""

    conditions: list[Text] = Field(default_factory=list, description="Health conditions and disabilities.")
    allergies: list[Text] = Field(default_factory=list, description="Allergies and what they do; 'none known' "
                                  "when there are none.")
    medicines: list[Medicine] = Field(default_factory=list)
    taking_medicine: Text | None = Field(default=None, description="How the person takes medicine, e.g. 'crushed "
                                                                   "in yoghurt'.")
    swallowing: list[Text] = Field(default_factory=list, description="Eating, drinking and swallowing risks: "
                                   "choking, a special diet, thickened drinks.")
    breathing: list[Text] = Field(default_factory=list, description="Breathing and heart problems.")
    seizures: list[Text] = Field(default_factory=list, description="A seizure plan: what to do, in order.")
    tests_and_treatment: list[Text] = Field(default_factory=list, description="How to do blood tests, injections, "
                                            "blood pressure and other checks with the person.")


class ImportantToMe(Model):
    """The amber part of a hospital passport: what is really important to the person while they are there."""

    seeing_and_hearing: list[Text] = Field(default_factory=list)
    eating_and_drinking: list[Text] = Field(default_factory=list, description="Help with eating and drinking.")
    toilet: list[Text] = Field(default_factory=list, description="Help with the toilet and continence.")
    personal_care: list[Text] = Field(default_factory=list, description="Washing, dressing and getting ready.")
    getting_around: list[Text] = Field(default_factory=list, description="Moving, walking, stairs, equipment.")
    sleeping: list[Text] = Field(default_factory=list)
    keeping_safe: list[Text] = Field(default_factory=list, description="Keeping safe on the ward.")
    teeth: list[Text] = Field(default_factory=list, description="Teeth and dentures: care and what helps.")
    mental_health: list[Text] = Field(default_factory=list, description="Mental health and feelings: what helps.")
    fears: list[Text] = Field(default_factory=list, description="What frightens or worries the person, and what "
                                                                "helps.")


class HospitalPassport(Common):
    """A hospital passport in the widely used traffic-light parts: red, what staff must know; amber, what is
    really important to the person; green, their likes and dislikes. Written as the person would say it."""

    kind: Literal["hospital-passport"]
    title: str | None = Field(default=None, max_length=MAX_TITLE_CHARS)
    date: dt.date = Field(description="The date the passport was written or last updated.")
    date_of_birth: dt.date | None = Field(default=None, description="The same as `person.date_of_birth`: give it in "
                                          "either place.")
    nhs_number: NhsNumber | None = Field(default=None, description="The NHS number, 10 digits (its check digit is "
                                         "checked); the same as `person.nhs_number`: give it in either place.")
    next_of_kin: list[Contact] = Field(default_factory=list, description="Who to contact about the person: family, "
                                       "carers, an attorney.")
    gp: Contact | None = None
    health_action_plan: Text | None = Field(default=None, description="Where the health action plan is, or who "
                                            "has it.")
    must_know: MustKnow = Field(description="Red: what staff must know.")
    decisions: Decisions | None = Field(default=None, description="Who can help the person decide, and the "
                                        "arrangements on record (red: staff must know).")
    communication: CommunicationPassport | None = Field(default=None, description="Amber: how to understand the "
                                                        "person, and how they show pain.")
    important_to_me: ImportantToMe | None = Field(default=None, description="Amber: what is really important "
                                                  "to the person.")
    how_to_support_me: list[Text] = Field(default_factory=list, description="Amber: how to support the person well "
                                          "on the ward: what helps and what to avoid.")
    likes: list[Text] = Field(default_factory=list, description="Green: what the person likes.")
    dislikes: list[Text] = Field(default_factory=list, description="Green: what the person does not like.")
    faith_and_culture: list[Text] = _faith_and_culture_field()
    in_my_words: list[OwnWords] = Field(default_factory=list, description="What the person wants staff to know, "
                                        "in their own words.", json_schema_extra=OWN_WORDS)
    written_with: list[Participant] = Field(default_factory=list, description="Who helped write it.")

    @model_validator(mode="after")
    def _one_person(self) -> HospitalPassport:
        """The date of birth and NHS number may be given here or under `person:`; given in both and different,
        refused: one of them belongs to someone else."""
        for field in ("date_of_birth", "nhs_number"):
            here, theirs = getattr(self, field), getattr(self.person, field)
            if here is not None and theirs is not None and here != theirs:
                raise ValueError(f"{field} is {here} here and {theirs} under person.{field}: they must be the same "
                                 "person's; give it once, under person:")
        return self

Input = Union[Plan, Review, Letter, OnePageProfile, HospitalPassport]
