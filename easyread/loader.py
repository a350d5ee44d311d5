"""Reading plans, reviews and letters from YAML, JSON or Python objects.

Errors name the file, the line and column (or the field path) and what is expected,
and list every problem at once. YAML is read with YAML 1.2 rules for plain scalars:
`no`, `on` and `10:30` stay strings (YAML 1.1 would make them a boolean and the number
630), and decimals become exact `Decimal` amounts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Union

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from easyread.errors import InputError, Problem
from easyread.model import INPUT_ADAPTER, KINDS, Letter, Plan, Review

Input = Union[Plan, Review, Letter]
Source = Union[str, bytes, "PathLike[str]", dict[str, Any], BaseModel]
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


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]  # a base chosen at import time
    """SafeLoader with YAML 1.2 core-schema booleans, ints and floats, and no timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    for _DROPPED in [{"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}]
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+.0123456789")
)
_Loader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice in one section; keep one", key_node.start_mark
            )
        seen[key] = key_node
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


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
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem("file not found; check the name and folder", file=str(path))]) from None
    except IsADirectoryError:
        raise InputError([Problem("this is a folder; give a plan, review or letter file", file=str(path))]) from None
    except OSError as err:
        raise InputError([Problem(f"cannot be read ({err.strerror})", file=str(path))]) from None
    return _decode(raw, str(path))


def parse(text: str, name: str, is_json: bool) -> tuple[Any, Callable[[], Marks]]:
    """Parse YAML or JSON text into plain data, and a function that maps field paths to lines.

    The line map is only built when it is needed: when the data turns out to be invalid.
    """
    if is_json:
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as err:
            raise InputError([Problem(f"is not valid JSON: {err.msg}", file=name, line=err.lineno, column=err.colno)]) from None
        return data, lambda: _yaml_marks(text)
    try:
        node, data = _compose_and_construct(text)
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


def field_path(loc: tuple[str | int, ...]) -> str:
    """Write a pydantic location as a field path: outcomes[2].steps[0].who."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _explain(error: ErrorDetails) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "is required but missing; add it"
    if kind == "extra_forbidden":
        return "is not a field easyread knows; check the spelling or remove it"
    if kind.startswith("date"):
        return f"expected a date written like 2026-03-14, got {value!r}"
    if kind.startswith("time"):
        return f"expected a time written like \"14:30\" (in quotes), got {value!r}"
    if kind.startswith("decimal"):
        return f"{error['msg'].lower()}; write an amount like 120.50, got {value!r}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "literal_error":
        return f"got {value!r}; expected {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return f"got {ctx.get('tag')!r}; kind must be plan, review or letter"
    if kind == "union_tag_not_found":
        return "the file must say what it is: add `kind: plan`, `kind: review` or `kind: letter` at the top"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        return f"{value!r} does not look right; expected something like {_PATTERN_EXAMPLES.get(pattern, pattern)}"
    msg = error["msg"]
    return msg[0].lower() + msg[1:] + (f", got {value!r}" if kind.endswith("_type") else "")


_PATTERN_EXAMPLES = {
    r"^#[0-9A-Fa-f]{6}$": "#FFFDD0 (a colour as # and 6 hex digits)",
    r"^\+?[0-9][0-9 ()-]{5,}[0-9]$": "01632 960 123 (a phone number)",
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "name@example.org (an email address)",
}


def validate(data: Any, name: str = "<input>", locate: Callable[[], Marks] | None = None,
             base_dir: Path | None = None) -> Input:
    """Validate plain data as a plan, review or letter, reporting every problem at once.

    `locate` maps field paths to line and column, for the error messages.
    """
    if data is None or data == "" or data == {}:
        raise InputError([Problem("is empty; expected a plan, review or letter (see the examples/ folder)", file=name)])
    if not isinstance(data, dict):
        raise InputError([Problem(f"expected a plan, review or letter with named fields, got a {type(data).__name__}", file=name)])
    try:
        # Picture files are found relative to the plan file.
        return INPUT_ADAPTER.validate_python(data, context={"base_dir": base_dir})
    except ValidationError as err:
        marks = locate() if locate else {}
        problems = []
        for error in err.errors(include_url=False):
            loc = tuple(error["loc"])
            if loc and loc[0] in KINDS:  # the discriminated union puts the tag first
                loc = loc[1:]
            line_col = marks.get(loc + ("<key>",)) if error["type"] == "extra_forbidden" else None
            probe = loc
            while line_col is None and probe:
                line_col = marks.get(probe)
                probe = probe[:-1]
            line, col = line_col or (None, None)
            problems.append(Problem(_explain(error), file=name, field=field_path(loc) or None, line=line, column=col))
        raise InputError(problems) from None


def load(source: Source | Input) -> Input:
    """Load a plan, review or letter: a model, a dict, a file path, or YAML or JSON text.

    A `str` is YAML or JSON text when it holds a line break or starts like a document
    (`{`, `---`, `kind:`); otherwise it is a file path. A `Path` is always a file path.
    """
    if isinstance(source, (Plan, Review, Letter)):
        return source
    if isinstance(source, BaseModel):
        return validate(source.model_dump(), name=type(source).__name__)
    if isinstance(source, dict):
        return validate(source, name="<dict>")
    if isinstance(source, bytes):
        return load_text(_decode(source, "<bytes>"), "<bytes>")
    if isinstance(source, str) and is_document_text(source):
        return load_text(source, "<text>")
    if not isinstance(source, (str, PathLike)):
        raise InputError([Problem(
            f"expected a plan, review or letter (a file path, YAML or JSON text, a dict or a Plan, Review or Letter), "
            f"got {'nothing (None)' if source is None else 'a ' + type(source).__name__}", file="<input>")])
    path = Path(source)
    text = read_text(path)
    if not text.strip():
        raise InputError([Problem("is empty; expected a plan, review or letter (see the examples/ folder)", file=str(path))])
    data, locate = parse(text, str(path), is_json=path.suffix.lower() == ".json")
    loaded = validate(data, str(path), locate, base_dir=path.parent.resolve())
    return with_origin(loaded, Origin(str(path), locate))


def is_document_text(text: str) -> bool:
    """True when a string is a plan's YAML or JSON text rather than a file path."""
    return "\n" in text or text.lstrip().startswith(("{", "---", "kind:"))


def load_text(text: str, name: str = "<text>") -> Input:
    """Load a plan, review or letter from YAML or JSON text (pictures are found relative to the working folder)."""
    if not text.strip():
        raise InputError([Problem("is empty; expected a plan, review or letter (see the examples/ folder)", file=name)])
    is_json = text.lstrip().startswith("{")
    try:
        data, locate = parse(text, name, is_json=is_json)
    except InputError:
        if not is_json:
            raise
        data, locate = parse(text, name, is_json=False)  # YAML's flow style also starts with "{"
    return with_origin(validate(data, name, locate), Origin(name, locate))


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError([Problem("is not UTF-8 text; save it as UTF-8 (or JSON/YAML)", file=name, line=line)]) from None
