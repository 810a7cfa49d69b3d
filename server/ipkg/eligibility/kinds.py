"""Condition kinds: one class per kind of ipkg:Condition, listed once in KINDS.

Each kind owns its three-valued evaluation, the explanation fields it adds and its SHACL export
(as pySHACL's constraint components own their parse, evaluate and message). Adding a kind is one
class here plus its term in the ontology and its shape; the engine, the exporter and the loader
read KINDS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypedDict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ..jsontypes import JSON
from ..namespaces import IPKG, SCHEMA, SH

if TYPE_CHECKING:
    from .engine import Engine
    from .profile import Profile
    from .rules import Condition, Rulebook

# The steps of a verdict's explanation (Engine.explain), or None for a batch that wants none.
Trace: TypeAlias = list[JSON] | None

TRUE, FALSE, UNKNOWN = "true", "false", "unknown"
NEGATE = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}
COMPARE = {
    "lessThan": lambda a, b: a < b, "lessOrEqual": lambda a, b: a <= b, "greaterThan": lambda a, b: a > b,
    "greaterOrEqual": lambda a, b: a >= b, "equals": lambda a, b: a == b,
}
SYMBOL = {"lessThan": "<", "lessOrEqual": "≤", "greaterThan": ">", "greaterOrEqual": "≥", "equals": "=", "isA": "is a", "isNotA": "is not a"}
FACETS = {"lessThan": [SH.maxExclusive], "lessOrEqual": [SH.maxInclusive], "greaterThan": [SH.minExclusive],
          "greaterOrEqual": [SH.minInclusive], "equals": [SH.minInclusive, SH.maxInclusive]}


class Reading(TypedDict):
    """One reading of a contested condition, as a verdict reports it."""

    reading: str
    outcome: str
    preferred: bool
    summary: dict[str, str]
    sources: list[str]


@dataclass(slots=True)
class Outcome:
    """A three-valued result with what it rests on: the facts missing, the assessments left to an
    authority, and the conditions that decided it (for the verdict's one-line reason)."""

    value: str
    missing: set[str] = field(default_factory=set)
    assessments: set[str] = field(default_factory=set)
    because: list[str] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)


def plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def rdf_list(g: Graph, items: list[Node]) -> BNode:
    from rdflib.collection import Collection

    head = BNode()
    Collection(g, head, items)
    return head


NEVER = BNode("never")  # the shape no profile conforms to: a needs-assessment item in two-valued SHACL


class Kind:
    """One kind of condition. `rdf_type` is its class's local name in the ipkg namespace."""

    rdf_type: ClassVar[str]

    def evaluate(self, engine: Engine, c: Condition, profile: Profile, trace: Trace) -> Outcome:
        raise NotImplementedError

    def explanation(self, c: Condition) -> dict[str, Any]:
        """Fields this kind adds to a condition's explanation (computed once per condition)."""
        return {}

    def shape(self, g: Graph, rules: Rulebook, c: Condition, day: dt.date) -> BNode:
        """The condition as a SHACL node shape over an ipkg:ApplicantProfile."""
        raise NotImplementedError


class Atomic(Kind):
    """A profile fact compared with a concept, a boolean, a number (in a unit or currency) or a date."""

    rdf_type = "AtomicCondition"

    def evaluate(self, engine: Engine, c: Condition, profile: Profile, trace: Trace) -> Outcome:
        facts = profile.facts
        key = c.constrains or "?"
        raw = facts.get(key)
        used: Any = raw
        if c.concept_values:
            values = [] if raw is None else raw if isinstance(raw, list) else [raw]
            for finer in engine.rules.finer_keys.get(key, ()):  # a finer known place answers too (ipkg:refines)
                if facts.get(finer) is not None:
                    values.append(facts[finer])
            if not values:
                outcome = self._excluded_by_coarser_place(engine.rules, c, profile) or Outcome(UNKNOWN, missing={key})
            else:
                meets, coarser = engine.concept_sets[c.iri]
                if not meets.isdisjoint(values):
                    value = TRUE
                elif not coarser.isdisjoint(values):
                    value = UNKNOWN  # the profile is less specific than the condition (enterprise vs small enterprise)
                else:
                    value = FALSE
                if c.operator == "isNotA":
                    value = NEGATE[value]
                outcome = Outcome(value, missing={key} if value == UNKNOWN else set())
        elif raw is None:
            outcome = Outcome(UNKNOWN, missing={key})
        elif c.boolean is not None:
            outcome = Outcome(TRUE if raw == c.boolean else FALSE)
        elif c.date_threshold is not None:
            used = raw.isoformat() if isinstance(raw, dt.date) else raw
            outcome = Outcome(TRUE if isinstance(raw, dt.date) and COMPARE[c.operator or "equals"](raw, c.date_threshold) else FALSE)
        else:
            number, currency = raw if isinstance(raw, tuple) else (raw, None)
            used = f"{number} {currency}" if currency else str(number)
            if c.unit_is_currency and currency != c.unit_notation:
                outcome = Outcome(UNKNOWN, missing={f"{key} in {c.unit_notation}"})
            else:
                outcome = Outcome(TRUE if COMPARE[c.operator or "equals"](number, c.threshold) else FALSE)
        if outcome.value != UNKNOWN:
            outcome.because = [c.iri]
        if trace is not None:
            trace.append(engine.explain(c, outcome.value, used))
        return outcome

    @staticmethod
    def _excluded_by_coarser_place(rules: Rulebook, c: Condition, profile: Profile) -> Outcome | None:
        """A missing region decided by a known country (ipkg:refines) that contains none of the condition's places."""
        coarser = rules.coarser_key.get(c.constrains or "")
        place = profile.facts.get(coarser) if coarser else None
        if place is None or not c.concept_values or not all(v in rules.place_iris for v in c.concept_values):
            return None
        if any(rules.is_a(v, place) or rules.is_a(place, v) for v in c.concept_values):
            return None
        return Outcome(TRUE if c.operator == "isNotA" else FALSE)

    def explanation(self, c: Condition) -> dict[str, Any]:
        threshold: Any = (plain_number(c.threshold) if c.threshold is not None else c.date_threshold.isoformat() if c.date_threshold
                          else c.concept_values if c.concept_values else c.boolean)
        return {"constrains": c.constrains, "operator": SYMBOL.get(c.operator or "", c.operator), "threshold": threshold,
                "unit": c.unit_notation or c.unit, "profileValue": None}

    def shape(self, g: Graph, rules: Rulebook, c: Condition, day: dt.date) -> BNode:
        shape = BNode()
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, RDFS.comment, Literal(c.summary.get("en"), lang="en")))
        prop = BNode()
        g.add((shape, SH.property, prop))
        g.add((prop, SH.path, self._path(g, rules, c)))
        g.add((prop, SH.minCount, Literal(1)))
        target = prop
        if c.unit_is_currency:  # compare inside the monetary amount, and only in the same currency
            inner, currency, target = BNode(), BNode(), BNode()
            g.add((prop, SH.node, inner))
            g.add((inner, SH.property, currency))
            g.add((currency, SH.path, SCHEMA.currency))
            g.add((currency, SH.hasValue, Literal(c.unit_notation)))
            g.add((inner, SH.property, target))
            g.add((target, SH.path, SCHEMA.value))
            g.add((target, SH.minCount, Literal(1)))
        if c.concept_values:
            options: list[Node] = []
            for v in c.concept_values:
                o, wrapper = BNode(), BNode()
                g.add((o, SH.path, self._path(g, rules, c)))
                g.add((o, SH.hasValue, URIRef(v)))
                g.add((wrapper, SH.property, o))
                options.append(wrapper)
            has_any = BNode()
            g.add((has_any, SH["or"], rdf_list(g, options)))
            g.add((shape, SH["not"] if c.operator == "isNotA" else SH.node, has_any))
        elif c.boolean is not None:
            g.add((target, SH.hasValue, Literal(c.boolean)))
        else:
            value = (Literal(c.date_threshold, datatype=XSD.date) if c.date_threshold is not None
                     else Literal(c.threshold, datatype=XSD.decimal))
            for facet in FACETS[c.operator or "equals"]:
                g.add((target, facet, value))
        return shape

    @staticmethod
    def _path(g: Graph, rules: Rulebook, c: Condition) -> Node:
        prop: Node = URIRef(rules.profile_keys[c.constrains or ""])
        if c.concept_values:
            closure = IPKG.partOf if all(v in rules.place_iris for v in c.concept_values) else SKOS.broader
            finer = [URIRef(rules.profile_keys[f]) for f in rules.finer_keys.get(c.constrains or "", ())]
            if finer and closure == IPKG.partOf:  # as the engine: the country, or a region within it
                either = BNode()
                g.add((either, SH.alternativePath, rdf_list(g, [prop, *finer])))
                prop = either
            inverse = BNode()
            g.add((inverse, SH.zeroOrMorePath, closure))
            return rdf_list(g, [prop, inverse])
        return prop


class _Composite(Kind):
    def parts(self, engine: Engine, c: Condition, profile: Profile, trace: Trace) -> list[Outcome]:
        return [engine.condition(o, profile, trace) for o in c.operands]  # the operands in force (Rulebook.at)

    def evaluate(self, engine: Engine, c: Condition, profile: Profile, trace: Trace) -> Outcome:
        parts = self.parts(engine, c, profile, trace)
        outcome = self.combine(parts)
        if outcome.value == UNKNOWN:
            for p in parts:
                if p.value == UNKNOWN:
                    outcome.missing |= p.missing
                    outcome.assessments |= p.assessments
        for p in parts:
            outcome.readings += p.readings
        if trace is not None:
            trace.append(engine.explain(c, outcome.value, None))
        return outcome

    def combine(self, parts: list[Outcome]) -> Outcome:
        raise NotImplementedError

    def shape(self, g: Graph, rules: Rulebook, c: Condition, day: dt.date) -> BNode:
        parts: list[Node] = [shape_of(g, rules, o, day) for o in c.operands]
        shape = BNode()
        g.add((shape, RDF.type, SH.NodeShape))
        self.connect(g, shape, parts)
        return shape

    def connect(self, g: Graph, shape: BNode, parts: list[Node]) -> None:
        raise NotImplementedError


def _because(parts: list[Outcome], value: str) -> list[str]:
    return [iri for p in parts if p.value == value for iri in p.because]


class AllOf(_Composite):
    rdf_type = "AllOf"

    def combine(self, parts: list[Outcome]) -> Outcome:
        values = [p.value for p in parts]
        if FALSE in values:
            return Outcome(FALSE, because=_because(parts, FALSE))
        if all(v == TRUE for v in values):
            return Outcome(TRUE, because=_because(parts, TRUE))
        return Outcome(UNKNOWN)

    def connect(self, g: Graph, shape: BNode, parts: list[Node]) -> None:
        if parts:
            g.add((shape, SH["and"], rdf_list(g, parts)))


class AnyOf(_Composite):
    rdf_type = "AnyOf"

    def combine(self, parts: list[Outcome]) -> Outcome:
        values = [p.value for p in parts]
        if TRUE in values:
            return Outcome(TRUE, because=next(p.because for p in parts if p.value == TRUE))
        if values and all(v == FALSE for v in values):
            return Outcome(FALSE, because=_because(parts, FALSE))
        return Outcome(UNKNOWN)

    def connect(self, g: Graph, shape: BNode, parts: list[Node]) -> None:
        g.add((shape, SH["or"], rdf_list(g, parts)) if parts else (shape, SH.node, NEVER))


class Not(_Composite):
    rdf_type = "Not"

    def combine(self, parts: list[Outcome]) -> Outcome:
        if not parts:
            return Outcome(UNKNOWN)
        return Outcome(NEGATE[parts[0].value], because=list(parts[0].because))

    def connect(self, g: Graph, shape: BNode, parts: list[Node]) -> None:
        g.add((shape, SH["not"], parts[0] if parts else NEVER))


class Judgement(Kind):
    """Decided by the authority (selection, reputation, "certain requirements"): always undetermined."""

    rdf_type = "JudgementCondition"

    def evaluate(self, engine: Engine, c: Condition, profile: Profile, trace: Trace) -> Outcome:
        if trace is not None:
            trace.append(engine.explain(c, UNKNOWN, None))
        return Outcome(UNKNOWN, assessments={c.iri})

    def explanation(self, c: Condition) -> dict[str, Any]:
        return {"needsAssessment": True}

    def shape(self, g: Graph, rules: Rulebook, c: Condition, day: dt.date) -> BNode:
        return NEVER


class OpenToAll(Kind):
    """A service the source offers to anyone: met by every profile."""

    rdf_type = "OpenToAll"

    def evaluate(self, engine: Engine, c: Condition, profile: Profile, trace: Trace) -> Outcome:
        if trace is not None:
            trace.append(engine.explain(c, TRUE, None))
        return Outcome(TRUE, because=[c.iri])

    def explanation(self, c: Condition) -> dict[str, Any]:
        return {"openToAll": True}

    def shape(self, g: Graph, rules: Rulebook, c: Condition, day: dt.date) -> BNode:
        shape = BNode()
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, RDFS.comment, Literal("Open to everyone: every profile conforms.", lang="en")))
        return shape


class Contested(Kind):
    """Readings of a source that disagree: the verdict follows the preferred one and reports each."""

    rdf_type = "ContestedCondition"

    def evaluate(self, engine: Engine, c: Condition, profile: Profile, trace: Trace) -> Outcome:
        outcomes = {r: engine.condition(r, profile, trace) for r in c.readings}
        chosen = outcomes.get(c.preferred or "", Outcome(UNKNOWN))
        readings = [Reading(reading=r, outcome=o.value, preferred=r == c.preferred,
                            summary=dict(engine.rules.conditions[r].summary.by_lang) if r in engine.rules.conditions else {},
                            sources=engine.rules.conditions[r].sources if r in engine.rules.conditions else [])
                    for r, o in outcomes.items()]
        outcome = Outcome(chosen.value, set(chosen.missing), set(chosen.assessments), list(chosen.because),
                          readings if len({o.value for o in outcomes.values()}) > 1 else [])
        if trace is not None:
            trace.append(engine.explain(c, outcome.value, None))
        return outcome

    def shape(self, g: Graph, rules: Rulebook, c: Condition, day: dt.date) -> BNode:
        return shape_of(g, rules, c.preferred or "", day)


KINDS: dict[str, Kind] = {k.rdf_type: k for k in (Atomic(), AllOf(), AnyOf(), Not(), Judgement(), OpenToAll(), Contested())}


def shape_of(g: Graph, rules: Rulebook, iri: str, day: dt.date) -> BNode:
    c = rules.conditions.get(iri)
    return KINDS[c.kind].shape(g, rules, c, day) if c is not None else NEVER
