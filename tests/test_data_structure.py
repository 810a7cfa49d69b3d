"""Facts that had no home (issue 17), as typed values: what a maximum count counts, the CNIPA fees a funding benefit
refunds, the award a reward is for, open-ended bans, review-panel votes, recognition rounds (model 1.3.0).

Expected values are read off the source lines named next to them (001 = the local regulations, 003 = the CNIPA guide).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import ROOT, shacl_report
from ipkg.config import Settings
from ipkg.namespaces import IPKG, SH
from ipkg.sources import load

ID = "https://w3id.org/ipkg/id/"


def test_no_data_file_asserts_a_bare_max_count():
    """ipkg:maxCount is inferred from the sub-property that says what is counted; the data never states it alone."""
    sources = load(Settings.from_env(ROOT))
    bare = [(str(s), str(g)) for g, graph in sources.graphs.items() for s in graph.subjects(IPKG.maxCount, None)]
    assert bare == []


@pytest.mark.parametrize("benefit, prop, value", [
    ("anhui-funding-invention-foreign-granted", "maxCountries", 2),             # 001:2873 最高2つの国
    ("shandong-funding-invention-foreign-granted", "maxCountries", 5),          # 001:3189 最大5カ国
    ("shanghai-funding-invention-foreign", "maxCountries", 5),                  # 001:2723 5 つの国を超えず
    ("guangxi-funding-application-fee-domestic-individual", "maxPerApplicantPerYear", 3),
    ("tianjin-funding-invention-domestic-sme-first-filing", "maxPerApplicantPerYear", 1),   # 001:2601 1 件目
    ("hunan-funding-reward-provincial-patent-award-first-prize", "maxAwardsPerRound", 5),
    ("shandong-funding-outstanding-innovator-support", "maxAwardsPerRound", 15),  # 001:3193 毎年、15を選定
])
def test_a_maximum_count_says_what_it_counts_and_still_answers_as_max_count(kg, benefit, prop, value):
    assert kg.ask(f"ASK {{ <benefit/{benefit}> ipkg:{prop} {value} ; ipkg:maxCount {value} }}")


def test_every_maximum_count_has_exactly_one_meaning(kg):
    rows = kg.rows("""SELECT ?b (COUNT(?p) AS ?n) WHERE { ?b ipkg:maxCount ?m .
        OPTIONAL { VALUES ?p { ipkg:maxCountries ipkg:maxPerApplicantPerYear ipkg:maxAwardsPerRound } ?b ?p ?m } } GROUP BY ?b""")
    assert len(rows) == 18 and {r["n"] for r in rows} == {1}


def test_funding_benefits_name_the_cnipa_fees_they_refund(kg):
    refunds = {(r["b"].rsplit("/", 1)[-1], r["f"].rsplit("/", 1)[-1])
               for r in kg.rows("SELECT ?b ?f WHERE { ?b a ipkg:Subsidy ; ipkg:appliesToFee ?f }")}
    assert ("tianjin-funding-invention-maintenance", "cn-annual-invention-years-4-6") in refunds     # 001:2603, 003:60
    assert ("shanghai-funding-invention-domestic-examination-grant-fees", "cn-examination-invention") in refunds  # 001:2701
    assert ("shanghai-funding-invention-domestic-filing-fees", "cn-priority-claim") in refunds      # 001:2700 優先権主張料
    assert {f for b, f in refunds if b == "guangxi-funding-application-fee-domestic-organisation"} == {
        "cn-application-invention", "cn-application-utility-model", "cn-application-design"}       # 001:3437
    assert len({b for b, _ in refunds}) >= 7


def test_a_refunded_fee_is_of_the_category_the_benefit_names(kg):
    """appliesToFee and appliesToFeeCategory agree: every fee item a funding benefit refunds is of one of its categories."""
    mismatched = kg.rows("""SELECT ?b ?f WHERE { ?b a ipkg:Subsidy ; ipkg:appliesToFee ?f . ?f ipkg:feeCategory ?c .
        FILTER NOT EXISTS { ?b ipkg:appliesToFeeCategory ?c } }""")
    assert mismatched == []


def test_xinjiang_annuity_funding_is_a_benefit_of_the_programme(kg):
    rows = kg.rows("""SELECT ?from ?to ?grant ?article WHERE { <programme/xinjiang-patent-funding> ipkg:hasBenefit ?b .
        ?b ipkg:appliesToFeeCategory <concept/fee-category/annual-fee> ; ipkg:yearFrom ?from ; ipkg:yearTo ?to ;
           ipkg:yearsCountedFromGrant ?grant ; prov:wasDerivedFrom ?article }""")
    assert rows == [{"from": 1, "to": 3, "grant": True,   # 001:3781 権利付与直後3年の年金
                     "article": ID + "instrument/xinjiang-patent-funding-measures/art/10"}]


def test_china_patent_award_rewards_name_the_award_and_tier(kg):
    rows = kg.rows("""SELECT ?b ?tier WHERE { ?b ipkg:forAward <programme/cn-china-patent-award> ; ipkg:awardTier ?tier }""")
    tiers = {(r["b"].rsplit("/", 1)[-1], r["tier"].rsplit("/", 1)[-1]) for r in rows}
    assert ("hunan-funding-reward-china-patent-gold-award", "gold") in tiers             # 001:3313 100万円
    assert ("guangxi-funding-reward-china-patent-excellence-award", "excellence") in tiers  # 001:3449
    assert {("anhui-funding-award-china-patent", "gold"), ("anhui-funding-award-china-patent", "excellence")} <= tiers  # 001:2873
    # every benefit conditional on having won a China Patent award is linked to it
    unlinked = kg.rows("""SELECT ?b WHERE { ?p ipkg:hasBenefit ?b ; ipkg:programmeKind <concept/programme-kind/funding> .
        ?b ipkg:benefitKind <concept/benefit-kind/reward> ; ipkg:hasCondition ?c . ?c a ipkg:JudgementCondition .
        ?c skos:definition ?d . FILTER (LANG(?d) = "en" && CONTAINS(?d, "China Patent"))
        FILTER NOT EXISTS { ?b ipkg:forAward ?award } }""")
    assert unlinked == []


def test_every_reapplication_ban_has_a_length_or_is_permanent(kg):
    assert kg.rows("""SELECT ?s WHERE { ?s ipkg:sanctionKind <concept/sanction-kind/reapplication-ban>
        FILTER NOT EXISTS { ?s ipkg:banYears ?y } FILTER NOT EXISTS { ?s ipkg:banIsPermanent true } }""") == []
    permanent = {r["s"].rsplit("/", 1)[-1] for r in kg.rows("SELECT ?s WHERE { ?s ipkg:banIsPermanent true }")}
    assert {"fujian-funding-unreturned-funding",        # 001:3064 それ以降の資金助成申請資格を取り消す
            "tianjin-funding-fraud",                    # 001:2627 翌年度及び翌年度以降
            "yunnan-funding-fraud-or-diversion"} <= permanent  # 001:3695 今後当事者の申請を受理しない


@pytest.mark.parametrize("step, prop, value", [
    ("guangdong-ftm-5-committee-review", "quorumShare", "0.8"),               # 001:1093 5分の4以上
    ("guangdong-ftm-5-committee-review", "approvalShareOfPresent", "0.666667"),  # 001:1097
    ("guizhou-ftm-6-committee-review", "minMembersPresent", "45"),            # 001:1616
    ("qinghai-ftm-6-recognition-vote", "approvalShareOfAll", "0.666667"),     # 001:1995 メンバー全員の 3 分の 2
    ("ningxia-ftm-5-committee-vote", "quorumShare", "0.666667"),              # 001:2198
])
def test_review_panels_state_quorum_and_majority(kg, step, prop, value):
    rows = kg.rows(f"SELECT ?v WHERE {{ <step/{step}> ipkg:{prop} ?v }}")
    assert [Decimal(str(r["v"])) for r in rows] == [Decimal(value)]


def test_how_often_recognition_is_held(kg):
    rows = kg.rows("""SELECT ?p ?every WHERE { ?p ipkg:hasDeadline ?d . ?d ipkg:deadlineKind <concept/deadline-kind/recurrence-interval> ;
        ipkg:duration ?every }""")
    assert {(r["p"].rsplit("/", 1)[-1], r["every"]) for r in rows} >= {
        ("anhui-famous-trademark-recognition", "P1Y"),       # 001:693 毎年少なくとも 1 回
        ("guizhou-famous-trademark-recognition", "P1Y"),     # 001:1626
        ("shanghai-famous-trademark-recognition", "P1Y")}    # 001:204


BROKEN = """
@prefix ipkg: <https://w3id.org/ipkg/def/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@base <https://w3id.org/ipkg/id/> .
<benefit/fixture> a ipkg:Subsidy , ipkg:Benefit ; rdfs:label "fixture"@en ; ipkg:benefitKind <concept/benefit-kind/filing-subsidy> ;
    ipkg:rate 0.5 ; ipkg:maxCount 3 ; ipkg:appliesToFeeCategory <concept/ip-right/design> ;
    prov:wasDerivedFrom <doc/cnipa-fee-guide-2025/line/32> .
<sanction/fixture> a ipkg:Sanction ; rdfs:label "fixture"@en ; ipkg:triggeredBy "fixture"@en ;
    ipkg:sanctionKind <concept/sanction-kind/reapplication-ban> ; prov:wasDerivedFrom <doc/cnipa-fee-guide-2025/line/32> .
<step/fixture> a ipkg:ProcedureStep ; rdfs:label "fixture"@en ; ipkg:ordinal 1 ; ipkg:stepKind <concept/step-kind/expert-review> ;
    ipkg:quorumShare 1.5 ; prov:wasDerivedFrom <doc/cnipa-fee-guide-2025/line/32> .
"""


def test_the_shapes_refuse_a_bare_count_a_foreign_category_an_endless_ban_and_a_quorum_above_one():
    conforms, report = shacl_report(BROKEN)
    messages = [str(o) for o in report.objects(None, SH.resultMessage)]
    assert not conforms
    text = "\n".join(messages)
    assert "say what a maximum count counts" in text
    assert "appliesToFeeCategory is a concept of concept/fee-category" in text
    assert "re-application ban needs ipkg:banYears" in text
    results = {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath))) for r in report.subjects(SH.focusNode, None)}
    assert (ID + "step/fixture", str(IPKG.quorumShare)) in results
