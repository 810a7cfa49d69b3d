"""The vocabularies the graph uses, in one place, so that every module spells them the same way."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

IPKG = Namespace("https://w3id.org/ipkg/def/")
ID = Namespace("https://w3id.org/ipkg/id/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
QB = Namespace("http://purl.org/linked-data/cube#")
SPDX = Namespace("http://spdx.org/rdf/terms#")

PREFIXES: dict[str, str] = {
    "ipkg": str(IPKG), "eli": str(ELI), "cv": str(CV), "cpsv": str(CPSV), "dct": str(DCTERMS),
    "skos": str(SKOS), "rdfs": str(RDFS), "rdf": str(RDF), "owl": str(OWL), "prov": str(PROV),
    "schema": str(SCHEMA), "org": str(ORG), "xsd": str(XSD), "time": str(TIME), "foaf": str(FOAF),
    "dcat": str(DCAT), "void": str(VOID), "sh": str(SH), "sd": str(SD), "qb": str(QB), "spdx": str(SPDX),
}


def longest_first(prefixes: dict[str, str]) -> list[tuple[str, str]]:
    """Prefixes in the order `curie` tries them: a namespace inside another (shp: in ipkg:) wins."""
    return sorted(prefixes.items(), key=lambda kv: -len(kv[1]))


_LONGEST_FIRST = longest_first(PREFIXES)


def curie(iri: str, prefixes: list[tuple[str, str]] = _LONGEST_FIRST) -> str:
    """`prefix:local` for a term of a known namespace (longest namespace first; a local part with a
    slash is not a valid CURIE), else the IRI itself. The one shortening every page and table uses."""
    for prefix, ns in prefixes:
        rest = iri[len(ns):]
        if iri.startswith(ns) and rest and "/" not in rest:
            return f"{prefix}:{rest}"
    return iri


def local_path(iri: str, base: str) -> str:
    """The path of the local page of one of our IRIs: ontology terms under /def/, things under the
    deployment's `base`; any other IRI is returned as it is (an outside link)."""
    if iri.startswith(str(IPKG)):
        return "/def/" + iri[len(str(IPKG)):]
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def sparql_prologue(ids: str) -> str:
    """PREFIX and BASE lines for queries written against the graph (tests, catalogue, eligibility).

    `ids` is the namespace of the things of the store queried (`Store.ids`: the build's base + "id/"),
    with no default, so that a query written with relative IRIs (`<concept/ip-right>`) finds the
    things of a build under another IPKG_BASE too."""
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()]
    return "\n".join([f"BASE <{ids}>", *lines]) + "\n"


def asserted(graph: str = "?g") -> str:
    """A SPARQL expression true for a named graph other than the build's inferences
    (`{base}graph/inferred`), whatever the deployment's base."""
    return f'!STRENDS(STR({graph}), "/graph/inferred")'
