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


@pytest.fixture(scope="session")
def live_server(built: Settings, tmp_path_factory):
    """`ipkg serve` (granian, worker processes) in a child process on a free loopback port; yields its base URL.

    The deadline is DEADLINE (10 s) and there are 4 query workers, as the concurrency and browser tests expect.
    """
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {**os.environ, "IPKG_ROOT": str(built.root), "IPKG_STORE": str(built.store_path), "IPKG_DIST": str(built.dist_path),
           "IPKG_QUERY_TIMEOUT": str(DEADLINE), "IPKG_WORKERS": "4"}
    with open(log_path, "w") as log:  # a file, not a pipe nobody drains
        proc = subprocess.Popen([sys.executable, "-m", "ipkg.cli", "serve", "--port", str(port), "--threads", "16"],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/sparql?query=" + urllib.parse.quote("ASK {}"), timeout=2).read()
                break
            except (urllib.error.URLError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"ipkg serve did not come up on {base}:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
        yield base
    finally:
        stop_process(proc)
