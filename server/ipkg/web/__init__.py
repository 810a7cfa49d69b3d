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
from ..sparql.workers import HEAVY, WorkerPool
from ..store import EmbeddedStore, Store
from .asgi import WsgiOnLoop
from .limits import BoundedRequest

log = logging.getLogger(__name__)

FREE_THREADS = 2  # request threads of a server process that heavy queries never hold: for cheap queries and pages

CORS_HEADERS = [  # on /sparql and /api answers: any web page may query the data
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type, Accept"),
    ("Access-Control-Expose-Headers", "X-Result-Truncated"),
]


def create_app(settings: Settings | None = None, *, store: Store | None = None, workers: bool = True) -> Flask:
    """An app over `store` (default: the remote store of `settings`, else its embedded store), untrusted
    queries in worker processes; `create_served_app` is what the HTTP server calls in each of its processes."""
    settings = settings or Settings.from_env()
    if store is None and settings.remote_store:
        from ..remote import RemoteStore

        store = RemoteStore(settings.remote_store, timeout=settings.query_timeout)
    store = store or EmbeddedStore(settings.store_path, settings.memory_quads)
    pool = None
    if workers and isinstance(store, EmbeddedStore):
        pool = WorkerPool(settings.store_path, settings.workers, settings.memory_quads, light=settings.light_workers)
        # heavy queries may wait for a worker only while FREE_THREADS request threads stay free of them
        pool.max_waiting = max(0, settings.threads - pool.lanes[HEAVY] - FREE_THREADS)
    app = Flask(__name__)
    app.request_class = BoundedRequest
    app.json.ensure_ascii = False  # labels are Japanese and Chinese
    # the same bounds web.asgi applies before the app, for any other WSGI server (and the tests' client):
    # Flask refuses a longer body with 413 before reading it, and the form parser counts fields
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes, MAX_FORM_PARTS=settings.max_form_fields)
    app.extensions["ipkg"] = {"settings": settings, "store": store, "sparql": SparqlService(settings, store, pool), "pool": pool}

    from . import api, docs, eligibility_page, resources, sparql

    app.register_blueprint(sparql.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(resources.bp)
    app.register_blueprint(eligibility_page.bp)
    app.register_blueprint(docs.bp)  # /def/ pages; static rules win over resources' /def/<term>

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"  # every answer is read as the type it declares
        if request.path.startswith(("/sparql", "/api")):
            response.headers.extend(CORS_HEADERS)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        return Response(f"{exc.code} {exc.name}: {exc.description}\n", status=exc.code, mimetype="text/plain")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:  # a bug of ours; say so plainly, log the trace
        log.exception("unhandled error on %s", request.path)
        return Response("500 Internal Server Error: an unexpected error; it has been logged\n", status=500, mimetype="text/plain")

    return app


def create_served_app() -> WsgiOnLoop:
    """The app as `ipkg serve` runs it in each server process, behind its ASGI face (`web.asgi`: bodies read on
    the event loop within IPKG_BODY_TIMEOUT and IPKG_MAX_BODY_BYTES): built, then everything that exists at that
    point (the imported modules, the app and its services) moved out of the garbage collector's sight
    with `gc.freeze`. They live as long as the process, and a full collection would
    otherwise walk them all: in process, the slowest of 18,000 lookups went from about 40 ms to about
    10 ms (the median is unchanged). Tests build many apps in one process, so they use `create_app`."""
    app = create_app()
    settings = app.extensions["ipkg"]["settings"]
    served = WsgiOnLoop(app, settings.threads, settings.max_body_bytes, settings.body_timeout)
    gc.collect()
    gc.freeze()
    _stop_with_supervisor()
    return served


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
