"""Dumps and dataset descriptions: the whole dataset (TriG, N-Quads, gzip), each named graph (Turtle, JSON-LD), VoID + DCAT.

Every file is byte-identical for identical input (quads sorted, canonical blank nodes, gzip without
a timestamp), so a dump's checksum identifies its content. pyoxigraph's serialisers write them:
hundreds of times faster than rdflib's on this data (0.03 s against 11 s for all files).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import platform
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, VOID, XSD
from rdflib.term import Node

from . import jsonld, release
from .config import Settings
from .media import GZIP, JSON_LD, N_QUADS, TEXT, TRIG, TURTLE
from .namespaces import IPKG, PREFIXES, SD, SPDX
from .terms import to_oxigraph

if TYPE_CHECKING:
    from .build import Compiled

LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
GRAPH_DOCUMENTS = (TURTLE, JSON_LD)  # each named graph's own files
DUMP_FORMATS = {"ipkg.trig.gz": TRIG, "ipkg.nq.gz": N_QUADS}  # the whole dataset, gzipped
TOOLS = ("ipkg", "rdflib", "pyoxigraph", "pyshacl", "pylode")  # the packages whose code makes the dataset (and the reasoner)
CHECKSUMS = "SHA256SUMS"
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's DCAT namespace predates it


@dataclass(frozen=True)
class Release:
    """What names one build: its version, the day it was made, and the digest of what it read."""

    version: str
    date: str
    digest: str
    inputs: dict[str, str]  # project path -> SHA-256

    @classmethod
    def of(cls, settings: Settings) -> Release:
        digest = release.sources_digest(settings.root)
        date = settings.build_date or dt.datetime.now(dt.UTC).date().isoformat()
        return cls(release.version_of(date, digest), date, digest, release.input_checksums(settings.root))

    @property
    def tag(self) -> str:
        return release.file_tag(self.version)


def tool_versions(reasoner: str) -> dict[str, str]:
    """The versions of the software the build ran, as installed (Python itself included)."""
    versions = {"python": platform.python_version()}
    for name in (*TOOLS, reasoner):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "unknown"
    return versions


def _checksum(g: Graph, subject: URIRef, sha256: str) -> None:
    node = BNode()
    g.add((subject, SPDX.checksum, node))
    g.add((node, RDF.type, SPDX.Checksum))
    g.add((node, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((node, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))


def _quad(s: Node, p: Node, o: Node, graph: str) -> ox.Quad:
    subject, predicate = to_oxigraph(s), to_oxigraph(p)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {s!r} {p!r} {o!r}")
    return ox.Quad(subject, predicate, to_oxigraph(o), ox.NamedNode(graph))


def _graph_name(quad: ox.Quad) -> str:
    """The name of a quad's graph (every quad of a dump is in a named graph)."""
    name = quad.graph_name
    return "" if isinstance(name, ox.DefaultGraph) else name.value


def _sorted_quads(compiled: Compiled) -> list[ox.Quad]:
    quads = [_quad(s, p, o, str(g)) for g, graph in compiled.graphs.items() for s, p, o in graph]
    return sorted(quads, key=lambda q: (_graph_name(q), str(q.subject), str(q.predicate), str(q.object)))


def _serialize(items: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    """pyoxigraph's serialisation as bytes (it returns None only when given a file to write to)."""
    data = ox.serialize(items, format=fmt, prefixes=prefixes)
    if data is None:
        raise TypeError("pyoxigraph wrote no bytes")
    return data


def _write(path: Path, data: bytes, gz: bool = False) -> None:
    path.write_bytes(data)
    if gz:
        with open(f"{path}.gz", "wb") as raw, gzip.GzipFile(filename=path.name, mode="wb", fileobj=raw, mtime=0) as out:
            out.write(data)


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


class FileRecord(TypedDict):
    """A dump as the catalogue describes it: its release-versioned name, its size and its SHA-256."""

    name: str
    bytes: int
    sha256: str


def describe(compiled: Compiled, settings: Settings, rel: Release, files: dict[str, FileRecord]) -> Graph:
    """VoID + DCAT description of the dataset, its named graphs, its dumps (named by release, with their
    SHA-256) and its SPARQL service, and the build that made this release (PROV-O)."""
    g = Graph()
    for prefix in ("void", "dcat", "dct", "sd", "foaf", "rdfs", "xsd", "ipkg", "prov", "spdx", "owl"):
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
    version = Literal(rel.version)
    g.add((ds, DCTERMS.hasVersion, version))
    g.add((ds, DCAT_VERSION, version))
    g.add((ds, DCTERMS.issued, Literal(rel.date, datatype=XSD.date)))
    notes = URIRef(base + "releases")  # the release notes: this release's facts and the model's CHANGELOG (web/releases.py)
    g.add((ds, RDFS.seeAlso, notes))
    g.add((notes, DCTERMS.title, Literal("Releases and release notes", lang="en")))
    _build_activity(g, ds, settings, rel)
    _ontology_version(g, compiled, base)
    total = Graph()
    for name, graph in sorted(compiled.graphs.items()):
        subset = URIRef(base + "dataset/" + graph_file_name(str(name)))
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, name))
        g.add((subset, DCTERMS.title, Literal(f"named graph {graph_file_name(str(name))}", lang="en")))
        g.add((subset, DCTERMS.hasVersion, version))
        g.add((subset, PROV.wasGeneratedBy, URIRef(f"{base}dataset/build/{rel.tag}")))
        for key, value in statistics(graph).items():
            g.add((subset, VOID[key], Literal(value, datatype=XSD.integer)))
        for document in GRAPH_DOCUMENTS:
            _distribution(g, subset, f"graph/{graph_file_name(str(name))}.{document.name}", document.media, base, files)
        total += graph
    for key, value in statistics(total).items():
        g.add((ds, VOID[key], Literal(value, datatype=XSD.integer)))
    for file, kind in DUMP_FORMATS.items():
        dist = _distribution(g, ds, file, kind.media, base, files)
        g.add((dist, DCAT.compressFormat, Literal(GZIP.media)))
    sums = URIRef(f"{base}download/{CHECKSUMS}")
    g.add((ds, DCAT.distribution, sums))
    g.add((sums, RDF.type, DCAT.Distribution))
    g.add((sums, DCAT.mediaType, Literal(TEXT.media)))
    g.add((sums, DCTERMS.description, Literal(f"SHA-256 of every file of release {rel.version}, as `sha256sum -c` reads them", lang="en")))
    for doc in sorted(set(total.subjects(RDF.type, IPKG.SourceDocument)), key=str):  # IRIs: rdflib orders them by their text
        g.add((ds, DCTERMS.source, doc))
        for label in total.objects(doc, RDFS.label):
            g.add((doc, RDFS.label, label))
    context = URIRef(jsonld.CONTEXT_IRI)  # the prefixes every JSON-LD file of the dataset is compacted with
    g.add((ds, RDFS.seeAlso, context))
    g.add((context, DCTERMS.title, Literal("JSON-LD context of the dataset's prefixes", lang="en")))
    g.add((context, DCTERMS["format"], Literal(JSON_LD.media)))
    g.add((context, DCAT.downloadURL, URIRef(f"{base}download/{jsonld.CONTEXT_FILE}")))
    g.add((service, RDF.type, SD.Service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, SD.endpoint, service))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    return g


def _distribution(g: Graph, dataset: URIRef, file: str, media: str, base: str, files: dict[str, FileRecord]) -> URIRef:
    """One dump of `dataset`: named by the release it belongs to, with its size and SHA-256; the plain
    name (`/download/{file}`) stays the access URL of whatever release the server holds."""
    record = files[file]
    dist = URIRef(f"{base}download/{record['name']}")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dataset, VOID.dataDump, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.mediaType, Literal(media)))
    g.add((dist, DCAT.downloadURL, dist))
    g.add((dist, DCAT.accessURL, URIRef(f"{base}download/{file}")))
    g.add((dist, DCAT.byteSize, Literal(record["bytes"], datatype=XSD.nonNegativeInteger)))
    g.add((dist, DCTERMS.license, LICENCE))
    _checksum(g, dist, record["sha256"])
    return dist


def _build_activity(g: Graph, ds: URIRef, settings: Settings, rel: Release) -> None:
    """The build as a prov:Activity: the day, the software that ran (with versions) and every file it
    read (with its SHA-256), so that anyone can check a release against a checkout."""
    base = settings.base
    activity = URIRef(f"{base}dataset/build/{rel.tag}")
    g.add((ds, PROV.wasGeneratedBy, activity))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"ipkg build of release {rel.version}", lang="en")))
    g.add((activity, DCTERMS.date, Literal(rel.date, datatype=XSD.date)))
    g.add((activity, DCTERMS.identifier, Literal(rel.digest)))
    for name, version in tool_versions(settings.reasoner).items():
        agent = URIRef(f"{activity}/software/{name}")
        g.add((activity, PROV.wasAssociatedWith, agent))
        g.add((agent, RDF.type, PROV.SoftwareAgent))
        g.add((agent, RDFS.label, Literal(name)))
        g.add((agent, DCTERMS.hasVersion, Literal(version)))
    for path, sha256 in rel.inputs.items():
        entity = URIRef(f"{activity}/input/{path}")
        g.add((activity, PROV.used, entity))
        g.add((entity, RDF.type, PROV.Entity))
        g.add((entity, DCTERMS.identifier, Literal(path)))
        _checksum(g, entity, sha256)


def _ontology_version(g: Graph, compiled: Compiled, base: str) -> None:
    """The ontology's version statements, copied into the description beside the data's."""
    ontology = URIRef(base + "def/")
    for graph in compiled.graphs.values():
        for p in (OWL.versionInfo, OWL.versionIRI):
            for o in graph.objects(ontology, p):
                g.add((ontology, p, o))


def _model_version(compiled: Compiled, base: str) -> str:
    """The ontology's owl:versionInfo, as built."""
    for g in compiled.graphs.values():
        for version in g.objects(URIRef(base + "def/"), OWL.versionInfo):
            return str(version)
    return "unknown"


def _file_record(dist: Path, name: str, rel: Release) -> FileRecord:
    data = (dist / name).read_bytes()
    return {"name": release.versioned_name(name, rel.version), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def write_all(compiled: Compiled, settings: Settings) -> dict[str, Path]:
    """Write every dump and description into settings.dist_path; return the whole-dataset N-Quads path and friends.

    The files keep their plain names on disk (a wheel and `ensure_store` read them so); the release's
    names for them, sizes and SHA-256 go into build.json ("downloads"), void.ttl and SHA256SUMS."""
    dist = settings.dist_path
    rel = Release.of(settings)
    (dist / "graph").mkdir(parents=True, exist_ok=True)
    quads = _sorted_quads(compiled)
    _write(dist / "ipkg.nq", _serialize(quads, ox.RdfFormat.N_QUADS), gz=True)
    _write(dist / "ipkg.trig", _serialize(quads, ox.RdfFormat.TRIG, PREFIXES), gz=True)
    names = list(DUMP_FORMATS)
    for name in sorted(compiled.graphs):
        triples = [q.triple for q in quads if _graph_name(q) == str(name)]
        stem = graph_file_name(str(name))
        _write(dist / "graph" / f"{stem}.ttl", _serialize(triples, ox.RdfFormat.TURTLE, PREFIXES))
        _write(dist / "graph" / f"{stem}.jsonld", jsonld.compact(triples))  # compacted with the published context
        names += [f"graph/{stem}.ttl", f"graph/{stem}.jsonld"]
    _write(dist / jsonld.CONTEXT_FILE, jsonld.context_document())
    names.append(jsonld.CONTEXT_FILE)
    files = {name: _file_record(dist, name, rel) for name in names}
    _write(dist / "void.ttl", describe(compiled, settings, rel, files).serialize(format="turtle", encoding="utf-8"))
    files["void.ttl"] = _file_record(dist, "void.ttl", rel)
    (dist / CHECKSUMS).write_text("".join(f"{r['sha256']}  {r['name']}\n" for r in files.values()), encoding="utf-8")
    (dist / "build.json").write_text(json.dumps(
        {"graphs": compiled.triple_counts(), "timings": compiled.timings, "modelVersion": _model_version(compiled, settings.base),
         "sourcesDigest": rel.digest, "version": rel.version, "date": rel.date, "downloads": files}, indent=2, sort_keys=True))
    return {"ipkg.nq": dist / "ipkg.nq", "ipkg.trig": dist / "ipkg.trig", "void.ttl": dist / "void.ttl"}
