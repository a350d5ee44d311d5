"""easyread: care and support plans into easy read, large print, Word, tagged PDF and audio.

    import easyread
    plan = easyread.load("examples/jordan-plan.yaml")   # or a dict, YAML/JSON text, a Plan
    document = easyread.compose(plan)                    # format-free Document
    report = easyread.check(document)                    # readability findings
    done = easyread.render_bytes(plan, formats=["pdf", "txt"])
    pdf = done.content("pdf")                            # nothing written to disk
    easyread.render(plan, formats=["docx"], outdir="out")

Every name here is a function or class (none is a submodule), imported on first use so
that `import easyread` stays fast. A long-running process can keep one `Renderer` and
share it between threads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from easyread.version import __version__ as __version__  # re-exported: easyread.__version__

if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ imports each name on first use
    from easyread.batch import Batch, Job, Outcome, jobs_from, render_many
    from easyread.composer import compose
    from easyread.document import Document
    from easyread.errors import (
        EasyReadError,
        InputError,
        InstallError,
        OutputError,
        Problem,
        TemplateError,
        UsageError,
        WriterUnavailable,
    )
    from easyread.inputs.house_style import HouseStyle, load_house_style
    from easyread.inputs.loader import load
    from easyread.inputs.model import HospitalPassport, Input, Letter, OnePageProfile, Plan, Review
    from easyread.inputs.profile import Profile, get_profile
    from easyread.pipeline import Rendered, Renderer, render, render_bytes
    from easyread.readability import check, check_text
    from easyread.readability.report import Finding, Location, Report, TooDenseError

# where each public name lives; __all__ below is written out in full so type checkers know what is exported
_HOMES = {
    "easyread.inputs.loader": ["load"],
    "easyread.composer": ["compose"],
    "easyread.readability": ["check", "check_text"],
    "easyread.readability.report": ["Report", "Finding", "Location", "TooDenseError"],
    "easyread.pipeline": ["render", "render_bytes", "Renderer", "Rendered"],
    "easyread.batch": ["render_many", "jobs_from", "Job", "Outcome", "Batch"],
    "easyread.document": ["Document"],
    "easyread.inputs.model": ["Plan", "Review", "Letter", "OnePageProfile", "HospitalPassport", "Input"],
    "easyread.inputs.profile": ["Profile", "get_profile"],
    "easyread.inputs.house_style": ["HouseStyle", "load_house_style"],
    "easyread.errors": ["Problem", "EasyReadError", "InputError", "TemplateError", "OutputError", "UsageError",
                        "InstallError", "WriterUnavailable"],
}
_EXPORTS = {name: module for module, names in _HOMES.items() for name in names}
__all__ = [
    "Batch", "Document", "EasyReadError", "Finding", "HospitalPassport", "HouseStyle", "Input", "InputError",
    "InstallError", "Job", "Location", "Letter", "OnePageProfile", "Outcome", "OutputError", "Plan", "Problem",
    "Profile", "Rendered", "Renderer", "Report", "Review", "TemplateError", "TooDenseError", "UsageError",
    "WriterUnavailable", "check", "check_text", "compose", "get_profile", "jobs_from", "load", "load_house_style",
    "render", "render_bytes", "render_many",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value  # found once; later lookups are plain attribute reads
        return value
    try:  # easyread.batch, easyread.writers ...: submodules work without importing them first
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as err:
        if err.name != f"{__name__}.{name}":
            raise
    raise AttributeError(f"module 'easyread' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
