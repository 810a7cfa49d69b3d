"""RDF terms between rdflib and pyoxigraph, and the choice of a label by language, written once.

The build, the store and the SPARQL writers each hold terms of both libraries: rdflib for the graphs
the build reasons over and validates, pyoxigraph for the store and its fast serialisers. A term keeps
its lexical form, language and datatype exactly either way (no value normalisation), so that a dump,
a query answer and a page say the same thing. pyoxigraph is imported when a term is converted, not
when this module is, so that the CLI's start-up does not pay for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeAlias

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

if TYPE_CHECKING:
    import pyoxigraph as ox

    OxTerm: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph


def to_rdflib(term: OxTerm | None) -> Identifier | None:
    """A pyoxigraph term as the equivalent rdflib term (None, an unbound variable, stays None)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the pyoxigraph term with the same lexical form."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if not isinstance(term, Literal):
        raise TypeError(f"not an RDF term: {term!r}")
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


LABEL_FALLBACK = ("en", "ja", "zh", "", "und")  # after the language asked for; "" and "und": untagged


def pick_label(labels: Mapping[str, str], lang: str) -> str | None:
    """The label in `lang`, else in English, Japanese, Chinese, untagged, else any: the one order every
    page, listing and citation uses when a resource has no label in the reader's language."""
    for key in (lang, *LABEL_FALLBACK):
        if labels.get(key):
            return labels[key]
    return next((text for text in labels.values() if text), None)
