"""The Flask app factory: build what every request needs once, then register one blueprint per surface."""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
import time

from flask import Flask, Response, request
from flask.json.provider import DefaultJSONProvider

from ..config import Settings
from ..services import Services
from ..store import Store
from ..terms import label_or_slug
from .asgi import WsgiOnLoop
from .limits import BoundedRequest

log = logging.getLogger(__name__)

# The line each `ipkg serve` process prints on stdout once its app is built, just before granian listens with
# it: a supervisor or a test reads the output until it (then connects until the port takes the connection)
# instead of polling with a deadline.
READY_LINE = "ipkg: ready"

CORS_HEADERS = [  # on /sparql and /api answers: any web page may query the data
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type, Accept"),
    ("Access-Control-Expose-Headers", "X-Result-Truncated, X-Dataset-Version, X-Query-Lane, Retry-After, Link"),
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
    """An app over `store` (default: the store `settings` name), untrusted queries in worker processes;
    `create_served_app` is what the HTTP server calls in each of its processes."""
    return assemble(Services.open(settings or Settings.from_env(), store=store, workers=workers))


def assemble(services: Services) -> Flask:
    """The app over `services`: one blueprint per surface, each handed the services, and one error map."""
    app = Flask(__name__)
    app.request_class = BoundedRequest
    app.json = json = DefaultJSONProvider(app)  # Flask's own provider, typed as the class that has ensure_ascii
    json.ensure_ascii = False  # labels are Japanese and Chinese
    # the same bounds web.asgi applies before the app, for any other WSGI server (and the tests' client):
    # Flask refuses a longer body with 413 before reading it, and the form parser counts fields
    app.config.update(MAX_CONTENT_LENGTH=services.settings.max_body_bytes, MAX_FORM_PARTS=services.settings.max_form_fields)
    app.add_template_filter(label_or_slug, "label")  # every page names a resource as the API does (terms.pick_label)
    app.extensions["ipkg"] = services  # for whoever holds the app (tests, the W3C protocol runner) to close it
    version = services.version  # the release this process serves, named on every answer

    from . import api, calendar, changes, compare, docs, eligibility_page, errors, queries_page, releases, resources, search, sparql, timeline

    surfaces = (sparql, api, calendar, changes, timeline, releases, resources, eligibility_page, compare, queries_page, search, docs)  # docs last: /def/ beside /def/<term>
    for surface in surfaces:
        app.register_blueprint(surface.create_blueprint(services))
    errors.register(app, services)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"  # every answer is read as the type it declares
        response.headers["X-Dataset-Version"] = version
        cors = next((h for prefix, h in CORS if request.path.startswith(prefix)), None)
        if cors:
            response.headers.extend(cors)
        return response

    return app


def create_served_app() -> WsgiOnLoop:
    """The app as `ipkg serve` runs it in each server process, behind its ASGI face (`web.asgi`: bodies read on
    the event loop within IPKG_BODY_TIMEOUT and IPKG_MAX_BODY_BYTES): built, then everything that exists at that
    point (the imported modules, the app and its services) moved out of the garbage collector's sight
    with `gc.freeze`. They live as long as the process, and a full collection would
    otherwise walk them all: in process, the slowest of 18,000 lookups went from about 40 ms to about
    10 ms (the median is unchanged). Tests build many apps in one process, so they use `create_app`."""
    app = create_app()
    settings = app.extensions["ipkg"].settings
    served = WsgiOnLoop(app, settings.threads, settings.max_body_bytes, settings.body_timeout)
    gc.collect()
    gc.freeze()
    _stop_with_supervisor()
    print(f"{READY_LINE} (process {os.getpid()})", flush=True)  # what a supervisor or a test waits for
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
