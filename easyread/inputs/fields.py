"""The input fields of every kind, as a Markdown reference (docs/fields.md) and JSON Schemas (docs/schema/)
made from the models.

Made from the same pydantic models that read the input and give `easyread schema`, so the
reference never drifts from what easyread accepts; a test checks both are up to date.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from easyread.inputs.kinds import models
from easyread.inputs.model import OWN_WORDS, Wording

INTRO = """# Input fields

Every field of every kind of input easyread reads, made from its models by `python -m easyread.inputs.fields`
(do not edit by hand). `easyread schema KIND` prints the same as JSON Schema, published for each kind in
[schema/](schema/) (`plan.json`, `review.json`, `letter.json`, `one-page-profile.json`, `hospital-passport.json`).

- **wording**: professional wording, as a string, or as `text:` with an `easy_read:` wording beside it (used
  in easy read) and an optional `symbol:` (the picture to show). The readability gate checks it.
- **own words**: the person's own words: quoted as they wrote them, never rewritten, never refused.
- A field not listed is an error, so a misspelt field is never lost.
"""


def _anchor(model: type[BaseModel]) -> str:
    return model.__name__.lower()


def _type(annotation: Any, info: FieldInfo | None, found: list[type[BaseModel]]) -> str:
    """A field's type in words, with links to the parts it holds (added to `found`)."""
    extra = info.json_schema_extra if info is not None else None
    if extra == OWN_WORDS or (typing.get_origin(annotation) is typing.Annotated
                              and any(getattr(meta, "json_schema_extra", None) == OWN_WORDS
                                      for meta in typing.get_args(annotation)[1:])):
        return "list of own words" if typing.get_origin(annotation) is list else "own words"
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type(arguments[0], None, found)
    if origin in (Union, types.UnionType):
        kept = [a for a in arguments if a is not type(None)]
        return " or ".join(_type(a, None, found) for a in kept)
    if origin is list:
        return f"list of {_type(arguments[0], None, found)}"
    if origin is dict:
        return f"mapping of names to {_type(arguments[1], None, found)}"
    if origin is Literal:
        return "one of " + ", ".join(f"`{value}`" for value in arguments)
    if isinstance(annotation, type) and issubclass(annotation, Wording):
        return "wording"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.append(annotation)
        return f"[{annotation.__name__}](#{_anchor(annotation)})"
    return {str: "text", bool: "true or false", int: "whole number", Decimal: "amount (like 120.50)",
            dt.date: "date (YYYY-MM-DD)", dt.time: "time (HH:MM)", Path: "file"}.get(annotation, str(annotation))


def _section(model: type[BaseModel], found: list[type[BaseModel]]) -> list[str]:
    paragraphs = [" ".join(paragraph.split()) for paragraph in (model.__doc__ or "").strip().split("\n\n")]
    lines = [f"### {model.__name__}", "", *(line for paragraph in paragraphs for line in (paragraph, "")),
             "| field | what it holds | needed |", "|---|---|---|"]
    fields = model.model_fields
    for name, info in sorted(fields.items(), key=lambda item: item[0] != "kind"):  # what kind of input it is, first
        described = _type(info.annotation, info, found)
        if info.description:
            described += f": {info.description}"
        lines.append(f"| `{name}` | {described.replace('|', '&#124;')} | {'yes' if info.is_required() else ''} |")
    return [*lines, ""]


def reference() -> str:
    """The Markdown reference of every kind's fields, each part described once."""
    lines = [INTRO]
    done: set[type[BaseModel]] = set()
    for kind, model in models().items():
        lines += [f"## `kind: {kind}`", ""]
        found: list[type[BaseModel]] = [model]
        while found:
            part = found.pop(0)
            if part in done:
                continue
            done.add(part)
            lines += _section(part, found)
    return "\n".join(lines).rstrip() + "\n"


def schemas() -> dict[str, str]:
    """The JSON Schema of every kind, as the text of docs/schema/KIND.json."""
    import json

    from easyread.inputs.kinds import json_schema

    return {kind: json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n" for kind in models()}


if __name__ == "__main__":
    docs = Path(__file__).resolve().parent.parent.parent / "docs"
    (docs / "fields.md").write_text(reference())
    (docs / "schema").mkdir(exist_ok=True)
    for kind, text in schemas().items():
        (docs / "schema" / f"{kind}.json").write_text(text)
    print(docs / "fields.md", docs / "schema")
