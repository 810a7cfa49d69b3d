"""The eligibility engine on real rules: verdicts, explanations with citations, computed benefits, bad profiles."""

from __future__ import annotations

import json

import pytest

from ipkg.cli import main as cli
from ipkg.eligibility import Engine, ProfileError, Rulebook
from ipkg.eligibility.profile import parse

ID = "https://w3id.org/ipkg/id/"
CNIPA = ID + "programme/cnipa-patent-fee-reduction"


@pytest.fixture(scope="session")
def engine(kg) -> Engine:
    return Engine(Rulebook(kg.store))


def verdict_for(engine: Engine, body: dict, programme: str) -> dict:
    answer = engine.evaluate(parse({**body, "programme": programme}, engine.rules))
    assert len(answer["verdicts"]) == 1
    return answer["verdicts"][0]


INDIVIDUAL = {"kind": "individual", "country": "CN", "annualIncome": {"value": 50000, "currency": "CNY"}, "jointApplicants": 1}
FILING = {"ipRight": "invention-patent", "route": "domestic", "office": "CN", "claims": 15, "pages": 35}


def test_low_income_individual_is_eligible_for_cnipa_reduction_with_fees_computed(engine):
    v = verdict_for(engine, {"applicant": INDIVIDUAL, "filing": FILING, "asOf": "2025-06-01"}, CNIPA)
    assert v["verdict"] == "eligible"
    income = next(c for c in v["conditions"] if c["condition"].endswith("cnipa-reduction-individual-income"))
    assert income["outcome"] == "true" and income["threshold"] == "60000" and income["unit"] == "CNY"
    assert income["source"] == ID + "doc/cnipa-fee-guide-2025/line/104"
    single = next(b for b in v["benefit"]["items"] if b["benefit"].endswith("cnipa-fee-reduction-single"))
    assert single["rate"] == "0.85"
    reduced = {r["fee"].rsplit("/", 1)[-1]: r for r in single["reducedFees"]}
    assert reduced["cn-application-invention"]["arithmetic"] == "900 × (1 − 0.85) = 135 CNY"
    assert reduced["cn-examination-invention"]["after"] == "375"
    # 15 claims: 5 beyond ten at 150; 35 pages: 5 beyond thirty at 50 — neither is reducible
    extra = {e["fee"].rsplit("/", 1)[-1]: e for e in single["notReduced"]}
    assert sorted(e["amount"] for e in extra.values()) == ["250", "750"]
    # listed fees: application 900 + examination 2500 + re-examination 1000, plus 1000 unreduced claim/page fees
    assert single["totalBefore"] == "5,400" and single["totalAfter"] == "1,660"


def test_income_above_the_threshold_is_not_eligible(engine):
    rich = {**INDIVIDUAL, "annualIncome": {"value": 60001, "currency": "CNY"}}
    v = verdict_for(engine, {"applicant": rich, "filing": FILING}, CNIPA)
    assert v["verdict"] == "not-eligible"
    assert "benefit" not in v


def test_income_at_the_threshold_is_eligible(engine):
    edge = {**INDIVIDUAL, "annualIncome": {"value": 60000, "currency": "CNY"}}
    assert verdict_for(engine, {"applicant": edge, "filing": {"office": "CN"}}, CNIPA)["verdict"] == "eligible"


def test_missing_income_makes_it_undetermined_and_says_what_is_missing(engine):
    v = verdict_for(engine, {"applicant": {"kind": "individual"}}, CNIPA)
    assert v["verdict"] == "undetermined"
    assert "annualIncome" in v["missing"]


def test_small_enterprise_by_previous_year_taxable_income(engine):
    firm = {"kind": "small-enterprise", "previousYearTaxableIncome": {"value": 1_000_000, "currency": "CNY"}}
    assert verdict_for(engine, {"applicant": firm, "filing": {"office": "CN"}}, CNIPA)["verdict"] == "eligible"
    big = {"kind": "small-enterprise", "previousYearTaxableIncome": {"value": 1_000_001, "currency": "CNY"}}
    assert verdict_for(engine, {"applicant": big}, CNIPA)["verdict"] == "not-eligible"


def test_a_micro_enterprise_counts_as_a_small_enterprise_via_skos_broader(engine):
    micro = {"kind": "micro-enterprise", "previousYearTaxableIncome": {"value": 10, "currency": "CNY"}}
    assert verdict_for(engine, {"applicant": micro, "filing": {"office": "CN"}}, CNIPA)["verdict"] == "eligible"


def test_the_cnipa_reduction_is_for_filings_at_cnipa(engine):
    """The reduced fees are CNIPA's (003:13, 003:93): a qualifying applicant who files at the JPO is not eligible, and
    an applicant who gives no office is undetermined until the office is known."""
    at_jpo = verdict_for(engine, {"applicant": INDIVIDUAL, "filing": {**FILING, "office": "JP"}, "asOf": "2025-06-01"}, CNIPA)
    assert at_jpo["verdict"] == "not-eligible" and "cnipa-fee-guide-2025:13" in at_jpo["reason"]
    unknown = verdict_for(engine, {"applicant": INDIVIDUAL, "asOf": "2025-06-01"}, CNIPA)
    assert unknown["verdict"] == "undetermined" and "office" in unknown["missing"]


def test_a_less_specific_kind_is_undetermined_not_false(engine):
    v = verdict_for(engine, {"applicant": {"kind": "enterprise", "previousYearTaxableIncome": {"value": 10, "currency": "CNY"}}}, CNIPA)
    assert v["verdict"] == "undetermined" and "kind" in v["missing"]


def test_amount_in_another_currency_is_not_converted(engine):
    yen = {**INDIVIDUAL, "annualIncome": {"value": 100, "currency": "JPY"}}
    v = verdict_for(engine, {"applicant": yen}, CNIPA)
    assert v["verdict"] == "undetermined"
    assert "annualIncome in CNY" in v["missing"]


def test_joint_applicants_tier_needs_an_assessment(engine):
    joint = {**INDIVIDUAL, "jointApplicants": 2}
    v = verdict_for(engine, {"applicant": joint, "filing": FILING}, CNIPA)
    assert v["verdict"] == "eligible"
    items = {b["benefit"].rsplit("/", 1)[-1]: b for b in v["benefit"]["items"]}
    assert "cnipa-fee-reduction-single" not in items
    assert items["cnipa-fee-reduction-joint"]["applies"] == "unknown"
    assert items["cnipa-fee-reduction-joint"]["rate"] == "0.75"


def test_annual_fee_reduction_for_a_given_year(engine):
    v = verdict_for(engine, {"applicant": INDIVIDUAL, "filing": {"ipRight": "utility-model", "annuityYear": 9}}, CNIPA)
    single = next(b for b in v["benefit"]["items"] if b["benefit"].endswith("single"))
    reduced = {r["fee"].rsplit("/", 1)[-1]: r for r in single["reducedFees"]}
    assert reduced["cn-annual-utility-model-years-9-10"]["before"] == "2000"
    assert reduced["cn-annual-utility-model-years-9-10"]["after"] == "300"


@pytest.mark.parametrize("body, needle", [
    ({"applicant": {"kind": "robot"}}, "applicant/kind: 'robot' is not a known applicant-kind"),
    ({"applicant": {"employees": -1}}, "applicant/employees: -1 is less than the minimum of 0"),
    ({"applicant": {"annualIncome": 5}}, "applicant/annualIncome: 5 is not of type 'object'"),
    ({"applicant": {}, "surprise": 1}, "Additional properties are not allowed ('surprise' was unexpected)"),
    ({"applicant": {"rdSpendingShare": 4}}, "applicant/rdSpendingShare: 4 is greater than the maximum of 1"),
    ({"applicant": {}, "asOf": "2025-13-01"}, "asOf: '2025-13-01' is not a date"),
    ({"applicant": {}, "programme": "nope"}, "programme: 'nope' is not a programme of the graph"),
    ({"filing": {}}, "'applicant' is a required property"),
])
def test_bad_profiles_list_every_problem(engine, body, needle):
    with pytest.raises(ProfileError) as info:
        parse(body, engine.rules)
    assert any(needle in p for p in info.value.problems), info.value.problems


def test_several_problems_are_reported_together(engine):
    with pytest.raises(ProfileError) as info:
        parse({"applicant": {"kind": "robot", "employees": -1, "x": 1}}, engine.rules)
    problems = info.value.problems
    assert len(problems) == 3, problems
    assert any("robot" in p for p in problems) and any("'x' was unexpected" in p for p in problems)


# ---- HTTP face -----------------------------------------------------------------------------------

def test_http_contract(client):
    body = {"applicant": INDIVIDUAL, "filing": FILING, "asOf": "2025-06-01"}
    r = client.post("/api/eligibility", json=body)
    assert r.status_code == 200
    answer = r.get_json()
    assert answer["asOf"] == "2025-06-01"
    programmes = {v["programme"] for v in answer["verdicts"]}
    assert CNIPA in programmes
    for v in answer["verdicts"]:
        assert v["verdict"] in ("eligible", "not-eligible", "undetermined")
        assert isinstance(v["missing"], list) and isinstance(v["conditions"], list)
        assert {"en"} <= set(v["label"]) or {"ja"} <= set(v["label"])
        assert set(v["reasonText"]) == {"en", "ja"} and v["reasonText"]["en"] == v["reason"]
        assert v["reasonText"]["ja"].startswith({"eligible": "適格: ", "not-eligible": "不適格", "undetermined": "未確定: "}[v["verdict"]])


def test_http_filters(client):
    r = client.post("/api/eligibility", json={"applicant": INDIVIDUAL, "onlyEligible": True})
    assert all(v["verdict"] == "eligible" for v in r.get_json()["verdicts"])
    r = client.post("/api/eligibility", json={"applicant": INDIVIDUAL, "programme": "cnipa-patent-fee-reduction"})
    assert [v["programme"] for v in r.get_json()["verdicts"]] == [CNIPA]
    r = client.post("/api/eligibility", json={"applicant": INDIVIDUAL, "jurisdiction": "JP"})
    assert CNIPA not in {v["programme"] for v in r.get_json()["verdicts"]}


@pytest.mark.parametrize("kwargs, status", [
    ({"data": "{not json", "content_type": "application/json"}, 400),
    ({"data": "applicant=1", "content_type": "application/x-www-form-urlencoded"}, 415),
    ({"json": {"applicant": {"kind": 3}}}, 400),
    ({"json": [1, 2]}, 400),
])
def test_http_bad_requests_are_4xx_with_problems(client, kwargs, status):
    r = client.post("/api/eligibility", **kwargs)
    assert r.status_code == status
    assert r.get_json()["problems"]


def test_openapi_document_describes_the_eligibility_route(client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert "applicant" in doc["paths"]["/api/eligibility"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]


def test_cli_eligible_json_and_text(built, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("IPKG_STORE", str(built.store_path))
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"applicant": INDIVIDUAL, "filing": FILING}))
    args = ["--root", str(built.root), "eligible", str(profile), "--programme", "cnipa-patent-fee-reduction"]
    assert cli([*args, "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["verdicts"][0]["verdict"] == "eligible"
    assert cli(args) == 0
    text = capsys.readouterr().out
    assert "ELIGIBLE" in text and "1,660 CNY" in text
    assert "    eligible: The applicant is an individual (a natural person) (cnipa-fee-guide-2025:104)" in text
    assert cli([*args, "--lang", "ja"]) == 0
    ja = capsys.readouterr().out
    assert "    適格: 出願人が個人であること (cnipa-fee-guide-2025:104)" in ja and "1,660 CNY" in ja


def test_cli_eligible_bad_profile_exits_2_with_every_problem(built, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("IPKG_STORE", str(built.store_path))
    profile = tmp_path / "bad.json"
    profile.write_text(json.dumps({"applicant": {"kind": "robot", "employees": -1}}))
    assert cli(["--root", str(built.root), "eligible", str(profile)]) == 2
    err = capsys.readouterr().err
    assert "robot" in err and "employees" in err


# ---- real Chinese funding, famous-trademark and Japanese rules, and time ---------------------------

def benefits_of(verdict: dict) -> dict[str, dict]:
    return {b["benefit"].rsplit("/", 1)[-1]: b for b in verdict.get("benefit", {}).get("items", [])}


def test_shandong_pct_funding_is_computed_for_an_organisation(engine):
    body = {"applicant": {"kind": "enterprise", "country": "CN", "region": "CN-SD"},
            "filing": {"ipRight": "invention-patent", "route": "pct-international", "status": "filed"}}
    v = verdict_for(engine, body, ID + "programme/shandong-patent-funding")
    items = benefits_of(v)
    pct = items["shandong-funding-patent-pct-international-organisation"]
    assert pct["applies"] == "true" and pct["amount"]["value"] == "10000" and pct["amount"]["currency"] == "CNY"
    assert pct["statedAs"] and "円" in pct["statedAs"] and "dataQualityNote" in pct  # written 1万円 for yuan
    assert "shandong-funding-patent-pct-international-individual" not in items  # not for organisations
    assert "shandong-funding-invention-domestic-granted" not in items  # another route
    # a less specific kind and region cannot settle "not foreign-invested" and "not Qingdao"
    assert v["verdict"] == "undetermined" and {"kind", "region"} <= set(v["missing"])


def test_shandong_funding_excludes_applicants_outside_the_province(engine):
    body = {"applicant": {"kind": "enterprise", "region": "CN-JL"}, "filing": {"ipRight": "invention-patent"}}
    assert verdict_for(engine, body, ID + "programme/shandong-patent-funding")["verdict"] == "not-eligible"


def test_yunnan_grant_funding_follows_the_2009_amendment(engine):
    applicant = {"kind": "enterprise", "region": "CN-YN", "feeReliefApplied": True}
    filing = {"ipRight": "invention-patent", "route": "domestic", "status": "granted", "serviceInvention": True}
    before = benefits_of(verdict_for(engine, {"applicant": applicant, "filing": filing, "asOf": "2008-01-01"},
                                     ID + "programme/yunnan-patent-funding"))
    after = benefits_of(verdict_for(engine, {"applicant": applicant, "filing": filing, "asOf": "2010-01-01"},
                                    ID + "programme/yunnan-patent-funding"))
    assert before["yunnan-funding-invention-domestic-service-granted-2004"]["amount"]["value"] == "1270"
    assert "yunnan-funding-invention-domestic-service-granted" not in before
    assert after["yunnan-funding-invention-domestic-service-granted"]["amount"]["value"] == "1570"
    assert "yunnan-funding-invention-domestic-service-granted-2004" not in after


def test_jilin_years_of_use_condition_depends_on_the_date(engine):
    mark = {"region": "CN-JL", "yearsInUse": 2, "yearsRegistered": 2, "hasOwnershipDispute": False}
    programme = ID + "programme/jilin-famous-trademark-recognition"

    def years_condition(as_of: str) -> dict:
        v = verdict_for(engine, {"applicant": mark, "asOf": as_of}, programme)
        return next(c for c in v["conditions"] if c.get("constrains") == "yearsInUse")

    old, new = years_condition("2009-01-01"), years_condition("2012-01-01")
    assert (old["threshold"], old["outcome"]) == ("3", "false")
    assert (new["threshold"], new["outcome"]) == ("1", "true")
    assert verdict_for(engine, {"applicant": mark, "asOf": "2009-01-01"}, programme)["verdict"] == "not-eligible"
    later = verdict_for(engine, {"applicant": mark, "asOf": "2012-01-01"}, programme)
    assert later["verdict"] == "undetermined"  # reputation, quality, leading position are for the AIC to judge
    assert len(later["needsAssessment"]) >= 3


def test_famous_trademark_recognition_is_refused_to_a_mark_from_another_province(engine):
    v = verdict_for(engine, {"applicant": {"region": "CN-SH", "yearsInUse": 10}}, ID + "programme/jilin-famous-trademark-recognition")
    assert v["verdict"] == "not-eligible"


def test_jpo_fee_reduction_rates_by_applicant_kind(engine):
    programme = ID + "programme/jp-patent-fee-reduction"
    sme = benefits_of(verdict_for(engine, {"applicant": {"kind": "sme", "country": "JP"}, "filing": {"ipRight": "patent"}}, programme))
    # the SME tier is the SME's (004:430); the JPO still checks the further requirements (一定の要件), so "unknown"
    assert sme["jp-patent-fee-reduction-sme"]["rate"] == "0.5" and sme["jp-patent-fee-reduction-sme"]["applies"] == "unknown"
    assert sme["jp-patent-fee-reduction-sme"]["payableShare"] == "0.5"
    large = verdict_for(engine, {"applicant": {"kind": "large-enterprise", "country": "JP", "employees": 4000, "companyAgeYears": 60,
                                               "capital": {"value": 3e10, "currency": "JPY"}, "controlledByLargeEnterprise": False,
                                               "sector": "any-sector"},
                                 "filing": {"ipRight": "patent", "office": "JP", "examinationRequestDate": "2025-04-01"},
                                 "asOf": "2025-06-01"}, programme)
    assert large["verdict"] == "not-eligible" and large["reason"].startswith("not eligible: fails ")
    assert "source states no fee amounts" in sme["jp-patent-fee-reduction-sme"]["arithmetic"]
    startup = benefits_of(verdict_for(engine, {"applicant": {"kind": "startup"}, "filing": {"ipRight": "patent"}}, programme))
    assert startup["jp-patent-fee-reduction-small-startup"]["rate"] == "0.6666666667"
    university = benefits_of(verdict_for(engine, {"applicant": {"kind": "university"}, "filing": {"ipRight": "patent"}}, programme))
    assert university["jp-patent-fee-reduction-research-institution"]["rate"] == "0.5"
    assert "jp-patent-fee-reduction-sme" not in university


def test_programmes_out_of_force_on_the_date_are_not_eligible(engine):
    v = verdict_for(engine, {"applicant": {"kind": "sme"}, "asOf": "2024-06-01"}, ID + "programme/jp-patent-fee-reduction-pre-2019")
    assert v["verdict"] == "not-eligible" and "not in force" in v["reason"]


def test_every_programme_gets_a_verdict(engine):
    answer = engine.evaluate(parse({"applicant": {"kind": "individual"}}, engine.rules))
    assert len(answer["verdicts"]) == len(engine.rules.programmes) > 80


def test_batch_mode_without_explanations_gives_the_same_verdicts(engine):
    body = {"applicant": INDIVIDUAL, "filing": FILING}
    full = engine.evaluate(parse(body, engine.rules))
    lean = engine.evaluate(parse({**body, "explain": False}, engine.rules))
    assert [(v["programme"], v["verdict"], v["missing"]) for v in full["verdicts"]] == \
           [(v["programme"], v["verdict"], v["missing"]) for v in lean["verdicts"]]
    assert all(v["conditions"] == [] for v in lean["verdicts"])
    assert any(v["conditions"] for v in full["verdicts"])


def test_verdicts_say_in_one_line_what_decided_them(engine):
    large = {"applicant": {"kind": "large-enterprise", "country": "CN", "previousYearTaxableIncome": {"value": 9e8, "currency": "CNY"},
                           "jointApplicants": 1}, "filing": FILING, "asOf": "2025-06-01"}
    v = verdict_for(engine, large, CNIPA)
    assert v["verdict"] == "not-eligible" and "kind" not in v["missing"]
    assert v["reason"].startswith("not eligible: fails ") and "cnipa-fee-guide-2025:10" in v["reason"]
    low = verdict_for(engine, {"applicant": INDIVIDUAL, "filing": FILING, "asOf": "2025-06-01"}, CNIPA)
    assert low["reason"].startswith("eligible: ") and "cnipa-fee-guide-2025:104" in low["reason"]


def test_a_foreign_applicant_sees_both_readings_of_the_cnipa_guide(engine):
    foreign = {"applicant": {**INDIVIDUAL, "country": "JP"}, "filing": FILING, "asOf": "2025-06-01"}
    v = verdict_for(engine, foreign, CNIPA)
    assert v["verdict"] == "eligible"  # the preferred reading: CNIPA does not restrict foreign applicants (003:122)
    readings = {r["reading"].rsplit("/", 1)[-1]: r for r in v["readings"]}
    assert readings["cnipa-reduction-eligibility"]["preferred"] is True
    assert readings["cnipa-reduction-eligibility-in-practice"]["outcome"] == "false"
    assert ID + "doc/cnipa-fee-guide-2025/line/166" in readings["cnipa-reduction-eligibility-in-practice"]["sources"]
    domestic = verdict_for(engine, {"applicant": INDIVIDUAL, "filing": FILING, "asOf": "2025-06-01"}, CNIPA)
    assert "readings" not in domestic  # the readings agree for an applicant in China


def test_a_known_country_decides_a_provincial_condition(engine):
    body = {"applicant": {"kind": "enterprise", "country": "JP"}, "filing": {"ipRight": "invention-patent"}, "asOf": "2025-06-01"}
    v = verdict_for(engine, body, ID + "programme/shandong-patent-funding")
    assert v["verdict"] == "not-eligible" and "region" not in v["missing"]
    in_china = verdict_for(engine, {**body, "applicant": {"kind": "enterprise", "country": "CN"}}, ID + "programme/shandong-patent-funding")
    assert "region" in in_china["missing"]


def test_an_applicant_can_be_several_kinds_at_once(engine):
    body = {"applicant": {"kind": ["small-enterprise", "foreign-applicant"], "country": "CN",
                          "previousYearTaxableIncome": {"value": 500000, "currency": "CNY"}, "jointApplicants": 1},
            "filing": FILING, "asOf": "2025-06-01"}
    assert verdict_for(engine, body, CNIPA)["verdict"] == "eligible"


@pytest.mark.parametrize("service,benefit,amount", [(True, "hunan-funding-invention-domestic-service-granted", "3000"),
                                                     (False, "hunan-funding-invention-domestic-non-service-granted", "1500")])
def test_hunan_amount_follows_the_invention_not_the_applicant_kind(engine, service, benefit, amount):
    """Hunan art. 6: 職務発明専利は1件あたり3,000元, non-service 50 % of it. A small enterprise (no
    service-invention applicant kind) gets the amount its filing's serviceInvention says; prizes it
    has not won stay conditional."""
    body = {"applicant": {"kind": "small-enterprise", "country": "CN", "region": "CN-HN", "alreadyFunded": False},
            "filing": {"ipRight": "invention-patent", "route": "domestic", "status": "granted", "serviceInvention": service},
            "asOf": "2025-06-01"}
    v = verdict_for(engine, body, ID + "programme/hunan-patent-funding")
    assert v["verdict"] == "eligible"
    items = {b["benefit"].rsplit("/", 1)[-1]: b for b in v["benefit"]["items"]}
    assert items[benefit]["applies"] == "true" and items[benefit]["amount"]["value"] == amount
    other = "hunan-funding-invention-domestic-non-service-granted" if service else "hunan-funding-invention-domestic-service-granted"
    assert other not in items
    assert items["hunan-funding-reward-china-patent-gold-award"]["applies"] == "unknown"
