"""easyread over HTTP: an ASGI app (FastAPI, served by uvicorn) for systems not written in Python.

`easyread serve` runs it. Renders happen in a pool of worker processes, each with one Renderer
made from the server's own settings (templates, house style, symbols and picture folders are
configured here, never sent with a request, so no request can run template code). Audio renders
may use all but one worker, so a batch of them never starves the visual formats. The logs are
JSON lines that never hold the person's text or name: only what was asked, how big, how long and
the outcome.
"""

from __future__ import annotations

import asyncio
import hmac
import io
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import time
import uuid
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any, AsyncGenerator, AsyncIterator
from urllib.parse import quote

from fastapi import FastAPI, Query, Request, Response
from fastapi.responses import JSONResponse

if TYPE_CHECKING:
    from starlette.datastructures import FormData

    from easyread.inputs.model import Input
    from easyread.pipeline import Renderer

MAX_BODY_BYTES = 2_000_000
RENDER_SECONDS = 120.0
TOKEN_VARIABLE = "EASYREAD_TOKEN"
DATA_TYPES = ("application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
TEXT_TYPES = ("text/plain", "text/markdown")
FORM_TYPE = "multipart/form-data"  # the input in a part named `input`, and its photos in parts named `picture`
PICTURE_NAME = re.compile(r"^[\w. -]{1,100}\.(?:png|jpe?g|gif)$", re.IGNORECASE)
MAX_PICTURES = 50
TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
LOG = logging.getLogger("easyread.service")
LEFT_OUT = "X-Easyread-Photos-Left-Out"
NOTES = "X-Easyread-Notes"  # what a writer did in place of what was asked (Rendered.notes), joined by "; "


@dataclass(frozen=True)
class Settings:
    """How the server runs: its render workers and limits, and the council's own templates and styles."""

    workers: int = 2
    max_body_bytes: int = MAX_BODY_BYTES
    render_seconds: float = RENDER_SECONDS
    max_waiting: int = 32  # renders queued beyond the workers before the server says it is busy (503)
    token_variable: str = TOKEN_VARIABLE
    templates: str | None = None  # a folder of the council's templates, chosen by name with ?template=
    house_style: str | None = None
    symbols: str | None = None
    picture_folders: tuple[str, ...] = ()  # the photos plans may name, relative to the first


def forbid_outbound() -> None:
    """From now on, this process refuses to open a network connection to anywhere but this machine.

    A Python audit hook (it cannot be removed) sees every socket connect: the server answers on
    its own address and needs no other, so a plan can never make it reach out, and nothing a
    library does quietly (telemetry, a model download) can leave the machine.
    """
    import ipaddress
    import sys

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event != "socket.connect" or not isinstance(args[1], tuple):
            return  # a Unix socket (a path) stays on this machine
        host = str(args[1][0]).split("%")[0]
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host == "localhost"
        if not local:
            raise PermissionError(f"easyread serve makes no outbound connections (refused: {host})")

    sys.addaudithook(hook)


# --- in a worker process ----------------------------------------------------------------------

_RENDERER: Renderer | None = None
_TEMPLATES: Path | None = None


class _TimeUp(BaseException):
    """A render ran past the server's time limit: a BaseException, like KeyboardInterrupt, so that no
    library's `except Exception` (a voice's loader, say) can turn it into some other error."""


def _start_worker(settings: Settings) -> None:
    """Make this worker's Renderer once, load the word tables and the natural voice, and work in the first
    picture folder.

    A picture a request names is found relative to that folder, and must be inside one of the picture
    folders; with none given, the worker works in an empty folder of its own, so no request can put a
    file from the server's disk in a document.
    """
    from easyread.errors import WriterUnavailable
    from easyread.language import lexicon
    from easyread.pipeline import Renderer
    from easyread.writers.natural import natural_speaker

    global _RENDERER, _TEMPLATES
    forbid_outbound()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when to stop; renders in hand finish
    folders = [Path(folder).resolve() for folder in settings.picture_folders]
    os.chdir(folders[0] if folders else tempfile.mkdtemp(prefix="easyread-service-"))
    _RENDERER = Renderer(house_style=settings.house_style, symbols=settings.symbols, picture_folders=folders)
    _TEMPLATES = Path(settings.templates).resolve() if settings.templates else None
    lexicon.warm_up()
    try:  # the natural voice loads now, never under a render's time limit: a time-up raised while onnxruntime's
        natural_speaker()  # C++ start-up calls back into Python cannot unwind through it, and ends the worker
    except WriterUnavailable:
        pass  # the British voice speaks instead, as in any render


def _on_time_up(signum: int, frame: Any) -> None:
    raise _TimeUp()


def _template(name: str | None) -> str | Path | None:
    """A template by name: the council's folder first, then the shipped ones."""
    if name is None:
        return None
    from easyread.composer import TEMPLATE_SUFFIX

    if _TEMPLATES is not None and (_TEMPLATES / (name + TEMPLATE_SUFFIX)).is_file():
        return _TEMPLATES / (name + TEMPLATE_SUFFIX)
    return name


def _problems(err: Exception, sent: Path) -> list[dict[str, Any]]:
    """Each problem with its field and place; a picture sent with the request is named as it was sent, never by
    its path in the worker's folder."""
    from easyread.errors import InputError

    if isinstance(err, InputError):
        return [{"field": p.field, "message": _for_a_client(p.field, p.message).replace(f"{sent}{os.sep}", ""),
                 "line": p.line, "column": p.column} for p in err.problems]
    return [{"field": None, "message": str(err), "line": None, "column": None}]


# the loader's messages for a picture that is not there, or outside the folders allowed
_PICTURE_PROBLEM = re.compile(r"^picture file '(.+)' not found|^the picture must be inside .*?; '(.+)' (?:is|leads) outside")


def _for_a_client(field: str | None, message: str) -> str:
    """A problem with a picture the request names, said for a system calling over HTTP: which picture, and
    what the server's operator can do, not a path on the server's disk or "the file that names it"."""
    if not (field or "").endswith(".file"):
        return message
    if found := _PICTURE_PROBLEM.match(message):  # only a server with a picture folder reads pictures
        place = Path(found.group(1) or found.group(2))
        name = str(place.relative_to(Path.cwd())) if place.is_relative_to(Path.cwd()) else place.name
        return (f"the picture {name!r} is not in this server's picture folder; the server's operator can put it "
                "there (names are relative to the first picture folder), or leave the picture out")
    return message


def _work(task: str, body: bytes, options: dict[str, Any], seconds: float) -> dict[str, Any]:
    """In a worker: one render or check, as plain data (bytes and JSON text), within the time limit."""
    from easyread.errors import InputError, TemplateError, UsageError
    from easyread.readability.report import TooDenseError

    assert _RENDERER is not None, "the worker was not started"
    signal.signal(signal.SIGALRM, _on_time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    sent = Path(tempfile.mkdtemp(prefix="easyread-sent-"))  # the photos sent with this request, for it alone
    try:
        if task == "render":
            return _render(body, options, sent)
        return _check(body, options, sent)
    except TooDenseError as err:
        return {"status": 422, "error": "refused", "report": json.loads(err.report.to_json())}
    except (InputError, TemplateError, UsageError) as err:
        error = "input" if isinstance(err, InputError) else "template" if isinstance(err, TemplateError) else "usage"
        return {"status": 400, "error": error, "problems": _problems(err, sent)}
    except _TimeUp:
        return {"status": 504, "error": "time", "message": f"the render took longer than {seconds:g} s and was stopped"}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        shutil.rmtree(sent, ignore_errors=True)


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


class JsonLines(logging.Formatter):
    """One JSON object a line: the time, level, message and the record's `fields` (never request text)."""

    def format(self, record: logging.LogRecord) -> str:
        data = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname.lower(),
                "logger": record.name, "event": record.getMessage()}
        data.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[0] is not None:
            data["exception"] = record.exc_info[0].__name__  # the type only: a message may quote the input
        return json.dumps(data, ensure_ascii=False)


def log_config() -> dict[str, Any]:
    """Logging for uvicorn and the app: JSON lines on stderr, uvicorn's access log off (ours replaces it)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"json": {"()": f"{__name__}.JsonLines"}},
            "handlers": {"stderr": handler},
            "loggers": {name: {"handlers": ["stderr"], "level": "INFO", "propagate": False}
                        for name in ("uvicorn", "uvicorn.error", "easyread.service")}}


class Pool:
    """The render workers: a process pool, a limit on renders waiting, and fewer places for audio."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.executor = self._new()
        self.waiting = 0
        self.audio = asyncio.Semaphore(max(1, settings.workers - 1))

    def _new(self) -> ProcessPoolExecutor:
        import multiprocessing

        return ProcessPoolExecutor(max_workers=self.settings.workers, initializer=_start_worker,
                                   initargs=(self.settings,), mp_context=multiprocessing.get_context("forkserver"))

    async def run(self, task: str, body: bytes, options: dict[str, Any], audio: bool) -> dict[str, Any]:
        """Run one task in a worker; a 503 answer when too many wait, a 500 when a worker died."""
        if self.waiting >= self.settings.workers + self.settings.max_waiting:
            return {"status": 503, "error": "busy", "message": "too many renders are waiting; try again soon"}
        self.waiting += 1
        try:
            if audio:
                async with self.audio:
                    return await self._submit(task, body, options)
            return await self._submit(task, body, options)
        finally:
            self.waiting -= 1

    async def _submit(self, task: str, body: bytes, options: dict[str, Any]) -> dict[str, Any]:
        seconds = self.settings.render_seconds
        try:
            future = self.executor.submit(_work, task, body, options, seconds)
            return await asyncio.wait_for(asyncio.wrap_future(future), seconds + 30)
        except BrokenProcessPool:  # a worker died (out of memory?): start new ones for the next requests
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new()
            return {"status": 500, "error": "worker", "message": "the render stopped unexpectedly; try again"}
        except asyncio.TimeoutError:
            return {"status": 504, "error": "time", "message": f"the render took longer than {seconds:g} s"}

    def close(self) -> None:
        """Finish the renders in hand, then stop the workers."""
        self.executor.shutdown(wait=True)


def _error(status: int, error: str, message: str, **more: Any) -> Response:
    return JSONResponse({"error": error, "message": message, **more}, status_code=status)


def _answer(result: dict[str, Any]) -> Response:
    """A worker's result as a response: the file, a zip of files, or the error as JSON."""
    status = result.pop("status")
    if status == 503:
        return JSONResponse(result, status_code=status, headers={"Retry-After": "5"})
    if status != 200:
        messages = {"input": "the input has problems; each is listed with its field",
                    "template": "the template could not be used", "usage": "the request asks for something "
                    "easyread cannot do", "refused": "the text is too dense to be easy to read; nothing was made"}
        result.setdefault("message", messages.get(result["error"], result["error"]))
        return JSONResponse(result, status_code=status)
    # the photos a server with no picture folder left out, by field ("person.photo"): never a name or file
    headers = {LEFT_OUT: ", ".join(result["left_out"])} if result["left_out"] else {}
    if "report" in result:
        return JSONResponse(result["report"], headers=headers)
    files, names, types = result["files"], result["names"], result["types"]
    headers["X-Easyread-Kind"] = result["kind"]
    if result["voice"]:
        headers["X-Easyread-Voice"] = result["voice"]
    if result["notes"]:  # a header is Latin-1: anything else in a note (a font's name) is percent-encoded
        headers[NOTES] = quote("; ".join(result["notes"]), safe=" !\"#$&'()*+,-./:;<=>?@[]^_`{|}~")
    if len(files) == 1:
        [(fmt, data)] = files.items()
        headers["Content-Disposition"] = f'attachment; filename="{names[fmt]}"'
        return Response(data, media_type=types[fmt], headers=headers)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for fmt, data in files.items():
            archive.writestr(names[fmt], data)
    headers["Content-Disposition"] = f'attachment; filename="{result["kind"]}.zip"'
    return Response(buffer.getvalue(), media_type="application/zip", headers=headers)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _body(request: Request, settings: Settings, allowed: tuple[str, ...],
                template: str | None) -> tuple[bytes, dict[str, bytes]] | Response:
    """The request's input and the pictures sent with it (by name), or the error response: 415 for a type not
    allowed, 413 when too big, 400 for a template named by more than its name (a path could reach any file)."""
    kind = _media_type(request)
    if kind not in allowed + (FORM_TYPE,):
        return _error(415, "media-type", f"send the body as one of: {', '.join(allowed + (FORM_TYPE,))} "
                                         f"(got {kind or 'none'})")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_body_bytes:
        return _too_big(settings)
    body = bytearray()
    async for chunk in request.stream():  # counted as it comes: a body without a length is stopped too
        body += chunk
        if len(body) > settings.max_body_bytes:
            return _too_big(settings)
    if template is not None and not TEMPLATE_NAME.match(template):
        return _error(400, "usage", "a template is named by its name only (letters, digits, - and _)")
    if kind == FORM_TYPE:
        return await _form(request, bytes(body))
    return bytes(body), {}


async def _form(request: Request, body: bytes) -> tuple[bytes, dict[str, bytes]] | Response:
    """A multipart body: the input (a part named `input`) and its photos (parts named `picture`, each a file
    by the name the input gives it, its folders aside), read by Starlette's parser (python-multipart)."""
    from starlette.formparsers import MultiPartException, MultiPartParser

    async def once() -> AsyncGenerator[bytes, None]:
        yield body

    try:
        form = await MultiPartParser(request.headers, once(), max_files=MAX_PICTURES + 1, max_fields=MAX_PICTURES + 1,
                                     max_part_size=len(body) + 1).parse()
    except MultiPartException as err:
        return _error(400, "usage", f"the multipart body cannot be read: {err.message}")
    try:
        return await _parts(form)
    finally:
        await form.close()  # its files, spooled to disk when large


async def _parts(form: FormData) -> tuple[bytes, dict[str, bytes]] | Response:
    """The input and the pictures of a multipart body, or the error response (400)."""
    from starlette.datastructures import UploadFile

    unknown = sorted(set(form.keys()) - {"input", "picture"})
    if unknown:
        return _error(400, "usage", f"a multipart body has a part named input (the plan) and parts named picture "
                                    f"(its photos), not {', '.join(unknown)}")
    inputs = form.getlist("input")
    if len(inputs) != 1:
        return _error(400, "usage", "send the input (the plan, review or letter) in one part named input")
    given = inputs[0]
    source = await given.read() if isinstance(given, UploadFile) else given.encode("utf-8")
    pictures: dict[str, bytes] = {}
    for part in form.getlist("picture"):
        if not isinstance(part, UploadFile):
            return _error(400, "usage", "send each picture as a file (curl: -F picture=@jordan.png)")
        name = PureWindowsPath(part.filename or "").name  # the sender's folders aside, '/' and '\\' alike
        if not PICTURE_NAME.match(name):
            return _error(400, "usage", f"a picture's file name must end .png, .jpg, .jpeg or .gif and hold only "
                                        f"letters, digits, spaces, dots, - and _ (got {name[:100]!r})")
        if name in pictures:
            return _error(400, "usage", f"two pictures are called {name!r}; send each once")
        pictures[name] = await part.read()
    return source, pictures


def _too_big(settings: Settings) -> Response:
    return _error(413, "too-large", f"the body is over {settings.max_body_bytes:,} bytes; a plan is rarely over "
                                    "50 KB, and the photos sent with it count too (the server's --max-bytes)")


def openapi_schema(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the input kinds' JSON Schemas (the same models as `easyread schema`)."""
    from fastapi.openapi.utils import get_openapi

    from easyread.inputs.kinds import input_adapter

    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    inputs = input_adapter().json_schema(ref_template="#/components/schemas/{model}")
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(inputs.pop("$defs", {}))
    schemas["Input"] = inputs
    app.openapi_schema = document
    return document


def create_app(settings: Settings | None = None) -> FastAPI:
    """The ASGI app: /render, /check, /schema/{kind}, /templates, /symbols, /healthz and /version."""
    from easyread import __version__

    settings = settings or Settings()
    token = os.environ.get(settings.token_variable) or None
    state: dict[str, Pool] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state["pool"] = Pool(settings)
        LOG.info("started", extra={"fields": {"workers": settings.workers, "token": token is not None,
                                              "max_body_bytes": settings.max_body_bytes}})
        try:
            yield
        finally:
            await asyncio.get_running_loop().run_in_executor(None, state["pool"].close)
            LOG.info("stopped")

    app = FastAPI(title="easyread", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Care and support plans, reviews, letters, one-page profiles and hospital passports "
                              "into easy read, large print, Word, tagged PDF and audio, refusing text that is too "
                              "dense. Templates and house styles are the server's own.")
    app.openapi = lambda: openapi_schema(app)  # type: ignore[method-assign]

    @app.middleware("http")
    async def guard_and_log(request: Request, call_next: Any) -> Response:
        """Check the token, then log the request: its route, status, sizes and time, never its content."""
        started, request_id = time.perf_counter(), uuid.uuid4().hex[:12]
        if token is not None and request.url.path not in ("/healthz",):
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                response = _error(401, "token", "send the server's token: Authorization: Bearer <token>")
                response.headers["WWW-Authenticate"] = "Bearer"
                _log(request, response, started, request_id)
                return response
        try:
            response = await call_next(request)
        except Exception:  # never a traceback to the caller, and only the exception's type in the log
            LOG.error("failed", exc_info=True, extra={"fields": {"id": request_id, "path": request.url.path}})
            response = _error(500, "internal", "something went wrong in easyread; the server's log has the time")
        response.headers["X-Request-Id"] = request_id
        _log(request, response, started, request_id)
        return response

    def _log(request: Request, response: Response, started: float, request_id: str) -> None:
        fields = {"id": request_id, "method": request.method, "path": request.url.path,
                  "status": response.status_code, "ms": round((time.perf_counter() - started) * 1000, 1),
                  "bytes_in": int(request.headers.get("content-length") or 0),
                  "bytes_out": int(response.headers.get("content-length") or 0)}
        if request.url.path == "/render":
            fields["formats"] = request.query_params.get("formats", "")
            fields["kind"] = response.headers.get("x-easyread-kind")
        if left_out := response.headers.get(LEFT_OUT):
            fields["photos_left_out"] = len(left_out.split(", "))
        LOG.info("request", extra={"fields": fields})

    from easyread.writers import FORMATS, split_formats, spoken

    formats_help = f"Comma-separated formats ({', '.join(FORMATS)} or all); default: the person's recorded needs"

    @app.post("/render", summary="Render an input into one format (the file) or several (a zip)",
              openapi_extra=_body_doc(DATA_TYPES), responses=_responses(200, 400, 401, 413, 415, 422, 503, 504))
    async def render(request: Request,
                     formats: str | None = Query(None, description=formats_help),
                     profile: str | None = Query(None, pattern="^(easy-read|large-print)$"),
                     template: str | None = Query(None, description="A template by name: the server's own or a "
                                                                    "shipped one (see /templates)"),
                     read_along: bool | None = Query(None, description="false: an EPUB of text and pictures only, "
                                                                       "without its recording")) -> Response:
        sent = await _body(request, settings, DATA_TYPES, template)
        if isinstance(sent, Response):
            return sent
        body, pictures = sent
        wanted = split_formats(formats)
        # a person's needs may ask for audio
        audio = wanted is None or any(spoken(fmt, read_along is not False) for fmt in wanted)
        options = {"formats": wanted, "profile": profile, "template": template, "read_along": read_along,
                   "pictures": pictures}
        return _answer(await state["pool"].run("render", body, options, audio))

    @app.post("/check", summary="The readability report of plain text, or of an input as composed",
              openapi_extra=_body_doc(DATA_TYPES + TEXT_TYPES), responses=_responses(200, 400, 401, 413, 415))
    async def check(request: Request, profile: str | None = Query(None, pattern="^(easy-read|large-print)$"),
                    template: str | None = Query(None)) -> Response:
        sent = await _body(request, settings, DATA_TYPES + TEXT_TYPES, template)
        if isinstance(sent, Response):
            return sent
        body, pictures = sent
        options = {"profile": profile, "template": template, "plain": _media_type(request) in TEXT_TYPES,
                   "pictures": pictures}
        return _answer(await state["pool"].run("check", body, options, audio=False))

    @app.get("/schema/{kind}", summary="The JSON Schema of one kind of input")
    async def schema(kind: str) -> Response:
        from easyread.inputs.kinds import json_schema, kinds, kinds_said

        if kind not in kinds():
            return _error(404, "kind", f"no kind {kind!r}; the kinds are {kinds_said()}")
        return JSONResponse(json_schema(kind))

    @app.get("/templates", summary="The templates a render can name: the server's own and the shipped ones")
    async def templates() -> list[dict[str, str]]:
        from easyread.composer import templates as listed

        own = listed(Path(settings.templates)) if settings.templates else []
        return [{**info, "source": "shipped"} for info in listed()] + [{**info, "source": "server"} for info in own]

    @app.get("/symbols", summary="Every symbol, or the picture some words choose and why")
    async def symbols(words: str | None = Query(None, max_length=2000)) -> Any:
        from easyread.symbols import symbol_set

        chosen = symbol_set(str(Path(settings.symbols).resolve()) if settings.symbols else None)
        if words is None:
            return [{"name": c.name, "alt": c.alt, "synonyms": list(c.synonyms)} for c in chosen.concepts.values()]
        choice, why_none = chosen.choose(words)
        if choice is None:
            return {"words": words, "symbol": None, "reason": why_none}
        return {"words": words, "symbol": choice.name, "alt": choice.alt, "reason": choice.reason}

    @app.get("/healthz", summary="Whether the server is up (no token needed)")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/version", summary="The easyread version and what this server makes")
    async def version() -> dict[str, Any]:
        return {"easyread": __version__, "formats": list(FORMATS), "workers": settings.workers,
                "max_body_bytes": settings.max_body_bytes, "render_seconds": settings.render_seconds}

    return app


def _body_doc(types: tuple[str, ...]) -> dict[str, Any]:
    """The OpenAPI request body: an input (any kind) as JSON or YAML, or plain text where allowed, or a multipart
    body holding the input and the photos it names."""
    content: dict[str, Any] = {kind: {"schema": {"$ref": "#/components/schemas/Input"}}
                               for kind in types if kind not in TEXT_TYPES}
    content.update({kind: {"schema": {"type": "string"}} for kind in types if kind in TEXT_TYPES})
    binary = {"type": "string", "format": "binary"}
    content[FORM_TYPE] = {"schema": {"type": "object", "required": ["input"], "properties": {
        "input": {**binary, "description": "The input, as JSON or YAML"},
        "picture": {"type": "array", "maxItems": MAX_PICTURES, "items": binary, "description": (
            "The photos the input names (PNG, JPEG or GIF), each a file by the name the input gives it, its folders "
            "aside: `pictures/jordan.png` in the input is the file sent as `jordan.png`")}}}}
    return {"requestBody": {"required": True, "content": content}}


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    said = {200: "The file (its media type and a Content-Disposition name), a zip of several, or JSON",
            400: "Bad input: every problem, with its field, line and column",
            401: "No token, or the wrong one", 413: "The body is too large", 415: "The body's media type is not "
            "accepted", 422: "Refused as too dense: the readability report", 503: "Too many renders are waiting",
            504: "The render ran past the time limit"}
    answers: dict[int | str, dict[str, Any]] = {code: {"description": said[code]} for code in codes if code != 200}
    if 200 in codes:
        answers[200] = {"description": said[200], "headers": {LEFT_OUT: {
            "description": "A server with no picture folder has no photos: the fields whose photos it left out "
                           "(the symbols that stand for them are shown), such as `person.photo, contacts[0].photo`",
            "schema": {"type": "string"}}, NOTES: {
            "description": "What a format did in place of what was asked, such as `pdf: the house font Arial is not "
                           "installed here, so the PDF is in Atkinson Hyperlegible; install it to embed it`",
            "schema": {"type": "string"}}}}
    return answers


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until stopped (Ctrl-C or SIGTERM), finishing the renders in hand."""
    import uvicorn

    forbid_outbound()
    config = uvicorn.Config(create_app(settings), host=host, port=port, log_config=log_config(), access_log=False,
                            timeout_graceful_shutdown=int(settings.render_seconds) + 5, server_header=False)
    uvicorn.Server(config).run()
