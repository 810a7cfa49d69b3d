"""Compacted JSON-LD with the graph's published context: its prefixes, at one stable IRI.

pyoxigraph writes JSON-LD expanded only (every IRI in full, no `@context`), which is valid but hard to
read and to use as JSON. Every JSON-LD document the service writes (resource documents, CONSTRUCT and
DESCRIBE answers, the per-graph dumps) is instead compacted by pyld against one context, made of
`namespaces.PREFIXES` (the prefixes `ipkg query` and the endpoint predeclare). The context is written
into each document, so that a document reads the same offline and in any JSON-LD processor, and the
same context is published at `CONTEXT_IRI` (served at /def/context.jsonld, and in the dumps) for
clients that want to compact their own data the same way; JSON-LD answers name it in a `Link` header.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from rdflib import Graph

from .namespaces import IPKG, PREFIXES

CONTEXT_IRI = str(IPKG) + "context.jsonld"
CONTEXT_PATH = "/def/context.jsonld"  # where the local server serves it
CONTEXT_FILE = "context.jsonld"  # its name among the dumps
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
RDF_TYPE = PREFIXES["rdf"] + "type"


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
    import pyoxigraph as ox

    return compact(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))


def compact(triples: Iterable) -> bytes:
    """pyoxigraph triples as compacted JSON-LD with the context.

    pyoxigraph writes the expanded form (faithfully, lists as rdf:first/rest nodes; the triples sorted
    first, so the same triples give the same bytes every time); pyld compacts it. rdflib's own
    serialiser was not used: with a context it loses or duplicates list nodes (the SHACL shapes came
    back with 24 triples more than they had)."""
    import pyoxigraph as ox
    from pyld import jsonld as pyld

    # pyoxigraph writes one node object per run of triples with the same subject: grouped, one per resource
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate)))
    written = ox.serialize(ordered, format=ox.RdfFormat.JSON_LD) or b"[]"  # bytes: no output file was given
    expanded = [_with_type(node) for node in json.loads(written)]
    compacted = pyld.compact(expanded, {"@context": context()},  # already expanded: pyld need not expand it again
                             {"documentLoader": _no_remote_documents, "skipExpansion": True})
    return json.dumps(compacted, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def _with_type(node: dict) -> dict:
    """rdf:type values that are IRIs or blank nodes as `@type`, as JSON-LD's own fromRdf writes them
    (pyoxigraph keeps them as rdf:type: the same triples, but then no compaction shows `@type`)."""
    types = node.get(RDF_TYPE)
    if types and all(set(value) == {"@id"} for value in types):
        node = {k: v for k, v in node.items() if k != RDF_TYPE}
        node["@type"] = [value["@id"] for value in types]
    return node


def _no_remote_documents(url: str, options: dict | None = None):
    """pyld's document loader: the context is given inline, so nothing is ever fetched at run time."""
    raise _load_error(url)


def _load_error(url: str) -> Exception:
    from pyld.jsonld import JsonLdError

    return JsonLdError(f"remote documents are not loaded ({url})", "jsonld.LoadDocumentError", code="loading document failed")
