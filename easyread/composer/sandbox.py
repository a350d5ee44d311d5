"""Jinja2's sandbox and code generator, extended for easyread's template limits: the only module that
reaches into Jinja2's internals.

The sandbox keeps a template away from Python's internals, but not from making a string of a
billion characters, a list of a billion items, a number of a billion digits, or a loop that
never ends. So each render carries a budget (in a context variable, so renders in threads stay
apart): every block entered (each loop turn, each macro call), call, operator and piece of
output counts against its work limit, and the clock against its seconds. Anything that could
make one big value in one step (`*`, `+`, `**`, `%`, `~`, join, center, replace, format ...)
is sized before it is made, and refused past MAX_TEMPLATE_OUTPUT_CHARS.

What the composer uses:
  limited_environment(folders, ...)   the immutable sandbox over some template folders, limited
  render_within_limits(template, ...) one render, on its own budget of work and time
  TemplateLimit                       the error for a template past a limit
  WordedUndefined                     a StrictUndefined whose message its subclass words
  raise_if_undefined(value)           an undefined value's own error, for filters
  template_line(error)                the template file and line an error was raised at
  size_of(value), listed_size(value)  about how big a value is, for sizing a filter's result

What it relies on beyond Jinja2's documented API (tests/test_compose.py's test_sandbox_* tests
name the one that a Jinja2 release changes): CodeGenerator's blockvisit, _output_const_repr,
_output_child_pre, _output_child_post and visit_Concat, and the runtime's markup_join and
str_join; Undefined._undefined_message and its _undefined_* fields; the jinja_pass_arg mark on
filters, sync_do_join and make_attrgetter; Namespace's private attributes; generate_lorem_ipsum;
split_template_path; and the template frames in Jinja2's rewritten tracebacks.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import string
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, cast

import jinja2
from jinja2.compiler import CodeGenerator, CompilerExit, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace, generate_lorem_ipsum, missing

from easyread.inputs.limits import MAX_TEMPLATE_BYTES, MAX_TEMPLATE_NUMBER_DIGITS, MAX_TEMPLATE_OUTPUT_CHARS

T = TypeVar("T")
FilterSize = Callable[[dict[str, Any]], int]  # at most how big a filter's result is, from its arguments by name


class TemplateLimit(jinja2.TemplateRuntimeError):
    """A template went past a limit on what one render may make, or on how long it may take."""


# --- the render's budget ---------------------------------------------------------------


@dataclass
class _Render:
    """The render in progress: what it has made so far, what it may make, and when it must stop."""

    seconds: float
    deadline: float
    max_work: int
    work: int = 0


_RENDER: ContextVar[_Render | None] = ContextVar("easyread_render", default=None)
_NUMBER_BITS = int(MAX_TEMPLATE_NUMBER_DIGITS * 3.33) + 1  # about log2(10) bits a digit
_PIECE = 64  # what an object costs beyond its characters: its header, a reference to it
_DIGITS = re.compile(r"\d+")
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")
_WIDTH_METHODS = frozenset(("ljust", "rjust", "center", "zfill"))


def render_within_limits(template: jinja2.Template, context: dict[str, Any], *, seconds: float, max_work: int) -> str:
    """Render a template within `seconds`, `max_work` made on the way, and MAX_TEMPLATE_OUTPUT_CHARS of output."""
    token = _RENDER.set(_Render(seconds, time.monotonic() + seconds, max_work))
    pieces = cast(Generator[str, None, None], template.generate(context))  # closed below, even when refused
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
            total += listed_size(item)
            if total <= MAX_TEMPLATE_OUTPUT_CHARS:
                stack.extend(item)
        elif isinstance(item, Namespace):  # {% set ns.x = ... %}: what it holds (Jinja2 keeps it private)
            total += _PIECE
            stack.append(getattr(item, "_Namespace__attrs", {}))
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 1
        else:
            total += _PIECE
    return total


def listed_size(value: Any) -> int:
    """The size of a list made of `value`'s items (a string's characters, a dict's keys)."""
    return _PIECE + 8 * len(value) if hasattr(value, "__len__") else 0


def _spend(amount: int) -> None:
    """Count work against the render in progress; stop it past its work or time limit."""
    render = _RENDER.get()
    if render is None:  # not rendering: Jinja folding constants as it compiles
        return
    render.work += amount
    if render.work > render.max_work:
        raise TemplateLimit(f"the template made too much: more than {render.max_work:,} characters in all, the "
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


# --- sizing before making --------------------------------------------------------------


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


def _lines_size(text: str, lines: int, each: int) -> int:
    return len(text) + lines * each


def _sum_size(asked: dict[str, Any]) -> int:
    if not isinstance(asked["start"], (int, float, Decimal)):  # sum() of lists copies the whole list each time
        raise TemplateLimit("the sum filter adds up numbers only; to put lists or text together, use join or ~")
    return 0


# What one of Jinja's amplifying filters would make, from its arguments (by name), before it is run.
_FILTER_SIZES: dict[str, FilterSize] = {
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
    "slice": lambda a: listed_size(a["value"]) + _int(a["slices"]) * (_PIECE + size_of(a["fill_with"])),
    "list": lambda a: listed_size(a["value"]),
    "sort": lambda a: listed_size(a["value"]),
    "groupby": lambda a: 2 * listed_size(a["value"]),
    "dictsort": lambda a: 10 * listed_size(a["value"]),
    "sum": _sum_size,
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


def limited_filter(name: str, function: Callable[..., Any], sizing: FilterSize | None = None) -> Callable[..., Any]:
    """A filter that counts its work, refuses values too big to give it, and sizes an amplifier's result first."""
    signature = inspect.signature(function) if sizing else None
    # Jinja's async-ready filters (list, sum ...) take an eval context their signature does not show
    hidden = int(bool(getattr(function, "jinja_pass_arg", None))
                 and not getattr(inspect.unwrap(function), "jinja_pass_arg", None))
    what = f"the result of the {name} filter"

    @functools.wraps(function)
    def limited(*args: Any, **kwargs: Any) -> Any:
        _spend(1)
        for value in (*args, *kwargs.values()):
            _refuse_over(size_of(value), f"a value given to the {name} filter")
        if sizing is not None and signature is not None:
            asked = signature.bind(*args[hidden:], **kwargs)
            asked.apply_defaults()
            _refuse_over(sizing(asked.arguments), what)
        return _made(function(*args, **kwargs), what)

    return limited


# --- the code generator and the environment ------------------------------------------------


class LimitedCodeGenerator(CodeGenerator):
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


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with each render's work, time, sizes and numbers bounded (see the module's docstring)."""

    code_generator_class = LimitedCodeGenerator
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

        def limited(*args: Any, **kwargs: Any) -> str:
            given = list(args[0].values()) if by_name and args and isinstance(args[0], dict) else [*args, *kwargs.values()]
            _refuse_over(_formatted_size(template, given, "{}"), "the result of .format()")
            return _made(formatter(*args, **kwargs), "the result of .format()")

        return limited

    # the hooks LimitedCodeGenerator's code calls

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


class TemplateLoader(jinja2.FileSystemLoader):
    """A file loader that keeps to its folders, refuses huge files, and passes each template's text
    through `read_source` (the composer strips marker characters there, so no template can forge them).

    A template (or one it includes or imports) that is a link to a file outside its folder is refused:
    a council's template folder could otherwise show any file on the machine (/etc/passwd) in a document.
    """

    def __init__(self, folders: Sequence[str], read_source: Callable[[str], str]) -> None:
        super().__init__(list(folders))
        self.read_source = read_source

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

        return self.read_source(source), os.path.normpath(path), uptodate


def _unchanged(text: str) -> str:
    return text


def limited_environment(folders: Sequence[str], *, read_source: Callable[[str], str] = _unchanged,
                        filters: Mapping[str, Callable[..., Any]] | None = None,
                        filter_sizes: Mapping[str, FilterSize] | None = None,
                        template_globals: Mapping[str, Any] | None = None,
                        finalize: Callable[[Any], Any] | None = None, **options: Any) -> LimitedSandbox:
    """The limited sandbox over some template folders, with `filters` and `template_globals` added, every filter limited.

    `filter_sizes` says at most how big the result of one of `filters` is, for those that can make far more
    than they are given; `finalize` takes each printed value (only the value), once it is sized; `options`
    are the Environment's own (undefined, extensions, trim_blocks, bytecode_cache ...).
    """

    def sized_finalize(value: Any) -> Any:
        _refuse_over(size_of(value), "the value printed")  # before str() of a list makes it
        return value if finalize is None else finalize(value)

    env = LimitedSandbox(loader=TemplateLoader(folders, read_source), finalize=sized_finalize, **options)
    env.filters.update(filters or {}, join=_join)
    sizes = {**_FILTER_SIZES, **(filter_sizes or {})}
    env.filters.update({name: limited_filter(name, function, sizes.get(name)) for name, function in env.filters.items()})
    env.globals.update(template_globals or {}, lipsum=_lipsum)
    return env


# --- undefined values and errors -------------------------------------------------------------


class WordedUndefined(jinja2.StrictUndefined):
    """A StrictUndefined whose error message a subclass words in `_name_message` and `_field_message`
    (Jinja2 builds it in a private property; the hooks start with `_` so no template can call them)."""

    def _name_message(self, name: str | None) -> str | None:
        """The error for a name defined nowhere, or None for Jinja2's own."""
        return None

    def _field_message(self, owner: Any, name: str | None) -> str | None:
        """The error for `owner.name` (or `owner[name]`) when it has no such thing, or None for Jinja2's own."""
        return None

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:  # e.g. the sandbox's "access to attribute ... is unsafe"
            return self._undefined_hint
        if self._undefined_obj is missing:
            worded = self._name_message(self._undefined_name)
        else:
            worded = self._field_message(self._undefined_obj, self._undefined_name)
        return worded or super()._undefined_message


def raise_if_undefined(value: Any) -> None:
    """Raise an undefined value's own error (naming what is missing), so a filter given one says so."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()


def template_line(error: BaseException) -> tuple[str | None, int | None]:
    """The template file and line an error was raised at, from Jinja's rewritten traceback."""
    found: tuple[str | None, int | None] = (None, None)
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found
