"""Compose: a plan, a template and a profile in; a Document out.

Templates are Jinja2, run in the immutable sandbox with StrictUndefined, so a template
cannot reach Python internals and a misspelt field is an error naming the template line.
Plan values reach the template as light wrappers that remember their field path; on
output every value is wrapped as literal text (see markup.py), so a person's words can
never become markup, a symbol, a heading or template code.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import os
import re
import string
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import jinja2
from jinja2.compiler import CodeGenerator, CompilerExit, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.ext import Extension
from jinja2.filters import make_attrgetter
from jinja2.lexer import Token, TokenStream
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace, generate_lorem_ipsum
from pydantic import BaseModel

from easyread.cache import template_bytecode
from easyread.composer.direction import direction_safe
from easyread.composer.markup import MARKERS, Parser, line_marker, strip_markers, value_span
from easyread.document import Document, Line, Pictured, Row, Run, Section, Statement, SymbolRef, pictured_blocks, plain
from easyread.errors import InputError, Problem, TemplateError
from easyread.inputs.kinds import kind_named
from easyread.inputs.limits import (
    MAX_TEMPLATE_BYTES,
    MAX_TEMPLATE_NUMBER_DIGITS,
    MAX_TEMPLATE_OUTPUT_CHARS,
    MAX_TEMPLATE_WORK,
    TEMPLATE_SECONDS,
)
from easyread.inputs.model import OWN_WORDS, Input, Letter, Person, Picture, Wording
from easyread.inputs.pictures import PictureProblem, check_picture
from easyread.inputs.profile import Profile, get_profile
from easyread.symbols import NEGATED, NONE, SymbolSet, symbol_set

if TYPE_CHECKING:
    from easyread.inputs.loader import Source

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
    """A council's own named parts (`extra:`): each value remembers its field path."""

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
    if isinstance(value, dict):
        parts = Parts({key: wrap(item, f"{path}.{key}", wording, own_words) for key, item in value.items()})
        parts.path = path
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
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
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

    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
    if value is None:
        return []
    return [_keep_path(value, sentence) for sentence in split(str(value))] or [_keep_path(value, str(value))]


def by_day(slots: Items) -> list[Any]:
    """Timetable slots in week order, then by start time."""
    _require(slots, (list, tuple), "by_day", "a list of timetable slots")
    return sorted(slots, key=lambda slot: (DAYS.index(slot.day), slot.start))


FILTERS = {
    "date": format_date, "time": format_time, "amount": format_amount, "money": format_money,
    "lines": format_lines, "by_day": by_day, "sentence": as_sentence, "ideas": ideas,
}


# --- limits: what one render may make, and for how long ----------------------------------
#
# The sandbox keeps a template away from Python's internals, but not from making a string of a
# billion characters, a list of a billion items, a number of a billion digits, or a loop that
# never ends. So each render carries a budget (in a context variable, so renders in threads stay
# apart): every block entered (each loop turn, each macro call), call, operator and piece of
# output counts against MAX_TEMPLATE_WORK, and the clock against TEMPLATE_SECONDS. Anything that
# could make one big value in one step (`*`, `+`, `**`, `%`, `~`, join, center, replace, format
# ...) is sized before it is made, and refused past MAX_TEMPLATE_OUTPUT_CHARS.

T = TypeVar("T")


class TemplateLimit(jinja2.TemplateRuntimeError):
    """A template went past a limit on what one render may make, or on how long it may take."""


@dataclass
class _Render:
    """The render in progress: what it has made so far, and when it must stop."""

    seconds: float
    deadline: float
    work: int = 0


_RENDER: ContextVar[_Render | None] = ContextVar("easyread_render", default=None)
_NUMBER_BITS = int(MAX_TEMPLATE_NUMBER_DIGITS * 3.33) + 1  # about log2(10) bits a digit
_PIECE = 64  # what an object costs beyond its characters: its header, a reference to it
_DIGITS = re.compile(r"\d+")
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")
_WIDTH_METHODS = frozenset(("ljust", "rjust", "center", "zfill"))


def template_seconds() -> float:
    """TEMPLATE_SECONDS, or less when $EASYREAD_TEMPLATE_SECONDS asks for less (tests do): never more."""
    try:
        asked = float(os.environ.get("EASYREAD_TEMPLATE_SECONDS") or TEMPLATE_SECONDS)
    except ValueError:
        return TEMPLATE_SECONDS
    return asked if 0 < asked < TEMPLATE_SECONDS else TEMPLATE_SECONDS


def size_of(value: Any) -> int:
    """About how big a value is: its characters, and more for each item of a list or dict.

    An item that appears twice counts twice, as it would print. Counting stops soon after
    MAX_TEMPLATE_OUTPUT_CHARS, so it never takes long.
    """
    total, stack = 0, [value]
    while stack and total <= MAX_TEMPLATE_OUTPUT_CHARS:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, dict):
            total += _PIECE + 16 * len(item)
            if total <= MAX_TEMPLATE_OUTPUT_CHARS:
                stack.extend(item)
                stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += _listed(item)
            if total <= MAX_TEMPLATE_OUTPUT_CHARS:
                stack.extend(item)
        elif isinstance(item, Namespace):  # {% set ns.x = ... %}: what it holds
            total += _PIECE
            stack.append(getattr(item, "_Namespace__attrs", {}))
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 1
        else:
            total += _PIECE
    return total


def _spend(amount: int) -> None:
    """Count work against the render in progress; stop it past its work or time limit."""
    render = _RENDER.get()
    if render is None:  # not rendering: Jinja folding constants as it compiles
        return
    render.work += amount
    if render.work > MAX_TEMPLATE_WORK:
        raise TemplateLimit(f"the template made too much: more than {MAX_TEMPLATE_WORK:,} characters in all, the "
                            "most one render may make (a loop or macro making far more than it prints?)")
    if time.monotonic() > render.deadline:
        raise TemplateLimit(f"the template took longer than {render.seconds:g} seconds, the most one render may take "
                            "(a loop that never ends?)")


def _refuse_over(size: int, what: str) -> None:
    if size > MAX_TEMPLATE_OUTPUT_CHARS:
        raise TemplateLimit(f"{what} would be too big: a template may make at most {MAX_TEMPLATE_OUTPUT_CHARS:,} "
                            "characters at once")


def _made(value: T, what: str) -> T:
    """A value the template made: refused if too big, else counted; an iterator is counted item by item."""
    size = size_of(value)
    _refuse_over(size, what)
    _spend(_PIECE + size)
    if isinstance(value, Iterator):
        return _metered(value, what)  # type: ignore[return-value]  # an iterator of the same items
    return value


def _metered(items: Iterator[Any], what: str) -> Iterator[Any]:
    """The items, each counted (and refused if too big) as it is made: map(), batch(), select() ..."""
    for item in items:
        yield _made(item, what)


def _check_number(operator: str, left: Any, right: Any) -> None:
    """Refuse integer arithmetic whose result would have more than MAX_TEMPLATE_NUMBER_DIGITS digits."""
    if not (isinstance(left, int) and isinstance(right, int)):
        return  # floats overflow quickly; decimals keep to their context's precision
    a, b = abs(left).bit_length(), abs(right).bit_length()
    bits = ((a - 1) * right if right > 0 else 0) if operator == "**" else a + b if operator == "*" else max(a, b) + 1
    if bits > _NUMBER_BITS:
        raise TemplateLimit(f"the number {operator} makes would be too big: a template may make numbers of at most "
                            f"{MAX_TEMPLATE_NUMBER_DIGITS:,} digits")


def _formatted_size(template: str, values: list[Any], style: str) -> int:
    """At most how long `template % values` (style "%") or `template.format(*values)` (style "{}") can be."""
    if style == "%":
        fields = _PERCENT_FIELD.findall(template)
        numbers = [number for field in fields for number in field if number]
    else:
        try:
            specs = [spec or "" for _, name, spec, _ in string.Formatter().parse(template) if name is not None]
        except ValueError:
            return len(template)  # format() refuses it itself
        fields = specs
        numbers = [n for spec in specs for n in [*_DIGITS.findall(spec), *(["*"] if "{" in spec else [])]]
    given = max((abs(value) for value in values if isinstance(value, int)), default=0)  # widths given as values
    widths = [given if n == "*" else MAX_TEMPLATE_OUTPUT_CHARS + 1 if len(n) > 7 else int(n) for n in numbers]
    return len(template) + len(fields) * (max(widths, default=0) + max(map(size_of, values), default=0))


def _sized_call(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """The arguments for a call, once a str or bytes method that would make too much is refused.

    The items given to join() are gathered (and counted) first, so the join is sized before it is made.
    """
    text, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
    if not isinstance(text, (str, bytes)):
        return args
    what, given = f"the result of .{name}()", [*args, *kwargs.values()]
    if name in _WIDTH_METHODS and given and isinstance(given[0], int):
        _refuse_over(given[0], what)
    elif name == "expandtabs":
        tab = given[0] if given and isinstance(given[0], int) else 8
        _refuse_over(len(text) + text.count("\t" if isinstance(text, str) else b"\t") * tab, what)  # type: ignore[arg-type]
    elif name == "replace" and len(given) >= 2:
        try:
            times = text.count(given[0]) if given[0] else len(text) + 1
        except TypeError:
            return args  # the call itself says what is wrong
        if len(given) > 2 and isinstance(given[2], int) and given[2] >= 0:
            times = min(times, given[2])
        _refuse_over(len(text) + times * size_of(given[1]), what)
    elif name == "join" and args:
        items = list(_metered(iter(args[0]), what))
        _refuse_over(sum(map(size_of, items)) + len(text) * max(len(items) - 1, 0), what)
        return (items, *args[1:])
    elif name == "translate" and given:
        table = given[0]
        values = table.values() if isinstance(table, dict) else table if isinstance(table, (list, tuple)) else ()
        _refuse_over(len(text) * max(map(size_of, values), default=1), what)
    return args


def _lipsum(*args: Any, **kwargs: Any) -> Any:
    """Jinja's lipsum(), refused when it would make too much."""
    asked = inspect.signature(generate_lorem_ipsum).bind(*args, **kwargs)
    asked.apply_defaults()
    paragraphs, longest = asked.arguments["n"], asked.arguments["max"]
    if isinstance(paragraphs, int) and isinstance(longest, int):
        _refuse_over(paragraphs * longest * 16, "the result of lipsum()")
    return generate_lorem_ipsum(*args, **kwargs)


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0  # anything else: the filter itself says what is wrong


def _listed(value: Any) -> int:
    """The size of a list made of `value`'s items (a string's characters, a dict's keys)."""
    return _PIECE + 8 * len(value) if hasattr(value, "__len__") else 0


def _lines_size(text: str, lines: int, each: int) -> int:
    return len(text) + lines * each


def _sum_size(asked: dict[str, Any]) -> int:
    if not isinstance(asked["start"], (int, float, Decimal)):  # sum() of lists copies the whole list each time
        raise TemplateLimit("the sum filter adds up numbers only; to put lists or text together, use join or ~")
    return 0


# What an amplifying filter would make, from its arguments (by name), before it is run.
_FILTER_SIZES: dict[str, Callable[[dict[str, Any]], int]] = {
    "center": lambda a: max(len(str(a["value"])), _int(a["width"])),
    "indent": lambda a: _lines_size(str(a["s"]), str(a["s"]).count("\n") + 1,
                                    len(a["width"]) if isinstance(a["width"], str) else _int(a["width"])),
    "replace": lambda a: len(str(a["s"])) + size_of(a["new"]) * (
        (str(a["s"]).count(str(a["old"])) if a["old"] else len(str(a["s"])) + 1)
        if a["count"] is None else min(_int(a["count"]), len(str(a["s"])) + 1)),
    "format": lambda a: _formatted_size(str(a["value"]), [*a["args"], *a["kwargs"].values()], "%"),
    "wordwrap": lambda a: _lines_size(str(a["s"]), len(str(a["s"])) // max(_int(a["width"]), 1) + str(a["s"]).count("\n") + 1,
                                      len(str(a["wrapstring"] if a["wrapstring"] is not None else "\n"))),
    "urlize": lambda a: _lines_size(str(a["value"]) * 3, len(str(a["value"])) // 5 + 1,
                                    40 + len(str(a["target"] or "")) + len(str(a["rel"] or ""))),
    "batch": lambda a: _int(a["linecount"]) * (8 + size_of(a["fill_with"])) if a["fill_with"] is not None else 0,
    "slice": lambda a: _listed(a["value"]) + _int(a["slices"]) * (_PIECE + size_of(a["fill_with"])),
    "list": lambda a: _listed(a["value"]),
    "sort": lambda a: _listed(a["value"]),
    "groupby": lambda a: 2 * _listed(a["value"]),
    "dictsort": lambda a: 10 * _listed(a["value"]),
    "sum": _sum_size,
    "lines": lambda a: size_of(a["value"]) + len(str(a["separator"])) * _listed(a["value"]),
}


@jinja2.pass_eval_context
def _join(eval_ctx: jinja2.nodes.EvalContext, value: Iterable[Any], d: str = "",
          attribute: str | int | None = None) -> str:
    """Jinja's join filter, with the items gathered (and counted) first, so the result is sized before it is made."""
    items = list(_metered(iter(value), "the result of the join filter"))
    if attribute is not None:
        getter = make_attrgetter(eval_ctx.environment, attribute)
        items = [getter(item) for item in items]
    _refuse_over(sum(map(size_of, items)) + len(str(d)) * max(len(items) - 1, 0), "the result of the join filter")
    return jinja2.filters.sync_do_join(eval_ctx, items, d)


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that counts its work, refuses values too big to give it, and sizes an amplifier's result first."""
    sizing = _FILTER_SIZES.get(name)
    signature = inspect.signature(function) if sizing else None
    # Jinja's async-ready filters (list, sum ...) take an eval context their signature does not show
    hidden = int(bool(getattr(function, "jinja_pass_arg", None))
                 and not getattr(inspect.unwrap(function), "jinja_pass_arg", None))
    what = f"the result of the {name} filter"

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _spend(1)
        for value in (*args, *kwargs.values()):
            _refuse_over(size_of(value), f"a value given to the {name} filter")
        if sizing is not None and signature is not None:
            asked = signature.bind(*args[hidden:], **kwargs)
            asked.apply_defaults()
            _refuse_over(sizing(asked.arguments), what)
        return _made(function(*args, **kwargs), what)

    return bounded


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's compiler, reporting to the environment each block entered (each loop turn, each macro
    call), each piece of output and each `~`, so the render's limits see them all."""

    def blockvisit(self, nodes: Iterable[jinja2.nodes.Node], frame: Frame) -> None:
        """A block's body, starting with a tick (Jinja writes `pass` there)."""
        try:
            self.writeline("environment.easyread_tick()")
            for node in nodes:
                self.visit(node, frame)
        except CompilerExit:
            pass

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        return f"environment.easyread_output({super()._output_const_repr(group)})"

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.easyread_output(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: jinja2.nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    @optimizeconst
    def visit_Concat(self, node: jinja2.nodes.Concat, frame: Frame) -> None:
        """`a ~ b`, joined by the environment, which sizes it first."""
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.easyread_join({join}, (")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with each render's work, time, sizes and numbers bounded (see above)."""

    code_generator_class = BoundedCodeGenerator
    intercepted_binops = frozenset(("+", "-", "*", "%", "**"))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """`+ - * % **`, refused when the result would be too big, before it is made."""
        _spend(1)
        _check_number(operator, left, right)
        what = f"the result of {operator}"
        if operator == "*":
            times, sequence = (left, right) if isinstance(left, int) else (right, left)
            if isinstance(times, int) and isinstance(sequence, (str, bytes, list, tuple)):
                _refuse_over(size_of(sequence) * max(times, 0), what)
        elif operator == "+" and isinstance(left, (str, bytes, list, tuple)):
            _refuse_over(size_of(left) + size_of(right), what)
        elif operator == "%" and isinstance(left, str):
            values = list(right.values()) if isinstance(right, dict) else list(right) if isinstance(right, tuple) else [right]
            _refuse_over(_formatted_size(left, values, "%"), what)
        return _made(super().call_binop(context, operator, left, right), what)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """A call from a template (a macro, a method, a global), counted, with what it is given and makes sized."""
        _spend(1)
        for value in (*args, *kwargs.values()):
            _refuse_over(size_of(value), "a value given to a call")
        args = _sized_call(obj, args, kwargs)
        name = getattr(obj, "__name__", None) or getattr(obj, "name", None) or "a call"
        return _made(super().call(context, obj, *args, **kwargs), f"the result of {name}()")

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute`, counted (a loop of lookups alone still meets the clock)."""
        _spend(1)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """`obj[argument]`, counted."""
        _spend(1)
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`text.format(...)` and `text.format_map(...)`, sized before they are run."""
        formatter = super().wrap_str_format(value)
        if formatter is None:
            return None
        template, by_name = str(value.__self__), value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            given = list(args[0].values()) if by_name and args and isinstance(args[0], dict) else [*args, *kwargs.values()]
            _refuse_over(_formatted_size(template, given, "{}"), "the result of .format()")
            return _made(formatter(*args, **kwargs), "the result of .format()")

        return bounded

    def easyread_tick(self) -> None:
        """Each block entered (each loop turn, each macro call): counted, and the clock checked."""
        _spend(1)

    def easyread_output(self, text: str) -> str:
        """Each piece of output, counted."""
        _spend(_PIECE + len(text))
        return text

    def easyread_join(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        """`a ~ b`, sized before it is made."""
        _refuse_over(sum(map(size_of, parts)), "the text joined with ~")
        return _made(join(parts), "the text joined with ~")


def run_template(compiled: jinja2.Template, context: dict[str, Any]) -> str:
    """Render a template within the limits on its work, its time and the size of its output."""
    seconds = template_seconds()
    token = _RENDER.set(_Render(seconds, time.monotonic() + seconds))
    pieces = cast(Generator[str, None, None], compiled.generate(context))  # closed below, even when refused
    try:
        output, total = [], 0
        for piece in pieces:
            total += len(piece)
            if total > MAX_TEMPLATE_OUTPUT_CHARS:
                raise TemplateLimit(f"the template's output would be too big: one render may make at most "
                                    f"{MAX_TEMPLATE_OUTPUT_CHARS:,} characters")
            output.append(piece)
        return "".join(output)
    finally:
        pieces.close()
        _RENDER.reset(token)


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

    def walk(value: Any, path: str) -> None:
        if isinstance(value, Picture):
            try:
                check_picture(value.file)
            except PictureProblem as err:
                fail(str(err), f"{path}.file")
        elif isinstance(value, Wording) and value.symbol:
            if problem := symbols.unknown(value.symbol):
                fail(problem, f"{path}.symbol")
            chosen[path] = chosen[f"{path}.easy_read"] = value.symbol
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), f"{path}.{name}" if path else name)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    walk(source, "")
    if problems:
        raise InputError(problems)
    return chosen


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
    _refuse_over(size_of(value), "the value printed")  # before str() of a list makes it
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
    """A file loader that keeps to its folders, refuses huge files, and strips marker characters, so no
    template can forge them.

    A template (or one it includes or imports) that is a link to a file outside its folder is refused:
    a council's template folder could otherwise show any file on the machine (/etc/passwd) in a document.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """The template's text, its file name and a function telling whether it changed since."""
        pieces = split_template_path(template)  # refuses `..`
        for folder in self.searchpath:
            path = os.path.join(folder, *pieces)
            if os.path.isfile(path):
                break
        else:
            raise jinja2.TemplateNotFound(template)
        real, root = os.path.realpath(path), os.path.realpath(folder)
        if os.path.commonpath((real, root)) != root:
            raise SecurityError(f"the template {template!r} is a link to a file outside its folder; easyread reads "
                                "templates only from inside their folder (copy the file in instead)")
        size = os.path.getsize(real)
        if size > MAX_TEMPLATE_BYTES:
            raise TemplateLimit(f"the template {template!r} is {size:,} bytes; the most easyread reads is "
                                f"{MAX_TEMPLATE_BYTES:,}")
        with open(real, encoding=self.encoding) as file:
            source = file.read(MAX_TEMPLATE_BYTES + 1)
        modified = os.path.getmtime(real)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(real) == modified
            except OSError:
                return False

        return strip_markers(source), os.path.normpath(path), uptodate


def shipped_folder() -> Path:
    """The folder of the templates that come with easyread."""
    return Path(str(resources.files("easyread").joinpath("templates")))


@lru_cache(maxsize=16)
def environment(search: tuple[str, ...]) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment over some template folders (cached: templates compile once)."""
    env = Sandbox(
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
    env.filters.update(FILTERS, join=_join)
    env.filters.update({name: bounded_filter(name, function) for name, function in env.filters.items()})
    env.globals.update(
        symbol=lambda name, default=None: symbol(name, default, _ACTIVE.get().symbols),
        photo=lambda picture, fallback=None: _ACTIVE.get().photo(picture, fallback),
        lipsum=_lipsum,
    )
    return env


def resolve_template(template: str | Path | None, kind: str) -> tuple[ImmutableSandboxedEnvironment, str]:
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
        compiled = env.get_template(name)
        context = {field: wrap(getattr(source, field), field, profile.wording, spec.json_schema_extra == OWN_WORDS)
                   for field, spec in type(source).model_fields.items()}
        context.update(plan=Record(context, ""), profile={"name": profile.name, "wording": profile.wording})
        active = _ACTIVE.set(pictures)  # symbol() and photo() work in imported macros too
        try:
            output = run_template(compiled, context)
        finally:
            _ACTIVE.reset(active)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(err.message or str(err), Path(err.filename or err.name or name).name, err.lineno) from None
    except jinja2.TemplateNotFound as err:
        raise TemplateError(f"cannot find the template {err.name!r} that it includes or imports", name) from None
    except EmptyField as err:
        where, line = _template_line(err)
        text = _source_line(env, where or name, line)
        raise TemplateError(err.advice(text, source), where or name, line) from None
    except jinja2.TemplateError as err:
        where, line = _template_line(err)
        raise TemplateError(str(err.message or err), where or name, line) from None
    except RecursionError as err:  # a macro, include or recursive loop that never stops
        where, line = _template_line(err)
        raise TemplateError("the template calls itself too deeply (a macro, include or recursive loop that never "
                            "stops?)", where or name, line) from None
    except MemoryError:
        raise TemplateError("the template needed more memory than this machine allows", name) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as err:  # e.g. a filter given the wrong value
        where, line = _template_line(err)
        raise TemplateError(f"could not run this line: {err}", where or name, line) from None
    return output, name, info


def compose(source: Source | Input, *, template: str | Path | None = None, profile: str | Path | Profile | None = None,
            symbols: str | Path | SymbolSet | None = None) -> Document:
    """Compose an input (a plan, review, letter ...) into a Document, with a template, a profile and symbols.

    `source` is anything `easyread.load` takes; `symbols` is a council's folder of pictures
    that extends or overrides the shipped set (or a SymbolSet already made from one).
    """
    from easyread.inputs.loader import load, origin_of

    loaded = load(source)
    chosen = get_profile(profile or profile_for(loaded))
    pictures = Pictures(symbols if isinstance(symbols, SymbolSet)
                        else symbol_set(str(Path(symbols).resolve()) if symbols else None))
    chosen_by_plan = plan_pictures(loaded, pictures.symbols)
    output, name, info = render_markup(loaded, template, chosen, pictures)
    parsed = Parser(pictures.unknown).parse(output)
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
    )
    document._origin = origin_of(loaded)
    document._title_runs = parsed.title
    document._person_names = tuple(name for name in (loaded.person.name, loaded.person.known_as) if name)
    attach_symbols(document, pictures, chosen_by_plan, loaded.person)
    return direction_safe(document)  # once, here, so no writer can show or say text reordered


# the symbols that stand for the reader, replaced by their own photo or a picture of someone like them
READER = frozenset({"you", "me"})
READER_BY_PRONOUNS = {"he/him": "you-man", "she/her": "you-woman"}


def attach_symbols(document: Document, pictures: Pictures, chosen_by_plan: dict[str, str] | None = None,
                   person: Person | None = None) -> None:
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
    for block in pictured_blocks(document):
        _choose(block, symbols, chosen_by_plan or {})
        if block.symbol in READER and reader and reader != block.symbol:
            block.symbol, block.symbol_source = reader, "person"
            block.symbol_reason = (block.symbol_reason or "") + "; shown as the reader's own picture"
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
    used = {ref.source for ref in document.symbols.values()}
    document.attribution = [text for source, text in symbols.attributions.items() if source in used]


def _choose(block: Pictured, symbols: SymbolSet, chosen_by_plan: dict[str, str]) -> None:
    """Set one block's picture, where it came from and why."""
    if block.symbol == NONE:
        block.symbol, block.symbol_source, block.symbol_reason = None, "none", "no picture: the template says none"
        return
    if block.symbol is not None:
        block.symbol_source, block.symbol_reason = "template", f"the template shows :{block.symbol}: here"
        return
    runs = block.runs if isinstance(block, Line) else block.heading if isinstance(block, Section) else \
        [run for cell in block.cells for run in [*cell, Run(text=" ")]] if isinstance(block, Row) else []
    named = next((chosen_by_plan[run.field] for run in runs if run.field in chosen_by_plan), None)
    if named is not None:
        block.symbol = None if named == NONE else named
        block.symbol_source = "none" if named == NONE else "plan"
        block.symbol_reason = f"the plan names :{named}: for these words"
        return
    default = block.symbol_default
    choice, why_none = symbols.choose(plain(runs)) if isinstance(block, (Statement, Section, Row)) else (None, "")
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


def profile_for(source: Input) -> str:
    """The profile the person's recorded needs ask for: large print or easy read."""
    formats = source.person.information_needs.formats
    for need in formats:
        if need in ("easy-read", "large-print"):
            return need
    return "large-print" if "standard-print" in formats else "easy-read"
