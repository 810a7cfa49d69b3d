"""OWL 2 RL materialisation of the asserted graphs (owlrl), kept apart as the difference in its own graph."""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

# Triples an OWL 2 RL closure adds about every resource or every vocabulary term; true but of no use
# to a reader, and they would swamp the inferred graph.
_TRIVIAL_OBJECTS = {OWL.Thing, RDFS.Resource}
_TRIVIAL_PREDICATES = {OWL.sameAs}


def _interesting(s, p, o) -> bool:
    if isinstance(s, Literal) or isinstance(s, BNode) and p == RDF.type and isinstance(o, URIRef) and str(o).startswith(str(RDFS)):
        return False
    if p in _TRIVIAL_PREDICATES and s == o:
        return False
    if p == RDF.type and o in _TRIVIAL_OBJECTS:
        return False
    if p in (RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty) and s == o:
        return False
    if p == RDFS.subClassOf and o == OWL.Thing:
        return False
    return True


def closure(asserted: Iterable[Graph]) -> Graph:
    """The triples the OWL 2 RL closure of the union adds, minus trivia; the inputs are not modified."""
    union = Graph()
    for g in asserted:
        for t in g:
            union.add(t)
    before = set(union)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(union)
    inferred = Graph()
    for t in union:
        if t not in before and _interesting(*t):
            inferred.add(t)
    return inferred
