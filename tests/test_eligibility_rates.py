"""Exchange rates the applicant gives (issue 15): a threshold in yuan decided for an amount in yen.

The thresholds are the CNIPA fee guide's (003): an individual's annual income of at most 60,000 yuan
(003:104, 年間所得が60,000人民元以下) and a small enterprise's previous-year taxable income of at most
1 million yuan (003:105, 前年の課税所得が100万人民元以下). Every rate here is the test's own, never looked up.
"""

from __future__ import annotations

import pytest

from ipkg.eligibility import Engine, ProfileError, Rulebook, advice
from ipkg.eligibility.profile import Rates, json_schema, parse
from ipkg.eligibility.rdf import profile_from_graph, profile_graph

ID = "https://w3id.org/ipkg/id/"
CNIPA = ID + "programme/cnipa-patent-fee-reduction"
TAXABLE = ID + "condition/cnipa-reduction-enterprise-taxable-income"  # 003:105
INCOME = ID + "condition/cnipa-reduction-individual-income"  # 003:104
SOURCE_105 = ID + "doc/cnipa-fee-guide-2025/line/105"
FILING = {"ipRight": "invention-patent", "route": "paris", "office": "CN"}


def rate(value: float, on: str = "2025-06-01", source: str = "JPY", target: str = "CNY") -> dict:
    return {"rate": value, "rateFrom": source, "rateTo": target, "rateDate": on}


def enterprise(income: int, *rates: dict) -> dict:
    """A Japanese small enterprise filing at CNIPA, its taxable income in yen."""
    applicant: dict = {"kind": ["small-enterprise", "foreign-applicant"], "country": "JP",
                       "previousYearTaxableIncome": {"value": income, "currency": "JPY"}, "jointApplicants": 1}
    if rates:
        applicant["exchangeRates"] = list(rates)
    return {"applicant": applicant, "filing": FILING, "asOf": "2025-06-01", "programme": "cnipa-patent-fee-reduction"}


@pytest.fixture(scope="session")
def engine(kg) -> Engine:
    return Engine(Rulebook(kg.store))


def verdict(engine: Engine, body: dict) -> dict:
    (only,) = advice.answer(engine, parse(body, engine.rules))["verdicts"]
    return only


def step(v: dict, condition: str) -> dict:
    return next(c for c in v["conditions"] if c["condition"] == condition)


def test_a_rate_under_which_the_converted_income_passes_makes_the_sme_eligible(engine):
    v = verdict(engine, enterprise(20_000_000, rate(0.048)))  # 960,000 CNY <= 1,000,000 CNY (003:105)
    assert v["verdict"] == "eligible" and v["missing"] == []
    said = "20,000,000 JPY × 0.048 = 960,000 CNY (rate given by the applicant, 2025-06-01)"
    assert said in v["reason"]
    taxable = step(v, TAXABLE)
    assert taxable["outcome"] == "true" and taxable["threshold"] == "1000000" and taxable["unit"] == "CNY"
    assert taxable["source"] == SOURCE_105
    assert taxable["profileValue"] == "20000000 JPY"  # the amount as stated; the conversion beside it
    assert taxable["conversion"] == {"rate": "0.048", "rateFrom": "JPY", "rateTo": "CNY", "rateDate": "2025-06-01",
                                     "givenBy": "applicant", "amount": "20000000", "converted": "960000", "arithmetic": said}
    single = next(b for b in v["benefit"]["items"] if b["benefit"].endswith("cnipa-fee-reduction-single"))
    assert single["applies"] == "true" and single["rate"] == "0.85"


def test_a_rate_under_which_the_converted_income_fails_makes_it_not_eligible(engine):
    v = verdict(engine, enterprise(50_000_000, rate(0.048)))  # 2,400,000 CNY > 1,000,000 CNY (003:105)
    assert v["verdict"] == "not-eligible"
    assert v["reason"].startswith("not eligible: fails ")
    assert ("Taxable income of the previous year of at most 1 million yuan (cnipa-fee-guide-2025:105): "
            "50,000,000 JPY × 0.048 = 2,400,000 CNY (rate given by the applicant, 2025-06-01)") in v["reason"]
    assert step(v, TAXABLE)["outcome"] == "false"
    assert step(v, TAXABLE)["conversion"]["converted"] == "2400000"


def test_the_same_amount_is_decided_both_ways_by_the_rate_alone(engine):
    # 20,000,000 JPY: at 0.05 exactly the ceiling (1,000,000 CNY, at most: met), at 0.0500001 above it
    assert verdict(engine, enterprise(20_000_000, rate(0.05)))["verdict"] == "eligible"
    assert verdict(engine, enterprise(20_000_000, rate(0.0500001)))["verdict"] == "not-eligible"


def test_an_individual_in_japan_with_a_rate_is_decided_on_the_60000_yuan_ceiling(engine):
    person = {"kind": "individual", "country": "JP", "annualIncome": {"value": 1_000_000, "currency": "JPY"}}
    body = {"applicant": person, "filing": FILING, "asOf": "2025-06-01", "programme": "cnipa-patent-fee-reduction"}
    low = verdict(engine, {**body, "applicant": {**person, "exchangeRates": [rate(0.048)]}})  # 48,000 CNY <= 60,000 (003:104)
    assert low["verdict"] == "eligible"
    assert step(low, INCOME)["conversion"]["arithmetic"] == "1,000,000 JPY × 0.048 = 48,000 CNY (rate given by the applicant, 2025-06-01)"
    high = verdict(engine, {**body, "applicant": {**person, "exchangeRates": [rate(0.07, "2025-05-30")]}})  # 70,000 CNY > 60,000
    assert high["verdict"] == "not-eligible"
    assert "1,000,000 JPY × 0.07 = 70,000 CNY (rate given by the applicant, 2025-05-30)" in high["reason"]


def test_without_a_rate_it_stays_undetermined_and_the_advice_names_the_rate_that_would_decide(engine):
    v = verdict(engine, enterprise(20_000_000))
    assert v["verdict"] == "undetermined"
    assert v["missing"] == ["previousYearTaxableIncome in CNY"]
    assert v["reason"] == "undetermined: missing previousYearTaxableIncome in CNY"
    assert "conversion" not in step(v, TAXABLE)
    rated = [ch for option in v["toBecomeEligible"] for ch in option["changes"] if ch["field"] == "exchangeRates"]
    assert rated, v["toBecomeEligible"]
    # 1,000,000 CNY / 20,000,000 JPY: any JPY -> CNY rate of at most 0.05 meets the ceiling of 003:105
    assert rated[0]["rateBound"] == {"rateFrom": "JPY", "rateTo": "CNY", "operator": "≤", "rate": "0.05"}
    # the proposal can be sent back as it is: the rate at the bound, dated the as-of day, decides it
    assert rated[0]["to"] == [{"rate": 0.05, "rateFrom": "JPY", "rateTo": "CNY", "rateDate": "2025-06-01"}]
    sent_back = enterprise(20_000_000, *rated[0]["to"])
    assert verdict(engine, sent_back)["verdict"] == "eligible"
    assert rated[0]["canChange"] == "not-given" and rated[0]["condition"] == TAXABLE and rated[0]["source"] == SOURCE_105
    assert rated[0]["note"] == ("a rate from JPY to CNY would decide it; one of at most 0.05 meets it: "
                                "20,000,000 JPY × 0.05 = 1,000,000 CNY ≤ 1,000,000 CNY")


def test_the_next_question_is_the_rate_from_yen_to_yuan(engine, client):
    body = enterprise(20_000_000)
    question = advice.next_question(engine, parse(body, engine.rules))
    assert question is not None and question["field"] == "exchangeRates"
    assert question["pairs"] == [{"rateFrom": "JPY", "rateTo": "CNY"}]
    assert question["type"] == "exchange-rate" and question["label"] == {"en": "exchange rates", "ja": "為替レート"}
    r = client.post("/api/eligibility/next-question", json=body)
    assert r.status_code == 200 and r.get_json()["question"]["pairs"] == [{"rateFrom": "JPY", "rateTo": "CNY"}]
    # once given, or said to be unknown, it is not asked again
    assert advice.next_question(engine, parse(enterprise(20_000_000, rate(0.048)), engine.rules)) is None
    assert advice.next_question(engine, parse({**body, "unknown": ["exchangeRates"]}, engine.rules)) is None


def test_a_rate_between_other_currencies_decides_nothing(engine):
    v = verdict(engine, enterprise(20_000_000, rate(7.1, source="USD"), rate(20.8, source="CNY", target="JPY")))
    assert v["verdict"] == "undetermined" and v["missing"] == ["previousYearTaxableIncome in CNY"]  # no JPY -> CNY rate, none inverted


def test_several_rates_each_decide_their_own_pair(engine):
    body = enterprise(20_000_000, rate(7.1, source="USD"), rate(0.048))
    assert verdict(engine, body)["verdict"] == "eligible"


@pytest.mark.parametrize("bad, problem", [
    (rate(0), "applicant/exchangeRates/0/rate: 0 is less than or equal to the minimum of 0"),
    (rate(-0.048), "applicant/exchangeRates/0/rate: -0.048 is less than or equal to the minimum of 0"),
    (rate(1, target="JPY"), "applicant/exchangeRates/0/rateFrom / rateTo: 'JPY' → 'JPY' must be two different ISO 4217 codes"),
    (rate(0.048, on="2025-02-30"), "applicant/exchangeRates/0/rateDate: '2025-02-30' is not a date (YYYY-MM-DD)"),
    (rate(0.048, on="June 2025"), "applicant/exchangeRates/0/rateDate: 'June 2025' is not a date"),
    (rate(0.048, source="XYZ"), "applicant/exchangeRates/0/rateFrom / rateTo: 'XYZ' is not a currency of the graph (known: CNY, EUR, JPY, KRW, USD)"),
    ({"rate": 0.048, "rateFrom": "JPY", "rateTo": "CNY"}, "applicant/exchangeRates/0: 'rateDate' is a required property"),
])
def test_bad_rates_are_refused_with_a_readable_400(engine, client, bad, problem):
    body = enterprise(20_000_000, bad)
    with pytest.raises(ProfileError) as refused:
        parse(body, engine.rules)
    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems
    r = client.post("/api/eligibility", json=body)
    assert r.status_code == 400
    assert any(p.startswith(problem) for p in r.get_json()["problems"])


def test_two_rates_for_one_pair_are_refused(engine, client):
    body = enterprise(20_000_000, rate(0.048), rate(0.05, on="2025-05-01"))
    r = client.post("/api/eligibility", json=body)
    assert r.status_code == 400
    assert r.get_json()["problems"] == ["applicant/exchangeRates/1: a second rate from JPY to CNY; give one rate per pair of currencies"]


def test_the_rate_is_declared_once_and_the_schema_follows(engine, client):
    spec = engine.rules.profile_properties["exchangeRates"]
    assert (spec.section, spec.kind, spec.many) == ("applicant", "exchange-rate", True)
    schema = json_schema(engine.rules)["properties"]["applicant"]["properties"]["exchangeRates"]
    assert schema["type"] == "array" and schema["items"]["required"] == ["rate", "rateFrom", "rateTo", "rateDate"]
    served = client.get("/api/eligibility/schema.json").get_json()
    assert served["properties"]["applicant"]["properties"]["exchangeRates"]["items"]["properties"].keys() == {"rate", "rateFrom", "rateTo", "rateDate"}


def test_the_rdf_profile_carries_the_rates_as_schema_exchange_rate_specifications(engine):
    profile = parse(enterprise(20_000_000, rate(0.048), rate(7.1, source="USD")), engine.rules)
    back = profile_from_graph(profile_graph(profile, engine.rules), engine.rules)
    assert isinstance(back.facts["exchangeRates"], Rates)
    assert back.facts["exchangeRates"] == profile.facts["exchangeRates"]
    assert engine.verdict(engine.rules.programmes[CNIPA], back)["verdict"] == "eligible"


def test_compare_reads_its_rate_with_the_same_check(client):
    r = client.get("/api/compare", query_string={"right": "invention-patent", "applicantKind": "small-enterprise",
                                                  "rate": "0", "rateFrom": "CNY", "rateTo": "JPY", "rateDate": "2025-06-01"})
    assert r.status_code == 400 and "rate: '0' is not a positive number" in " ".join(r.get_json()["problems"])


def test_a_korean_enterprise_with_a_krw_to_cny_rate_is_decided_on_the_converted_income(engine):
    """KRW is in the currency scheme (an ISO 4217 code-list entry, as the others): a small enterprise of Korea
    with its taxable income in won and a KRW→CNY rate gets the 1 million yuan ceiling (003:105) decided."""
    body = enterprise(150_000_000, rate(0.0052, source="KRW"))  # 780,000 CNY <= 1,000,000 CNY
    body["applicant"].update(country="KR", previousYearTaxableIncome={"value": 150_000_000, "currency": "KRW"})
    v = verdict(engine, body)
    said = "150,000,000 KRW × 0.0052 = 780,000 CNY (rate given by the applicant, 2025-06-01)"
    assert said in v["reason"]
    taxable = step(v, TAXABLE)
    assert (taxable["outcome"], taxable["profileValue"], taxable["conversion"]["converted"]) == ("true", "150000000 KRW", "780000")
    body["applicant"]["previousYearTaxableIncome"]["value"] = 250_000_000  # 1,300,000 CNY: above the ceiling
    assert step(verdict(engine, body), TAXABLE)["outcome"] == "false"


def test_the_reason_is_also_given_in_japanese_with_the_same_arithmetic(engine):
    """`reasonText` has the one-line reason in both page languages; `reason` stays the English line (the recorded
    one). The Japanese line names the conditions by their ja summaries and a missing fact by its property's label."""
    v = verdict(engine, enterprise(50_000_000, rate(0.048)))
    assert v["reasonText"]["en"] == v["reason"]
    assert v["reasonText"]["ja"] == ("不適格(満たさない要件): 出願人が個人であること (cnipa-fee-guide-2025:104); "
                                     "前年の課税所得100万元以下 (cnipa-fee-guide-2025:105): "
                                     "50,000,000 JPY × 0.048 = 2,400,000 CNY (申請者が示したレート、2025-06-01)")
    waiting = verdict(engine, enterprise(20_000_000))
    assert waiting["reasonText"] == {"en": "undetermined: missing previousYearTaxableIncome in CNY",
                                     "ja": "未確定: 不足する情報 前年の課税所得(CNY)"}  # ipkg:previousYearTaxableIncome's ja label
