"""Compose: a plan, a template and a profile in; a Document out.

Templates are Jinja2, run in the immutable sandbox with StrictUndefined, so a template
cannot reach Python internals and a misspelt field is an error naming the template line.
Plan values reach the template as light wrappers that remember their field path; on
output every value is wrapped as literal text (see markup.py), so a person's words can
never become markup, a symbol, a heading or template code.
"""

from __future__ import annotations

import datetime as dt
import re
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel

from easyread.cache import template_bytecode
from easyread.document import Document, Line, Statement, SymbolRef, plain
from easyread.errors import InputError, Problem, TemplateError
from easyread.markup import MARKERS, Parser, line_marker, strip_markers, value_span
from easyread.model import OWN_WORDS, Letter, Person, Picture, Plan, Review, Wording
from easyread.profile import Profile, get_profile
from easyread.symbols import NONE, SymbolSet, symbol_set
from easyread.symbols.pictures import PictureProblem, check_picture

if TYPE_CHECKING:
    from easyread.loader import Input, Source

TEMPLATE_SUFFIX = ".md.j2"
DEFAULT_TEMPLATES = {"plan": "support_plan", "review": "review", "letter": "review_invitation"}
SUBJECTS = {"plan": "Care and support plan", "review": "Review of a care and support plan", "letter": "Letter"}
_HEADER = re.compile(r"\A\{#-?-{3}\n(.*?)\n-{3}-?#\}", re.S)


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
        return Record(fields, path)
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
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _require(value: Any, kind: type | tuple[type, ...], filter_name: str, expected: str) -> None:
    """Fail clearly when a filter gets a missing field or the wrong kind of value."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
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


def by_day(slots: Items) -> list[Any]:
    """Timetable slots in week order, then by start time."""
    _require(slots, (list, tuple), "by_day", "a list of timetable slots")
    return sorted(slots, key=lambda slot: (DAYS.index(slot.day), slot.start))


FILTERS = {
    "date": format_date, "time": format_time, "amount": format_amount, "money": format_money,
    "lines": format_lines, "by_day": by_day, "sentence": as_sentence,
}


# --- the environment ------------------------------------------------------------------


class RawMarkup(str):
    """Markup made by a trusted helper (e.g. a checked symbol name); printed as it is."""


def symbol(name: Any, default: str | None = None, symbols: SymbolSet | None = None) -> RawMarkup:
    """`:name:` for a symbol named by the plan (checked), or the default, or nothing."""
    chosen = str(name) if name else default
    if not chosen:
        return RawMarkup("")
    if problem := (symbols or symbol_set()).unknown(chosen):
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


def check_pictures(source: Plan | Review | Letter) -> None:
    """Check every picture file the plan names (format, size, damage), reporting all problems at once."""
    problems = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, Picture):
            try:
                check_picture(value.file)
            except PictureProblem as err:
                problems.append(Problem(str(err), field=f"{path}.file"))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), f"{path}.{name}" if path else name)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    walk(source, "")
    if problems:
        raise InputError(problems)


class StrictField(jinja2.StrictUndefined):
    """An undefined value that names the missing field in plan terms."""

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:  # e.g. the sandbox's "access to attribute ... is unsafe"
            return self._undefined_hint
        owner = self._undefined_obj
        if isinstance(owner, Record):
            known = ", ".join(sorted(owner._fields))
            where = owner.path or "the plan"
            return f"{where} has no field {self._undefined_name!r}; its fields are: {known}"
        if self._undefined_obj is jinja2.utils.missing:
            return f"{self._undefined_name!r} is not defined; use a plan field, like person.called"
        return super()._undefined_message


def finalize(value: Any) -> str:
    """Every `{{ }}` passes here: values become literal text, tagged with their field."""
    if isinstance(value, RawMarkup):
        return value
    if value is None:
        return ""
    if isinstance(value, Record):
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


class TemplateLoader(jinja2.FileSystemLoader):
    """A file loader that strips marker characters, so no template can forge them."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        return strip_markers(source), filename, uptodate


def shipped_folder() -> Path:
    """The folder of the templates that come with easyread."""
    return Path(str(resources.files(__package__).joinpath("templates")))


@lru_cache(maxsize=16)
def environment(search: tuple[str, ...]) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment over some template folders (cached: templates compile once)."""
    env = ImmutableSandboxedEnvironment(
        loader=TemplateLoader(list(search)),
        bytecode_cache=template_bytecode(__file__),
        undefined=StrictField,
        finalize=finalize,
        extensions=[LineMarks],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # escaping is ours: see finalize()
    )
    env.filters.update(FILTERS)
    env.globals.update(
        symbol=lambda name, default=None: symbol(name, default, _ACTIVE.get().symbols),
        photo=lambda picture, fallback=None: _ACTIVE.get().photo(picture, fallback),
    )
    return env


def resolve_template(template: str | Path | None, kind: str) -> tuple[ImmutableSandboxedEnvironment, str]:
    """The environment and template name for a shipped name, a file path, or the default."""
    shipped = str(shipped_folder())
    if template is None:
        template = DEFAULT_TEMPLATES[kind]
    text = str(template)
    if "/" not in text and "\\" not in text and not text.endswith(".j2"):
        name = text + TEMPLATE_SUFFIX
        if not (Path(shipped) / name).is_file() or name.startswith("_"):
            raise TemplateError(f"no template called {text!r}; shipped templates are {', '.join(t['name'] for t in templates())}, or give a file path")
        return environment((shipped,)), name
    path = Path(template)
    if not path.is_file():
        raise TemplateError(f"template file {str(path)!r} not found")
    return environment((str(path.parent.resolve()), shipped)), path.name


def template_source(env: jinja2.Environment, name: str) -> str:
    """A template's source text, as the environment's loader reads it."""
    if env.loader is None:
        raise TemplateError("no template folder is set", name)
    return env.loader.get_source(env, name)[0]


def templates() -> list[dict[str, str]]:
    """The shipped templates: name, kind and description from each header."""
    found = []
    for path in sorted(shipped_folder().glob("*" + TEMPLATE_SUFFIX)):
        if path.name.startswith("_"):
            continue
        info = header(path.read_text(encoding="utf-8"))
        found.append({"name": path.name.removesuffix(TEMPLATE_SUFFIX), "kind": info.get("kind", ""),
                      "description": info.get("description", "")})
    return found


def header(source: str) -> dict[str, str]:
    """A template's header: a YAML block in a leading `{#--- ... ---#}` comment."""
    match = _HEADER.match(source)
    if not match:
        return {}
    from easyread.loader import read_yaml

    data = read_yaml(match.group(1))
    return data if isinstance(data, dict) else {}


def _template_line(error: BaseException) -> tuple[str | None, int | None]:
    """The template file and line an error was raised at, from Jinja's rewritten traceback."""
    found: tuple[str | None, int | None] = (None, None)
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_markup(source: Plan | Review | Letter, template: str | Path | None, profile: Profile,
                  pictures: Pictures | None = None) -> tuple[str, str, dict[str, str]]:
    """Run the template: the markup text, the template name and its header."""
    pictures = pictures or Pictures(symbol_set())
    env, name = resolve_template(template, source.kind)
    try:
        info = header(template_source(env, name))
        if info.get("kind") and info["kind"] != source.kind:
            raise TemplateError(f"this template is for a {info['kind']}, but the input is a {source.kind}", name)
        compiled = env.get_template(name)
        context = {field: wrap(getattr(source, field), field, profile.wording, spec.json_schema_extra == OWN_WORDS)
                   for field, spec in type(source).model_fields.items()}
        context.update(plan=Record(context, ""), profile={"name": profile.name, "wording": profile.wording})
        active = _ACTIVE.set(pictures)  # symbol() and photo() work in imported macros too
        try:
            output = compiled.render(context)
        finally:
            _ACTIVE.reset(active)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(err.message or str(err), Path(err.filename or err.name or name).name, err.lineno) from None
    except jinja2.TemplateNotFound as err:
        raise TemplateError(f"cannot find the template {err.name!r} that it includes or imports", name) from None
    except jinja2.TemplateError as err:
        where, line = _template_line(err)
        raise TemplateError(str(err.message or err), where or name, line) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as err:  # e.g. a filter given the wrong value
        where, line = _template_line(err)
        raise TemplateError(f"could not run this line: {err}", where or name, line) from None
    return output, name, info


def compose(source: Source | Input, *, template: str | Path | None = None, profile: str | Path | Profile | None = None,
            symbols: str | Path | SymbolSet | None = None) -> Document:
    """Compose a plan, review or letter into a Document, with a template, a profile and symbols.

    `source` is anything `easyread.load` takes; `symbols` is a council's folder of pictures
    that extends or overrides the shipped set (or a SymbolSet already made from one).
    """
    from easyread.loader import load, origin_of

    loaded = load(source)
    chosen = get_profile(profile or profile_for(loaded))
    check_pictures(loaded)
    pictures = Pictures(symbols if isinstance(symbols, SymbolSet) else symbol_set(str(Path(symbols).resolve()) if symbols else None))
    output, name, info = render_markup(loaded, template, chosen, pictures)
    parsed = Parser(pictures.unknown).parse(output)
    document = Document(
        kind=loaded.kind,
        title=plain(parsed.title),
        title_source=parsed.title_source,
        subject=info.get("subject", SUBJECTS[loaded.kind]),
        author=loaded.organisation.name,
        date=loaded.date,
        profile=chosen.name,
        template=name,
        needs=loaded.person.information_needs,
        blocks=parsed.blocks,
    )
    document._origin = origin_of(loaded)
    document._title_runs = parsed.title
    attach_symbols(document, pictures)
    return document


def attach_symbols(document: Document, pictures: Pictures) -> None:
    """Choose pictures for statements the template left to their words, and list every picture used."""
    symbols = pictures.symbols
    for block in document.blocks_with_symbols():
        if block.symbol == NONE:
            block.symbol = None
            if isinstance(block, Line):
                block.symbol_source = "none"
        elif block.symbol is not None:
            if isinstance(block, Line):
                block.symbol_source = "template"
        elif isinstance(block, Statement) and (choice := symbols.find(block.text)) is not None:
            block.symbol, block.symbol_source = choice.name, "words"
        if block.symbol is None:
            continue
        if block.symbol in pictures.refs:
            document.symbols[block.symbol] = pictures.refs[block.symbol]
            continue
        concept = symbols.concepts[block.symbol]
        if concept.source == "none":
            continue  # a name without a picture yet
        document.symbols[block.symbol] = SymbolRef(
            name=concept.name, alt=concept.alt, source="council" if concept.file else "openmoji", code=concept.code,
            file=str(concept.file) if concept.file else None, file_name=concept.file.name if concept.file else None)
    used = {ref.source for ref in document.symbols.values()}
    document.attribution = [text for source, text in symbols.attributions.items() if source in used]


def profile_for(source: Plan | Review | Letter) -> str:
    """The profile the person's recorded needs ask for: large print or easy read."""
    formats = source.person.information_needs.formats
    for need in formats:
        if need in ("easy-read", "large-print"):
            return need
    return "large-print" if "standard-print" in formats else "easy-read"
