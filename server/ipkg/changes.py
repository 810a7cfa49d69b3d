"""What changed between two dates: programmes, instruments, conditions, benefits and deadlines that started,
ended, were amended, merged, succeeded or replaced, each change with its source lines.

The graph dates things with a handful of properties; which property means which kind of change is
the table below (data, not code spread over queries). An amendment of a value is two versions of a
resource (ipkg:validUntil on the old, ipkg:validFrom the next day on the new) under the same parent
with the same identity (what they constrain, for which right, route, status …): the change says what
value went from what to what. A reorganisation (merged into, succeeded by, renamed, replaced) is dated
by the successor's start, else the day after the predecessor's end, else a reorganisation event
naming both; one the graph gives no date for is listed as undated.

A core module (no web imports): GET /api/changes and GET /changes render it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypedDict

from rdflib import URIRef

from .citation import Source, sources_of
from .errors import InvalidRequest
from .jsontypes import JSON
from .namespaces import PREFIXES, sparql_prologue
from .store import Store, bound

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
}
ENDINGS = {IPKG + "endDate", ELI + "date_no_longer_in_force", IPKG + "validUntil"}
# relation -> the change, most specific first (the others are sub-properties of dct:isReplacedBy)
RELATIONS = {IPKG + "mergedInto": "merged", IPKG + "succeededBy": "succeeded", IPKG + "renamedTo": "renamed",
             DCT + "isReplacedBy": "replaced"}
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


# what changed between two versions: a value before and after ("from" is a keyword, hence this form)
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
    precision: str | None = None
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
    undated: list[JSON]  # reorganisations the graph gives no date for, with labels and sources


def parse_range(args: Mapping[str, str]) -> tuple[dt.date, dt.date]:
    problems = [f"unknown parameter {k!r}; the parameters are from, to, lang" for k in args if k not in ("from", "to", "lang")]
    dates: dict[str, dt.date] = {}
    for name in ("from", "to"):
        value = args.get(name)
        if not value:
            problems.append(f"{name} is required (YYYY-MM-DD)")
            continue
        try:
            dates[name] = dt.date.fromisoformat(value)
        except ValueError:
            problems.append(f"{name} must be a date as YYYY-MM-DD, not {value!r}")
    if len(dates) == 2 and dates["from"] > dates["to"]:
        problems.append(f"from ({dates['from']}) is after to ({dates['to']})")
    if problems:
        raise ChangesError(problems)
    return dates["from"], dates["to"]


def _labels(store: Store, iris: set[str]) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Labels (or definitions, for conditions) in ja and en, and the kind of each resource."""
    if not iris:
        return {}, {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    labels: dict[str, dict[str, str]] = {i: {} for i in iris}
    rows = store.query(sparql_prologue() + f"""SELECT ?s ?rank ?l WHERE {{ VALUES ?s {{ {values} }}
        {{ ?s rdfs:label ?l BIND(0 AS ?rank) }} UNION {{ ?s skos:definition ?l BIND(1 AS ?rank) }} }} ORDER BY ?rank""").rows
    for s, _rank, label in rows:
        lang = getattr(label, "language", None)
        if lang in ("ja", "en"):
            labels[str(s)].setdefault(lang, str(label))
    kinds: dict[str, str] = {}
    for s, t in store.query(sparql_prologue() + f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}").rows:
        name = str(t).rsplit("/", 1)[-1]
        if name in KINDS and str(s) not in kinds:
            kinds[str(s)] = KINDS[name]
    return labels, kinds


def _versions(store: Store) -> list[tuple[str, str, dt.date]]:
    """Pairs (old, new, day the new is in force) of versions: same parent, same identity, adjacent validity."""
    same = " ".join(f"FILTER(NOT EXISTS {{ ?old {p} ?x FILTER NOT EXISTS {{ ?new {p} ?x }} }} && "
                    f"NOT EXISTS {{ ?new {p} ?y FILTER NOT EXISTS {{ ?old {p} ?y }} }})" for p in IDENTITY)
    rows = store.query(sparql_prologue() + f"""SELECT DISTINCT ?old ?new ?from WHERE {{
        ?old ipkg:validUntil ?until . ?new ipkg:validFrom ?from . FILTER(?old != ?new)
        ?parent {LINKS} ?old . ?parent {LINKS} ?new .
        {same} }}""").rows
    out = []
    for old, new, start in rows:
        until = store.query(sparql_prologue() + "SELECT ?u WHERE { ?o ipkg:validUntil ?u }", bindings={"o": bound(old)}).rows
        if until and dt.date.fromisoformat(str(until[0][0])) + dt.timedelta(days=1) == dt.date.fromisoformat(str(start)):
            out.append((str(old), str(new), dt.date.fromisoformat(str(start))))
    return out


def _values(store: Store, old: str, new: str) -> list[ValueChange]:
    out: list[ValueChange] = []
    for path, what in VALUES.items():
        rows = store.query(sparql_prologue() + f"SELECT ?a ?b WHERE {{ OPTIONAL {{ ?old {path} ?a }} OPTIONAL {{ ?new {path} ?b }} }}",
                           bindings={"old": URIRef(old), "new": URIRef(new)}).rows
        for a, b in rows:
            if (a is not None or b is not None) and str(a) != str(b):
                out.append({"what": what, "from": None if a is None else str(a), "to": None if b is None else str(b)})
    return out


def between(store: Store, start: dt.date, end: dt.date) -> Changes:
    """Every dated change in [start, end], in date order, and the reorganisations the graph gives no date for."""
    prologue = sparql_prologue()
    values = " ".join(f"<{p}>" for p in DATED)
    rows = store.query(prologue + f"""SELECT DISTINCT ?s ?p ?d ?prec WHERE {{ VALUES ?p {{ {values} }}
        GRAPH ?g {{ ?s ?p ?d }} FILTER(?g != <https://w3id.org/ipkg/graph/inferred> && isIRI(?s))
        OPTIONAL {{ ?s ipkg:datePrecision/skos:notation ?prec }} }}""").rows
    dated: dict[tuple[str, str], dt.date] = {}
    precision: dict[str, str] = {}
    for subject, prop, date, prec in rows:
        dated[(str(subject), str(prop))] = dt.date.fromisoformat(str(date))
        if prec is not None:
            precision[str(subject)] = str(prec)
    changes: list[Change] = []
    versions = _versions(store)
    paired = {(old, IPKG + "validUntil") for old, _n, _d in versions} | {(new, IPKG + "validFrom") for _o, new, _d in versions}
    for old, new, day in versions:
        if start <= day <= end:
            changes.append(Change(day, "amended", old, {}, other=new, values=_values(store, old, new)))
    for (s, p), day in dated.items():
        if (s, p) not in paired and start <= day <= end:
            changes.append(Change(day, DATED[p], s, {}, precision=precision.get(s)))
    relations = " ".join(f"<{p}>" for p in RELATIONS)
    rows = store.query(prologue + f"""SELECT DISTINCT ?old ?p ?new ?event ?edate WHERE {{ VALUES ?p {{ {relations} }}
        {{ ?old ?p ?new }} UNION {{ ?new dct:replaces ?old BIND(dct:isReplacedBy AS ?p) }}
        OPTIONAL {{ ?event ipkg:eventKind <concept/event-kind/reorganisation> ; dct:subject ?old , ?new ; dct:date ?edate }} }}""").rows
    found: dict[tuple[str, str], tuple[str, dt.date | None]] = {}
    for before, relation, after, _event, edate in rows:
        key = (str(before), str(after))
        if key in found and list(RELATIONS).index(found[key][0]) <= list(RELATIONS).index(str(relation)):
            continue
        when = next((dated[(str(after), q)] for q in STARTS if (str(after), q) in dated), None)
        if when is None:
            when = next((dated[(str(before), q)] + dt.timedelta(days=1) for q in ENDINGS if (str(before), q) in dated), None)
        if when is None and edate is not None:
            when = dt.date.fromisoformat(str(edate))
        found[key] = (str(relation), when)
    undated: list[JSON] = []
    for (earlier, later), (link, when) in sorted(found.items()):
        if when is None:
            undated.append({"change": RELATIONS[link], "subject": earlier, "other": later})
        elif start <= when <= end:
            changes.append(Change(when, RELATIONS[link], earlier, {}, other=later))
    iris = {c.subject for c in changes} | {c.other for c in changes if c.other} | {u["subject"] for u in undated} | {u["other"] for u in undated}
    labels, kinds = _labels(store, iris)
    cited = sources_of(store, {c.subject for c in changes} | {c.other for c in changes if c.other} | {u["subject"] for u in undated})
    for c in changes:
        c.label, c.kind = labels.get(c.subject, {}), kinds.get(c.subject)
        if c.other:
            c.other_label = labels.get(c.other, {})
        seen: set[str] = set()
        for source in cited.get(c.subject, []) + (cited.get(c.other, []) if c.change == "amended" and c.other else []):
            if source.locator not in seen:
                seen.add(source.locator)
                c.sources.append(source)
    for u in undated:
        u.update(label=labels.get(u["subject"], {}), otherLabel=labels.get(u["other"], {}), kind=kinds.get(u["subject"]),
                 sources=[s.as_json() for s in cited.get(u["subject"], [])])
    order = list(dict.fromkeys(["amended", *RELATIONS.values(), *DATED.values()]))
    changes.sort(key=lambda c: (c.date, order.index(c.change), c.subject))
    return Changes(start, end, changes, undated)


def to_json(result: Changes) -> JSON:
    return {"from": result.start.isoformat(), "to": result.end.isoformat(), "changes": [c.as_json() for c in result.changes],
            "undated": result.undated}
