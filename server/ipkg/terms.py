"""RDF terms between rdflib and pyoxigraph, and labels (gathered and chosen by language), written once.

The build, the store and the SPARQL writers each hold terms of both libraries: rdflib for the graphs
the build reasons over and validates, pyoxigraph for the store and its fast serialisers. A term keeps
its lexical form, language and datatype exactly either way (no value normalisation), so that a dump,
a query answer and a page say the same thing. pyoxigraph is imported when a term is converted, not
when this module is, so that the CLI's start-up does not pay for it.

Every page, listing, answer and citation names a resource the same way: `labels_of` gathers its names
(rdfs:label before skos:prefLabel, and for a condition, which has no name, its skos:definition), one
per language, and `pick_label` chooses among them for a reader. Before, seven modules each gathered
labels with their own query and kept whichever row came first, and templates fell back in three
different orders.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Identifier, Node

from .namespaces import sparql_prologue

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .store import Store

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


NAMES: tuple[str, ...] = (str(RDFS.label), str(SKOS.prefLabel))  # what names a resource, the first that does
NAMES_OR_DEFINITION: tuple[str, ...] = (*NAMES, str(SKOS.definition))  # a condition has no name: its definition names it
PAGE_LANGUAGES = ("ja", "en")  # the languages the pages are written in, and the label maps of answers made for them
CHUNK = 500  # IRIs per query: a VALUES block of this size keeps each query small and quick to parse

Labels: TypeAlias = dict[str, str]  # language tag ("" for an untagged literal) -> text


def labels_of(store: Store, iris: Iterable[str] | None, predicates: Sequence[str] = NAMES,
              languages: Collection[str] | None = None) -> dict[str, Labels]:
    """Per IRI (every subject with one, when `iris` is None), its label per language (of `languages`, when
    given): the value of the first of `predicates` that has one in that language, the least in code-point
    order among several (so that a resource with two English labels is named the same way on every page
    and in every run). An IRI with no label has no entry."""
    ranks = " ".join(f"(<{p}> {rank})" for rank, p in enumerate(predicates))
    pattern = f"VALUES (?p ?rank) {{ {ranks} }} ?i ?p ?l FILTER(isLiteral(?l))"
    if iris is None:
        queries = [f"SELECT ?i ?rank ?l WHERE {{ {pattern} }}"]
    else:
        wanted = sorted(set(map(str, iris)))
        queries = [f"SELECT ?i ?rank ?l WHERE {{ VALUES ?i {{ {' '.join(f'<{i}>' for i in wanted[at:at + CHUNK])} }} {pattern} }}"
                   for at in range(0, len(wanted), CHUNK)]
    found: dict[str, list[tuple[int, str, str]]] = {}
    for query in queries:
        for iri, rank, label in store.query(sparql_prologue(store.ids) + query).rows:
            lang = (label.language or "") if isinstance(label, Literal) else ""
            if languages is None or lang in languages:
                found.setdefault(str(iri), []).append((int(str(rank)), lang, str(label)))
    return {iri: best_by_language(candidates) for iri, candidates in found.items()}


def best_by_language(candidates: Iterable[tuple[int, str, str]]) -> Labels:
    """From (rank, language, text) candidates, per language the text of the best rank (the lowest),
    the least text among equals: the one rule `labels_of` and the search index name resources by."""
    best: dict[str, tuple[int, str]] = {}
    for rank, lang, text in candidates:
        if lang not in best or (rank, text) < best[lang]:
            best[lang] = (rank, text)
    return {lang: text for lang, (_, text) in best.items()}


LABEL_FALLBACK = ("en", "ja", "zh", "")  # after the language asked for; "": untagged


def pick_label(labels: Mapping[str, str], lang: str) -> str | None:
    """The label in `lang`, else in English, Japanese, Chinese, untagged, else any: the one order every
    page, listing, answer and citation uses when a resource has no label in the reader's language."""
    for key in (lang, *LABEL_FALLBACK):
        if labels.get(key):
            return labels[key]
    return next((text for text in labels.values() if text), None)


def slug(iri: str) -> str:
    """The last segment of an IRI: what a page shows for a resource with no label at all."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def label_or_slug(labels: Mapping[str, str], lang: str, iri: str = "") -> str:
    """A resource's name for a reader of `lang`: its label (`pick_label`), else its IRI's last segment
    (the templates' `label` filter: `{{ c.label|label(lang, c.subject) }}`)."""
    return pick_label(labels, lang) or (slug(iri) if iri else "")
