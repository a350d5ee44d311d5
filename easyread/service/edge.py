"""The server's edge: what reaches it, from where, and how slowly; and what it may reach.

- a deadline for a request's line and headers (uvicorn has none: a client sending a byte every few
  seconds would hold a connection for ever), given to uvicorn as its HTTP protocol;
- the Host and Origin a request may carry, so that a web page elsewhere (DNS rebinding, a
  cross-site form) cannot make the server render, or read photos from its picture folder;
- no outbound connection, ever.
"""

from __future__ import annotations

import ipaddress
import sys
from typing import Any
from urllib.parse import urlsplit

from uvicorn.protocols.http.h11_impl import H11Protocol

try:  # httptools parses HTTP in C: about a third less of the server's time a request than h11
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Protocol
except ImportError:
    Protocol = H11Protocol  # type: ignore[assignment,misc]
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def forbid_outbound() -> None:
    """From now on, this process refuses to open a network connection to anywhere but this machine.

    A Python audit hook (it cannot be removed) sees every socket connect: the server answers on
    its own address and needs no other, so a plan can never make it reach out, and nothing a
    library does quietly (telemetry, a model download) can leave the machine.
    """

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event != "socket.connect" or not isinstance(args[1], tuple):
            return  # a Unix socket (a path) stays on this machine
        host = str(args[1][0]).split("%")[0]
        if not is_loopback(host):
            raise PermissionError(f"easyread serve makes no outbound connections (refused: {host})")

    sys.addaudithook(hook)


def is_loopback(host: str) -> bool:
    """This machine only: localhost, 127.0.0.0/8 or ::1."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def with_header_deadline(seconds: float) -> type[Protocol]:
    """uvicorn's HTTP/1.1 protocol (httptools', else h11's), closing a connection whose request line and headers
    have not all come within `seconds` of its opening or of the last answer on it."""

    class HeaderDeadline(Protocol):
        _deadline: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline = self.loop.call_later(seconds, self._too_slow)

        def _too_slow(self) -> None:
            waiting_for_headers = self.cycle is None or self.cycle.response_complete
            if waiting_for_headers and not self.transport.is_closing():
                self.transport.close()

    return HeaderDeadline


def host_allowed(host_header: str, allowed: tuple[str, ...]) -> bool:
    """The Host header names this machine or a name the operator allowed (`*.example.org` for its subdomains),
    as Starlette's TrustedHostMiddleware judges it."""
    host = urlsplit("//" + host_header).hostname or ""
    for name in (*LOCAL_HOSTS, *allowed):
        name = name.lower().strip("[]")
        if name == "*" or host == name or (name.startswith("*.") and host.endswith(name[1:])):
            return True
    return False


def origin_allowed(origin: str, host_header: str, allowed: tuple[str, ...]) -> bool:
    """A browser's request comes from the server's own pages (the same host and port) or from a page the
    operator allowed; any other web page may not use it."""
    said = urlsplit(origin)
    return f"{said.scheme}://{said.netloc}".lower() in {o.rstrip("/").lower() for o in allowed} or \
        said.netloc.lower() == host_header.lower()
