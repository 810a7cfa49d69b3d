"""Build the whole graph once per test session and hand tests a small query helper (`kg`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ipkg import catalog
from ipkg.build import build
from ipkg.config import Settings
from ipkg.namespaces import sparql_prologue
from ipkg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 10.0  # the query deadline of the test app and server: no test asserts how fast anything is


def python_value(term):
    """IRIs as str; xsd integers as int, decimals as Decimal, doubles as float, dates as date; other literals as str."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger, XSD.positiveInteger):
            return int(term)
        if term.datatype == XSD.decimal:
            return Decimal(str(term))
        if term.datatype in (XSD.double, XSD.float):
            return float(term)
        if term.datatype == XSD.date:
            return dt.date.fromisoformat(str(term))
        if term.datatype == XSD.boolean:
            return str(term) == "true"
        return str(term)
    return str(term)


class KG:
    """Query helper over the built store: rows(), ask(), catalog()."""

    def __init__(self, store: EmbeddedStore, settings: Settings):
        self.store = store
        self.settings = settings
        self.queries = catalog.load(settings.root / "queries")

    def _run(self, sparql: str):
        return self.store.query(sparql_prologue(self.store.ids) + sparql)

    def rows(self, sparql: str) -> list[dict]:
        result = self._run(sparql)
        return [
            {v: python_value(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows
        ]

    def ask(self, sparql: str) -> bool:
        return bool(self._run(sparql).boolean)

    def catalog(self, name: str, **params) -> list[dict]:
        result = catalog.run(self.store, self.queries[name], {k: str(v) for k, v in params.items()})
        return [
            {v: python_value(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows
        ]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Settings:
    """The real build of the whole repository into a temporary folder (once per session)."""
    var = tmp_path_factory.mktemp("var")
    settings = Settings.from_env(None if os.environ.get("IPKG_ROOT") else ROOT)
    settings = dataclasses.replace(settings, store_path=var / "store", dist_path=var / "dist")
    build(settings)
    return settings


REBASED = "http://localhost:8000/"


@pytest.fixture(scope="session")
def rebased(built: Settings, tmp_path_factory) -> Settings:
    """The same repository built under another base IRI (IPKG_BASE=http://localhost:8000/), once per
    session: every query and page must find the things under the deployment's own namespace."""
    var = tmp_path_factory.mktemp("rebased")
    settings = dataclasses.replace(built, base=REBASED, store_path=var / "store", dist_path=var / "dist")
    build(settings)
    return settings


@pytest.fixture(scope="session")
def kg(built: Settings) -> KG:
    return KG(EmbeddedStore(built.store_path), built)


@pytest.fixture(scope="session")
def app(built: Settings):
    """The Flask app over the built store, with a short deadline so the slow-query tests stay fast."""
    from ipkg.web import create_app

    # 10 s: room for any ordinary query on a busy 2-core machine, while the query bombs still meet the deadline
    settings = dataclasses.replace(built, query_timeout=DEADLINE, max_rows=500)
    application = create_app(settings)
    yield application
    application.extensions["ipkg"].close()


@pytest.fixture()
def client(app):
    return app.test_client()


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Ask a server started by a test to stop; kill it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_line(proc: subprocess.Popen, marker: str, what: str) -> list[str]:
    """Read a child's output (one text pipe, stderr merged in) line by line until a line holding `marker`;
    the lines read. If the child exits first, the test fails with everything it said. No clock: a slow machine
    only makes this wait longer (pytest-timeout is the suite's hang guard)."""
    assert proc.stdout is not None
    said: list[str] = []
    for line in proc.stdout:
        said.append(line)
        if marker in line:
            return said
    proc.wait()
    pytest.fail(f"{what} exited with {proc.returncode} before saying {marker!r}:\n{''.join(said)[-3000:]}")


def drain(proc: subprocess.Popen, log_path: Path, said: list[str]) -> None:
    """Copy the rest of a child's output to `log_path` on a daemon thread, so that its pipe never fills."""
    import threading

    def copy() -> None:
        with open(log_path, "a", encoding="utf-8") as log:
            log.writelines(said)
            for line in proc.stdout:  # type: ignore[union-attr]
                log.write(line)
                log.flush()

    threading.Thread(target=copy, name=f"drain-{proc.pid}", daemon=True).start()


def wait_until_accepting(port: int, proc: subprocess.Popen, what: str) -> None:
    """Connect to 127.0.0.1:port until the connection is taken; fail if the process exits first. No clock: a
    server says it is ready before it listens (granian binds each worker's own SO_REUSEPORT socket on Linux
    after the app is built), so a refused connection here only means "not yet"."""
    while True:
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return
        except ConnectionRefusedError:
            if proc.poll() is not None:
                pytest.fail(f"{what} exited with {proc.returncode} before it listened on port {port}")
            time.sleep(0.05)


def start_serve(command: list[str], env: dict[str, str], log_path: Path | None = None, **popen) -> tuple[subprocess.Popen, list[str]]:
    """Start `ipkg serve` (`command`, with its `--port`) and return once one of its server processes has
    printed `ipkg: ready` (web.READY_LINE: its app is built) and the port takes connections, so a request
    is answered. With `log_path`, the rest of its output goes there; without, the caller reads `proc.stdout` itself."""
    from ipkg.web import READY_LINE

    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            encoding="utf-8", errors="replace", **popen)
    try:
        said = wait_for_line(proc, READY_LINE, "ipkg serve")
        wait_until_accepting(int(command[command.index("--port") + 1]), proc, "ipkg serve")
    except BaseException:
        stop_process(proc)
        raise
    if log_path is not None:
        drain(proc, log_path, said)
    return proc, said


@pytest.fixture(scope="session")
def live_server(built: Settings, tmp_path_factory):
    """`ipkg serve` (granian, worker processes) in a child process on a free loopback port; yields its base URL
    once a server process says it is ready (`start_serve`: no polling, no deadline).

    The query deadline is DEADLINE (10 s) and there are 4 query workers, as the concurrency and browser tests expect.
    """
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {**os.environ, "IPKG_ROOT": str(built.root), "IPKG_STORE": str(built.store_path), "IPKG_DIST": str(built.dist_path),
           "IPKG_QUERY_TIMEOUT": str(DEADLINE), "IPKG_WORKERS": "4"}
    proc, _ = start_serve([sys.executable, "-m", "ipkg.cli", "serve", "--port", str(port), "--threads", "16"], env, log_path)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(proc)


# ---- the browser tests: one headless Chromium per session, a fresh page per call --------------------

CHROMIUM = Path("/usr/bin/chromium")  # Debian's, never a downloaded browser
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots (git-ignored), for a human to look at
# As root on a closed network: no sandbox, and no background traffic to Google's hosts.
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
WIDE, PHONE = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}  # the sizes screenshots are taken at
HEIGHTS = {1280: 900, WIDE["width"]: WIDE["height"], PHONE["width"]: PHONE["height"]}  # a width's default height
LOCALES = {"ja": "ja-JP", "en": "en-US"}  # a page language's browser locale (Accept-Language)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session (launching it is the slow part); every test gets its own context.
    Tests that ask for it skip, saying why, when Chromium or Playwright is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture()
def new_page(browser):
    """A factory of fresh pages: `new_page(width, lang)`, each in a context of its own (empty storage), closed
    when the test ends.

    `lang` is a page language (ja, en: the browser's locale ja-JP, en-US), a locale as it is (en-GB), or None
    for the browser's default; `height` defaults to HEIGHTS[width]; `javascript=False` is the no-script path.
    Every request that would leave this machine is recorded in `page.outside_requests` and blocked, and the
    page's uncaught script errors are collected in `page.js_errors`, for the test to assert on."""
    contexts = []

    def open_page(width: int = 1280, lang: str | None = None, *, height: int | None = None, javascript: bool = True):
        options = {"viewport": {"width": width, "height": height or HEIGHTS[width]}, "java_script_enabled": javascript}
        if lang is not None:
            options["locale"] = LOCALES.get(lang, lang)
        context = browser.new_context(**options)
        contexts.append(context)
        outside: list[str] = []

        def guard(route) -> None:
            url = urllib.parse.urlsplit(route.request.url)
            if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in LOCAL_HOSTS:
                outside.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        context.route("**/*", guard)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.outside_requests = outside
        page.js_errors = errors
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture()
def page(new_page):
    """A fresh page at 1280×900 in the browser's default locale (new_page's defaults)."""
    return new_page()


@pytest.fixture(scope="session")
def server(live_server: str) -> str:
    """The session's `ipkg serve`, as the browser tests call it."""
    return live_server


def shot(page, name: str) -> None:
    """A screenshot of the viewport, tests/artifacts/{name}.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def shacl_report(turtle: str):
    """pySHACL's (conforms, report graph) for a broken fixture in Turtle, with the CNIPA fees and the schemes
    beside it as the data it points at, against the repository's shapes, ontology and reference data."""
    from pyshacl import validate
    from rdflib import Graph

    shapes = Graph()
    for pattern in ("shapes/*.ttl", "ontology/*.ttl", "ontology/schemes/*.ttl", "data/reference/*.ttl"):
        for path in sorted(ROOT.glob(pattern)):
            shapes.parse(path)
    data = Graph().parse(data=turtle, format="turtle")
    data += Graph().parse(ROOT / "data" / "cnipa-fee-guide-2025" / "fees.ttl")
    for path in sorted(ROOT.glob("ontology/schemes/*.ttl")):
        data.parse(path)
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return conforms, report
