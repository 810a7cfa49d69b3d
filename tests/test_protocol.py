"""SPARQL 1.1 Protocol behaviour of /sparql: methods, media types, conneg, service description, limits."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from ipkg.namespaces import SD

PLACES = "PREFIX ipkg: <https://w3id.org/ipkg/def/> SELECT ?p WHERE { ?p a ipkg:Place } ORDER BY ?p"
JILIN = "https://w3id.org/ipkg/id/place/cn-jilin"


def bindings(response) -> list[dict]:
    return json.loads(response.data)["results"]["bindings"]


def test_get_query_returns_sparql_json_by_default(client):
    r = client.get("/sparql", query_string={"query": PLACES})
    assert r.status_code == 200
    assert r.mimetype == "application/sparql-results+json"
    assert {"type": "uri", "value": JILIN} in [b["p"] for b in bindings(r)]


def test_post_form_and_post_sparql_query_give_the_same_answer(client):
    form = client.post("/sparql", data={"query": PLACES})
    direct = client.post("/sparql", data=PLACES, content_type="application/sparql-query")
    assert form.status_code == direct.status_code == 200
    assert bindings(form) == bindings(direct)


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/html;q=0.9, text/csv;q=0.95, */*;q=0.1", "text/csv"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_content_negotiation_honours_q_values(client, accept, expected):
    r = client.get("/sparql", query_string={"query": PLACES}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == expected


def test_csv_and_tsv_carry_the_same_rows(client):
    c = client.get("/sparql", query_string={"query": PLACES, "format": "csv"})
    t = client.get("/sparql", query_string={"query": PLACES, "format": "tsv"})
    csv_rows = list(csv.reader(io.StringIO(c.data.decode())))
    tsv_rows = t.data.decode().splitlines()
    assert csv_rows[0] == ["p"] and tsv_rows[0] == "?p"
    assert JILIN in [r[0] for r in csv_rows[1:]]
    assert f"<{JILIN}>" in tsv_rows[1:]
    assert len(csv_rows) == len(tsv_rows)


@pytest.mark.parametrize(
    "accept, fmt",
    [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
)
def test_construct_in_every_rdf_format(client, accept, fmt):
    q = f"CONSTRUCT {{ <{JILIN}> ?p ?o }} WHERE {{ <{JILIN}> ?p ?o }}"
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    g = Graph().parse(data=r.data, format=fmt)
    labels = {str(o) for o in g.objects(predicate=__import__("rdflib").RDFS.label)}
    assert {"吉林省", "Jilin"} <= labels


def test_format_parameter_overrides_accept(client):
    r = client.get("/sparql", query_string={"query": PLACES, "format": "xml"}, headers={"Accept": "text/csv"})
    assert r.mimetype == "application/sparql-results+xml"


def test_unsatisfiable_accept_is_406(client):
    r = client.get("/sparql", query_string={"query": PLACES}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert b"application/sparql-results+json" in r.data


def test_ask(client):
    r = client.get("/sparql", query_string={"query": f"ASK {{ <{JILIN}> ?p ?o }}"})
    assert json.loads(r.data) == {"head": {}, "boolean": True}


def test_service_description_for_rdf_clients(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = Graph().parse(data=r.data, format="turtle")
    service = g.value(predicate=RDF.type, object=SD.Service)
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    names = {str(n) for n in g.objects(predicate=SD.name)}
    assert "https://w3id.org/ipkg/graph/cnipa-fee-guide-2025" in names
    assert "https://w3id.org/ipkg/graph/inferred" in names


def test_query_page_for_browsers(client):
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert b"<form" in r.data


def test_named_graph_restriction_with_default_graph_uri(client):
    q = "PREFIX ipkg: <https://w3id.org/ipkg/def/> SELECT (COUNT(*) AS ?n) WHERE { ?p a ipkg:Place }"
    r = client.get("/sparql", query_string={"query": q, "default-graph-uri": "https://w3id.org/ipkg/graph/ontology"})
    assert bindings(r)[0]["n"]["value"] == "0"
    r = client.get("/sparql", query_string={"query": q, "default-graph-uri": "https://w3id.org/ipkg/graph/reference"})
    assert int(bindings(r)[0]["n"]["value"]) > 40


def test_cors_headers(client):
    r = client.get("/sparql", query_string={"query": PLACES}, headers={"Origin": "https://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    pre = client.open("/sparql", method="OPTIONS", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204 and "POST" in pre.headers["Access-Control-Allow-Methods"]


# ---- failure paths ------------------------------------------------------------------------------

def test_malformed_query_is_400_with_position(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert b"line 1, column" in r.data


@pytest.mark.parametrize("payload", [
    {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"data": "DROP ALL", "content_type": "application/sparql-update"},
    {"data": {"query": "LOAD <http://127.0.0.1:9/data.ttl>"}},
    {"data": {"query": "CLEAR ALL"}},
])
def test_updates_are_refused_as_read_only(client, payload):
    r = client.post("/sparql", **payload)
    assert r.status_code == 403
    assert b"read-only" in r.data


def test_two_queries_in_one_request_is_400(client):
    r = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400


def test_wrong_content_type_is_415(client):
    r = client.post("/sparql", data=PLACES, content_type="text/plain")
    assert r.status_code == 415


def test_oversized_query_is_413(client):
    r = client.post("/sparql", data="ASK {}" + " " * 30_000, content_type="application/sparql-query")
    assert r.status_code == 413


def test_deep_nesting_is_refused_before_the_engine(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE " + "{" * 3000 + "}" * 3000})
    assert r.status_code == 400 and b"nests" in r.data


def test_unknown_from_graph_is_refused(client):
    r = client.get("/sparql", query_string={"query": "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and b"never fetches" in r.data


class _Listener:
    """A local TCP port that records whether anything connected to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self._stop = True
        self.thread.join()
        self.sock.close()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "LOAD <http://127.0.0.1:{port}/data.ttl>",
])
def test_no_query_makes_the_server_connect_anywhere(client, template):
    listener = _Listener()
    try:
        r = client.get("/sparql", query_string={"query": template.format(port=listener.port)})
        time.sleep(0.3)
        assert 400 <= r.status_code < 500
        assert listener.connections == 0
    finally:
        listener.close()


def test_slow_query_is_stopped_at_the_deadline_and_the_worker_recovers(client):
    bomb = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    r = client.get("/sparql", query_string={"query": bomb})
    # a server-side timeout, not an error in the query: 503, and when to try again
    assert r.status_code == 503 and b"time limit" in r.data and r.headers["Retry-After"] == "10"
    for i in range(3):  # every worker still answers normally (texts new to the answer cache, so workers run them)
        ok = client.get("/sparql", query_string={"query": f"{PLACES} # after the deadline, {i}"})
        assert ok.status_code == 200


def test_row_cap_is_announced_in_a_header(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 501"})  # one over the cap, cheaply
    assert r.status_code == 200
    assert r.headers["X-Result-Truncated"] == "max-rows=500"
    assert len(bindings(r)) == 500
