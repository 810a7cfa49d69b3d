"""Facts of the fund2 family: patent funding measures of Shandong, Hunan, Guangxi, Hainan, Yunnan and Xinjiang
(cn-local-regulations-ch4, source lines 3117-3862), each checked against the source text."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

DOC = "https://w3id.org/ipkg/id/doc/cn-local-regulations-ch4"
ID = "https://w3id.org/ipkg/id/"

# Articles counted in the source (grep of 第N条 headings, or 一.–八. items for Hainan).
ARTICLE_COUNTS = {
    "shandong-patent-funding-measures": 21,
    "hunan-patent-funding-measures": 12,
    "guangxi-patent-funding-interim-measures": 16,
    "guangxi-patent-funding-supplementary-provisions": 5,
    "hainan-patent-funding-supplementary-provisions": 8,
    "yunnan-patent-funding-interim-measures": 16,
    "xinjiang-patent-funding-measures": 26,
}
CHAPTER_COUNTS = {"shandong-patent-funding-measures": 6, "xinjiang-patent-funding-measures": 7}
SECTION = {  # line range of each instrument's section in the source
    "shandong-patent-funding-measures": (3117, 3250),
    "hunan-patent-funding-measures": (3251, 3340),
    "guangxi-patent-funding-interim-measures": (3379, 3530),
    "guangxi-patent-funding-supplementary-provisions": (3347, 3378),
    "hainan-patent-funding-supplementary-provisions": (3537, 3576),
    "yunnan-patent-funding-interim-measures": (3593, 3706),
    "xinjiang-patent-funding-measures": (3715, 3862),
}
PROGRAMMES = ["shandong", "hunan", "guangxi", "hainan", "yunnan", "xinjiang"]


def amount(kg, slug):
    rows = kg.rows(f"""SELECT ?v ?max ?cur ?stated WHERE {{ <benefit/{slug}> ipkg:amount ?m .
        OPTIONAL {{ ?m schema:value ?v }} OPTIONAL {{ ?m schema:maxValue ?max }} ?m schema:currency ?cur .
        OPTIONAL {{ <benefit/{slug}> ipkg:statedAs ?stated }} }}""")
    assert len(rows) == 1, slug
    return rows[0]


@pytest.mark.parametrize("inst,count", ARTICLE_COUNTS.items())
def test_article_counts_and_lines(kg, inst, count):
    rows = kg.rows(f"""SELECT ?a ?n ?l ?e ?ab WHERE {{ ?a a ipkg:Article ; eli:is_part_of <instrument/{inst}> ;
        ipkg:ordinal ?n ; ipkg:line ?l ; ipkg:lineEnd ?e ; ipkg:inDocument <{DOC}> .
        OPTIONAL {{ ?a dct:abstract ?ab FILTER(lang(?ab) = "en") }} }} ORDER BY ?n""")
    assert [r["n"] for r in rows] == list(range(1, count + 1))
    lo, hi = SECTION[inst]
    for r in rows:
        assert lo <= r["l"] <= r["e"] <= hi, r
        assert r.get("ab"), r
    # articles follow each other without overlapping
    for prev, nxt in itertools.pairwise(rows):
        assert prev["e"] < nxt["l"]


@pytest.mark.parametrize("inst,count", CHAPTER_COUNTS.items())
def test_chapters(kg, inst, count):
    rows = kg.rows(f"""SELECT ?c (COUNT(?a) AS ?arts) WHERE {{ ?c a ipkg:Chapter ; eli:is_part_of <instrument/{inst}> .
        OPTIONAL {{ ?a ipkg:inChapter ?c }} }} GROUP BY ?c""")
    assert len(rows) == count
    assert sum(r["arts"] for r in rows) == ARTICLE_COUNTS[inst]


def test_xinjiang_chapter_sizes(kg):
    rows = kg.rows("""SELECT ?n (COUNT(?a) AS ?k) WHERE { ?c a ipkg:Chapter ; eli:is_part_of <instrument/xinjiang-patent-funding-measures> ;
        ipkg:ordinal ?n . ?a ipkg:inChapter ?c } GROUP BY ?n ORDER BY ?n""")
    assert [r["k"] for r in rows] == [3, 3, 3, 5, 5, 4, 3]


def test_instrument_dates_and_relations(kg):
    def one(s, p):
        r = kg.rows(f"SELECT ?o WHERE {{ <instrument/{s}> {p} ?o }}")
        assert len(r) == 1, (s, p, r)
        return r[0]["o"]

    assert one("shandong-patent-funding-measures", "eli:first_date_entry_in_force") == dt.date(2009, 1, 1)
    assert one("shandong-patent-funding-measures", "eli:repeals") == ID + "instrument/shandong-patent-funding-interim-measures-2006"
    assert one("shandong-patent-funding-interim-measures-2006", "eli:id_local") == "魯財教〔2006〕23号"
    assert one("hunan-patent-funding-measures", "eli:first_date_entry_in_force") == dt.date(2011, 11, 25)
    assert one("hunan-patent-funding-application-trial-measures-2007", "eli:id_local") == "湘知〔2007〕34号"
    assert one("guangxi-patent-funding-interim-measures", "eli:date_publication") == dt.date(2010, 4, 23)
    assert one("guangxi-patent-funding-supplementary-provisions", "eli:date_publication") == dt.date(2012, 2, 20)
    assert one("guangxi-patent-funding-supplementary-provisions", "ipkg:supplements") == ID + "instrument/guangxi-patent-funding-interim-measures"
    assert one("hainan-patent-funding-measures", "eli:first_date_entry_in_force") == dt.date(2008, 5, 1)
    assert one("hainan-patent-funding-supplementary-provisions", "eli:first_date_entry_in_force") == dt.date(2009, 8, 1)
    assert one("hainan-patent-funding-supplementary-provisions", "ipkg:supplements") == ID + "instrument/hainan-patent-funding-measures"
    assert one("yunnan-patent-funding-interim-measures", "eli:first_date_entry_in_force") == dt.date(2004, 7, 22)
    assert one("yunnan-patent-funding-interim-measures", "ipkg:amendedOn") == dt.date(2009, 4, 6)
    assert one("yunnan-patent-funding-interim-measures-amendment-2009", "eli:amends") == ID + "instrument/yunnan-patent-funding-interim-measures"
    assert one("yunnan-patent-funding-trial-measures-2003", "eli:date_publication") == dt.date(2003, 9, 9)
    assert one("xinjiang-patent-funding-measures", "eli:repeals") == ID + "instrument/xinjiang-patent-funding-management-measures-2003"
    assert not kg.ask("ASK { <instrument/xinjiang-patent-funding-measures> eli:first_date_entry_in_force ?d }")
    based = {r["o"] for r in kg.rows("SELECT ?o WHERE { <instrument/hunan-patent-funding-measures> eli:based_on ?o }")}
    assert based >= {ID + "instrument/hunan-patent-regulation", ID + "instrument/hunan-ip-strategy-outline"}


def test_titles(kg):
    rows = kg.rows("""SELECT ?t WHERE { <instrument/guangxi-patent-funding-interim-measures> eli:title ?t FILTER(lang(?t)="ja") }""")
    assert rows == [{"t": "広西チワン族自治区専利出願資金助成及び報奨の暫定弁法"}]
    for inst in ARTICLE_COUNTS:
        langs = {r["l"] for r in kg.rows(f'SELECT (lang(?t) AS ?l) WHERE {{ <instrument/{inst}> eli:title ?t }}')}
        assert langs == {"ja", "en", "zh"}, inst


def test_pct_coverage(kg):
    rows = kg.rows("""SELECT ?p WHERE { ?p a ipkg:Programme ; ipkg:coversRoute <concept/filing-route/pct-international> .
        FILTER(STRSTARTS(STR(?p), "https://w3id.org/ipkg/id/programme/")) }""")
    covered = {r["p"].rsplit("/", 1)[1] for r in rows}
    mine = {f"{p}-patent-funding" for p in PROGRAMMES}
    assert covered & mine == {"shandong-patent-funding", "hunan-patent-funding", "hainan-patent-funding", "xinjiang-patent-funding"}
    # every programme that covers PCT has at least one benefit for the PCT route, and vice versa
    for p in PROGRAMMES:
        has_benefit = kg.ask(f"ASK {{ <programme/{p}-patent-funding> ipkg:hasBenefit ?b . ?b ipkg:forRoute <concept/filing-route/pct-international> }}")
        assert has_benefit == (f"{p}-patent-funding" in covered), p


def test_all_amounts_in_cny_and_yen_noted(kg):
    rows = kg.rows("""SELECT ?b ?cur ?stated ?note WHERE { ?p ipkg:hasBenefit ?b . ?b ipkg:amount ?m . ?m schema:currency ?cur .
        OPTIONAL { ?b ipkg:statedAs ?stated } OPTIONAL { ?b ipkg:dataQualityNote ?note }
        VALUES ?p { <programme/shandong-patent-funding> <programme/hunan-patent-funding> <programme/guangxi-patent-funding>
                    <programme/hainan-patent-funding> <programme/yunnan-patent-funding> <programme/xinjiang-patent-funding> } }""")
    assert len(rows) >= 60
    for r in rows:
        assert r["cur"] == "CNY"
        assert r.get("stated"), r
        if "円" in r["stated"]:
            assert r.get("note"), r
    yen = [r for r in rows if "円" in r["stated"]]
    # Shandong 9, Hunan 4 (PCT 2 + awards 2), Guangxi 9 (excellence award + 8 ranked; the rank-3 city reward, 2 万円
    # at source line 3457, was recorded as 2 万元 until the fidelity check)
    assert len(yen) == 22


def test_shandong_amounts(kg):
    r = amount(kg, "shandong-funding-invention-domestic-granted")
    assert (r["v"], r["stated"]) == (Decimal("4000.0"), "1件あたり4,000円")
    assert amount(kg, "shandong-funding-patent-pct-international-organisation")["v"] == Decimal("10000.0")
    assert amount(kg, "shandong-funding-patent-pct-international-individual")["v"] == Decimal("4000.0")
    r = kg.rows("""SELECT ?v ?mc ?u WHERE { <benefit/shandong-funding-invention-foreign-granted> ipkg:amount/schema:value ?v ;
        ipkg:maxCount ?mc ; ipkg:perUnit ?u ; ipkg:forStatus <concept/filing-status/granted> }""")
    assert r == [{"v": Decimal("20000.0"), "mc": 5, "u": ID + "concept/unit/country"}]
    assert amount(kg, "shandong-funding-reward-china-patent-gold-award")["v"] == Decimal("100000.0")
    assert amount(kg, "shandong-funding-reward-shandong-patent-award-first-prize")["v"] == Decimal("30000.0")
    assert kg.ask("ASK { <benefit/shandong-funding-reward-top-county> ipkg:rankTo 5 ; ipkg:amount/schema:value 50000.0 ; ipkg:benefitKind <concept/benefit-kind/reward> }")
    assert kg.ask("ASK { <benefit/shandong-funding-outstanding-innovator-support> ipkg:maxCount 15 ; ipkg:amount/schema:value 100000.0 }")
    assert kg.ask("""ASK { <deadline/shandong-funding-application> ipkg:duration "P3M"^^xsd:duration }""")
    # exclusion of separately planned cities and foreign-invested enterprises
    assert kg.ask("""ASK { <condition/shandong-funding-eligibility> ipkg:operand ?c . ?c ipkg:operator ipkg:isNotA ;
        ipkg:conceptValue <concept/applicant-kind/foreign-invested-enterprise> }""")


def test_hunan_amounts(kg):
    assert amount(kg, "hunan-funding-invention-domestic-service-granted")["v"] == Decimal("3000.0")
    assert amount(kg, "hunan-funding-utility-model-domestic-service-granted")["v"] == Decimal("400.0")
    assert amount(kg, "hunan-funding-design-domestic-non-service-granted")["v"] == Decimal("200.0")
    assert amount(kg, "hunan-funding-invention-domestic-non-service-granted")["v"] == Decimal("1500.0")
    r = amount(kg, "hunan-funding-patent-pct-international-service")
    assert (r["v"], r["stated"]) == (Decimal("1000000.0"), "1件あたり100万円")
    assert kg.ask("""ASK { <benefit/hunan-funding-patent-pct-international-service> ipkg:dataQualityNote ?n FILTER(CONTAINS(?n, "implausible")) }""")
    assert kg.ask("ASK { <benefit/hunan-funding-patent-pct-national-service> ipkg:cap/schema:maxValue 5000000.0 ; ipkg:forCountry <place/us> , <place/jp> , <place/eu> }")
    ranks = kg.rows("""SELECT ?f ?t ?v WHERE { <programme/hunan-patent-funding> ipkg:hasBenefit ?b . ?b ipkg:rankFrom ?f ; ipkg:rankTo ?t ;
        ipkg:forApplicantKind <concept/applicant-kind/enterprise> ; ipkg:amount/schema:value ?v } ORDER BY ?f""")
    assert [(r["f"], r["t"], int(r["v"])) for r in ranks] == [(1, 1, 50000), (2, 2, 40000), (3, 3, 30000), (4, 4, 20000), (5, 6, 10000)]
    awards = kg.rows("""SELECT ?v ?mc WHERE { ?b ipkg:amount/schema:value ?v ; ipkg:maxCount ?mc .
        FILTER(STRSTARTS(STR(?b), "https://w3id.org/ipkg/id/benefit/hunan-funding-reward-provincial-patent-award")) } ORDER BY DESC(?v)""")
    assert [(int(r["v"]), r["mc"]) for r in awards] == [(600000, 5), (300000, 10), (100000, 20)]
    assert kg.ask("""ASK { <sanction/hunan-funding-false-or-duplicate-application> ipkg:banYears 3 ;
        ipkg:sanctionKind <concept/sanction-kind/refund> , <concept/sanction-kind/reapplication-ban> }""")
    assert kg.ask("""ASK { <deadline/hunan-funding-application> ipkg:duration "P1Y"^^xsd:duration }""")


def test_guangxi_amounts(kg):
    rates = kg.rows("""SELECT ?b ?r WHERE { VALUES ?b { <benefit/guangxi-funding-invention-annuity-service> <benefit/guangxi-funding-invention-annuity-non-service> }
        ?b ipkg:rate ?r ; ipkg:hasCondition <condition/guangxi-funding-annuity-eligibility> } ORDER BY ?r""")
    assert [r["r"] for r in rates] == [Decimal("0.7"), Decimal("0.85")]
    assert kg.ask("ASK { <condition/guangxi-funding-annuity-income-below-25000> ipkg:operator ipkg:lessThan ; ipkg:threshold 25000.0 }")
    assert kg.ask("ASK { <condition/guangxi-funding-annuity-within-6-years> ipkg:operator ipkg:lessOrEqual ; ipkg:threshold 6.0 }")
    assert amount(kg, "guangxi-funding-invention-examination-fee-domestic-no-deferral")["v"] == Decimal("1800.0")
    agency = [int(amount(kg, f"guangxi-funding-{r}-domestic-agency-fee")["v"]) for r in ("invention", "utility-model", "design")]
    assert agency == [1000, 500, 300]
    assert amount(kg, "guangxi-funding-patent-foreign")["v"] == Decimal("5000.0")
    assert kg.ask("ASK { <benefit/guangxi-funding-invention-domestic-organisation-granted> ipkg:amount/schema:value 2000.0 ; ipkg:maxCount 15 }")
    assert kg.ask("ASK { <benefit/guangxi-funding-invention-domestic-individual-granted> ipkg:amount/schema:value 1000.0 ; ipkg:maxCount 3 }")
    assert kg.ask("ASK { <benefit/guangxi-funding-invention-foreign-individual-granted> ipkg:amount/schema:value 10000.0 ; ipkg:maxCount 2 }")
    r = amount(kg, "guangxi-funding-reward-china-patent-excellence-award")
    assert (r["v"], r["stated"]) == (Decimal("10000.0"), "1 案件あたり 1 万円")
    county = [int(amount(kg, f"guangxi-funding-reward-county-total-filings-rank-{i}")["v"]) for i in (1, 2, 3)]
    assert county == [12000, 10000, 8000]
    city = [int(amount(kg, f"guangxi-funding-reward-city-total-filings-rank-{i}")["v"]) for i in (1, 2, 3)]
    assert city == [30000, 25000, 20000]
    assert not kg.ask("ASK { <programme/guangxi-patent-funding> ipkg:coversRoute <concept/filing-route/pct-international> }")


def test_hainan(kg):
    vals = kg.rows("""SELECT ?b ?v WHERE { <programme/hainan-patent-funding> ipkg:hasBenefit ?b . ?b ipkg:amount/schema:value ?v } ORDER BY ?b""")
    assert {r["b"].rsplit("/", 1)[1]: int(r["v"]) for r in vals} == {
        "hainan-funding-invention-foreign": 10000, "hainan-funding-invention-pct-international": 10000,
        "hainan-funding-utility-model-foreign": 5000, "hainan-funding-utility-model-pct-international": 5000}
    assert kg.ask("""ASK { <deadline/hainan-funding-application> ipkg:duration "P1Y"^^xsd:duration ; ipkg:consequence ?c }""")
    ops = {r["c"].rsplit("/", 1)[1] for r in kg.rows("SELECT ?c WHERE { <condition/hainan-funding-eligibility> ipkg:operand ?c }")}
    assert {"hainan-funding-no-ownership-dispute", "hainan-funding-not-already-funded", "hainan-funding-no-plagiarism"} <= ops
    assert not kg.ask("ASK { <programme/hainan-patent-funding> ipkg:hasSanction ?s }")


def test_yunnan_amendment_versions(kg):
    rows = kg.rows("""SELECT ?b ?v ?from ?until WHERE { <programme/yunnan-patent-funding> ipkg:hasBenefit ?b .
        ?b ipkg:forIPRight <concept/ip-right/invention-patent> ; ipkg:forStatus <concept/filing-status/granted> ; ipkg:amount/schema:value ?v .
        OPTIONAL { ?b ipkg:validFrom ?from } OPTIONAL { ?b ipkg:validUntil ?until } } ORDER BY ?v""")
    assert [(int(r["v"]), r.get("from"), r.get("until")) for r in rows] == [
        (760, dt.date(2004, 7, 22), dt.date(2009, 4, 5)), (1060, dt.date(2009, 4, 6), None),
        (1270, dt.date(2004, 7, 22), dt.date(2009, 4, 5)), (1570, dt.date(2009, 4, 6), None)]
    assert amount(kg, "yunnan-funding-invention-domestic-service-filed")["v"] == Decimal("270.0")
    assert amount(kg, "yunnan-funding-design-domestic-non-service-granted")["v"] == Decimal("215.0")
    assert amount(kg, "yunnan-funding-patent-foreign-granted")["max"] == Decimal("30000.0")
    assert kg.ask("ASK { <benefit/yunnan-funding-patent-domestic-no-fee-relief> ipkg:rate 0.5 }")
    assert kg.ask("ASK { <sanction/yunnan-funding-fraud-or-diversion> ipkg:sanctionKind <concept/sanction-kind/reapplication-ban> FILTER NOT EXISTS { <sanction/yunnan-funding-fraud-or-diversion> ipkg:banYears ?y } }")


def test_xinjiang(kg):
    inst = [int(amount(kg, s)["v"]) for s in ("xinjiang-funding-invention-domestic-filed", "xinjiang-funding-invention-domestic-granted",
                                              "xinjiang-funding-utility-model-domestic-granted", "xinjiang-funding-design-domestic-granted")]
    assert inst == [2000, 2000, 1500, 500]
    assert kg.ask("ASK { <sanction/xinjiang-funding-false-or-duplicate-application> ipkg:banYears 3 }")
    assert kg.ask("""ASK { <deadline/xinjiang-funding-public-notice> ipkg:duration "P7D"^^xsd:duration }""")
    assert kg.ask("ASK { <benefit/xinjiang-funding-patent-pct-international> ipkg:forRoute <concept/filing-route/pct-international> ; dct:description ?d }")
    steps = kg.rows("SELECT ?n WHERE { <programme/xinjiang-patent-funding> ipkg:hasProcedureStep/ipkg:ordinal ?n } ORDER BY ?n")
    assert [r["n"] for r in steps] == list(range(1, 8))


def test_sanction_counts(kg):
    rows = kg.rows("""SELECT ?p (COUNT(?s) AS ?k) WHERE { VALUES ?p { <programme/shandong-patent-funding> <programme/hunan-patent-funding>
        <programme/guangxi-patent-funding> <programme/yunnan-patent-funding> <programme/xinjiang-patent-funding> } ?p ipkg:hasSanction ?s } GROUP BY ?p""")
    assert {r["p"].rsplit("/", 1)[1]: r["k"] for r in rows} == {
        "shandong-patent-funding": 2, "hunan-patent-funding": 1, "guangxi-patent-funding": 2, "yunnan-patent-funding": 1, "xinjiang-patent-funding": 1}
