"""Three-valued evaluation of the graph's conditions against a profile, and the benefit that follows.

true / false / unknown: a fact the profile does not give makes an atomic condition unknown; a
judgement condition is always unknown (an authority decides it). all-of is false if any operand
is false and true if all are true; any-of dually; not inverts. Concepts match along skos:broader,
places along ipkg:partOf. A condition or amount not in force on the as-of date is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .profile import Profile
from .rules import Benefit, Condition, Fee, Rulebook

TRUE, FALSE, UNKNOWN = "true", "false", "unknown"
NUMERIC = {
    "lessThan": lambda a, b: a < b, "lessOrEqual": lambda a, b: a <= b, "greaterThan": lambda a, b: a > b,
    "greaterOrEqual": lambda a, b: a >= b, "equals": lambda a, b: a == b,
}
SYMBOL = {"lessThan": "<", "lessOrEqual": "≤", "greaterThan": ">", "greaterOrEqual": "≥", "equals": "=", "isA": "is a", "isNotA": "is not a"}


@dataclass
class Outcome:
    value: str
    missing: set[str] = field(default_factory=set)
    assessments: set[str] = field(default_factory=set)


def _num(value: Decimal) -> str:
    """A number as plain text without exponent or trailing zeros (10000, 0.85, 1570)."""
    return format(value.normalize(), "f")


def _money(amount: Decimal) -> str:
    q = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{q:,.2f}".rstrip("0").rstrip(".") if q != q.to_integral() else f"{q:,.0f}"


class Engine:
    """Evaluate profiles against every programme of a Rulebook (built once; evaluation touches no store)."""

    def __init__(self, rules: Rulebook):
        self.rules = rules
        # what never changes between profiles is computed once: each condition's explanation skeleton,
        # and the per-claim / per-page fee schedules
        self._explained = {iri: self._skeleton(c) for iri, c in rules.conditions.items()}
        self._per_unit_schedules = {
            unit: sorted((f for f in rules.fees.values() if f.per_unit and f.per_unit.endswith(f"/unit/{unit}")
                          and f.applies_above is not None and f.value is not None), key=lambda f: f.applies_above)
            for unit in ("claim", "page")
        }

    # ---- conditions ---------------------------------------------------------------------------

    def _atomic(self, c: Condition, profile: Profile, trace: list[dict] | None) -> Outcome:
        raw = profile.facts.get(c.constrains or "")
        used: Any = None
        if raw is None:
            outcome = Outcome(UNKNOWN, missing={c.constrains or "?"})
        elif c.concept_values:
            used = raw
            hits = [self.rules.is_a(raw, v) for v in c.concept_values]
            narrower = [v for v in c.concept_values if self.rules.is_a(v, raw) and v != raw]
            if any(hits):
                value = TRUE
            elif narrower:  # the profile is less specific than the condition: cannot tell
                value = UNKNOWN
            else:
                value = FALSE
            if c.operator == "isNotA":
                value = {TRUE: FALSE, FALSE: TRUE}.get(value, UNKNOWN)
            outcome = Outcome(value, missing={c.constrains} if value == UNKNOWN else set())
        elif c.boolean is not None:
            used = raw
            outcome = Outcome(TRUE if raw == c.boolean else FALSE)
        else:
            number, currency = raw if isinstance(raw, tuple) else (raw, None)
            used = f"{number} {currency}" if currency else str(number)
            if c.unit_is_currency and currency != c.unit_notation:
                outcome = Outcome(UNKNOWN, missing={f"{c.constrains} in {c.unit_notation}"})
            else:
                outcome = Outcome(TRUE if NUMERIC[c.operator or "equals"](number, c.threshold) else FALSE)
        if trace is not None:
            trace.append(self._explain(c, outcome.value, used))
        return outcome

    @staticmethod
    def _skeleton(c: Condition) -> dict:
        item = {"condition": c.iri, "outcome": None, "summary": dict(c.summary.by_lang),
                "source": c.sources[0] if c.sources else None, "sources": c.sources}
        if c.kind == "AtomicCondition":
            item.update({"constrains": c.constrains, "operator": SYMBOL.get(c.operator or "", c.operator),
                         "threshold": (_num(c.threshold) if c.threshold is not None else
                                       c.concept_values if c.concept_values else c.boolean),
                         "unit": c.unit_notation or c.unit, "profileValue": None})
        elif c.kind == "JudgementCondition":
            item["needsAssessment"] = True
        return item

    def _explain(self, c: Condition, value: str, used: Any) -> dict:
        item = dict(self._explained.get(c.iri) or self._skeleton(c))
        item["outcome"] = value
        if "profileValue" in item:
            item["profileValue"] = used
        return item

    def evaluate_condition(self, iri: str, profile: Profile, trace: list[dict] | None) -> Outcome:
        """Three-valued outcome of one condition; `trace` (None for a batch without explanations) collects each step."""
        c = self.rules.conditions.get(iri)
        if c is None:
            return Outcome(UNKNOWN, missing={f"definition of {iri}"})
        if c.kind == "AtomicCondition":
            return self._atomic(c, profile, trace)
        if c.kind == "JudgementCondition":
            if trace is not None:
                trace.append(self._explain(c, UNKNOWN, None))
            return Outcome(UNKNOWN, assessments={c.iri})
        parts = [self.evaluate_condition(o, profile, trace) for o in c.operands
                 if o in self.rules.conditions and self.rules.conditions[o].in_force(profile.as_of)]
        values = [p.value for p in parts]
        if c.kind == "Not":
            value = {TRUE: FALSE, FALSE: TRUE}.get(values[0], UNKNOWN) if values else UNKNOWN
        elif c.kind == "AllOf":
            value = FALSE if FALSE in values else TRUE if all(v == TRUE for v in values) else UNKNOWN
        else:  # AnyOf
            value = TRUE if TRUE in values else FALSE if values and all(v == FALSE for v in values) else UNKNOWN
        outcome = Outcome(value)
        if value == UNKNOWN:
            for p in parts:
                if p.value == UNKNOWN:
                    outcome.missing |= p.missing
                    outcome.assessments |= p.assessments
        if trace is not None:
            trace.append(self._explain(c, value, None))
        return outcome

    # ---- benefits ------------------------------------------------------------------------------

    def _in_force(self, item, day: dt.date) -> bool:
        return (item.valid_from is None or item.valid_from <= day) and (item.valid_until is None or day <= item.valid_until)

    def _dimension(self, b: Benefit, profile: Profile) -> str:
        """Does the benefit's applicant kind / right / route / status fit the profile? true, false or unknown."""
        result = TRUE
        for key, concepts in b.dims.items():
            value = profile.facts.get(key)
            if value is None:
                result = UNKNOWN
            elif not any(self.rules.is_a(value, c) for c in concepts):
                if any(self.rules.is_a(c, value) for c in concepts):
                    result = UNKNOWN
                else:
                    return FALSE
        return result

    def _fee_applies(self, fee: Fee, profile: Profile) -> bool:
        right = profile.facts.get("ipRight")
        if fee.rights and (right is None or not any(self.rules.is_a(right, r) for r in fee.rights)):
            return False
        if fee.year_from is not None:
            year = profile.facts.get("annuityYear")
            return year is not None and fee.year_from <= int(year) <= (fee.year_to or fee.year_from)
        return True

    def _per_unit_fees(self, profile: Profile, day: dt.date) -> list[dict]:
        """Claim and page fees of the filing, tier by tier (units beyond `appliesAbove`, up to the next tier)."""
        out = []
        for unit_key, unit_slug in (("claims", "claim"), ("pages", "page")):
            count = profile.facts.get(unit_key)
            if count is None:
                continue
            tiers = [f for f in self._per_unit_schedules[unit_slug] if self._in_force(f, day) and self._fee_applies(f, profile)]
            for i, fee in enumerate(tiers):
                upper = tiers[i + 1].applies_above if i + 1 < len(tiers) else None
                units = max(Decimal(0), (min(count, upper) if upper is not None else count) - fee.applies_above)
                if units:
                    out.append({"fee": fee.iri, "label": dict(fee.label.by_lang), "units": int(units),
                                "amount": units * fee.value, "currency": fee.currency,
                                "arithmetic": f"{unit_key} beyond {fee.applies_above}{f' up to {upper}' if upper else ''}: "
                                              f"{int(units)} × {_money(fee.value)} = {_money(units * fee.value)} {fee.currency}"})
        return out

    def _fee_reduction(self, b: Benefit, profile: Profile) -> dict:
        day = profile.as_of
        lines, total_before, total_after, currency = [], Decimal(0), Decimal(0), None
        for iri in b.fees:
            fee = self.rules.fees.get(iri)
            if fee is None or fee.value is None or not self._in_force(fee, day) or not self._fee_applies(fee, profile):
                continue
            after = fee.value * (1 - b.rate)
            total_before += fee.value
            total_after += after
            currency = fee.currency
            lines.append({"fee": fee.iri, "label": dict(fee.label.by_lang), "before": _num(fee.value), "after": _money(after),
                          "currency": fee.currency,
                          "arithmetic": f"{_money(fee.value)} × (1 − {_num(b.rate)}) = {_money(after)} {fee.currency}"})
        if "per-unit" not in profile.memo:  # the same for every fee reduction of this profile
            profile.memo["per-unit"] = self._per_unit_fees(profile, day)
        extra = [dict(e) for e in profile.memo["per-unit"]]
        extra_total = sum((e["amount"] for e in extra), Decimal(0))
        for e in extra:
            e["amount"] = _money(e["amount"])
            e["reducible"] = False
        out: dict[str, Any] = {"rate": _num(b.rate), "reducedFees": lines}
        if lines or extra:
            out["notReduced"] = extra
            out["totalBefore"] = _money(total_before + extra_total)
            out["totalAfter"] = _money(total_after + extra_total)
            out["currency"] = currency or (extra[0]["currency"] if extra else None)
            out["arithmetic"] = (f"reduced fees {_money(total_before)} → {_money(total_after)}"
                                 + (f", plus unreduced claim/page fees {_money(extra_total)}" if extra else "")
                                 + f" = {_money(total_after + extra_total)} {out['currency']}")
        elif b.fees and all(self.rules.fees.get(f) is None or self.rules.fees[f].value is None for f in b.fees):
            out["arithmetic"] = f"{_num(b.rate)} of each listed fee is waived; the source states no fee amounts"
        elif b.fees:
            out["arithmetic"] = "give the filing's ipRight (and annuityYear for annual fees) to compute the fees due"
        return out

    def _benefit(self, b: Benefit, profile: Profile, trace: list[dict] | None) -> dict | None:
        if not self._in_force(b, profile.as_of):
            return None
        fit = self._dimension(b, profile) if b.dims else UNKNOWN  # a benefit for no stated filing or applicant: cannot tell
        applies = fit
        if b.condition and fit != FALSE:
            cond = self.evaluate_condition(b.condition, profile, trace)
            fit = TRUE if not b.dims else fit
            applies = FALSE if cond.value == FALSE else TRUE if cond.value == TRUE and fit == TRUE else UNKNOWN
        if applies == FALSE:
            return None
        item: dict[str, Any] = {"benefit": b.iri, "kind": b.kind, "label": dict(b.label.by_lang), "applies": applies,
                                "source": b.sources[0] if b.sources else None}
        if b.stated_as:
            item["statedAs"] = b.stated_as
        if b.note:
            item["dataQualityNote"] = b.note
        if b.kind == "FeeReduction" and b.rate is not None:
            item.update(self._fee_reduction(b, profile))
        elif b.amount:
            item["amount"] = {k: (_num(v) if not isinstance(v, str) else v) for k, v in b.amount.items()}
            per = b.per_unit.rsplit("/", 1)[-1] if b.per_unit else None
            if per:
                item["per"] = per
            if b.max_count:
                item["maxCount"] = b.max_count
            value = b.amount.get("value") or b.amount.get("max")
            if value is not None:
                words = "up to " if "value" not in b.amount else ""
                item["arithmetic"] = f"{words}{_money(value)} {b.amount.get('currency', '')}" + (f" per {per}" if per else "")
        elif b.rate is not None:
            item["rate"] = _num(b.rate)
        if b.cap:
            item["cap"] = {k: (_num(v) if not isinstance(v, str) else v) for k, v in b.cap.items()}
        if b.description.by_lang:
            item["description"] = dict(b.description.by_lang)
        return item

    # ---- programmes ----------------------------------------------------------------------------

    def evaluate(self, profile: Profile) -> dict[str, Any]:
        """The answer of POST /api/eligibility for one profile."""
        verdicts = []
        for iri, programme in sorted(self.rules.programmes.items()):
            if profile.programme and iri != profile.programme:
                continue
            if profile.jurisdiction and not any(self.rules.is_a(j, profile.jurisdiction) for j in programme.jurisdictions):
                continue
            verdict = self.verdict(programme, profile)
            if profile.only_eligible and verdict["verdict"] != "eligible":
                continue
            verdicts.append(verdict)
        return {"asOf": profile.as_of.isoformat(), "verdicts": verdicts}

    def verdict(self, programme, profile: Profile) -> dict[str, Any]:
        day = profile.as_of
        trace: list[dict] | None = [] if profile.explain else None
        out: dict[str, Any] = {"programme": programme.iri, "label": dict(programme.label.by_lang)}
        if not programme.in_force(day):
            out.update(verdict="not-eligible", missing=[], needsAssessment=[], conditions=[],
                       reason=f"not in force on {day.isoformat()}")
            return out
        if programme.requirement is None:
            outcome = Outcome(UNKNOWN, missing={"(the programme states no machine-evaluable conditions)"})
        elif not self.rules.conditions.get(programme.requirement) or not self.rules.conditions[programme.requirement].in_force(day):
            outcome = Outcome(UNKNOWN, missing={"(no eligibility condition in force on this date)"})
        else:
            outcome = self.evaluate_condition(programme.requirement, profile, trace)
        out["verdict"] = {TRUE: "eligible", FALSE: "not-eligible"}.get(outcome.value, "undetermined")
        out["missing"] = sorted(outcome.missing)
        out["needsAssessment"] = sorted(outcome.assessments)
        out["conditions"] = trace or []
        if outcome.value != FALSE:
            benefits = [b for b in (self._benefit(self.rules.benefits[i], profile, None) for i in programme.benefits
                                    if i in self.rules.benefits) if b]
            if benefits:
                out["benefit"] = {"items": benefits}
        return out
