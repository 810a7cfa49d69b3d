"""Dumps and dataset descriptions: the whole dataset (TriG, N-Quads, gzip), each named graph (Turtle, JSON-LD), VoID + DCAT.

Every file is byte-identical for identical input (sorted N-Quads, canonical blank nodes, gzip without
a timestamp), so a dump's checksum identifies its content.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from .config import Settings
from .namespaces import ID, IPKG, PREFIXES, SD

if TYPE_CHECKING:
    from .build import Compiled

LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
GRAPH_FORMATS = {"ttl": ("turtle", "text/turtle"), "jsonld": ("json-ld", "application/ld+json")}
DUMP_FORMATS = {"ipkg.trig.gz": "application/trig", "ipkg.nq.gz": "application/n-quads"}


def _dataset(compiled: Compiled) -> Dataset:
    ds = Dataset()
    for prefix, iri in PREFIXES.items():
        ds.bind(prefix, iri)
    for name in sorted(compiled.graphs):
        g = ds.graph(name)
        for t in compiled.graphs[name]:
            g.add(t)
    return ds


def _write(path: Path, text: str, gz: bool = False) -> None:
    path.write_text(text, encoding="utf-8")
    if gz:
        with open(f"{path}.gz", "wb") as raw, gzip.GzipFile(filename=path.name, mode="wb", fileobj=raw, mtime=0) as out:
            out.write(text.encode("utf-8"))


def graph_file_name(graph: str) -> str:
    return graph.rstrip("/").rsplit("/", 1)[-1]


def statistics(graph: Graph) -> dict[str, int]:
    """VoID statistics of one graph."""
    return {
        "triples": len(graph),
        "classes": len(set(graph.objects(None, RDF.type))),
        "properties": len(set(graph.predicates())),
        "entities": len({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}),
        "distinctSubjects": len(set(graph.subjects())),
        "distinctObjects": len(set(graph.objects())),
    }


def describe(compiled: Compiled, settings: Settings) -> Graph:
    """VoID + DCAT description of the dataset, its named graphs, its dumps and its SPARQL service."""
    g = Graph()
    for prefix in ("void", "dcat", "dct", "sd", "foaf", "rdfs", "xsd", "ipkg"):
        g.bind(prefix, PREFIXES[prefix])
    base = settings.base
    ds = URIRef(base + "dataset")
    service = URIRef(base + "sparql")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("ipkg: IP-policy knowledge graph", lang="en")))
    g.add((ds, DCTERMS.title, Literal("ipkg 知的財産政策ナレッジグラフ", lang="ja")))
    g.add((ds, DCTERMS.description, Literal(
        "Authorities, programmes, legal instruments and their articles, conditions, benefits, official fees, sanctions, "
        "events and figures of IP policy in Japan and China, each fact cited to its source document and line.", lang="en")))
    g.add((ds, DCTERMS.license, LICENCE))
    g.add((ds, VOID.sparqlEndpoint, service))
    g.add((ds, VOID.uriSpace, Literal(base + "id/")))
    g.add((ds, VOID.vocabulary, URIRef(str(IPKG))))
    g.add((ds, FOAF.homepage, URIRef(base)))
    total = Graph()
    for name, graph in sorted(compiled.graphs.items()):
        subset = URIRef(base + "dataset/" + graph_file_name(str(name)))
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, name))
        g.add((subset, DCTERMS.title, Literal(f"named graph {graph_file_name(str(name))}", lang="en")))
        for key, value in statistics(graph).items():
            g.add((subset, VOID[key], Literal(value, datatype=XSD.integer)))
        for ext, (_fmt, media) in GRAPH_FORMATS.items():
            dist = URIRef(f"{base}download/graph/{graph_file_name(str(name))}.{ext}")
            g.add((subset, DCAT.distribution, dist))
            g.add((subset, VOID.dataDump, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCAT.mediaType, Literal(media)))
            g.add((dist, DCTERMS.license, LICENCE))
        total += graph
    for key, value in statistics(total).items():
        g.add((ds, VOID[key], Literal(value, datatype=XSD.integer)))
    for file, media in DUMP_FORMATS.items():
        dist = URIRef(f"{base}download/{file}")
        g.add((ds, DCAT.distribution, dist))
        g.add((ds, VOID.dataDump, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.mediaType, Literal(media)))
        g.add((dist, DCAT.compressFormat, Literal("application/gzip")))
        g.add((dist, DCTERMS.license, LICENCE))
    for doc in sorted(set(total.subjects(RDF.type, IPKG.SourceDocument))):
        g.add((ds, DCTERMS.source, doc))
        for label in total.objects(doc, RDFS.label):
            g.add((doc, RDFS.label, label))
    g.add((service, RDF.type, SD.Service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, SD.endpoint, service))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    return g


def write_all(compiled: Compiled, settings: Settings) -> dict[str, Path]:
    """Write every dump and description into settings.dist_path; return the whole-dataset N-Quads path and friends."""
    dist = settings.dist_path
    (dist / "graph").mkdir(parents=True, exist_ok=True)
    ds = _dataset(compiled)
    nquads = "".join(sorted(line + "\n" for line in ds.serialize(format="nquads").splitlines() if line.strip()))
    _write(dist / "ipkg.nq", nquads, gz=True)
    _write(dist / "ipkg.trig", ds.serialize(format="trig"), gz=True)
    for name, graph in sorted(compiled.graphs.items()):
        single = Graph()
        for prefix, iri in PREFIXES.items():
            single.bind(prefix, iri)
        for t in graph:
            single.add(t)
        for ext, (fmt, _media) in GRAPH_FORMATS.items():
            _write(dist / "graph" / f"{graph_file_name(str(name))}.{ext}", single.serialize(format=fmt))
    _write(dist / "void.ttl", describe(compiled, settings).serialize(format="turtle"))
    (dist / "build.json").write_text(
        json.dumps({"graphs": compiled.triple_counts(), "timings": compiled.timings}, indent=2, sort_keys=True))
    return {"ipkg.nq": dist / "ipkg.nq", "ipkg.trig": dist / "ipkg.trig", "void.ttl": dist / "void.ttl"}
