"""The kinds of input, as data: each is its model, its template, its subject and its sample, found by name.

Everything that lists kinds learns them here: loading, composing, the command's choices, the service's
routes and OpenAPI, `easyread schema`, template lint and the field list in the docs. A council or a
developer adds a kind without changing easyread, with an installed package that names a `Kind` under the
entry-point group `easyread.kinds` (in its pyproject.toml):

    [project.entry-points."easyread.kinds"]
    tenancy-letter = "northmoor_kinds:TENANCY_LETTER"

The entry point's name is the kind's name, what `kind:` says at the top of an input. The model is a
subclass of `easyread.inputs.model.Common` with `kind: Literal["tenancy-letter"]`.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from easyread.errors import UsageError

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from easyread.inputs.model import Common

ENTRY_POINTS = "easyread.kinds"


@dataclass(frozen=True)
class Kind:
    """One kind of input and how it becomes a Document."""

    name: str  # what `kind:` says at the top of an input
    model: str | type[Common]  # the input model, or "module:Class" to import when it is first needed
    template: str | Path  # a shipped template's name ("support_plan") or a template file
    subject: str  # the document's subject, in its properties ("Care and support plan")
    words: str  # the kind in words, for messages ("one-page profile")
    # True: the document speaks to the person as "you" (a plan); False: as the person, "I", to those who help
    addressed: bool = True
    sample: Path | None = None  # an input with every part filled, for template lint; None: the shipped sample

    def model_class(self) -> type[Common]:
        """The input model, imported now."""
        if not isinstance(self.model, str):
            return self.model
        module, _, name = self.model.partition(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]

    def sample_file(self, minimal: bool = False, purpose: str | None = None) -> Path | None:
        """The sample input: every optional part filled, or (minimal) none; a letter's minimal sample has what
        its purpose needs ("letter-financial-assessment-minimal.yaml"). None where there is none."""
        if self.sample is not None:
            return None if minimal else self.sample
        name = self.name if purpose in (None, "review-invitation") or not minimal else f"{self.name}-{purpose}"
        path = Path(str(resources.files("easyread").joinpath("samples", f"{name}{'-minimal' if minimal else ''}.yaml")))
        return path if path.is_file() or not minimal else None


_MODELS = "easyread.inputs.model"
BUILT_IN = (
    Kind("plan", f"{_MODELS}:Plan", "support_plan", "Care and support plan", "plan"),
    Kind("review", f"{_MODELS}:Review", "review", "Review of a care and support plan", "review"),
    Kind("letter", f"{_MODELS}:Letter", "review_invitation", "Letter", "letter"),
    Kind("one-page-profile", f"{_MODELS}:OnePageProfile", "one_page_profile", "One-page profile",
         "one-page profile", addressed=False),
    Kind("hospital-passport", f"{_MODELS}:HospitalPassport", "hospital_passport", "Hospital passport",
         "hospital passport", addressed=False),
)


@lru_cache(maxsize=1)
def _installed() -> list[Any]:
    from importlib.metadata import entry_points

    return sorted(entry_points(group=ENTRY_POINTS), key=lambda point: point.name)


def kind_names() -> list[str]:
    """Every kind's name, built in first, without importing any installed kind's code (for the command's help)."""
    names = [kind.name for kind in BUILT_IN]
    return names + [point.name for point in _installed() if point.name not in names]


@lru_cache(maxsize=1)
def kinds() -> dict[str, Kind]:
    """Every kind by name: the built-in ones, then those installed packages add (entry points)."""
    found = {kind.name: kind for kind in BUILT_IN}
    for point in _installed():
        try:
            added = point.load()
        except Exception as err:  # a broken plug-in is named, never a traceback from deep inside it
            raise UsageError(f"the kind {point.name!r} from {point.value} could not be loaded: {err}") from None
        if not isinstance(added, Kind) or added.name != point.name:
            raise UsageError(f"the entry point {point.name!r} ({point.value}) must name a Kind called {point.name!r}")
        if point.name in found:
            raise UsageError(f"the kind {point.name!r} ({point.value}) is already one easyread knows")
        found[point.name] = added
    return found


def kind_named(name: str) -> Kind:
    """The kind of this name; UsageError naming the kinds there are."""
    known = kinds()
    if name not in known:
        raise UsageError(f"no kind {name!r}; the kinds are {kinds_said()}")
    return known[name]


def models() -> dict[str, type[Common]]:
    """Each kind's input model, by name."""
    return {name: kind.model_class() for name, kind in kinds().items()}


def kinds_said() -> str:
    """The kinds of input, for messages: "plan, review, letter, one-page-profile or hospital-passport"."""
    names = kind_names()
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]


def input_words() -> str:
    """The kinds in words, for messages that say what input was expected: "a plan, review ... or hospital passport"."""
    words = [kind.words for kind in kinds().values()]
    return "a " + (f"{', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else words[0])


@lru_cache(maxsize=1)
def input_adapter() -> TypeAdapter[Any]:
    """Validates plain data as an input of any kind, chosen by its `kind:` (a discriminated union)."""
    from typing import Annotated, Union, cast

    from pydantic import Field, TypeAdapter

    choices = tuple(models().values())
    union: Any = choices[0] if len(choices) == 1 else Union[choices]  # noqa: UP007  # built from a tuple at run time
    return TypeAdapter(cast(Any, Annotated[union, Field(discriminator="kind")]))


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema for one kind of input."""
    schema = kind_named(kind).model_class().model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://easyread.invalid/schema/{kind}.json"
    return schema


def forget() -> None:
    """Look for installed kinds again (after a package is installed into a running process, and in tests)."""
    _installed.cache_clear()
    kinds.cache_clear()
    input_adapter.cache_clear()


_PATH_PART = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


def takes_easy_read(kind: str, field: str) -> bool:
    """True when a plan field (`needs[1].description`) is professional wording that can carry an
    `easy_read:` wording beside it, so a refusal can be fixed without changing the record."""
    import types
    import typing

    from pydantic import BaseModel

    from easyread.inputs.model import Wording

    known = kinds().get(kind)
    model: Any = known.model_class() if known is not None else None
    for name, _index in _PATH_PART.findall(field):
        if not name:
            continue  # a list index: the items' type is found from the list's annotation below
        fields = getattr(model, "model_fields", None)
        if fields is None or name not in fields:
            return False
        model = fields[name].annotation
        while True:  # unwrap Optional[...], list[...] and Annotated[...] to the model inside
            arguments = [a for a in typing.get_args(model) if a is not type(None)]
            if typing.get_origin(model) is typing.Annotated:
                model = arguments[0]
            elif typing.get_origin(model) in (list, typing.Union, types.UnionType):
                models = [a for a in arguments if isinstance(a, type) and issubclass(a, BaseModel)] or arguments
                model = models[0] if models else None
            else:
                break
    return isinstance(model, type) and issubclass(model, Wording)
