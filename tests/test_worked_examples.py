"""Every programme has an eligibility model, and the worked examples of the graph (the sources' own
test cases, ipkg:WorkedExample) give the verdicts they state, each re-run against the engine.

Like pySHACL's conformance runner, the whole set is compared at once and every mismatch is listed.
"""

from __future__ import annotations

from collections import Counter

import pytest

from ipkg.eligibility import Engine, Rulebook
from ipkg.eligibility import examples as worked


@pytest.fixture(scope="session")
def engine(kg) -> Engine:
    return Engine(Rulebook(kg.store))


@pytest.fixture(scope="session")
def results(kg, engine):
    return [worked.run(engine, ex) for ex in worked.load(kg.store)]


def model_kind(engine: Engine, programme) -> str:
    c = engine.rules.conditions.get(programme.requirement or "")
    return c.kind if c is not None else "(none)"


def test_every_programme_has_an_eligibility_model(engine):
    missing = sorted(iri for iri, p in engine.rules.programmes.items() if p.requirement not in engine.rules.conditions)
    assert missing == []
    kinds = Counter(model_kind(engine, p) for p in engine.rules.programmes.values())
    assert set(kinds) <= {"AllOf", "AnyOf", "AtomicCondition", "JudgementCondition", "OpenToAll", "ContestedCondition", "Not"}
    assert kinds["OpenToAll"] >= 10  # J-PlatPat, the INPIT databases, consultation desks ... (004)


def test_every_worked_example_gives_the_verdict_the_source_states(results):
    assert len(results) >= 100
    failures = [f"{r.example.iri}: {'; '.join(r.problems)}" for r in results if not r.passed]
    assert failures == []


def test_every_programme_has_a_positive_and_a_negative_worked_example(engine, results):
    best: dict[str, set[str]] = {}
    for r in results:
        best.setdefault(r.example.programme, set()).add(r.example.expected)
    no_positive, no_negative = [], []
    for iri, programme in sorted(engine.rules.programmes.items()):
        seen = best.get(iri, set())
        if not seen & {"eligible", "undetermined"}:
            no_positive.append(iri)
        if "not-eligible" not in seen and model_kind(engine, programme) != "OpenToAll":
            no_negative.append(iri)
    assert no_positive == []
    assert no_negative == []


def test_worked_examples_cite_the_lines_they_illustrate(results):
    assert [r.example.iri for r in results if not r.example.sources] == []


def test_a_worked_example_is_dereferenceable_with_its_profile(client, results):
    iri = results[0].example.iri
    path = iri.split("https://w3id.org/ipkg", 1)[1]
    answer = client.get(path + ".ttl")
    assert answer.status_code == 200
    assert b"ipkg:exampleProfile" in answer.data and b"ipkg:expectedVerdict" in answer.data
