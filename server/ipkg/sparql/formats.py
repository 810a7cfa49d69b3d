"""Media types of the SPARQL protocol, and results written in them by pyoxigraph's own writers.

The endpoint cuts answers at a row cap, but pyoxigraph writes solutions only from a whole
`QuerySolutions` iterator. So solutions are streamed out as SPARQL TSV (one line per solution, terms
in N-Triples syntax) into a writer that stops the engine once the cap is passed; pyoxigraph then
reads those lines back and writes the requested format. Results from elsewhere (the remote store,
the catalogue's rdflib terms) join the same path as TSV lines. Both ways, every format is written
by the engine's own serialisers, and the engine stops evaluating at the cap.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

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
_RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_WITH_PREFIXES = {"text/turtle", "application/rdf+xml"}
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
    lane: str = ""  # who answered: "cache", "process" (in the request's process), or a worker lane ("light", "heavy")


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


def to_oxigraph(term):
    """An rdflib term as pyoxigraph's."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise TypeError(f"unsupported term {term!r}")


def write_answer(answer, media: str, max_rows: int) -> Serialized:
    """pyoxigraph's lazy answer (`Store.query`) in `media`, cut after `max_rows` solutions or triples."""
    if isinstance(answer, ox.QuerySolutions):
        tsv, truncated = _capped_tsv(answer, max_rows)
        return Serialized(_from_tsv(tsv, media), "select", truncated)
    if isinstance(answer, ox.QueryTriples):
        triples = list(islice(answer, max_rows + 1))
        return Serialized(_write_graph(triples[:max_rows], media), "graph", len(triples) > max_rows)
    return Serialized(_from_tsv(b"true" if answer else b"false", media), "ask", False)


def serialize(result: QueryResult, media: str) -> bytes:
    """A `QueryResult` (rdflib terms) in `media`, one of `offered(result.kind)`."""
    if result.kind == "graph":
        return _write_graph((ox.Triple(*map(to_oxigraph, t)) for t in result.triples), media)
    if result.kind == "ask":
        return _from_tsv(b"true" if result.boolean else b"false", media)
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join("" if t is None else str(to_oxigraph(t)) for t in row) for row in result.rows]
    return _from_tsv(("\n".join(lines) + "\n").encode("utf-8"), media)


def _write_graph(triples, media: str) -> bytes:
    return ox.serialize(triples, format=_RDF_FORMATS[media], prefixes=PREFIXES if media in _WITH_PREFIXES else None)


def _from_tsv(tsv: bytes, media: str) -> bytes:
    if media == "text/tab-separated-values":
        return tsv
    return ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=_RESULTS_FORMATS[media])


class _CapReached(Exception):
    """Raised into pyoxigraph's writer to stop it at the row cap."""


class _CappedLines(io.RawIOBase):
    """A sink for TSV that keeps the header and at most `rows` lines, then stops the writer.

    pyoxigraph writes through a buffer of a few kilobytes, so the engine stops within one buffer
    of the cap rather than evaluating the whole answer."""

    def __init__(self, rows: int):
        self.left = rows + 1  # the header line, then the rows
        self.chunks: list[bytes] = []
        self.reached = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.reached:  # pyoxigraph's buffered writer flushes once more as it drops: nothing more to keep
            return len(data)
        data = bytes(data)
        lines = data.count(b"\n")
        if data and (lines > self.left or (lines == self.left and not data.endswith(b"\n"))):
            end = -1  # a row beyond the cap has begun: keep the lines up to the cap, then stop the engine
            for _ in range(self.left):
                end = data.index(b"\n", end + 1)
            self.chunks.append(data[: end + 1])
            self.reached = True
            raise _CapReached
        self.left -= lines
        self.chunks.append(data)
        return len(data)


def _capped_tsv(solutions: ox.QuerySolutions, max_rows: int) -> tuple[bytes, bool]:
    """The solutions as TSV, at most `max_rows` of them, and whether there were more."""
    sink = _CappedLines(max_rows)
    try:
        solutions.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except Exception:
        if not sink.reached:  # the engine's own error, not our stop
            raise
    return b"".join(sink.chunks), sink.reached
