"""Compose: a plan, a template and a profile in; a Document out.

Templates are Jinja2, run in the immutable sandbox with StrictUndefined, so a template
cannot reach Python internals and a misspelt field is an error naming the template line;
the sandbox also limits what a render may make and how long it may take (sandbox.py, the
only module that reaches into Jinja2's internals). Plan values reach the template as light
wrappers that remember their field path; on output every value is wrapped as literal text
(see markup.py), so a person's words can never become markup, a symbol, a heading or
template code.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from pydantic import BaseModel

from easyread.cache import template_bytecode
from easyread.composer import markup, sandbox
from easyread.composer.direction import direction_safe
from easyread.composer.ideas import headings_only, one_idea_each
from easyread.composer.markup import MARKERS, Parser, line_marker, strip_markers, value_span
from easyread.composer.sandbox import (
    FilterSize,
    WordedUndefined,
    limited_environment,
    listed_size,
    raise_if_undefined,
    render_within_limits,
    size_of,
    template_line,
)
from easyread.document import (
    WEEK,
    Block,
    ContactCard,
    Council,
    Document,
    Line,
    ListBlock,
    Pictured,
    Row,
    Run,
    Section,
    Statement,
    SymbolRef,
    pictured_blocks,
    plain,
    sections,
)
from easyread.errors import InputError, Problem, TemplateError
from easyread.inputs.kinds import kind_named
from easyread.inputs.limits import MAX_TEMPLATE_WORK, TEMPLATE_SECONDS
from easyread.inputs.model import OWN_WORDS, Input, Letter, Person, Picture, Wording
from easyread.inputs.pictures import PictureProblem, check_picture
from easyread.inputs.profile import Profile, get_profile
from easyread.language.sentences import TITLES
from easyread.symbols import NEGATED, NONE, SymbolSet, symbol_set
from easyread.symbols.vocabulary import HELPERS, Choice

if TYPE_CHECKING:
    from easyread.inputs.loader import InputSource

TEMPLATE_SUFFIX = ".md.j2"
_HEADER = re.compile(r"\A\{#-?-{3}\n(.*?)\n-{3}-?#\}", re.S)


def default_template(source: Input) -> str | Path:
    """The template for an input: its kind's, but a letter's is named after its purpose ("financial_assessment")."""
    if isinstance(source, Letter):
        return source.purpose.replace("-", "_")
    return kind_named(source.kind).template


# --- plan values as the template sees them ------------------------------------------


class PlanStr(str):
    """A string from the plan that remembers its field path."""

    path: str | None
    own_words: bool

    def __new__(cls, value: str, path: str | None, own_words: bool = False) -> PlanStr:
        made = super().__new__(cls, strip_markers(value))
        made.path, made.own_words = path, own_words
        return made


class PlanInt(int):
    """An integer from the plan that remembers its field path."""

    path: str | None


class PlanDecimal(Decimal):
    """An amount from the plan that remembers its field path."""

    path: str | None


class PlanDate(dt.date):
    """A date from the plan that remembers its field path."""

    path: str | None


class PlanTime(dt.time):
    """A time from the plan that remembers its field path."""

    path: str | None


class Record:
    """A group of plan fields (the person, an outcome): fields are attributes."""

    def __init__(self, fields: dict[str, Any], path: str) -> None:
        self.__dict__["_fields"], self.__dict__["path"] = fields, path

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._fields[name]

    def __contains__(self, name: str) -> bool:
        return name in self._fields

    def __repr__(self) -> str:
        return f"<{self.path or 'the plan'}>"


class Items(tuple[Any, ...]):
    """A list of plan values that remembers its field path."""

    path: str


class Parts(dict[str, Any]):
    """A council's own named parts (`extra:`): each value remembers its field path, and the parts the template
    has asked for by name (or shown already) are remembered, so `extra_section` shows only the others."""

    path: str
    asked_for: set[str]

    def __getitem__(self, name: str) -> Any:
        self.asked_for.add(name)
        return super().__getitem__(name)


def _with_path(value: Any, path: str) -> Any:
    made: PlanDate | PlanTime | PlanDecimal | PlanInt
    if isinstance(value, dt.date):
        made = PlanDate(value.year, value.month, value.day)
    elif isinstance(value, dt.time):
        made = PlanTime(value.hour, value.minute, value.second)
    elif isinstance(value, Decimal):
        made = PlanDecimal(value)
    else:
        made = PlanInt(value)
    made.path = path
    return made


def wrap(value: Any, path: str, wording: str, own_words: bool = False) -> Any:
    """Turn model values into template values that remember their field path."""
    if isinstance(value, Wording):
        if wording == "easy-read" and value.easy_read:
            return PlanStr(value.easy_read, f"{path}.easy_read")
        return PlanStr(value.text, path)
    if isinstance(value, BaseModel):
        fields = {
            name: wrap(getattr(value, name), f"{path}.{name}" if path else name, wording,
                       own_words or info.json_schema_extra == OWN_WORDS)
            for name, info in type(value).model_fields.items()
        }
        if isinstance(value, Person):
            fields["called"] = PlanStr(value.called, f"{path}.known_as" if value.known_as else f"{path}.name")
            if given := value.interpreter_language_given():
                fields["interpreter_language"] = PlanStr(given[0], f"{path}.{given[1]}")
        return Record(fields, path)
    if isinstance(value, dict):
        parts = Parts({key: wrap(item, f"{path}.{key}", wording, own_words) for key, item in value.items()})
        parts.path, parts.asked_for = path, set()
        return parts
    if isinstance(value, (list, tuple)):
        items = Items(wrap(item, f"{path}[{i}]", wording, own_words) for i, item in enumerate(value))
        items.path = path
        return items
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (str, Path)):
        return PlanStr(str(value), path, own_words)
    if isinstance(value, (int, Decimal, dt.date, dt.time)):
        return _with_path(value, path)
    return value


# --- filters: each keeps the field path of what it formats ----------------------------

PERIODS = {
    "week": "a week", "fortnight": "every 2 weeks", "four-weeks": "every 4 weeks",
    "month": "a month", "year": "a year", "one-off": "once",
}


class EmptyField(jinja2.TemplateRuntimeError):
    """A filter was given an optional field this input leaves out: the template needs an `{% if %}`."""

    def __init__(self, filter_name: str, expected: str) -> None:
        super().__init__(f"the {filter_name} filter needs {expected}, and got an empty field")
        self.filter_name, self.expected = filter_name, expected

    def advice(self, line: str, source: BaseModel) -> str:
        """The message, naming the field: the one on the template's line given to this filter that is empty."""
        given = re.findall(r"\{\{-?\s*([A-Za-z_][\w.]*)\s*\|\s*" + re.escape(self.filter_name) + r"\b", line)
        empty = [field for field in given if _field_value(source, field) is None]
        if not empty:
            return f"{self.args[0]}: put that part inside an {{% if %}} on the field, so it is left out when empty"
        field = empty[0]
        return (f"{field} is empty in this input, and the {self.filter_name} filter needs {self.expected}: "
                f"put that part inside {{% if {field} %}} ... {{% endif %}}")


def _field_value(source: BaseModel, dotted: str) -> Any:
    """The value at a dotted field path of the input ("meeting.end"), or a marker when there is none."""
    value: Any = source
    for name in dotted.split("."):
        if not isinstance(value, BaseModel) or name not in type(value).model_fields:
            return _NO_FIELD
        value = getattr(value, name)
    return value


_NO_FIELD = object()


def _require(value: Any, kind: type | tuple[type, ...], filter_name: str, expected: str) -> None:
    """Fail clearly when a filter gets a missing field or the wrong kind of value."""
    raise_if_undefined(value)
    if value is None:
        raise EmptyField(filter_name, expected)
    if not isinstance(value, kind):
        raise jinja2.TemplateRuntimeError(f"the {filter_name} filter needs {expected}, got {value!r}")


def _keep_path(value: Any, text: str) -> PlanStr:
    return PlanStr(text, getattr(value, "path", None), getattr(value, "own_words", False))


def format_date(value: dt.date, style: str = "long") -> PlanStr:
    """Tuesday 3 March 2026 (long), 3 March 2026 (day) or Tuesday 3 March (short)."""
    _require(value, dt.date, "date", "a date")
    formats = {"long": f"{value:%A} {value.day} {value:%B %Y}", "day": f"{value.day} {value:%B %Y}",
               "short": f"{value:%A} {value.day} {value:%B}"}
    if style not in formats:
        raise jinja2.TemplateRuntimeError(f"the date filter style must be one of {', '.join(formats)}")
    return _keep_path(value, formats[style])


def format_time(value: dt.time) -> PlanStr:
    """2pm, 10:30am, 12 noon."""
    _require(value, dt.time, "time", "a time")
    if (value.hour, value.minute) == (12, 0):
        return _keep_path(value, "12 noon")
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return _keep_path(value, f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}")


def format_amount(value: Decimal) -> PlanStr:
    """£120.50, or £120 for whole pounds."""
    _require(value, (Decimal, int), "amount", "an amount like budget.total.amount")
    amount = Decimal(value)
    text = f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"
    return _keep_path(value, text)


def format_money(value: Record) -> PlanStr:
    """£120.50 a week."""
    _require(value, Record, "money", "an amount with a period, like budget.total")
    if "amount" not in value:
        raise jinja2.TemplateRuntimeError(f"the money filter needs an amount with a period, got {value!r}")
    return _keep_path(value, f"{format_amount(value.amount)} {PERIODS[value.per]}")


def format_lines(value: Items, separator: str = ", ") -> PlanStr:
    """An address or any list of short lines, on one line."""
    _require(value, (list, tuple), "lines", "a list, like person.address")
    return _keep_path(value, separator.join(str(item) for item in value))


def as_sentence(value: Any) -> PlanStr:
    """The text with a full stop at the end, unless it already ends a sentence."""
    text = str(value).rstrip()
    return _keep_path(value, text if not text or text[-1] in ".!?" else text + ".")


def ideas(value: Any) -> list[PlanStr]:
    """The sentences of a text, one per item, so each idea can sit beside its own picture (words unchanged)."""
    from easyread.language.sentences import split

    raise_if_undefined(value)
    if value is None:
        return []
    return [_keep_path(value, sentence) for sentence in split(str(value))] or [_keep_path(value, str(value))]


def with_article(value: Any) -> str:
    """'a' or 'an', as said before the word: an Urdu interpreter, a Ukrainian one, an NHS letter."""
    raise_if_undefined(value)
    word = str(value).strip()
    if re.match(r"(?i:u[nk]i|uk|eu|one\b)", word):  # said with a "y" or "w" first: a Ukrainian, a one-off
        return "a"
    # a vowel; or letters said one by one whose name starts with a vowel sound: an NHS, an SEN
    return "an" if re.match(r"(?i:[aeiou])|[FHLMNRSX](?:[A-Z]|\b)", word) else "a"


# Words of an `extra` part's name said as letters: no vowel (nhs, gp, dwp, bsl), or one of these.
_LETTERS_WORDS = frozenset({"uk", "id", "tv", "pip", "esa", "ehcp", "adhd", "ot", "dols", "mca", "lpa", "icb", "dnacpr"})


def name_as_heading(name: str) -> str:
    """An `extra` part's name as a heading: nhs_number is "NHS number", my_gp is "My GP"."""
    words = [word.upper() if word in _LETTERS_WORDS or not re.search("[aeiouy]", word) else word
             for word in name.split("_") if word]
    if words and not words[0].isupper():
        words[0] = words[0].capitalize()
    return " ".join(words)


def _is_money(value: Any) -> bool:
    return isinstance(value, Record) and set(value._fields) == {"amount", "per"}


def not_shown(parts: Parts) -> list[tuple[PlanStr, Any]]:
    """The council's own parts the template has not asked for by name, each with its heading: its `title`, or
    its name as a heading. Each is then shown: a later `not_shown` (the letter's closing) leaves it out."""
    _require(parts, Parts, "not_shown", "the extra parts (extra)")
    shown: list[tuple[PlanStr, Any]] = []
    for name, value in dict.items(parts):
        if name in parts.asked_for:
            continue
        parts.asked_for.add(name)
        where = f"{parts.path}.{name}"
        heading = PlanStr(name_as_heading(name), where)
        if _is_money(value):
            shown.append((heading, format_money(value)))
        elif isinstance(value, Record):  # a part with a title, its lines and an amount
            says = Items([format_money(value.amount), *value.lines] if value.amount else value.lines)
            says.path = where
            shown.append((value.title or heading, says))
        else:
            shown.append((heading, value))
    return shown


def by_day(slots: Items) -> list[Any]:
    """Timetable slots in week order, then by start time."""
    _require(slots, (list, tuple), "by_day", "a list of timetable slots")
    return sorted(slots, key=lambda slot: (WEEK.index(slot.day), slot.start))


FILTERS: dict[str, Callable[..., Any]] = {
    "date": format_date, "time": format_time, "amount": format_amount, "money": format_money,
    "lines": format_lines, "by_day": by_day, "sentence": as_sentence, "ideas": ideas,
    "a_or_an": with_article, "not_shown": not_shown,
}
# at most how big a filter's result is, for those that can make far more than they are given (the sandbox sizes it first)
FILTER_SIZES: dict[str, FilterSize] = {
    "lines": lambda a: size_of(a["value"]) + len(str(a["separator"])) * listed_size(a["value"]),
}


# --- limits: each render's budget (sandbox.py enforces it) -------------------------------------


def template_seconds() -> float:
    """TEMPLATE_SECONDS, or less when $EASYREAD_TEMPLATE_SECONDS asks for less (tests do): never more."""
    try:
        asked = float(os.environ.get("EASYREAD_TEMPLATE_SECONDS") or TEMPLATE_SECONDS)
    except ValueError:
        return TEMPLATE_SECONDS
    return asked if 0 < asked < TEMPLATE_SECONDS else TEMPLATE_SECONDS


# --- the environment ------------------------------------------------------------------


class RawMarkup(str):
    """Markup made by a trusted helper (e.g. a checked symbol name); printed as it is."""


def symbol(name: Any, default: str | None = None, symbols: SymbolSet | None = None) -> RawMarkup:
    """`:name:` for a symbol named by the plan (checked), or the default, or nothing.

    A default ending in `?` ("help?") is soft: the statement's words may choose a better picture.
    """
    chosen = str(name) if name else default
    if not chosen:
        return RawMarkup("")
    if problem := (symbols or symbol_set()).unknown(chosen.removesuffix("?")):
        field = getattr(name, "path", None) if name else None
        raise jinja2.TemplateRuntimeError(f"{field}: {problem}" if field else problem)
    return RawMarkup(f":{chosen}: ")


class Pictures:
    """The person's own pictures a template uses, each given a symbol name for this document."""

    def __init__(self, symbols: SymbolSet) -> None:
        self.symbols = symbols
        self.refs: dict[str, SymbolRef] = {}

    def photo(self, picture: Any, fallback: str | None = None) -> RawMarkup:
        """`:photo-N:` for a picture from the plan (a photo of the person, their home ...), or the fallback symbol."""
        if picture is None:
            return symbol(fallback, symbols=self.symbols) if fallback else RawMarkup("")
        if not isinstance(picture, Record) or "file" not in picture:
            raise jinja2.TemplateRuntimeError(f"photo() needs a picture field, like person.photo; got {picture!r}")
        file = str(picture.file)
        name = next((n for n, ref in self.refs.items() if ref.file == file), f"photo-{len(self.refs) + 1}")
        self.refs[name] = SymbolRef(name=name, alt=str(picture.alt), source="photo", file=file, file_name=Path(file).name)
        return RawMarkup(f":{name}: ")

    def unknown(self, name: str) -> str | None:
        """None if `name` is one of these pictures or a known symbol."""
        return None if name in self.refs else self.symbols.unknown(name)


# The pictures of the render in progress (a context variable, so renders in threads stay apart).
_ACTIVE: ContextVar[Pictures] = ContextVar("easyread_pictures")


def fields_of(value: Any, path: str = "") -> Iterator[tuple[Any, str]]:
    """Every value in an input, depth first, with its field path ("people_who_help[0].photo")."""
    yield value, path
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from fields_of(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from fields_of(item, f"{path}[{index}]")


def plan_pictures(source: Input, symbols: SymbolSet) -> dict[str, str]:
    """Check every picture the plan names (picture files: format, size, damage; `symbol:` names: known),
    reporting all problems at once, each with the plan's file and line when it was read from one.

    Returns the plan's own choices: field path -> symbol name, for the words that name one.
    """
    from easyread.inputs.loader import origin_of

    origin = origin_of(source)
    problems = []
    chosen: dict[str, str] = {}

    def fail(message: str, field: str) -> None:
        problems.append(Problem(message, file=origin.name if origin else None, field=field,
                                line=origin.line(field) if origin else None))

    for value, path in fields_of(source):
        if isinstance(value, Picture):
            try:
                check_picture(value.file)
            except PictureProblem as err:
                fail(str(err), f"{path}.file")
        elif isinstance(value, Wording) and value.symbol:
            if problem := symbols.unknown(value.symbol):
                fail(problem, f"{path}.symbol")
            chosen[path] = chosen[f"{path}.easy_read"] = value.symbol
    if problems:
        raise InputError(problems)
    return chosen


class StrictField(WordedUndefined):
    """An undefined value that names the missing field in plan terms. A council's own part that this input leaves
    out is false in an `{% if %}` (each input may or may not have it); used in any other way, it is an error."""

    def __bool__(self) -> bool:  # type: ignore[override]  # StrictUndefined's always raises; here, not always
        if isinstance(self._undefined_obj, Parts):
            return False
        self._fail_with_undefined_error()

    def _name_message(self, name: str | None) -> str:
        return f"{name!r} is not defined; use a plan field, like person.called"

    def _field_message(self, owner: Any, name: str | None) -> str | None:
        if isinstance(owner, Record):
            known = ", ".join(sorted(owner._fields))
            return f"{owner.path or 'the plan'} has no field {name!r}; its fields are: {known}"
        if isinstance(owner, Parts):
            return (f"the template uses {owner.path}.{name}, a part of the council's own that this input does not have: "
                    f"add `{name}:` under `{owner.path}:` in the input (a letter from a batch gets it from its row), "
                    f"or put that part inside {{% if {owner.path}.{name} %}} ... {{% endif %}} if some inputs will not "
                    f"have it; a part every input has is named in the template's header (`extra: {name}`) so that "
                    f"`easyread templates lint` knows")
        return None


def finalize(value: Any) -> str:
    """Every `{{ }}` passes here (once the sandbox has sized it): values become literal text, tagged with their field."""
    if isinstance(value, RawMarkup):
        return value
    if value is None:
        return ""
    if _is_money(value):
        value = format_money(value)  # an amount of the council's own (extra.new_charge): "£85.85 a week"
    elif isinstance(value, Record):
        raise jinja2.TemplateRuntimeError(f"cannot print all of {value!r}; print one field of it, like .name")
    if isinstance(value, Items):
        raise jinja2.TemplateRuntimeError(
            f"cannot print the whole list {value.path}; use a {{% for %}} loop, or the lines filter"
        )
    if isinstance(value, str) and MARKERS.search(value):
        return value  # already composed markup: a macro's output or a {% set %} block
    if isinstance(value, dt.date):
        value = format_date(value)
    elif isinstance(value, dt.time):
        value = format_time(value)
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    return value_span(strip_markers(str(value)), getattr(value, "path", None), getattr(value, "own_words", False))


class LineMarks(Extension):
    """Marks the output with the template line it came from, so findings can point at it."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        name = Path(stream.name or stream.filename or "<template>").name
        for token in stream:
            if token.type == "data":
                pieces = token.value.split("\n")
                text = line_marker(name, token.lineno) + pieces[0]
                for offset, piece in enumerate(pieces[1:], start=1):
                    text += "\n" + line_marker(name, token.lineno + offset) + piece
                yield Token(token.lineno, "data", text)
            else:
                if token.type == "variable_begin":
                    yield Token(token.lineno, "data", line_marker(name, token.lineno))
                yield token


def shipped_folder() -> Path:
    """The folder of the templates that come with easyread."""
    return Path(str(resources.files("easyread").joinpath("templates")))


# What a template compiles to is decided here (finalize, LineMarks, the options), by the code generator in
# sandbox.py and by markup.py (the markers folded into constant output): the compiled-template cache is
# named after all three, so a change to any of them never reuses an old cache.
COMPILED_BY = (__file__, sandbox.__file__, markup.__file__)


@lru_cache(maxsize=16)
def environment(search: tuple[str, ...]) -> jinja2.Environment:
    """A sandboxed environment over some template folders, within the template limits (cached: templates compile once)."""
    return limited_environment(
        search,
        read_source=strip_markers,  # so no template can forge the markers
        filters=FILTERS,
        filter_sizes=FILTER_SIZES,
        template_globals={
            "symbol": lambda name, default=None: symbol(name, default, _ACTIVE.get().symbols),
            "photo": lambda picture, fallback=None: _ACTIVE.get().photo(picture, fallback),
        },
        finalize=finalize,
        bytecode_cache=template_bytecode(*COMPILED_BY),
        undefined=StrictField,
        extensions=[LineMarks],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # escaping is ours: see finalize()
    )


def resolve_template(template: str | Path | None, kind: str) -> tuple[jinja2.Environment, str]:
    """The environment and template name for a shipped name, a file path, or the default."""
    shipped = str(shipped_folder())
    if template is None:
        template = kind_named(kind).template
    text = str(template)
    if "/" not in text and "\\" not in text and not text.endswith(".j2"):
        name = text + TEMPLATE_SUFFIX
        if not (Path(shipped) / name).is_file() or name.startswith("_"):
            shipped_names = ", ".join(t["name"] for t in templates())
            raise TemplateError(f"no template called {text!r}; shipped templates are {shipped_names}, or give a file path")
        return environment((shipped,)), name
    path = Path(template)
    if not path.is_file():
        raise TemplateError(f"template file {str(path)!r} not found")
    path = path.resolve()  # a file named on purpose may be a link; what it includes must be beside the real one
    return environment((str(path.parent), shipped)), path.name


def template_source(env: jinja2.Environment, name: str) -> str:
    """A template's source text, as the environment's loader reads it."""
    if env.loader is None:
        raise TemplateError("no template folder is set", name)
    return env.loader.get_source(env, name)[0]


def templates(folder: Path | None = None) -> list[dict[str, str]]:
    """The templates in a folder (the shipped ones by default): name, kind and description from each header;
    files starting "_" hold parts for the others, and are not listed."""
    found = []
    for path in sorted((folder or shipped_folder()).glob("*" + TEMPLATE_SUFFIX)):
        if path.name.startswith("_"):
            continue
        info = header(path.read_text(encoding="utf-8"), path.name)
        found.append({"name": path.name.removesuffix(TEMPLATE_SUFFIX), "kind": info.get("kind", ""),
                      "description": info.get("description", "")})
    return found


def header(source: str, name: str = "<template>") -> dict[str, str]:
    """A template's header: a YAML block in a leading `{#--- ... ---#}` comment; TemplateError if it is not YAML."""
    match = _HEADER.match(source)
    if not match:
        return {}
    import yaml

    from easyread.inputs.loader import read_yaml

    try:
        data = read_yaml(match.group(1))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise TemplateError(f"the header is not valid YAML ({getattr(err, 'problem', None) or err}); put a value "
                            "that holds ': ' or '#' in quotes", name, mark.line + 2 if mark else 1) from None
    return data if isinstance(data, dict) else {}


def _source_line(env: jinja2.Environment, name: str, line: int | None) -> str:
    """One line of a template's text, or "" when it cannot be read."""
    try:
        lines = template_source(env, name).splitlines()
    except (jinja2.TemplateError, OSError):
        return ""
    return lines[line - 1] if line and 0 < line <= len(lines) else ""


def render_markup(source: Input, template: str | Path | None, profile: Profile,
                  pictures: Pictures | None = None) -> tuple[str, str, dict[str, str]]:
    """Run the template: the markup text, the template name and its header."""
    pictures = pictures or Pictures(symbol_set())
    env, name = resolve_template(template or default_template(source), source.kind)
    try:
        info = header(template_source(env, name), name)
        if info.get("kind") and info["kind"] != source.kind:
            raise TemplateError(f"this template is for a {info['kind']}, but the input is a {source.kind}", name)
        if info.get("purpose") and isinstance(source, Letter) and info["purpose"] != source.purpose:
            raise TemplateError(f"this template is for a {info['purpose']} letter, but the input is a "
                                f"{source.purpose} letter; leave out --template to use the one for its purpose", name)
        if info.get("layout", "rows") not in ("rows", "boxes"):
            raise TemplateError(f"the header's layout is {info['layout']!r}; it is rows or boxes", name, 2)
        if "pages" in info and (isinstance(info["pages"], bool) or not isinstance(info["pages"], int) or info["pages"] < 1):
            raise TemplateError(f"the header's pages is {info['pages']!r}; it is the most pages, a whole number "
                                "such as 1", name, 2)
        compiled = env.get_template(name)
        context = {field: wrap(getattr(source, field), field, profile.wording, spec.json_schema_extra == OWN_WORDS)
                   for field, spec in type(source).model_fields.items()}
        context.update(plan=Record(context, ""), profile={"name": profile.name, "wording": profile.wording})
        active = _ACTIVE.set(pictures)  # symbol() and photo() work in imported macros too
        try:
            output = render_within_limits(compiled, context, seconds=template_seconds(), max_work=MAX_TEMPLATE_WORK)
        finally:
            _ACTIVE.reset(active)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(err.message or str(err), Path(err.filename or err.name or name).name, err.lineno) from None
    except jinja2.TemplateNotFound as err:
        raise TemplateError(f"cannot find the template {err.name!r} that it includes or imports", name) from None
    except EmptyField as err:
        where, line = template_line(err)
        text = _source_line(env, where or name, line)
        raise TemplateError(err.advice(text, source), where or name, line) from None
    except jinja2.TemplateError as err:
        where, line = template_line(err)
        raise TemplateError(str(err.message or err), where or name, line) from None
    except RecursionError as err:  # a macro, include or recursive loop that never stops
        where, line = template_line(err)
        raise TemplateError("the template calls itself too deeply (a macro, include or recursive loop that never "
                            "stops?)", where or name, line) from None
    except MemoryError:
        raise TemplateError("the template needed more memory than this machine allows", name) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as err:  # e.g. a filter given the wrong value
        where, line = template_line(err)
        raise TemplateError(f"could not run this line: {err}", where or name, line) from None
    return output, name, info


def compose(source: InputSource | Input, *, template: str | Path | None = None, profile: str | Path | Profile | None = None,
            symbols: str | Path | SymbolSet | None = None) -> Document:
    """Compose an input (a plan, review, letter ...) into a Document, with a template, a profile and symbols.

    `source` is anything `easyread.load` takes; `symbols` is a council's folder of pictures
    that extends or overrides the shipped set (or a SymbolSet already made from one).
    """
    from easyread.inputs.loader import load, origin_of

    loaded = load(source)
    chosen = get_profile(profile or profile_name_for(loaded))
    pictures = Pictures(symbols if isinstance(symbols, SymbolSet)
                        else symbol_set(str(Path(symbols).resolve()) if symbols else None))
    chosen_by_plan = plan_pictures(loaded, pictures.symbols)
    output, name, info = render_markup(loaded, template, chosen, pictures)
    parsed = Parser(pictures.unknown).parse(output)
    if chosen.shows_pictures(loaded.person.information_needs):  # before the pictures are chosen
        if info.get("layout") == "boxes":
            headings_only(parsed.blocks)
        else:
            parsed.blocks = one_idea_each(parsed.blocks)  # each sentence its own
    document = Document(
        kind=loaded.kind,
        title=plain(parsed.title),
        title_source=parsed.title_source,
        subject=info.get("subject", kind_named(loaded.kind).subject),
        author=loaded.organisation.name,
        date=loaded.date,
        profile=chosen.name,
        template=name,
        needs=loaded.person.information_needs,
        blocks=parsed.blocks,
        cover=parsed.cover,
        boxes=info.get("layout") == "boxes",
        max_pages=int(info["pages"]) if "pages" in info else None,
    )
    document.council = council_of(chosen)
    if document.council and document.boxes:  # the person's own page or passport: the letterhead, not the council's
        document.council.contact = []       # address block, which a one-page profile has no room for
    document._origin = origin_of(loaded)
    document._title_runs = parsed.title
    document._person_names = tuple(name for name in (loaded.person.name, loaded.person.known_as) if name)
    document._person_pronouns = loaded.person.pronouns
    attach_symbols(document, pictures, chosen_by_plan, loaded.person, people_pictures(loaded, pictures))
    return direction_safe(document)  # once, here, so no writer can show or say text reordered


# the symbols that stand for the reader, replaced by their own photo or a picture of someone like them
READER = frozenset({"you", "me"})
READER_BY_PRONOUNS = {"he/him": "you-man", "she/her": "you-woman"}


# pictures of a person by what they are, or of anyone: beside words that name someone whose photo the plan gives,
# their photo says more ("Lucy will meet you at the bus stop", "Lucy Adeyemi: Your main support worker")
GENERIC_FOR_PEOPLE = frozenset({"help", "contact", "hello", "meeting", "talk", "together", "people", "needs"})
# when: beside a line whose first words name who does it, the person says more than the day
TIMES = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "morning",
                   "afternoon", "evening", "night", "today", "tomorrow", "week", "month", "year", "calendar", "clock"})
STANDS_FOR_SOMEONE = HELPERS | GENERIC_FOR_PEOPLE | frozenset({"doctor", "advocate", "teacher"})
# what a person is: the picture for someone in a people list who has no photo ("Ruth Ellis: Your advocate")
PEOPLE = STANDS_FOR_SOMEONE - GENERIC_FOR_PEOPLE - {"people"} | READER | frozenset({
    "family", "mum", "dad", "brother", "sister", "grandparent", "gran", "grandad", "son", "daughter", "housemate",
    "friend", "partner", "neighbour", "police-officer", "man", "woman", "older-person", "you-man", "you-woman"})


def people_pictures(loaded: Input, pictures: Pictures) -> dict[str, str]:
    """Everyone the plan names with a photo or a role (a contact, a helper, a worker; the person's photo), by each
    way the plan may write their name ("Lucy Adeyemi", "Lucy"; the person's `known_as` too): their photo's symbol
    name in this document, else the picture of what they are ("Your advocate": `advocate`). A first name two of
    them share names neither."""
    people: list[tuple[tuple[str, ...], str]] = []
    for value, path in fields_of(loaded):
        name = getattr(value, "name", None) if isinstance(value, BaseModel) else None
        if isinstance(name, str) and (picture := _picture_of(value, path, pictures)):
            people.append((tuple(n for n in (name, getattr(value, "known_as", None)) if n), picture))
    found: dict[str, str] = {}
    for names, picture in sorted(people, key=lambda entry: entry[1] not in pictures.refs):  # a photo first
        for name in names:
            found.setdefault(name, picture)
    firsts: dict[str, set[str]] = {}
    for name in list(found):
        words = [word for word in name.split() if word.lower().rstrip(".") not in TITLES]
        if len(words) > 1:
            firsts.setdefault(words[0], set()).add(name)
    found.update({first: found[next(iter(full))] for first, full in firsts.items() if len(full) == 1 and first not in found})
    return found


def _picture_of(someone: BaseModel, path: str, pictures: Pictures) -> str | None:
    """Someone's photo's symbol name, or the picture of what their role or relationship says they are."""
    photo = getattr(someone, "photo", None)
    if isinstance(photo, Picture):
        return str(pictures.photo(wrap(photo, f"{path}.photo" if path else "photo", "text"))).strip().strip(":")
    if isinstance(someone, Person):  # the reader with no photo: a person like them, by their pronouns
        return _reader_picture(pictures, someone)
    said = " ".join(str(getattr(value, "easy_read", None) or getattr(value, "text", value))
                    for value in (getattr(someone, "role", None), getattr(someone, "relationship", None)) if value)
    found = [c for c in pictures.symbols.candidates(said) if c.name in PEOPLE and not c.negated]
    return found[0].name if found else None


def _as_themselves(line: Statement, people: dict[str, str], pictures: Pictures) -> None:
    """Show a line that names someone as them (see people_pictures), where its own picture shows no one better:
    their photo beside a line with no picture or a helper's or a generic one; what they are beside a line with no
    picture or a generic one. An item of a people list is always shown as its person, even where the template
    gives a picture (a carer's): their photo, else what their role says they are, not its other words' picture."""
    listed = line.listed_name
    source = line.symbol_source
    if source in ("plan", "none") or (source == "template" and listed is None):
        return
    # the person it names first does what it says ("Imran helps you at weekends"): them, not the weekend
    subject = listed is None and bool(people) and _names_pattern(tuple(people)).match(plain(line.runs)) is not None
    if listed is not None:
        named = people.get(listed)
    else:
        found = {people[name] for name in _names_pattern(tuple(people)).findall(plain(line.runs))} if people else set()
        named = found.pop() if len(found) == 1 else None
    # the template's soft default is its guess when the words name nothing: the person they name says more
    unpictured = line.symbol is None or listed is not None or source == "default" or (subject and line.symbol in TIMES)
    if named in pictures.refs and (unpictured or line.symbol in STANDS_FOR_SOMEONE):
        line.symbol, line.symbol_source = named, "photo"
        line.symbol_reason = f"it names someone whose photo the plan gives ({pictures.refs[named].alt})"
    elif named is not None and named not in pictures.refs and (source != "template" or listed is not None) \
            and (unpictured or line.symbol in GENERIC_FOR_PEOPLE):
        line.symbol, line.symbol_source = named, "words"
        line.symbol_reason = f"it names someone the plan lists as :{named}:, what they are"
    elif listed is not None and source == "words" and line.symbol not in PEOPLE:
        # what the person is ("safeguarding social worker" is a social worker, not safety)
        person_like = [c for c in pictures.symbols.candidates(plain(line.runs)) if c.name in PEOPLE and not c.negated]
        if person_like:
            line.symbol, line.symbol_reason = person_like[-1].name, person_like[-1].reason + ", what they are"


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for every name, longest first, each a whole word: "Lucy Adeyemi" before "Lucy"."""
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(rf"(?<![\w'’-])({'|'.join(map(re.escape, ordered))})(?![\w-])")


def attach_symbols(document: Document, pictures: Pictures, chosen_by_plan: dict[str, str] | None = None,
                   person: Person | None = None, people: dict[str, str] | None = None) -> None:
    """Choose every block's picture, say why, and list every picture used.

    In order: `:none:` or a fixed `:name:` in the template; a `symbol:` on the plan's words;
    the words themselves; the template's soft default (`:name?:`); else none. The reader's own
    picture is their photo, or a picture that fits their recorded pronouns. A person who asked
    for photos (`pictures: photos`) gets their own photos and the council's folder only: no
    cartoon symbols, and no picture where no photo fits.
    """
    symbols = pictures.symbols
    photos_only = document.needs.pictures == "photos"
    reader = _reader_picture(pictures, person)
    if not document.boxes:  # in a box, the heading's picture stands for every line under it
        _items_pictured_each(document.blocks, symbols, people or {})
    for block in pictured_blocks(document):
        _choose(block, symbols, chosen_by_plan or {})
        if block.symbol in READER and reader and reader != block.symbol:
            block.symbol, block.symbol_source = reader, "person"
            block.symbol_reason = (block.symbol_reason or "") + "; shown as the reader's own picture"
        if isinstance(block, Statement):
            _as_themselves(block, people or {}, pictures)
        if block.symbol is None:
            continue
        if block.symbol in pictures.refs:
            document.symbols[block.symbol] = pictures.refs[block.symbol]
            continue
        concept = symbols.concepts[block.symbol]
        if concept.source == "none":
            continue  # a name without a picture yet
        if photos_only and not concept.file:  # a shipped symbol, not a photo
            block.symbol, block.symbol_source = None, "none"
            block.symbol_reason = "no picture: the person asked for photos, and no photo fits"
            continue
        document.symbols[block.symbol] = SymbolRef(
            name=concept.name, alt=concept.alt, source="council" if concept.file else "openmoji", code=concept.code,
            file=str(concept.file) if concept.file else None, file_name=concept.file.name if concept.file else None)
    for section in sections(document):
        first = section.blocks[0] if section.blocks else None
        if document.boxes or not section.symbol:
            continue
        if isinstance(first, Statement) and first.symbol == section.symbol:
            # the same picture twice, one under the other, says nothing new: the line keeps it
            section.symbol, section.symbol_source = None, "none"
            section.symbol_reason = f"no picture: the line under it shows :{first.symbol}:"
        elif section.symbol in STOCK_FOR_HEADINGS:  # the template's or the words' (in a box, it heads the box)
            section.symbol, section.symbol_source = None, "none"
            section.symbol_reason = "no picture: a star or a tick, small beside a heading, could head any part"
    used = {ref.source for ref in document.symbols.values()}
    document.attribution = [text for source, text in symbols.attributions.items() if source in used]


# pictures that, small beside a heading ("What matters to you", "What is working"), could head any part of a plan
STOCK_FOR_HEADINGS = frozenset({"important", "star", "tick", "cross", "goal", "review", "words", "contact", "talk",
                                "question", "information", "idea", "change", "strengths", "going-well", "plan"})
# a lead-in whose own picture says no more than "help" or "people" ("You get help with:", "Who can see it:")
GENERIC_LEADS = GENERIC_FOR_PEOPLE | frozenset({None, "plan", "information", "important", "star", "health-check"})
# a list this long reads as a list of things, each with its own picture, not one idea under its lead-in's
MOST_ITEMS_PICTURED = 8


def _items_pictured_each(blocks: list[Block], symbols: SymbolSet, people: dict[str, str]) -> None:
    """Give each item of a lead-in's list its own picture where every item's words name a specific one ("You get
    help with:" washing, cooking, going out; "Who can see it:" Gary, your doctor), and the lead-in none: four
    pictures of what the help is say more than one helping hand beside all of them (see ideas.one_idea_each)."""
    before: Block | None = None
    for block in blocks:
        if isinstance(block, Section):
            _items_pictured_each(block.blocks, symbols, people)
        elif isinstance(block, ListBlock) and isinstance(before, Statement) and before.text.rstrip().endswith(":") \
                and 1 < len(block.items) <= MOST_ITEMS_PICTURED and all(item.symbol == NONE for item in block.items) \
                and before.symbol in (None, NONE) and _lead_picture(before, symbols) in GENERIC_LEADS \
                and all(_names_its_own_picture(item.text, symbols, people) for item in block.items):
            for item in block.items:
                item.symbol, item.symbol_reason = None, None  # chosen by its words, like any line
            if before.symbol_source != "plan":
                before.symbol, before.symbol_reason = NONE, "no picture: each item under it has its own"
        before = block


def _lead_picture(lead: Statement, symbols: SymbolSet) -> str | None:
    """The picture a lead-in the template gives none of its own would have: its words', else the template's
    default. (One the template fixes, as the one-page summary's `:help: You get help with:`, keeps its list
    under it, compact: the caller does not ask.)"""
    choice, _ = symbols.choose(lead.text)
    return choice.name if choice is not None else lead.symbol_default


def _names_its_own_picture(text: str, symbols: SymbolSet, people: dict[str, str]) -> bool:
    """True when words name someone the plan lists, or a picture that is not a generic one or a time."""
    if people and _names_pattern(tuple(people)).search(text):
        return True
    choice, _ = symbols.choose(text)  # money is specific beside "Money"; a day or a week beside an item is not
    return choice is not None and not choice.negated and choice.name not in GENERIC_LEADS | TIMES


def _choose(block: Pictured, symbols: SymbolSet, chosen_by_plan: dict[str, str]) -> None:
    """Set one block's picture, where it came from and why."""
    if block.symbol == NONE:
        block.symbol, block.symbol_source = None, "none"
        block.symbol_reason = block.symbol_reason or "no picture: the template says none"
        return
    if block.symbol is not None:
        block.symbol_source, block.symbol_reason = "template", f"the template shows :{block.symbol}: here"
        return
    runs = block.runs if isinstance(block, Line) else block.heading if isinstance(block, Section) else \
        [run for cell in block.cells for run in [*cell, Run(text=" ")]] if isinstance(block, Row) else \
        [run for d in block.details if d.key in ("role", "name") for run in [*d.runs, Run(text=". ")]] \
        if isinstance(block, ContactCard) else []  # a contact's picture: what their role (or name) says they do
    if isinstance(block, Statement) and block.listed_name:  # a person's name says nothing ("Owen Price" is no price)
        runs = runs[next(index for index, run in enumerate(runs) if run.text.strip()) + 1:]
    named = next((chosen_by_plan[run.field] for run in runs if run.field in chosen_by_plan), None)
    if named is not None:
        block.symbol = None if named == NONE else named
        block.symbol_source = "none" if named == NONE else "plan"
        block.symbol_reason = f"the plan names :{named}: for these words"
        return
    default = block.symbol_default
    choice, why_none = symbols.choose(plain(runs)) if isinstance(block, (Statement, Section, Row, ContactCard)) \
        else (None, "")
    if isinstance(block, ContactCard) and (role := block.get("role")):
        # what they are comes first in a role ("My support worker, Northmoor Supported Living"): its first words
        # choose before the rest ("supported living" would show a care home)
        first, _ = symbols.choose(re.split(r"[,.;(]", role)[0])
        choice = first if first is not None and first.strong and first.priority > 1 else choice
        if choice is None and (name := block.get("name")):  # a long role says too much: the name may say what
            choice, _ = symbols.choose(name)                  # they are ("Northmoor Reablement Service")
        helped = None if choice is not None or "support-worker" not in symbols.concepts else \
            next((c for c in symbols.candidates(plain(runs)) if c.name == "help" and not c.negated), None)
        if helped is not None:
            # on a contact card, the people who "give you support" are support staff, not a helping hand
            concept = symbols.concepts["support-worker"]
            choice = Choice(concept.name, concept.alt, helped.word, helped.position,
                            f"'{helped.word}': on a contact card, the people who support you", concept.priority, True)
    # what the words name beats the template's default, unless it is only a very common word
    if choice is not None and (default is None or choice.strong):
        block.symbol, block.symbol_source, block.symbol_reason = choice.name, "words", choice.reason
    elif default is not None and not why_none.startswith(NEGATED):  # a default beside "no steps" would deny it
        block.symbol, block.symbol_source = default, "default"
        block.symbol_reason = f"the template's default :{default}:, as the words name nothing more specific"
    elif why_none:
        block.symbol_reason = why_none


def _reader_picture(pictures: Pictures, person: Person | None) -> str | None:
    """The symbol name for the reader: their photo, else a person like them (from their pronouns)."""
    if person is None:
        return None
    if person.photo is not None:
        return str(pictures.photo(wrap(person.photo, "person.photo", "text"))).strip().strip(":")
    name = READER_BY_PRONOUNS.get(person.pronouns or "", "you")
    return name if name in pictures.symbols.concepts else None


def council_of(profile: Profile) -> Council | None:
    """The council's letterhead and contact block, from the profile's house style, as Document words."""
    house = profile.house
    if house is None:
        return None
    logo = None if house.logo is None else SymbolRef(name="logo", alt=house.logo.alt, source="council",
                                                     file=str(house.logo.file), file_name=house.logo.file.name)
    return Council(name=house.name, logo=logo, contact=list(house.contact))


def profile_name_for(source: Input) -> str:
    """The profile the person's recorded needs ask for: large print or easy read."""
    formats = source.person.information_needs.formats
    for need in formats:
        if need in ("easy-read", "large-print"):
            return need
    return "large-print" if "standard-print" in formats else "easy-read"
