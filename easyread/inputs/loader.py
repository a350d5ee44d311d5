"""Reading plans, reviews and letters from YAML, JSON or Python objects.

Errors name the file, the line and column (or the field path) and what is expected,
and list every problem at once. YAML is read with YAML 1.2 rules for plain scalars:
`no`, `on` and `10:30` stay strings (YAML 1.1 would make them a boolean and the number
630), and decimals become exact `Decimal` amounts.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Union, cast

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.composer import Composer, ComposerError
from yaml.constructor import ConstructorError, SafeConstructor

from easyread.errors import InputError, Problem
from easyread.inputs.kinds import input_adapter, input_words, kinds, kinds_said
from easyread.inputs.limits import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_FIELD_CHARS,
    MAX_INPUT_BYTES,
    MAX_INTEGER_DIGITS,
    MAX_LIST_ITEMS,
    MAX_NODES,
)
from easyread.inputs.model import Common, Input, Picture

InputSource = Union[str, bytes, "PathLike[str]", dict[str, Any], BaseModel]
FieldPath = tuple[str | int, ...]
Marks = dict[FieldPath, tuple[int, int]]
_FIELD_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


@dataclass(frozen=True, eq=False)
class Origin:
    """The file (or text) an input was read from, and where each of its fields is written there.

    Not part of an input's value: two plans with the same fields are equal wherever they were read from.
    """

    name: str
    locate: Callable[[], Marks]

    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, Origin)

    def __hash__(self) -> int:
        return 0

    @cached_property
    def marks(self) -> Marks:
        """Field paths to (line, column): built on first use, since only findings need it."""
        return self.locate()

    def line(self, field: str) -> int | None:
        """The line a field (`outcomes[2].title`) is written on, or the line of its nearest written parent."""
        path = tuple(int(index) if index else name for index, name in _FIELD_PART.findall(field))
        while path:
            if path in self.marks:
                return self.marks[path][0]
            path = path[:-1]
        return None


def with_origin(loaded: Input, origin: Origin) -> Input:
    """The loaded input, remembering the file it came from (for the line numbers of findings)."""
    loaded._origin = origin
    return loaded


def origin_of(loaded: Input) -> Origin | None:
    """The file an input was loaded from, if it was."""
    origin = loaded._origin
    return origin if isinstance(origin, Origin) else None


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present

_NESTED = f"is nested more than {MAX_DEPTH} levels deep (lists or sections inside each other); easyread reads at most {MAX_DEPTH}"
_DIGITS = f"is a number with more than {MAX_INTEGER_DIGITS} digits; easyread reads numbers of at most {MAX_INTEGER_DIGITS} digits"
_TOO_MANY_VALUES = (f"has more than {MAX_NODES:,} values (counting each alias *name as the values it repeats); "
                    f"easyread reads at most {MAX_NODES:,}")


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that easyread will not read: past a limit, or a value no plan can hold. Not "invalid YAML"."""


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]  # a base chosen at import time
    """SafeLoader with YAML 1.2 core-schema booleans, ints and floats, no timestamps, and limits.

    Nodes are composed here in Python (from libyaml's events when present) rather than by libyaml's
    composer, so nesting, aliases and the values they expand to are counted as they are read: a
    "billion laughs" is refused after MAX_NODES values, not after gigabytes.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.anchors: dict[str, yaml.Node] = {}
        self.depth = 0
        self.values = 0
        self.aliases = 0
        self.sizes: dict[int, int] = {}  # id of an anchored node: its values, aliases expanded

    get_single_node = Composer.get_single_node
    compose_document = Composer.compose_document
    compose_scalar_node = Composer.compose_scalar_node
    compose_sequence_node = Composer.compose_sequence_node
    compose_mapping_node = Composer.compose_mapping_node

    def count(self, values: int, mark: Any) -> None:
        """Count values read (an alias counts as every value it repeats)."""
        self.values += values
        if self.values > MAX_NODES:
            raise _Refused(None, None, _TOO_MANY_VALUES, mark)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        """Composer.compose_node, counting nesting, aliases and values before going on."""
        event = self.peek_event()
        mark: Any = event.start_mark  # libyaml's marks are its own class, with the same line and column
        if isinstance(event, yaml.AliasEvent):
            self.get_event()
            target = self.anchors.get(event.anchor or "")
            if target is None:
                raise ComposerError(None, None, f"found undefined alias {event.anchor!r}", mark)
            size = self.sizes.get(id(target))
            if size is None:  # "&a [*a]": a value inside itself never ends
                raise _Refused(None, None, f"the alias *{event.anchor} is inside the value it names; "
                               "a value cannot contain itself", mark)
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(None, None, f"uses more than {MAX_ALIASES} aliases (*name); "
                               f"easyread reads at most {MAX_ALIASES} in one file", mark)
            self.count(size, mark)
            return target
        anchor = event.anchor
        if anchor is not None and anchor in self.anchors:
            raise ComposerError(f"found duplicate anchor {anchor!r}; first occurrence", self.anchors[anchor].start_mark,
                                "second occurrence", mark)
        nested = isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent))
        if nested:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Refused(None, None, _NESTED, mark)
        before = self.values
        self.count(1, mark)
        self.descend_resolver(parent, index)
        node: yaml.Node
        if isinstance(event, yaml.ScalarEvent):
            node = self.compose_scalar_node(anchor)
        elif isinstance(event, yaml.SequenceStartEvent):
            node = self.compose_sequence_node(anchor)
        else:
            node = self.compose_mapping_node(anchor)
        self.ascend_resolver()
        if nested:
            self.depth -= 1
        if anchor is not None:
            self.sizes[id(node)] = self.values - before
        return node


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    for _DROPPED in [{"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                      "tag:yaml.org,2002:timestamp"}]
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+.0123456789")
)


def number_problem(value: object) -> str | None:
    """What is wrong with a number no plan can hold (infinite, not a number, or too many digits), if anything."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    if isinstance(value, int):
        return _DIGITS if abs(value) >= 10**MAX_INTEGER_DIGITS else None
    if isinstance(value, float) and not math.isfinite(value) or isinstance(value, Decimal) and not value.is_finite():
        return f"{value} is not a finite number; write an amount like 120.50"
    too_big = abs(value) >= 10**MAX_INTEGER_DIGITS if isinstance(value, float) else value.adjusted() >= MAX_INTEGER_DIGITS
    return _DIGITS if too_big else None


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node)
    try:
        number = Decimal(text)
    except InvalidOperation:  # YAML's own words for these: .inf, -.inf, .nan
        raise _Refused(None, None, f"{text} is not a finite number; write an amount like 120.50"
                       if text.lower().lstrip("+-") in (".inf", ".nan") else f"{text!r} is not a number",
                       node.start_mark) from None
    problem = number_problem(number)
    if problem:
        raise _Refused(None, None, problem, node.start_mark)
    return number


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if len(text.lstrip("+-").replace("_", "")) > MAX_INTEGER_DIGITS:  # before int(): past 4,300 digits it raises
        raise _Refused(None, None, _DIGITS, node.start_mark)
    number: int = SafeConstructor.construct_yaml_int(loader, node)
    if number_problem(number):
        raise _Refused(None, None, _DIGITS, node.start_mark)
    return number


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):  # "? [a, b]": no plan has such a key, and it cannot be a dict key
            raise _Refused(None, None, "a key must be a word, not a list or a section (YAML's `? ...`); "
                           "write `name: value`", key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise ConstructorError(None, None, f"the key {key!r} appears twice in one section; keep one", key_node.start_mark)
        seen[key] = key_node
    return SafeConstructor.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: _construct_mapping(loader, node, deep=True))


def _marks(node: yaml.Node, path: FieldPath = ()) -> Marks:
    """Map each field path (as pydantic writes it) to the 1-based line and column of its value."""
    found: Marks = {path: (node.start_mark.line + 1, node.start_mark.column + 1)}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                found.update(_marks(value, path + (key.value,)))
                found[path + (key.value, "<key>")] = (key.start_mark.line + 1, key.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.update(_marks(item, path + (index,)))
    return found


def read_text(path: Path) -> str:
    """A plan's (or house style's, profile's, table's) text, read no further than MAX_INPUT_BYTES."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)
            size = max(len(raw), os.fstat(handle.fileno()).st_size)
    except FileNotFoundError:
        raise InputError([Problem("file not found; check the name and folder", file=str(path))]) from None
    except IsADirectoryError:
        raise InputError([Problem(f"this is a folder; give {input_words()} file", file=str(path))]) from None
    except OSError as err:
        raise InputError([Problem(f"cannot be read ({err.strerror})", file=str(path))]) from None
    return _decode(raw, str(path), size)


def _too_large(size: int, name: str) -> InputError:
    return InputError([Problem(f"is {size:,} bytes; easyread reads at most {MAX_INPUT_BYTES:,} bytes "
                               "(a plan is rarely more than 50,000)", file=name)])


def parse(text: str, name: str, is_json: bool) -> tuple[Any, Callable[[], Marks]]:
    """Parse YAML or JSON text into plain data, and a function that maps field paths to lines.

    The line map is only built when it is needed: when the data turns out to be invalid.
    Input past the limits in easyread.inputs.limits is refused before (or while) it is read.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_INPUT_BYTES:
        raise _too_large(size, name)
    if is_json:
        return parse_json(text, name), lambda: _yaml_marks(text)
    try:
        node, data = _compose_and_construct(text)
    except _Refused as err:
        mark = err.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError([Problem(str(err.problem), file=name, field=_field_at(text, line, column),
                                  line=line, column=column)]) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(str(part) for part in (err.context, err.problem) if part)
        raise InputError(
            [Problem(f"is not valid YAML: {what}", file=name, line=mark.line + 1 if mark else None,
                     column=mark.column + 1 if mark else None)]
        ) from None
    except yaml.YAMLError as err:
        raise InputError([Problem(f"is not valid YAML: {err}", file=name)]) from None
    return data, lambda: _marks(node) if node is not None else {}


class _JsonRefused(Exception):
    """Valid JSON that easyread will not read; `written` is the text that says it, to find its line."""

    def __init__(self, message: str, written: str) -> None:
        super().__init__(message)
        self.message, self.written = message, written


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:  # before int(): past 4,300 digits it raises
        raise _JsonRefused(_DIGITS, text)
    return int(text)


def _json_decimal(text: str) -> Decimal:
    number = Decimal(text)
    problem = number_problem(number)
    if problem:
        raise _JsonRefused(problem, text)
    return number


def _json_constant(text: str) -> Any:
    raise _JsonRefused(f"{text} is not a finite number; write an amount like 120.50", text)


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:  # json keeps the last silently; YAML refuses, and so do we
            raise _Duplicate(key)
        found[key] = value
    return found


# A JSON string (closed or not: an unclosed one runs to the end, so the scan stays linear) or a bracket.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"?|[\[\]{}]', re.S)


def _json_too_deep(text: str) -> int | None:
    """Where JSON first nests deeper than MAX_DEPTH (json.loads would recurse and fail there), if it does."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def parse_json(text: str, name: str) -> Any:
    """Parse JSON text as plans are read: nesting, numbers and repeated keys refused with their line (InputError)."""
    deep = _json_too_deep(text)
    if deep is not None:
        line, column = _line_column(text, deep)
        raise InputError([Problem(_NESTED, file=name, line=line, column=column)])
    try:
        return json.loads(text, parse_float=_json_decimal, parse_int=_json_int, parse_constant=_json_constant,
                          object_pairs_hook=_json_object)
    except json.JSONDecodeError as err:
        raise InputError([Problem(f"is not valid JSON: {err.msg}", file=name, line=err.lineno, column=err.colno)]) from None
    except _JsonRefused as err:
        offset = text.find(err.written)
        place: tuple[int | None, int | None] = _line_column(text, offset) if offset >= 0 else (None, None)
        raise InputError([Problem(err.message, file=name, field=_field_at(text, *place), line=place[0],
                                  column=place[1])]) from None
    except _Duplicate as err:
        place = _duplicate_place(text, err.key)
        raise InputError([Problem(f"the key {err.key!r} appears twice in one section; keep one", file=name,
                                  line=place[0], column=place[1])]) from None
    except RecursionError:  # a guard only: _json_too_deep stops nesting long before this
        raise InputError([Problem(_NESTED, file=name)]) from None


def _duplicate_place(text: str, key: str) -> tuple[int | None, int | None]:
    """The line and column of a JSON key written twice: read as YAML, which says where; else its second mention."""
    try:
        _compose_and_construct(text)
    except yaml.MarkedYAMLError as err:
        if "appears twice" in str(err.problem) and err.problem_mark is not None:
            return err.problem_mark.line + 1, err.problem_mark.column + 1
    except yaml.YAMLError:
        pass
    written = json.dumps(key, ensure_ascii=False)
    first = text.find(written)
    second = text.find(written, first + 1) if first >= 0 else -1
    return _line_column(text, second) if second >= 0 else (None, None)


def _field_at(text: str, line: int | None, column: int | None) -> str | None:
    """The field whose value is written at a line and column (for a value refused while it was read), if known."""
    if line is None:
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()  # composing only: what was refused was the value made from a node
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    found = [path for path, place in (_marks(node) if node is not None else {}).items()
             if place == (line, column) and path and path[-1] != "<key>"]
    return field_path(max(found, key=len)) if found else None


def read_yaml(text: str) -> Any:
    """Read YAML with the same YAML 1.2 rules as plans (`off` and `no` stay words), for package data."""
    return _compose_and_construct(text)[1]


def _compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse YAML once, keeping the node tree (for line numbers) and the data."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _yaml_marks(text: str) -> Marks:
    """Line numbers for JSON, read as YAML (JSON that PyYAML cannot follow gets none)."""
    try:
        node, _ = _compose_and_construct(text)
    except yaml.YAMLError:
        return {}
    return _marks(node) if node is not None else {}


def limit_problems(data: Any) -> list[tuple[FieldPath, str]]:
    """Values past the limits (list items, field length, nesting, numbers), found before validation works on them.

    Walks the data itself, without recursion, so a dict that contains itself is only too deep.
    """
    found: list[tuple[FieldPath, str]] = []
    seen = 0
    stack: list[tuple[Any, FieldPath, int]] = [(data, (), 1)]
    while stack and len(found) < 20:  # enough to act on; the rest would only repeat
        value, path, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            found.append(((), _TOO_MANY_VALUES))
            break
        if isinstance(value, (dict, list, tuple)) and depth > MAX_DEPTH:
            found.append((path, _NESTED))
        elif isinstance(value, dict):
            items: list[tuple[Any, Any]] = list(value.items())
            for key, _ in items:
                if isinstance(key, str) and len(key) > MAX_FIELD_CHARS:
                    found.append((path, f"has a field name {len(key):,} characters long; check the field names"))
                    items = []
            stack.extend((item, path + (key if isinstance(key, (str, int)) else str(key),), depth + 1)
                         for key, item in reversed(items))
        elif isinstance(value, (list, tuple)):
            if len(value) > MAX_LIST_ITEMS:
                found.append((path, f"has {len(value):,} items; easyread reads lists of at most {MAX_LIST_ITEMS:,} items"))
            else:
                stack.extend((item, path + (number,), depth + 1) for number, item in reversed(list(enumerate(value))))
        elif isinstance(value, str):
            if len(value) > MAX_FIELD_CHARS:
                found.append((path, f"is {len(value):,} characters long; easyread reads fields of at most "
                                     f"{MAX_FIELD_CHARS:,} characters (about 3,000 words)"))
        elif problem := number_problem(value):
            found.append((path, problem))
    return found


def field_path(loc: tuple[str | int, ...]) -> str:
    """Write a pydantic location as a field path: outcomes[2].steps[0].who."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _shown(value: Any) -> str:
    """A value for a message, cut short: hostile input can be long."""
    try:
        text = repr(value)
    except ValueError:  # an int too long to write
        return "a very long number"
    return text if len(text) <= 80 else text[:60] + f"... ({len(text):,} characters)"


def nearest_name(given: str, known: Collection[str]) -> str | None:
    """The known name `given` most likely meant: a close spelling, or a longer name it is a word of (`faith` for
    faith_and_culture); None when there is none."""
    import difflib

    given = given.lower()
    nearest = difflib.get_close_matches(given, list(known), n=1, cutoff=0.75)
    return next(iter(nearest or [name for name in sorted(known) if given in name.split("_")]), None)


def did_you_mean(given: str, known: Collection[str]) -> str:
    """" (did you mean 'known_as'?)" for the nearest known name, or nothing."""
    nearest = nearest_name(given, known)
    return f" (did you mean {nearest!r}?)" if nearest else ""


EXTRA_SHAPES = ("a part of the council's own is a wording (`text:`, with `easy_read:` beside it if you like), a list "
                "of them, an amount with how often (`amount: 85.85` and `per: week`), or a part with a `title:`, its "
                "`lines:` and an `amount:`; this one is none of these (see docs/templates.md, Parts of your own)")


def _extra_shape(value: Any) -> str | None:
    """Which shape of a council's own part (the union member pydantic names) its keys show: an amount, a part with
    a title; None when they show none (a wording is a string, or `text:`)."""
    if not isinstance(value, dict) or not value:
        return None
    if set(value) <= {"amount", "per"}:
        return "Money"
    return "ExtraPart" if set(value) <= {"title", "lines", "amount"} else None


def _unknown_field(model: type[BaseModel] | None, loc: tuple[str | int, ...]) -> str:
    """A field easyread does not know: the nearest it does know there (a misspelling), and where a council's own
    parts go."""
    guess = did_you_mean(str(loc[-1]), _fields_at(model, loc[:-1])) if model is not None and loc else ""
    return (f"is not a field easyread knows{guess}; check the spelling, or keep a part of your own under `extra:` "
            "at the top of the file, where templates find it as extra.name (see docs/fields.md)")


def unknown_key(model: type[BaseModel], loc: tuple[str | int, ...], what: str) -> str:
    """A key a small settings file (`what`: "a house-style key") does not have: the nearest, and every one it has."""
    known = _fields_at(model, loc[:-1])
    guess = did_you_mean(str(loc[-1]), known) if loc else ""
    return f"is not {what}{guess}; the keys here are: {', '.join(known)}"


def _fields_at(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """The field names of the model found at `path` inside `model` (through lists and optional values)."""
    import typing

    def models_in(annotation: Any) -> list[type[BaseModel]]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return [annotation]
        return [found for inner in typing.get_args(annotation) for found in models_in(inner)]

    current: list[type[BaseModel]] = [model]
    for part in path:
        if isinstance(part, int):
            continue  # an item of a list: the list's model
        current = [found for each in current if part in each.model_fields
                   for found in models_in(each.model_fields[part].annotation)]
    return sorted({name for each in current for name in each.model_fields})


def _explain(error: ErrorDetails) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "is required but missing; add it"
    if kind.startswith("date"):
        return f"expected a date written like 2026-03-14, got {_shown(value)}"
    if kind.startswith("time"):
        return f"expected a time written like \"14:30\" (in quotes), got {_shown(value)}"
    if kind.startswith("decimal"):
        return f"{error['msg'].lower()}; write an amount like 120.50, got {_shown(value)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "literal_error":
        return f"got {_shown(value)}; expected {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return f"got {_shown(ctx.get('tag'))}; kind must be {kinds_said()}"
    if kind == "union_tag_not_found":
        return f"the file must say what it is: add a line such as `kind: plan` at the top (one of {kinds_said()})"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        return f"{_shown(value)} does not look right; expected something like {_PATTERN_EXAMPLES.get(pattern, pattern)}"
    if kind == "string_too_long" and isinstance(value, str):
        return f"is {len(value):,} characters long; easyread takes at most {ctx.get('max_length'):,} here"
    msg = error["msg"]
    return msg[0].lower() + msg[1:] + (f", got {_shown(value)}" if kind.endswith("_type") else "")


_PATTERN_EXAMPLES = {
    r"^#[0-9A-Fa-f]{6}$": "#FFFDD0 (a colour as # and 6 hex digits)",
    r"^\+?[0-9][0-9 ()-]{5,}[0-9]$": "01632 960 123 (a phone number)",
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "name@example.org (an email address)",
}


def _place(marks: Marks, loc: FieldPath) -> tuple[int | None, int | None]:
    """The line and column of a field, or of its nearest written parent."""
    probe = loc
    while probe:
        if probe in marks:
            return marks[probe]
        probe = probe[:-1]
    return None, None


def validate(data: Any, name: str = "<input>", locate: Callable[[], Marks] | None = None,
             base_dir: Path | None = None, *, picture_folders: Sequence[str | Path] = (), photos: bool = True,
             sent_pictures: Mapping[str, Path] | None = None) -> Input:
    """Validate plain data as an input of one of the kinds, reporting every problem at once.

    `locate` maps field paths to line and column, for the error messages. Pictures must be inside
    `base_dir` (the working folder when it is None) or one of `picture_folders`, unless sent (see `load`);
    with `photos` False the others are not looked for, and left out.
    """
    if data is None or data == "" or data == {}:
        raise InputError([Problem(f"is empty; expected {input_words()} (see the examples/ folder)", file=name)])
    if not isinstance(data, dict):
        raise InputError([Problem(f"expected {input_words()} with named fields, got a {type(data).__name__}", file=name)])
    too_much = limit_problems(data)
    if too_much:  # before validation, which would do the work the limits are there to prevent
        marks = locate() if locate else {}
        raise InputError([Problem(message, file=name, field=field_path(loc) or None, line=_place(marks, loc)[0],
                                  column=_place(marks, loc)[1]) for loc, message in too_much])
    try:
        # Picture files are found relative to the plan file, and must be inside its folder.
        loaded = input_adapter().validate_python(data, context={"base_dir": base_dir, "photos": photos, "sent": sent_pictures,
                                                              "picture_folders": list(picture_folders)})
    except ValidationError as err:
        marks = locate() if locate else {}
        problems: list[Problem] = []
        for error in err.errors(include_url=False):
            loc = tuple(error["loc"])
            kind = kinds().get(str(loc[0])) if loc else None
            if kind is not None:  # the discriminated union puts the tag first
                loc = loc[1:]
            message = _explain(error)
            if error["type"] == "extra_forbidden":
                message = _unknown_field(kind.model_class() if kind else None, loc)
            if len(loc) > 2 and loc[0] == "extra" and error["type"] not in ("string_too_long", "too_long"):
                # each shape the part might have had fails in its own way: the shape its keys show says what is
                # wrong with it ("amount is missing"); with none, one message for the part names them all
                shape = _extra_shape((data.get("extra") or {}).get(loc[1]) if isinstance(data, dict) else None)
                if shape is not None and not re.search(rf"\b{shape}\]?$", str(loc[2])):  # "function-after[..., ExtraPart]"
                    continue
                if shape is not None:
                    loc = loc[:2] + loc[3:]
                else:
                    loc, message = loc[:2], EXTRA_SHAPES
                if any(problem.field == field_path(loc) and problem.message == message for problem in problems):
                    continue
            line_col = marks.get(loc + ("<key>",)) if error["type"] == "extra_forbidden" else None
            line, col = line_col or _place(marks, loc)
            problems.append(Problem(message, file=name, field=field_path(loc) or None, line=line, column=col))
        raise InputError(problems) from None
    return loaded if photos else _without_photos(loaded, set((sent_pictures or {}).values()))


def _without_photos(loaded: Input, sent: Collection[Path] = ()) -> Input:
    """The input with every photo it names left out but those `sent` with it, as if it named none (the symbols
    that stand for them are shown), remembering the fields that named one (`photos_left_out`)."""
    left_out: list[str] = []

    def strip(value: Any, path: str) -> Any:
        if isinstance(value, list):
            items = [strip(item, f"{path}[{index}]") for index, item in enumerate(value)]
            return items if any(new is not old for new, old in zip(items, value)) else value
        if not isinstance(value, BaseModel):
            return value
        changes: dict[str, Any] = {}
        for name in type(value).model_fields:
            item, where = getattr(value, name), f"{path}.{name}" if path else name
            if isinstance(item, Picture) and item.file not in sent:
                left_out.append(where)
                changes[name] = None
            elif (new := strip(item, where)) is not item:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value

    stripped = cast(Input, strip(loaded, ""))
    if stripped is not loaded:  # a copy: the caller's input is never changed
        stripped._photos_left_out = tuple(left_out)
    return stripped


def photos_left_out(loaded: Input) -> tuple[str, ...]:
    """The fields whose photos were left out when the input was loaded with `photos=False` ("person.photo")."""
    return tuple(loaded._photos_left_out)


def load(source: InputSource | Input, *, picture_folders: Sequence[str | Path] = (), photos: bool = True,
         sent_pictures: Mapping[str, Path] | None = None) -> Input:
    """Load an input of any kind (a plan, a letter ...): a model, a dict, a file path, or YAML or JSON text.

    A `str` is YAML or JSON text when it holds a line break or starts like a document
    (`{`, `---`, `kind:`); otherwise it is a file path. A `Path` is always a file path.
    Pictures must be inside the file's folder (the working folder for text and dicts) or one of `picture_folders`.
    `sent_pictures` are pictures sent with the input (by `easyread serve`), each a file by its name: a photo
    whose file has that name (its folders aside: they were the sender's) is that file. With `photos` False,
    the other photos the input names are never read but left out, as if it named none (for a service that
    has no photos of its own); `photos_left_out` then names their fields.
    """
    options: dict[str, Any] = {"picture_folders": picture_folders, "photos": photos, "sent_pictures": sent_pictures}
    if isinstance(source, Common):
        loaded = cast(Input, source)  # every Common model is one of Input's kinds
        return loaded if photos else _without_photos(loaded)  # its pictures were found when it was loaded
    if isinstance(source, BaseModel):
        return validate(source.model_dump(), name=type(source).__name__, **options)
    if isinstance(source, dict):
        return validate(source, name="<dict>", **options)
    if isinstance(source, bytes):
        return load_text(_decode(source, "<bytes>"), "<bytes>", **options)
    if isinstance(source, str) and is_document_text(source):
        return load_text(source, "<text>", **options)
    if not isinstance(source, (str, PathLike)):
        raise InputError([Problem(
            f"expected {input_words()} (a file path, YAML or JSON text, a dict, or a model such as Plan), "
            f"got {'nothing (None)' if source is None else 'a ' + type(source).__name__}", file="<input>")])
    path = Path(source)
    text = read_text(path)
    if not text.strip():
        raise InputError([Problem(f"is empty; expected {input_words()} (see the examples/ folder)", file=str(path))])
    data, locate = parse(text, str(path), is_json=path.suffix.lower() == ".json")
    loaded = validate(data, str(path), locate, base_dir=path.parent.resolve(), **options)
    return with_origin(loaded, Origin(str(path), locate))


def is_document_text(text: str) -> bool:
    """True when a string is a plan's YAML or JSON text rather than a file path."""
    return "\n" in text or text.lstrip().startswith(("{", "---", "kind:"))


def input_file(source: object) -> Path | None:
    """The file an input names: a Path, or a str that is not YAML or JSON text; else None."""
    if isinstance(source, Path) or isinstance(source, str) and not is_document_text(source):
        return Path(source)
    return None


def load_text(text: str, name: str = "<text>", *, picture_folders: Sequence[str | Path] = (),
              photos: bool = True, sent_pictures: Mapping[str, Path] | None = None) -> Input:
    """Load an input from YAML or JSON text (pictures are found relative to the working folder)."""
    if not text.strip():
        raise InputError([Problem(f"is empty; expected {input_words()} (see the examples/ folder)", file=name)])
    is_json = text.lstrip().startswith("{")
    try:
        data, locate = parse(text, name, is_json=is_json)
    except InputError:
        if not is_json:
            raise
        data, locate = parse(text, name, is_json=False)  # YAML's flow style also starts with "{"
    loaded = validate(data, name, locate, picture_folders=picture_folders, photos=photos, sent_pictures=sent_pictures)
    return with_origin(loaded, Origin(name, locate))


def _decode(raw: bytes, name: str, size: int | None = None) -> str:
    if len(raw) > MAX_INPUT_BYTES:  # refused before decoding or parsing any of it
        raise _too_large(max(size or 0, len(raw)), name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError([Problem("is not UTF-8 text; save it as UTF-8 (or JSON/YAML)", file=name, line=line)]) from None
