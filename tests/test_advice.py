"""Applicant advice on real rules: what would make an applicant eligible, the next question, the summary."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

from ipkg.eligibility import Engine, Rulebook, advice
from ipkg.eligibility.profile import parse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from realistic_profiles import PROFILES, complete

ID = "https://w3id.org/ipkg/id/"
CNIPA = "cnipa-patent-fee-reduction"
INDIVIDUAL = {"kind": "individual", "country": "CN", "annualIncome": {"value": 60001, "currency": "CNY"}, "jointApplicants": 1}
FILING = {"ipRight": "invention-patent", "route": "domestic", "office": "CN", "claims": 15, "pages": 35}


@pytest.fixture(scope="module")
def engine(kg) -> Engine:
    return Engine(Rulebook(kg.store))


def answer(engine: Engine, body: dict) -> dict:
    return advice.answer(engine, parse(body, engine.rules))


def only(engine: Engine, body: dict, programme: str) -> dict:
    verdicts = answer(engine, {**body, "programme": programme})["verdicts"]
    assert len(verdicts) == 1
    return verdicts[0]


def test_income_just_above_the_cnipa_threshold_is_told_the_threshold_and_the_saving(engine):
    v = only(engine, {"applicant": INDIVIDUAL, "filing": FILING, "asOf": "2025-06-01"}, CNIPA)
    assert v["verdict"] == "not-eligible"
    best = v["toBecomeEligible"][0]
    assert best["verdict"] == "eligible"
    [change] = best["changes"]
    # 003:104: an individual's annual income of at most 60,000 yuan
    assert change["field"] == "annualIncome" and change["canChange"] == "yes"
    assert change["from"] == {"value": 60001, "currency": "CNY"} and change["to"] == {"value": 60000, "currency": "CNY"}
    assert change["source"] == ID + "doc/cnipa-fee-guide-2025/line/104"
    single = next(b for b in best["benefitGained"] if b["benefit"].endswith("cnipa-fee-reduction-single"))
    assert "4,400 → 660" in single["arithmetic"]


def test_every_proposal_holds_when_sent_back(engine):
    """Each option, applied to the profile in its JSON form, gives the verdict it promises."""
    checked = 0
    for _name, body in PROFILES[:6]:
        full = complete(body, {c.constrains for c in engine.rules.conditions.values() if c.constrains})
        for v in answer(engine, full)["verdicts"]:
            for option in v.get("toBecomeEligible", []):
                changed = copy.deepcopy(full)
                for c in option["changes"]:
                    section = engine.rules.profile_properties[c["field"]].section
                    changed.setdefault(section, {})[c["field"]] = c["to"]
                again = only(engine, {**changed, "explain": False}, v["programme"].rsplit("/", 1)[-1])
                assert again["verdict"] == option["verdict"], (v["programme"], option)
                checked += 1
    assert checked > 50


def test_facts_the_applicant_cannot_change_are_marked(engine):
    """A large company is told the JPO reduction needs another kind of applicant, which it cannot become
    by choice; a startup too old for startup support cannot get younger."""
    big = {"applicant": {"kind": "large-enterprise", "country": "JP", "employees": 4000, "companyAgeYears": 60,
                         "capital": {"value": 30_000_000_000, "currency": "JPY"}, "controlledByLargeEnterprise": False},
           "filing": {"ipRight": "invention-patent", "office": "JP", "examinationRequestDate": "2025-04-01"}, "asOf": "2025-06-01"}
    v = only(engine, big, "jp-patent-fee-reduction")
    assert v["verdict"] == "not-eligible"
    kinds = [c for o in v["toBecomeEligible"] for c in o["changes"] if c["field"] == "kind"]
    assert kinds and all(c["canChange"] == "no" for c in kinds)
    old = {"applicant": {"kind": "startup", "country": "JP", "companyAgeYears": 12, "employees": 12,
                         "controlledByLargeEnterprise": False}, "asOf": "2025-06-01"}
    verdicts = answer(engine, old)["verdicts"]
    ages = [c for v in verdicts for o in v.get("toBecomeEligible", []) for c in o["changes"] if c["field"] == "companyAgeYears"]
    # 002:2394: fewer than 10 years since the business started
    assert ages and all(c["to"] == 9 and c["canChange"] == "no" for c in ages)


def test_years_in_use_can_be_reached_by_waiting(engine):
    """Anhui's famous-trademark recognition asks for at least 3 years of use: a mark in use for 1 year gets there by waiting."""
    body = {"applicant": {"kind": "enterprise", "country": "CN", "region": "CN-AH", "yearsInUse": 1}, "asOf": "2012-01-01"}
    verdicts = answer(engine, body)["verdicts"]
    waits = [c for v in verdicts if "anhui" in v["programme"] for o in v.get("toBecomeEligible", []) for c in o["changes"]
             if c["field"] == "yearsInUse"]
    assert waits and waits[0]["to"] == 3 and waits[0]["canChange"] == "by-waiting"


def test_the_summary_counts_and_orders_the_verdicts(engine):
    eligible = {**INDIVIDUAL, "annualIncome": {"value": 50000, "currency": "CNY"}}
    out = answer(engine, {"applicant": eligible, "filing": FILING, "asOf": "2025-06-01"})
    s = out["summary"]
    assert s["eligible"] + s["notEligible"] + s["undetermined"] == len(out["verdicts"]) == len(engine.rules.programmes)
    order = [v["verdict"] for v in out["verdicts"]]
    assert order == sorted(order, key=["eligible", "undetermined", "not-eligible"].index)
    # the CNIPA reduction saves 5,400 − 1,660 = 3,740 yuan (test_eligibility.py has the arithmetic)
    alone = answer(engine, {"applicant": eligible, "filing": FILING, "asOf": "2025-06-01", "programme": CNIPA})
    assert alone["summary"]["computedBenefit"] == {"CNY": "3740"}
    assert float(s["computedBenefit"]["CNY"]) >= 3740


def test_only_eligible_with_no_hit_says_why(engine):
    out = answer(engine, {"applicant": INDIVIDUAL, "filing": FILING, "programme": CNIPA, "onlyEligible": True})
    assert out["verdicts"] == []
    assert out["noneEligible"]["reason"].startswith("no programme is eligible")
    undecided = answer(engine, {"applicant": {}, "onlyEligible": True, "jurisdiction": "CN-JL"})
    if not undecided["verdicts"]:
        assert undecided["noneEligible"]["factsThatWouldDecide"]


def test_next_question_from_nothing_asks_what_most_verdicts_wait_for(engine):
    q = advice.next_question(engine, parse({"applicant": {}, "asOf": "2025-06-01"}, engine.rules))
    assert q["field"] == "kind" and q["type"] == "concept" and q["section"] == "applicant"
    assert q["label"] == {"en": "applicant kind", "ja": "出願人の種類"}
    values = {c["value"] for c in q["choices"]}
    assert {"small-enterprise", "large-enterprise", "individual", "university"} <= values
    assert q["settles"] > 50


def test_next_question_skips_what_the_applicant_does_not_know_or_already_said(engine):
    first = advice.next_question(engine, parse({"applicant": {}, "unknown": ["kind"]}, engine.rules))
    assert first["field"] != "kind"
    given = advice.next_question(engine, parse({"applicant": {"kind": "enterprise"}}, engine.rules))
    assert given["field"] != "kind"  # too coarse for some rules, but answered: the verdicts say what it lacks


def test_a_fact_only_one_country_asks_for_waits_for_the_country(engine):
    """A Chinese high-tech enterprise's provincial funds wait for its region, which only Chinese
    programmes ask about: the country is asked first (it decides them all); once it is CN, the region."""
    rules = engine.rules
    body = {"applicant": {"kind": "high-tech-enterprise"}, "filing": {"office": "CN"}, "unknown": ["ipRight", "route", "status"]}
    assert advice.next_question(engine, parse(body, rules))["field"] == "country"
    body["applicant"]["country"] = "CN"
    q = advice.next_question(engine, parse(body, rules))
    assert q["field"] == "region"
    assert {c["value"] for c in q["choices"]} >= {"CN-JL", "CN-HN", "CN-CQ"}  # regions within the known country
    assert not any(c["value"].startswith("JP-") for c in q["choices"])
    body["applicant"].pop("country")
    waiting = {advice._country_of(rules, j) for v in engine.evaluate(parse(body, rules))["verdicts"]
               if "region" in v["missing"] for j in rules.programmes[v["programme"]].jurisdictions}
    assert waiting == {ID + "place/cn"}


def test_a_complete_profile_leaves_nothing_to_ask(engine):
    keys = {c.constrains for c in engine.rules.conditions.values() if c.constrains}
    name, body = PROFILES[0]
    assert advice.next_question(engine, parse(complete(body, keys), engine.rules)) is None, name


def test_next_question_over_http(client):
    r = client.post("/api/eligibility/next-question", json={"applicant": {"kind": "small-enterprise", "country": "JP"}})
    assert r.status_code == 200
    q = r.get_json()["question"]
    assert q["field"] not in ("kind", "country") and q["label"]["ja"] and q["label"]["en"]
    assert client.post("/api/eligibility/next-question", data="x", content_type="text/plain").status_code == 415
    bad = client.post("/api/eligibility/next-question", json={"applicant": {}, "unknown": ["notAField"]})
    assert bad.status_code == 400 and "unknown" in " ".join(bad.get_json()["problems"])
    full = client.post("/api/eligibility", json={"applicant": {"kind": "individual", "country": "CN"}}).get_json()
    assert set(full["summary"]) == {"eligible", "notEligible", "undetermined", "computedBenefit"}
    assert full["nextQuestion"]


def test_combination_of_the_cnipa_reduction_is_its_saving(engine):
    eligible = {**INDIVIDUAL, "annualIncome": {"value": 50000, "currency": "CNY"}}
    c = answer(engine, {"applicant": eligible, "filing": FILING, "asOf": "2025-06-01", "combine": True})["combination"]
    assert c["total"] == {"CNY": "3740"}
    assert [b["benefit"].rsplit("/", 1)[-1] for b in c["benefits"]] == ["cnipa-fee-reduction-single"]


def test_tianjin_combination_names_its_ceiling_and_clawbacks(engine):
    """Tianjin art. 5: 毎年獲得する資金助成の総額は通常 100 万円(yuan)を超えない; art. 15-16: refunds."""
    body = {"applicant": {"kind": "enterprise", "country": "CN", "region": "CN-TJ", "alreadyFunded": False,
                          "hasOwnershipDispute": False, "usedPatentAgency": True, "filedElectronically": True},
            "filing": {"ipRight": "invention-patent", "route": "domestic", "status": "granted"},
            "asOf": "2013-06-01", "programme": "tianjin-patent-funding", "combine": True}
    c = answer(engine, body)["combination"]
    cap = next(k for k in c["constraints"] if k["rule"].endswith("combination-rule/tianjin-total-per-applicant"))
    assert cap["kind"] == "joint-cap" and cap["cap"] == "1000000 CNY" and "100 万円" in cap["statedAs"]
    assert cap["source"] == ID + "instrument/tianjin-patent-funding-measures/art/5"
    reach = sum(float(b.get("upTo", b.get("amount", 0))) for b in c["benefits"])
    assert cap["atMost"] == f"{min(reach, 1_000_000):.0f} CNY"
    assert any(k["kind"] == "clawback" and k["rule"].endswith("sanction/tianjin-funding-abnormal-filing-refund") for k in c["constraints"])


def _verdict(programme: str, items: list[tuple[str, int]]) -> dict:
    return {"programme": ID + f"programme/{programme}", "verdict": "eligible", "label": {"en": programme},
            "benefit": {"items": [{"benefit": ID + f"benefit/{b}", "label": {"en": b}, "applies": "true",
                                   "amount": {"value": str(v), "currency": "CNY"}} for b, v in items]}}


def test_one_of_keeps_the_benefit_worth_most(engine):
    """Key and general funding of the same invention are not both paid (Tianjin art. 5): the larger is kept."""
    verdicts = [_verdict("tianjin-patent-funding", [("tianjin-funding-invention-domestic-key-organisation", 1500),
                                                    ("tianjin-funding-invention-domestic-organisation", 1000)])]
    c = advice.combine(engine.rules, verdicts)
    assert [b["benefit"].rsplit("/", 1)[-1] for b in c["benefits"]] == ["tianjin-funding-invention-domestic-key-organisation"]
    assert c["total"] == {"CNY": "1500"}
    rule = next(k for k in c["constraints"] if k["kind"] == "one-of")
    assert rule["dropped"] == [ID + "benefit/tianjin-funding-invention-domestic-organisation"]
    assert rule["statedAs"] == "資金助成の内容が同一である場合は重複して支給しない"


def test_a_joint_cap_cuts_the_total(engine):
    verdicts = [_verdict("tianjin-patent-funding", [("tianjin-funding-pilot-model-projects", 800_000),
                                                    ("tianjin-funding-information-platform-projects", 700_000)])]
    c = advice.combine(engine.rules, verdicts)
    assert c["total"] == {"CNY": "1000000"}
    cap = next(k for k in c["constraints"] if k["kind"] == "joint-cap")
    assert cap["cutBy"] == "500000 CNY" and cap["totalOfItsBenefits"] == "1500000 CNY"


def test_combine_over_http(client):
    body = {"applicant": {"kind": "individual", "country": "CN", "annualIncome": {"value": 50000, "currency": "CNY"},
                          "jointApplicants": 1}, "filing": FILING, "combine": True, "asOf": "2025-06-01"}
    out = client.post("/api/eligibility", json=body).get_json()
    assert out["combination"]["total"]["CNY"] == out["summary"]["computedBenefit"]["CNY"]
    assert "combination" not in client.post("/api/eligibility", json={**body, "combine": False}).get_json()


def test_the_combination_rules_of_the_sources(kg):
    """Tianjin art. 5 (key or general funding, twice; the yearly ceiling) and Hunan art. 6 (per foreign patent)."""
    rows = kg.rows("""SELECT ?r ?kind ?src (COUNT(?b) AS ?n) WHERE { ?p ipkg:hasCombinationRule ?r .
        ?r ipkg:combinationKind/skos:notation ?kind ; prov:wasDerivedFrom ?src ; ipkg:combines ?b } GROUP BY ?r ?kind ?src""")
    got = {(r["r"].rsplit("/", 1)[-1], r["kind"], r["src"].rsplit("/instrument/", 1)[-1], r["n"]) for r in rows}
    assert got == {("tianjin-invention-key-or-general", "one-of", "tianjin-patent-funding-measures/art/5", 2),
                   ("tianjin-utility-model-key-or-general", "one-of", "tianjin-patent-funding-measures/art/5", 2),
                   ("tianjin-total-per-applicant", "joint-cap", "tianjin-patent-funding-measures/art/5", 16),
                   ("hunan-foreign-patent-total", "joint-cap", "hunan-patent-funding-measures/art/6", 2)}
