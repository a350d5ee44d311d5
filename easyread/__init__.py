"""easyread: care and support plans into easy read, large print, Word, tagged PDF and audio.

    import easyread
    plan = easyread.load("examples/jordan-plan.yaml")   # or a dict, YAML/JSON text, a Plan
    document = easyread.compose(plan)                    # format-free Document
    report = easyread.check(document)                    # readability findings
    done = easyread.render_bytes(plan, formats=["pdf", "txt"])
    pdf = done.bytes("pdf")                              # nothing written to disk
    easyread.render(plan, formats=["docx"], outdir="out")

Every name here is a function or class (none is a submodule), imported on first use so
that `import easyread` stays fast. A long-running process can keep one `Renderer` and
share it between threads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ imports each name on first use
    from easyread.batch import Batch, Job, Outcome, jobs_from, render_many
    from easyread.composer import compose
    from easyread.document import Document
    from easyread.errors import (
        EasyReadError, InputError, InstallError, OutputError, Problem, TemplateError, TooDenseError, UsageError,
        WriterUnavailable,
    )
    from easyread.house_style import HouseStyle, load_house_style
    from easyread.loader import load
    from easyread.model import Letter, Plan, Review
    from easyread.pipeline import Rendered, Renderer, render, render_bytes
    from easyread.profile import Profile, get_profile
    from easyread.readability import check, check_text
    from easyread.readability.report import Finding, Report

_EXPORTS = {
    "load": "easyread.loader",
    "compose": "easyread.composer",
    "check": "easyread.readability",
    "check_text": "easyread.readability",
    "render": "easyread.pipeline",
    "render_bytes": "easyread.pipeline",
    "Renderer": "easyread.pipeline",
    "Rendered": "easyread.pipeline",
    "render_many": "easyread.batch",
    "jobs_from": "easyread.batch",
    "Job": "easyread.batch",
    "Outcome": "easyread.batch",
    "Batch": "easyread.batch",
    "Document": "easyread.document",
    "Plan": "easyread.model",
    "Review": "easyread.model",
    "Letter": "easyread.model",
    "Profile": "easyread.profile",
    "get_profile": "easyread.profile",
    "HouseStyle": "easyread.house_style",
    "load_house_style": "easyread.house_style",
    "Report": "easyread.readability.report",
    "Finding": "easyread.readability.report",
    "Problem": "easyread.errors",
    "EasyReadError": "easyread.errors",
    "InputError": "easyread.errors",
    "TemplateError": "easyread.errors",
    "OutputError": "easyread.errors",
    "UsageError": "easyread.errors",
    "InstallError": "easyread.errors",
    "WriterUnavailable": "easyread.errors",
    "TooDenseError": "easyread.errors",
}
__all__ = sorted(_EXPORTS)


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
