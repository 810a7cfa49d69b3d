"""The media types SPARQL answers come in (rows of `ipkg.media`), and results written in them by pyoxigraph's own writers.

The endpoint cuts answers at a row cap, but pyoxigraph writes solutions only from a whole
`QuerySolutions` iterator. So solutions are streamed out as SPARQL TSV (one line per solution, terms
in N-Triples syntax) into a writer that stops the engine once the cap is passed; pyoxigraph then
reads those lines back and writes the requested format. Results from elsewhere (the remote store,
the catalogue's rdflib terms) join the same path as TSV lines. Both ways, every format is written
by the engine's own serialisers (JSON-LD excepted: `jsonld` compacts it), and the engine stops
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
from ..media import CSV, JSON_LD, N_TRIPLES, RDF_XML, RESULTS_JSON, RESULTS_TSV, RESULTS_XML, TURTLE, Offer
from ..namespaces import PREFIXES
from ..store import QueryResult, Triple
from ..terms import to_oxigraph

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

    from ..store import OxAnswer


RESULTS = (RESULTS_JSON, RESULTS_XML, CSV, RESULTS_TSV)  # SELECT and ASK, the default first
GRAPHS = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)  # CONSTRUCT and DESCRIBE
OFFERS = {"select": Offer("a SELECT query", RESULTS), "ask": Offer("an ASK query", RESULTS),
          "graph": Offer("a CONSTRUCT or DESCRIBE query", GRAPHS)}
_WITH_PREFIXES = {TURTLE.media, RDF_XML.media}


def offer(kind: str) -> Offer:
    """The media types a query kind ("select", "ask" or "graph") is answered in, the default first."""
    return OFFERS[kind]


@dataclass(frozen=True)
class Serialized:
    """A result already written in its media type (by a query worker, so that only bytes cross the pipe)."""

    body: bytes
    kind: str
    truncated: bool
    lane: str = ""  # who answered: "cache", "process" (in the request's process), or a worker lane ("light", "heavy")


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
    """A `QueryResult` (rdflib terms) in `media`, one of `offer(result.kind)`."""
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
    if media == JSON_LD.media:  # compacted with the published context (pyoxigraph writes expanded JSON-LD only)
        return jsonld.compact(triples)
    return _written(ox.serialize(triples, format=ox.RdfFormat.from_media_type(media),
                                 prefixes=PREFIXES if media in _WITH_PREFIXES else None))


def _from_tsv(tsv: bytes, media: str) -> bytes:
    if media == RESULTS_TSV.media:
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
