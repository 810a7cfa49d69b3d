"""What the graph says about one resource: asserted and inferred statements, incoming links, provenance, parts.

A core module (no web imports): the resource pages and the RDF views of an IRI are both built from it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TypedDict
from urllib.parse import unquote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from .jsontypes import JSON
from .namespaces import PREFIXES, sparql_prologue
from .store import Store, bound
from .terms import Labels, labels_of, pick_label

# Which properties come first on a page, in this order (pyLODE's habit: presentation order is data).
PREFERRED = [
    PREFIXES["rdf"] + "type", PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel", PREFIXES["eli"] + "title",
    PREFIXES["skos"] + "altLabel", PREFIXES["eli"] + "number", PREFIXES["dct"] + "description", PREFIXES["dct"] + "abstract",
    PREFIXES["skos"] + "definition", PREFIXES["eli"] + "type_document", PREFIXES["ipkg"] + "programmeKind",
    PREFIXES["ipkg"] + "jurisdiction", PREFIXES["cv"] + "hasCompetentAuthority", PREFIXES["ipkg"] + "operatedBy",
    PREFIXES["cv"] + "hasLegalResource", PREFIXES["eli"] + "is_part_of", PREFIXES["ipkg"] + "inChapter",
]
INFERRED_GRAPH_SUFFIX = "graph/inferred"


class Part(TypedDict):
    """A chapter or article of an instrument, as its page lists it."""

    iri: str
    kind: str  # Chapter | Article
    number: str
    ordinal: int
    abstract: str
    line: int | None
    lineEnd: int | None


class Provenance(TypedDict):
    """A source locator the resource was derived from: the document and its lines."""

    locator: str
    document: str
    line: int | None
    lineEnd: int | None
    file: str


@dataclass
class Statement:
    predicate: str
    value: Identifier
    graph: str
    inferred: bool


@dataclass
class Description:
    iri: str
    statements: list[Statement] = field(default_factory=list)
    incoming: list[tuple[str, str]] = field(default_factory=list)  # (subject, predicate)
    blank: dict[str, list[tuple[str, Identifier]]] = field(default_factory=dict)  # bnode id -> (p, o)
    labels: dict[str, Labels] = field(default_factory=lambda: defaultdict(dict))
    parts: list[Part] = field(default_factory=list)  # chapters and articles of an instrument
    provenance: list[Provenance] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.statements)

    def values(self, predicate: str) -> list[Identifier]:
        return [s.value for s in self.statements if s.predicate == predicate]

    def ordered(self, inferred: bool) -> list[tuple[str, list[Statement]]]:
        groups: dict[str, list[Statement]] = defaultdict(list)
        for s in self.statements:
            if s.inferred == inferred and not (inferred and any(
                    a.predicate == s.predicate and a.value == s.value and not a.inferred for a in self.statements)):
                groups[s.predicate].append(s)
        rank = {p: i for i, p in enumerate(PREFERRED)}
        return sorted(groups.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))

    def graph(self) -> Graph:
        """The resource's own triples (asserted and inferred) with its blank-node details, for RDF views."""
        g = Graph()
        for prefix, iri in PREFIXES.items():
            g.bind(prefix, iri)
        subject = URIRef(self.iri)
        for s in self.statements:
            g.add((subject, URIRef(s.predicate), s.value))
        for node, pairs in self.blank.items():
            for p, o in pairs:
                g.add((BNode(node), URIRef(p), o))
        return g

    def label(self, iri: str, lang: str = "en") -> str | None:
        by_lang = self.labels.get(str(iri), {})  # str(): an rdflib URIRef does not hash like its text
        return pick_label(by_lang, lang)


def _int(term: Identifier | None) -> int | None:
    """An optional integer literal's value (its lexical form is the integer's digits)."""
    return None if term is None else int(str(term))


def describe(store: Store, iri: str, incoming_limit: int = 300) -> Description:
    """Everything the pages and RDF views of `iri` show, in a handful of queries."""
    d = Description(iri)
    node = {"s": URIRef(iri)}
    prologue = sparql_prologue(store.ids)
    result = store.query(prologue + "SELECT ?g ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?p ?o", bindings=node)
    for g, p, o in result.rows:
        d.statements.append(Statement(str(p), bound(o), str(g), str(g).endswith(INFERRED_GRAPH_SUFFIX)))
    if not d.statements:
        return d
    result = store.query(prologue + "SELECT DISTINCT ?b ?p ?o WHERE { ?s ?x ?b . FILTER(isBlank(?b)) ?b ?p ?o }", bindings=node)
    for b, p, o in result.rows:
        d.blank.setdefault(str(b), []).append((str(p), bound(o)))
    result = store.query(prologue + f"SELECT DISTINCT ?x ?p WHERE {{ ?x ?p ?s . FILTER(isIRI(?x)) }} ORDER BY ?p ?x LIMIT {incoming_limit}",
                         bindings=node)
    d.incoming = [(str(x), str(p)) for x, p in result.rows]
    result = store.query(prologue + """SELECT ?part ?kind ?num ?ord ?abs ?line ?end WHERE {
        ?part eli:is_part_of ?s ; a ?kind ; ipkg:ordinal ?ord . VALUES ?kind { ipkg:Chapter ipkg:Article }
        OPTIONAL { ?part eli:number ?num } OPTIONAL { ?part dct:abstract ?abs FILTER(langMatches(lang(?abs), "en")) }
        OPTIONAL { ?part ipkg:line ?line } OPTIONAL { ?part ipkg:lineEnd ?end } } ORDER BY ?kind ?ord""", bindings=node)
    d.parts = [Part(iri=str(r[0]), kind=str(r[1]).rsplit("/", 1)[-1], number=str(r[2] or ""), ordinal=int(str(bound(r[3]))),
                    abstract=str(r[4] or ""), line=_int(r[5]), lineEnd=_int(r[6])) for r in result.rows]
    result = store.query(prologue + """SELECT ?loc ?doc ?line ?end ?file WHERE { ?s prov:wasDerivedFrom ?loc .
        ?loc ipkg:inDocument ?doc . OPTIONAL { ?loc ipkg:line ?line } OPTIONAL { ?loc ipkg:lineEnd ?end }
        OPTIONAL { ?doc ipkg:fileName ?file } } ORDER BY ?doc ?line""", bindings=node)
    d.provenance = [Provenance(locator=str(r[0]), document=str(r[1]), line=_int(r[2]), lineEnd=_int(r[3]),
                               file=str(r[4] or "")) for r in result.rows]
    linked = {iri} | {str(s.value) for s in d.statements if isinstance(s.value, URIRef)} | {s.predicate for s in d.statements}
    linked |= {x for x, _ in d.incoming} | {p["iri"] for p in d.parts} | {p["document"] for p in d.provenance}
    linked |= {str(o) for pairs in d.blank.values() for _, o in pairs if isinstance(o, URIRef)}
    d.labels.update(labels_of(store, linked))
    return d


def condition_tree(store: Store, root: str) -> JSON:
    """A programme's requirement as a nested dict (kind, definition, operator, threshold, source, operands)."""
    prologue = sparql_prologue(store.ids)
    result = store.query(prologue + """SELECT ?c ?kind ?def ?op ?th ?cv ?bool ?src ?operand WHERE {
        ?r (ipkg:operand|ipkg:reading)* ?c . ?c a ?kind .
        VALUES ?kind { ipkg:AtomicCondition ipkg:AllOf ipkg:AnyOf ipkg:Not ipkg:JudgementCondition ipkg:OpenToAll ipkg:ContestedCondition }
        OPTIONAL { ?c skos:definition ?def FILTER(langMatches(lang(?def), "en")) } OPTIONAL { ?c ipkg:operator ?op }
        OPTIONAL { ?c ipkg:threshold ?th } OPTIONAL { ?c ipkg:conceptValue ?cv } OPTIONAL { ?c ipkg:booleanValue ?bool }
        OPTIONAL { ?c prov:wasDerivedFrom ?src } OPTIONAL { ?c ipkg:operand|ipkg:reading ?operand } }""", bindings={"r": URIRef(root)})
    nodes: dict[str, JSON] = {}
    for c, kind, definition, op, th, cv, boolean, src, operand in result.rows:
        n = nodes.setdefault(str(c), {"iri": str(c), "kind": str(kind).rsplit("/", 1)[-1], "operands": [], "sources": set(),
                                       "values": set()})
        if definition is not None:
            n["definition"] = str(definition)
        if op is not None:
            n["operator"] = str(op).rsplit("/", 1)[-1]
        for v in (th, cv, boolean):
            if v is not None:
                n["values"].add(str(v))
        if src is not None:
            n["sources"].add(str(src))
        if operand is not None and str(operand) not in n["operands"]:
            n["operands"].append(str(operand))

    def build(iri: str, seen: frozenset[str] = frozenset()) -> JSON:
        n = dict(nodes.get(iri, {"iri": iri, "kind": "?", "operands": [], "sources": set(), "values": set()}))
        n["sources"], n["values"] = sorted(n["sources"]), sorted(n["values"])
        n["operands"] = [build(o, seen | {iri}) for o in sorted(n["operands"]) if o not in seen]
        return n

    return build(root)


WORD = re.compile(r"[^\W_]+")  # the words of an IRI's path or a label: letters and digits (any script)
MAXWORDS = 6  # words of a mistyped IRI looked for: enough to find it, few enough to keep the query cheap


def similar(store: Store, iri: str, namespace: str, lang: str = "en", limit: int = 8) -> list[tuple[str, str | None]]:
    """Resources of `namespace` whose IRI or label is close to `iri`, which names nothing: (iri, label in
    `lang` if it has one), best first.

    The store finds the candidates (IRIs or labels that contain a word of the requested path, in any
    case), then they are ranked by how alike their paths are (difflib), labels breaking ties. For the
    "not found" page: a mistyped or outdated IRI still leads somewhere."""
    wanted = unquote(iri.removeprefix(namespace))
    words = sorted({w.lower() for w in WORD.findall(wanted) if len(w) >= (3 if w.isascii() else 2)},
                   key=len, reverse=True)[:MAXWORDS]
    if not words:
        return []
    hits = " || ".join(f"CONTAINS(LCASE(STR(?s)), {Literal(w).n3()}) || CONTAINS(LCASE(STR(?l)), {Literal(w).n3()})"
                       for w in words)
    result = store.query(sparql_prologue(store.ids) + f"""SELECT DISTINCT ?s WHERE {{
        ?s rdfs:label|skos:prefLabel ?l . FILTER(isIRI(?s) && STRSTARTS(STR(?s), {Literal(namespace).n3()}))
        FILTER({hits}) }} LIMIT 2000""")
    labels = labels_of(store, [str(s) for s, in result.rows])
    wanted = wanted.lower()

    def closeness(candidate: str) -> tuple[float, float]:
        path = candidate[len(namespace):].lower()
        best_label = max((SequenceMatcher(None, wanted, text.lower()).ratio() for text in labels[candidate].values()), default=0.0)
        return SequenceMatcher(None, wanted, path).ratio(), best_label

    ranked = sorted(labels, key=closeness, reverse=True)[:limit]
    return [(c, pick_label(labels[c], lang)) for c in ranked]
