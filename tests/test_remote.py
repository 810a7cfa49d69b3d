"""The remote store: a real Oxigraph server loaded with `ipkg load`, answering like the embedded store.

One Oxigraph server per session (started with the union default graph, as docs/remote-store.md
says), loaded from the session's build; the protocol checks run against an app on each backend.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import DEADLINE, drain, start_serve, stop_process, wait_for_line, wait_until_accepting
from ipkg import catalog, cli
from ipkg.config import Settings
from ipkg.errors import IpkgError
from ipkg.load import Quad, batches, insert_data
from ipkg.remote import GRAPH_NAMES_QUERY, RemoteStore
from ipkg.sparql.service import SparqlService
from ipkg.web.errors import status_of
from test_protocol import PLACES, _Listener

JILIN = "https://w3id.org/ipkg/id/place/cn-jilin"
SERVER_TIMEOUT_S = 3  # Oxigraph's own limit: a runaway query is cancelled there too, not only abandoned
REMOTE_DEADLINE = 1.0  # the deadline test's own app only: a cross product over Oxigraph is stopped there
REMOTE_WAIT = DEADLINE * 3  # every other remote query's HTTP timeout: a hang guard, as a slow machine needs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.skip("the oxigraph server (pip package oxigraph, in the test extra) is not installed")
    return found


@pytest.fixture(scope="session")
def oxigraph(built: Settings, tmp_path_factory) -> str:
    """A real Oxigraph server on a free loopback port, loaded with the build by `ipkg load`; its base URL."""
    url = f"http://127.0.0.1:{_free_port()}"
    process = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")), "--bind", url[len("http://"):],
         "--union-default-graph", "--timeout-s", str(SERVER_TIMEOUT_S)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:  # Oxigraph says this line as it starts: read its output until then, then until its port takes a connection; no clock
        said = wait_for_line(process, "Listening for requests at", "oxigraph serve")
        wait_until_accepting(int(url.rsplit(":", 1)[1]), process, "oxigraph serve")
        drain(process, tmp_path_factory.mktemp("oxigraph-log") / "oxigraph.log", said)
        status = cli.main(["load", "--endpoint", url + "/query", "--update-endpoint", url + "/update",
                           "--file", str(built.dist_path / "ipkg.nq"), "--batch-size", "2000"])
        assert status == 0, "ipkg load failed"
        yield url
    finally:
        stop_process(process, timeout=5)


@pytest.fixture(scope="session")
def remote_store(oxigraph: str) -> RemoteStore:
    return RemoteStore(oxigraph + "/query", timeout=REMOTE_WAIT)


@pytest.fixture(scope="session")
def remote_app(built: Settings, remote_store: RemoteStore):
    """The same app as conftest's `app` (row cap 500), over the Oxigraph server: no worker pool."""
    from ipkg.web import create_app

    application = create_app(dataclasses.replace(built, query_timeout=REMOTE_WAIT, max_rows=500), store=remote_store)
    assert application.extensions["ipkg"].pool is None
    return application


@pytest.fixture(params=["embedded", "remote"])
def any_client(request):
    """A test client of the embedded app or of the remote app: the checks below must hold on both."""
    return request.getfixturevalue("app" if request.param == "embedded" else "remote_app").test_client()


@pytest.fixture()
def both(app, remote_app):
    return app.test_client(), remote_app.test_client()


def _bindings(response) -> list[dict]:
    assert response.status_code == 200, response.data
    return json.loads(response.data)["results"]["bindings"]


# ---- the same answers on both backends -------------------------------------------------------------

def test_jilin_labels_are_the_same_on_both_backends(both):
    q = f"SELECT ?label WHERE {{ <{JILIN}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} ORDER BY ?label"
    embedded, remote = (_bindings(c.get("/sparql", query_string={"query": q})) for c in both)
    assert embedded == remote
    assert {"吉林省", "Jilin"} <= {b["label"]["value"] for b in remote}


def test_construct_gives_isomorphic_graphs(both):
    q = f"CONSTRUCT {{ <{JILIN}> ?p ?o }} WHERE {{ <{JILIN}> ?p ?o }}"
    graphs = [Graph().parse(data=c.get("/sparql", query_string={"query": q}, headers={"Accept": "text/turtle"}).data,
                            format="turtle") for c in both]
    assert len(graphs[1]) > 3
    assert isomorphic(*graphs)


def test_graph_names_and_counts_are_the_same(both, kg, remote_store):
    assert remote_store.graph_names() == kg.store.graph_names()
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    embedded, remote = (_bindings(c.get("/sparql", query_string={"query": q})) for c in both)
    assert embedded == remote and len(remote) == len(remote_store.graph_names())
    union = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # the union default graph: configured on the server
    totals = [_bindings(c.get("/sparql", query_string={"query": union}))[0]["n"]["value"] for c in both]
    assert totals[0] == totals[1] and int(totals[1]) > 0


def test_catalogue_query_with_bindings_answers_the_same(kg, remote_store):
    query = kg.queries["cnipa-annual-fee-for-year"]
    values = {"right": "https://w3id.org/ipkg/id/concept/ip-right/invention-patent", "year": "7"}
    embedded = catalog.run(kg.store, query, values)
    remote = catalog.run(remote_store, query, values)
    assert remote.rows and remote.rows == embedded.rows
    assert str(remote.rows[0][remote.variables.index("year")]) == "7"


@pytest.mark.parametrize("ask, expected", [(f"ASK {{ <{JILIN}> ?p ?o }}", True), ("ASK { <urn:ipkg:nothing> ?p ?o }", False)])
def test_ask(any_client, ask, expected):
    r = any_client.get("/sparql", query_string={"query": ask})
    assert json.loads(r.data) == {"head": {}, "boolean": expected}


def test_default_graph_uri_restricts_the_dataset(any_client):
    q = "PREFIX ipkg: <https://w3id.org/ipkg/def/> SELECT (COUNT(*) AS ?n) WHERE { ?p a ipkg:Place }"
    none = any_client.get("/sparql", query_string={"query": q, "default-graph-uri": "https://w3id.org/ipkg/graph/ontology"})
    some = any_client.get("/sparql", query_string={"query": q, "default-graph-uri": "https://w3id.org/ipkg/graph/reference"})
    assert _bindings(none)[0]["n"]["value"] == "0"
    assert int(_bindings(some)[0]["n"]["value"]) > 5


def test_row_cap_is_announced_in_a_header(any_client):
    r = any_client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.headers["X-Result-Truncated"] == "max-rows=500"
    assert len(_bindings(r)) == 500


def test_row_cap_on_construct(remote_app):
    r = remote_app.test_client().get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                                     headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["X-Result-Truncated"] == "max-rows=500"
    assert len(Graph().parse(data=r.data, format="nt")) == 500


def test_engine_error_is_400_with_the_engines_message(any_client):
    r = any_client.get("/sparql", query_string={"query": "SELECT (<http://example.org/f>(1) AS ?x) {}"})
    assert r.status_code == 400
    assert b"could not be evaluated" in r.data and b"http://example.org/f" in r.data


# ---- failure paths of the remote path --------------------------------------------------------------

def test_remote_deadline_gives_503_and_the_app_keeps_answering(built, oxigraph, remote_app):
    """A test of the deadline feature: a 1 s deadline, and a query no machine answers in 1 s (a cross product);
    then the Oxigraph server behind it still answers (asked with the session's hang-guard deadline)."""
    from ipkg.web import create_app

    store = RemoteStore(oxigraph + "/query", timeout=REMOTE_DEADLINE)
    client = create_app(dataclasses.replace(built, query_timeout=REMOTE_DEADLINE, max_rows=500), store=store).test_client()
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = client.get("/sparql", query_string={"query": cross})
    assert r.status_code == 503 and b"time limit" in r.data and int(r.headers["Retry-After"]) >= REMOTE_DEADLINE
    for _ in range(3):
        assert remote_app.test_client().get("/sparql", query_string={"query": PLACES}).status_code == 200


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
    "LOAD <http://127.0.0.1:{port}/data.ttl>",
])
def test_remote_app_never_lets_a_query_connect_anywhere(remote_app, template):
    listener = _Listener()
    try:
        r = remote_app.test_client().get("/sparql", query_string={"query": template.format(port=listener.port)})
        time.sleep(0.3)
        assert 400 <= r.status_code < 500
        assert listener.connections == 0
    finally:
        listener.close()


class _Stub(http.server.BaseHTTPRequestHandler):
    """A misbehaving SPARQL server: answers the graph-names query, and anything else with `canned`."""

    canned: tuple[int, str, bytes] = (200, "text/plain", b"")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        status, media, payload = self.canned
        if urllib.parse.unquote_plus(body).endswith(GRAPH_NAMES_QUERY):
            status, media, payload = 200, "application/sparql-results+json", b'{"head":{"vars":["g"]},"results":{"bindings":[]}}'
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def stub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/query"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("canned, status, words", [
    ((500, "text/plain", b"evaluation blew up"), 400, b"evaluation blew up"),
    ((400, "text/plain", b"error at 1:3: bad"), 400, b"error at 1:3: bad"),
    ((503, "text/plain", b"overloaded"), 503, b"overloaded"),
    ((200, "application/sparql-results+json", b'{"head":{"vars":["n"]},"results":{"bindings":[The SPARQL operation has been cancelled'),
     503, b"time limit"),
    ((200, "application/sparql-results+json", b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":'), 400, b"malformed"),
    ((200, "image/png", b"\x89PNG"), 400, b"image/png"),
])
def test_remote_failures_map_to_clear_4xx_or_503(built, stub, canned, status, words, monkeypatch):
    monkeypatch.setattr(_Stub, "canned", canned)
    service = SparqlService(built, RemoteStore(stub, timeout=REMOTE_WAIT))
    with pytest.raises(IpkgError) as refused:
        service.execute("SELECT * WHERE { ?s ?p ?o }")
    assert status_of(refused.value)[0] == status
    assert words.decode() in str(refused.value)


def test_a_remote_term_that_cannot_be_written_is_a_400_naming_it(built, stub, monkeypatch):
    """A remote store may hold what the embedded one refuses (an IRI with a space): say so, never a 500."""
    answer = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://example.org/a b"}}]}}'
    monkeypatch.setattr(_Stub, "canned", (200, "application/sparql-results+json", answer))
    service = SparqlService(built, RemoteStore(stub, timeout=REMOTE_WAIT))
    checked = service.check("SELECT ?s WHERE { ?s ?p ?o }")
    with pytest.raises(IpkgError) as refused:
        service.execute_serialized(checked, "application/sparql-results+json")
    assert status_of(refused.value)[0] == 400 and "IRI" in str(refused.value)


def test_unreachable_remote_is_503_not_500(built, stub):
    service = SparqlService(built, RemoteStore(stub, timeout=REMOTE_WAIT))
    service.store = RemoteStore(f"http://127.0.0.1:{_free_port()}/query", timeout=REMOTE_WAIT)
    with pytest.raises(IpkgError) as refused:
        service.execute("ASK {}")
    assert status_of(refused.value)[0] == 503 and "cannot reach" in str(refused.value)


# ---- the loader -------------------------------------------------------------------------------------

def test_batches_never_split_a_blank_node_structure():
    quads = [Quad("urn:g1", f"<urn:s{i}> <urn:p> <urn:o>") for i in range(5)]
    quads[2:2] = [Quad("urn:g1", "<urn:x> <urn:list> _:a", ("_:a",)), Quad("urn:g1", "_:a <urn:first> _:b", ("_:a", "_:b")),
                  Quad("urn:g2", "_:b <urn:rest> <urn:nil>", ("_:b",))]
    out = list(batches(quads, 3))
    together = [b for b in out if any(q.bnodes for q in b)]
    assert len(together) == 1 and sum(1 for q in together[0] if q.bnodes) == 3
    assert sum(len(b) for b in out) == len(quads)
    text = insert_data(together[0])
    assert "GRAPH <urn:g1>" in text and "GRAPH <urn:g2>" in text


def test_load_again_replaces_rather_than_duplicates(oxigraph, built, remote_store, kg):
    before = remote_store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    assert cli.main(["load", "--endpoint", oxigraph + "/query", "--graph-store", oxigraph + "/store",
                     "--file", str(built.dist_path / "ipkg.nq")]) == 0
    assert remote_store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows == before
    embedded = kg.store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    assert [int(r[0]) for r in before] == [int(r[0]) for r in embedded]


def test_load_into_nothing_fails_cleanly(built, capsys):
    port = _free_port()
    status = cli.main(["load", "--endpoint", f"http://127.0.0.1:{port}/query",
                       "--update-endpoint", f"http://127.0.0.1:{port}/update", "--file", str(built.dist_path / "ipkg.nq")])
    assert status == 1 and "cannot reach" in capsys.readouterr().err



def test_ipkg_serve_store_serves_the_remote_store_from_every_server_process(oxigraph, built, tmp_path):
    """`ipkg serve --store` hands the URL to each granian process; the embedded store is not even present."""
    port = _free_port()
    env = {**os.environ, "IPKG_ROOT": str(built.root), "IPKG_STORE": str(tmp_path / "no-store"),
           "IPKG_DIST": str(built.dist_path)}
    process, _ = start_serve([sys.executable, "-m", "ipkg.cli", "serve", "--store", oxigraph + "/query",
                              "--port", str(port), "--processes", "2"], env, tmp_path / "serve.log")
    count = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query={count}&format=csv") as r:
            answers = {r.read()}
        for _ in range(20):  # new connections, spread over both processes
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query={count}&format=csv") as r:
                answers.add(r.read())
        with (built.dist_path / "ipkg.nq").open(encoding="utf-8") as dump:  # every quad of the build, from each process
            quads = sum(1 for line in dump if line.strip())
        assert answers == {f"n\r\n{quads}\r\n".encode()}
    finally:
        stop_process(process)
