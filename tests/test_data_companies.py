"""Companies are not authorities (model 1.4.0, issue 17): the firms the sources name are ipkg:Company."""

from __future__ import annotations

from pyshacl import validate
from rdflib import Graph

from conftest import ROOT
from ipkg.namespaces import SH

ID = "https://w3id.org/ipkg/id/"
FIRMS = {  # the firms the sources name, each with the line that names it
    "murata-manufacturing": "000:587", "alibaba-group": "000:619", "alibaba-cloud": "000:621", "synflux": "002:3270",
    "huawei": "002:3143", "netgear": "002:3143", "interdigital": "002:3149", "lenovo": "002:3149",
    "panasonic": "002:3151", "xiaomi": "002:3151",
}


def test_the_firms_of_the_sources_are_companies_not_authorities(kg):
    rows = kg.rows("SELECT ?x WHERE { ?x a ipkg:Company }")
    assert {r["x"].rsplit("/", 1)[-1] for r in rows} == set(FIRMS)
    assert not kg.rows("SELECT ?x WHERE { ?x a ipkg:Company , ipkg:Authority }")
    assert kg.ask("ASK { <authority/alibaba-cloud> a ipkg:Company , org:Organization , schema:Corporation ; org:subOrganizationOf <authority/alibaba-group> }")


def test_only_groups_named_by_their_role_remain_authorities_of_kind_company(kg):
    rows = kg.rows("SELECT ?x WHERE { ?x a ipkg:Authority ; ipkg:authorityKind <concept/authority-kind/company> }")
    assert {r["x"].rsplit("/", 1)[-1] for r in rows} == {
        "chongqing-high-tech-acceptance-intermediary", "chongqing-high-tech-financial-intermediaries", "jp-regional-financial-institutions"}


def test_the_counterfeit_seizure_names_the_rights_holder_as_a_company(kg):
    rows = kg.rows((ROOT / "queries" / "competency" / "000-08-dongguan-seizure.rq").read_text(encoding="utf-8"))
    assert [(r["seized"], r["holder"]) for r in rows] == [(1520000, ID + "authority/murata-manufacturing")]  # 000:589


def shapes_graph() -> Graph:
    shapes = Graph()
    for pattern in ("shapes/*.ttl", "ontology/*.ttl", "ontology/schemes/*.ttl", "data/reference/*.ttl"):
        for path in sorted(ROOT.glob(pattern)):
            shapes.parse(path)
    return shapes


BROKEN_COMPANY = """
@prefix ipkg: <https://w3id.org/ipkg/def/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@base <https://w3id.org/ipkg/id/> .
<authority/fixture-firm> a ipkg:Company , ipkg:Authority ; rdfs:label "某社"@ja , "A firm"@en ;
    ipkg:authorityKind <concept/authority-kind/company> ; prov:wasDerivedFrom <doc/cnipa-fee-guide-2025/line/32> .
"""


def test_the_shapes_refuse_a_company_typed_as_an_authority():
    data = Graph().parse(data=BROKEN_COMPANY, format="turtle")
    data += Graph().parse(ROOT / "data" / "cnipa-fee-guide-2025" / "fees.ttl")
    for path in sorted(ROOT.glob("ontology/schemes/*.ttl")):
        data.parse(path)
    conforms, report, _ = validate(data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True)
    assert not conforms
    assert "a company is an ipkg:Company, not an ipkg:Authority" in "\n".join(str(o) for o in report.objects(None, SH.resultMessage))
