"""easyread: care and support plans into easy read, large print, Word, tagged PDF and audio.

    import easyread
    plan = easyread.load("examples/jordan-plan.yaml")
    document = easyread.compose(plan)          # format-free Document
    report = easyread.check(document)          # readability findings
    easyread.render(plan, formats=["txt"], outdir="out")

Submodules are imported on first use, so `import easyread` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load": "easyread.load",
    "compose": "easyread.compose",
    "check": "easyread.readability",
    "check_text": "easyread.readability",
    "render": "easyread.pipeline",
    "Document": "easyread.document",
    "Plan": "easyread.model",
    "Review": "easyread.model",
    "Letter": "easyread.model",
    "Profile": "easyread.profile",
    "get_profile": "easyread.profile",
    "EasyReadError": "easyread.errors",
    "InputError": "easyread.errors",
    "TemplateError": "easyread.errors",
    "OutputError": "easyread.errors",
    "TooDenseError": "easyread.errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'easyread' has no attribute {name!r}")
