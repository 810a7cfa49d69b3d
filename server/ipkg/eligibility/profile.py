"""Applicant profiles: the JSON format, its JSON Schema, and their reading into the engine's terms.

Every problem of a profile is reported at once (unknown fields, wrong types, impossible values,
unknown concepts); nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeAlias

from jsonschema import Draft202012Validator

from ..errors import InvalidRequest
from ..jsontypes import JSON
from .kinds import Outcome
from .rates import Conversion, read
from .rules import PropertySpec, Rulebook

# JSON key -> (its JSON Schema, what the value names: 'concept:<scheme>', 'place', 'money', 'number', 'boolean', 'date',
# 'exchange-rate')
Fields: TypeAlias = dict[str, tuple[JSON, str]]

MONEY = {
    "type": "object",
    "properties": {"value": {"type": "number", "minimum": 0}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}},
    "required": ["value", "currency"],
    "additionalProperties": False,
}
CONCEPT = {"type": "string", "minLength": 1}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
# a rate in /api/compare's words (eligibility.rates): 1 rateFrom = rate rateTo, on rateDate; the
# semantic checks (two different known codes, a real date) are rates.read's, with readable messages
EXCHANGE_RATE = {
    "type": "object",
    "properties": {"rate": {"type": "number", "exclusiveMinimum": 0}, "rateFrom": {"type": "string"}, "rateTo": {"type": "string"},
                   "rateDate": {"type": "string"}},
    "required": ["rate", "rateFrom", "rateTo", "rateDate"],
    "additionalProperties": False,
}


class Rates(dict[tuple[str, str], Conversion]):
    """A profile's exchange rates, by (rateFrom, rateTo): at most one rate per pair of currencies."""


def _schema(spec: PropertySpec) -> dict[str, Any]:
    """The JSON Schema of one profile property, from its declaration in the ontology."""
    bounds = {k: (int(v) if spec.kind == "count" else float(v)) for k, v in (("minimum", spec.minimum), ("maximum", spec.maximum))
              if v is not None}
    by_kind: dict[str, JSON] = {
        "concept": CONCEPT, "place": CONCEPT, "money": MONEY, "boolean": {"type": "boolean"}, "date": DATE,
        "count": {"type": "integer", "minimum": 0, **bounds}, "number": {"type": "number", **bounds},
        "share": {"type": "number", "minimum": 0, "maximum": 1}, "exchange-rate": EXCHANGE_RATE,
    }
    schema = by_kind[spec.kind]
    if spec.kind == "exchange-rate":  # always a list, so that a wrong rate is reported by its place in it
        schema = {"type": "array", "items": schema, "minItems": 1}
    elif spec.many:
        schema = {"oneOf": [schema, {"type": "array", "items": schema, "minItems": 1, "uniqueItems": True}]}
    return {**schema, "title": spec.label.get("en"), "description": spec.help.get("en")}


def _what(spec: PropertySpec) -> str:
    """How `parse` reads the value: 'concept:<scheme>', 'place', 'money', 'number', 'boolean', 'date' or 'exchange-rate'."""
    if spec.kind == "concept":
        return f"concept:{spec.scheme}"
    return "number" if spec.kind in ("count", "share") else spec.kind


def fields(rules: Rulebook) -> tuple[Fields, Fields]:
    """Applicant and filing fields, JSON key -> (schema, what the value names), generated from each
    ipkg:ProfileProperty's declaration (section, kind of value, scheme, bounds, labels)."""
    out: dict[str, Fields] = {"applicant": {}, "filing": {}}
    for key, spec in sorted(rules.profile_properties.items()):
        out[spec.section][key] = (_schema(spec), _what(spec))
    return out["applicant"], out["filing"]


def _object(fields: Fields) -> JSON:
    return {"type": "object", "properties": {k: s for k, (s, _) in fields.items()}, "additionalProperties": False}


def json_schema(rules: Rulebook) -> JSON:
    """The JSON Schema of a request to the eligibility engine (also served in the OpenAPI document)."""
    applicant_fields, filing_fields = fields(rules)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://w3id.org/ipkg/def/eligibility-profile.schema.json",
        "title": "ipkg applicant profile",
        "type": "object",
        "properties": {
            "applicant": _object(applicant_fields),
            "filing": _object(filing_fields),
            "asOf": {"type": "string", "format": "date"},
            "programme": {"type": "string"},
            "jurisdiction": {"type": "string"},
            "onlyEligible": {"type": "boolean"},
            "explain": {"type": "boolean", "description": "false leaves out the per-condition explanations and the advice (faster for batches)"},
            "combine": {"type": "boolean", "description": "also return the best combination of benefits the rules allow, "
                        "with its total and every rule that constrained it"},
            "unknown": {"type": "array", "items": {"enum": sorted(rules.profile_properties)}, "uniqueItems": True,
                        "description": "facts the applicant does not know ('I don't know'): the next question skips them"},
        },
        "required": ["applicant"],
        "additionalProperties": False,
    }


class Checker(NamedTuple):
    """The schema validator of one rulebook's profiles, and its applicant and filing field tables."""

    validator: Draft202012Validator
    fields: tuple[Fields, Fields]


def _validator(rules: Rulebook) -> Checker:
    """The schema validator and field tables for one rulebook, built once and kept on it
    (not in a table keyed by id(): an id can be reused once a rulebook is gone)."""
    cached = rules.profile_checker
    if cached is None:
        cached = rules.profile_checker = Checker(Draft202012Validator(json_schema(rules)), fields(rules))
    return cached


class ProfileError(InvalidRequest):
    """A profile that cannot be evaluated; `problems` lists every reason, each naming its field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Profile:
    """Profile facts keyed like the ProfileProperty notations; concepts and places as IRIs, money as (Decimal, code)."""

    facts: dict[str, Any] = field(default_factory=dict)
    as_of: dt.date = field(default_factory=dt.date.today)
    programme: str | None = None
    jurisdiction: str | None = None
    only_eligible: bool = False
    explain: bool = True  # false: verdicts, missing facts and benefits only (batch use), no per-condition trace
    unknown: frozenset[str] = frozenset()  # facts the applicant said it does not know: never asked again
    combine: bool = False  # also the best combination of the benefits the rules allow
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # per-profile results the engine reuses
    # condition IRI -> its outcome, and its explanation step: programmes share conditions, evaluated once
    # per Engine.evaluate (which starts them afresh, so a changed fact is never answered from them)
    outcomes: dict[str, Outcome] = field(default_factory=dict, repr=False, compare=False)
    steps: dict[str, JSON] = field(default_factory=dict, repr=False, compare=False)


def _resolve(rules: Rulebook, what: str, raw: str) -> str | None:
    if what == "place":
        return rules.places.get(raw) or rules.places.get(raw.upper()) or (raw if raw in rules.places.values() else None)
    scheme = what.split(":", 1)[1]
    concepts = rules.concepts_by_key.get(scheme, {})
    return concepts.get(raw) or (raw if raw in concepts.values() else None)


def _rates(items: list[Any], where: str, rules: Rulebook, problems: list[str]) -> Rates:
    """The exchange rates of a profile, each checked as /api/compare checks its rate; one per pair of currencies."""
    rates = Rates()
    for i, item in enumerate(items):
        conversion, wrong = read(item, f"{where}/{i}/", rules.currencies)
        problems.extend(wrong)
        if conversion is None:
            continue
        pair = (conversion.source, conversion.target)
        if pair in rates:
            problems.append(f"{where}/{i}: a second rate from {pair[0]} to {pair[1]}; give one rate per pair of currencies")
        rates[pair] = conversion
    return rates


def parse(body: Any, rules: Rulebook) -> Profile:
    """Check a request body against the schema and the graph's concepts; ProfileError lists every problem."""
    if not isinstance(body, dict):
        raise ProfileError(["the request body must be a JSON object with an 'applicant' object"])
    validator, (applicant_fields, filing_fields) = _validator(rules)
    problems = [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(body)'}: {e.message}"
        for e in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
    ]
    profile = Profile()
    for section, fields in (("applicant", applicant_fields), ("filing", filing_fields)):
        values = body.get(section)
        for key, raw in (values.items() if isinstance(values, dict) else ()):
            if key not in fields or not Draft202012Validator(fields[key][0]).is_valid(raw):
                continue  # already reported by the schema
            what = fields[key][1]
            if what == "money":
                profile.facts[key] = (Decimal(str(raw["value"])), raw["currency"])
            elif what == "number":
                profile.facts[key] = Decimal(str(raw))
            elif what == "boolean":
                profile.facts[key] = raw
            elif what == "exchange-rate":
                rates = _rates(raw, f"{section}/{key}", rules, problems)
                if rates:
                    profile.facts[key] = rates
            elif what == "date":
                try:
                    profile.facts[key] = dt.date.fromisoformat(raw)
                except ValueError:
                    problems.append(f"{section}/{key}: {raw!r} is not a date (YYYY-MM-DD)")
            else:
                iris = []
                for one in (raw if isinstance(raw, list) else [raw]):
                    iri = _resolve(rules, what, one)
                    if iri is None:
                        known = sorted(k for k in (rules.places if what == "place" else rules.concepts_by_key.get(what.split(':', 1)[1], {})) if "/" not in k)
                        problems.append(f"{section}/{key}: {one!r} is not a known {what.replace('concept:', '')} (known: {', '.join(known[:40])})")
                    else:
                        iris.append(iri)
                if iris:
                    profile.facts[key] = iris if isinstance(raw, list) else iris[0]
    if "asOf" in body and isinstance(body["asOf"], str):
        try:
            profile.as_of = dt.date.fromisoformat(body["asOf"])
        except ValueError:
            problems.append(f"asOf: {body['asOf']!r} is not a date (YYYY-MM-DD)")
    if isinstance(programme := body.get("programme"), str) and programme:
        match = [p for p in rules.programmes if p == programme or p.rsplit("/", 1)[-1] == programme]
        if not match:
            problems.append(f"programme: {programme!r} is not a programme of the graph")
        else:
            profile.programme = match[0]
    if isinstance(jurisdiction := body.get("jurisdiction"), str) and jurisdiction:
        place = _resolve(rules, "place", jurisdiction)
        if place is None:
            problems.append(f"jurisdiction: {jurisdiction!r} is not a known place")
        profile.jurisdiction = place
    profile.only_eligible = bool(body.get("onlyEligible", False))
    profile.explain = body.get("explain", True) is not False
    profile.combine = body.get("combine") is True
    if isinstance(body.get("unknown"), list):
        profile.unknown = frozenset(k for k in body["unknown"] if isinstance(k, str))
    if problems:
        raise ProfileError(problems)
    return profile
