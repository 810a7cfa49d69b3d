"""Three-valued evaluation of the graph's conditions against a profile, and the benefit that follows.

true / false / unknown: a fact the profile does not give makes an atomic condition unknown; a
judgement condition is always unknown (an authority decides it). all-of is false if any operand
is false and true if all are true; any-of dually; not inverts; open-to-all is always true. Each kind
is a class of `kinds.KINDS`. Concepts match along skos:broader, places along ipkg:partOf. A
condition or amount not in force on the as-of date is left out.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

from ..jsontypes import JSON
from .kinds import FALSE, KINDS, TRUE, UNKNOWN, Outcome, Trace, plain_number
from .profile import Profile
from .rates import Conversion, money
from .rules import Benefit, Condition, Fee, Programme, Rulebook, is_flags

_money = money  # one way of writing amounts, shared with the rates' arithmetic


@dataclass(frozen=True, slots=True)
class Tier:
    """A per-claim or per-page fee: `price` for each unit beyond `above` (the fee's ipkg:appliesAbove)."""

    fee: Fee
    above: int
    price: Decimal


VERDICT = {TRUE: "eligible", FALSE: "not-eligible", UNKNOWN: "undetermined"}


@dataclass(frozen=True)
class ReasonWords:
    """The fixed words of a verdict's one-line reason in one language; the conditions it names are the graph's own
    summaries in that language (else in English), each with its source."""

    eligible: str
    fails: str
    undetermined: str
    missing: str
    authority: str
    more: str  # with {n}: how many deciding conditions the line leaves out
    out_of_force: str  # with {day}
    separator: str = "; "  # between conditions
    comma: str = ", "  # between missing facts


REASON_WORDS = {  # `reason` is the English line (its wording is recorded: tests/data/eligibility-verdicts.tsv); `reasonText` has both
    "en": ReasonWords("eligible: ", "not eligible: fails ", "undetermined: ", "missing ", "left to the authority: ", "; and {n} more",
                      "not eligible: the programme is not in force on {day}"),
    "ja": ReasonWords("適格: ", "不適格(満たさない要件): ", "未確定: ", "不足する情報 ", "機関の判断に委ねられる要件: ", "; ほか{n}件",
                      "不適格: 制度は{day}時点で施行されていない", comma="、"),
}
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
class ProgrammePlan:
    """A programme on the engine's date, as a verdict reads it: its requirement (None when the
    programme states none, or none is in force), the order of its explanation's steps and the plans
    of its benefits in force."""

    programme: Programme
    label: dict[str, str]
    out_of_force: bool
    requirement: str | None
    fixed: Outcome | None  # the outcome when there is no requirement to evaluate
    order: tuple[str, ...]
    benefits: tuple[BenefitPlan, ...]


@dataclass(frozen=True, slots=True)
class BenefitPlan:
    """A benefit in force on the engine's date, with everything that does not depend on a profile
    computed once: its dimensions as sets, the static fields of its answer, its fee lines."""

    benefit: Benefit
    label: dict[str, str]
    dims: tuple[Dim, ...]
    head: JSON  # source, statedAs, dataQualityNote
    middle: JSON  # amount, per, maxCount, arithmetic or rate, payableShare (not for a fee reduction with a rate)
    tail: JSON  # cap, description
    fee_lines: tuple[FeeLine, ...]
    reduces: bool  # a fee reduction at a rate: its fees are computed for each profile (`middle` is empty)
    rest: JSON  # head, middle and tail together: all a benefit other than a reduction adds after `applies`


class Engine:
    """Evaluate profiles against every programme of a Rulebook (built once; evaluation touches no store).

    An engine serves one date (`at(day)` builds and keeps one per date over `Rulebook.at(day)`), and
    compiles that date's rules once, on construction: each condition into its kind's evaluator, each
    benefit into a `BenefitPlan`, each programme into a `ProgrammePlan` with the order of its
    explanation's steps. A profile's evaluation is then set lookups and comparisons over plain data;
    per profile it keeps a memo of each condition's outcome (programmes share conditions), which
    `evaluate` drops when it returns unless asked to keep it (the advice reads it).

    Answers share their fixed parts with each other (labels, descriptions, amounts, a reduced fee's
    line, an explanation step's summary and sources): they are read and serialised, never changed."""

    def __init__(self, rules: Rulebook) -> None:
        self.rules = rules
        self._days: dict[dt.date, Engine] = {}
        # what never changes between profiles is computed once: each condition's explanation skeleton,
        # and the per-claim / per-page fee schedules
        self._explained = {iri: self._skeleton(c) for iri, c in rules.conditions.items()}
        self._said = {lang: {iri: self._citation(c, lang) for iri, c in rules.conditions.items()} for lang in REASON_WORDS}
        self._narrower = self._narrower_of(rules)
        self.concept_sets = self._concept_sets(rules, self._narrower)
        self._per_unit_schedules = {
            unit: sorted((Tier(f, f.applies_above, f.value) for f in rules.fees.values()
                          if f.per_unit and f.per_unit.endswith(f"/unit/{unit}") and f.applies_above is not None and f.value is not None),
                         key=lambda t: t.above)
            for unit in ("claim", "page")
        }
        # the conditions whose explanation shows the profile's value, with their readers of it
        self._valued: dict[str, Callable[[Profile], Any]] = {}
        for iri, c in rules.conditions.items():
            reader = KINDS[c.kind].value_reader(c)
            if reader is not None and "profileValue" in self._explained[iri]:
                self._valued[iri] = reader
        # the conditions on an amount in a currency: decided on a converted amount when the profile gives a rate
        self._currency = {iri: (c.constrains, c.unit_notation) for iri, c in rules.conditions.items()
                          if c.unit_is_currency and c.constrains and c.unit_notation and c.threshold is not None}
        self._orders: dict[str, tuple[str, ...]] = {}
        self._run = {iri: KINDS[c.kind].compile(self, c) for iri, c in rules.conditions.items()}
        self._benefits = {iri: self._plan(b) for iri, b in rules.benefits.items()}
        self._programmes = {iri: self._programme_plan(p) for iri, p in sorted(rules.programmes.items())}
        # what a whole answer evaluates, operands before the conditions that use them
        needed = dict.fromkeys(i for plan in self._programmes.values() if not plan.out_of_force
                               for root in (plan.requirement, *(b.benefit.condition for b in plan.benefits)) if root
                               for i in self.order(root))
        self._flat = tuple((iri, self._run[iri]) for iri in needed)
        self._fixed_steps = {iri: {value: {**skeleton, "outcome": value} for value in (TRUE, FALSE, UNKNOWN)}
                             for iri, skeleton in self._explained.items() if iri not in self._valued}
        shown = dict.fromkeys(i for plan in self._programmes.values() if not plan.out_of_force for i in plan.order)
        self._shown_fixed = tuple((i, self._fixed_steps[i]) for i in shown if i in self._fixed_steps)
        self._shown_valued = tuple((i, self._explained[i], self._valued[i]) for i in shown if i in self._valued)

    def _programme_plan(self, p: Programme) -> ProgrammePlan:
        requirement, fixed = p.requirement, None
        if requirement is None:
            fixed = NO_RULES
        elif requirement not in self._run:
            requirement, fixed = None, NOT_IN_FORCE
        return ProgrammePlan(p, dict(p.label.by_lang), p.iri in self.rules.programmes_out_of_force, requirement, fixed,
                             self.order(requirement) if requirement else (),
                             tuple(self._benefits[i] for i in p.benefits if i in self._benefits))

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
    def _citation(c: Condition, lang: str = "en") -> str:
        """The condition as the verdict's reason names it: its summary (in `lang`, else another) and first sources."""
        text = c.summary.get(lang).rstrip(".。") or c.iri.rsplit("/", 1)[-1]
        return f"{text} ({', '.join(cite(s) for s in c.sources[:2])})" if c.sources else text

    def conversion_of(self, iri: str, profile: Profile) -> tuple[Conversion, Decimal] | None:
        """The applicant's rate a currency condition was decided with, and the amount it converted;
        None when the condition is on no currency or the profile's amount is in the condition's own."""
        where = self._currency.get(iri)
        rates = profile.facts.get(self.rules.rate_key or "")
        if where is None or not rates:
            return None
        raw = profile.facts.get(where[0])
        if not isinstance(raw, tuple) or raw[1] == where[1]:
            return None
        conversion = rates.get((raw[1], where[1]))
        return None if conversion is None else (conversion, raw[0])

    def _converted(self, iri: str, profile: Profile, step: JSON) -> JSON:
        """The step with the conversion it was decided on (`conversion`), when there was one."""
        used = self.conversion_of(iri, profile)
        if used is None:
            return step
        conversion, amount = used
        return {**step, "conversion": {**conversion.as_json(), "givenBy": "applicant", "amount": plain_number(amount),
                                       "converted": plain_number(amount * conversion.rate), "arithmetic": conversion.words(amount)}}

    @staticmethod
    def _skeleton(c: Condition) -> JSON:
        item: JSON = {"condition": c.iri, "kind": c.kind, "outcome": None, "summary": dict(c.summary.by_lang),
                      "source": c.sources[0] if c.sources else None, "sources": c.sources}
        item.update(KINDS[c.kind].explanation(c))
        return item

    def _step(self, iri: str, profile: Profile) -> JSON:
        """The explanation step of one condition on the profile (as `explain`, from the compiled tables):
        a condition that reads no profile value has one step per outcome, written once for all answers."""
        outcome = profile.outcomes.get(iri) or self.condition(iri, profile)
        reader = self._valued.get(iri)
        step = (self._fixed_steps[iri][outcome.value] if reader is None
                else {**self._explained[iri], "outcome": outcome.value, "profileValue": reader(profile)})
        if iri in self._currency:
            step = self._converted(iri, profile, step)
        profile.steps[iri] = step
        return step

    def _write_steps(self, profile: Profile) -> None:
        """The step of every condition a verdict explains, after `_evaluate_all`."""
        memo, written = profile.outcomes, profile.steps
        for iri, steps in self._shown_fixed:
            written[iri] = steps[memo[iri].value]
        for iri, skeleton, reader in self._shown_valued:
            written[iri] = {**skeleton, "outcome": memo[iri].value, "profileValue": reader(profile)}
        if profile.facts.get(self.rules.rate_key or ""):  # steps decided on the applicant's rates say so
            for iri in self._currency:
                if iri in written:
                    written[iri] = self._converted(iri, profile, written[iri])

    def evaluate_condition(self, iri: str, profile: Profile, trace: Trace = None) -> Outcome:
        """Three-valued outcome of one condition on the profile's date."""
        return self.on(profile).condition(iri, profile, trace)

    def condition(self, iri: str, profile: Profile, trace: Trace = None) -> Outcome:
        """Three-valued outcome of one condition of this engine's day (the kinds recurse through here),
        memoised on the profile (`profile.outcomes`); `trace`, when given, receives the explanation
        steps of the condition's whole tree."""
        outcome = profile.outcomes.get(iri)
        if outcome is None:
            run = self._run.get(iri)
            if run is None:
                return Outcome(UNKNOWN, missing=frozenset({f"(no version of {iri.rsplit('/', 1)[-1]} in force on {profile.as_of})"}))
            outcome = profile.outcomes[iri] = run(profile)
        if trace is not None:
            trace.extend(self.steps(iri, profile))
        return outcome

    def _evaluate_all(self, profile: Profile) -> None:
        """Every condition of the date, operands first, into the profile's memo: the whole answer
        needs nearly all of them, and in this order a composite finds each operand's outcome already
        there instead of asking for it (one programme's verdict evaluates only its own tree)."""
        memo = profile.outcomes
        for iri, run in self._flat:
            memo[iri] = run(profile)

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
        """The explanation of condition `iri` on an evaluated profile: one step per condition of its
        tree, each written once per profile (programmes that share a condition share its step)."""
        written, write = profile.steps.get, self._step
        return [written(i) or write(i, profile) for i in self.order(iri)]

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
                line: JSON = {"fee": fee.iri, "label": dict(fee.label.by_lang), "before": plain_number(fee.value), "after": _money(after),
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
            tail["description"] = dict(b.description.by_lang)
        return BenefitPlan(b, dict(b.label.by_lang), tuple(dims), head, middle, tail, tuple(fee_lines),
                           b.kind == "FeeReduction" and b.rate is not None, {**head, **middle, **tail})

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

    def _fee_reduction(self, plan: BenefitPlan, profile: Profile) -> JSON:
        """The fees a reduction at its rate (the benefit's ipkg:rate) leaves to pay, with its arithmetic."""
        b = plan.benefit
        rate = b.rate or Decimal(0)
        lines: list[JSON] = []
        total_before, total_after, currency = Decimal(0), Decimal(0), None
        for fl in plan.fee_lines:
            if not self._fee_applies(fl.fee, profile, fl.rights):
                continue
            total_before += fl.before
            total_after += fl.after
            currency = fl.fee.currency
            lines.append(fl.line)
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
        if not plan.reduces:
            return {"benefit": b.iri, "kind": b.kind, "label": plan.label, "applies": applies, **plan.rest}
        item: JSON = {"benefit": b.iri, "kind": b.kind, "label": plan.label, "applies": applies, **plan.head}
        item.update(self._fee_reduction(plan, profile))
        item.update(plan.tail)
        return item

    # ---- programmes ----------------------------------------------------------------------------

    def evaluate(self, profile: Profile, keep_outcomes: bool = False) -> JSON:
        """The answer of POST /api/eligibility for one profile. The memo of the profile's condition
        outcomes is dropped on return, unless `keep_outcomes` (the advice reads it): a batch that keeps
        its profiles would otherwise keep every answer's explanation alive, for the cyclic garbage
        collector to scan again and again."""
        if self.rules.day != profile.as_of:
            return self.on(profile).evaluate(profile, keep_outcomes)
        profile.outcomes, profile.steps, profile.memo = {}, {}, {}
        verdicts = []
        only, jurisdiction, only_eligible = profile.programme, profile.jurisdiction, profile.only_eligible
        if not (only or jurisdiction):
            self._evaluate_all(profile)
            if profile.explain:
                self._write_steps(profile)
        for iri, plan in self._programmes.items():
            if only and iri != only:
                continue
            if jurisdiction and not any(self.rules.is_a(j, jurisdiction) for j in plan.programme.jurisdictions):
                continue
            verdict = self._verdict(plan, profile)
            if only_eligible and verdict["verdict"] != "eligible":
                continue
            verdicts.append(verdict)
        if not keep_outcomes:
            profile.outcomes, profile.steps, profile.memo = {}, {}, {}
        return {"asOf": profile.as_of.isoformat(), "verdicts": verdicts}

    def verdict(self, programme: Programme, profile: Profile) -> JSON:
        """One programme's verdict for the profile, on the profile's date."""
        if self.rules.day != profile.as_of:
            return self.on(profile).verdict(programme, profile)
        return self._verdict(self._programmes[programme.iri], profile)

    def _verdict(self, plan: ProgrammePlan, profile: Profile) -> JSON:
        programme = plan.programme
        out: JSON = {"programme": programme.iri, "label": plan.label}
        if plan.out_of_force:
            reasons = {lang: words.out_of_force.format(day=profile.as_of.isoformat()) for lang, words in REASON_WORDS.items()}
            out.update(verdict="not-eligible", missing=[], needsAssessment=[], conditions=[], reason=reasons["en"], reasonText=reasons)
            return out
        requirement = plan.requirement
        outcome = plan.fixed or self.condition(requirement or "", profile)
        value = outcome.value
        out["verdict"] = VERDICT[value]
        out["reasonText"] = reasons = {lang: self.reason(outcome, profile, lang) for lang in REASON_WORDS}
        out["reason"] = reasons["en"]
        out["missing"] = sorted(outcome.missing)
        out["needsAssessment"] = sorted(outcome.assessments)
        if outcome.readings:
            out["readings"] = list(outcome.readings)
        if profile.explain and requirement:
            written = profile.steps
            try:
                out["conditions"] = [written[i] for i in plan.order]
            except KeyError:  # a verdict of its own (one programme): its steps are written as they are needed
                out["conditions"] = self.steps(requirement, profile)
        else:
            out["conditions"] = []
        if value != FALSE and plan.benefits:
            benefits = [item for item in map(self._benefit, plan.benefits, itertools.repeat(profile)) if item]
            if benefits:
                out["benefit"] = {"items": benefits}
        return out

    def reason(self, outcome: Outcome, profile: Profile | None = None, lang: str = "en") -> str:
        """One line in `lang` naming what decided the verdict, each condition with its source
        ("not eligible: fails The applicant is an SME (jpo-annual-report-ch5:441)"); a condition decided on a
        rate the applicant gave says so, with its arithmetic and the rate's date."""
        words, said = REASON_WORDS[lang], self._said[lang]
        if profile is not None and profile.facts.get(self.rules.rate_key or ""):
            said = self._said_with_rates(outcome, profile, lang)
        value = outcome.value
        if value == UNKNOWN:
            parts = []
            if outcome.missing:
                parts.append(words.missing + words.comma.join(self._fact(name, lang) for name in sorted(outcome.missing)))
            if outcome.assessments:
                parts.append(words.authority + words.separator.join([said.get(a, a) for a in sorted(outcome.assessments)[:3]]))
            return words.undetermined + words.separator.join(parts)
        because = outcome.because
        deciding = because if len(because) < 2 else tuple(dict.fromkeys(because))
        head, shown = (words.fails, 3) if value == FALSE else (words.eligible, 4)
        text = head + words.separator.join([said.get(i, i) for i in deciding[:shown]])
        return text + words.more.format(n=len(deciding) - shown) if len(deciding) > shown else text

    def _fact(self, name: str, lang: str) -> str:
        """A missing fact as the reason names it: its profile key in English ("previousYearTaxableIncome in CNY"),
        the property's label in another language (前年度の課税所得(CNY))."""
        key, _, currency = name.partition(" in ")
        spec = self.rules.profile_properties.get(key)
        if lang == "en" or spec is None or not (label := spec.label.by_lang.get(lang)):
            return name
        return f"{label}({currency})" if currency else label

    def _said_with_rates(self, outcome: Outcome, profile: Profile, lang: str) -> dict[str, str]:
        """The deciding conditions' words, each currency condition decided on the applicant's rate with
        its arithmetic and the rate's date ('…: 50,000,000 JPY × 0.048 = 2,400,000 CNY (rate given by …)')."""
        said = self._said[lang]
        out = {}
        for iri in outcome.because:
            if iri in self._currency and (used := self.conversion_of(iri, profile)) is not None:
                out[iri] = f"{said.get(iri, iri)}: {used[0].words(used[1], lang)}"
        return {**said, **out} if out else said


def cite(source: str) -> str:
    """A locator IRI as a short citation: doc/jpo-annual-report-ch5/line/441 → jpo-annual-report-ch5:441,
    instrument/jilin-…/art/6 → jilin-… art. 6."""
    parts = source.rstrip("/").split("/")
    if len(parts) >= 4 and parts[-2] == "line" and parts[-4] == "doc":
        return f"{parts[-3]}:{parts[-1]}"
    if len(parts) >= 3 and parts[-2] == "art":
        return f"{parts[-3]} art. {parts[-1]}"
    return parts[-1]
