"""The ontology and its shapes: every term documented in en and ja, every class shaped, schemes well formed."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ipkg.namespaces import IPKG, SH

ROOT = Path(__file__).resolve().parents[1]


def _load(*globs: str) -> Graph:
    g = Graph()
    for pattern in globs:
        for path in sorted(ROOT.glob(pattern)):
            g.parse(path)
    return g


ONTOLOGY = _load("ontology/*.ttl")
SHAPES = _load("shapes/*.ttl")
SCHEMES = _load("ontology/schemes/*.ttl")
TERMS = sorted(
    s for s in set(ONTOLOGY.subjects()) if isinstance(s, URIRef) and str(s).startswith(str(IPKG)) and s != URIRef(str(IPKG))
)
CLASSES = sorted(s for s in ONTOLOGY.subjects(RDF.type, OWL.Class) if str(s).startswith(str(IPKG)))


def _langs(g: Graph, s, p) -> set[str]:
    return {o.language for o in g.objects(s, p) if getattr(o, "language", None)}


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.rsplit("/", 1)[-1])
def test_every_term_has_label_and_definition_in_en_and_ja(term):
    assert {"en", "ja"} <= _langs(ONTOLOGY, term, RDFS.label)
    assert {"en", "ja"} <= _langs(ONTOLOGY, term, SKOS.definition)


def test_every_class_has_a_node_shape():
    shaped = set(SHAPES.objects(None, SH.targetClass))
    missing = [c for c in CLASSES if c not in shaped]
    assert not missing, f"classes without a shape: {missing}"
    assert len(CLASSES) >= 30


def test_classes_and_properties_are_aligned_to_standard_vocabularies():
    standard = ("http://www.w3.org/ns/org#", "http://data.europa.eu/", "http://purl.org/vocab/cpsv#", "https://schema.org/",
                "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#", "http://xmlns.com/foaf/")

    def reaches_standard(term, prop) -> bool:
        return any(str(o).startswith(standard) for o in ONTOLOGY.transitive_objects(term, prop) if o != term)

    for cls, expected in [(IPKG.Authority, "org#Organization"), (IPKG.Programme, "cpsv#PublicService"),
                          (IPKG.LegalInstrument, "eli/ontology#LegalResource"), (IPKG.Article, "LegalResourceSubdivision"),
                          (IPKG.AtomicCondition, "m8g/Constraint"), (IPKG.OfficialFee, "m8g/Cost")]:
        assert any(str(o).endswith(expected) for o in ONTOLOGY.transitive_objects(cls, RDFS.subClassOf))
    for prop in (IPKG.partOf, IPKG.coversRoute, IPKG.targetApplicantKind, IPKG.mergedInto, IPKG.hasBenefit):
        assert reaches_standard(prop, RDFS.subPropertyOf), prop
    assert (IPKG.partOf, RDF.type, OWL.TransitiveProperty) in ONTOLOGY


REQUIRED_SCHEMES = ["applicant-kind", "ip-right", "filing-route", "instrument-kind", "benefit-kind", "sanction-kind",
                    "fee-category", "currency"]


@pytest.mark.parametrize("scheme", REQUIRED_SCHEMES)
def test_required_concept_schemes_exist_with_bilingual_concepts(scheme):
    iri = URIRef(f"https://w3id.org/ipkg/id/concept/{scheme}")
    assert (iri, RDF.type, SKOS.ConceptScheme) in SCHEMES
    concepts = list(SCHEMES.subjects(SKOS.inScheme, iri))
    assert len(concepts) >= 4
    for c in concepts:
        assert {"en", "ja"} <= _langs(SCHEMES, c, SKOS.prefLabel), c


def test_applicant_kinds_form_a_hierarchy():
    c = lambda s: URIRef(f"https://w3id.org/ipkg/id/concept/applicant-kind/{s}")
    chain = list(SCHEMES.transitive_objects(c("small-enterprise"), SKOS.broader))
    assert c("sme") in chain and c("enterprise") in chain and c("applicant") in chain


def test_filing_routes_include_both_pct_phases():
    r = lambda s: URIRef(f"https://w3id.org/ipkg/id/concept/filing-route/{s}")
    for phase in ("pct-international", "pct-national"):
        assert r("pct") in set(SCHEMES.transitive_objects(r(phase), SKOS.broader))
