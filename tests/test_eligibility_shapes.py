"""Property-based cross-check: the engine's determinate verdicts agree with pySHACL on the exported shapes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import Graph, URIRef

from ipkg.eligibility import Engine, Rulebook
from ipkg.eligibility.profile import Profile, fields
from ipkg.eligibility.rdf import SHAPES, export_shapes, hierarchy_graph, profile_from_graph, profile_graph
from ipkg.namespaces import IPKG, SH

DAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def engine(kg) -> Engine:
    return Engine(Rulebook(kg.store))


@pytest.fixture(scope="module")
def shapes(engine) -> Graph:
    return export_shapes(engine.rules, DAY)


@pytest.fixture(scope="module")
def hierarchy(engine) -> Graph:
    return hierarchy_graph(engine.rules)


def _strategy(engine: Engine):
    rules = engine.rules
    applicant, filing = fields(rules)
    fields_ = {**applicant, **filing}
    thresholds: dict[str, set[Decimal]] = {}
    for c in rules.conditions.values():
        if c.constrains and c.threshold is not None:
            thresholds.setdefault(c.constrains, set()).add(c.threshold)
    days: dict[str, set[dt.date]] = {}
    for c in rules.conditions.values():
        if c.constrains and c.date_threshold is not None:
            days.setdefault(c.constrains, set()).update(c.date_threshold + dt.timedelta(days=k) for k in (-1, 0, 1))
    used = sorted({c.constrains for c in rules.conditions.values() if c.constrains in fields_})

    def value(key: str):
        what = fields_[key][1]
        if what == "date":
            return st.sampled_from(sorted(days.get(key, {DAY})))
        if what.startswith("concept:"):
            return st.sampled_from(sorted(set(rules.concepts_by_key[what.split(":", 1)[1]].values())))
        if what == "place":
            return st.sampled_from(sorted(set(rules.places.values())))
        if what == "boolean":
            return st.booleans()
        near = sorted(thresholds.get(key, {Decimal(1)}))
        number = st.one_of(st.sampled_from(near), st.sampled_from(near).map(lambda t: t + 1),
                           st.sampled_from(near).map(lambda t: max(Decimal(0), t - 1)),
                           st.integers(0, 10**7).map(Decimal))
        if what == "money":
            return st.tuples(number, st.sampled_from(["CNY", "CNY", "CNY", "JPY"]))
        if key.endswith("Share"):
            return st.integers(0, 100).map(lambda n: Decimal(n) / 100)
        return number

    return st.fixed_dictionaries({}, optional={key: value(key) for key in used})


def test_every_programme_with_a_requirement_has_a_shape(engine, shapes):
    with_requirement = [p for p in engine.rules.programmes.values() if p.requirement]
    exported = set(shapes.subjects(SH.targetClass, IPKG.ApplicantProfile))
    assert len(exported) == len(with_requirement) >= 1


def test_profile_round_trips_through_rdf(engine):
    facts = {"kind": "https://w3id.org/ipkg/id/concept/applicant-kind/individual",
             "annualIncome": (Decimal(50000), "CNY"), "claims": Decimal(15)}
    back = profile_from_graph(profile_graph(Profile(facts=facts), engine.rules), engine.rules)
    assert back.facts == facts


def test_engine_and_shacl_agree_on_generated_profiles(engine, shapes, hierarchy):
    checked = {"eligible": 0, "not-eligible": 0}

    cnipa_individual = {"kind": "https://w3id.org/ipkg/id/concept/applicant-kind/individual",
                        "annualIncome": (Decimal(50000), "CNY"), "jointApplicants": Decimal(1)}

    @settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(_strategy(engine))
    @example(cnipa_individual)  # a known eligible profile, so both verdicts are always compared
    def check(facts):
        profile = Profile(facts=facts, as_of=DAY)
        verdicts = {v["programme"]: v["verdict"] for v in engine.evaluate(profile)["verdicts"]}
        data = profile_graph(profile, engine.rules) + hierarchy
        _ok, report, _text = validate(data, shacl_graph=shapes, inference="none")
        failing = {str(s).rsplit("/", 1)[-1] for s in report.objects(None, SH.sourceShape)
                   if str(s).startswith(SHAPES)}
        for programme, verdict in verdicts.items():
            name = programme.rsplit("/", 1)[-1]
            if (URIRef(SHAPES + name), None, None) not in shapes or verdict == "undetermined":
                continue
            checked[verdict] += 1
            assert (name not in failing) == (verdict == "eligible"), (name, verdict, facts)

    check()
    assert checked["eligible"] > 0 and checked["not-eligible"] > 0, checked


def test_a_programme_out_of_force_exports_a_shape_nothing_conforms_to(engine):
    """Regression (found by bench/eligibility.py): Tianjin's funding ended in 2015, so no profile may conform in 2025."""
    shapes = export_shapes(engine.rules, DAY)
    profile = Profile(facts={"kind": "https://w3id.org/ipkg/id/concept/applicant-kind/enterprise",
                             "region": "https://w3id.org/ipkg/id/place/cn-tianjin"}, as_of=DAY)
    verdict = next(v for v in engine.evaluate(profile)["verdicts"] if v["programme"].endswith("/tianjin-patent-funding"))
    assert verdict["verdict"] == "not-eligible"
    _ok, report, _text = validate(profile_graph(profile, engine.rules), shacl_graph=shapes, inference="none")
    failing = {str(s) for s in report.objects(None, SH.sourceShape)}
    assert SHAPES + "tianjin-patent-funding" in failing
