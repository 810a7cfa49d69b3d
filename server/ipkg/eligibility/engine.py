"""Three-valued evaluation of the graph's conditions against a profile, and the benefit that follows.

true / false / unknown: a fact the profile does not give makes an atomic condition unknown; a
judgement condition is always unknown (an authority decides it). all-of is false if any operand
is false and true if all are true; any-of dually; not inverts; open-to-all is always true. Each kind
is a class of `kinds.KINDS`. Concepts match along skos:broader, places along ipkg:partOf. A
condition or amount not in force on the as-of date is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeAlias

from ..jsontypes import JSON
from .kinds import FALSE, KINDS, TRUE, UNKNOWN, Outcome, Trace, plain_number
from .profile import Profile
from .rules import Benefit, Condition, Fee, Programme, Rulebook, is_flags


def _money(amount: Decimal) -> str:
    q = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{q:,.2f}".rstrip("0").rstrip(".") if q != q.to_integral() else f"{q:,.0f}"


@dataclass(frozen=True, slots=True)
class Tier:
    """A per-claim or per-page fee: `price` for each unit beyond `above` (the fee's ipkg:appliesAbove)."""

    fee: Fee
    above: int
    price: Decimal


VERDICT = {TRUE: "eligible", FALSE: "not-eligible", UNKNOWN: "undetermined"}
NO_RULES = Outcome(UNKNOWN, missing=frozenset({"(the programme states no machine-evaluable conditions)"}))
NOT_IN_FORCE = Outcome(UNKNOWN, missing=frozenset({"(no eligibility condition in force on this date)"}))
# A benefit dimension compiled: the profile key, the yes/no values it admits (None for concepts), the
# concepts that meet it and those it falls under (a profile value that coarse leaves it unknown).
Dim: TypeAlias = tuple[str, tuple[bool, ...] | None, frozenset[str], frozenset[str]]


@dataclass(frozen=True, slots=True)
class FeeLine:
    """One fee a reduction covers, with its reduced amount and arithmetic written once."""

    fee: Fee
    rights: frozenset[str]  # the IP rights the fee is charged for, and everything under them (empty: any)
    before: Decimal
    after: Decimal
    line: JSON  # the reducedFees entry (its label dict is copied into each answer)


@dataclass(frozen=True, slots=True)
class BenefitPlan:
    """A benefit in force on the engine's date, with everything that does not depend on a profile
    computed once: its dimensions as sets, the static fields of its answer, its fee lines."""

    benefit: Benefit
    dims: tuple[Dim, ...]
    head: JSON  # source, statedAs, dataQualityNote
    middle: JSON  # amount, per, maxCount, arithmetic or rate, payableShare (not for a fee reduction with a rate)
    tail: JSON  # cap, description
    fee_lines: tuple[FeeLine, ...]


class Engine:
    """Evaluate profiles against every programme of a Rulebook (built once; evaluation touches no store).

    An engine serves one date (`at(day)` builds and keeps one per date over `Rulebook.at(day)`), and
    compiles that date's rules once, on construction: each condition into its kind's evaluator, each
    benefit into a `BenefitPlan`, each programme's explanation into the order of its steps. A
    profile's evaluation is then set lookups and comparisons over plain data; per profile it keeps a
    memo of each condition's outcome (programmes share conditions), which `evaluate` drops when it
    returns unless asked to keep it (the advice reads it)."""

    def __init__(self, rules: Rulebook) -> None:
        self.rules = rules
        self._days: dict[dt.date, Engine] = {}
        # what never changes between profiles is computed once: each condition's explanation skeleton,
        # and the per-claim / per-page fee schedules
        self._explained = {iri: self._skeleton(c) for iri, c in rules.conditions.items()}
        self._said = {iri: self._citation(c) for iri, c in rules.conditions.items()}
        self._narrower = self._narrower_of(rules)
        self.concept_sets = self._concept_sets(rules, self._narrower)
        self._per_unit_schedules = {
            unit: sorted((Tier(f, f.applies_above, f.value) for f in rules.fees.values()
                          if f.per_unit and f.per_unit.endswith(f"/unit/{unit}") and f.applies_above is not None and f.value is not None),
                         key=lambda t: t.above)
            for unit in ("claim", "page")
        }
        self._valued = {iri: c for iri, c in rules.conditions.items() if "profileValue" in self._explained[iri]}
        self._orders: dict[str, tuple[str, ...]] = {}
        self._run = {iri: KINDS[c.kind].compile(self, c) for iri, c in rules.conditions.items()}
        self._benefits = {iri: self._plan(b) for iri, b in rules.benefits.items()}
        self._programmes = sorted(rules.programmes.items())

    @staticmethod
    def _narrower_of(rules: Rulebook) -> dict[str, set[str]]:
        narrower: dict[str, set[str]] = {}
        for concept, ancestors in rules.ancestors.items():
            for a in ancestors:
                narrower.setdefault(a, set()).add(concept)
        return narrower

    def _meets(self, concepts: list[str]) -> frozenset[str]:
        """The concepts given and everything narrower or within them: the values for which `is_a` holds."""
        return frozenset(set(concepts).union(*(self._narrower.get(v, ()) for v in concepts)))

    @staticmethod
    def _concept_sets(rules: Rulebook, narrower: dict[str, set[str]]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """For each concept-valued condition, the concepts that meet it (its values and everything
        narrower or within them) and those too coarse to decide it (strictly broader), so that
        evaluation is a set lookup instead of a walk up skos:broader / ipkg:partOf."""
        out = {}
        for iri, c in rules.conditions.items():
            if c.concept_values:
                meets = set(c.concept_values).union(*(narrower.get(v, ()) for v in c.concept_values))
                coarser = set[str]().union(*(rules.ancestors.get(v, ()) for v in c.concept_values)) - meets
                out[iri] = (frozenset(meets), frozenset(coarser))
        return out

    def on(self, profile: Profile) -> Engine:
        """The engine of the profile's as-of date: every public entry point starts here."""
        return self if self.rules.day == profile.as_of else self.at(profile.as_of)

    def at(self, day: dt.date) -> Engine:
        """The engine over the rules in force on `day` (Rulebook.at), built once per date: below this
        point nothing tests a date."""
        if self.rules.day == day:
            return self
        engine = self._days.get(day)
        if engine is None:
            if len(self._days) >= 256:
                self._days.clear()
            engine = self._days[day] = Engine(self.rules.at(day))
        return engine

    # ---- conditions ---------------------------------------------------------------------------

    @staticmethod
    def _citation(c: Condition) -> str:
        """The condition as the verdict's reason names it: its summary and first sources."""
        text = c.summary.get("en").rstrip(".") or c.iri.rsplit("/", 1)[-1]
        return f"{text} ({', '.join(cite(s) for s in c.sources[:2])})" if c.sources else text

    @staticmethod
    def _skeleton(c: Condition) -> JSON:
        item: JSON = {"condition": c.iri, "kind": c.kind, "outcome": None, "summary": dict(c.summary.by_lang),
                      "source": c.sources[0] if c.sources else None, "sources": c.sources}
        item.update(KINDS[c.kind].explanation(c))
        return item

    def explain(self, c: Condition, value: str, used: Any) -> JSON:
        """One step of a verdict's explanation: the condition's fixed fields, its outcome and the profile value used."""
        item = dict(self._explained.get(c.iri) or self._skeleton(c))
        item["outcome"] = value
        if "profileValue" in item:
            item["profileValue"] = used
        return item

    def _step(self, iri: str, value: str, profile: Profile) -> JSON:
        """The explanation step of one evaluated condition (as `explain`, from the compiled tables)."""
        item = dict(self._explained[iri])
        item["outcome"] = value
        c = self._valued.get(iri)
        if c is not None:
            item["profileValue"] = KINDS[c.kind].profile_value(c, profile)
        return item

    def evaluate_condition(self, iri: str, profile: Profile, trace: Trace = None) -> Outcome:
        """Three-valued outcome of one condition on the profile's date."""
        return self.on(profile).condition(iri, profile, trace)

    def condition(self, iri: str, profile: Profile, trace: Trace = None) -> Outcome:
        """Three-valued outcome of one condition of this engine's day (the kinds recurse through here),
        memoised on the profile with its explanation step when the profile asks for explanations;
        `trace`, when given, receives the steps of the condition's whole tree."""
        known = profile.outcomes.get(iri)
        if known is None:
            run = self._run.get(iri)
            if run is None:
                return Outcome(UNKNOWN, missing=frozenset({f"(no version of {iri.rsplit('/', 1)[-1]} in force on {profile.as_of})"}))
            outcome = run(profile)
            known = profile.outcomes[iri] = (outcome, self._step(iri, outcome.value, profile) if profile.explain else None)
        if trace is not None:
            trace.extend(self.steps(iri, profile))
        return known[0]

    def order(self, iri: str) -> tuple[str, ...]:
        """The conditions of a tree in the order a verdict explains them: each condition after the
        steps of the conditions it evaluates (operands, readings), a shared one as often as it is used.
        Static for the date, so computed once per tree."""
        order = self._orders.get(iri)
        if order is None:
            out: list[str] = []

            def walk(i: str) -> None:
                c = self.rules.conditions.get(i)
                if c is None:  # no version in force: evaluated as unknown, with no step
                    return
                for part in KINDS[c.kind].operands_of(c):
                    walk(part)
                out.append(i)
            walk(iri)
            order = self._orders[iri] = tuple(out)
        return order

    def steps(self, iri: str, profile: Profile) -> list[JSON]:
        """The explanation of condition `iri` on an evaluated profile: one step per condition of its tree."""
        memo, out = profile.outcomes, []
        for i in self.order(iri):
            known = memo.get(i)
            if known is None:
                continue
            step = known[1]
            if step is None:  # evaluated without explanations (a batch profile): the step is written now
                step = self._step(i, known[0].value, profile)
                memo[i] = (known[0], step)
            out.append(step)
        return out

    # ---- benefits ------------------------------------------------------------------------------

    def _plan(self, b: Benefit) -> BenefitPlan:
        """The benefit compiled: its dimensions as sets, its answer's fixed fields written once."""
        dims: list[Dim] = []
        for key, values in b.dims.items():
            if is_flags(values):
                dims.append((key, tuple(values), frozenset(), frozenset()))
            else:
                concepts = list(values)
                coarser = frozenset(set(concepts).union(*(self.rules.ancestors.get(c, ()) for c in concepts)))
                dims.append((key, None, self._meets(concepts), coarser))
        head: JSON = {"source": b.sources[0] if b.sources else None}
        if b.stated_as:
            head["statedAs"] = b.stated_as
        if b.note:
            head["dataQualityNote"] = b.note
        middle: JSON = {}
        fee_lines: list[FeeLine] = []
        if b.kind == "FeeReduction" and b.rate is not None:
            rate = b.rate
            for iri in b.fees:
                fee = self.rules.fees.get(iri)
                if fee is None or fee.value is None:
                    continue
                after = fee.value * (1 - rate)
                line: JSON = {"fee": fee.iri, "label": fee.label.by_lang, "before": plain_number(fee.value), "after": _money(after),
                              "currency": fee.currency,
                              "arithmetic": f"{_money(fee.value)} × (1 − {plain_number(rate)}) = {_money(after)} {fee.currency}"}
                fee_lines.append(FeeLine(fee, self._meets(fee.rights) if fee.rights else frozenset(), fee.value, after, line))
        elif b.amount:
            middle["amount"] = {k: (plain_number(v) if not isinstance(v, str) else v) for k, v in b.amount.items()}
            per = b.per_unit.rsplit("/", 1)[-1] if b.per_unit else None
            if per:
                middle["per"] = per
            if b.max_count:
                middle["maxCount"] = b.max_count
            value = b.amount.get("value") or b.amount.get("max")
            if isinstance(value, Decimal):  # value and max are Decimals, currency alone a code
                words = "up to " if "value" not in b.amount else ""
                middle["arithmetic"] = f"{words}{_money(value)} {b.amount.get('currency', '')}" + (f" per {per}" if per else "")
        elif b.rate is not None:
            middle["rate"] = plain_number(b.rate)
            if b.kind == "FeeReduction":
                middle["payableShare"] = plain_number(1 - b.rate)
        tail: JSON = {}
        if b.cap:
            tail["cap"] = {k: (plain_number(v) if not isinstance(v, str) else v) for k, v in b.cap.items()}
        if b.description.by_lang:
            tail["description"] = b.description.by_lang
        return BenefitPlan(b, tuple(dims), head, middle, tail, tuple(fee_lines))

    @staticmethod
    def _dimension(plan: BenefitPlan, profile: Profile) -> str:
        """Does the benefit's applicant kind / right / route / status / service invention fit the profile? true, false or unknown."""
        result = TRUE
        facts = profile.facts
        for key, flags, meets, coarser in plan.dims:
            value = facts.get(key)
            if value is None:
                result = UNKNOWN
                continue
            if flags is not None:  # a yes/no fact of the filing (a service invention or not)
                if value not in flags:
                    return FALSE
                continue
            values = value if isinstance(value, list) else (value,)  # an applicant may be several kinds at once
            if meets.isdisjoint(values):
                if coarser.isdisjoint(values):
                    return FALSE
                result = UNKNOWN
        return result

    def _fee_applies(self, fee: Fee, profile: Profile, rights: frozenset[str] | None = None) -> bool:
        right = profile.facts.get("ipRight")
        if fee.rights:
            if right is None:
                return False
            if not (right in rights if rights is not None else any(self.rules.is_a(right, r) for r in fee.rights)):
                return False
        if fee.year_from is not None:
            year = profile.facts.get("annuityYear")
            return year is not None and fee.year_from <= int(year) <= (fee.year_to or fee.year_from)
        return True

    def _per_unit_fees(self, profile: Profile) -> list[JSON]:
        """Claim and page fees of the filing, tier by tier (units beyond `appliesAbove`, up to the next tier)."""
        out: list[JSON] = []
        for unit_key, unit_slug in (("claims", "claim"), ("pages", "page")):
            count = profile.facts.get(unit_key)
            if count is None:
                continue
            tiers = [t for t in self._per_unit_schedules[unit_slug] if self._fee_applies(t.fee, profile)]
            for i, tier in enumerate(tiers):
                fee = tier.fee
                upper = tiers[i + 1].above if i + 1 < len(tiers) else None
                units = max(Decimal(0), (min(count, upper) if upper is not None else count) - tier.above)
                if units:
                    out.append({"fee": fee.iri, "label": dict(fee.label.by_lang), "units": int(units),
                                "amount": units * tier.price, "currency": fee.currency,
                                "arithmetic": f"{unit_key} beyond {tier.above}{f' up to {upper}' if upper else ''}: "
                                              f"{int(units)} × {_money(tier.price)} = {_money(units * tier.price)} {fee.currency}"})
        return out

    def _fee_reduction(self, plan: BenefitPlan, rate: Decimal, profile: Profile) -> JSON:
        """The fees a reduction at `rate` (the benefit's ipkg:rate) leaves to pay, with its arithmetic."""
        b = plan.benefit
        lines: list[JSON] = []
        total_before, total_after, currency = Decimal(0), Decimal(0), None
        for fl in plan.fee_lines:
            if not self._fee_applies(fl.fee, profile, fl.rights):
                continue
            total_before += fl.before
            total_after += fl.after
            currency = fl.fee.currency
            line = dict(fl.line)
            line["label"] = dict(line["label"])
            lines.append(line)
        if "per-unit" not in profile.memo:  # the same for every fee reduction of this profile
            profile.memo["per-unit"] = self._per_unit_fees(profile)
        extra = [dict(e) for e in profile.memo["per-unit"]]
        extra_total = sum((e["amount"] for e in extra), Decimal(0))
        for e in extra:
            e["amount"] = _money(e["amount"])
            e["reducible"] = False
        out: JSON = {"rate": plain_number(rate), "payableShare": plain_number(1 - rate), "reducedFees": lines}
        if lines or extra:
            out["notReduced"] = extra
            out["totalBefore"] = _money(total_before + extra_total)
            out["totalAfter"] = _money(total_after + extra_total)
            out["currency"] = currency or (extra[0]["currency"] if extra else None)
            out["arithmetic"] = (f"reduced fees {_money(total_before)} → {_money(total_after)}"
                                 + (f", plus unreduced claim/page fees {_money(extra_total)}" if extra else "")
                                 + f" = {_money(total_after + extra_total)} {out['currency']}")
        elif b.fees and all(self.rules.fees.get(f) is None or self.rules.fees[f].value is None for f in b.fees):
            out["arithmetic"] = (f"{plain_number(rate)} of each listed fee is waived, {plain_number(1 - rate)} is paid; "
                                 "the source states no fee amounts")
        elif b.fees:
            out["arithmetic"] = "give the filing's ipRight (and annuityYear for annual fees) to compute the fees due"
        return out

    def benefit(self, b: Benefit, profile: Profile) -> JSON | None:
        """Does this tier fit the applicant (given the programme's verdict, which is reported apart)? Its
        applicant kind / right / route / status and its own condition must all hold (three-valued and);
        a benefit with neither is for whoever is eligible."""
        if self.rules.day != profile.as_of:
            return self.on(profile).benefit(b, profile)
        plan = self._benefits.get(b.iri)
        if plan is None:  # not in force on the date
            return None
        return self._benefit(plan, profile)

    def _benefit(self, plan: BenefitPlan, profile: Profile) -> JSON | None:
        b = plan.benefit
        applies = self._dimension(plan, profile) if plan.dims else TRUE
        if applies == FALSE:
            return None
        if b.condition:
            value = self.condition(b.condition, profile).value
            if value == FALSE:
                return None
            if value == UNKNOWN:
                applies = UNKNOWN
        item: JSON = {"benefit": b.iri, "kind": b.kind, "label": dict(b.label.by_lang), "applies": applies}
        item.update(plan.head)
        if b.kind == "FeeReduction" and b.rate is not None:
            item.update(self._fee_reduction(plan, b.rate, profile))
        else:
            for key, value in plan.middle.items():
                item[key] = dict(value) if isinstance(value, dict) else value
        for key, value in plan.tail.items():
            item[key] = dict(value)
        return item

    # ---- programmes ----------------------------------------------------------------------------

    def evaluate(self, profile: Profile, keep_outcomes: bool = False) -> JSON:
        """The answer of POST /api/eligibility for one profile. The memo of the profile's condition
        outcomes is dropped on return, unless `keep_outcomes` (the advice reads it): a batch that keeps
        its profiles would otherwise keep every answer's explanation alive, for the cyclic garbage
        collector to scan again and again."""
        if self.rules.day != profile.as_of:
            return self.on(profile).evaluate(profile, keep_outcomes)
        profile.outcomes = {}
        verdicts = []
        only, jurisdiction = profile.programme, profile.jurisdiction
        for iri, programme in self._programmes:
            if only and iri != only:
                continue
            if jurisdiction and not any(self.rules.is_a(j, jurisdiction) for j in programme.jurisdictions):
                continue
            verdict = self.verdict(programme, profile)
            if profile.only_eligible and verdict["verdict"] != "eligible":
                continue
            verdicts.append(verdict)
        if not keep_outcomes:
            profile.outcomes, profile.memo = {}, {}
        return {"asOf": profile.as_of.isoformat(), "verdicts": verdicts}

    def verdict(self, programme: Programme, profile: Profile) -> JSON:
        day = profile.as_of
        if self.rules.day != day:
            return self.on(profile).verdict(programme, profile)
        out: JSON = {"programme": programme.iri, "label": dict(programme.label.by_lang)}
        if programme.iri in self.rules.programmes_out_of_force:
            out.update(verdict="not-eligible", missing=[], needsAssessment=[], conditions=[],
                       reason=f"not eligible: the programme is not in force on {day.isoformat()}")
            return out
        requirement = programme.requirement
        if requirement is None:
            outcome = NO_RULES
        elif requirement not in self._run:
            outcome = NOT_IN_FORCE
        else:
            outcome = self.condition(requirement, profile)
        out["verdict"] = VERDICT[outcome.value]
        out["reason"] = self.reason(outcome)
        out["missing"] = sorted(outcome.missing)
        out["needsAssessment"] = sorted(outcome.assessments)
        if outcome.readings:
            out["readings"] = list(outcome.readings)
        out["conditions"] = self.steps(requirement, profile) if profile.explain and requirement in self._run else []
        if outcome.value != FALSE:
            benefits = [item for item in (self._benefit(self._benefits[i], profile) for i in programme.benefits if i in self._benefits)
                        if item]
            if benefits:
                out["benefit"] = {"items": benefits}
        return out

    def reason(self, outcome: Outcome) -> str:
        """One line naming what decided the verdict, each condition with its source
        ("not eligible: The applicant is an SME. (jpo-annual-report-ch5:441)")."""
        said = self._said.get
        if outcome.value == UNKNOWN:
            parts = []
            if outcome.missing:
                parts.append("missing " + ", ".join(sorted(outcome.missing)))
            if outcome.assessments:
                parts.append("left to the authority: " + "; ".join(said(a, a) for a in sorted(outcome.assessments)[:3]))
            return "undetermined: " + "; ".join(parts)
        deciding = list(dict.fromkeys(outcome.because))
        words = "eligible" if outcome.value == TRUE else "not eligible"
        if outcome.value == FALSE:
            return f"{words}: fails " + "; ".join(said(i, i) for i in deciding[:3]) + (f"; and {len(deciding) - 3} more" if len(deciding) > 3 else "")
        return f"{words}: " + "; ".join(said(i, i) for i in deciding[:4]) + (f"; and {len(deciding) - 4} more" if len(deciding) > 4 else "")


def cite(source: str) -> str:
    """A locator IRI as a short citation: doc/jpo-annual-report-ch5/line/441 → jpo-annual-report-ch5:441,
    instrument/jilin-…/art/6 → jilin-… art. 6."""
    parts = source.rstrip("/").split("/")
    if len(parts) >= 4 and parts[-2] == "line" and parts[-4] == "doc":
        return f"{parts[-3]}:{parts[-1]}"
    if len(parts) >= 3 and parts[-2] == "art":
        return f"{parts[-3]} art. {parts[-1]}"
    return parts[-1]
