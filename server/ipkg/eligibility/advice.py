"""Advice on top of the verdicts: what would make an applicant eligible, the next question worth
asking, and the summary of an answer.

Nothing here knows a programme: the changes proposed are read off the condition tree (each atomic
condition says which fact and which value would meet it), and every proposal is checked by running
the engine again on the changed profile, so advice never claims more than the rules give.
Whether a fact can be changed at all is data (`ipkg:changeability` on each profile property).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from .engine import Engine
from .kinds import COMPARE, FALSE, SYMBOL, TRUE, plain_number
from .profile import Profile, Rates
from .rates import Conversion, money
from .rules import Condition, Programme, Rulebook

MAX_OPTIONS = 3  # alternatives kept per condition and reported per verdict
# the step that turns a strict bound into a value meeting it, by kind of value
STEP = {"count": Decimal(1), "money": Decimal(1), "number": Decimal(1), "share": Decimal("0.01")}
PER_FILING = (None, "application", "grant")  # amounts the profile's one filing receives once
FLIP = {"lessThan": "greaterOrEqual", "lessOrEqual": "greaterThan", "greaterThan": "lessOrEqual", "greaterOrEqual": "lessThan"}

Changes = dict[str, tuple[Any, str]]  # profile key -> (value meeting the condition, condition IRI)
RATE_STEP = Decimal("1e-8")
BOUND_WORDS = {"≤": "of at most", "<": "below", "≥": "of at least", ">": "above", "=": "of exactly"}  # the precision of a proposed bound on an exchange rate


def _rate_target(rules: Rulebook, c: Condition, want: bool, profile: Profile | None) -> Rates | None:
    """For an amount the profile states in another currency than the condition's threshold, and no rate
    between the two: the profile's rates with one more, at the bound that makes the condition `want`
    (the amount × the rate compared with the threshold). None when no rate is asked for, or none can do it.
    The added rate is a bound to report, never a rate used for the applicant: it carries the as-of date
    only so that the engine can check the proposal."""
    key, rate_key = c.constrains or "", rules.rate_key
    raw = profile.facts.get(key) if profile is not None else None
    if (profile is None or rate_key is None or not c.unit_is_currency or c.threshold is None or not c.unit_notation
            or not isinstance(raw, tuple) or raw[1] == c.unit_notation):
        return None
    given: Rates = profile.facts.get(rate_key) or Rates()
    pair = (raw[1], c.unit_notation)
    if pair in given:
        return None  # decided already on the applicant's own rate
    operator = c.operator or "equals"
    if not want:
        if operator == "equals":
            return None
        operator = FLIP[operator]
    amount, threshold = raw[0], c.threshold
    if amount == 0:  # every rate converts nothing to nothing
        rate = Decimal(1) if COMPARE[operator](Decimal(0), threshold) else None
    elif operator == "equals":
        rate = threshold / amount
    else:
        below = operator in ("lessThan", "lessOrEqual")
        rate = (threshold / amount).quantize(RATE_STEP, rounding=ROUND_FLOOR if below else ROUND_CEILING)
        if not COMPARE[operator](amount * rate, threshold):
            rate += -RATE_STEP if below else RATE_STEP
    if rate is None or rate <= 0:
        return None
    return Rates({**given, pair: Conversion(rate.normalize(), pair[0], pair[1], profile.as_of)})


def rate_bound(rules: Rulebook, c: Condition, profile: Profile, proposed: Rates) -> dict[str, Any] | None:
    """What a proposed rate asks of the applicant: the pair, the bound and its arithmetic, read back
    from the condition (the operator the rate must meet is the condition's own, the amount being positive)."""
    raw = profile.facts.get(c.constrains or "")
    if not isinstance(raw, tuple) or not c.unit_notation or c.threshold is None:
        return None
    conversion = proposed.get((raw[1], c.unit_notation))
    if conversion is None:
        return None
    amount, threshold = raw[0], c.threshold
    wanted = c.operator or "equals"
    if COMPARE[wanted](amount * conversion.rate, threshold) is False:
        wanted = FLIP.get(wanted, wanted)
    sign = SYMBOL.get(wanted, wanted)
    return {"rateFrom": conversion.source, "rateTo": conversion.target, "operator": sign, "rate": plain_number(conversion.rate),
            "note": (f"a rate from {conversion.source} to {conversion.target} would decide it; one {BOUND_WORDS.get(sign, sign)} "
                     f"{plain_number(conversion.rate)} meets it: {money(amount)} {conversion.source} × {plain_number(conversion.rate)} = "
                     f"{money(amount * conversion.rate)} {conversion.target} {SYMBOL.get(c.operator or '', '')} "
                     f"{money(threshold)} {conversion.target}" if amount else
                     f"a rate from {conversion.source} to {conversion.target} would decide it (any rate)")}


def _target(rules: Rulebook, c: Condition, want: bool, profile: Profile | None = None) -> Any | None:
    """A value of the constrained fact that makes the atomic condition `want` (None: no single value does);
    for an amount in another currency than the threshold's, the exchange rate that would (`_rate_target`)."""
    spec = rules.profile_properties.get(c.constrains or "")
    if spec is None:
        return None
    if spec.kind == "money" and (rates := _rate_target(rules, c, want, profile)) is not None:
        return rates
    if c.concept_values:
        positive = (c.operator != "isNotA") == want
        return c.concept_values[0] if positive else None  # "anything but X" names no value to propose
    if c.boolean is not None:
        return c.boolean if want else not c.boolean
    operator = c.operator or "equals"
    if not want:
        if operator == "equals":
            return None
        operator = FLIP[operator]
    if c.date_threshold is not None:
        return c.date_threshold if operator in ("equals", "greaterOrEqual", "lessOrEqual") else None
    if c.threshold is None:
        return None
    step = STEP.get(spec.kind, Decimal(1))
    value = {"lessThan": c.threshold - step, "greaterThan": c.threshold + step}.get(operator, c.threshold)
    if spec.kind == "count" and value != value.to_integral():
        value = value.to_integral()
    if (spec.minimum is not None and value < spec.minimum) or (spec.maximum is not None and value > spec.maximum):
        return None
    return (value, c.unit_notation) if spec.kind == "money" else value


def _merge(a: Changes, b: Changes) -> Changes | None:
    """Two sets of changes made together, or None when they set one fact to two values."""
    for key, (value, _c) in b.items():
        if key in a and a[key][0] != value:
            return None
    return {**a, **b}


def _smallest(options: list[Changes]) -> list[Changes]:
    unique = {tuple(sorted((k, str(v)) for k, (v, _c) in o.items())): o for o in options}
    return sorted(unique.values(), key=len)[:MAX_OPTIONS]


def change_sets(engine: Engine, iri: str, profile: Profile, want: bool = True) -> list[Changes]:
    """Alternative sets of fact changes after which condition `iri` is `want` (true or false):
    [{}] when it already is, [] when no change of facts can make it so. A needs-assessment item
    counts as met: facts cannot settle it, and the verdict then says who decides."""
    c = engine.rules.conditions.get(iri)
    if c is None:
        return []
    outcome = engine.condition(iri, profile).value
    if outcome == (TRUE if want else FALSE):
        return [{}]
    if c.kind == "AtomicCondition":
        target = _target(engine.rules, c, want, profile)
        if isinstance(target, Rates):  # the amount stands; a rate between the currencies would decide
            return [{engine.rules.rate_key or "": (target, iri)}]
        return [] if target is None else [{c.constrains or "": (target, iri)}]
    if c.kind == "JudgementCondition":
        return [{}] if want else []
    if c.kind == "OpenToAll":
        return [{}] if want else []
    if c.kind == "ContestedCondition":
        return change_sets(engine, c.preferred or "", profile, want)
    if c.kind == "Not":
        return change_sets(engine, c.operands[0], profile, not want) if c.operands else []
    every = (c.kind == "AllOf") == want  # all operands must reach `want`, or any one suffices
    parts = [change_sets(engine, o, profile, want) for o in c.operands]
    if not every:
        return _smallest([o for part in parts for o in part])
    combined: list[Changes] = [{}]
    for part in parts:
        if not part:
            return []
        combined = _smallest([m for a in combined for b in part if (m := _merge(a, b)) is not None])
        if not combined:
            return []
    return combined


def _json_value(rules: Rulebook, key: str, value: Any) -> Any:
    """A fact in the profile's JSON form, so a client can send the proposal back as it is."""
    spec = rules.profile_properties.get(key)
    if spec is None or value is None:
        return value
    if spec.kind == "money":
        amount, currency = value
        return {"value": float(amount) if amount != amount.to_integral() else int(amount), "currency": currency}
    if spec.kind in ("count",):
        return int(value)
    if spec.kind in ("number", "share"):
        return float(value) if value != value.to_integral() else int(value)
    if spec.kind in ("concept", "place"):
        values = value if isinstance(value, list) else [value]
        notations = [next((n for n, iri in (rules.places.items() if spec.kind == "place"
                                            else rules.concepts_by_key.get(spec.scheme or "", {}).items())
                           if iri == v and "/" not in n and n.upper() == n), v.rsplit("/", 1)[-1]) for v in values]
        return notations if isinstance(value, list) else notations[0]
    if spec.kind == "date":
        return value.isoformat()
    if spec.kind == "exchange-rate":  # numbers as the schema wants them
        return [{**conversion.as_json(), "rate": float(conversion.rate)} for _pair, conversion in sorted(value.items())]
    return value


def _can_change(rules: Rulebook, key: str, before: Any, after: Any) -> str:
    """yes, by-waiting, no, or not-given (a fact the profile leaves out): what changing `key` from `before` to `after` asks of the applicant."""
    change = rules.profile_properties[key].changeability if key in rules.profile_properties else "free"
    if before is None:
        return "not-given"  # the profile does not say: eligible if this holds
    if change == "free":
        return "yes"
    if change == "grows-with-time" and (before is None or after > before):
        return "by-waiting"
    return "no"


def to_become_eligible(engine: Engine, programme: Programme, profile: Profile) -> list[dict[str, Any]]:
    """The smallest sets of changes to the profile's facts that make the programme's verdict eligible
    (or leave only an authority's assessment), each checked by evaluating again, changes the applicant
    can make first."""
    engine = engine.on(profile)
    rules = engine.rules
    if programme.requirement is None or programme.iri in rules.programmes_out_of_force:
        return []
    options = []
    for changes in change_sets(engine, programme.requirement, profile):
        if not changes:
            continue
        changed = Profile({**profile.facts, **{k: v for k, (v, _c) in changes.items()}}, profile.as_of, explain=False)
        verdict = engine.verdict(programme, changed)
        if verdict["verdict"] == "not-eligible" or verdict["missing"]:
            continue
        items = []
        for key, (value, condition) in sorted(changes.items()):
            c = rules.conditions[condition]
            before = profile.facts.get(key)
            item = {"field": key, "from": _json_value(rules, key, before), "to": _json_value(rules, key, value),
                    "canChange": _can_change(rules, key, before, value), "condition": condition,
                    "summary": dict(c.summary.by_lang), "source": c.sources[0] if c.sources else None}
            if key == rules.rate_key and isinstance(value, Rates) and (bound := rate_bound(rules, c, profile, value)) is not None:
                # `to` can be sent back as it is (the rate at the bound, dated the as-of day); the bound itself,
                # what any rate the applicant finds must meet, is `rateBound`
                item.update(rateBound={k: bound[k] for k in ("rateFrom", "rateTo", "operator", "rate")}, canChange="not-given",
                            note=bound["note"])
            items.append(item)
        option: dict[str, Any] = {"changes": items, "verdict": verdict["verdict"]}
        if verdict["needsAssessment"]:
            option["needsAssessment"] = verdict["needsAssessment"]
        gained = [{"benefit": b["benefit"], "label": b["label"], **({"arithmetic": b["arithmetic"]} if "arithmetic" in b else {})}
                  for b in verdict.get("benefit", {}).get("items", []) if b["applies"] == TRUE]
        if gained:
            option["benefitGained"] = gained
        options.append(option)
    order = {"not-given": 0, "yes": 0, "by-waiting": 1, "no": 2}
    options.sort(key=lambda o: (max(order[i["canChange"]] for i in o["changes"]), len(o["changes"])))
    return options[:MAX_OPTIONS]


# ---- the next question ----------------------------------------------------------------------

def _base_key(missing: str) -> str | None:
    """'capital in JPY' -> 'capital'; '(no version …)' -> None (not a fact to ask for)."""
    return None if missing.startswith("(") else missing.split(" in ", 1)[0]


def _stake(rules: Rulebook, programme: Programme, day: dt.date) -> dict[str, Decimal]:
    """Money a programme can bring, per currency: its stated amounts (or their maxima)."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for iri in programme.benefits:
        b = rules.at(day).benefits.get(iri)
        if b is None:
            continue
        value = b.amount.get("value") or b.amount.get("max")
        if isinstance(value, Decimal) and isinstance(b.amount.get("currency"), str):
            out[str(b.amount["currency"])] += value
    return dict(out)


def next_question(engine: Engine, profile: Profile, verdicts: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """The fact not yet given that most undetermined verdicts wait for (ties: how many of them bring
    money, then the key); None when no verdict waits for a fact. A fact that only programmes of one
    jurisdiction wait for gives way to the applicant's country while that is unknown, since the
    country decides those programmes at once. A fact is asked once: not when the applicant said it
    does not know it (profile.unknown), nor when given already (a kind too coarse for a rule, an
    amount in another currency: the answer stands and the verdict says what it lacks)."""
    engine = engine.on(profile)
    unknown = profile.unknown
    rules = engine.rules
    if verdicts is None:
        verdicts = engine.evaluate(dataclasses.replace(profile, explain=False, only_eligible=False, outcomes={}))["verdicts"]
    waiting: dict[str, list[Programme]] = defaultdict(list)
    pairs: set[tuple[str, str]] = set()  # rates that would decide: an amount given in another currency than a threshold's
    for verdict in verdicts:
        if verdict["verdict"] == "undetermined":
            for key in {_base_key(m) for m in verdict["missing"]}:
                if key and key not in unknown and key in rules.profile_properties and key not in profile.facts:
                    waiting[key].append(rules.programmes[verdict["programme"]])
            if (pair := _rates_waited_for(rules, profile, verdict["missing"])) and rules.rate_key and rules.rate_key not in unknown:
                pairs.update(pair)
                waiting[rules.rate_key].append(rules.programmes[verdict["programme"]])
    if not waiting:
        return None
    stakes = {p.iri: _stake(rules, p, profile.as_of) for programmes in waiting.values() for p in programmes}
    key = min(waiting, key=lambda k: (-len(waiting[k]), -sum(1 for p in waiting[k] if stakes[p.iri]), k))
    country = "country"
    if (key != country and profile.facts.get(country) is None and country not in unknown and country in rules.profile_properties
            and len({_country_of(rules, j) for p in waiting[key] for j in p.jurisdictions}) == 1):
        key = country
    out = question(rules, key, waiting.get(key, []), profile, stakes)
    if key == rules.rate_key:
        out["pairs"] = [{"rateFrom": a, "rateTo": b} for a, b in sorted(pairs)]
    return out


def _rates_waited_for(rules: Rulebook, profile: Profile, missing: list[str]) -> set[tuple[str, str]]:
    """The rates (from, to) a verdict waits for: 'capital in CNY' missing while the profile gives the
    capital in JPY, with no JPY → CNY rate, waits for that rate."""
    given = profile.facts.get(rules.rate_key or "") or {}
    out = set()
    for m in missing:
        key, _, currency = m.partition(" in ")
        raw = profile.facts.get(key)
        if currency and isinstance(raw, tuple) and raw[1] != currency and (raw[1], currency) not in given:
            out.add((raw[1], currency))
    return out


def _country_of(rules: Rulebook, place: str) -> str:
    """The outermost place a jurisdiction lies in (cn-jilin -> cn)."""
    outer = [a for a in rules.ancestors.get(place, ()) if a in rules.place_iris and not rules.ancestors.get(a)]
    return outer[0] if outer else place


def question(rules: Rulebook, key: str, programmes: list[Programme], profile: Profile,
             stakes: dict[str, dict[str, Decimal]]) -> dict[str, Any]:
    """One profile property as a question: labels and help in ja and en, its kind, unit and choices,
    how many verdicts wait for it and the money they stand for (`stakes`, per programme)."""
    spec = rules.profile_properties[key]
    stake: dict[str, Decimal] = defaultdict(Decimal)
    for p in programmes:
        for currency, value in stakes.get(p.iri, {}).items():
            stake[currency] += value
    out: dict[str, Any] = {"field": key, "section": spec.section, "label": dict(spec.label.by_lang), "help": dict(spec.help.by_lang),
                           "type": spec.kind, "settles": len(programmes),
                           "atStake": {c: plain_number(v) for c, v in sorted(stake.items())}}
    if spec.kind == "money":
        out["unit"] = "currency"
    elif spec.kind == "exchange-rate":
        out["unit"] = "1 rateFrom = rate rateTo, on rateDate"
    elif spec.kind == "share":
        out["unit"] = "share of 1 (0.25 = 25 %)"
    elif spec.unit == "year":
        out["unit"] = "years"
    if spec.minimum is not None:
        out["minimum"] = float(spec.minimum)
    if spec.maximum is not None:
        out["maximum"] = float(spec.maximum)
    if spec.kind == "concept":
        out["choices"] = choices(rules, spec.scheme or "")
    elif spec.kind == "place":
        out["choices"] = place_choices(rules, key, profile)
    return out


def choices(rules: Rulebook, scheme: str) -> list[dict[str, Any]]:
    """The concepts of a scheme as answers: the notation a profile sends, and the labels."""
    iris = sorted(set(rules.concepts_by_key.get(scheme, {}).values()))
    return [{"value": iri.rsplit("/", 1)[-1], "label": dict(rules.labels[iri].by_lang)} for iri in iris]


def place_choices(rules: Rulebook, key: str, profile: Profile) -> list[dict[str, Any]]:
    """Countries for a country question; for a region, the regions within the known country."""
    notation = {iri: n for n, iri in rules.places.items() if n.upper() == n and "/" not in n}
    coarser = rules.coarser_key.get(key)
    within = profile.facts.get(coarser) if coarser else None
    out = []
    for iri, n in sorted(notation.items(), key=lambda kv: kv[1]):
        is_region = "-" in n
        if (coarser is None and is_region) or (coarser is not None and (not is_region or (within and within not in rules.ancestors.get(iri, ())))):
            continue
        out.append({"value": n, "label": dict(rules.labels[iri].by_lang)})
    return out


# ---- the summary ----------------------------------------------------------------------------

def _amount_of(item: dict[str, Any]) -> tuple[str, Decimal] | None:
    """What one applying benefit is worth in money, where the rules compute it: a reduction's saving,
    a fixed amount once, or per application or grant (the profile describes one filing); 'up to'
    amounts and amounts per country, year or item are left out, since the profile does not say how many."""
    if item.get("applies") != TRUE:
        return None
    if "totalBefore" in item and "totalAfter" in item and item.get("currency"):
        saving = Decimal(item["totalBefore"].replace(",", "")) - Decimal(item["totalAfter"].replace(",", ""))
        return item["currency"], saving
    amount = item.get("amount") or {}
    if "value" in amount and amount.get("currency") and item.get("per") in PER_FILING:
        return amount["currency"], Decimal(amount["value"])
    return None


def summarise(answer: dict[str, Any]) -> dict[str, Any]:
    """Counts by verdict and the computed benefit per currency; the verdicts sorted eligible first,
    then by the money they bring, then by label."""
    counts = Counter(v["verdict"] for v in answer["verdicts"])
    totals: dict[str, Decimal] = defaultdict(Decimal)
    worth: dict[str, Decimal] = {}
    for v in answer["verdicts"]:
        if v["verdict"] != "eligible":
            continue
        for item in v.get("benefit", {}).get("items", []):
            got = _amount_of(item)
            if got:
                totals[got[0]] += got[1]
                worth[v["programme"]] = worth.get(v["programme"], Decimal(0)) + got[1]
    order = {"eligible": 0, "undetermined": 1, "not-eligible": 2}
    answer["verdicts"].sort(key=lambda v: (order[v["verdict"]], -worth.get(v["programme"], Decimal(0)),
                                           v["label"].get("en") or v["label"].get("ja") or v["programme"]))
    return {"eligible": counts["eligible"], "notEligible": counts["not-eligible"], "undetermined": counts["undetermined"],
            "computedBenefit": {c: plain_number(v) for c, v in sorted(totals.items())}}


# ---- combinations ---------------------------------------------------------------------------

def _up_to(item: dict[str, Any]) -> tuple[str, Decimal] | None:
    """The most an applying benefit can bring when the rules give only a range ('up to' an amount).
    A benefit's own ceiling per applicant or year (ipkg:cap) is a limit, reported as one, not money."""
    money = item.get("amount") or {}
    if "max" in money and money.get("currency"):
        return money["currency"], Decimal(money["max"])
    return None


def _cite(sources: list[str]) -> str | None:
    return sources[0] if sources else None


def combine(rules: Rulebook, verdicts: list[dict[str, Any]]) -> dict[str, Any]:
    """The best combination the rules allow of the money that applies to an eligible applicant:
    one-of rules keep the benefit worth most, joint caps cut the total, and every rule that
    constrained the result is listed with its source, as are clawbacks (refunds on fraud) and
    conditions that exclude other funding of the same filing."""
    picked: dict[str, dict[str, Any]] = {}
    for v in verdicts:
        if v["verdict"] != "eligible":
            continue
        for item in v.get("benefit", {}).get("items", []):
            if item["applies"] != TRUE:
                continue
            entry: dict[str, Any] = {"programme": v["programme"], "benefit": item["benefit"], "label": item["label"]}
            if (got := _amount_of(item)) is not None:
                entry["amount"], entry["currency"] = got[1], got[0]
            elif (ceiling := _up_to(item)) is not None:
                entry["upTo"], entry["currency"] = ceiling[1], ceiling[0]
            else:
                continue  # services, information, a bare ceiling: nothing to add up
            if item.get("cap"):
                entry["cap"] = f"{item['cap'].get('max', item['cap'].get('value'))} {item['cap'].get('currency', '')}".strip()
            picked[item["benefit"]] = entry
    worth = lambda e: e.get("amount", e.get("upTo", Decimal(0)))
    constraints: list[dict[str, Any]] = []
    programmes = [rules.programmes[p] for p in dict.fromkeys(e["programme"] for e in picked.values())]
    for programme in programmes:
        for rule in programme.combination_rules:
            hits = [picked[b] for b in rule.benefits if b in picked]
            said = {"rule": rule.iri, "kind": rule.kind, "label": dict(rule.label.by_lang), "statedAs": rule.stated_as,
                    "source": _cite(rule.sources)}
            if rule.kind == "one-of" and len(hits) > 1:
                kept = max(hits, key=worth)
                for e in hits:
                    if e is not kept:
                        del picked[e["benefit"]]
                constraints.append({**said, "kept": kept["benefit"], "dropped": [e["benefit"] for e in hits if e is not kept]})
            elif rule.kind == "joint-cap" and hits and rule.cap is not None:
                cap, currency = rule.cap, rule.cap_currency
                total = sum((e["amount"] for e in hits if "amount" in e and e["currency"] == currency), Decimal(0))
                reach = total + sum((e["upTo"] for e in hits if "upTo" in e and e["currency"] == currency), Decimal(0))
                entry = {**said, "cap": f"{plain_number(cap)} {currency}", "totalOfItsBenefits": f"{plain_number(total)} {currency}",
                         "atMost": f"{plain_number(min(reach, cap))} {currency}"}
                if total > cap:
                    excess = total - cap
                    for e in sorted((e for e in hits if "amount" in e), key=worth):  # the smallest amounts give way first
                        cut = min(excess, e["amount"])
                        e["amount"] -= cut
                        excess -= cut
                    entry["cutBy"] = f"{plain_number(total - cap)} {currency}"
                constraints.append(entry)
        for claw in programme.clawbacks:
            constraints.append({"rule": claw.iri, "kind": "clawback", "label": dict(claw.label.by_lang),
                                "triggeredBy": dict(claw.triggered_by.by_lang), "source": _cite(claw.sources)})
        conditions = rules.tree(programme.requirement) + [c for b in programme.benefits if b in picked
                                                            for c in rules.tree(rules.benefits[b].condition if b in rules.benefits else None)]
        for c in dict.fromkeys(c.iri for c in conditions if c.constrains == "alreadyFunded" and c.boolean is False):
            condition = rules.conditions[c]
            constraints.append({"rule": c, "kind": "not-with-other-funding", "label": dict(condition.summary.by_lang),
                                "source": _cite(condition.sources)})
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for e in picked.values():
        if "amount" in e:
            totals[e["currency"]] += e["amount"]
    return {"benefits": [{**e, **{k: plain_number(e[k]) for k in ("amount", "upTo") if k in e}} for e in picked.values()],
            "total": {c: plain_number(v) for c, v in sorted(totals.items())}, "constraints": constraints}


def answer(engine: Engine, profile: Profile) -> dict[str, Any]:
    """The full answer of POST /api/eligibility: verdicts (with what would make each eligible when
    explanations are asked for), a summary, the best combination when asked for (combine), and,
    when onlyEligible finds nothing, why."""
    engine = engine.on(profile)
    wanted = profile.only_eligible
    every = dataclasses.replace(profile, only_eligible=False, outcomes={})
    out = engine.evaluate(every, keep_outcomes=True)
    if profile.explain:  # the advice reads the outcomes the evaluation just kept on `every`
        for v in out["verdicts"]:
            if v["verdict"] != "eligible":
                v["toBecomeEligible"] = to_become_eligible(engine, engine.rules.programmes[v["programme"]], every)
    out["summary"] = summarise(out)
    everything = out["verdicts"]
    if profile.combine:
        out["combination"] = combine(engine.rules, everything)
    if wanted:
        out["verdicts"] = [v for v in everything if v["verdict"] == "eligible"]
        if not out["verdicts"]:
            waiting = Counter(k for v in everything if v["verdict"] == "undetermined" for m in v["missing"] if (k := _base_key(m)))
            out["noneEligible"] = {
                "reason": (f"no programme is eligible on {profile.as_of.isoformat()}: {out['summary']['notEligible']} are not, "
                           f"{out['summary']['undetermined']} are undetermined"),
                "factsThatWouldDecide": [{"field": k, "settles": n} for k, n in waiting.most_common(5)],
            }
    nxt = next_question(engine, profile, everything)
    out["nextQuestion"] = nxt["field"] if nxt else None
    return out
