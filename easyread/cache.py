"""Where easyread keeps what it can make again: word tables, symbol rasters, compiled templates.

Everything here is a cache: deleting the folder only makes the next run slower, and a
folder that cannot be written is never an error.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2


def cache_folder() -> Path:
    """$EASYREAD_CACHE_DIR, else easyread's folder in the user's cache folder."""
    if os.environ.get("EASYREAD_CACHE_DIR"):
        return Path(os.environ["EASYREAD_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "easyread"


def template_bytecode(compiler: str) -> jinja2.BytecodeCache | None:
    """A Jinja2 bytecode cache for templates compiled by the module in the file `compiler`.

    Jinja2 keys its cache on a template's source only, but what a template compiles to also
    depends on the environment that compiles it (extensions, finalize): so the folder is
    named after that module's own source too. Compiling costs about 0.06 s a template.
    """
    import jinja2

    fingerprint = hashlib.sha1(Path(compiler).read_bytes()).hexdigest()[:12]
    folder = cache_folder() / "templates" / fingerprint
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))
