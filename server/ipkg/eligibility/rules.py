"""Compile the graph's conditions, programmes, benefits and fees into plain objects, once, at start-up.

The engine never knows one programme from another: everything it decides comes from these records,
which are read from the store with a handful of SPARQL queries.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

from rdflib import Literal
from rdflib.term import Identifier

from ..namespaces import IPKG, sparql_prologue
from ..store import Store, language
from ..terms import best_by_language, labels_of, pick_label
from .kinds import KINDS

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from .profile import Checker

# A benefit's restriction on one profile key: the concepts it is for, or (serviceInvention) the booleans.
Dimension: TypeAlias = list[str] | list[bool]
# A benefit's amount or cap: value / min / max as Decimals, currency as its code.
Money: TypeAlias = dict[str, Decimal | str]

CONDITION_TYPES = {str(IPKG[t]): t for t in KINDS}


@dataclass
class Text:
    """A short text in several languages."""

    by_lang: dict[str, str] = field(default_factory=dict)

    def get(self, lang: str = "en") -> str:
        return pick_label(self.by_lang, lang) or ""


@dataclass
class Condition:
    iri: str
    kind: str  # a key of kinds.KINDS: AtomicCondition, AllOf, AnyOf, Not, JudgementCondition, OpenToAll, ContestedCondition
    summary: Text = field(default_factory=Text)
    sources: list[str] = field(default_factory=list)
    operands: list[str] = field(default_factory=list)
    constrains: str | None = None  # the profile key (skos:notation of the ProfileProperty)
    operator: str | None = None  # local name: lessOrEqual, isA, ...
    threshold: Decimal | None = None
    date_threshold: dt.date | None = None
    concept_values: list[str] = field(default_factory=list)
    boolean: bool | None = None
    unit: str | None = None
    unit_notation: str | None = None
    unit_is_currency: bool = False
    readings: list[str] = field(default_factory=list)  # ContestedCondition: every reading
    preferred: str | None = None  # ContestedCondition: the reading a verdict follows
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def in_force(self, day: dt.date) -> bool:
        return _within(self.valid_from, self.valid_until, day)


@dataclass
class PropertySpec:
    """One ipkg:ProfileProperty as declared in the ontology: the single source of the JSON Schema,
    the form, the RDF profile paths and the OpenAPI schema."""

    key: str  # its skos:notation, the JSON key
    iri: str
    section: str  # applicant | filing
    kind: str  # concept | place | money | count | number | share | boolean | date | exchange-rate
    scheme: str | None = None  # slug of the concept scheme of a concept-valued property
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    many: bool = False
    changeability: str = "free"  # free | grows-with-time | fixed: what advice may propose to change
    unit: str | None = None  # notation of its ipkg:unit (year), where a number has one
    label: Text = field(default_factory=Text)
    help: Text = field(default_factory=Text)


@dataclass
class Fee:
    iri: str
    label: Text
    category: str | None
    rights: list[str]
    value: Decimal | None
    currency: str | None
    rate: Decimal | None
    per_unit: str | None
    year_from: int | None
    year_to: int | None
    applies_above: int | None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass
class Benefit:
    iri: str
    kind: str  # Subsidy | FeeReduction | SupportService | LegalProtection | Benefit
    label: Text
    description: Text
    sources: list[str]
    rate: Decimal | None = None
    amount: Money = field(default_factory=dict)
    cap: Money = field(default_factory=dict)
    stated_as: str | None = None
    note: str | None = None
    per_unit: str | None = None
    dims: dict[str, Dimension] = field(default_factory=dict)  # profile key -> the concepts (or the boolean) the benefit is for
    condition: str | None = None
    fees: list[str] = field(default_factory=list)
    max_count: int | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass
class CombinationRule:
    """How benefits of a programme combine (ipkg:CombinationRule): one-of, or a joint cap."""

    iri: str
    kind: str  # one-of | joint-cap
    label: Text
    benefits: list[str]
    stated_as: str | None
    sources: list[str]
    cap: Decimal | None = None  # joint-cap: the ceiling, in cap_currency
    cap_currency: str | None = None
    note: str | None = None


@dataclass
class Clawback:
    """A sanction of a programme that takes funding back (sanction kind refund)."""

    iri: str
    label: Text
    triggered_by: Text
    sources: list[str]


@dataclass
class Programme:
    iri: str
    label: Text
    requirement: str | None
    jurisdictions: list[str]
    benefits: list[str]
    start: dt.date | None = None
    end: dt.date | None = None
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    combination_rules: list[CombinationRule] = field(default_factory=list)
    clawbacks: list[Clawback] = field(default_factory=list)

    def in_force(self, day: dt.date) -> bool:
        """Within the programme's own dates and those of its legal basis."""
        return not any((a and day < a) or (b and day > b)
                       for a, b in ((self.start, self.end), (self.in_force_from, self.in_force_until)))


# Which benefit property restricts which profile key.
BENEFIT_DIMENSIONS = {"forApplicantKind": "kind", "forIPRight": "ipRight", "forRoute": "route", "forStatus": "status",
                      "forServiceInvention": "serviceInvention"}  # concepts, except the last: a boolean


def is_flags(values: Dimension) -> TypeIs[list[bool]]:
    """Whether a benefit dimension is a yes/no fact (serviceInvention) rather than concepts."""
    return isinstance(values[0], bool)


def _py(term: Identifier) -> object:
    """A literal's Python value (rdflib's `toPython`: int, Decimal, date, bool, str, ...), an IRI's text."""
    if isinstance(term, Literal):
        return term.toPython()
    return str(term)


class Row:
    """One solution of a rulebook query, read by what each variable holds.

    `row[v]` is the text of a variable the pattern always binds (an IRI, a notation); the typed readers
    give an OPTIONAL variable's value or None. The values come from SHACL-validated data, so a value of
    another type than its datatype promises is a bug in the data's shapes, and is said so."""

    __slots__ = ("_values",)

    def __init__(self, variables: list[str], terms: tuple[Identifier | None, ...]) -> None:
        self._values = {v: _py(t) for v, t in zip(variables, terms) if t is not None}

    def __contains__(self, variable: str) -> bool:
        return variable in self._values

    def __getitem__(self, variable: str) -> str:
        return str(self._values[variable])

    def value(self, variable: str) -> object:
        """The Python value as rdflib reads it, None when unbound."""
        return self._values.get(variable)

    def text(self, variable: str) -> str | None:
        value = self._values.get(variable)
        return None if value is None else value if isinstance(value, str) else str(value)

    def integer(self, variable: str) -> int | None:
        value = self._values.get(variable)
        if value is None or isinstance(value, int):
            return value
        raise TypeError(f"?{variable} is not an integer: {value!r}")

    def flag(self, variable: str) -> bool | None:
        value = self._values.get(variable)
        if value is None or isinstance(value, bool):
            return value
        raise TypeError(f"?{variable} is not a boolean: {value!r}")

    def decimal(self, variable: str) -> Decimal | None:
        return _dec(self._values.get(variable))

    def date(self, variable: str) -> dt.date | None:
        return _date(self._values.get(variable))


def _within(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _dec(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class Rulebook:
    """Everything the engine reads, indexed for constant-time lookups during evaluation."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.conditions: dict[str, Condition] = {}
        self.programmes: dict[str, Programme] = {}
        self.benefits: dict[str, Benefit] = {}
        self.fees: dict[str, Fee] = {}
        self.ancestors: dict[str, set[str]] = defaultdict(set)  # skos:broader+ and ipkg:partOf+
        self.concepts_by_key: dict[str, dict[str, str]] = defaultdict(dict)  # scheme slug -> notation/slug -> IRI
        self.scheme_of: dict[str, str] = {}  # concept IRI -> scheme slug
        self.places: dict[str, str] = {}  # notation (CN, CN-JL) or slug (cn-jilin) -> IRI
        self.profile_keys: dict[str, str] = {}  # JSON key -> ProfileProperty IRI
        self.profile_properties: dict[str, PropertySpec] = {}  # JSON key -> its declaration
        self.day: dt.date | None = None  # set on the views of `at(day)`
        self.programmes_out_of_force: set[str] = set()
        self._days: dict[dt.date, Rulebook] = {}
        self.coarser_key: dict[str, str] = {}  # ipkg:refines: "region" -> "country"
        self.finer_keys: dict[str, list[str]] = defaultdict(list)  # "country" -> ["region"]
        self.labels: dict[str, Text] = defaultdict(Text)
        self.profile_checker: Checker | None = None  # profile.py's schema validator of this rulebook, built on first use
        self._load()

    def _rows(self, body: str) -> list[Row]:
        result = self._store.query(sparql_prologue(self._store.ids) + body)
        return [Row(result.variables, row) for row in result.rows]

    def _load(self) -> None:
        for r in self._rows("SELECT ?c ?b WHERE { ?c skos:broader+ ?b }"):
            self.ancestors[r["c"]].add(r["b"])
        for r in self._rows("SELECT ?c ?b WHERE { ?c ipkg:partOf ?b }"):
            self.ancestors[r["c"]].add(r["b"])
        for r in self._rows("SELECT ?c ?s ?n WHERE { ?c skos:inScheme ?s ; skos:notation ?n }"):
            scheme = r["s"].rsplit("/", 1)[-1]
            self.concepts_by_key[scheme][r["n"]] = r["c"]
            self.scheme_of[r["c"]] = scheme
            self.concepts_by_key[scheme][r["c"].rsplit("/", 1)[-1]] = r["c"]
        for r in self._rows("SELECT ?p ?n WHERE { ?p a ipkg:Place . OPTIONAL { ?p skos:notation ?n } }"):
            self.places[r["p"].rsplit("/", 1)[-1]] = r["p"]
            if "n" in r:
                self.places[r["n"].upper()] = r["p"]
        helps = self._texts("skos:definition", "ipkg:ProfileProperty")
        for r in self._rows("""SELECT ?p ?n ?sec ?kind ?scheme ?min ?max ?many ?change ?unit WHERE { ?p a ipkg:ProfileProperty ; skos:notation ?n ;
              ipkg:profileSection ?sec ; ipkg:valueKind ?kind . OPTIONAL { ?p ipkg:valueScheme ?scheme }
              OPTIONAL { ?p ipkg:changeability/skos:notation ?change } OPTIONAL { ?p ipkg:unit/skos:notation ?unit }
              OPTIONAL { ?p ipkg:minimum ?min } OPTIONAL { ?p ipkg:maximum ?max } OPTIONAL { ?p ipkg:manyValues ?many } }"""):
            key = r["n"]
            self.profile_keys[key] = r["p"]
            self.profile_properties[key] = PropertySpec(
                key, r["p"], r["sec"], r["kind"], r["scheme"].rsplit("/", 1)[-1] if "scheme" in r else None,
                r.decimal("min"), r.decimal("max"), bool(r.value("many")), r.text("change") or "free",
                unit=r.text("unit"), help=helps[r["p"]])
        for r in self._rows("SELECT ?fine ?coarse WHERE { ?f ipkg:refines ?c . ?f skos:notation ?fine . ?c skos:notation ?coarse }"):
            self.coarser_key[r["fine"]] = r["coarse"]
            self.finer_keys[r["coarse"]].append(r["fine"])
        self.place_iris = set(self.places.values())
        # the property whose values are the applicant's exchange rates (valueKind exchange-rate), and the
        # currency codes a rate may name: those of the graph's currency scheme, the only ones thresholds use
        self.rate_key = next((k for k, spec in sorted(self.profile_properties.items()) if spec.kind == "exchange-rate"), None)
        self.currencies = frozenset(n for n in self.concepts_by_key.get("currency", {}) if n.isupper() and len(n) == 3)
        self._load_labels()
        for spec in self.profile_properties.values():
            spec.label = self.labels[spec.iri]
        self._load_conditions()
        self._load_fees()
        self._load_benefits()
        self._load_programmes()
        self._load_combinations()

    def _load_labels(self) -> None:
        for iri, by_lang in labels_of(self._store, None).items():
            self.labels[iri].by_lang.update(by_lang)

    def _texts(self, prop: str, target: str) -> dict[str, Text]:
        """`prop`'s text per language of each `target`; of several in one language, the least (as `labels_of` chooses)."""
        found: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for s, text in self._store.query(sparql_prologue(self._store.ids) + f"SELECT ?s ?t WHERE {{ ?s a {target} ; {prop} ?t }}").rows:
            found[str(s)].append((0, language(text), str(text)))
        return defaultdict(Text, {iri: Text(best_by_language(candidates)) for iri, candidates in found.items()})

    def _sources(self, target: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for r in self._rows(f"SELECT ?s ?src WHERE {{ ?s a {target} ; prov:wasDerivedFrom ?src }} ORDER BY ?s ?src"):
            out[r["s"]].append(r["src"])
        return out

    def _load_conditions(self) -> None:
        summaries = self._texts("skos:definition", "ipkg:Condition")
        sources = self._sources("ipkg:Condition")
        kinds = " ".join(f"ipkg:{k}" for k in KINDS)
        for r in self._rows(f"SELECT ?c ?t WHERE {{ ?c a ?t . VALUES ?t {{ {kinds} }} }}"):
            c = self.conditions.get(r["c"])
            kind = CONDITION_TYPES[r["t"]]
            if c is None:
                self.conditions[r["c"]] = Condition(r["c"], kind, summaries[r["c"]], sources[r["c"]])
        # the currency scheme is found by its path, not by an IRI relative to one base (IPKG_BASE moves it)
        for r in self._rows("""SELECT ?c ?n ?op ?th ?dth ?b ?u ?un ?cur WHERE {
              ?c ipkg:constrains/skos:notation ?n ; ipkg:operator ?op .
              OPTIONAL { ?c ipkg:threshold ?th } OPTIONAL { ?c ipkg:dateThreshold ?dth } OPTIONAL { ?c ipkg:booleanValue ?b }
              OPTIONAL { ?c ipkg:unit ?u OPTIONAL { ?u skos:notation ?un }
                         BIND(EXISTS { ?u skos:inScheme ?scheme FILTER(STRENDS(STR(?scheme), "/concept/currency")) } AS ?cur) } }"""):
            c = self.conditions[r["c"]]
            c.constrains, c.operator = r["n"], r["op"].rsplit("/", 1)[-1]
            c.threshold, c.boolean = r.decimal("th"), r.flag("b")
            c.date_threshold = r.date("dth")
            c.unit, c.unit_notation, c.unit_is_currency = r.text("u"), r.text("un"), bool(r.value("cur"))
        for r in self._rows("SELECT ?c ?vf ?vu WHERE { ?c a ipkg:Condition OPTIONAL { ?c ipkg:validFrom ?vf } OPTIONAL { ?c ipkg:validUntil ?vu } FILTER(BOUND(?vf) || BOUND(?vu)) }"):
            self.conditions[r["c"]].valid_from, self.conditions[r["c"]].valid_until = r.date("vf"), r.date("vu")
        for r in self._rows("SELECT ?c ?v WHERE { ?c a ipkg:AtomicCondition ; ipkg:conceptValue ?v } ORDER BY ?v"):
            self.conditions[r["c"]].concept_values.append(r["v"])
        for r in self._rows("SELECT ?c ?o WHERE { ?c a ipkg:CompositeCondition ; ipkg:operand ?o } ORDER BY ?o"):
            self.conditions[r["c"]].operands.append(r["o"])
        for r in self._rows("SELECT ?c ?r ?p WHERE { ?c a ipkg:ContestedCondition ; ipkg:reading ?r ; ipkg:preferredReading ?p } ORDER BY ?r"):
            c = self.conditions[r["c"]]
            if r["r"] not in c.readings:
                c.readings.append(r["r"])
            c.preferred = r["p"]

    def _load_fees(self) -> None:
        rights: dict[str, list[str]] = defaultdict(list)
        for r in self._rows("SELECT ?f ?r WHERE { ?f a ipkg:OfficialFee ; ipkg:forIPRight ?r }"):
            rights[r["f"]].append(r["r"])
        for r in self._rows("""SELECT ?f ?cat ?v ?cur ?rate ?pu ?yf ?yt ?above ?vf ?vu WHERE { ?f a ipkg:OfficialFee .
              OPTIONAL { ?f ipkg:feeCategory ?cat } OPTIONAL { ?f cv:hasValue ?v } OPTIONAL { ?f ipkg:currency/skos:notation ?cur }
              OPTIONAL { ?f ipkg:rate ?rate } OPTIONAL { ?f ipkg:perUnit ?pu } OPTIONAL { ?f ipkg:yearFrom ?yf }
              OPTIONAL { ?f ipkg:yearTo ?yt } OPTIONAL { ?f ipkg:appliesAbove ?above }
              OPTIONAL { ?f ipkg:validFrom ?vf } OPTIONAL { ?f ipkg:validUntil ?vu } }"""):
            self.fees[r["f"]] = Fee(
                r["f"], self.labels[r["f"]], r.text("cat"), rights[r["f"]], r.decimal("v"), r.text("cur"), r.decimal("rate"),
                r.text("pu"), r.integer("yf"), r.integer("yt"), r.integer("above"), r.date("vf"), r.date("vu"))

    def _load_benefits(self) -> None:
        descriptions = self._texts("dct:description", "ipkg:Benefit")
        sources = self._sources("ipkg:Benefit")
        kinds: dict[str, str] = {}
        for r in self._rows("SELECT ?b ?t WHERE { ?b a ?t . VALUES ?t { ipkg:Subsidy ipkg:FeeReduction ipkg:SupportService ipkg:LegalProtection } }"):
            kinds[r["b"]] = r["t"].rsplit("/", 1)[-1]
        for r in self._rows("""SELECT ?b ?rate ?sa ?note ?pu ?cond ?max ?vf ?vu WHERE { ?b a ipkg:Benefit .
              OPTIONAL { ?b ipkg:rate ?rate } OPTIONAL { ?b ipkg:statedAs ?sa } OPTIONAL { ?b ipkg:dataQualityNote ?note }
              OPTIONAL { ?b ipkg:perUnit ?pu } OPTIONAL { ?b ipkg:hasCondition ?cond } OPTIONAL { ?b ipkg:maxCount ?max }
              OPTIONAL { ?b ipkg:validFrom ?vf } OPTIONAL { ?b ipkg:validUntil ?vu } }"""):
            if r["b"] in self.benefits:
                continue
            self.benefits[r["b"]] = Benefit(
                r["b"], kinds.get(r["b"], "Benefit"), self.labels[r["b"]], descriptions[r["b"]], sources[r["b"]],
                rate=r.decimal("rate"), stated_as=r.text("sa"), note=r.text("note"), per_unit=r.text("pu"),
                condition=r.text("cond"), max_count=r.integer("max"), valid_from=r.date("vf"), valid_until=r.date("vu"))
        for prop, target in (("ipkg:amount", "amount"), ("ipkg:cap", "cap")):
            for r in self._rows(f"""SELECT ?b ?v ?min ?max ?cur WHERE {{ ?b a ipkg:Benefit ; {prop} ?m .
                  OPTIONAL {{ ?m schema:value ?v }} OPTIONAL {{ ?m schema:minValue ?min }} OPTIONAL {{ ?m schema:maxValue ?max }}
                  OPTIONAL {{ ?m schema:currency ?cur }} }}"""):
                money: Money = getattr(self.benefits[r["b"]], target)
                for k, v in (("value", r.decimal("v")), ("min", r.decimal("min")), ("max", r.decimal("max")), ("currency", r.text("cur"))):
                    if v is not None:
                        money[k] = v
        for prop, key in BENEFIT_DIMENSIONS.items():
            concepts: dict[str, list[str]] = defaultdict(list)
            flags: dict[str, list[bool]] = defaultdict(list)
            for r in self._rows(f"SELECT ?b ?c WHERE {{ ?b a ipkg:Benefit ; ipkg:{prop} ?c }} ORDER BY ?c"):
                value = r.value("c")  # ipkg:forServiceInvention is the one boolean dimension
                if isinstance(value, bool):
                    flags[r["b"]].append(value)
                else:
                    concepts[r["b"]].append(r["c"])
            for b, found in concepts.items():
                self.benefits[b].dims[key] = found
            for b, yes_no in flags.items():
                self.benefits[b].dims[key] = yes_no
        for r in self._rows("SELECT ?b ?f WHERE { ?b a ipkg:Benefit ; ipkg:appliesToFee ?f } ORDER BY ?f"):
            self.benefits[r["b"]].fees.append(r["f"])

    def _load_programmes(self) -> None:
        jurisdictions: dict[str, list[str]] = defaultdict(list)
        for r in self._rows("SELECT ?p ?j WHERE { ?p a ipkg:Programme ; ipkg:jurisdiction ?j } ORDER BY ?j"):
            jurisdictions[r["p"]].append(r["j"])
        benefits: dict[str, list[str]] = defaultdict(list)
        for r in self._rows("SELECT ?p ?b WHERE { ?p a ipkg:Programme ; ipkg:hasBenefit ?b } ORDER BY ?b"):
            benefits[r["p"]].append(r["b"])
        for r in self._rows("""SELECT ?p (SAMPLE(?req) AS ?r) (MIN(?sd) AS ?start) (MIN(?ed) AS ?end)
                                      (MAX(?inf) AS ?from) (MIN(?nlf) AS ?until) WHERE { ?p a ipkg:Programme .
              OPTIONAL { ?p cv:holdsRequirement ?req } OPTIONAL { ?p ipkg:startDate ?sd } OPTIONAL { ?p ipkg:endDate ?ed }
              OPTIONAL { ?p cv:hasLegalResource ?i . ?i eli:first_date_entry_in_force ?inf }
              OPTIONAL { ?p cv:hasLegalResource ?i2 . ?i2 eli:date_no_longer_in_force ?nlf } } GROUP BY ?p ORDER BY ?p"""):
            self.programmes[r["p"]] = Programme(
                r["p"], self.labels[r["p"]], r.text("r"), jurisdictions[r["p"]], benefits[r["p"]],
                r.date("start"), r.date("end"), r.date("from"), r.date("until"))

    def _load_combinations(self) -> None:
        """Combination rules and clawbacks (refunding sanctions), on the programmes they belong to."""
        sources = self._sources("ipkg:CombinationRule")
        rules: dict[str, CombinationRule] = {}
        for r in self._rows("""SELECT ?p ?r ?kind ?b ?sa ?note ?max ?cur WHERE { ?p ipkg:hasCombinationRule ?r .
              ?r ipkg:combinationKind/skos:notation ?kind ; ipkg:combines ?b .
              OPTIONAL { ?r ipkg:statedAs ?sa } OPTIONAL { ?r ipkg:dataQualityNote ?note }
              OPTIONAL { ?r ipkg:cap [ schema:maxValue ?max ; schema:currency ?cur ] } } ORDER BY ?p ?r ?b"""):
            rule = rules.get(r["r"])
            if rule is None:
                rule = rules[r["r"]] = CombinationRule(r["r"], r["kind"], self.labels[r["r"]], [], r.text("sa"),
                                                       sources[r["r"]], r.decimal("max"), r.text("cur"), r.text("note"))
                if r["p"] in self.programmes:
                    self.programmes[r["p"]].combination_rules.append(rule)
            rule.benefits.append(r["b"])
        triggers = self._texts("ipkg:triggeredBy", "ipkg:Sanction")
        sanction_sources = self._sources("ipkg:Sanction")
        for r in self._rows("""SELECT DISTINCT ?p ?s WHERE { ?p a ipkg:Programme ; ipkg:hasSanction ?s .
              ?s ipkg:sanctionKind ?k FILTER(STRENDS(STR(?k), "/sanction-kind/refund")) } ORDER BY ?p ?s"""):
            self.programmes[r["p"]].clawbacks.append(Clawback(r["s"], self.labels[r["s"]], triggers[r["s"]], sanction_sources[r["s"]]))

    def at(self, day: dt.date) -> Rulebook:
        """The rules in force on `day`, resolved once and kept (as OpenFisca resolves parameters at an
        instant): conditions, benefits and fees out of force are left out, composite conditions keep
        only the operands in force, and `programmes_out_of_force` lists the programmes outside their
        dates. The engine and the shape exporter read this view, so neither tests a date."""
        if self.day == day:
            return self
        view = self._days.get(day)
        if view is None:
            if len(self._days) >= 256:  # a bounded memo: batch jobs use few dates, a crawler of dates many
                self._days.clear()
            view = copy.copy(self)
            view.day, view._days = day, {}
            view.conditions = {iri: dataclasses.replace(c, operands=[o for o in c.operands
                                                                      if o in self.conditions and self.conditions[o].in_force(day)])
                               for iri, c in self.conditions.items() if c.in_force(day)}
            view.benefits = {iri: b for iri, b in self.benefits.items() if _within(b.valid_from, b.valid_until, day)}
            view.fees = {iri: f for iri, f in self.fees.items() if _within(f.valid_from, f.valid_until, day)}
            view.programmes_out_of_force = {iri for iri, p in self.programmes.items() if not p.in_force(day)}
            self._days[day] = view
        return view

    def tree(self, iri: str | None) -> list[Condition]:
        """The condition and every condition under it (operands, readings), each once."""
        out: list[Condition] = []
        todo = [iri] if iri else []
        while todo:
            c = self.conditions.get(todo.pop())
            if c is not None and c not in out:
                out.append(c)
                todo += c.operands + c.readings
        return out

    def is_a(self, value: str, concept: str) -> bool:
        return value == concept or concept in self.ancestors.get(value, ())
