"""Media types of the SPARQL protocol and the serialisation of results into them (rdflib's serialisers)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Variable
from rdflib.query import Result

from ..namespaces import PREFIXES
from ..store import QueryResult

# media type -> (rdflib serialiser name, short name for ?format=)
SOLUTION_TYPES: dict[str, tuple[str, str]] = {
    "application/sparql-results+json": ("json", "json"),
    "application/sparql-results+xml": ("xml", "xml"),
    "text/csv": ("csv", "csv"),
    "text/tab-separated-values": ("tsv", "tsv"),
}
GRAPH_TYPES: dict[str, tuple[str, str]] = {
    "text/turtle": ("turtle", "turtle"),
    "application/n-triples": ("nt", "ntriples"),
    "application/ld+json": ("json-ld", "jsonld"),
    "application/rdf+xml": ("xml", "rdfxml"),
}
ALIASES = {  # extra names clients use for the same formats
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
}


@dataclass(frozen=True)
class Serialized:
    """A result already written in its media type (by a query worker, so that only bytes cross the pipe)."""

    body: bytes
    kind: str
    truncated: bool


def offered(kind: str) -> list[str]:
    """Media types for a query kind, the default first."""
    return list(GRAPH_TYPES if kind == "graph" else SOLUTION_TYPES)


def by_short_name(kind: str, name: str) -> str | None:
    table = GRAPH_TYPES if kind == "graph" else SOLUTION_TYPES
    name = name.strip().lower()
    for media, (_ser, short) in table.items():
        if name in (short, media):
            return media
    alias = ALIASES.get(name)
    return alias if alias in table else None


def serialize(result: QueryResult, media: str) -> bytes:
    """The result in `media` (one of `offered(result.kind)`)."""
    if result.kind == "graph":
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri)
        for t in result.triples:
            graph.add(t)
        fmt = GRAPH_TYPES[media][0]
        return graph.serialize(format=fmt, encoding="utf-8")
    out = Result(result.kind.upper() if result.kind == "ask" else "SELECT")
    if result.kind == "ask":
        out.askAnswer = bool(result.boolean)
    else:
        names = [Variable(v) for v in result.variables]
        out.vars = names
        out.bindings = [
            {name: value for name, value in zip(names, row) if value is not None} for row in result.rows
        ]
    fmt = SOLUTION_TYPES[media][0]
    if fmt == "tsv" and result.kind == "select":
        return _tsv(result)
    if result.kind == "ask" and fmt in ("csv", "tsv"):
        return (b"_askResult\n" if fmt == "csv" else b"?_askResult\n") + (b"true\n" if result.boolean else b"false\n")
    return out.serialize(format=fmt, encoding="utf-8")


def _tsv(result: QueryResult) -> bytes:
    """SPARQL 1.1 TSV results: terms in Turtle syntax, which rdflib has no serialiser for."""
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else t.n3().replace("\t", "\\t") for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")
