"""Media types of the SPARQL protocol, and results written in them by pyoxigraph's own writers.

The endpoint cuts answers at a row cap, but pyoxigraph writes solutions only from a whole
`QuerySolutions` iterator. So solutions are streamed out as SPARQL TSV (one line per solution, terms
in N-Triples syntax) into a writer that stops the engine once the cap is passed; pyoxigraph then
reads those lines back and writes the requested format. Results from elsewhere (the remote store,
the catalogue's rdflib terms) join the same path as TSV lines. Both ways, every format is written
by the engine's own serialisers (JSON-LD excepted: pyld compacts it, see `jsonld`), and the engine stops
evaluating at the cap.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .. import jsonld
from ..namespaces import PREFIXES
from ..store import QueryResult, Triple
from ..terms import to_oxigraph

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

    from ..store import OxAnswer


@dataclass(frozen=True)
class Format:
    """One media type the endpoint answers in, for one family of query forms, and the names clients give it.

    `names` are the `format=` values and the other media types clients send for it (in `Accept` or in
    `format=`): SPARQLWrapper sends `format=xml` for a CONSTRUCT whose answer it reads as RDF/XML, and
    `format=json-ld` followed by `format=application/ld+json`; `n3` is answered in Turtle, which is N3.
    The same name may stand for a results format and for a graph format (`xml`, `json`): the query form
    decides. pyoxigraph's writers are found from the media type (`RdfFormat.from_media_type`)."""

    media: str
    graph: bool  # True: an RDF graph (CONSTRUCT, DESCRIBE); False: SPARQL results (SELECT, ASK)
    names: tuple[str, ...]
    sd_name: str  # its name under http://www.w3.org/ns/formats/ (the service description's sd:resultFormat)
    rdflib: str  # rdflib's serialiser name (the service description is an rdflib graph)


FORMATS: tuple[Format, ...] = (  # per family, the default first
    Format("application/sparql-results+json", False,
           ("json", "srj", "application/json", "text/javascript", "application/javascript"), "SPARQL_Results_JSON", "json"),
    Format("application/sparql-results+xml", False, ("xml", "srx", "application/xml", "text/xml"), "SPARQL_Results_XML", "xml"),
    Format("text/csv", False, ("csv",), "SPARQL_Results_CSV", "csv"),
    Format("text/tab-separated-values", False, ("tsv",), "SPARQL_Results_TSV", "tsv"),
    Format("text/turtle", True, ("turtle", "ttl", "n3", "text/n3", "text/rdf+n3", "application/n3",
                                 "application/turtle", "application/x-turtle"), "Turtle", "turtle"),
    Format("application/n-triples", True, ("ntriples", "nt", "n-triples", "text/plain"), "N-Triples", "nt"),
    Format("application/ld+json", True, ("jsonld", "json-ld", "json", "application/json", "application/x-json+ld"),
           "JSON-LD", "json-ld"),
    Format("application/rdf+xml", True, ("rdfxml", "rdf+xml", "rdf", "xml", "application/xml", "text/xml"), "RDF_XML", "xml"),
)
BY_MEDIA: dict[str, Format] = {f.media: f for f in FORMATS}
_WITH_PREFIXES = {"text/turtle", "application/rdf+xml"}


def _family(kind: str) -> list[Format]:
    return [f for f in FORMATS if f.graph == (kind == "graph")]


def aliases(kind: str) -> dict[str, str]:
    """Other media types clients send for the formats of a query kind -> the media type answered."""
    return {name: f.media for f in _family(kind) for name in f.names if "/" in name}


@dataclass(frozen=True)
class Serialized:
    """A result already written in its media type (by a query worker, so that only bytes cross the pipe)."""

    body: bytes
    kind: str
    truncated: bool
    lane: str = ""  # who answered: "cache", "process" (in the request's process), or a worker lane ("light", "heavy")


def offered(kind: str) -> list[str]:
    """Media types for a query kind ("select", "ask" or "graph"), the default first."""
    return [f.media for f in _family(kind)]


def by_short_name(kind: str, name: str) -> str | None:
    """The media type a `format=` value names for this query kind (a short name or a media type), else None."""
    name = name.strip().lower()
    for f in _family(kind):
        if name == f.media or name in f.names:
            return f.media
    return None


def write_answer(answer: OxAnswer, media: str, max_rows: int) -> Serialized:
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
        return _write_graph((_triple(t) for t in result.triples), media)
    if result.kind == "ask":
        return _from_tsv(b"true" if result.boolean else b"false", media)
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join("" if t is None else str(to_oxigraph(t)) for t in row) for row in result.rows]
    return _from_tsv(("\n".join(lines) + "\n").encode("utf-8"), media)


def _triple(t: Triple) -> ox.Triple:
    subject, predicate, object_ = map(to_oxigraph, t)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {t!r}")
    return ox.Triple(subject, predicate, object_)


def _written(data: bytes | None) -> bytes:
    """pyoxigraph's serialisation as bytes (its writers return None only when given a file to write to)."""
    if data is None:
        raise TypeError("pyoxigraph wrote no bytes")
    return data


def _write_graph(triples: Iterable[ox.Triple], media: str) -> bytes:
    if media == "application/ld+json":  # compacted with the published context (pyoxigraph writes expanded JSON-LD only)
        return jsonld.compact(triples)
    return _written(ox.serialize(triples, format=ox.RdfFormat.from_media_type(media),
                                 prefixes=PREFIXES if media in _WITH_PREFIXES else None))


def _from_tsv(tsv: bytes, media: str) -> bytes:
    if media == "text/tab-separated-values":
        return tsv
    results = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return _written(results.serialize(format=ox.QueryResultsFormat.from_media_type(media)))


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

    def write(self, data: ReadableBuffer) -> int:
        data = bytes(data)
        if self.reached:  # pyoxigraph's buffered writer flushes once more as it drops: nothing more to keep
            return len(data)
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
        # pyoxigraph writes to any object with write(); its stub names only IO[bytes], which no io.RawIOBase is
        solutions.serialize(sink, format=ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]
    except Exception:
        if not sink.reached:  # the engine's own error, not our stop
            raise
    return b"".join(sink.chunks), sink.reached
