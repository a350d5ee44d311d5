"""The render workers: what runs in a worker process, and the pool the server hands work to.

Each request's render runs in a worker process (Pebble's ProcessPool): a worker that dies (the
out-of-memory killer, `kill -9`) fails only the request it was running, and a fresh worker takes
the next; a render past the time limit, or whose client has gone, is stopped by ending its worker.
Everything a render writes (the photos sent with it, the PDF's scratch folder) is inside a folder
the server made for that request, under the server's own scratch folder: the server removes it
when the request ends however it ends, and removes the whole scratch folder when it stops. A
server killed outright leaves its scratch folder to the next server started by the same user.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import shutil
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import CancelledError
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pebble import ProcessPool

    from easyread.inputs.model import Input
    from easyread.pipeline import Renderer

SCRATCH_PREFIX = "easyread-serve-"  # the server's scratch folder: easyread-serve-<pid>-<random>
MAX_BODY_BYTES = 2_000_000
RENDER_SECONDS = 120.0
QUEUE_SECONDS = 30.0
TOKEN_VARIABLE = "EASYREAD_TOKEN"


@dataclass(frozen=True)
class Settings:
    """How the server runs: its render workers and limits, and the council's own templates and styles."""

    workers: int = 2
    max_body_bytes: int = MAX_BODY_BYTES
    render_seconds: float = RENDER_SECONDS  # counted from the moment a worker starts the render
    queue_seconds: float = QUEUE_SECONDS  # the longest a request waits for a worker before it is answered 503
    max_waiting: int = 32  # requests of one kind (audio, or documents) waiting for a worker, beyond which 503
    recycle_after: int = 10_000  # renders before a worker is replaced (0: never): its memory is flat (bench), so rarely
    worker_memory_mb: int = 3072  # a worker's memory limit: a render that needs more fails alone
    header_seconds: float = 10.0  # for a request's line and headers to arrive
    body_seconds: float = 30.0  # for its body to arrive
    max_connections: int = 200  # open connections and requests in hand, beyond which uvicorn answers 503
    token_variable: str = TOKEN_VARIABLE
    allowed_hosts: tuple[str, ...] = ()  # Host names besides this machine's own ("easyread.internal", "*.council.gov.uk")
    allowed_origins: tuple[str, ...] = ()  # web pages (https://case.council.gov.uk) that may call it from a browser
    templates: str | None = None  # a folder of the council's templates, chosen by name with ?template=
    house_style: str | None = None
    symbols: str | None = None
    picture_folders: tuple[str, ...] = ()  # the photos plans may name, relative to the first


# --- in a worker process ----------------------------------------------------------------------

_RENDERER: Renderer | None = None
_TEMPLATES: Path | None = None


def start_worker(settings: Settings, scratch: str) -> None:
    """Make this worker's Renderer once, load the word tables and the natural voice, and work in the first
    picture folder.

    A picture a request names is found relative to that folder, and must be inside one of the picture
    folders; with none given, the worker works in an empty folder of its own, so no request can put a
    file from the server's disk in a document.
    """
    import signal

    from easyread.errors import WriterUnavailable
    from easyread.language import lexicon
    from easyread.pipeline import Renderer
    from easyread.service.edge import forbid_outbound
    from easyread.writers.natural import natural_speaker

    global _RENDERER, _TEMPLATES
    forbid_outbound()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when to stop; renders in hand finish
    # ended at the time limit (or when the client has gone) by SIGTERM at once, even inside the PDF engine's
    # compile, where a Python handler (Pebble's) would wait for it to return
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    tempfile.tempdir = scratch
    with contextlib.suppress(OSError):
        os.nice(5)  # renders give way to the server process, which must answer (503s, health checks) at once
    if settings.worker_memory_mb:  # data and heap, not address space: onnxruntime reserves far more than it uses
        limit = settings.worker_memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    folders = [Path(folder).resolve() for folder in settings.picture_folders]
    os.chdir(folders[0] if folders else tempfile.mkdtemp(prefix="worker-", dir=scratch))
    _RENDERER = Renderer(house_style=settings.house_style, symbols=settings.symbols, picture_folders=folders)
    _TEMPLATES = Path(settings.templates).resolve() if settings.templates else None
    lexicon.warm_up()
    try:  # the natural voice loads now, never in a render's time
        natural_speaker()
    except WriterUnavailable:
        pass  # the British voice speaks instead, as in any render


def ready() -> int:
    """A worker that answers is ready: its process id."""
    return os.getpid()


def _template(name: str | None) -> str | Path | None:
    """A template by name: the council's folder first, then the shipped ones."""
    if name is None:
        return None
    from easyread.composer import TEMPLATE_SUFFIX

    if _TEMPLATES is not None and (_TEMPLATES / (name + TEMPLATE_SUFFIX)).is_file():
        return _TEMPLATES / (name + TEMPLATE_SUFFIX)
    return name


def _problems(err: Exception, sent: Path) -> list[dict[str, Any]]:
    """Each problem with its field and place; a picture is named as the request named it, never by its path on
    the server (the folder it was sent to, or the server's picture folder)."""
    from easyread.errors import InputError

    if isinstance(err, InputError):
        return [{"field": p.field, "message": _for_a_client(p.field, p.message, sent),
                 "line": p.line, "column": p.column} for p in err.problems]
    return [{"field": None, "message": str(err), "line": None, "column": None}]


def _for_a_client(field: str | None, message: str, sent: Path) -> str:
    """A problem with a picture the request names, said for a system calling over HTTP: which picture, and
    what the server's operator can do, never a path on the server's disk or "the file that names it"."""
    import re

    if not (field or "").endswith(".file"):
        return message
    missing = re.match(r"^picture file '(.+)' not found|^the picture must be inside .*?; '(.+)' (?:is|leads) outside",
                       message)
    if missing:  # only a server with a picture folder reads pictures
        return (f"the picture {_as_named(missing.group(1) or missing.group(2), sent)!r} is not in this server's "
                "picture folder; the server's operator can put it there (names are relative to the first picture "
                "folder), or leave the picture out")
    return re.sub(r"'(/[^']*)'", lambda path: repr(_as_named(path.group(1), sent)), message)


def _as_named(path: str, sent: Path) -> str:
    """A picture's path on the server as the request named it: relative to the folder it was sent to or the
    first picture folder, else its file name alone."""
    place = Path(path)
    for folder in (sent, Path.cwd()):
        if place.is_relative_to(folder):
            return str(place.relative_to(folder))
    return place.name


def work(task: str, body: bytes, options: dict[str, Any], folder: str) -> dict[str, Any]:
    """In a worker: one render or check, as plain data (bytes and JSON text), writing only inside `folder` (made
    here, and removed here when done; the server removes it when the worker could not)."""
    import json

    from easyread.errors import InputError, TemplateError, UsageError
    from easyread.readability.report import TooDenseError

    assert _RENDERER is not None, "the worker was not started"
    sent = Path(folder, "sent")
    sent.mkdir(mode=0o700, parents=True)
    tempfile.tempdir = folder  # the PDF's scratch folder, and anything else a library writes, go here
    try:
        if task == "render":
            return _render(body, options, sent)
        return _check(body, options, sent)
    except TooDenseError as err:
        return {"status": 422, "error": "refused", "report": json.loads(err.report.to_json())}
    except (InputError, TemplateError, UsageError) as err:
        error = "input" if isinstance(err, InputError) else "template" if isinstance(err, TemplateError) else "usage"
        return {"status": 400, "error": error, "problems": _problems(err, sent)}
    except MemoryError:  # its heap may stay near the limit: the server replaces this worker ("retire")
        return {"status": 500, "error": "memory", "retire": True,
                "message": "the render needed more memory than a worker may use (the server's --worker-memory)"}
    finally:
        tempfile.tempdir = str(Path(folder).parent)
        shutil.rmtree(folder, ignore_errors=True)


def _load(body: bytes, sent: dict[str, bytes], folder: Path) -> Input:
    """The request's input, its photos the pictures sent with it (written to `folder`, by name) or else the
    server's. A server with no picture folder has no photos of its own, so the others are left out (the
    symbols that stand for them are shown) rather than refused: `photos_left_out` names them."""
    from easyread.inputs.loader import load

    assert _RENDERER is not None
    for name, data in sent.items():
        (folder / name).write_bytes(data)
    return load(body, picture_folders=_RENDERER.picture_folders, photos=bool(_RENDERER.picture_folders),
                sent_pictures={name: folder / name for name in sent})


def _render(body: bytes, options: dict[str, Any], folder: Path) -> dict[str, Any]:
    from easyread.inputs.loader import photos_left_out

    assert _RENDERER is not None
    loaded = _load(body, options["pictures"], folder)
    done = _RENDERER.render_bytes(loaded, formats=options["formats"], profile=options["profile"],
                                  template=_template(options["template"]), read_along=options["read_along"])
    if done.unavailable:
        return {"status": 500, "error": "unavailable", "message": "; ".join(done.unavailable)}
    done.stem = loaded.kind  # "plan.pdf": a request has no file name, and the person's name is not for headers
    return {"status": 200, "kind": loaded.kind, "voice": done.voice, "notes": done.notes, "files": done.files,
            "left_out": photos_left_out(loaded),
            "names": {fmt: done.filename(fmt) for fmt in done.files},
            "types": {fmt: done.media_type(fmt) for fmt in done.files}}


def _check(body: bytes, options: dict[str, Any], folder: Path) -> dict[str, Any]:
    import json

    from easyread.inputs.loader import photos_left_out
    from easyread.readability import check, check_text

    assert _RENDERER is not None
    profile = options["profile"]
    left_out: tuple[str, ...] = ()
    if options["plain"]:
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            from easyread.errors import InputError, Problem

            raise InputError([Problem("is not UTF-8 text; send it as UTF-8", line=body[:err.start].count(b"\n") + 1)])
        report = check_text(text, profile=profile or "easy-read", name="<request>")
    else:
        loaded = _load(body, options["pictures"], folder)
        document = _RENDERER.compose(loaded, profile=profile, template=_template(options["template"]))
        report, left_out = check(document, profile=profile or document.profile), photos_left_out(loaded)
    return {"status": 200, "report": json.loads(report.to_json()), "left_out": left_out}


# --- in the server process ---------------------------------------------------------------------


def make_scratch() -> Path:
    """The server's own scratch folder (mode 0700), after removing those of servers of this user that are gone."""
    root = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for entry in os.scandir(root):
            if not entry.name.startswith(SCRATCH_PREFIX) or not entry.is_dir(follow_symlinks=False):
                continue
            pid = entry.name[len(SCRATCH_PREFIX):].split("-")[0]
            with contextlib.suppress(OSError, ValueError):
                if entry.stat(follow_symlinks=False).st_uid == os.getuid() and not _alive(int(pid)):
                    shutil.rmtree(entry.path, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process with that number: not this user's server, but leave it be
    return True


@dataclass
class Queue:
    """One kind of work (documents, or audio): how many of it may run, how many wait, how long it takes."""

    places: asyncio.Semaphore
    capacity: int
    waiting: int = 0
    seconds: float = 1.0  # a moving average of its render time, to say at once when a deadline cannot be met
    samples: int = 0  # renders timed so far

    def expected_wait(self) -> float:
        """About how long a request joining the queue now would wait for a place (0 until one has been timed)."""
        return (self.waiting + 1) * self.seconds / self.capacity if self.samples else 0.0


class Pool:
    """The render workers: a limit on renders waiting, fewer places for audio, a deadline for the queue.

    Each worker is a Pebble ProcessPool of one process: Pebble ends a render past its time limit,
    or whose client has gone, by ending its process, and replaces a process after `recycle_after`
    renders; one pool a worker because Pebble fails every task of a pool, and the pool itself,
    when a process dies while idle ("All workers expired"). Here such a pool is replaced.
    """

    def __init__(self, settings: Settings, scratch: Path, on_event: Any = None) -> None:
        self.settings = settings
        self.scratch = scratch
        self.on_event = on_event or (lambda event, **fields: None)  # metrics: ("restart", reason=...) and the like
        self.idle: list[ProcessPool] = [self._new() for _ in range(settings.workers)]
        self.busy: set[ProcessPool] = set()
        self.running = asyncio.Semaphore(settings.workers)
        audio = max(1, settings.workers - 1)  # a batch of audio never takes every worker
        self.queues = {"document": Queue(asyncio.Semaphore(settings.workers), settings.workers),
                       "audio": Queue(asyncio.Semaphore(audio), audio)}
        self.started = False

    def _new(self) -> ProcessPool:
        import multiprocessing

        from pebble import ProcessPool

        return ProcessPool(max_workers=1, max_tasks=self.settings.recycle_after, initializer=start_worker,
                           initargs=(self.settings, str(self.scratch)),
                           context=multiprocessing.get_context("forkserver"))

    async def start(self) -> None:
        """Start every worker now (not on the first request) and say ready when one answers."""
        answers = [asyncio.wrap_future(worker.schedule(ready)) for worker in self.idle]
        await asyncio.wait(answers, return_when=asyncio.FIRST_COMPLETED)
        self.started = True

    def ready(self) -> bool:
        """A worker has started, and a request of each kind could be taken now."""
        return self.started and all(not self._full(q) for q in self.queues.values())

    def _full(self, queue: Queue) -> bool:
        """No place free now, and no room to wait for one within the deadline."""
        if not (queue.places.locked() or self.running.locked()):
            return False
        return queue.waiting >= self.settings.max_waiting or queue.expected_wait() > self.settings.queue_seconds

    async def run(self, task: str, body: bytes, options: dict[str, Any], audio: bool,
                  gone: Callable[[], Awaitable[Any]] | None = None) -> dict[str, Any]:
        """Run one task in a worker, or say why not: 503 at once when it could not start within the queue's
        deadline, 504 past the time limit, 500 when its worker died, 499 when `gone()` returns first (the
        client left)."""
        queue = self.queues["audio" if audio else "document"]
        deadline = self.settings.queue_seconds
        if self._full(queue):
            return _busy("too many renders are waiting; try again in a few seconds")
        queue.waiting += 1
        try:
            async with asyncio.timeout(deadline):
                await queue.places.acquire()
                try:
                    await self.running.acquire()
                except BaseException:
                    queue.places.release()
                    raise
        except TimeoutError:
            return _busy(f"no worker was free within {deadline:g} s; try again in a few seconds")
        finally:
            queue.waiting -= 1
        worker, retire = self.idle.pop(), True
        self.busy.add(worker)
        try:
            result, worker = await self._in_a_worker(worker, queue, task, body, options, gone)
            retire = result.pop("retire", False)
            return result
        finally:
            self.busy.discard(worker)
            self.idle.append(self._replace(worker) if retire or not worker.active else worker)
            self.running.release()
            queue.places.release()

    def _replace(self, worker: ProcessPool) -> ProcessPool:
        worker.stop()  # type: ignore[no-untyped-call]
        return self._new()

    async def _in_a_worker(self, worker: ProcessPool, queue: Queue, task: str, body: bytes, options: dict[str, Any],
                           gone: Callable[[], Awaitable[Any]] | None) -> tuple[dict[str, Any], ProcessPool]:
        """The task's result, and the worker that ran it (a fresh one if the one given had died while idle)."""
        from concurrent.futures.process import BrokenProcessPool

        from pebble import ProcessExpired

        seconds = self.settings.render_seconds
        folder = self.scratch / uuid.uuid4().hex  # made and removed by the worker, or removed here if it cannot
        started, answered = time.monotonic(), False
        try:
            future = worker.schedule(work, args=(task, body, options, str(folder)), timeout=seconds)
        except RuntimeError:  # its process died while idle, and Pebble gave up on the pool: a fresh one
            worker = self._replace(worker)
            future = worker.schedule(work, args=(task, body, options, str(folder)), timeout=seconds)
        try:
            done = asyncio.wrap_future(future)
            if gone is not None:
                leaving = asyncio.ensure_future(gone())
                await asyncio.wait({done, leaving}, return_when=asyncio.FIRST_COMPLETED)
                leaving.cancel()
                if not done.done():
                    future.cancel()  # type: ignore[no-untyped-call]  # ends the worker: nothing more is made for no one
                    self.on_event("restart", reason="client-gone")
                    return {"status": 499, "error": "gone", "message": "the client closed the connection"}, worker
            result: dict[str, Any] = await done
            answered = True
            queue.samples += 1
            queue.seconds += (time.monotonic() - started - queue.seconds) / min(queue.samples, 10)
            return result, worker
        except TimeoutError:
            self.on_event("restart", reason="time")
            return {"status": 504, "error": "time", "message": f"the render took longer than {seconds:g} s and "
                                                              "was stopped"}, worker
        except CancelledError:
            raise asyncio.CancelledError() from None
        except (ProcessExpired, BrokenProcessPool):
            self.on_event("restart", reason="died")
            return {"status": 500, "error": "worker", "message": "the render stopped unexpectedly (its worker "
                                                                 "ended); try again"}, worker
        finally:
            if not answered:  # ended at the time limit, killed, or its client gone: its files may be there
                _remove(folder, later=not future.done() or future.cancelled())

    def close(self) -> None:
        """Finish the renders in hand, stop the workers, and remove the scratch folder and multiprocessing's
        (pymp-*: its fork server's socket, which would be left, as the server ends by raising SIGTERM again)."""
        from multiprocessing import util

        workers = [*self.idle, *self.busy]
        for worker in workers:
            worker.close()  # type: ignore[no-untyped-call]
        for worker in workers:
            worker.join()
        shutil.rmtree(self.scratch, ignore_errors=True)
        shutil.rmtree(util.get_temp_dir(), ignore_errors=True)


def _busy(message: str) -> dict[str, Any]:
    return {"status": 503, "error": "busy", "message": message}


def _remove(folder: Path, later: bool) -> None:
    """Remove a request's folder now, and again in a moment when its worker may still be ending."""
    shutil.rmtree(folder, ignore_errors=True)
    if later:
        asyncio.get_running_loop().call_later(2.0, shutil.rmtree, folder, True)
