"""One map from errors to HTTP answers, registered once on the app.

Every handler raises instead of answering errors itself: the core's `IpkgError` kinds get their
status from `STATUSES` (the first kind in the error's class order), werkzeug's `HTTPException`s keep
theirs, anything else is a bug of ours (500, logged). The body is a JSON problem
(`{status, title, problems}`) under /api and one line of plain text elsewhere, so that SPARQL clients
and `curl` users read the same words.
"""

from __future__ import annotations

import logging
import math
from http import HTTPStatus

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from ..errors import (
    Busy,
    InvalidRequest,
    IpkgError,
    NotAcceptable,
    NotFound,
    NotPermitted,
    TimedOut,
    TooLarge,
    Unavailable,
    UnsupportedMediaType,
)
from ..services import Services

log = logging.getLogger(__name__)

# kind -> (status, seconds for Retry-After or None); a stopped query may be retried after one deadline
STATUSES: dict[type[IpkgError], tuple[int, int | None]] = {
    InvalidRequest: (400, None),
    NotPermitted: (403, None),
    NotFound: (404, None),
    NotAcceptable: (406, None),
    TooLarge: (413, None),
    UnsupportedMediaType: (415, None),
    Busy: (503, 1),  # a busy lane frees a worker as soon as one query ends
    TimedOut: (503, None),  # a server-side stop, as SPARQL clients and proxies read it; not "your query is wrong"
    Unavailable: (503, 1),
}


def status_of(exc: IpkgError) -> tuple[int, int | None]:
    for kind in type(exc).__mro__:
        if kind in STATUSES:
            return STATUSES[kind]
    return 400, None  # an IpkgError of no listed kind is the request's fault


def problem(status: int, problems: list[str], retry_after: int | None = None, version: str | None = None) -> Response:
    """The answer for an error: a JSON problem under /api (naming the release), plain text elsewhere."""
    title = HTTPStatus(status).phrase
    if request.path.startswith("/api/"):
        response = jsonify({"status": status, "title": title, "problems": problems, "datasetVersion": version})
        response.status_code = status
    else:
        response = Response(f"{status} {title}: {'; '.join(problems)}\n", status=status, mimetype="text/plain")
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def register(app: Flask, services: Services) -> None:
    """Install the map on `app`: one handler per family of errors (a browser's 404 is a page to go on from)."""
    from . import resources


    @app.errorhandler(IpkgError)
    def ipkg_error(exc: IpkgError) -> Response:
        status, retry_after = status_of(exc)
        if isinstance(exc, TimedOut):
            retry_after = math.ceil(services.settings.query_timeout)
        if status == 404 and resources.wants_html():
            return resources.not_found(services)
        return problem(status, list(getattr(exc, "problems", None) or [str(exc)]), retry_after, services.version)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        if exc.code == 404 and resources.wants_html():  # a person in a browser: a page to go on from
            return resources.not_found(services)
        response = problem(exc.code or 500, [exc.description or exc.name], version=services.version)
        if exc.code == 405 and (allowed := exc.get_headers()):  # keep werkzeug's Allow header
            response.headers.extend([h for h in allowed if h[0] == "Allow"])
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:  # a bug of ours; say so plainly, log the trace
        log.exception("unhandled error on %s", request.path)
        return problem(500, ["an unexpected error; it has been logged"], version=services.version)
