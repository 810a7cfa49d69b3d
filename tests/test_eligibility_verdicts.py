"""Fixed profiles and the worked examples give the verdicts recorded in tests/data/eligibility-verdicts.tsv.

The record was written by the engine before it was compiled for speed (issue 15), and the compiled
engine gives the same verdicts and the same one-line reasons (each kept as a digest of its text) for
the README's example and every complete realistic profile of bench/realistic_profiles.py, against
every programme, and the same verdict for every worked example of the graph. No timing is measured
here (speed is bench/eligibility.py's); this holds the answers still while the engine changes.

After a deliberate change of the rules or of the profiles, write the record again and read its diff:
    IPKG_WRITE_VERDICTS=1 python -m pytest tests/test_eligibility_verdicts.py
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from ipkg.eligibility import Engine, Rulebook
from ipkg.eligibility import examples as worked
from ipkg.eligibility.profile import parse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from realistic_profiles import PROFILES, complete

RECORD = Path(__file__).parent / "data" / "eligibility-verdicts.tsv"
README_EXAMPLE = {  # the README's example (as bench/eligibility.py), against every programme
    "applicant": {"kind": "individual", "country": "CN", "annualIncome": {"value": 50000, "currency": "CNY"}, "jointApplicants": 1},
    "filing": {"ipRight": "invention-patent", "route": "domestic", "office": "CN", "claims": 15, "pages": 35},
    "asOf": "2025-06-01",
}


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@pytest.fixture(scope="module")
def lines(kg) -> list[str]:
    """One line per (profile, programme) and per worked example: what is compared with the record."""
    engine = Engine(Rulebook(kg.store))
    keys = {c.constrains for c in engine.rules.conditions.values() if c.constrains}
    out = []
    for name, body in [("README example", README_EXAMPLE), *((n, complete(b, keys)) for n, b in PROFILES)]:
        explained = engine.evaluate(parse(body, engine.rules))["verdicts"]
        batch = engine.evaluate(parse({**body, "explain": False}, engine.rules))["verdicts"]
        assert [(v["verdict"], v["reason"]) for v in batch] == [(v["verdict"], v["reason"]) for v in explained]  # the batch mode decides the same
        for v in explained:
            out.append(f"profile\t{name}\t{_slug(v['programme'])}\t{v['verdict']}\t{_digest(v['reason'])}")
    for result in sorted((worked.run(engine, ex) for ex in worked.load(kg.store)), key=lambda r: r.example.iri):
        out.append(f"example\t{_slug(result.example.iri)}\t{_slug(result.example.programme)}\t{result.verdict}\t{_digest(result.reason)}")
    return out


def test_the_fixed_profiles_and_worked_examples_give_the_recorded_verdicts(lines):
    if os.environ.get("IPKG_WRITE_VERDICTS"):
        RECORD.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    recorded = RECORD.read_text(encoding="utf-8").splitlines()
    expected = {tuple(line.split("\t")[:3]): line for line in recorded}
    actual = {tuple(line.split("\t")[:3]): line for line in lines}
    assert sorted(set(expected) ^ set(actual)) == []  # the same profiles, programmes and examples
    changed = [f"{actual[k]}  (recorded: {expected[k].split(chr(9), 3)[3]})" for k in sorted(actual) if actual[k] != expected[k]]
    assert changed == []


def test_the_record_covers_every_programme_for_every_profile(lines, kg):
    programmes = {_slug(p) for p in Rulebook(kg.store).programmes}
    profiles = {line.split("\t")[1] for line in lines if line.startswith("profile\t")}
    assert len(profiles) == 1 + len(PROFILES)
    for name in profiles:
        assert {line.split("\t")[2] for line in lines if line.startswith(f"profile\t{name}\t")} == programmes
    assert sum(1 for line in lines if line.startswith("example\t")) >= 100
