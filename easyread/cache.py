"""Where easyread keeps what it can make again: word tables, symbol rasters, compiled templates.

Everything here is a cache: deleting the folder only makes the next run slower, and a
folder that cannot be written is never an error. Nothing is read from a cache folder that
someone else could change (its owner is another user, or others may write to it): a planted
word table or picture would change what a person reads, so it is made afresh instead.

Compiled templates are Python code, run when loaded, so they are trusted only from a folder
no one else can change, and only with this installation's signature: each file is signed
(HMAC-SHA256) with a random key kept owner-only in the cache folder. A folder or key file
owned by someone else, or that others may write to, turns the template cache off (templates
are compiled afresh, about 0.06 s each); a file that is not signed with the key is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

KEY_BYTES = 32
SIGNATURE_BYTES = 32  # HMAC-SHA256
MAX_BYTECODE_BYTES = 16 * 2**20  # a compiled template is tens of KB: anything this big is not ours


def cache_folder() -> Path:
    """$EASYREAD_CACHE_DIR, else easyread's folder in the user's cache folder."""
    if os.environ.get("EASYREAD_CACHE_DIR"):
        return Path(os.environ["EASYREAD_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "easyread"


def write_whole(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all: a reader never sees half of one, and a failed write
    (a full disk) leaves nothing behind. OSError if it cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.suffix.lstrip('.')}-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def template_bytecode(*compilers: str) -> jinja2.BytecodeCache | None:
    """A signed Jinja2 bytecode cache for templates compiled by the modules in the files `compilers`,
    or None when the cache folder could be changed by someone else (or cannot be made).

    Jinja2 keys its cache on a template's source only, but what a template compiles to also
    depends on the environment that compiles it (extensions, finalize, the code generator): so
    the folder is named after the source of every module that decides it, and Jinja2's version too.
    """
    import jinja2

    # parted by NUL (no source file holds one), so code moved from one of them to the next changes it too
    sources = b"\0".join(Path(compiler).read_bytes() for compiler in compilers)
    fingerprint = hashlib.sha1(sources + jinja2.__version__.encode()).hexdigest()[:12]
    folder = private_folder("templates", fingerprint)
    if folder is None:
        return None
    try:
        key = _key(folder.parent / "key")
    except OSError:
        return None
    if key is None:
        return None
    return _signed_cache()(folder, key)


def private_folder(*names: str) -> Path | None:
    """A folder in the cache folder that only this user can change (made owner-only, whatever the umask), or
    None when it, or a folder above it, could be changed by someone else or cannot be made: what is read from
    it (a word table, a picture's raster, compiled code) is then made afresh instead."""
    places = [cache_folder()]
    for name in names:
        places.append(places[-1] / name)
    try:
        for place in places:
            place.mkdir(mode=0o700, parents=True, exist_ok=True)
        return places[-1] if all(_private(place) for place in places) else None
    except OSError:
        return None


def _private(folder: Path) -> bool:
    """True if only this user can change `folder`: theirs, and not writable by group or others."""
    if not hasattr(os, "geteuid"):  # Windows: folder permissions are not mode bits
        return True
    info = folder.stat()
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def _key(path: Path) -> bytes | None:
    """This installation's signing key, made on first use; None if the key file is not the user's own secret."""
    if not path.exists():
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(os.urandom(KEY_BYTES))
            with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(file.fileno())
        if hasattr(os, "geteuid") and (info.st_uid != os.geteuid() or info.st_mode & 0o077):
            return None  # someone else's key, or one others can read: signatures would prove nothing
        key = file.read(KEY_BYTES + 1)
    return key if stat.S_ISREG(info.st_mode) and len(key) == KEY_BYTES else None


@lru_cache(maxsize=1)
def _signed_cache() -> Callable[[Path, bytes], jinja2.BytecodeCache]:
    """The signed bytecode cache class (made on first use: importing Jinja2 is for those who render)."""
    import jinja2

    class SignedBytecodeCache(jinja2.BytecodeCache):
        """Compiled templates in files, each signed with the installation's key; any other file is ignored."""

        def __init__(self, folder: Path, key: bytes) -> None:
            self.folder, self.key = folder, key

        def _sign(self, bucket: jinja2.bccache.Bucket, body: bytes) -> bytes:
            return hmac.new(self.key, bucket.key.encode() + b"\0" + body, hashlib.sha256).digest()

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                with open(self.folder / f"{bucket.key}.cache", "rb") as file:
                    data = file.read(MAX_BYTECODE_BYTES + 1)
            except OSError:
                return
            signature, body = data[:SIGNATURE_BYTES], data[SIGNATURE_BYTES:]
            if len(data) <= MAX_BYTECODE_BYTES and hmac.compare_digest(signature, self._sign(bucket, body)):
                bucket.bytecode_from_string(body)  # only now is it unmarshalled: it is what we wrote

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            body = bucket.bytecode_to_string()
            with contextlib.suppress(OSError):  # a full or read-only cache is only slower
                write_whole(self.folder / f"{bucket.key}.cache", self._sign(bucket, body) + body)

        def clear(self) -> None:
            for path in self.folder.glob("*.cache"):
                with contextlib.suppress(OSError):
                    path.unlink()

    return SignedBytecodeCache
