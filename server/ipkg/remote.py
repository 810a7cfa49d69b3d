"""A `Store` over any SPARQL 1.1 query endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, QLever).

Why a remote store at all: a deployment that outgrows the embedded store points the same service at
a server that does the work. The endpoint's gate still runs first in the web app, so SERVICE, LOAD,
updates and unknown FROM graphs never reach the remote server; this module only has to speak the
protocol faithfully and keep the service's promises that the embedded path keeps with worker
processes: a deadline (here the HTTP timeout) and a row cap that reads no more than it needs.

Requests go through SPARQLWrapper as URL-encoded POSTs (the one request form every server above
accepts, and no URL-length limit); `default_graphs` / `named_graphs` travel as the protocol's
`default-graph-uri` / `named-graph-uri` parameters. Answers are read as a stream: SPARQL JSON results
for SELECT/ASK and N-Triples (Turtle as a fallback) for CONSTRUCT/DESCRIBE, so that `max_rows`
stops the transfer as soon as one row more than the cap has arrived.

Bindings (the query catalogue's parameters, the resource pages' subject) are applied exactly as
the embedded store applies them, by `bind.substitute`: each bound `?name` token (outside
strings, IRIs and comments) becomes the term's N-Triples form written by rdflib, never the user's
text, so a value cannot change the query's structure, and both backends receive the same query
text and give the same answers. Why not append a trailing VALUES block: it is joined after grouping
and after the WHERE group's FILTERs, so a parameter used in a FILTER (`FILTER(?yearFrom <= ?year)`
in the catalogue) would be unbound where the filter runs and the query would answer nothing. Why
not rewrite via rdflib's algebra: turning algebra back into text (`translateAlgebra`) does not
round-trip every query, and the remote server must receive the query as written.
"""

from __future__ import annotations

import codecs
import io
import json
import socket
import time
import urllib.error
import warnings
from collections.abc import Iterator, Mapping
from http.client import HTTPResponse
from typing import IO, Any, TypeAlias

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.parsers.ntriples import DummySink, W3CNTriplesParser
from rdflib.term import Identifier, Node
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .errors import Busy, InvalidRequest, TimedOut, Unavailable, timeout_message
from .media import N_TRIPLES, RESULTS_JSON, TURTLE, Offer
from .namespaces import ID
from .store import QueryResult, Triple

READS = Offer("the remote store's answer", (RESULTS_JSON, N_TRIPLES, TURTLE))  # what ipkg reads, the preferred first
ACCEPT = ", ".join(t.media + (f";q={1 - i / 10:g}" if i else "") for i, t in enumerate(READS.types))
CHUNK = 64 * 1024
_DECODER = json.JSONDecoder()
GRAPH_NAMES_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# One solution of SPARQL JSON results: variable -> {"type": ..., "value": ..., "xml:lang" / "datatype": ...}
Binding: TypeAlias = dict[str, dict[str, str]]


class RemoteTimeout(TimedOut, TimeoutError):
    """The remote store did not answer within the deadline (or cancelled the query at its own limit)."""


class RemoteUnavailable(Unavailable, ConnectionError):
    """The remote store could not be reached at all (refused, unknown host, reset before answering)."""


class RemoteQueryError(InvalidRequest):
    """The remote store answered with an error; `status` is its HTTP status (None: unreadable answer).
    The message is prefixed so that a client can tell the remote store's words from ipkg's own."""

    def __init__(self, message: str, status: int | None = None) -> None:
        shown = f" (HTTP {status})" if status else ""
        super().__init__(f"query could not be evaluated by the remote store{shown}: {message}")
        self.status = status


class RemoteBusy(Busy, RemoteQueryError):
    """The remote store said it is overloaded (429 or 503): the same query may succeed shortly."""


def remote_error(message: str, status: int | None) -> RemoteQueryError:
    return (RemoteBusy if status in (429, 503) else RemoteQueryError)(message, status)


class RemoteStore:
    """Read queries against a SPARQL 1.1 query endpoint, as `QueryResult`s of rdflib terms.

    The server must answer queries without GRAPH over the union of its named graphs (Oxigraph:
    `--union-default-graph`; see docs/remote-store.md for other servers), as the embedded store does.
    """

    def __init__(self, endpoint: str, *, timeout: float = 10.0, agent: str = "ipkg (SPARQLWrapper)", ids: str = str(ID)) -> None:
        self.endpoint = endpoint
        self.ids = ids
        self.timeout = float(timeout)
        self.agent = agent

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r}, timeout={self.timeout:g})"

    def graph_names(self) -> list[str]:
        result = self.query(GRAPH_NAMES_QUERY)
        return sorted(str(row[0]) for row in result.rows if row and isinstance(row[0], URIRef))

    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        bindings: Mapping[str, Identifier] | None = None,
        max_rows: int | None = None,
        base: str | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        """Run one read query within `self.timeout` seconds; raises RemoteTimeout / RemoteUnavailable / RemoteQueryError.

        `base` and `prefixes` travel as BASE and PREFIX lines before the query text (the Protocol has no
        parameter for them); the query's own declarations come later and override them."""
        if bindings:
            from .bind import substitute

            sparql = substitute(sparql, dict(bindings))
        if prefixes:
            sparql = "".join(f"PREFIX {p}: <{iri}> " for p, iri in prefixes.items()) + sparql
        if base:
            sparql = f"BASE <{base}> {sparql}"
        deadline = time.monotonic() + self.timeout
        response = self._send(sparql, default_graphs or [], named_graphs or [])
        try:
            return _read(response, deadline, max_rows)
        except (RemoteTimeout, RemoteUnavailable):
            raise
        except TimeoutError as exc:
            raise RemoteTimeout(timeout_message(self.timeout)) from exc
        except (ConnectionError, OSError) as exc:
            raise RemoteUnavailable(f"the remote store at {self.endpoint} dropped the connection: {exc}") from exc
        finally:
            response.close()

    def _wrapper(self, sparql: str, default_graphs: list[str], named_graphs: list[str]) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint, agent=self.agent)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: the Accept header says it
        with warnings.catch_warnings():  # its query-type sniffing warns on unusual but valid prologues
            warnings.simplefilter("ignore")
            wrapper.setQuery(sparql)
        for graph in default_graphs:
            wrapper.addParameter("default-graph-uri", graph)
        for graph in named_graphs:
            wrapper.addParameter("named-graph-uri", graph)
        wrapper.addCustomHttpHeader("Accept", ACCEPT)
        # the attribute, not setTimeout(): that truncates to whole seconds; SPARQLWrapper declares it
        # Optional[int] but hands it to urlopen, which takes any number of seconds
        wrapper.timeout = self.timeout  # type: ignore[assignment]
        return wrapper

    def _send(self, sparql: str, default_graphs: list[str], named_graphs: list[str]) -> HTTPResponse:
        """The open HTTP response, or the remote's failure as one of this module's exceptions."""
        wrapper = self._wrapper(sparql, default_graphs, named_graphs)
        try:
            return wrapper.query().response
        except SPARQLWrapperException as exc:  # 400, 401, 404, 414, 500: SPARQLWrapper keeps the body in its message
            status = getattr(exc.__context__, "code", None)
            raise remote_error(remote_body(str(exc)), status) from exc
        except urllib.error.HTTPError as exc:  # any other status
            body = exc.read().decode("utf-8", "replace").strip()
            raise remote_error(body or exc.reason or f"HTTP {exc.code}", exc.code) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise RemoteTimeout(timeout_message(self.timeout)) from exc
            raise RemoteUnavailable(f"cannot reach the remote store at {self.endpoint}: {exc.reason}") from exc
        except TimeoutError as exc:  # no status line within the deadline
            raise RemoteTimeout(timeout_message(self.timeout)) from exc
        except (ConnectionError, OSError) as exc:
            raise RemoteUnavailable(f"cannot reach the remote store at {self.endpoint}: {exc}") from exc




def remote_body(message: str) -> str:
    """The server's own words from a SPARQLWrapper exception message ('...Response:\\nb"..."')."""
    _, sep, tail = message.partition("Response:\n")
    if not sep:
        return message
    try:
        from ast import literal_eval

        raw = literal_eval(tail.strip())
        return (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)).strip()
    except (ValueError, SyntaxError):
        return tail.strip()


# ---- reading answers as streams -----------------------------------------------------------------


class _Text:
    """Decoded text of a response, read in chunks on demand, with the deadline checked at every read."""

    def __init__(self, stream: IO[bytes], deadline: float) -> None:
        self.stream = stream
        self.deadline = deadline
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.buf = ""
        self.pos = 0
        self.eof = False

    def more(self) -> bool:
        """Read one more chunk; False at the end of the body."""
        if self.eof:
            return False
        if time.monotonic() > self.deadline:
            raise TimeoutError("deadline passed while reading the answer")
        chunk = self.stream.read1(CHUNK) if hasattr(self.stream, "read1") else self.stream.read(CHUNK)
        if self.pos > CHUNK:  # drop what has been consumed, so memory stays bounded by the unread part
            self.buf, self.pos = self.buf[self.pos :], 0
        self.buf += self.decoder.decode(chunk, final=not chunk)
        self.eof = not chunk
        return not self.eof

    def peek(self) -> str:
        """The next non-blank character ('' at the end)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def expect(self, chars: str) -> str:
        char = self.peek()
        if not char or char not in chars:
            raise ValueError(f"expected one of {chars!r} at offset {self.pos}, found {char!r}")
        self.pos += 1
        return char

    def value(self) -> Any:
        """One complete JSON value at the current position (reading more text until it is complete)."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof:  # a number or literal at the very end may be cut short
                    self.pos = end
                    return value
            except json.JSONDecodeError:
                if self.eof:
                    raise
            self.more()


def _read(response: HTTPResponse, deadline: float, max_rows: int | None) -> QueryResult:
    media = response.headers.get_content_type()
    kind = READS.named(media)
    if kind is RESULTS_JSON:
        text = _Text(response, deadline)
        try:
            return _json_results(text, max_rows)
        except ValueError as exc:
            raise _bad_body(text, exc) from exc
    if kind is N_TRIPLES:
        return _ntriples(response, deadline, max_rows)
    if kind is TURTLE:
        return _turtle(response, deadline, max_rows)
    raise RemoteQueryError(f"the remote store answered in {media!r}, which ipkg does not read (asked for: {ACCEPT})")


def _bad_body(text: _Text, exc: Exception) -> Exception:
    """A body that is not the JSON it claims; Oxigraph writes this when it cancels at its own timeout."""
    tail = text.buf[max(0, text.pos - 40) : text.pos + 200]
    if "cancelled" in tail or "timeout" in tail.lower():
        return RemoteTimeout("the remote store cancelled the query at its own time limit")
    return RemoteQueryError(f"the remote store sent malformed SPARQL JSON results ({exc})")


def _json_results(text: _Text, max_rows: int | None) -> QueryResult:
    """SPARQL 1.1 JSON results, keys in any order, stopping one binding past `max_rows`."""
    variables: list[str] | None = None
    boolean: bool | None = None
    bindings: list[Binding] = []
    truncated = False
    text.expect("{")
    while text.peek() != "}":
        key = text.value()
        text.expect(":")
        if key == "results":
            truncated = _json_bindings(text, bindings, max_rows)
            if truncated:
                break
        elif key == "head":
            variables = list(text.value().get("vars", []))
        elif key == "boolean":
            boolean = bool(text.value())
        else:
            text.value()
        if text.expect(",}") == "}":
            break
    if boolean is not None and not bindings:
        return QueryResult(kind="ask", boolean=boolean)
    if variables is None:  # no head read (cut short before it): the variables the bindings use
        variables = list(dict.fromkeys(v for b in bindings for v in b))
    rows = [tuple(_json_term(b.get(v)) for v in variables) for b in bindings]
    return QueryResult(kind="select", variables=variables, rows=rows, truncated=truncated)


def _json_bindings(text: _Text, into: list[Binding], max_rows: int | None) -> bool:
    """Read the `results` object; True when reading stopped because the row cap was passed."""
    text.expect("{")
    while text.peek() != "}":
        key = text.value()
        text.expect(":")
        if key != "bindings":
            text.value()
        elif text.expect("[") and text.peek() == "]":
            text.expect("]")
        else:
            while True:
                into.append(text.value())
                if max_rows is not None and len(into) > max_rows:
                    del into[max_rows:]
                    return True
                if text.expect(",]") == "]":
                    break
        if text.expect(",}") == "}":
            return False
    text.expect("}")
    return False


def _json_term(value: dict[str, str] | None) -> Identifier | None:
    if value is None:
        return None
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        return Literal(value["value"], datatype=URIRef(value.get("datatype", XSD_STRING)))
    raise RemoteQueryError(f"the remote store returned a {kind!r} term, which ipkg does not support")


class _Sink(DummySink):
    """Keeps the parsed triples (rdflib's sinks either print them or add them to a Graph)."""

    def __init__(self) -> None:  # not DummySink's: it only sets up the count that its own triple() prints
        self.triples: list[Triple] = []

    def triple(self, s: Identifier, p: Identifier, o: Identifier) -> None:
        self.triples.append((s, p, _rdf11(o)))


def _identifiers(s: Node, p: Node, o: Node) -> Triple:
    """A parsed graph's triple as the terms a QueryResult holds (a Turtle graph has nothing else)."""
    if not (isinstance(s, Identifier) and isinstance(p, Identifier) and isinstance(o, Identifier)):
        raise RemoteQueryError(f"the remote store sent a triple ipkg cannot read: {s!r} {p!r} {o!r}")
    return s, p, _rdf11(o)


def _rdf11(term: Identifier) -> Identifier:
    """A simple literal as xsd:string, as RDF 1.1 says and as the embedded store's terms have it."""
    if isinstance(term, Literal) and term.language is None and term.datatype is None:
        return Literal(str(term), datatype=XSD_STRING)
    return term


def _lines(stream: IO[bytes], deadline: float) -> Iterator[bytes]:
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("deadline passed while reading the answer")
        line = stream.readline()
        if not line:
            return
        yield line


def _ntriples(stream: IO[bytes], deadline: float, max_rows: int | None) -> QueryResult:
    """N-Triples read line by line: one triple a line, so the cap stops the transfer early."""
    kept: list[bytes] = []
    truncated = False
    for line in _lines(stream, deadline):
        if not line.strip() or line.lstrip().startswith(b"#"):
            continue
        if max_rows is not None and len(kept) >= max_rows:
            truncated = True
            break
        kept.append(line)
    sink = _Sink()
    try:
        W3CNTriplesParser(sink).parse(io.BytesIO(b"".join(kept)))
    except Exception as exc:  # rdflib raises ParseError (a plain Exception subclass)
        raise RemoteQueryError(f"the remote store sent malformed N-Triples ({exc})") from exc
    return QueryResult(kind="graph", triples=sink.triples, truncated=truncated)


def _turtle(stream: IO[bytes], deadline: float, max_rows: int | None) -> QueryResult:
    """Turtle has no line structure to stop at: read it whole (within the deadline), then cut."""
    body = b"".join(_lines(stream, deadline))
    try:
        graph = Graph().parse(data=body, format="turtle")
    except Exception as exc:
        raise RemoteQueryError(f"the remote store sent malformed Turtle ({exc})") from exc
    triples = [_identifiers(s, p, o) for s, p, o in graph]
    cut = max_rows is not None and len(triples) > max_rows
    return QueryResult(kind="graph", triples=triples[:max_rows] if cut else triples, truncated=cut)
