"""Rule-base checks: what SHACL cannot see because it needs the engine's reading of the rules.

SHACL checks each resource's shape; these checks read the rules the way the engine does and find
rules that are well formed but cannot work: a condition on a fact the profile cannot state, a date
on which no version of a dated condition is in force, tiers that give one applicant two rates for
the same fee, a benefit no profile reaches, a worked example that does not give its verdict. The
build runs them on the validated dataset and stops on any error (warnings are reported).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass

from ..store import Store
from .engine import Engine
from .kinds import TRUE
from .profile import Profile, fields
from .rules import Condition, Programme, Rulebook


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" stops the build; "warning" is reported
    check: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: [{self.check}] <{self.subject}>: {self.message}"


def _unknown_profile_keys(rules: Rulebook) -> list[Finding]:
    applicant, filing = fields(rules)
    offered = set(applicant) | set(filing)
    return [Finding("error", "profile-property", c.iri, f"constrains {c.constrains!r}, which no applicant profile can state")
            for c in rules.conditions.values() if c.kind == "AtomicCondition" and c.constrains not in offered]


def _version_gaps(rules: Rulebook) -> list[Finding]:
    """A composite whose operands are all dated versions must have one in force on every day between
    the first version's start and the last one's end."""
    out = []
    for c in rules.conditions.values():
        dated = [rules.conditions[o] for o in c.operands if o in rules.conditions]
        if len(dated) < 2 or not all(o.valid_from or o.valid_until for o in dated):
            continue
        edges = sorted({d for o in dated for d in (o.valid_from, o.valid_until) if d})
        days = {d + dt.timedelta(days=k) for d in edges for k in (-1, 0, 1)}
        start = min((o.valid_from for o in dated if o.valid_from), default=edges[0])
        end = max((o.valid_until for o in dated if o.valid_until), default=edges[-1])
        if any(o.valid_until is None for o in dated):
            end = max(edges)
        for day in sorted(d for d in days if start <= d <= end):
            if not any(o.in_force(day) for o in dated):
                out.append(Finding("error", "version-gap", c.iri, f"no version of its operands is in force on {day.isoformat()}"))
                break
    return out


def _sample_values(rules: Rulebook, conditions: list[Condition]) -> dict[str, list[object]]:
    """For each profile key the conditions test, the values at and around their thresholds
    (profile facts: concept IRIs, booleans, dates, numbers, (amount, currency) pairs)."""
    values: dict[str, list[object]] = {}
    for c in conditions:
        if c.kind != "AtomicCondition" or not c.constrains:
            continue
        bucket = values.setdefault(c.constrains, [])
        if c.concept_values:
            bucket += [v for v in c.concept_values if v not in bucket]
            # a place within a named one too: "in Fujian but not in Xiamen" is met only by a finer place
            within = sorted(p for p in rules.place_iris if any(v in rules.ancestors.get(p, ()) for v in c.concept_values))
            bucket += [p for p in within[:2] if p not in bucket]
        elif c.boolean is not None:
            bucket += [b for b in (True, False) if b not in bucket]
        elif c.date_threshold is not None:
            bucket += [c.date_threshold + dt.timedelta(days=k) for k in (-1, 0)]
        elif c.threshold is not None:
            amounts = [c.threshold - 1, c.threshold, c.threshold + 1]
            bucket += [(a, c.unit_notation) for a in amounts] if c.unit_is_currency else amounts
    return values


def _tiers(engine: Engine, day: dt.date, profiles: dict[str, list[Profile]]) -> list[Finding]:
    """Two fee reductions of one programme that both apply, at different rates, to one profile and one fee."""
    rules, out = engine.rules, []
    for iri, programme in sorted(rules.programmes.items()):
        reductions = [rules.benefits[b] for b in programme.benefits if b in rules.benefits
                      and rules.benefits[b].kind == "FeeReduction" and rules.benefits[b].rate is not None]
        pairs = [(a, b) for a, b in itertools.combinations(reductions, 2)
                 if a.rate != b.rate and (set(a.fees) & set(b.fees) or not (a.fees or b.fees))]
        for a, b in pairs:
            for profile in profiles.get(iri, []):
                hits = [engine.benefit(x, profile) for x in (a, b)]
                if all(h is not None and h["applies"] == TRUE for h in hits):
                    out.append(Finding("error", "overlapping-tiers", iri,
                                       f"<{a.iri}> ({a.rate}) and <{b.iri}> ({b.rate}) both apply to one applicant"))
                    break
    return out


def _values(rules: Rulebook, programme: Programme) -> dict[str, list[object]]:
    """The values a programme's own conditions, its benefits' conditions and their dimensions test."""
    conditions = rules.tree(programme.requirement)
    for b in programme.benefits:
        if b in rules.benefits:
            conditions += rules.tree(rules.benefits[b].condition)
    values = _sample_values(rules, conditions)
    for b in programme.benefits:
        for key, concepts in (rules.benefits[b].dims.items() if b in rules.benefits else ()):
            values.setdefault(key, []).extend(c for c in concepts if c not in values[key])
    return values


def _draw(values: dict[str, list[object]], day: dt.date, seed: str, limit: int) -> list[Profile]:
    """Every combination when there are at most `limit`, else `limit` combinations drawn with a
    generator seeded by `seed` (the same on every build, and varying every key, where the first
    `limit` of the product would vary only the last few)."""
    keys = sorted(values)
    if math.prod(len(values[k]) for k in keys) <= limit:
        combos: Iterable[tuple[object, ...]] = itertools.product(*(values[k] for k in keys))
    else:
        draw = random.Random(seed)
        combos = [tuple(draw.choice(values[k]) for k in keys) for _ in range(limit)]
    return [Profile(facts=dict(zip(keys, combo)), as_of=day, explain=False) for combo in combos]


def _profiles(engine: Engine, day: dt.date, limit: int = 400) -> dict[str, list[Profile]]:
    """Per programme, profiles built from the values its rules test: small, and aimed at the rules' edges."""
    return {iri: _draw(_values(engine.rules, programme), day, iri, limit) for iri, programme in engine.rules.programmes.items()}


def _unreachable_benefits(engine: Engine, profiles: dict[str, list[Profile]], limit: int = 200) -> list[Finding]:
    """A benefit no sampled profile that its programme admits receives; before it is reported, a
    second sample with the benefit's own dimensions (kind, right, route, …) held at its values."""
    rules, out = engine.rules, []
    for iri, programme in sorted(rules.programmes.items()):
        candidates = [p for p in profiles.get(iri, []) if engine.verdict(programme, p)["verdict"] != "not-eligible"]
        for b in programme.benefits:
            benefit = rules.benefits.get(b)
            if (benefit is None or not (benefit.dims or benefit.condition) or not candidates
                    or b not in engine.at(candidates[0].as_of).rules.benefits):
                continue
            if any(engine.benefit(benefit, p) is not None for p in candidates):
                continue
            pinned: dict[str, list[object]] = {**_values(rules, programme), **{k: list(v[:1]) for k, v in benefit.dims.items()}}
            again = [p for p in _draw(pinned, candidates[0].as_of, b, limit) if engine.verdict(programme, p)["verdict"] != "not-eligible"]
            if not any(engine.benefit(benefit, p) is not None for p in again):
                out.append(Finding("warning", "unreachable-benefit", b,
                                   f"no sampled profile that {iri.rsplit('/', 1)[-1]} admits receives it"))
    return out


def _examples(engine: Engine, store: Store) -> list[Finding]:
    from . import examples

    return [Finding("error", "worked-example", r.example.iri, "; ".join(r.problems))
            for r in (examples.run(engine, ex) for ex in examples.load(store)) if not r.passed]


def check(store: Store, day: dt.date | None = None) -> list[Finding]:
    """Every finding of the rule base read from `store` (errors first)."""
    rules = Rulebook(store)
    engine = Engine(rules)
    day = day or dt.date.today()
    profiles = _profiles(engine, day)
    findings = (_unknown_profile_keys(rules) + _version_gaps(rules) + _tiers(engine, day, profiles)
                + _unreachable_benefits(engine, profiles) + _examples(engine, store))
    return sorted(findings, key=lambda f: (f.severity != "error", f.check, f.subject))

