"""What changed between two dates: programmes, instruments, conditions, benefits and deadlines that started,
ended, were amended, merged, succeeded or replaced, each change with its source lines.

The graph dates things with a handful of properties; which property means which kind of change is
the table below (data, not code spread over queries). An amendment of a value is two versions of a
resource (ipkg:validUntil on the old, ipkg:validFrom the next day on the new) under the same parent
with the same identity (what they constrain, for which right, route, status …): the change says what
value went from what to what. A reorganisation (merged into, succeeded by, renamed, replaced) is dated
by the successor's start, else the day after the predecessor's end, else a reorganisation event
naming both; one the graph gives no date for is listed as undated.

A timeline (`timeline_of`) is the same changes over all time, with the dated events about programmes and
instruments, kept to a jurisdiction or an IP right by the facet paths of facets.py, followed from a
condition, benefit or deadline up to the programme or instrument that holds it.

A core module (no web imports): GET /api/changes, /changes, /api/timeline and /timeline render it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from rdflib import URIRef

from . import facets
from .citation import Source, sources_of
from .errors import InvalidRequest, NotFound
from .jsontypes import JSON
from .namespaces import PREFIXES, asserted, sparql_prologue
from .store import Store
from .terms import NAMES_OR_DEFINITION, PAGE_LANGUAGES, Labels, labels_of, slug

IPKG, ELI, DCT, CV = PREFIXES["ipkg"], PREFIXES["eli"], PREFIXES["dct"], PREFIXES["cv"]
# date property -> the change it records on its subject
DATED = {
    IPKG + "startDate": "started",
    ELI + "first_date_entry_in_force": "entered-into-force",
    IPKG + "validFrom": "version-in-force",
    IPKG + "endDate": "ended",
    ELI + "date_no_longer_in_force": "no-longer-in-force",
    IPKG + "validUntil": "version-ended",
    IPKG + "amendedOn": "amended",
    ELI + "date_document": "adopted",  # an instrument's adoption and promulgation: the start of its history
    ELI + "date_publication": "promulgated",
}
ENDINGS = {IPKG + "endDate", ELI + "date_no_longer_in_force", IPKG + "validUntil"}
# relation -> the change, most specific first (the others are sub-properties of dct:isReplacedBy)
RELATIONS = {IPKG + "mergedInto": "merged", IPKG + "succeededBy": "succeeded", IPKG + "renamedTo": "renamed",
             DCT + "isReplacedBy": "replaced", ELI + "repeals": "repealed"}
# ?old ?p ?new whichever way the data states it: dct:replaces and eli:repeals point from the new to the old (a
# repeal is "repealed" only where no more specific relation joins the two)
FORWARD = " ".join(f"<{r}>" for r in RELATIONS if r != ELI + "repeals")
REORGANISED = (f"{{ VALUES ?p {{ {FORWARD} }} ?old ?p ?new }} UNION {{ ?new dct:replaces ?old BIND(dct:isReplacedBy AS ?p) }} "
               "UNION { ?new eli:repeals ?old BIND(eli:repeals AS ?p) }")
# the name of a relation seen from the newer resource's side
INVERSE = {"repealed": "repeals"}
STARTS = (IPKG + "startDate", ELI + "first_date_entry_in_force", IPKG + "validFrom")
# what makes two dated versions the same thing, and what values an amendment changes
IDENTITY = ("ipkg:constrains", "ipkg:operator", "ipkg:unit", "ipkg:benefitKind", "ipkg:forIPRight", "ipkg:forRoute",
            "ipkg:forServiceInvention", "ipkg:forStatus", "ipkg:perUnit", "ipkg:deadlineKind", "ipkg:feeCategory")
VALUES = {"ipkg:threshold": "threshold", "ipkg:amount/schema:value": "amount", "ipkg:amount/schema:maxValue": "amount (at most)",
          "cv:hasValue": "amount", "ipkg:duration": "duration", "ipkg:workingDays": "working days"}
KINDS = {"Programme": "programme", "LegalInstrument": "instrument", "AtomicCondition": "condition", "AllOf": "condition",
         "AnyOf": "condition", "Subsidy": "benefit", "Benefit": "benefit", "Deadline": "deadline", "OfficialFee": "fee"}
LINKS = ("cv:hasRequirement|ipkg:operand|cv:holdsRequirement|ipkg:hasBenefit|ipkg:hasDeadline|ipkg:hasProcedureStep/ipkg:hasDeadline")


class ChangesError(InvalidRequest, ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# One value that differs between a version and its successor; "from" is a keyword, hence the functional form.
ValueChange = TypedDict("ValueChange", {"what": str, "from": str | None, "to": str | None})


@dataclass
class Change:
    date: dt.date
    change: str  # started, ended, amended, merged, succeeded, …
    subject: str
    label: dict[str, str]
    kind: str | None = None  # programme, instrument, condition, benefit, deadline, fee
    other: str | None = None  # the successor, or the new version
    other_label: dict[str, str] = field(default_factory=dict)
    values: list[ValueChange] = field(default_factory=list)
    precision: str | None = None  # the notation of the date's precision (month, year, fiscal-year), when not a day
    precision_label: Labels = field(default_factory=dict)  # its name in each language (月, 年度), for pages
    sources: list[Source] = field(default_factory=list)

    def as_json(self) -> JSON:
        return {"date": self.date.isoformat(), "change": self.change, "subject": self.subject, "label": self.label, "kind": self.kind,
                "other": self.other, "otherLabel": self.other_label or None, "values": self.values, "datePrecision": self.precision,
                "sources": [s.as_json() for s in self.sources]}


@dataclass
class Changes:
    start: dt.date
    end: dt.date
    changes: list[Change]
    undated: list[JSON]


RANGE = ("from", "to")  # a date range's ends, both included


def _range_ends(args: Mapping[str, list[str]], required: bool) -> tuple[list[str], dt.date | None, dt.date | None]:
    """The problems with `from` and `to` (given at most once, YYYY-MM-DD, `from` not after `to`) and the two dates;
    one reading for /api/changes (both `required`) and the timeline (either open: missing or empty)."""
    problems: list[str] = []
    ends: dict[str, dt.date | None] = {}
    for name in RANGE:
        values = [v.strip() for v in args.get(name, [])]
        ends[name] = None
        if len(values) > 1:
            problems.append(f"give {name} at most once")
        elif values and values[0]:
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", values[0]):
                    raise ValueError(values[0])
                ends[name] = dt.date.fromisoformat(values[0])
            except ValueError:
                problems.append(f"{name} must be a date YYYY-MM-DD such as 2024-01-01, not {values[0]!r}")
        elif required:
            problems.append(f"{name} is required (YYYY-MM-DD)")
    start, end = ends["from"], ends["to"]
    if start is not None and end is not None and start > end:
        problems.append(f"from ({start}) is after to ({end})")
    return problems, start, end


def parse_range(args: Mapping[str, list[str]]) -> tuple[dt.date, dt.date]:
    """/api/changes' period: both ends required; ChangesError (400) with every problem at once."""
    problems = [f"unknown parameter {k!r}; the parameters are from, to, lang" for k in args if k not in (*RANGE, "lang")]
    more, start, end = _range_ends(args, required=True)
    if problems + more or start is None or end is None:
        raise ChangesError(problems + more)
    return start, end


def _labels(store: Store, iris: set[str]) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Labels (a concept's preferred label; a condition's definition) in ja and en, and the kind of each resource."""
    if not iris:
        return {}, {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    found = labels_of(store, iris, NAMES_OR_DEFINITION, PAGE_LANGUAGES)
    labels = {i: found.get(i, {}) for i in iris}
    kinds: dict[str, str] = {}
    for s, t in store.query(sparql_prologue(store.ids) + f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}").rows:
        name = str(t).rsplit("/", 1)[-1]
        if name in KINDS and str(s) not in kinds:
            kinds[str(s)] = KINDS[name]
    return labels, kinds


def _versions(store: Store) -> list[tuple[str, str, dt.date]]:
    """Pairs (old, new, day the new is in force) of versions: same parent, same identity, adjacent validity."""
    same = " ".join(f"FILTER(NOT EXISTS {{ ?old {p} ?x FILTER NOT EXISTS {{ ?new {p} ?x }} }} && "
                    f"NOT EXISTS {{ ?new {p} ?y FILTER NOT EXISTS {{ ?old {p} ?y }} }})" for p in IDENTITY)
    rows = store.query(sparql_prologue(store.ids) + f"""SELECT DISTINCT ?old ?new ?from ?until WHERE {{
        ?old ipkg:validUntil ?until . ?new ipkg:validFrom ?from . FILTER(?old != ?new)
        ?parent {LINKS} ?old . ?parent {LINKS} ?new .
        {same} }}""").rows
    out = []
    for old, new, start, until in rows:
        if dt.date.fromisoformat(str(until)) + dt.timedelta(days=1) == dt.date.fromisoformat(str(start)):
            out.append((str(old), str(new), dt.date.fromisoformat(str(start))))
    return out


def _values(store: Store, old: str, new: str) -> list[ValueChange]:
    out: list[ValueChange] = []
    for path, what in VALUES.items():
        rows = store.query(sparql_prologue(store.ids) + f"SELECT ?a ?b WHERE {{ OPTIONAL {{ ?old {path} ?a }} OPTIONAL {{ ?new {path} ?b }} }}",
                           bindings={"old": URIRef(old), "new": URIRef(new)}).rows
        for a, b in rows:
            if (a is not None or b is not None) and str(a) != str(b):
                out.append({"what": what, "from": None if a is None else str(a), "to": None if b is None else str(b)})
    return out


def _precisions(store: Store, concepts: set[str]) -> dict[str, tuple[str, Labels]]:
    """Each date-precision concept (concept/date-precision/…) as a change records it: its notation and its labels."""
    labels = labels_of(store, concepts)
    return {c: (slug(c), labels.get(c, {})) for c in concepts}


def between(store: Store, start: dt.date, end: dt.date) -> Changes:
    """Every dated change in [start, end], in date order, and the reorganisations the graph gives no date for."""
    prologue = sparql_prologue(store.ids)
    values = " ".join(f"<{p}>" for p in DATED)
    rows = store.query(prologue + f"""SELECT DISTINCT ?s ?p ?d ?pc WHERE {{ VALUES ?p {{ {values} }}
        GRAPH ?g {{ ?s ?p ?d }} FILTER({asserted()} && isIRI(?s))
        OPTIONAL {{ ?s ipkg:datePrecision ?pc }} }}""").rows
    dated: dict[tuple[str, str], dt.date] = {}
    precision: dict[str, str] = {}
    for subject, prop, value, prec in rows:
        dated[(str(subject), str(prop))] = dt.date.fromisoformat(str(value))
        if prec is not None:
            precision[str(subject)] = str(prec)
    precisions = _precisions(store, set(precision.values()))
    changes: list[Change] = []
    versions = _versions(store)
    paired = {(old, IPKG + "validUntil") for old, _n, _d in versions} | {(new, IPKG + "validFrom") for _o, new, _d in versions}
    for old, new, day in versions:
        if start <= day <= end:
            changes.append(Change(day, "amended", old, {}, other=new, values=_values(store, old, new)))
    for (subject_iri, prop_iri), when in dated.items():
        if (subject_iri, prop_iri) not in paired and start <= when <= end:
            notation, named = precisions.get(precision.get(subject_iri, ""), (None, {}))
            changes.append(Change(when, DATED[prop_iri], subject_iri, {}, precision=notation, precision_label=named))
    rows = store.query(prologue + f"""SELECT DISTINCT ?old ?p ?new ?event ?edate WHERE {{ {REORGANISED}
        OPTIONAL {{ ?event ipkg:eventKind <concept/event-kind/reorganisation> ; dct:subject ?old , ?new ; dct:date ?edate }} }}""").rows
    found: dict[tuple[str, str], tuple[str, dt.date | None]] = {}
    for old_term, relation, new_term, _event, edate in rows:
        key = (str(old_term), str(new_term))
        if key in found and list(RELATIONS).index(found[key][0]) <= list(RELATIONS).index(str(relation)):
            continue
        on: dt.date | None = next((dated[(key[1], q)] for q in STARTS if (key[1], q) in dated), None)
        if on is None:
            on = next((dated[(key[0], q)] + dt.timedelta(days=1) for q in ENDINGS if (key[0], q) in dated), None)
        if on is None and edate is not None:
            on = dt.date.fromisoformat(str(edate))
        found[key] = (str(relation), on)
    undated: list[dict[str, Any]] = []
    for (old_iri, new_iri), (relation_iri, on) in sorted(found.items()):
        if on is None:
            undated.append({"change": RELATIONS[relation_iri], "subject": old_iri, "other": new_iri})
        elif start <= on <= end:
            changes.append(Change(on, RELATIONS[relation_iri], old_iri, {}, other=new_iri))
    iris = {c.subject for c in changes} | {c.other for c in changes if c.other} | {u["subject"] for u in undated} | {u["other"] for u in undated}
    labels, kinds = _labels(store, iris)
    cited = sources_of(store, {c.subject for c in changes} | {c.other for c in changes if c.other} | {u["subject"] for u in undated})
    for c in changes:
        c.label, c.kind = labels.get(c.subject, {}), kinds.get(c.subject)
        if c.other:
            c.other_label = labels.get(c.other, {})
        seen: set[str] = set()
        for src in cited.get(c.subject, []) + (cited.get(c.other or "", []) if c.change == "amended" else []):
            if src.locator not in seen:
                seen.add(src.locator)
                c.sources.append(src)
    for u in undated:
        u.update(label=labels.get(u["subject"], {}), otherLabel=labels.get(u["other"], {}), kind=kinds.get(u["subject"]),
                 sources=[s.as_json() for s in cited.get(u["subject"], [])])
    order = list(dict.fromkeys(["amended", *RELATIONS.values(), *DATED.values()]))
    changes.sort(key=lambda c: (c.date, order.index(c.change), c.subject))
    return Changes(start, end, changes, undated)


def to_json(result: Changes) -> JSON:
    return {"from": result.start.isoformat(), "to": result.end.isoformat(), "changes": [c.as_json() for c in result.changes],
            "undated": result.undated}


# ---------------------------------------------------------------- one resource through time

PARTS = "(cv:holdsRequirement|ipkg:operand|ipkg:hasBenefit|ipkg:hasDeadline|ipkg:hasProcedureStep)+"
VALID_FROM = (IPKG + "validFrom", IPKG + "startDate", ELI + "first_date_entry_in_force")
VALID_UNTIL = (IPKG + "validUntil", IPKG + "endDate", ELI + "date_no_longer_in_force")


def _dates(store: Store, iri: str) -> dict[str, dt.date]:
    values = " ".join(f"<{p}>" for p in DATED)
    rows = store.query(sparql_prologue(store.ids) + f"""SELECT DISTINCT ?p ?d WHERE {{ VALUES ?p {{ {values} }}
        GRAPH ?g {{ ?s ?p ?d }} FILTER({asserted()}) }}""", bindings={"s": URIRef(iri)}).rows
    return {str(p): dt.date.fromisoformat(str(d)) for p, d in rows}


def _interval(dates: dict[str, dt.date]) -> tuple[dt.date | None, dt.date | None]:
    return next((dates[p] for p in VALID_FROM if p in dates), None), next((dates[p] for p in VALID_UNTIL if p in dates), None)


def in_force(dates: dict[str, dt.date], day: dt.date) -> bool | None:
    """Whether something with these dates is in force on `day`; None when the graph dates neither end."""
    start, until = _interval(dates)
    if start is None and until is None:
        return None
    return (start is None or start <= day) and (until is None or day <= until)


def timeline(store: Store, iri: str) -> list[JSON]:
    """The resource's own dated changes, its dated parts (versions of conditions, benefits, deadlines), its
    predecessors and successors, and the dated events about it, in date order."""
    prologue = sparql_prologue(store.ids)
    entries: list[dict[str, Any]] = [{"date": d, "change": DATED[p], "subject": iri} for p, d in _dates(store, iri).items()]
    for (part,) in store.query(prologue + f"SELECT DISTINCT ?part WHERE {{ ?s {PARTS} ?part FILTER(isIRI(?part)) "
                                          f"{{ ?part ipkg:validFrom ?x }} UNION {{ ?part ipkg:validUntil ?x }} }}",
                               bindings={"s": URIRef(iri)}).rows:
        entries += [{"date": d, "change": DATED[p], "subject": str(part)} for p, d in _dates(store, str(part)).items()]
    rows = store.query(prologue + f"""SELECT DISTINCT ?old ?p ?new WHERE {{ {REORGANISED} FILTER(?old = ?s || ?new = ?s) }}""",
                       bindings={"s": URIRef(iri)}).rows
    best: dict[tuple[str, str], str] = {}
    for old_term, relation, new_term in rows:
        key = (str(old_term), str(new_term))
        if key not in best or list(RELATIONS).index(str(relation)) < list(RELATIONS).index(best[key]):
            best[key] = str(relation)
    for (old, new), relation_iri in best.items():
        other = new if old == iri else old
        successor, predecessor = _interval(_dates(store, new)), _interval(_dates(store, old))
        on = successor[0] or (predecessor[1] + dt.timedelta(days=1) if predecessor[1] else None)
        entries.append({"date": on, "change": RELATIONS[relation_iri] if old == iri else INVERSE.get(RELATIONS[relation_iri], "succeeds"), "subject": iri, "other": other})
    for event, day in store.query(prologue + "SELECT DISTINCT ?e ?d WHERE { ?e dct:subject ?s ; dct:date ?d ; a ipkg:Event }",
                                  bindings={"s": URIRef(iri)}).rows:
        entries.append({"date": dt.date.fromisoformat(str(day)), "change": "event", "subject": str(event)})
    labels, _kinds = _labels(store, {e["subject"] for e in entries} | {e["other"] for e in entries if e.get("other")})
    for e in entries:
        e["label"] = labels.get(e["subject"], {})
        e["otherLabel"] = labels.get(e.get("other") or "", {})
    return sorted(entries, key=lambda e: (e["date"] is None, e["date"] or dt.date.max, e["change"], e["subject"]))


def state_on(store: Store, iri: str, day: dt.date) -> JSON:
    """What was in force on `day`: the resource itself and each of its dated parts, with the versions not in force."""
    own = _dates(store, iri)
    parts: list[dict[str, Any]] = []
    for (part,) in store.query(sparql_prologue(store.ids) + f"SELECT DISTINCT ?part WHERE {{ ?s {PARTS} ?part FILTER(isIRI(?part)) "
                                                   f"{{ ?part ipkg:validFrom ?x }} UNION {{ ?part ipkg:validUntil ?x }} }} ORDER BY ?part",
                               bindings={"s": URIRef(iri)}).rows:
        dates = _dates(store, str(part))
        start, until = _interval(dates)
        parts.append({"iri": str(part), "inForce": in_force(dates, day), "from": start, "until": until})
    labels, _kinds = _labels(store, {p["iri"] for p in parts})
    for entry in parts:
        entry["label"] = labels.get(entry["iri"], {})
    start, until = _interval(own)
    return {"day": day, "inForce": in_force(own, day), "from": start, "until": until, "parts": parts}


# ---------------------------------------------------------------- a jurisdiction or a theme through time

# What a timeline may be kept to: its request parameter -> the facet (facets.py) whose values it names. A theme is
# an IP right, the one subject every source family is organised by (a trademark timeline spans the Chinese
# famous-trademark regulations and nothing of the JPO's patent fees).
SCOPES = {"jurisdiction": "jurisdiction", "theme": "right"}
# From a dated resource to what holds it (a condition's, benefit's or deadline's programme or instrument),
# itself included: the facets are stated on programmes and instruments, not on their parts.
OWNERS = "(^(cv:hasRequirement|ipkg:operand|cv:holdsRequirement|ipkg:hasBenefit|ipkg:hasDeadline|ipkg:hasProcedureStep))*"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


class TimelineError(InvalidRequest, ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class NoTimeline(NotFound, LookupError):
    """A jurisdiction or theme of which the graph dates nothing (or that it does not know)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Timeline:
    scope: dict[str, str]  # parameter -> slug, as asked
    scope_labels: dict[str, dict[str, str]]  # parameter -> the value's labels (ja, en)
    events: list[Change]
    undated: list[JSON]


def parse_scope(args: Mapping[str, list[str]]) -> dict[str, str]:
    """The jurisdiction and theme asked for (either, both, or neither for the list of them; an empty value is not
    given, as the page's form sends "(any)"); TimelineError (400) for an unknown parameter, a repeated one, or a value
    that cannot be a slug."""
    problems = [f"unknown parameter {k!r}; the parameters are jurisdiction, theme, from, to, lang" for k in args
                if k not in (*SCOPES, *RANGE, "lang")]
    scope: dict[str, str] = {}
    for name in SCOPES:
        values = args.get(name, [])
        if len(values) > 1:
            problems.append(f"give {name} at most once")
        elif values and (value := values[0].strip()):  # empty: the form's "(any)"
            if not SLUG.fullmatch(value):
                problems.append(f"{name} must be a slug such as {'cn-jilin' if name == 'jurisdiction' else 'trademark'}, not {value!r}")
            else:
                scope[name] = value
    if problems:
        raise TimelineError(problems)
    return scope


def parse_timeline_range(args: Mapping[str, list[str]]) -> tuple[dt.date | None, dt.date | None]:
    """The timeline's `from` and `to` (either may be open, unlike /api/changes' `parse_range`); TimelineError (400)
    naming the parameter for a repeated or malformed date, or a `from` after `to`."""
    problems, start, end = _range_ends(args, required=False)
    if problems:
        raise TimelineError(problems)
    return start, end


def _events(store: Store) -> list[Change]:
    """The dated events (ipkg:Event) about a programme or instrument: the adoptions, launches, revisions and
    reorganisations the sources report, beside the dates the resources carry themselves."""
    rows = store.query(sparql_prologue(store.ids) + """SELECT DISTINCT ?e ?d ?pc WHERE { ?e a ipkg:Event ; dct:date ?d ; dct:subject ?x .
        { ?x a ipkg:Programme } UNION { ?x a ipkg:LegalInstrument } OPTIONAL { ?e ipkg:datePrecision ?pc } }""").rows
    precisions = _precisions(store, {str(pc) for _e, _d, pc in rows if pc is not None})
    events = [Change(dt.date.fromisoformat(str(day)), "event", str(e), {}, kind="event", precision=notation, precision_label=named)
              for e, day, pc in rows for notation, named in [precisions.get(str(pc), (None, {}))]]
    labels, _kinds = _labels(store, {e.subject for e in events})
    cited = sources_of(store, {e.subject for e in events})
    for e in events:
        e.label, e.sources = labels.get(e.subject, {}), cited.get(e.subject, [])
    return events


@dataclass
class Scoped:
    """Which facet values each resource has, by parameter: resource -> slugs, and each slug's IRI."""

    values: dict[str, dict[str, set[str]]]
    iris: dict[str, dict[str, str]]

    def known(self, name: str) -> set[str]:
        return {v for values in self.values[name].values() for v in values}

    def has(self, subject: str, scope: dict[str, str]) -> bool:
        return all(value in self.values[name].get(subject, set()) for name, value in scope.items())


def _scope_values(store: Store, iris: set[str]) -> Scoped:
    """The facet values of each resource, through what holds it (an event through the programmes and
    instruments it is about)."""
    scoped = Scoped({name: {} for name in SCOPES}, {name: {} for name in SCOPES})
    if not iris:
        return scoped
    values = " ".join(f"<{i}>" for i in sorted(iris))
    for name, facet_name in SCOPES.items():
        path = facets.BY_NAME[facet_name].path
        rows = store.query(sparql_prologue(store.ids) + f"""SELECT DISTINCT ?s ?v WHERE {{ VALUES ?s {{ {values} }}
            {{ ?s {OWNERS}/({path}) ?v }} UNION {{ ?s a ipkg:Event ; dct:subject/{OWNERS}/({path}) ?v }} {facets.VALUE_FILTER} }}""").rows
        for s, v in rows:
            scoped.values[name].setdefault(str(s), set()).add(slug(str(v)))
            scoped.iris[name].setdefault(slug(str(v)), str(v))
    return scoped


def _history(store: Store) -> tuple[list[Change], list[JSON], Scoped]:
    """Every dated change and event, the undated reorganisations, and the scope values of each: the one
    `between` over all time, so that a timeline and /api/changes never disagree about a change."""
    everything = between(store, dt.date.min, dt.date.max)
    changes = everything.changes + _events(store)
    order = list(dict.fromkeys(["amended", *RELATIONS.values(), *DATED.values(), "event"]))
    changes.sort(key=lambda c: (c.date, order.index(c.change), c.subject))
    scoped = _scope_values(store, {c.subject for c in changes} | {u["subject"] for u in everything.undated})
    return changes, everything.undated, scoped


def available(store: Store) -> dict[str, list[JSON]]:
    """parameter -> the values that have a timeline, by slug, each with its labels and how many dated entries it has."""
    changes, _undated, scoped = _history(store)
    out: dict[str, list[JSON]] = {}
    for name in SCOPES:
        counts: dict[str, int] = {}
        for c in changes:
            for value in scoped.values[name].get(c.subject, ()):
                counts[value] = counts.get(value, 0) + 1
        labels, _kinds = _labels(store, {scoped.iris[name][v] for v in counts})
        out[name] = [{"value": v, "iri": scoped.iris[name][v], "label": labels.get(scoped.iris[name][v], {}), "count": n}
                     for v, n in sorted(counts.items())]
    return out


def timeline_of(store: Store, scope: dict[str, str], start: dt.date | None = None, end: dt.date | None = None) -> Timeline:
    """The dated changes and events of a jurisdiction, a theme or both (an entry must have each value asked for), in
    date order, from `start` to `end` (both included, either open); NoTimeline (404) for a value of which the graph
    dates nothing, naming the values it has."""
    changes, undated, scoped = _history(store)
    problems = [f"no timeline for {name} {value!r}; the {name}s with a timeline are {', '.join(sorted(scoped.known(name)))}"
                for name, value in scope.items() if value not in scoped.known(name)]
    if problems:
        raise NoTimeline(problems)
    iris = {name: scoped.iris[name][value] for name, value in scope.items()}
    labels, _kinds = _labels(store, set(iris.values()))
    return Timeline(scope, {name: labels.get(iri, {}) for name, iri in iris.items()},
                    [c for c in changes if scoped.has(c.subject, scope) and (start is None or c.date >= start)
                     and (end is None or c.date <= end)],
                    [u for u in undated if scoped.has(u["subject"], scope)])


def timeline_json(result: Timeline) -> JSON:
    return {"scope": {name: {"value": value, "label": result.scope_labels.get(name, {})} for name, value in result.scope.items()},
            "events": [c.as_json() for c in result.events], "undated": result.undated}
