"""The Flask app factory: build what every request needs once, then register one blueprint per surface."""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
import time

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from ..config import Settings
from ..sparql.service import SparqlService
from ..sparql.workers import WorkerPool
from ..store import EmbeddedStore, Store

log = logging.getLogger(__name__)

CORS_HEADERS = [  # on /sparql and /api answers: any web page may query the data
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type, Accept"),
    ("Access-Control-Expose-Headers", "X-Result-Truncated, Link"),
]
READ_CORS_HEADERS = [  # on the linked data (IRIs, dumps, VoID): any web page may dereference them
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept"),
    ("Access-Control-Expose-Headers", "Content-Location, Link, Location"),
]
CORS = (("/sparql", CORS_HEADERS), ("/api", CORS_HEADERS), ("/id/", READ_CORS_HEADERS), ("/def/", READ_CORS_HEADERS),
        ("/download", READ_CORS_HEADERS), ("/.well-known/void", READ_CORS_HEADERS))


def create_app(settings: Settings | None = None, *, store: Store | None = None, workers: bool = True) -> Flask:
    """An app over `store` (default: the remote store of `settings`, else its embedded store), untrusted
    queries in worker processes; `create_served_app` is what the HTTP server calls in each of its processes."""
    settings = settings or Settings.from_env()
    if store is None and settings.remote_store:
        from ..remote import RemoteStore

        store = RemoteStore(settings.remote_store, timeout=settings.query_timeout)
    store = store or EmbeddedStore(settings.store_path, settings.memory_quads)
    pool = WorkerPool(settings.store_path, settings.workers, settings.memory_quads) if workers and isinstance(store, EmbeddedStore) else None
    app = Flask(__name__)
    app.json.ensure_ascii = False  # labels are Japanese and Chinese
    app.extensions["ipkg"] = {"settings": settings, "store": store, "sparql": SparqlService(settings, store, pool), "pool": pool}

    from . import api, docs, eligibility_page, resources, sparql

    app.register_blueprint(sparql.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(resources.bp)
    app.register_blueprint(eligibility_page.bp)
    app.register_blueprint(docs.bp)  # /def/ pages; static rules win over resources' /def/<term>

    @app.after_request
    def cors(response: Response) -> Response:
        headers = next((h for prefix, h in CORS if request.path.startswith(prefix)), None)
        if headers:
            response.headers.extend(headers)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        if exc.code == 404 and resources.wants_html():  # a person in a browser: a page to go on from
            return resources.not_found(exc)
        return Response(f"{exc.code} {exc.name}: {exc.description}\n", status=exc.code, mimetype="text/plain")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:  # a bug of ours; say so plainly, log the trace
        log.exception("unhandled error on %s", request.path)
        return Response("500 Internal Server Error: an unexpected error; it has been logged\n", status=500, mimetype="text/plain")

    return app


def create_served_app() -> Flask:
    """The app as `ipkg serve` runs it in each server process: built, then everything that exists at that
    point (the imported modules, the app and its services) moved out of the garbage collector's sight
    with `gc.freeze`. They live as long as the process, and a full collection would
    otherwise walk them all: in process, the slowest of 18,000 lookups went from about 40 ms to about
    10 ms (the median is unchanged). Tests build many apps in one process, so they use `create_app`."""
    app = create_app()
    gc.collect()
    gc.freeze()
    _stop_with_supervisor()
    return app


def _stop_with_supervisor() -> None:
    """Stop this server process when the `ipkg serve` process that started it is gone.

    granian's supervising process stops its workers on SIGTERM or Ctrl-C, but a SIGKILL leaves it no
    chance: its workers went on answering on the port, unsupervised, with the data they had loaded
    (tests/test_hardening.py). Like gunicorn's workers, each process checks once a second that its
    parent is still the process it started under, and otherwise stops itself the way granian stops it."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        log.warning("the ipkg serve process %d is gone; this server process stops", parent)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="ipkg-supervisor-watch", daemon=True).start()
