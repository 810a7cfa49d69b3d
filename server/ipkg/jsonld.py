"""Compacted JSON-LD with the graph's published context: its prefixes, at one stable IRI.

pyoxigraph writes JSON-LD expanded only (every IRI in full, no `@context`), which is valid but hard to
read and to use as JSON. Every JSON-LD document the service writes (resource documents, CONSTRUCT and
DESCRIBE answers, the per-graph dumps) is instead compacted against one context, made of
`namespaces.PREFIXES` (the prefixes `ipkg query` and the endpoint predeclare). The context is written
into each document, so that a document reads the same offline and in any JSON-LD processor, and the
same context is published at `CONTEXT_IRI` (served at /def/context.jsonld, and in the dumps) for
clients that want to compact their own data the same way; JSON-LD answers name it in a `Link` header.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from rdflib import Graph

from .jsontypes import JSON
from .namespaces import IPKG, PREFIXES

Term = NamedNode | BlankNode | Literal | Triple  # what a triple's subject, predicate or object can be

CONTEXT_IRI = str(IPKG) + "context.jsonld"
CONTEXT_PATH = "/def/context.jsonld"  # where the local server serves it
CONTEXT_FILE = "context.jsonld"  # its name among the dumps
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
RDF_TYPE = PREFIXES["rdf"] + "type"
XSD_STRING = PREFIXES["xsd"] + "string"


def context() -> dict[str, str]:
    """The context's term definitions: one per prefix of the graph."""
    return dict(sorted(PREFIXES.items()))


def context_document() -> bytes:
    """The context as the document published at CONTEXT_IRI."""
    return json.dumps({"@context": context()}, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def link_header(href: str = CONTEXT_IRI) -> str:
    """A Link header value naming the published context of a JSON-LD answer."""
    return f'<{href}>; rel="{CONTEXT_REL}"; type="application/ld+json"'


def compact_graph(graph: Graph) -> bytes:
    """An rdflib graph as compacted JSON-LD with the context."""
    return compact(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))


def compact(triples: Iterable[Triple]) -> bytes:
    """pyoxigraph triples as compacted JSON-LD with the context.

    The document is pyoxigraph's expanded JSON-LD (the triples sorted by subject and predicate first,
    so the same triples give the same bytes every time; one node object per subject, lists as
    rdf:first/rest nodes), compacted as pyld compacts it, written with two-space indentation.
    rdflib's own serialiser was not used: with a context it loses or duplicates list nodes (the SHACL
    shapes came back with 24 triples more than they had). pyld itself is no longer on the way: its
    general algorithm (an inverse context, term selection and container rules for every value) cost
    seconds for the dumps, while a context of prefixes leaves each IRI one answer, computed once, so
    `_Compactor` builds the compacted document straight from the triples. The bytes are pyld's
    (`tests/test_jsonld.py` compares them with pyld and with a checked-in document, `bench/jsonld.py`
    on every graph of the build); a triple of a kind pyoxigraph's expanded form would not give the
    compactor (a quoted triple, a literal with a base direction) sends the document to pyld."""
    ordered = _sorted(triples)
    try:
        return _dump(_Compactor().document(ordered)).encode("utf-8") + b"\n"
    except _Unexpected:
        return _by_pyld(ordered)


def compact_by_pyld(triples: Iterable[Triple]) -> bytes:
    """The same document by pyld's general compaction of pyoxigraph's expanded JSON-LD (what
    `compact` did before): the reference that tests/test_jsonld.py and bench/jsonld.py hold it to."""
    return _by_pyld(_sorted(triples))


def _sorted(triples: Iterable[Triple]) -> list[Triple]:
    """pyoxigraph writes one node object per run of triples with the same subject: grouped, one per resource."""
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate)))


def _by_pyld(ordered: list[Triple]) -> bytes:
    written = ox.serialize(ordered, format=ox.RdfFormat.JSON_LD) or b"[]"  # bytes: no output file was given
    compacted = _pyld_compact([_with_type(node) for node in json.loads(written)])
    return json.dumps(compacted, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def _with_type(node: JSON) -> JSON:
    """rdf:type values that are IRIs or blank nodes as `@type`, as JSON-LD's own fromRdf writes them
    (pyoxigraph keeps them as rdf:type: the same triples, but then no compaction shows `@type`)."""
    types = node.get(RDF_TYPE)
    if types and all(set(value) == {"@id"} for value in types):
        node = {k: v for k, v in node.items() if k != RDF_TYPE}
        node["@type"] = [value["@id"] for value in types]
    return node


class _Unexpected(Exception):
    """A term the compactor leaves to pyld (a quoted triple, a literal with a base direction, an IRI
    that reads as a CURIE)."""


class _Compactor:
    """JSON-LD 1.1 compaction, as pyld implements it, of pyoxigraph's expanded form of sorted triples,
    against the context of prefixes.

    With prefix definitions only, every choice the general algorithm makes per value collapses: a
    property or type IRI becomes the term whose IRI it equals, else the shortest (then
    lexicographically least) CURIE, else stays whole; a node IRI the same without the term step (no
    @vocab, no base: never made relative); a literal keeps its language or its compacted datatype,
    and an xsd:string is the bare string; one value is written bare, several as an array in the
    order of the triples; a node's keys come in the order of their expanded IRIs (`@id` and `@type`
    first), rdf:type as `@type` when all its values are IRIs or blank nodes (as JSON-LD's fromRdf)."""

    def __init__(self) -> None:
        self.prefixes = sorted(context().items())
        self.terms: dict[str, str] = {}  # an IRI that is a prefix's own IRI -> the shortest, least term for it
        for term, iri in sorted(self.prefixes, key=lambda kv: (len(kv[0]), kv[0])):
            self.terms.setdefault(iri, term)
        self.namespaces = tuple(iri for _, iri in self.prefixes)
        self.curies = tuple(term + ":" for term, _ in self.prefixes)
        self.vocab: dict[str, str] = {}
        self.plain: dict[str, str] = {}

    def iri(self, iri: str, vocab: bool) -> str:
        """One IRI compacted: as a property or type (`vocab`), or as a node identifier; each once."""
        memo = self.vocab if vocab else self.plain
        done = memo.get(iri)
        if done is None:
            done = memo[iri] = self._compact_iri(iri, vocab)
        return done

    def _compact_iri(self, iri: str, vocab: bool) -> str:
        if vocab and iri in self.terms:
            return self.terms[iri]
        candidate: str | None = None
        if iri.startswith(self.namespaces):
            for term, prefix in self.prefixes:
                if prefix != iri and iri.startswith(prefix):
                    curie = term + ":" + iri[len(prefix):]
                    if candidate is None or (len(curie), curie) < (len(candidate), candidate):
                        candidate = curie
        if candidate is not None:
            return candidate
        if iri.startswith(self.curies):
            raise _Unexpected(iri)  # pyld refuses an IRI that reads as a CURIE: let it say so
        return iri

    def node_id(self, term: Term) -> str:
        if isinstance(term, NamedNode):
            return self.iri(term.value, False)
        if isinstance(term, BlankNode):
            return "_:" + term.value
        raise _Unexpected(term)

    def value(self, term: Term) -> str | dict[str, str]:
        if isinstance(term, Literal):
            if term.direction is not None:
                raise _Unexpected(term)
            if term.language is not None:
                return {"@language": term.language, "@value": term.value}
            datatype = term.datatype.value
            if datatype == XSD_STRING:
                return term.value
            return {"@type": self.iri(datatype, True), "@value": term.value}
        return {"@id": self.node_id(term)}

    def node(self, subject: Term, triples: list[Triple]) -> JSON:
        by_property: dict[str, list[Term]] = {}
        for t in triples:
            by_property.setdefault(t.predicate.value, []).append(t.object)
        out: JSON = {"@id": self.node_id(subject)}
        types = by_property.get(RDF_TYPE)
        if types and all(isinstance(o, (NamedNode, BlankNode)) for o in types):
            del by_property[RDF_TYPE]
            compacted = [self.iri(o.value, True) if isinstance(o, NamedNode) else self.node_id(o) for o in types]
            out["@type"] = compacted[0] if len(compacted) == 1 else compacted
        for prop in sorted(by_property):
            values = [self.value(o) for o in by_property[prop]]
            out[self.iri(prop, True)] = values[0] if len(values) == 1 else values
        return out

    def document(self, ordered: list[Triple]) -> JSON:
        """The whole document: the context first, then the one node's keys, or `@graph` for several."""
        nodes: list[JSON] = []
        start = 0
        for i in range(1, len(ordered) + 1):
            if i == len(ordered) or ordered[i].subject != ordered[start].subject:
                nodes.append(self.node(ordered[start].subject, ordered[start:i]))
                start = i
        out: JSON = {"@context": context()}
        if len(nodes) == 1:
            out.update(nodes[0])
        elif nodes:
            out["@graph"] = nodes
        return out


def _dump(document: JSON) -> str:
    """`json.dumps(document, indent=2, ensure_ascii=False)` for a document of strings, objects and
    arrays, several times as fast (the standard library writes indented JSON in pure Python, one
    generator step per token)."""
    from json.encoder import encode_basestring as quoted  # the C escaper json.dumps uses with ensure_ascii=False

    def value(v: Any, indent: str) -> str:
        if type(v) is str:
            return quoted(v)
        inner = indent + "  "
        if type(v) is dict:
            if not v:
                return "{}"
            return ("{\n" + ",\n".join(inner + quoted(k) + ": " + (quoted(x) if type(x) is str else value(x, inner)) for k, x in v.items())
                    + "\n" + indent + "}")
        if type(v) is list:
            if not v:
                return "[]"
            return "[\n" + ",\n".join(inner + (quoted(x) if type(x) is str else value(x, inner)) for x in v) + "\n" + indent + "]"
        raise TypeError(f"not a string, object or array: {v!r}")

    return value(document, "")


def _pyld_compact(expanded: list[JSON]) -> JSON:
    """pyld's compaction of expanded JSON-LD, for documents `_Compactor` leaves to it."""
    from pyld import jsonld as pyld

    compacted: JSON = pyld.compact(expanded, {"@context": context()},  # already expanded: pyld need not expand it again
                                   {"documentLoader": _no_remote_documents, "skipExpansion": True})
    return compacted


def _no_remote_documents(url: str, options: JSON | None = None) -> JSON:
    """pyld's document loader: the context is given inline, so nothing is ever fetched at run time."""
    raise _load_error(url)


def _load_error(url: str) -> Exception:
    from pyld.jsonld import JsonLdError

    error: Exception = JsonLdError(f"remote documents are not loaded ({url})", "jsonld.LoadDocumentError", code="loading document failed")
    return error
