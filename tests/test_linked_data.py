"""Linked-data faces: dereferenceable IRIs with conneg, HTML pages, downloads, VoID/DCAT, the catalogue REST API."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, VOID, XSD

from ipkg.bind import substitute

ID = "https://w3id.org/ipkg/id/"
FEE = ID + "fee/cn-application-invention"
FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml", "application/n-triples": "nt"}


@pytest.mark.parametrize("accept, fmt", FORMATS.items())
def test_an_iri_dereferences_to_every_rdf_format_with_the_same_triples(client, accept, fmt):
    see_other = client.get("/id/fee/cn-application-invention", headers={"Accept": accept})
    assert see_other.status_code == 303 and "Accept" in see_other.headers["Vary"]
    assert see_other.headers["Location"].startswith("/id/fee/cn-application-invention.")
    r = client.get("/id/fee/cn-application-invention", headers={"Accept": accept}, follow_redirects=True)
    assert r.status_code == 200 and r.mimetype == accept
    assert r.headers["Content-Location"] == see_other.headers["Location"]
    g = Graph().parse(data=r.data, format=fmt)
    turtle = Graph().parse(data=client.get("/id/fee/cn-application-invention.ttl").data, format="turtle")
    assert len(g) == len(turtle) > 5
    amount = g.value(URIRef(FEE), URIRef("http://data.europa.eu/m8g/hasValue"))
    assert amount.datatype == XSD.decimal and amount.toPython() == 900


def test_q_values_pick_the_representation(client):
    r = client.get("/id/place/cn-jilin", headers={"Accept": "text/html;q=0.5, text/turtle;q=0.9"})
    assert r.headers["Location"] == "/id/place/cn-jilin.ttl"
    r = client.get("/id/place/cn-jilin", headers={"Accept": "text/turtle;q=0.5, text/html"})
    assert r.headers["Location"] == "/id/place/cn-jilin.html"
    assert client.get(r.headers["Location"]).mimetype == "text/html"


def test_extension_and_format_override(client):
    assert client.get("/id/place/cn-jilin.jsonld").mimetype == "application/ld+json"
    assert client.get("/id/place/cn-jilin?format=ttl", headers={"Accept": "text/html"}).headers["Location"] == "/id/place/cn-jilin.ttl"


def test_unknown_iri_is_404_and_unacceptable_type_406(client):
    assert client.get("/id/fee/no-such-fee").status_code == 404
    assert client.get("/id/place/cn-jilin", headers={"Accept": "image/png"}).status_code == 406


def test_ontology_terms_dereference(client):
    g = Graph().parse(data=client.get("/def/Programme.ttl").data, format="turtle")
    labels = {str(o) for o in g.objects(URIRef("https://w3id.org/ipkg/def/Programme"), RDFS.label)}
    assert labels == {"Programme", "支援制度・施策"}


def test_html_page_shows_labels_provenance_and_inferred_apart(client):
    page = client.get("/id/fee/cn-application-invention", headers={"Accept": "text/html"}, follow_redirects=True).data.decode()
    assert "Application fee, invention patent" in page and "出願料(発明特許)" in page
    assert "line 32" in page and "003_88367d768192d5e6.txt" in page
    assert 'id="inferred"' in page and "cv:Cost" in page  # OfficialFee ⊑ cv:Cost, inferred
    assert '<html lang="en">' in page and 'name="viewport"' in page


def test_programme_page_shows_conditions_and_benefits(client):
    page = client.get("/id/programme/cnipa-patent-fee-reduction", headers={"Accept": "text/html"}, follow_redirects=True).data.decode()
    assert "Eligibility conditions" in page and "Annual income of at most 60,000 yuan." in page
    assert "85% reduction of official patent fees" in page


def test_downloads_parse_back_to_the_same_dataset(client, built):
    r = client.get("/download/ipkg.nq.gz")
    assert r.status_code == 200
    ds = Dataset()
    ds.parse(data=gzip.decompress(r.data).decode(), format="nquads")
    trig = Dataset()
    trig.parse(data=gzip.decompress(client.get("/download/ipkg.trig.gz").data).decode(), format="trig")
    assert len(ds) == len(trig) > 1000
    for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld")):
        g = Graph().parse(data=client.get(f"/download/graph/cnipa-fee-guide-2025.{ext}").data, format=fmt)
        assert len(g) == len(ds.graph(URIRef("https://w3id.org/ipkg/graph/cnipa-fee-guide-2025")))
    assert client.get("/download/../pyproject.toml").status_code == 404


def test_void_describes_graphs_with_statistics(client):
    g = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    ds = URIRef("https://w3id.org/ipkg/dataset")
    assert (ds, RDF.type, VOID.Dataset) in g
    subset = URIRef("https://w3id.org/ipkg/dataset/cnipa-fee-guide-2025")
    assert (ds, VOID.subset, subset) in g
    assert int(g.value(subset, VOID.triples)) > 300
    assert (ds, VOID.sparqlEndpoint, None) in g
    assert len(list(g.objects(ds, URIRef("http://purl.org/dc/terms/source")))) == 5


def test_catalogue_lists_queries_with_headers(client):
    raw = client.get("/api/queries").data
    assert not raw.isascii() and b"\\u" not in raw  # Japanese written as UTF-8, not \u escapes (ensure_ascii off)
    queries = json.loads(raw)["queries"]
    names = {q["name"] for q in queries}
    assert {"cnipa-fee-schedule", "cnipa-annual-fee-for-year"} <= names
    for q in queries:
        assert q["title"] and q["query"]


def test_catalogue_query_with_parameters_in_json_and_csv(client):
    r = client.get("/api/queries/cnipa-annual-fee-for-year?year=13&format=csv")
    rows = list(csv.DictReader(io.StringIO(r.data.decode())))
    assert [(row["fee"].rsplit("/", 1)[-1], row["amount"]) for row in rows] == [("cn-annual-invention-years-13-15", "6000")]
    r = client.get("/api/queries/cnipa-annual-fee-for-year", query_string={"year": 4, "right": ID + "concept/ip-right/design"})
    bindings = json.loads(r.data)["results"]["bindings"]
    assert [b["fee"]["value"].rsplit("/", 1)[-1] for b in bindings] == ["cn-annual-design-years-4-5"]


@pytest.mark.parametrize("params", [
    {"year": "abc"}, {"year": "1; DROP"}, {"right": "http://x> . ?s ?p ?o"}, {"right": "not an iri"},
    {"right": 'http://x/"'}, {"bogus": "1"},
])
def test_hostile_catalogue_parameters_are_400(client, params):
    r = client.get("/api/queries/cnipa-annual-fee-for-year", query_string=params)
    assert r.status_code == 400 and r.get_json()["problems"]


def test_unknown_catalogue_query_is_404(client):
    assert client.get("/api/queries/nope").status_code == 404


def test_substitution_keeps_literals_inert():
    import pyoxigraph as ox

    hostile = '"} ; DELETE { ?s ?p ?o } #\n'
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(hostile)))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("other")))
    text = substitute("SELECT ?s ?x WHERE { ?s ?p ?x }", {"x": Literal(hostile)})
    rows = list(store.query(text))
    assert len(rows) == 1 and rows[0]["x"].value == hostile  # the value matched as one literal, nothing else ran


def test_service_description_carries_the_void_statistics(client):
    from ipkg.namespaces import SD

    g = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    named = next(n for n in g.objects(None, SD.namedGraph)
                 if (n, SD.name, URIRef("https://w3id.org/ipkg/graph/cnipa-fee-guide-2025")) in g)
    subset = g.value(named, SD.graph)
    assert int(g.value(subset, VOID.triples)) > 300


def test_a_configured_base_iri_is_served_by_the_local_server(rebased):
    """With IPKG_BASE set, things get IRIs under that base and the server answers for them."""
    from ipkg.web import create_app

    app = create_app(rebased, workers=False)
    client = app.test_client()
    g = Graph().parse(data=client.get("/id/place/cn-jilin.ttl").data, format="turtle")
    jilin = URIRef("http://localhost:8000/id/place/cn-jilin")
    assert (jilin, URIRef("https://w3id.org/ipkg/def/partOf"), URIRef("http://localhost:8000/id/place/cn")) in g
    assert not list(g.triples((URIRef(ID + "place/cn-jilin"), None, None)))
    page = client.get("/id/place/cn-jilin", headers={"Accept": "text/html"}, follow_redirects=True).data.decode()
    assert 'href="/id/place/cn"' in page and 'href="/def/Place"' in page
