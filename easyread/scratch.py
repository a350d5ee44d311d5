"""Private scratch folders in the system's temporary folder, and sweeping up the ones a killed process left.

A PDF render copies a person's photos into a scratch folder for typst. The end of the render removes
it; after `kill -9` or the out-of-memory killer it would stay, holding someone's photo, so the next
PDF render of this user removes its own old ones.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

STALE_SECONDS = 3600  # no render holds a scratch folder anything like this long
_swept: dict[str, float] = {}  # each thing this process has swept, and when (time.monotonic())
_swept_lock = threading.Lock()


def due(key: str, every: float = math.inf) -> bool:
    """True the first time this process asks about `key`, and again once `every` seconds have passed since:
    so a sweep runs once (or now and then), not on every render."""
    now = time.monotonic()
    with _swept_lock:
        if key in _swept and now - _swept[key] < every:
            return False
        _swept[key] = now
        return True


def sweep(prefix: str) -> None:
    """Remove this user's scratch folders named `prefix*` older than STALE_SECONDS, once a process."""
    if not due(f"scratch:{prefix}"):
        return
    folder = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if info.st_uid == os.getuid() and time.time() - info.st_mtime > STALE_SECONDS:
                    shutil.rmtree(entry.path, ignore_errors=True)


@contextlib.contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A private folder (mode 0700) for the length of a `with`, after sweeping up stale ones of the same kind."""
    sweep(prefix)
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)
