"""The endpoint's fast path: verdicts remembered by query shape, point lookups in process, the row cap
streamed through pyoxigraph's writers. Each property is checked against the real build."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re

import pytest
from rdflib import Graph

from ipkg.config import Settings
from ipkg.errors import IpkgError
from ipkg.sparql import formats, gate
from ipkg.sparql.service import SparqlService
from ipkg.store import EmbeddedStore
from ipkg.web.errors import status_of

PROGRAMME = "https://w3id.org/ipkg/id/programme/cnipa-patent-fee-reduction"
ZHEJIANG = "https://w3id.org/ipkg/id/place/cn-zhejiang"
LIMITS = gate.Limits.of(Settings.from_env())


@pytest.fixture(scope="module")
def store(built):
    return EmbeddedStore(built.store_path)


def test_point_lookups_of_different_resources_share_one_parse():
    g = gate.Gate(LIMITS)
    for iri in (PROGRAMME, ZHEJIANG, "https://w3id.org/ipkg/id/place/cn-jilin"):
        checked = g.check(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
        assert checked.text.endswith(f"<{iri}> ?p ?o }}")  # the engine runs the client's text, not the shape
    info = g.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_every_catalogue_query_is_judged_once_by_its_shape(built):
    """Queries that declare several prefixes (every catalogue query) keep them apart in their shape."""
    from ipkg import catalog
    from ipkg.bind import substitute

    g = gate.Gate(LIMITS)
    queries = catalog.load(built.root / "queries").values()
    for q in queries:
        text = substitute(q.text, q.bindings({}))
        g.check(text)
        g.check(text)
    info = g.cache_info()
    assert (info.misses, info.hits) == (len(queries), len(queries))


def test_string_literals_and_comments_do_not_change_the_shape():
    g = gate.Gate(LIMITS)
    g.check('SELECT ?s WHERE { ?s ?p "Zhejiang"@en } # first')
    g.check("SELECT ?s WHERE { ?s ?p '''浙江省'''@en } # second, another comment")
    assert g.cache_info().hits == 1


def test_queries_naming_graphs_are_judged_by_their_own_text(built):
    """A verdict on FROM <known graph> must not carry over to FROM <somewhere else> of the same shape."""
    service = SparqlService(built, EmbeddedStore(built.store_path))
    known = sorted(service.graph_names)[0]
    assert service.check(f"SELECT * FROM <{known}> WHERE {{ ?s ?p ?o }} LIMIT 1").from_graphs == [known]
    with pytest.raises(gate.Refused, match="names no graph of this dataset"):
        service.check("SELECT * FROM <http://169.254.169.254/latest/meta-data/> WHERE { ?s ?p ?o } LIMIT 1")


def test_iris_that_could_hide_operators_or_variables_are_not_blanked():
    g = gate.Gate(LIMITS)
    g.check("SELECT ?s WHERE { ?s ?p ?o FILTER(?o = <http://example.org/a?x=1>) }")
    g.check("SELECT ?s WHERE { ?s ?p ?o FILTER(?o = <http://example.org/b?x=2>) }")
    assert g.cache_info().hits == 0  # `?` and `=` keep these IRIs in the shape


def test_a_syntax_error_is_reported_at_its_place_in_the_clients_text():
    with pytest.raises(gate.Refused, match=r"line 2, column"):
        gate.Gate(LIMITS).check(f'SELECT ?o WHERE {{ <{PROGRAMME}> ?p "a long string literal" .\n ?o ?o ?o ?o }}')


@pytest.mark.parametrize(("query", "bounded"), [
    (f"DESCRIBE <{PROGRAMME}>", True),
    (f"DESCRIBE <{PROGRAMME}> <{ZHEJIANG}>", True),
    (f"SELECT ?p ?o WHERE {{ <{PROGRAMME}> ?p ?o }}", True),
    (f"SELECT DISTINCT ?p WHERE {{ <{PROGRAMME}> ?p ?o }} LIMIT 5", True),
    (f"CONSTRUCT {{ <{PROGRAMME}> ?p ?o }} WHERE {{ <{PROGRAMME}> ?p ?o }}", True),
    (f"ASK {{ <{PROGRAMME}> a ?type }}", True),
    ("SELECT * WHERE { ?s ?p ?o }", False),  # no given subject: a scan
    (f"SELECT ?o WHERE {{ ?s ?p <{PROGRAMME}> }}", False),  # incoming links can be many
    (f"SELECT ?p ?o WHERE {{ <{PROGRAMME}> ?p ?o }} ORDER BY ?o", False),
    (f"SELECT ?p ?o WHERE {{ <{PROGRAMME}> ?p ?o FILTER(regex(str(?o), 'a')) }}", False),
    (f"SELECT ?o ?x WHERE {{ <{PROGRAMME}> ?p ?o . ?o ?q ?x }}", False),  # a join
    (f"SELECT ?o WHERE {{ <{PROGRAMME}> <http://x/p>+ ?o }}", False),  # a path
    ("DESCRIBE ?s WHERE { ?s ?p ?o }", False),
    (f"SELECT (COUNT(*) AS ?n) WHERE {{ <{PROGRAMME}> ?p ?o }}", False),
])
def test_only_point_lookups_are_bounded(query, bounded):
    assert gate.check(query, LIMITS).bounded is bounded


class _NoWorkers:
    """A pool with no free worker: `run` answers busy, as the real pool does when every worker is taken."""

    def __init__(self):
        self.calls = 0

    def run(self, *args, **kwargs):
        self.calls += 1
        from ipkg.sparql.workers import ServiceBusy

        raise ServiceBusy("all query workers are busy; try again shortly")


def test_point_lookups_answer_even_when_every_worker_is_busy(built):
    pool = _NoWorkers()
    service = SparqlService(built, EmbeddedStore(built.store_path), pool)
    lookup = service.check(f"SELECT ?p ?o WHERE {{ <{ZHEJIANG}> ?p ?o }}")
    body = json.loads(service.execute_serialized(lookup, "application/sparql-results+json").body)
    labels = {b["o"]["value"] for b in body["results"]["bindings"] if b["p"]["value"].endswith("#label")}
    assert {"Zhejiang", "浙江省"} <= labels and pool.calls == 0
    scan = service.check("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    with pytest.raises(IpkgError) as refused:
        service.execute_serialized(scan, "application/sparql-results+json")
    assert status_of(refused.value) == (503, 1) and pool.calls == 1


@pytest.mark.parametrize("media", formats.offer("select").medias())
@pytest.mark.parametrize("cap", [0, 1, 46, 47, 48])
def test_row_cap_on_solutions_in_every_format(store, media, cap):
    query = f"SELECT ?p ?o WHERE {{ <{PROGRAMME}> ?p ?o }}"
    total = len(store.query(query).rows)
    assert total == 47  # the programme's statements in the union graph (asserted and inferred)
    out = formats.write_answer(store.evaluate(query), media, cap)
    assert out.truncated is (cap < total)
    assert _rows(out.body, media) == min(cap, total)


@pytest.mark.parametrize("cap", [0, 1, 47, 48])
def test_row_cap_on_graphs(store, cap):
    out = formats.write_answer(store.evaluate(f"DESCRIBE <{PROGRAMME}>"), "text/turtle", cap)
    assert len(Graph().parse(data=out.body, format="turtle")) == min(cap, 47)
    assert out.truncated is (cap < 47)


def test_terms_keep_their_language_datatype_and_escapes(store):
    query = ('SELECT ?x WHERE { { VALUES ?x { "a\\tb\\nc"@ja "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> <urn:x> } }'
             " UNION { BIND(BNODE() AS ?x) } }")
    body = json.loads(formats.write_answer(store.evaluate(query), "application/sparql-results+json", 10).body)
    values = [b.get("x") for b in body["results"]["bindings"]]
    assert {"type": "literal", "value": "a\tb\nc", "xml:lang": "ja"} in values
    assert {"type": "literal", "value": "1.5", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"} in values
    assert {"type": "uri", "value": "urn:x"} in values and any(v and v["type"] == "bnode" for v in values)


def test_rdflib_results_are_written_the_same_way_as_the_engines(store):
    """The remote store's and the catalogue's results (rdflib terms) go through the same writers."""
    query = f"SELECT ?p ?o WHERE {{ <{ZHEJIANG}> ?p ?o }} ORDER BY ?p ?o"
    for media in formats.offer("select").medias():
        direct = formats.write_answer(store.evaluate(query), media, 100).body
        assert formats.serialize(store.query(query, max_rows=100), media) == direct


def test_an_evaluation_error_is_not_taken_for_the_row_cap(built):
    service = SparqlService(dataclasses.replace(built, max_rows=3), EmbeddedStore(built.store_path))
    checked = service.check("SELECT ?x WHERE { BIND(<urn:not-a-literal> + 1 AS ?x) }")
    out = service.execute_serialized(checked, "text/csv")  # an unbound value, not an error
    assert out.body.splitlines() == [b"x", b""] and out.truncated is False


def _rows(body: bytes, media: str) -> int:
    if media == "application/sparql-results+json":
        return len(json.loads(body)["results"]["bindings"])
    if media == "application/sparql-results+xml":
        return body.count(b"<result>")
    if media == "text/csv":
        return len(list(csv.reader(io.StringIO(body.decode())))) - 1
    return len(body.decode().splitlines()) - 1


def test_engine_errors_point_into_the_clients_own_text(client):
    """The endpoint's base IRI and prefixes go to the engine as parameters, not as text before the query."""
    query = "SELECT ?o WHERE { <http://[x> ?p ?o }"
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 400
    line, column = map(int, re.search(rb"error at (\d+):(\d+)", r.data).groups())
    assert line == 1 and column <= len(query)


def test_a_querys_own_base_wins_over_the_endpoints(client):
    own = "BASE <http://example.org/own/> ASK { FILTER(<x> = <http://example.org/own/x>) }"  # not the predeclared BASE
    assert json.loads(client.get("/sparql", query_string={"query": own}).data)["boolean"] is True


class PanicException(BaseException):
    """What pyo3 raises when the Rust engine panics (it derives from BaseException, not Exception)."""


class _PanickingStore(EmbeddedStore):
    def evaluate(self, *args, **kwargs):
        raise PanicException("called `Option::unwrap()` on a `None` value")


def test_an_engine_panic_in_process_is_a_400_not_a_crash(built):
    service = SparqlService(built, _PanickingStore(built.store_path))
    lookup = service.check(f"DESCRIBE <{PROGRAMME}>")
    with pytest.raises(IpkgError) as refused:
        service.execute_serialized(lookup, "text/turtle")
    assert status_of(refused.value)[0] == 400 and "engine failed" in str(refused.value)


def test_a_worker_reports_an_engine_panic_and_retires(built, monkeypatch):
    """After a panic the engine's state is unknown: the worker says so and ends, so the pool replaces it."""
    import multiprocessing as mp
    import threading

    from ipkg.sparql import workers

    monkeypatch.setattr(workers, "EmbeddedStore", _PanickingStore)
    parent, child = mp.Pipe()
    serving = threading.Thread(target=workers._serve, args=(str(built.store_path), built.memory_quads, child), daemon=True)
    serving.start()
    assert parent.poll(None) and parent.recv() == ("ready", None), "the worker did not say its store is open"
    parent.send((f"DESCRIBE <{PROGRAMME}>", {"max_rows": 10}, "text/turtle"))
    assert parent.poll(None), "the worker sent no report"  # waits as long as it takes
    status, message = parent.recv()
    serving.join()
    assert status == "panic" and "engine failed" in message and not serving.is_alive()


def test_the_served_app_freezes_its_start_up_objects(built, monkeypatch):
    """`ipkg serve` builds each process's app with `create_served_app`, which hides what start-up built from the
    garbage collector (gc.freeze), so that a full collection no longer walks it during a request."""
    import gc

    from ipkg.web import create_served_app

    for name, value in (("IPKG_ROOT", built.root), ("IPKG_STORE", built.store_path), ("IPKG_DIST", built.dist_path)):
        monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("IPKG_WORKERS", "1")
    app = None
    try:
        app = create_served_app().app  # the Flask app behind the ASGI face (web/asgi.py)
        assert gc.get_freeze_count() > 10_000
        r = app.test_client().get("/sparql", query_string={"query": f"SELECT ?p ?o WHERE {{ <{ZHEJIANG}> ?p ?o }}"},
                                  headers={"Accept": "text/csv"})
        assert r.status_code == 200 and r.data.count(b"\r\n") == 11  # header and Zhejiang's ten statements
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
        if app is not None:
            app.extensions["ipkg"].close()
