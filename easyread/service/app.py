"""easyread over HTTP: an ASGI app (FastAPI, served by uvicorn) for systems not written in Python.

`easyread serve` runs it. Renders happen in worker processes (see `workers`), each with one Renderer
made from the server's own settings (templates, house style, symbols and picture folders are
configured here, never sent with a request, so no request can run template code). The logs are
JSON lines that never hold the person's text or name: only what was asked, how big, how long and
the outcome. Prometheus metrics (`/metrics`) carry no personal data either: routes, statuses, counts.
"""

from __future__ import annotations

import asyncio
import hmac
import io
import json
import logging
import os
import re
import time
import uuid
import zipfile
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any, AsyncGenerator, AsyncIterator
from urllib.parse import quote

from fastapi import FastAPI, Query, Request, Response
from fastapi.responses import JSONResponse

from easyread.service.edge import forbid_outbound, host_allowed, is_loopback, origin_allowed, with_header_deadline
from easyread.service.workers import Pool, Settings, make_scratch

if TYPE_CHECKING:
    from starlette.datastructures import FormData
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

DATA_TYPES = ("application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
TEXT_TYPES = ("text/plain", "text/markdown")
FORM_TYPE = "multipart/form-data"  # the input in a part named `input`, and its photos in parts named `picture`
PICTURE_NAME = re.compile(r"^[\w. -]{1,100}\.(?:png|jpe?g|gif)$", re.IGNORECASE)
MAX_PICTURES = 50
TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
LOG = logging.getLogger("easyread.service")
LEFT_OUT = "X-Easyread-Photos-Left-Out"
NOTES = "X-Easyread-Notes"  # what a writer did in place of what was asked (Rendered.notes), joined by "; "
GONE = 499  # the client closed the connection before its answer (nginx's code): no one is there to answer
OPEN_PATHS = ("/healthz", "/livez", "/readyz")  # for load balancers and orchestrators: no token, nothing personal


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


def _error(status: int, error: str, message: str, headers: dict[str, str] | None = None, **more: Any) -> Response:
    """easyread's one error shape: `error`, a word to branch on, and `message`, a sentence to show."""
    return JSONResponse({"error": error, "message": message, **more}, status_code=status, headers=headers)


def _answer(result: dict[str, Any]) -> Response:
    """A worker's result as a response: the file, a zip of files, or the error as JSON."""
    status = result.pop("status")
    if status == 503:
        return JSONResponse(result, status_code=status, headers={"Retry-After": "5"})
    if status == GONE:
        return Response(status_code=GONE)  # no one is there to read it: for the log
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
    allowed, 413 when too big, 408 when too slow, 400 for a template named by more than its name (a path could
    reach any file); 499 (never sent) when the client left while sending it."""
    from starlette.requests import ClientDisconnect

    kind = _media_type(request)
    if kind not in allowed + (FORM_TYPE,):
        return _error(415, "media-type", f"send the body as one of: {', '.join(allowed + (FORM_TYPE,))} "
                                         f"(got {kind or 'none'})")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_body_bytes:
        return _too_big(settings)
    body = bytearray()
    try:
        async with asyncio.timeout(settings.body_seconds):
            async for chunk in request.stream():  # counted as it comes: a body without a length is stopped too
                body += chunk
                if len(body) > settings.max_body_bytes:
                    return _too_big(settings)
    except TimeoutError:
        return _error(408, "slow", f"the body did not arrive within {settings.body_seconds:g} s; send it again")
    except ClientDisconnect:
        return Response(status_code=GONE)
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


class Metrics:
    """Prometheus metrics, in a registry of the app's own: routes, statuses and counts, never what was sent."""

    def __init__(self, pool: dict[str, Pool]) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry()
        self.requests = Counter("easyread_requests", "Requests answered, by route and status", ["route", "status"],
                                registry=self.registry)
        self.seconds = Histogram("easyread_request_seconds", "Time to answer, by route", ["route"],
                                 buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
                                 registry=self.registry)
        self.refusals = Counter("easyread_refusals", "Inputs refused as too dense to read (422)",
                                registry=self.registry)
        self.restarts = Counter("easyread_worker_restarts", "Workers ended mid-render, and why", ["reason"],
                                registry=self.registry)
        waiting = Gauge("easyread_waiting", "Requests waiting for a worker, by kind", ["kind"], registry=self.registry)
        for kind in ("document", "audio"):
            waiting.labels(kind).set_function(partial(_waiting, pool, kind))

    def count(self, route: str, status: int, seconds: float) -> None:
        """One request answered."""
        self.requests.labels(route, str(status)).inc()
        self.seconds.labels(route).observe(seconds)
        if status == 422:
            self.refusals.inc()

    def on_event(self, event: str, **fields: str) -> None:
        """What the pool reports: a worker ended mid-render (`restart`, with its reason)."""
        if event == "restart":
            self.restarts.labels(fields["reason"]).inc()

    def text(self) -> bytes:
        """The metrics in Prometheus' text format."""
        from prometheus_client import generate_latest

        return generate_latest(self.registry)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The ASGI app: /render, /check, /schema/{kind}, /templates, /symbols, /healthz, /livez, /readyz, /metrics
    and /version."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    from easyread.version import __version__

    settings = settings or Settings()
    token = os.environ.get(settings.token_variable) or None
    state: dict[str, Pool] = {}
    metrics = Metrics(state)
    in_hand = [0]  # requests being answered now (uvicorn's own limit would answer in plain text)
    most_in_hand = settings.max_connections

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state["pool"] = Pool(settings, make_scratch(), on_event=metrics.on_event)
        LOG.info("started", extra={"fields": {"workers": settings.workers, "token": token is not None,
                                              "max_body_bytes": settings.max_body_bytes}})
        starting = asyncio.ensure_future(state["pool"].start())  # /readyz says ready when a worker answers
        try:
            yield
        finally:
            starting.cancel()
            await asyncio.get_running_loop().run_in_executor(None, state["pool"].close)
            LOG.info("stopped")

    app = FastAPI(title="easyread", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Care and support plans, reviews, letters, one-page profiles and hospital passports "
                              "into easy read, large print, Word, tagged PDF and audio, refusing text that is too "
                              "dense. Templates and house styles are the server's own.")
    app.openapi = lambda: openapi_schema(app)  # type: ignore[method-assign]

    @app.exception_handler(RequestValidationError)
    async def bad_query(request: Request, err: RequestValidationError) -> Response:
        """A query parameter easyread cannot use is a 400 `usage` error, never FastAPI's 422 (422 is a refusal)."""
        problems = [{"field": ".".join(str(part) for part in problem["loc"]), "message": problem["msg"],
                     "line": None, "column": None} for problem in err.errors()]
        said = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return _error(400, "usage", f"the request asks for something easyread cannot do ({said})", problems=problems)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> Response:
        """Starlette's own errors (no such path, a method not allowed) in easyread's shape."""
        words = {404: ("not-found", f"there is nothing at {request.url.path}; /openapi.json lists what there is"),
                 405: ("method", f"{request.method} is not used at {request.url.path}; /openapi.json says which is")}
        error, message = words.get(err.status_code, ("http", str(err.detail)))
        return _error(err.status_code, error, message, headers=dict(err.headers or {}))

    class GuardAndLog:
        """ASGI middleware: check the Host, Origin and token, then log the request (its route, status, sizes and
        time, never its content). Plain ASGI, not Starlette's BaseHTTPMiddleware, whose wrapping of every
        `receive` cost the server more time a request than the rest of its work."""

        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await self.app(scope, receive, send)
                return
            started, request_id = time.perf_counter(), uuid.uuid4().hex[:12]
            request = Request(scope)
            answered: dict[str, Any] = {"status": 500, "headers": {}}

            async def sending(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                    answered["status"] = message["status"]
                    answered["headers"] = {k.decode("latin-1").lower(): v.decode("latin-1")
                                           for k, v in message["headers"]}
                await send(message)

            refusal = _refused(request)
            if refusal is None and in_hand[0] >= most_in_hand:
                refusal = _error(503, "busy", "the server has too many requests in hand; try again in a few seconds",
                                 headers={"Retry-After": "5"})
            try:
                if refusal is not None:
                    await refusal(scope, receive, sending)
                    return
                in_hand[0] += 1
                try:
                    await self.app(scope, receive, sending)
                except Exception:  # never a traceback to the caller, and only the exception's type in the log
                    LOG.error("failed", exc_info=True, extra={"fields": {"id": request_id, "path": scope["path"]}})
                    if not answered["headers"]:  # nothing sent yet
                        await _error(500, "internal", "something went wrong in easyread; the server's log has the "
                                                      "time")(scope, receive, sending)
                finally:
                    in_hand[0] -= 1
            finally:
                _log(request, answered["status"], answered["headers"], started, request_id)

    app.add_middleware(GuardAndLog)

    def _refused(request: Request) -> Response | None:
        """The answer to a request from where it may not come, or without the token; None when it may go on."""
        host = request.headers.get("host", "")
        if not host_allowed(host, settings.allowed_hosts):
            return _error(400, "host", "this server does not answer to that host name; its operator can add it "
                                       "(easyread serve --allowed-host NAME)")
        origin = request.headers.get("origin")
        if origin is not None and not origin_allowed(origin, host, settings.allowed_origins):
            return _error(403, "origin", "a web page from another site may not use this server; its operator can "
                                         "allow that site (easyread serve --allowed-origin URL)")
        if token is not None and request.url.path not in OPEN_PATHS:
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                response = _error(401, "token", "send the server's token: Authorization: Bearer <token>")
                response.headers["WWW-Authenticate"] = "Bearer"
                return response
        return None

    def _log(request: Request, status: int, headers: dict[str, str], started: float, request_id: str) -> None:
        seconds = time.perf_counter() - started
        route = getattr(request.scope.get("route"), "path", "other")  # /schema/{kind}, never what was sent
        metrics.count(route, status, seconds)
        fields = {"id": request_id, "method": request.method, "path": route, "status": status,
                  "ms": round(seconds * 1000, 1), "bytes_in": int(request.headers.get("content-length") or 0),
                  "bytes_out": int(headers.get("content-length") or 0)}
        if request.url.path == "/render":
            fields["formats"] = request.query_params.get("formats", "")
            fields["kind"] = headers.get("x-easyread-kind")
        if left_out := headers.get(LEFT_OUT.lower()):
            fields["photos_left_out"] = len(left_out.split(", "))
        LOG.info("gone" if status == GONE else "request", extra={"fields": fields})

    from easyread.writers import FORMATS, split_formats, spoken

    formats_help = f"Comma-separated formats ({', '.join(FORMATS)} or all); default: the person's recorded needs"

    @app.post("/render", summary="Render an input into one format (the file) or several (a zip)",
              openapi_extra=_body_doc(DATA_TYPES),
              responses=_responses(200, 400, 401, 403, 408, 413, 415, 422, 503, 504))
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
        return _answer(await state["pool"].run("render", body, options, audio, gone=partial(_gone, request)))

    @app.post("/check", summary="The readability report of plain text, or of an input as composed",
              openapi_extra=_body_doc(DATA_TYPES + TEXT_TYPES),
              responses=_responses(200, 400, 401, 403, 408, 413, 415, 503, 504))
    async def check(request: Request, profile: str | None = Query(None, pattern="^(easy-read|large-print)$"),
                    template: str | None = Query(None)) -> Response:
        sent = await _body(request, settings, DATA_TYPES + TEXT_TYPES, template)
        if isinstance(sent, Response):
            return sent
        body, pictures = sent
        options = {"profile": profile, "template": template, "plain": _media_type(request) in TEXT_TYPES,
                   "pictures": pictures}
        return _answer(await state["pool"].run("check", body, options, audio=False, gone=partial(_gone, request)))

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

    @app.get("/healthz", summary="Whether the server is up (no token needed); the same as /livez")
    @app.get("/livez", summary="Whether the server process answers (no token needed): if not, restart it")
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="Whether a render could start now (no token needed): if not, send work elsewhere",
             responses=_responses(503))
    async def readyz() -> Response:
        if "pool" in state and state["pool"].ready():
            return JSONResponse({"status": "ready"})
        return _error(503, "busy", "no worker can take work now (starting, or every place taken)")

    @app.get("/metrics", summary="Prometheus metrics: requests, times, queue depth, refusals, worker restarts")
    async def prometheus() -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST

        return Response(metrics.text(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/version", summary="The easyread version and what this server makes")
    async def version() -> dict[str, Any]:
        return {"easyread": __version__, "formats": list(FORMATS), "workers": settings.workers,
                "max_body_bytes": settings.max_body_bytes, "render_seconds": settings.render_seconds,
                "queue_seconds": settings.queue_seconds}

    return app


def _waiting(pool: dict[str, Pool], kind: str) -> float:
    return pool["pool"].queues[kind].waiting if pool else 0


async def _gone(request: Request) -> None:
    """Returns when the client has closed its connection (after its body was read)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


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
            401: "No token, or the wrong one", 403: "A web page from a site the server does not allow (Origin)",
            408: "The body did not arrive in time", 413: "The body is too large", 415: "The body's media type is not "
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

    from easyread.errors import UsageError

    if not is_loopback(host) and not os.environ.get(settings.token_variable):
        raise UsageError(f"a server that listens beyond this machine ({host}) needs a token: set "
                         f"{settings.token_variable} to a long random secret, which callers send as "
                         "'Authorization: Bearer <token>'")
    forbid_outbound()
    # a killed worker leaves two of Pebble's semaphores for multiprocessing's resource tracker, whose warning at
    # shutdown would be the one line of the log that is not JSON: it is not an error, and says nothing to act on
    quiet = "ignore::UserWarning:multiprocessing.resource_tracker"
    os.environ["PYTHONWARNINGS"] = ",".join(filter(None, (os.environ.get("PYTHONWARNINGS"), quiet)))
    config = uvicorn.Config(create_app(settings), host=host, port=port, log_config=log_config(), access_log=False,
                            http=with_header_deadline(settings.header_seconds), server_header=False,
                            timeout_graceful_shutdown=int(settings.queue_seconds + settings.render_seconds) + 5)
    uvicorn.Server(config).run()
