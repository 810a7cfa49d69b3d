"""Client interoperability (issue 19, part B): real clients against `ipkg serve`, and the linked data's edges.

SPARQLWrapper in every return format it has, for every query form, by GET and by POST; rdflib's
SPARQLStore by each of its methods; the `format=` names per query form; the predeclared prefixes and
BASE; compacted JSON-LD with its published context; CORS on the linked data; the 404 page a browser
gets, and the plain 404 every other client keeps; `ipkg assets` without Node.js.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    ASK,
    CONSTRUCT,
    CSV,
    DESCRIBE,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    RDFXML,
    SELECT,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper import (
    RDF as RDF_FORMAT,
)

from conftest import DEADLINE, ROOT
from ipkg.namespaces import PREFIXES

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # SPARQLWrapper 2.0's

IPKG = "https://w3id.org/ipkg/def/"
CV = "http://data.europa.eu/m8g/"
FEE = URIRef("https://w3id.org/ipkg/id/fee/cn-annual-invention-years-1-3")  # 900 CNY a year, years 1-3 (source 003)
PROGRAMME = "https://w3id.org/ipkg/id/programme/cnipa-patent-fee-reduction"
AMOUNT = Literal("900", datatype=XSD.decimal)  # an amount of money: xsd:decimal

# one query per form, each about the same fee, written with the predeclared prefixes and BASE
QUERIES = {
    SELECT: "SELECT ?amount WHERE { <fee/cn-annual-invention-years-1-3> cv:hasValue ?amount }",
    ASK: "ASK { <fee/cn-annual-invention-years-1-3> a ipkg:OfficialFee ; cv:hasValue ?a FILTER(?a = 900) }",
    CONSTRUCT: "CONSTRUCT { ?fee cv:hasValue ?amount } WHERE { BIND(<fee/cn-annual-invention-years-1-3> AS ?fee) ?fee cv:hasValue ?amount }",
    DESCRIBE: "DESCRIBE <fee/cn-annual-invention-years-1-3>",
}
SOLUTION_FORMATS = {XML, JSON, CSV, TSV}  # what SELECT and ASK answer in
GRAPH_FORMATS = {XML, RDFXML, RDF_FORMAT, JSONLD, JSON, TURTLE, N3}  # what CONSTRUCT and DESCRIBE answer in
ALL_FORMATS = [XML, JSON, JSONLD, TURTLE, N3, RDF_FORMAT, RDFXML, CSV, TSV]


def _wrapper(endpoint: str, query: str, fmt: str, method: str) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery(query)
    wrapper.setReturnFormat(fmt)
    wrapper.setMethod(method)
    wrapper.setTimeout(int(DEADLINE * 3))  # a hang guard only
    return wrapper


def _as_graph(converted) -> Graph:
    """What SPARQLWrapper's convert() gives for a graph answer, as an rdflib graph."""
    if isinstance(converted, Graph):
        return converted
    assert isinstance(converted, bytes), type(converted)
    return Graph().parse(data=converted, format="turtle")  # TURTLE and N3 come back as the body: Turtle


def _solution_facts(converted, fmt: str, form: str):
    """The answer of the SELECT (the amounts) or of the ASK (a boolean), whatever the format."""
    if fmt == JSON:
        return converted["boolean"] if form == ASK else [b["amount"]["value"] for b in converted["results"]["bindings"]]
    if fmt == XML:
        if form == ASK:
            return converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
        return [n.firstChild.data for n in converted.getElementsByTagName("literal")]
    text = converted.decode("utf-8")
    if form == ASK:
        return text.strip().splitlines()[-1] == "true"
    if fmt == CSV:
        return [r[0] for r in list(csv.reader(io.StringIO(text)))[1:]]
    return [line.split("\t")[0] for line in text.splitlines()[1:]]  # TSV: terms in Turtle syntax


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("form", [SELECT, ASK, CONSTRUCT, DESCRIBE])
@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_sparqlwrapper_reads_every_format_of_every_query_form(live_server, fmt, form, method):
    """Every return format SPARQLWrapper has, for every query form, by GET and POST: the format the form has
    is read by convert() and holds the fee's 900 CNY; a format the form cannot have is a readable 406."""
    wrapper = _wrapper(live_server + "/sparql", QUERIES[form], fmt, method)
    fits = fmt in (SOLUTION_FORMATS if form in (SELECT, ASK) else GRAPH_FORMATS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper warns when it sends Accept: */*
        if not fits:
            with pytest.raises(urllib.error.HTTPError) as refused:
                wrapper.query()
            assert refused.value.code == 406
            message = refused.value.read().decode()
            assert "does not fit" in message and ("text/turtle" in message if form in (CONSTRUCT, DESCRIBE) else "text/csv" in message)
            return
        converted = wrapper.query().convert()
    if form == SELECT:
        assert _solution_facts(converted, fmt, form) == ['"900"^^<http://www.w3.org/2001/XMLSchema#decimal>' if fmt == TSV else "900"]
    elif form == ASK:
        assert _solution_facts(converted, fmt, form) is True
    else:
        graph = _as_graph(converted)
        assert (FEE, URIRef(CV + "hasValue"), AMOUNT) in graph
        if form == DESCRIBE:
            assert (FEE, RDF.type, URIRef(IPKG + "OfficialFee")) in graph


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_reads_every_query_form(live_server, method):
    """rdflib's SPARQLStore (a Graph over the endpoint) by each of its three protocol methods."""
    graph = Graph(store=SPARQLStore(live_server + "/sparql", method=method, timeout=DEADLINE * 3))
    [row] = list(graph.query(QUERIES[SELECT]))
    assert row.amount == AMOUNT
    assert graph.query(QUERIES[ASK]).askAnswer is True
    constructed = graph.query(QUERIES[CONSTRUCT]).graph
    assert set(constructed) == {(FEE, URIRef(CV + "hasValue"), AMOUNT)}
    described = graph.query(QUERIES[DESCRIBE]).graph
    assert (FEE, RDF.type, URIRef(IPKG + "OfficialFee")) in described
    assert (FEE, URIRef(CV + "hasValue"), AMOUNT) in graph  # a triple pattern through the store itself


def _same_triples(a: Graph, b: Graph) -> bool:
    """Isomorphic, reading "x"^^xsd:string as "x" (one RDF 1.1 term, which rdflib keeps apart)."""

    def plain(graph: Graph) -> Graph:
        out = Graph()
        for s, p, o in graph:
            out.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o))
        return out

    return len(a) == len(b) and isomorphic(plain(a), plain(b))


def _get(url: str, headers: dict | None = None, method: str = "GET"):
    """(status, headers, body) of one request, errors included, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=DEADLINE * 3) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def _sparql(client, query: str, **params):
    return client.get("/sparql", query_string={"query": query, **params})


@pytest.mark.parametrize("form,name,media", [
    ("SELECT", "xml", "application/sparql-results+xml"), ("SELECT", "json", "application/sparql-results+json"),
    ("SELECT", "csv", "text/csv"), ("SELECT", "tsv", "text/tab-separated-values"),
    ("SELECT", "application/sparql-results+json", "application/sparql-results+json"),
    ("CONSTRUCT", "xml", "application/rdf+xml"), ("CONSTRUCT", "rdf+xml", "application/rdf+xml"),
    ("CONSTRUCT", "rdf", "application/rdf+xml"), ("CONSTRUCT", "json", "application/ld+json"),
    ("CONSTRUCT", "json-ld", "application/ld+json"), ("CONSTRUCT", "jsonld", "application/ld+json"),
    ("CONSTRUCT", "n3", "text/turtle"), ("CONSTRUCT", "turtle", "text/turtle"), ("CONSTRUCT", "ttl", "text/turtle"),
    ("CONSTRUCT", "nt", "application/n-triples"), ("CONSTRUCT", "ntriples", "application/n-triples"),
    ("CONSTRUCT", "application/rdf+xml", "application/rdf+xml"),
])
def test_format_names_map_per_query_form(client, form, name, media):
    query = QUERIES[SELECT] if form == "SELECT" else QUERIES[CONSTRUCT]
    r = _sparql(client, query, format=name)
    assert r.status_code == 200, r.data
    assert r.mimetype == media


def test_the_first_format_value_that_fits_wins_and_empty_ones_are_skipped(client):
    """SPARQLWrapper's JSONLD sends format=json-ld&format=application/ld+json; for a SELECT its RDFXML sends
    format=rdf+xml&format= (empty)."""
    r = client.get("/sparql", query_string=[("query", QUERIES[CONSTRUCT]), ("format", "json-ld"), ("format", "application/ld+json")])
    assert r.status_code == 200 and r.mimetype == "application/ld+json"
    r = client.get("/sparql", query_string=[("query", QUERIES[SELECT]), ("format", "bogus"), ("format", "csv")])
    assert r.status_code == 200 and r.mimetype == "text/csv"
    r = client.get("/sparql", query_string=[("query", QUERIES[SELECT]), ("format", "rdf+xml"), ("format", "")])
    assert r.status_code == 406 and r.mimetype == "text/plain"
    assert "'rdf+xml' does not fit a SELECT query" in r.data.decode()


@pytest.mark.parametrize("form,name", [(SELECT, "turtle"), (ASK, "json-ld"), (CONSTRUCT, "csv"), (DESCRIBE, "tsv"),
                                       (SELECT, "no-such-format")])
def test_a_format_the_query_form_cannot_have_is_a_406_that_names_the_offered_ones(client, form, name):
    r = _sparql(client, QUERIES[form], format=name)
    assert r.status_code == 406
    text = r.data.decode()
    assert f"{name!r} does not fit" in text
    assert ("text/turtle" in text) == (form in (CONSTRUCT, DESCRIBE))


@pytest.mark.parametrize("accept,media", [
    ("application/json", "application/ld+json"), ("application/xml", "application/rdf+xml"),
    ("text/n3", "text/turtle"), ("text/plain", "application/n-triples"), ("application/x-json+ld", "application/ld+json"),
])
def test_accept_aliases_for_graph_answers(client, accept, media):
    r = client.get("/sparql", query_string={"query": QUERIES[CONSTRUCT]}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == media


# ---- predeclared prefixes and BASE ------------------------------------------------------------------

def test_the_endpoint_predeclares_the_prefixes_and_base_of_ipkg_query(client):
    r = _sparql(client, "SELECT ?fee WHERE { ?fee a ipkg:OfficialFee ; ipkg:feeCategory <concept/fee-category/annual-fee> ; "
                        "ipkg:forIPRight <concept/ip-right/invention-patent> ; cv:hasValue ?a FILTER(?a = 900) }", format="json")
    assert r.status_code == 200, r.data
    assert [b["fee"]["value"] for b in json.loads(r.data)["results"]["bindings"]] == [str(FEE)]


def test_a_querys_own_prefix_overrides_the_predeclared_one(client):
    r = _sparql(client, "PREFIX ipkg: <http://example.org/other#> SELECT (ipkg:Programme AS ?x) (rdfs:label AS ?y) WHERE {}",
                format="json")
    [row] = json.loads(r.data)["results"]["bindings"]
    assert row["x"]["value"] == "http://example.org/other#Programme"  # the query's own
    assert row["y"]["value"] == str(RDFS.label)  # the predeclared one still there
    r = _sparql(client, "PREFIX ipkg: <http://example.org/other#> ASK { ?s a ipkg:Programme }", format="json")
    assert json.loads(r.data)["boolean"] is False  # the graph has no programmes in that namespace


def test_a_querys_own_base_overrides_the_predeclared_one(client):
    r = _sparql(client, "BASE <http://example.org/b/> SELECT (<x> AS ?own) WHERE {}", format="json")
    assert json.loads(r.data)["results"]["bindings"][0]["own"]["value"] == "http://example.org/b/x"
    r = _sparql(client, "SELECT (<x> AS ?predeclared) WHERE {}", format="json")
    assert json.loads(r.data)["results"]["bindings"][0]["predeclared"]["value"] == "https://w3id.org/ipkg/id/x"


def test_an_undeclared_prefix_is_still_a_readable_400(client):
    r = _sparql(client, "SELECT ?x WHERE { ?x a nosuch:Thing }")
    assert r.status_code == 400 and "nosuch" in r.data.decode()


def test_the_service_description_lists_the_predeclared_prefixes_and_base(client):
    from ipkg.namespaces import SH

    g = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    declared = {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace)) for d in g.objects(None, SH.declare)}
    assert declared == PREFIXES
    assert all(g.value(d, SH.namespace).datatype == XSD.anyURI for d in g.objects(None, SH.declare))
    comment = " ".join(str(c) for c in g.objects(None, RDFS.comment))
    assert "BASE <https://w3id.org/ipkg/id/>" in comment


def test_the_service_description_lists_every_format_it_answers_in(client):
    from ipkg.namespaces import SD
    from ipkg.sparql import formats

    g = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    names = {str(o).rsplit("/", 1)[-1] for o in g.objects(None, SD.resultFormat)}
    assert names == {f.sd_name for f in (*formats.RESULTS, *formats.GRAPHS)} >= {"RDF_XML", "JSON-LD", "SPARQL_Results_CSV"}


def test_the_query_page_lists_the_predeclared_prefixes(client):
    page = client.get("/sparql", headers={"Accept": "text/html"}).data.decode()
    assert "BASE &lt;https://w3id.org/ipkg/id/&gt;" in page
    for prefix, namespace in PREFIXES.items():
        assert f"PREFIX {prefix}: &lt;{namespace}&gt;" in page


# ---- JSON-LD ----------------------------------------------------------------------------------------

def test_the_context_is_published_with_the_graphs_prefixes(client, built):
    r = client.get("/def/context.jsonld")
    assert r.status_code == 200 and r.mimetype == "application/ld+json"
    context = json.loads(r.data)["@context"]
    assert context == PREFIXES
    assert (built.dist_path / "context.jsonld").read_bytes() == r.data  # the same file among the dumps
    assert client.get("/download/context.jsonld").data == r.data


def test_resource_documents_are_compacted_with_the_context_and_say_the_same(client):
    r = client.get(PROGRAMME.replace("https://w3id.org/ipkg", "") + ".jsonld")
    assert r.status_code == 200 and r.mimetype == "application/ld+json"
    assert r.headers["Link"] == '<https://w3id.org/ipkg/def/context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
    doc = json.loads(r.data)
    assert doc["@context"] == PREFIXES
    nodes = doc.get("@graph", [doc])
    [programme] = [n for n in nodes if n.get("@id") == PROGRAMME]
    assert "rdfs:label" in programme and not any(key.startswith("http://www.w3.org/2000/01/rdf-schema#") for key in programme)
    assert "ipkg:Programme" in (programme["@type"] if isinstance(programme["@type"], list) else [programme["@type"]])
    as_turtle = Graph().parse(data=client.get(PROGRAMME.replace("https://w3id.org/ipkg", "") + ".ttl").data, format="turtle")
    assert _same_triples(Graph().parse(data=r.data, format="json-ld"), as_turtle)


def test_construct_answers_in_json_ld_are_compacted(client):
    r = _sparql(client, QUERIES[CONSTRUCT], format="json-ld")
    doc = json.loads(r.data)
    assert doc["@context"] == PREFIXES and "Link" in r.headers
    node = doc["@graph"][0] if "@graph" in doc else doc
    assert node["@id"] == str(FEE) and node["cv:hasValue"] == {"@type": "xsd:decimal", "@value": "900"}


def test_the_per_graph_dumps_are_compacted_and_hold_the_same_triples(built):
    """The shapes graph has RDF lists (sh:in, sh:or), which a careless compaction loses or repeats."""
    for name in ("shapes", "cnipa-fee-guide-2025"):
        doc = json.loads((built.dist_path / "graph" / f"{name}.jsonld").read_text(encoding="utf-8"))
        assert doc["@context"] == PREFIXES
        as_jsonld = Graph().parse(built.dist_path / "graph" / f"{name}.jsonld", format="json-ld")
        as_turtle = Graph().parse(built.dist_path / "graph" / f"{name}.ttl", format="turtle")
        assert _same_triples(as_jsonld, as_turtle)


def test_the_void_description_names_the_context(client):
    g = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    context = URIRef("https://w3id.org/ipkg/def/context.jsonld")
    assert (None, RDFS.seeAlso, context) in g
    assert str(g.value(context, URIRef("http://www.w3.org/ns/dcat#downloadURL"))).endswith("/download/context.jsonld")


# ---- CORS -------------------------------------------------------------------------------------------

LINKED_DATA = ["/id/programme/cnipa-patent-fee-reduction", "/id/programme/cnipa-patent-fee-reduction.ttl",
               "/def/Programme", "/def/Programme.jsonld", "/def/context.jsonld", "/download",
               "/download/graph/reference.ttl", "/.well-known/void"]


@pytest.mark.parametrize("path", LINKED_DATA)
def test_linked_data_answers_other_origins(live_server, path):
    """GET, HEAD and the preflight OPTIONS all allow any origin (303s included), as /sparql does."""
    origin = {"Origin": "https://app.example"}
    for method in ("GET", "HEAD"):
        status, headers, _body = _get(live_server + path, origin, method)
        assert status in (200, 303), (method, status)
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert "Location" in headers["Access-Control-Expose-Headers"] and "Link" in headers["Access-Control-Expose-Headers"]
    status, headers, _body = _get(live_server + path, {**origin, "Access-Control-Request-Method": "GET",
                                                       "Access-Control-Request-Headers": "accept"}, "OPTIONS")
    assert status in (200, 204)
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in headers["Access-Control-Allow-Methods"] and "accept" in headers["Access-Control-Allow-Headers"].lower()


def test_a_404_of_the_linked_data_also_allows_other_origins(client):
    r = client.get("/id/nothing/here", headers={"Origin": "https://app.example"})
    assert r.status_code == 404 and r.headers["Access-Control-Allow-Origin"] == "*"


# ---- 404 pages and the favicon ----------------------------------------------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_gets_an_html_404_with_close_resources_search_and_navigation(client):
    r = client.get("/id/programme/cnipa-patent-fee-reductoin", headers={"Accept": BROWSER, "Accept-Language": "en"})
    assert r.status_code == 404 and r.mimetype == "text/html"
    page = r.data.decode()
    assert "&lt;https://w3id.org/ipkg/id/programme/cnipa-patent-fee-reductoin&gt;" in page
    suggestions = page[page.index('id="suggestions"'):page.index("</ul>", page.index('id="suggestions"'))]
    assert suggestions.index('href="/id/programme/cnipa-patent-fee-reduction"') < suggestions.index("<li>", suggestions.index("<li>") + 1)
    assert "CNIPA patent fee reduction" in suggestions  # its English label
    assert 'action="/search"' in page and 'name="q" value="programme cnipa patent fee reductoin"' in page
    for link in ('href="/sparql"', 'href="/def/"', 'href="/download"', 'href="/eligibility'):
        assert link in page
    assert 'rel="icon"' in page


def test_the_html_404_speaks_japanese_when_asked(client):
    r = client.get("/def/Programm", headers={"Accept": BROWSER, "Accept-Language": "ja,en;q=0.5"})
    page = r.data.decode()
    assert r.status_code == 404 and '<html lang="ja">' in page and "見つかりません" in page
    assert 'href="/def/Programme"' in page and "支援制度・施策" in page  # ipkg:Programme and its Japanese label
    assert '<html lang="en">' in client.get("/def/Programm?lang=en", headers={"Accept": BROWSER, "Accept-Language": "ja"}).data.decode()


def test_a_404_for_any_path_is_a_page_for_browsers_without_suggestions(client):
    r = client.get("/no/such/page", headers={"Accept": BROWSER})
    assert r.status_code == 404 and r.mimetype == "text/html"
    page = r.data.decode()
    assert "<code>/no/such/page</code>" in page and 'id="suggestions"' not in page and 'action="/search"' in page


@pytest.mark.parametrize("accept", ["*/*", "text/turtle", "application/ld+json", "text/plain", None])
def test_other_clients_keep_the_plain_404(client, accept):
    r = client.get("/id/programme/cnipa-patent-fee-reductoin", headers={"Accept": accept} if accept else {})
    assert r.status_code == 404 and r.mimetype == "text/plain"
    assert r.data.decode().startswith("404 Not Found: the graph says nothing about <https://w3id.org/ipkg/id/programme/")


def test_markup_in_a_missing_path_is_escaped_in_the_html_404(client):
    r = client.get("/id/x%3Cscript%3Ealert(1)%3C/script%3E", headers={"Accept": BROWSER})
    assert r.status_code == 404 and "<script>alert" not in r.data.decode() and "&lt;script&gt;alert" in r.data.decode()


def test_the_favicon_is_our_own_svg_served_locally(client):
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    assert client.get("/favicon.ico").data == icon.data
    home = client.get("/").data.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in home


# ---- ipkg assets without Node.js ----------------------------------------------------------------------

def _assets(tmp_path: Path, tools: dict[str, str]) -> subprocess.CompletedProcess:
    """`ipkg assets` on a copy of the project's package.json, with PATH holding only the given fake tools."""
    project, bin_dir = tmp_path / "project", tmp_path / "bin"
    project.mkdir()
    bin_dir.mkdir()
    for name in ("package.json", "package-lock.json"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    for tool, script in tools.items():
        (bin_dir / tool).write_text("#!/bin/sh\n" + script + "\n")
        (bin_dir / tool).chmod(0o755)
    env = {**os.environ, "PATH": str(bin_dir)}
    return subprocess.run([sys.executable, "-m", "ipkg", "assets", "--project", str(project)], env=env,
                          capture_output=True, text=True, check=False)


def test_assets_without_node_warn_and_succeed(tmp_path):
    """The README's `ipkg assets && ipkg build && ipkg serve` must go on: the page falls back to a plain form."""
    done = _assets(tmp_path, {})
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("warning: node and npm not found") and "plain HTML form" in done.stderr


def test_assets_without_npm_alone_warn_and_succeed(tmp_path):
    done = _assets(tmp_path, {"node": "exit 0"})
    assert done.returncode == 0 and done.stderr.startswith("warning: npm not found")


def test_a_failing_npm_is_still_an_error(tmp_path):
    done = _assets(tmp_path, {"node": "exit 0", "npm": "echo 'npm ERR! network unreachable' >&2; exit 1"})
    assert done.returncode == 1
    assert "error: `npm ci --ignore-scripts --no-audit --no-fund` failed (1):\nnpm ERR! network unreachable" in done.stderr
