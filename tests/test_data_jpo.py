"""Facts from the JPO annual report ch. 5 (004) and the JPO 2025 deck (002), each checked against the source text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

ID = "https://w3id.org/ipkg/id/"
D4 = "doc/jpo-annual-report-ch5"

# Numbered items (1), (2), … per section of chapter 5, counted with
# grep -nE "^\([0-9]+\)" 004_719ab47a89941bc7.txt within each section's line range.
ITEMS_PER_SECTION = {1: 6, 2: 4, 3: 4, 4: 4, 5: 3, 6: 8, 7: 2, 8: 7, 9: 2, 10: 1, 11: 1, 12: 2}
# Programmes per section: one per item plus the named sub-programmes (1(4)①②, the IPAS knowledge-share
# programme, 2(2)①-④ and the three 2(2)③ projects, 4(1) SME IP support project, 4(3) model-region project,
# 7 old/new reduction systems and the abolished grant with its replacement, 8 Kansai desk).
PROGRAMMES_PER_SECTION = {1: 9, 2: 11, 3: 4, 4: 5, 5: 3, 6: 8, 7: 5, 8: 8, 9: 2, 10: 1, 11: 1, 12: 2}


def test_items_per_section(kg):
    rows = kg.rows(f"""SELECT ?n (COUNT(?i) AS ?c) WHERE {{
        ?i dct:isPartOf ?s ; ipkg:ordinal ?o . ?s ipkg:inDocument <{D4}> ; ipkg:ordinal ?n .
        FILTER STRSTARTS(STR(?i), STR(?s)) }} GROUP BY ?n""")
    assert {r["n"]: r["c"] for r in rows} == ITEMS_PER_SECTION
    assert sum(ITEMS_PER_SECTION.values()) == 44


def test_programmes_per_section(kg):
    rows = kg.rows(f"""SELECT ?n (COUNT(DISTINCT ?p) AS ?c) WHERE {{
        ?p a ipkg:Programme ; dct:isPartOf ?s . ?s a ipkg:SourceLocator ; ipkg:ordinal ?n ; ipkg:inDocument <{D4}> }} GROUP BY ?n""")
    assert {r["n"]: r["c"] for r in rows} == PROGRAMMES_PER_SECTION


def test_every_item_has_a_programme(kg):
    rows = kg.rows(f"""SELECT ?i WHERE {{ ?i a ipkg:SourceLocator ; dct:isPartOf ?s . ?s ipkg:inDocument <{D4}> .
        FILTER NOT EXISTS {{ ?p a ipkg:Programme ; prov:wasDerivedFrom ?i }} }}""")
    assert rows == []


def test_section_locator_lines(kg):
    rows = kg.rows(f"SELECT ?l ?e ?ja WHERE {{ <{D4}/section/7> ipkg:line ?l ; ipkg:lineEnd ?e ; rdfs:label ?ja FILTER(LANG(?ja)='ja') }}")
    assert rows == [{"l": 426, "e": 486, "ja": "7. 料金面等における支援"}]


@pytest.mark.parametrize("slug,alt", [("ipas", "IPAS"), ("vc-ipas", "VC-IPAS"), ("pass", "PASS"), ("iaca", "iAca"), ("inat", "iNat"), ("fopiser", "FOPISER"), ("grip", "GrIP")])
def test_acronyms(kg, slug, alt):
    assert kg.ask(f'ASK {{ <programme/{slug}> skos:altLabel "{alt}" }}')


def test_operators(kg):
    assert kg.ask("ASK { <programme/ip-landscape-support> cv:hasCompetentAuthority <authority/inpit> }")
    assert kg.ask("ASK { <programme/ip-strategy-designer-dispatch> ipkg:operatedBy <authority/inpit> }")
    assert kg.ask("ASK { <programme/vc-ipas> ipkg:operatedBy <authority/inpit> }")
    assert kg.ask("ASK { <programme/inpit-kansai-services> ipkg:operatedBy <authority/inpit-kansai> }")
    assert kg.ask("ASK { <programme/foreign-filing-support> ipkg:operatedBy <authority/prefectural-sme-support-centres> }")


def test_targets_and_coverage(kg):
    assert kg.ask("ASK { <programme/ip-finance-promotion> ipkg:targetApplicantKind <concept/applicant-kind/financial-institution> }")
    assert kg.ask("ASK { <programme/jpo-english-outreach> ipkg:targetApplicantKind <concept/applicant-kind/foreign-applicant> }")
    assert kg.ask("ASK { <programme/jp-pct-fee-reduction> ipkg:coversRoute <concept/filing-route/pct-international> }")
    assert kg.ask("ASK { <programme/grip> ipkg:coversIPRight <concept/ip-right/design> }")


def test_start_dates(kg):
    rows = kg.rows("SELECT ?p ?d WHERE { VALUES ?p { <programme/pass> <programme/grip> <programme/pct-wipo-fee-support-measure> <programme/jp-patent-fee-reduction> <programme/inpit-kansai-services> <programme/startup-accelerated-examination> } ?p ipkg:startDate ?d }")
    got = {r["p"].rsplit("/", 1)[1]: r["d"] for r in rows}
    assert got == {"pass": dt.date(2024, 4, 1), "grip": dt.date(2015, 10, 1), "pct-wipo-fee-support-measure": dt.date(2024, 1, 1),
                   "jp-patent-fee-reduction": dt.date(2019, 4, 1), "inpit-kansai-services": dt.date(2017, 7, 1),
                   "startup-accelerated-examination": dt.date(2018, 7, 1)}


def test_patent_fee_reduction_rates(kg):
    rows = kg.rows("""SELECT ?b ?rate ?st WHERE { <programme/jp-patent-fee-reduction> ipkg:hasBenefit ?b .
        ?b ipkg:rate ?rate ; ipkg:statedAs ?st }""")
    got = {r["b"].rsplit("/", 1)[1]: (r["rate"], r["st"]) for r in rows}
    assert got == {
        "jp-patent-fee-exemption-individual": (Decimal("1.0"), "免除"),
        "jp-patent-fee-half-individual": (Decimal("0.5"), "半額軽減"),
        "jp-patent-fee-reduction-sme": (Decimal("0.5"), "半額軽減"),
        "jp-patent-fee-reduction-small-startup": (Decimal("0.6666666667"), "3分の2又は4分の3軽減"),
        "jp-patent-fee-reduction-fukushima-sme": (Decimal("0.75"), "4分の3軽減"),
        "jp-patent-fee-reduction-research-institution": (Decimal("0.5"), "半額軽減"),
    }
    assert kg.ask("ASK { <benefit/jp-patent-fee-reduction-fukushima-sme> ipkg:hasCondition/ipkg:operand <condition/jp-reduction-fukushima-plan> }")


def test_pct_fee_reductions(kg):
    rows = kg.rows("""SELECT ?b ?rate WHERE { <programme/jp-pct-fee-reduction> ipkg:hasBenefit ?b . ?b ipkg:rate ?rate ;
        ipkg:forRoute <concept/filing-route/pct-international> }""")
    assert {r["b"].rsplit("/", 1)[1]: r["rate"] for r in rows} == {
        "jp-pct-fee-reduction-fukushima-sme": Decimal("0.75"), "jp-pct-fee-reduction-research-institution": Decimal("0.5"),
        "jp-pct-fee-reduction-sme": Decimal("0.5"), "jp-pct-fee-reduction-small-startup": Decimal("0.6666666667")}
    assert kg.ask("ASK { <benefit/jp-pct-wipo-fee-support-sme> ipkg:rate 0.5 ; ipkg:validFrom \"2024-01-01\"^^xsd:date }")


def test_startup_condition_thresholds(kg):
    rows = kg.rows("""SELECT ?c ?t WHERE { VALUES ?c { <condition/jp-startup-under-10-years> <condition/jp-startup-employees-at-most-20>
        <condition/jp-startup-employees-at-most-5> <condition/jp-startup-capital-300m> } ?c ipkg:threshold ?t }""")
    assert {r["c"].rsplit("/", 1)[1]: r["t"] for r in rows} == {"jp-startup-under-10-years": Decimal("10.0"), "jp-startup-employees-at-most-20": Decimal("20.0"),
                                                             "jp-startup-employees-at-most-5": Decimal("5.0"), "jp-startup-capital-300m": Decimal("300000000.0")}


def test_reorganisations(kg):
    assert kg.ask("ASK { <programme/ip-strategy-designer-dispatch> ipkg:mergedInto <programme/iaca> . <programme/industry-academia-startup-advisor> ipkg:mergedInto <programme/iaca> }")
    assert kg.ask("ASK { <programme/ip-producer-dispatch> ipkg:succeededBy <programme/inat> }")
    rows = kg.rows("SELECT ?s ?e ?succ WHERE { <programme/international-application-promotion-grant> ipkg:status ?s ; ipkg:endDate ?e ; ipkg:succeededBy ?succ }")
    assert rows == [{"s": ID + "concept/programme-status/abolished", "e": dt.date(2023, 12, 31), "succ": ID + "programme/pct-wipo-fee-support-measure"}]
    rows = kg.rows("SELECT ?d WHERE { <event/2024-01-01-pct-grant-replaced-by-support-measure> ipkg:eventKind <concept/event-kind/reorganisation> ; dct:date ?d }")
    assert rows == [{"d": dt.date(2024, 1, 1)}]


def test_programme_history_query(kg):
    rows = kg.catalog("jpo-programme-history", programme=ID + "programme/iaca")
    preds = {r["other"].rsplit("/", 1)[1] for r in rows if r["direction"] == "predecessor"}
    assert preds == {"ip-strategy-designer-dispatch", "industry-academia-startup-advisor"}
    rows = kg.catalog("jpo-programme-history", programme=ID + "programme/jp-patent-fee-reduction-pre-2019")
    assert {r["other"].rsplit("/", 1)[1] for r in rows if r["direction"] == "successor"} == {"jp-patent-fee-reduction"}


def test_network_members_query(kg):
    rows = kg.catalog("jpo-network-members", network=ID + "network/ip-management-support-network")
    got = {r["member"].rsplit("/", 1)[1]: r["joined"] for r in rows}
    # with the SME Agency (2024-12) came its business support centres and IP G-men (002:503, 002:505)
    assert got == {"jpo": "2023-03", "inpit": "2023-03", "jpaa": "2023-03", "jcci": "2023-03", "sme-agency": "2024-12",
                   "yorozu-support-centers": "2024-12", "ip-g-men": "2024-12"}
    rows = kg.catalog("jpo-network-members", network=ID + "network/wipo-green")
    assert [(r["member"].rsplit("/", 1)[1], r["joined"]) for r in rows] == [("jpo", "2020-02-19")]
    rows = kg.catalog("jpo-network-members", network=ID + "network/jpo-overseas-ip-expert-network")
    assert len(rows) == 19  # the 2025 deck's list (002:1573-1637), beyond the annual report's 11
    assert {r["coverage"] for r in rows if r["member"].endswith("jetro-dusseldorf")} == {"Europe and Russia"}


def test_model_regions(kg):
    rows = kg.rows("SELECT ?p WHERE { <event/fy2024-ip-management-model-regions> ipkg:designates ?p }")
    assert {r["p"].rsplit("/", 1)[1] for r in rows} == {"jp-aomori", "jp-ishikawa", "jp-hyogo-kobe"}
    assert kg.ask("ASK { <place/jp-hyogo-kobe> ipkg:partOf <place/jp> }")


def test_agreements(kg):
    rows = kg.rows("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { <event/2023-04-ishikawa-ip-cooperation-agreement> ipkg:participant ?a }")
    assert rows[0]["n"] == 5
    rows = kg.rows("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { <event/2024-01-fukushima-ip-cooperation-agreement> ipkg:participant ?a }")
    assert rows[0]["n"] == 3


@pytest.mark.parametrize("slug,value", [
    ("inpit-ip-desk-consultations-fy2023", 118902), ("industrial-property-desk-consultations-fy2023", 19791),
    ("ip-portal-faq-views-fy2023", 270169), ("open-patent-database-records-2024-03", 18537),
    ("jp-fee-reduction-sme-patent-fees-fy2023", 44704), ("jp-pct-research-grants-fy2023", 1790),
    ("ipas-startups-supported-fy2023", 19), ("tsunagaru-tokkyocho-participants-total-fy2023", 3272),
    ("vc-ipas-vcs-fy2024", 15), ("ipas-startups-2018-2024", 114)])
def test_figures(kg, slug, value):
    rows = kg.rows(f"SELECT ?v WHERE {{ <figure/{slug}> schema:value ?v }}")
    assert rows == [{"v": value}]


def test_figure_flags(kg):
    assert kg.ask("ASK { <figure/j-platpat-uses-fy2023> ipkg:approximate true }")
    assert kg.ask("ASK { <figure/vc-ipas-vcs-fy2025-plan> ipkg:planned true ; schema:value 20 }")
    assert kg.ask("ASK { <figure/user-opinion-exchanges-fy2023> ipkg:approximate true ; schema:value 220 }")


def test_pct_query_spans_japan_and_china(kg):
    rows = kg.catalog("programmes-covering-pct")
    countries = {r.get("country") for r in rows}
    assert ID + "place/jp" in countries
    progs = {r["programme"].rsplit("/", 1)[1] for r in rows}
    assert {"jp-pct-fee-reduction", "pct-wipo-fee-support-measure", "international-application-promotion-grant", "startup-fee-support"} <= progs


def test_university_query(kg):
    progs = {r["programme"].rsplit("/", 1)[1] for r in kg.catalog("programmes-targeting-universities")}
    assert {"iaca", "inat", "ip-producer-dispatch", "university-startup-foreign-filing-support", "jp-pct-fee-reduction"} <= progs


def test_foreign_filing_subsidies_query(kg):
    rows = kg.catalog("programmes-foreign-filing-subsidies")
    caps = {(r["benefit"].rsplit("/", 1)[1], r.get("cap")) for r in rows if r["programme"].endswith("/foreign-filing-support")}
    assert ("foreign-filing-support-fy2025", Decimal("3000000.0")) in caps
    assert ("foreign-filing-support-fy2025-per-patent", Decimal("1500000.0")) in caps
    rates = {r["benefit"].rsplit("/", 1)[1]: r.get("rate") for r in rows}
    assert rates["university-startup-foreign-filing-subsidy"] == Decimal("0.5")


def test_fee_reduction_comparison_query(kg):
    rows = kg.catalog("fee-reductions-by-applicant-kind")
    jp_sme = {r["rate"] for r in rows if r["applicantKind"].endswith("/sme") and r["country"] == ID + "place/jp"}
    assert jp_sme == {Decimal("0.5"), Decimal("0.75")}
    jp_small = {r["rate"] for r in rows if r["applicantKind"].endswith("/small-enterprise") and r["country"] == ID + "place/jp"}
    assert Decimal("0.6666666667") in jp_small
