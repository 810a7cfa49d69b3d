"""Condition kinds: one class per kind of ipkg:Condition, listed once in KINDS.

Each kind owns its three-valued evaluation, the explanation fields it adds and its SHACL export
(as pySHACL's constraint components own their parse, evaluate and message). Adding a kind is one
class here plus its term in the ontology and its shape; the engine, the exporter and the loader
read KINDS.

Evaluation is compiled: for each condition of a date's rules the engine asks its kind once for an
evaluator (`Kind.compile`), a closure over plain frozen data (the sets of concepts that meet the
condition, the comparison, the outcomes it can give, built once), so that evaluating a profile
touches no rdflib term, no query and no date, and allocates little: outcomes are immutable and an
atomic condition returns one of its prebuilt ones.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeAlias, TypedDict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ..jsontypes import JSON
from ..namespaces import IPKG, SCHEMA, SH

if TYPE_CHECKING:
    from .engine import Engine
    from .profile import Profile
    from .rules import Condition, Rulebook

# The steps of a verdict's explanation (Engine.steps), or None for a batch that wants none.
Trace: TypeAlias = list[JSON] | None

TRUE, FALSE, UNKNOWN = "true", "false", "unknown"
NEGATE = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lessThan": operator.lt, "lessOrEqual": operator.le, "greaterThan": operator.gt,
    "greaterOrEqual": operator.ge, "equals": operator.eq,
}
NONE: frozenset[str] = frozenset()
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


class Outcome(NamedTuple):
    """A three-valued result with what it rests on: the facts missing, the assessments left to an
    authority, and the conditions that decided it (for the verdict's one-line reason).

    Immutable, so that one outcome can stand for every profile that meets (or fails) an atomic
    condition, and a memo of outcomes can be shared by the programmes that share a condition."""

    value: str
    missing: frozenset[str] = NONE
    assessments: frozenset[str] = NONE
    because: tuple[str, ...] = ()
    readings: tuple[Reading, ...] = ()


# A compiled condition: the outcome of one profile (Kind.compile).
Evaluator: TypeAlias = Callable[["Profile"], Outcome]


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

    def compile(self, engine: Engine, c: Condition) -> Evaluator:
        """The condition's evaluator on the engine's date: what can be computed without a profile is
        computed here, once; operands are evaluated through `engine.condition` (memoised per profile)."""
        raise NotImplementedError

    def profile_value(self, c: Condition, profile: Profile) -> Any:
        """The profile's value as the explanation shows it (`profileValue`), for kinds that read one."""
        reader = self.value_reader(c)
        return reader(profile) if reader else None

    def value_reader(self, c: Condition) -> Callable[[Profile], Any] | None:
        """`profile_value` compiled for one condition; None for a kind that reads no profile value."""
        return None

    def operands_of(self, c: Condition) -> list[str]:
        """The conditions it evaluates, in order: a verdict's explanation lists their steps before its own."""
        return []

    def explanation(self, c: Condition) -> dict[str, Any]:
        """Fields this kind adds to a condition's explanation (computed once per condition)."""
        return {}

    def shape(self, g: Graph, rules: Rulebook, c: Condition, day: dt.date) -> BNode:
        """The condition as a SHACL node shape over an ipkg:ApplicantProfile."""
        raise NotImplementedError


class Atomic(Kind):
    """A profile fact compared with a concept, a boolean, a number (in a unit or currency) or a date."""

    rdf_type = "AtomicCondition"

    def compile(self, engine: Engine, c: Condition) -> Evaluator:
        key = c.constrains or "?"
        yes, no = Outcome(TRUE, because=(c.iri,)), Outcome(FALSE, because=(c.iri,))
        unknown = Outcome(UNKNOWN, missing=frozenset({key}))
        if c.concept_values:
            return self._concepts(engine, c, key, yes, no, unknown)
        if c.boolean is not None:
            wanted = c.boolean

            def boolean(profile: Profile) -> Outcome:
                raw = profile.facts.get(key)
                return unknown if raw is None else yes if raw == wanted else no
            return boolean
        compare = COMPARE[c.operator or "equals"]
        if c.date_threshold is not None:
            day = c.date_threshold

            def date(profile: Profile) -> Outcome:
                raw = profile.facts.get(key)
                return unknown if raw is None else yes if isinstance(raw, dt.date) and compare(raw, day) else no
            return date
        threshold, currency = c.threshold, c.unit_notation if c.unit_is_currency else None
        other_currency = Outcome(UNKNOWN, missing=frozenset({f"{key} in {c.unit_notation}"}))
        rates = engine.rules.rate_key or ""

        def number(profile: Profile) -> Outcome:
            raw = profile.facts.get(key)
            if raw is None:
                return unknown
            value, unit = raw if isinstance(raw, tuple) else (raw, None)
            if currency is not None and unit != currency:  # decided only on a rate the applicant gives
                conversion = profile.facts.get(rates, {}).get((unit, currency))
                if conversion is None:
                    return other_currency
                value = value * conversion.rate
            return yes if compare(value, threshold) else no
        return number

    @staticmethod
    def _concepts(engine: Engine, c: Condition, key: str, yes: Outcome, no: Outcome, unknown: Outcome) -> Evaluator:
        """A concept or place condition: set lookups in the concepts that meet it and those too coarse to decide it."""
        rules = engine.rules
        meets, coarser = engine.concept_sets[c.iri]
        met, unmet = (no, yes) if c.operator == "isNotA" else (yes, no)
        finer = tuple(rules.finer_keys.get(key, ()))  # a finer known place answers too (ipkg:refines)
        # a missing region is decided by a known country (ipkg:refines) that contains none of the
        # condition's places: the places related to them are those that meet it or are coarser
        country = rules.coarser_key.get(key) if all(v in rules.place_iris for v in c.concept_values) else None

        def concept(profile: Profile) -> Outcome:
            facts = profile.facts
            raw = facts.get(key)
            values: list[str] | tuple[str, ...] = () if raw is None else raw if isinstance(raw, list) else (raw,)
            if finer:
                known = [facts[f] for f in finer if facts.get(f) is not None]
                if known:
                    values = [*values, *known]
            if not values:
                place = facts.get(country) if country else None
                if place is None or place in meets or place in coarser:
                    return unknown
                return unmet
            if not meets.isdisjoint(values):
                return met
            if not coarser.isdisjoint(values):
                return unknown  # the profile is less specific than the condition (enterprise vs small enterprise)
            return unmet
        return concept

    def value_reader(self, c: Condition) -> Callable[[Profile], Any]:
        key = c.constrains or "?"
        if c.concept_values or c.boolean is not None:
            return lambda profile: profile.facts.get(key)
        if c.date_threshold is not None:
            def date(profile: Profile) -> Any:
                raw = profile.facts.get(key)
                return raw.isoformat() if isinstance(raw, dt.date) else raw
            return date

        def number(profile: Profile) -> Any:
            raw = profile.facts.get(key)
            if raw is None:
                return None
            value, currency = raw if isinstance(raw, tuple) else (raw, None)
            return f"{value} {currency}" if currency else str(value)
        return number

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
    def operands_of(self, c: Condition) -> list[str]:
        return c.operands

    def compile(self, engine: Engine, c: Condition) -> Evaluator:
        operands = tuple(c.operands)  # the operands in force (Rulebook.at)
        condition, combine = engine.condition, self.combine
        conditions = engine.rules.conditions
        contested = any(conditions[i].kind == Contested.rdf_type for i in engine.order(c.iri)[:-1])

        def composite(profile: Profile) -> Outcome:
            known = profile.outcomes.get
            return combine([known(o) or condition(o, profile) for o in operands])

        def with_readings(profile: Profile) -> Outcome:  # the readings of a contested condition below are reported up
            known = profile.outcomes.get
            parts = [known(o) or condition(o, profile) for o in operands]
            outcome = combine(parts)
            readings = tuple(r for p in parts for r in p.readings)
            return outcome._replace(readings=readings) if readings else outcome
        return with_readings if contested else composite

    def combine(self, parts: list[Outcome]) -> Outcome:
        """The operands' outcomes combined; undecided, with what the undecided operands wait for."""
        raise NotImplementedError

    def shape(self, g: Graph, rules: Rulebook, c: Condition, day: dt.date) -> BNode:
        parts: list[Node] = [shape_of(g, rules, o, day) for o in c.operands]
        shape = BNode()
        g.add((shape, RDF.type, SH.NodeShape))
        self.connect(g, shape, parts)
        return shape

    def connect(self, g: Graph, shape: BNode, parts: list[Node]) -> None:
        raise NotImplementedError


def _because(parts: list[Outcome], value: str) -> tuple[str, ...]:
    return tuple([iri for p in parts if p.value == value for iri in p.because])


UNDECIDED = Outcome(UNKNOWN)


def _undecided(parts: list[Outcome]) -> Outcome:
    """Unknown, waiting for the facts and assessments its unknown operands wait for."""
    unknown = [p for p in parts if p.value == UNKNOWN]
    if len(unknown) == 1:
        only = unknown[0]
        return only if not (only.because or only.readings) else Outcome(UNKNOWN, only.missing, only.assessments)
    return Outcome(UNKNOWN, NONE.union(*[p.missing for p in unknown]), NONE.union(*[p.assessments for p in unknown]))


class AllOf(_Composite):
    rdf_type = "AllOf"

    def combine(self, parts: list[Outcome]) -> Outcome:
        values = [p.value for p in parts]
        if FALSE in values:
            return Outcome(FALSE, because=_because(parts, FALSE))
        if UNKNOWN in values:
            return _undecided(parts)
        return Outcome(TRUE, because=tuple([iri for p in parts for iri in p.because]))

    def connect(self, g: Graph, shape: BNode, parts: list[Node]) -> None:
        if parts:
            g.add((shape, SH["and"], rdf_list(g, parts)))


class AnyOf(_Composite):
    rdf_type = "AnyOf"

    def combine(self, parts: list[Outcome]) -> Outcome:
        values = [p.value for p in parts]
        if TRUE in values:
            return Outcome(TRUE, because=parts[values.index(TRUE)].because)
        if values and UNKNOWN not in values:
            return Outcome(FALSE, because=tuple([iri for p in parts for iri in p.because]))
        return _undecided(parts)

    def connect(self, g: Graph, shape: BNode, parts: list[Node]) -> None:
        g.add((shape, SH["or"], rdf_list(g, parts)) if parts else (shape, SH.node, NEVER))


class Not(_Composite):
    rdf_type = "Not"

    def combine(self, parts: list[Outcome]) -> Outcome:
        if not parts:
            return UNDECIDED
        part = parts[0]
        if part.value == UNKNOWN:
            return Outcome(UNKNOWN, part.missing, part.assessments, part.because)
        return Outcome(NEGATE[part.value], because=part.because)

    def connect(self, g: Graph, shape: BNode, parts: list[Node]) -> None:
        g.add((shape, SH["not"], parts[0] if parts else NEVER))


class Judgement(Kind):
    """Decided by the authority (selection, reputation, "certain requirements"): always undetermined."""

    rdf_type = "JudgementCondition"

    def compile(self, engine: Engine, c: Condition) -> Evaluator:
        outcome = Outcome(UNKNOWN, assessments=frozenset({c.iri}))
        return lambda profile: outcome

    def explanation(self, c: Condition) -> dict[str, Any]:
        return {"needsAssessment": True}

    def shape(self, g: Graph, rules: Rulebook, c: Condition, day: dt.date) -> BNode:
        return NEVER


class OpenToAll(Kind):
    """A service the source offers to anyone: met by every profile."""

    rdf_type = "OpenToAll"

    def compile(self, engine: Engine, c: Condition) -> Evaluator:
        outcome = Outcome(TRUE, because=(c.iri,))
        return lambda profile: outcome

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

    def operands_of(self, c: Condition) -> list[str]:
        return c.readings

    def compile(self, engine: Engine, c: Condition) -> Evaluator:
        readings, preferred, condition = tuple(c.readings), c.preferred, engine.condition
        known = engine.rules.conditions
        words = {r: (known[r].summary.by_lang, known[r].sources) if r in known else ({}, []) for r in readings}

        def contested(profile: Profile) -> Outcome:
            known = profile.outcomes.get
            outcomes = {r: known(r) or condition(r, profile) for r in readings}
            chosen = outcomes.get(preferred or "", UNDECIDED)
            shown: tuple[Reading, ...] = ()
            if len({o.value for o in outcomes.values()}) > 1:
                shown = tuple(Reading(reading=r, outcome=o.value, preferred=r == preferred, summary=dict(words[r][0]),
                                      sources=words[r][1]) for r, o in outcomes.items())
            return Outcome(chosen.value, chosen.missing, chosen.assessments, chosen.because, shown)
        return contested

    def shape(self, g: Graph, rules: Rulebook, c: Condition, day: dt.date) -> BNode:
        return shape_of(g, rules, c.preferred or "", day)


KINDS: dict[str, Kind] = {k.rdf_type: k for k in (Atomic(), AllOf(), AnyOf(), Not(), Judgement(), OpenToAll(), Contested())}


def shape_of(g: Graph, rules: Rulebook, iri: str, day: dt.date) -> BNode:
    c = rules.conditions.get(iri)
    return KINDS[c.kind].shape(g, rules, c, day) if c is not None else NEVER
