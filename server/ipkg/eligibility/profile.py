"""Applicant profiles: the JSON format, its JSON Schema, and their reading into the engine's terms.

Every problem of a profile is reported at once (unknown fields, wrong types, impossible values,
unknown concepts); nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jsonschema import Draft202012Validator

from .rules import Rulebook

MONEY = {
    "type": "object",
    "properties": {"value": {"type": "number", "minimum": 0}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}},
    "required": ["value", "currency"],
    "additionalProperties": False,
}
SHARE = {"type": "number", "minimum": 0, "maximum": 1}
COUNT = {"type": "integer", "minimum": 0}
YEARS = {"type": "number", "minimum": 0}
CONCEPT = {"type": "string", "minLength": 1}
CONCEPTS = {"oneOf": [CONCEPT, {"type": "array", "items": CONCEPT, "minItems": 1, "uniqueItems": True}],
            "description": "one concept, or several when the applicant is several kinds at once (an SME that is also a foreign applicant)"}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

# JSON key -> (schema, what the value names). "concept:<scheme>" values are concept slugs or IRIs.
APPLICANT_FIELDS: dict[str, tuple[dict, str]] = {
    "kind": (CONCEPTS, "concept:applicant-kind"),
    "country": (CONCEPT, "place"),
    "region": (CONCEPT, "place"),
    "employees": (COUNT, "number"),
    "capital": (MONEY, "money"),
    "annualIncome": (MONEY, "money"),
    "previousYearTaxableIncome": (MONEY, "money"),
    "revenue": (MONEY, "money"),
    "companyAgeYears": (YEARS, "number"),
    "rdStaffShare": (SHARE, "number"),
    "rdSpendingShare": (SHARE, "number"),
    "highTechRevenueShare": (SHARE, "number"),
    "ownsCoreIP": ({"type": "boolean"}, "boolean"),
    "yearsRegistered": (YEARS, "number"),
    "yearsInUse": (YEARS, "number"),
    "hasOwnershipDispute": ({"type": "boolean"}, "boolean"),
    "yearsSinceSeriousViolation": (YEARS, "number"),
    "hadSeriousViolation": ({"type": "boolean"}, "boolean"),
    "jointApplicants": ({"type": "integer", "minimum": 1}, "number"),
    "certifiedFukushimaPlan": ({"type": "boolean"}, "boolean"),
}
FILING_FIELDS: dict[str, tuple[dict, str]] = {
    "ipRight": (CONCEPT, "concept:ip-right"),
    "route": (CONCEPT, "concept:filing-route"),
    "office": (CONCEPT, "place"),
    "status": (CONCEPT, "concept:filing-status"),
    "claims": ({"type": "integer", "minimum": 1}, "number"),
    "pages": ({"type": "integer", "minimum": 1}, "number"),
    "annuityYear": ({"type": "integer", "minimum": 1, "maximum": 30}, "number"),
    "filingDate": (DATE, "date"),
    "examinationRequestDate": (DATE, "date"),
}


SCHEMA_OF = {"boolean": {"type": "boolean"}, "money": MONEY, "number": {"type": "number"}, "place": CONCEPT, "date": DATE}


def fields(rules: Rulebook | None = None) -> tuple[dict[str, tuple[dict, str]], dict[str, tuple[dict, str]]]:
    """Applicant and filing fields: the core ones above, plus every other ProfileProperty of the graph
    (curators add them with new conditions), typed by how the conditions use it."""
    applicant = dict(APPLICANT_FIELDS)
    if rules is not None:
        for key in sorted(rules.profile_keys):
            if key not in applicant and key not in FILING_FIELDS:
                kind = rules.value_kind(key)
                applicant[key] = (SCHEMA_OF.get(kind, CONCEPT), kind)
    return applicant, FILING_FIELDS


def json_schema(rules: Rulebook | None = None) -> dict[str, Any]:
    """The JSON Schema of a request to the eligibility engine (also served in the OpenAPI document)."""
    applicant_fields, filing_fields = fields(rules)
    obj = lambda fields: {"type": "object", "properties": {k: s for k, (s, _) in fields.items()}, "additionalProperties": False}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://w3id.org/ipkg/def/eligibility-profile.schema.json",
        "title": "ipkg applicant profile",
        "type": "object",
        "properties": {
            "applicant": obj(applicant_fields),
            "filing": obj(filing_fields),
            "asOf": {"type": "string", "format": "date"},
            "programme": {"type": "string"},
            "jurisdiction": {"type": "string"},
            "onlyEligible": {"type": "boolean"},
            "explain": {"type": "boolean", "description": "false leaves out the per-condition explanations (faster for batches)"},
        },
        "required": ["applicant"],
        "additionalProperties": False,
    }


def _validator(rules: Rulebook) -> tuple[Draft202012Validator, tuple]:
    """The schema validator and field tables for one rulebook, built once and kept on it
    (not in a table keyed by id(): an id can be reused once a rulebook is gone)."""
    cached = getattr(rules, "_profile_validator", None)
    if cached is None:
        cached = (Draft202012Validator(json_schema(rules)), fields(rules))
        rules._profile_validator = cached
    return cached


class ProfileError(Exception):
    """A profile that cannot be evaluated; `problems` lists every reason, each naming its field."""

    def __init__(self, problems: list[str]):
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
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # per-profile results the engine reuses


def _resolve(rules: Rulebook, what: str, raw: str) -> str | None:
    if what == "place":
        return rules.places.get(raw) or rules.places.get(raw.upper()) or (raw if raw in rules.places.values() else None)
    scheme = what.split(":", 1)[1]
    concepts = rules.concepts_by_key.get(scheme, {})
    return concepts.get(raw) or (raw if raw in concepts.values() else None)


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
    if problems:
        raise ProfileError(problems)
    return profile
