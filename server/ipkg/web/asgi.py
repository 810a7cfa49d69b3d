"""The ASGI face that `ipkg serve` runs on granian: each request body is read on the event loop, within a
deadline and a size limit, and only a complete request is handed to the Flask (WSGI) app, in a pool of threads.

Why not granian's WSGI interface: there the app reads the body from its request thread, and every read blocks
that thread until the client sends more. granian bounds how long the request *head* may take
(`HTTP1Settings.header_read_timeout`) but not the body, so ten clients trickling a body a byte at a time held every
request thread of a server process, and a stalled body kept its thread and its connection for good. Read here, a
slow body costs a coroutine and never a thread: past `body_timeout` it is answered 408, and once this app has
returned granian drops the body and closes the connection. A body declared larger than `max_body_bytes` is
refused (413) before a byte of it is read; a chunked one as soon as it passes the limit.

The WSGI environ is built by a2wsgi (`build_environ`, PEP 3333 from an ASGI scope); the app then runs in one hop to
a thread with its body already in memory, and the response comes back in the same hop (or in batches, for the
dumps that are streamed from files).
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from wsgiref.types import WSGIApplication

from a2wsgi.wsgi import build_environ

if TYPE_CHECKING:
    from _typeshed import OptExcInfo

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

BATCH_BYTES = 256 * 2**10  # a streamed response is pulled from its iterator in batches of about this size


class _Refused(Exception):
    """A request refused before the app sees it: `status` and a message a person can act on."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _ClientGone(Exception):
    """The client disconnected before its body arrived."""


class WsgiOnLoop:
    """An ASGI app running a WSGI app: body first (bounded in time and size), then the app in a thread."""

    def __init__(self, app: WSGIApplication, threads: int, max_body_bytes: int, body_timeout: float):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout
        self.executor = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="ipkg-request")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # no websockets; lifespan is not asked for (granian's asginl interface)
            return
        try:
            body = await self._body(scope, receive)
        except _Refused as exc:
            await _refuse(send, exc.status, str(exc))
            return
        except _ClientGone:
            return
        try:
            environ: dict[str, Any] = dict(build_environ(scope, io.BytesIO(body)))  # type: ignore[arg-type]  # a file serves
        except UnicodeDecodeError:  # a2wsgi reads the query string as ASCII, as URIs are
            await _refuse(send, 400, "the request target has bytes that are not ASCII: percent-encode them")
            return
        environ["CONTENT_LENGTH"] = str(len(body))  # the body is whole now, however it was framed
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.errors"] = sys.stderr
        loop = asyncio.get_running_loop()
        status, headers, chunks, rest = await loop.run_in_executor(self.executor, self._call, environ)
        try:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            while True:
                for chunk in chunks:
                    if chunk:
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                if rest is None:
                    break
                chunks, rest = await loop.run_in_executor(self.executor, _batch, rest)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            if rest is not None:  # the client went away mid-response: release the app's iterator (a file)
                await loop.run_in_executor(self.executor, _close, rest)

    async def _body(self, scope: Scope, receive: Receive) -> bytes:
        """The whole request body, or _Refused (400 malformed length, 413 too large, 408 too slow)."""
        declared, chunked = None, False
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                if not value.strip().isdigit():
                    raise _Refused(400, f"Content-Length {value.decode('latin-1')!r} is not a number of bytes")
                declared = int(value)
            elif name == b"transfer-encoding":
                chunked = True
        if declared is not None and declared > self.max_body_bytes:
            raise _Refused(413, f"the request body declares {declared} bytes; the limit is {self.max_body_bytes} "
                                "(IPKG_MAX_BODY_BYTES)")
        if declared == 0 or (declared is None and not chunked and scope.get("http_version", "1.1").startswith("1")):
            return b""  # HTTP/1 frames a body by one of the two headers: without either there is none
        parts: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.body_timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise _ClientGone
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_body_bytes:
                        raise _Refused(413, f"the request body is larger than {self.max_body_bytes} bytes "
                                            "(IPKG_MAX_BODY_BYTES)")
                    parts.append(chunk)
                    if not message.get("more_body", False):
                        return b"".join(parts)
        except TimeoutError:
            raise _Refused(408, f"the request body did not arrive within {self.body_timeout:g} s "
                                f"({size} bytes came; IPKG_BODY_TIMEOUT): send the whole body at once") from None

    def _call(self, environ: dict[str, Any]) -> tuple[int, Headers, list[bytes], Iterator[bytes] | None]:
        """Run the app in this (pool) thread: status, headers, the body's first chunks, and the rest if streamed."""
        started: list[Any] = []
        written: list[bytes] = []

        def start_response(status: str, headers: list[tuple[str, str]],
                           exc_info: OptExcInfo | None = None) -> Callable[[bytes], None]:
            started[:] = [status, headers]
            return written.append  # the legacy write() callable

        try:
            iterable = self.app(environ, start_response)
        except Exception:  # Flask answers its own errors; this is the last line, a bug of ours: logged, answered
            log.exception("unhandled error on %s", environ.get("PATH_INFO"))
            return 500, _head("text/plain"), [b"500 Internal Server Error: an unexpected error; it has been logged\n"], None
        if isinstance(iterable, (list, tuple)):  # Flask's ordinary responses: one hop answers all
            chunks, rest = written + list(iterable), None
        else:
            first, rest = _batch(iter(iterable), close_with=iterable)
            chunks = written + first
        status, headers = started
        encoded = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        return int(status.split(" ", 1)[0]), encoded, chunks, rest


class _Closing(Iterator[bytes]):
    """An app's response iterator that remembers what to close (the iterable, per PEP 3333) when done."""

    def __init__(self, iterator: Iterator[bytes], iterable: Iterable[bytes]):
        self.iterator, self.iterable = iterator, iterable

    def __next__(self) -> bytes:
        return next(self.iterator)

    def close(self) -> None:
        getattr(self.iterable, "close", lambda: None)()


def _batch(rest: Iterator[bytes], close_with: Iterable[bytes] | None = None) -> tuple[list[bytes], Iterator[bytes] | None]:
    """Up to BATCH_BYTES of a streamed body, and what remains (None when it is done, and then closed)."""
    if close_with is not None:
        rest = _Closing(rest, close_with)
    chunks: list[bytes] = []
    size = 0
    for chunk in rest:
        chunks.append(chunk)
        size += len(chunk)
        if size >= BATCH_BYTES:
            return chunks, rest
    _close(rest)
    return chunks, None


def _close(rest: Iterator[bytes]) -> None:
    getattr(rest, "close", lambda: None)()


def _head(media: str) -> Headers:
    return [(b"content-type", f"{media}; charset=utf-8".encode()), (b"x-content-type-options", b"nosniff")]


async def _refuse(send: Send, status: int, message: str) -> None:
    """Answer before the app: a plain-text reason, and the connection closed (its body is left unread)."""
    reason = {400: "Bad Request", 408: "Request Timeout", 413: "Content Too Large"}[status]
    body = f"{status} {reason}: {message}\n".encode()
    headers = [*_head("text/plain"), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
