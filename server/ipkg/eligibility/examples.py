"""Worked examples: the profiles and verdicts the sources themselves decide, stored in the graph as
ipkg:WorkedExample and re-run against the engine (by the test suite and by `ipkg examples`).

They are the law's own test cases: anyone holding a dump can re-run them against this or another
engine, and a change of rules or engine that breaks one fails the suite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Identifier

from ..namespaces import IPKG, SCHEMA, sparql_prologue
from ..store import Store, bound
from .engine import Engine
from .profile import Profile, ProfileError
from .rdf import profile_from_graph


@dataclass
class WorkedExample:
    iri: str
    programme: str
    as_of: dt.date
    expected: str  # eligible | not-eligible | undetermined (the concept's notation)
    sources: list[str] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)  # the profile, as one ipkg:ApplicantProfile


@dataclass
class Result:
    example: WorkedExample
    verdict: str
    reason: str
    missing: list[str]
    problems: list[str]  # why the example fails; empty when it passes

    @property
    def passed(self) -> bool:
        return not self.problems


def _day(term: Identifier | None) -> dt.date:
    """An example's ipkg:asOf (an xsd:date, as its shape requires)."""
    value = term.toPython() if isinstance(term, Literal) else None
    if not isinstance(value, dt.date):
        raise TypeError(f"a worked example's ipkg:asOf is not a date: {term!r}")
    return value


def load(store: Store) -> list[WorkedExample]:
    """Every worked example of the graph with its profile (money amounts as schema:MonetaryAmount nodes)."""
    head = store.query(sparql_prologue(store.ids) + """SELECT ?e ?prog ?day ?v ?src WHERE {
        ?e a ipkg:WorkedExample ; ipkg:exampleOf ?prog ; ipkg:asOf ?day ; ipkg:expectedVerdict/skos:notation ?v .
        OPTIONAL { ?e prov:wasDerivedFrom ?src } } ORDER BY ?e ?src""")
    examples: dict[str, WorkedExample] = {}
    for e, prog, day, verdict, src in head.rows:
        ex = examples.setdefault(str(e), WorkedExample(str(e), str(prog), _day(day), str(verdict)))
        if src is not None:
            ex.sources.append(str(src))
    facts = store.query(sparql_prologue(store.ids) + """SELECT ?e ?p ?o ?mv ?mc WHERE {
        ?e a ipkg:WorkedExample ; ipkg:exampleProfile ?profile . ?profile ?p ?o . FILTER(?p != rdf:type)
        OPTIONAL { ?o schema:value ?mv ; schema:currency ?mc } }""")
    for e, p, o, mv, mc in facts.rows:
        owner = examples.get(str(e))
        if owner is None:
            continue
        subject = URIRef(owner.iri + "#profile")
        owner.graph.add((subject, RDF.type, IPKG.ApplicantProfile))
        if mv is not None:
            amount = BNode()
            owner.graph.add((subject, bound(p), amount))
            owner.graph.add((amount, RDF.type, SCHEMA.MonetaryAmount))
            owner.graph.add((amount, SCHEMA.value, mv))
            owner.graph.add((amount, SCHEMA.currency, Literal(str(mc))))
        else:
            owner.graph.add((subject, bound(p), bound(o)))
    for ex in examples.values():  # a profile that states nothing is still a profile
        if not ex.graph:
            ex.graph.add((URIRef(ex.iri + "#profile"), RDF.type, IPKG.ApplicantProfile))
    return list(examples.values())


def run(engine: Engine, example: WorkedExample) -> Result:
    """Evaluate one example's profile for its programme on its date, and say what does not match."""
    try:
        profile: Profile = profile_from_graph(example.graph, engine.rules)
    except ProfileError as exc:
        return Result(example, "(invalid profile)", "", [], exc.problems)
    profile.as_of, profile.programme = example.as_of, example.programme
    programme = engine.rules.programmes.get(example.programme)
    if programme is None:
        return Result(example, "(no such programme)", "", [], [f"{example.programme} is not a programme"])
    verdict = engine.verdict(programme, profile)
    problems = []
    if verdict["verdict"] != example.expected:
        problems.append(f"expected {example.expected}, got {verdict['verdict']} ({verdict.get('reason', '')})")
    elif example.expected == "undetermined" and verdict["missing"]:
        problems.append(f"undetermined only by missing facts {verdict['missing']}: a worked example gives every fact")
    return Result(example, verdict["verdict"], verdict.get("reason", ""), verdict["missing"], problems)
