"""Answers kept per server process (`sparql/answers.py`): the same bytes again for the same request, kept
apart by everything that changes an answer, never for volatile queries, errors or a remote store."""

from __future__ import annotations

import dataclasses
import json

import pytest

from ipkg import catalog
from ipkg.bind import substitute
from ipkg.errors import IpkgError
from ipkg.sparql.answers import AnswerCache
from ipkg.sparql.formats import Serialized
from ipkg.sparql.service import SparqlService
from ipkg.store import EmbeddedStore, QueryResult

ZHEJIANG = "https://w3id.org/ipkg/id/place/cn-zhejiang"
LOOKUP = f"SELECT ?p ?o WHERE {{ <{ZHEJIANG}> ?p ?o }} ORDER BY ?p ?o"
JSON = "application/sparql-results+json"


@pytest.fixture()
def service(built):
    return SparqlService(built, EmbeddedStore(built.store_path, built.memory_quads))


def _ask(service, text, media=JSON, default_graphs=(), named_graphs=(), base=None):
    checked = service.check(text, list(default_graphs), list(named_graphs))
    return service.execute_serialized(checked, media, list(default_graphs), list(named_graphs), base=base)


def test_a_repeated_request_gets_the_same_bytes_without_the_engine(service, monkeypatch):
    first = _ask(service, LOOKUP)
    assert len(json.loads(first.body)["results"]["bindings"]) == 10  # Zhejiang's ten statements
    monkeypatch.setattr(service, "_run", lambda *a, **k: pytest.fail("the engine ran for a kept answer"))
    again = _ask(service, LOOKUP)
    assert (again.body, again.kind, again.truncated, again.lane) == (first.body, first.kind, first.truncated, "cache")
    assert _ask(service, LOOKUP) is again
    assert (service.answers.hits, service.answers.misses, len(service.answers)) == (2, 1, 1)


def test_format_dataset_and_base_each_make_another_answer(service):
    graph = sorted(service.graph_names)[0]
    _ask(service, LOOKUP)
    assert b"http://purl.org/dc/terms/Location" in _ask(service, LOOKUP, media="text/csv").body
    assert json.loads(_ask(service, LOOKUP, default_graphs=[graph]).body)["results"]["bindings"] == []
    assert json.loads(_ask(service, LOOKUP, named_graphs=[graph]).body)["results"]["bindings"] == []
    _ask(service, "SELECT (<x> AS ?x) WHERE {}", base="http://a.example/sparql")
    relative = _ask(service, "SELECT (<x> AS ?x) WHERE {}", base="http://b.example/sparql")
    assert b"http://b.example/x" in relative.body
    assert service.answers.hits == 0 and len(service.answers) == 6


@pytest.mark.parametrize("function", ["RAND()", "NOW()", "UUID()", "STRUUID()", "BNODE()", "bnode('x')"])
def test_queries_whose_answer_changes_on_each_run_are_never_kept(service, function):
    text = f"SELECT ?v WHERE {{ BIND({function} AS ?v) }}"
    assert service.check(text).repeatable is False
    _ask(service, text)
    _ask(service, text)
    assert len(service.answers) == 0 and service.answers.hits == 0


def test_every_catalogue_query_is_repeatable(built, service):
    for q in catalog.load(built.root / "queries").values():
        assert service.check(substitute(q.text, q.bindings({}))).repeatable, q.name


def test_refusals_are_not_kept(service):
    for _ in range(2):
        with pytest.raises(IpkgError):
            _ask(service, "SELECT ?o WHERE { <http://[x> ?p ?o }")  # the engine's own syntax error
    assert len(service.answers) == 0 and service.answers.misses == 2


def test_a_kept_answer_keeps_its_truncation(built):
    service = SparqlService(dataclasses.replace(built, max_rows=3), EmbeddedStore(built.store_path))
    first, again = _ask(service, LOOKUP), _ask(service, LOOKUP)
    assert again.body == first.body and again.lane == "cache" and again.truncated and len(json.loads(again.body)["results"]["bindings"]) == 3


def test_the_budget_counts_answers_and_keys_least_recently_used_out():
    overhead = AnswerCache.ENTRY_OVERHEAD
    cache = AnswerCache(max_bytes=3 * overhead + 100)
    answer = lambda n: Serialized(b"x" * n, "select", False)
    cache.get_or_compute(("a",), lambda: answer(59))  # 59 bytes + 1 character of key
    cache.get_or_compute(("b",), lambda: answer(29))
    cache.get_or_compute(("a",), lambda: pytest.fail("a is kept"))  # a is now the most recently used
    cache.get_or_compute(("c",), lambda: answer(29))  # 120 bytes: b, the least recently used, goes
    assert cache.size == 2 * overhead + 90 and len(cache) == 2
    cache.get_or_compute(("b",), lambda: answer(29))  # computed again
    assert cache.misses == 4
    long_query = ("SELECT * WHERE { ?s ?p ?o } " + "#" * 3 * overhead, "text/csv", (), ())
    assert cache.get_or_compute(long_query, lambda: answer(1)).body == b"x"  # a tiny answer, but a long key:
    assert long_query not in cache._answers  # over the whole budget, so served and never kept


def test_no_cache_for_a_remote_store_or_when_switched_off(built):
    class Remote:  # the Store protocol, as RemoteStore implements it
        def graph_names(self):
            return []

        def query(self, sparql, **kwargs):
            return QueryResult(kind="ask", boolean=True)

    assert SparqlService(built, Remote()).answers is None
    assert SparqlService(dataclasses.replace(built, answer_cache_bytes=0), EmbeddedStore(built.store_path)).answers is None


def test_the_endpoint_answers_a_repeated_query_the_same_way(client):
    first = client.get("/sparql", query_string={"query": LOOKUP}, headers={"Accept": "text/csv"})
    again = client.get("/sparql", query_string={"query": LOOKUP}, headers={"Accept": "text/csv"})
    assert first.status_code == again.status_code == 200
    assert first.data == again.data and first.headers["Content-Type"] == again.headers["Content-Type"]
    assert first.data.count(b"\r\n") == 11  # header and ten rows
