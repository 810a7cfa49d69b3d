"""Compacted JSON-LD: ipkg.jsonld's own compactor writes the bytes pyld's general compaction wrote.

`compact` replaced pyld on the way (pyld took seconds for the dumps); these tests hold it to pyld's
output on a fixed graph of every kind of term the documents carry, to a checked-in copy of that output
(tests/data/jsonld/fixed.jsonld, written by pyld before the change), and on the built graph's schemes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from ipkg import jsonld

DATA = Path(__file__).parent / "data" / "jsonld"
IPKG_ID = "https://w3id.org/ipkg/id/"


def fixed() -> list[ox.Quad]:
    return list(ox.parse(path=str(DATA / "fixed.ttl")))


def test_the_fixed_graph_compacts_to_the_checked_in_document():
    assert jsonld.compact(fixed()) == (DATA / "fixed.jsonld").read_bytes()


def test_the_fixed_graph_compacts_as_pyld_compacts_it():
    assert jsonld.compact(fixed()) == jsonld.compact_by_pyld(fixed())


def test_the_order_of_subjects_and_properties_does_not_change_the_bytes():
    # (the values of one property keep the order they come in, as pyoxigraph writes them)
    triples = fixed()
    by_property: dict[tuple[str, str], list[ox.Quad]] = {}
    for q in triples:
        by_property.setdefault((str(q.subject), str(q.predicate)), []).append(q)
    shuffled = [q for key in reversed(list(by_property)) for q in by_property[key]]
    assert shuffled != triples
    assert jsonld.compact(shuffled) == (DATA / "fixed.jsonld").read_bytes()


def test_the_compacted_document_holds_the_same_triples():
    document = jsonld.compact(fixed())
    back = list(ox.parse(document, format=ox.RdfFormat.JSON_LD))
    assert {str(q.triple) for q in back} == {str(q.triple) for q in fixed()}


def test_what_the_compaction_writes():
    doc = json.loads(jsonld.compact(fixed()))
    assert doc["@context"] == jsonld.context()
    nodes = {n["@id"]: n for n in doc["@graph"]}
    programme = nodes[IPKG_ID + "programme/cnipa-patent-fee-reduction"]
    assert programme["@type"] == ["ipkg:Programme", "cv:PublicService"]  # rdf:type as @type, in the triples' order
    assert programme["ipkg:jurisdiction"] == {"@id": IPKG_ID + "place/cn"}  # one value: bare, not an array
    assert [x["@language"] for x in programme["rdfs:label"]] == ["zh", "ja", "en"]
    assert programme["rdfs:isDefinedBy"] == {"@id": "https://w3id.org/ipkg/def/"}  # a node IRI equal to a prefix stays whole
    benefit = nodes[IPKG_ID + "benefit/cnipa-fee-reduction-single"]
    assert benefit["ipkg:rate"] == {"@type": "xsd:decimal", "@value": "0.85"}
    assert benefit["ipkg:statedAs"] == "85%の減免措置"  # an xsd:string is the bare string, not escaped
    assert benefit["skos:note"]["@type"] == "http://example.org/datatype/custom"
    assert nodes["http://example.org/thing"]["schema"] == {"@id": "https://schema.org/"}  # a property equal to a prefix: the term
    assert nodes["_:part2"]["rdf:type"] == "a literal type"  # a literal rdf:type is not a @type
    assert list(nodes["_:amount"]) == ["@id", "@type", "schema:currency", "schema:value"]


def test_one_node_is_the_document_itself_and_no_triples_an_empty_one():
    one = [q for q in fixed() if str(q.subject) == f"<{IPKG_ID}benefit/cnipa-fee-reduction-single>"]
    doc = json.loads(jsonld.compact(one))
    assert "@graph" not in doc and doc["@id"] == IPKG_ID + "benefit/cnipa-fee-reduction-single"
    assert jsonld.compact(one) == jsonld.compact_by_pyld(one)
    assert json.loads(jsonld.compact([])) == {"@context": jsonld.context()}
    assert jsonld.compact([]) == jsonld.compact_by_pyld([])


def test_a_literal_with_a_base_direction_is_left_to_pyld():
    label = ox.Literal("مرحبا", language="ar", direction=ox.BaseDirection.RTL)
    triples = [ox.Triple(ox.NamedNode(IPKG_ID + "a"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), label)]
    assert json.loads(jsonld.compact(triples))["rdfs:label"] == {"@language": "ar", "@direction": "rtl", "@value": "مرحبا"}
    assert jsonld.compact(triples) == jsonld.compact_by_pyld(triples)


@pytest.mark.parametrize("graph", ["schemes", "shapes"])
def test_the_built_graphs_compact_as_pyld_compacts_them(kg, graph):
    dump = kg.settings.dist_path / "graph" / f"{graph}.ttl"
    triples = list(ox.parse(path=str(dump)))
    assert len(triples) > 1000
    assert jsonld.compact(triples) == jsonld.compact_by_pyld(triples)
