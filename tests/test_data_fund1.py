"""Family fund1 of doc/cn-local-regulations-ch4 (source file 001_3e9a67c1c4e78796.txt): the Chongqing national
high-tech enterprise recognition measures (lines 2336-2546) and the Tianjin, Shanghai, Anhui and Fujian patent
funding measures (lines 2549-3116).

Every expected value was read off the source with `cat -n`; line numbers are given in the comments. Article and
chapter counts were made with `grep -n '^第 *[0-9]* *条'` / `grep -n '^第 *[0-9]* *章'` on each instrument's range.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

ID = "https://w3id.org/ipkg/id/"
SOURCE = Path("/work/shared/sources/001_3e9a67c1c4e78796.txt")
CQ, TJ, SH, AH, FJ = (f"{ID}place/cn-{p}" for p in ("chongqing", "tianjin", "shanghai", "anhui", "fujian"))
HT = "chongqing-high-tech-enterprise-measures"
INSTR = {  # slug: (articles, chapters, first line, last line of the text)
    HT: (20, 6, 2346, 2545),
    "tianjin-patent-funding-measures": (14, 0, 2555, 2635),
    "shanghai-patent-funding-measures": (25, 5, 2645, 2797),
    "anhui-patent-funding-measures": (20, 8, 2807, 2946),
    "fujian-patent-funding-measures": (17, 0, 2956, 3098),
}
PROG = {"tianjin": TJ, "shanghai": SH, "anhui": AH, "fujian": FJ}


def c(scheme: str, slug: str) -> str:
    return f"{ID}concept/{scheme}/{slug}"


def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------- instruments

@pytest.mark.parametrize("slug,articles,chapters", [(s, a, ch) for s, (a, ch, _, _) in INSTR.items()])
def test_article_and_chapter_counts(kg, slug, articles, chapters):
    rows = kg.rows(f"""SELECT ?n WHERE {{ ?a a ipkg:Article ; eli:is_part_of <instrument/{slug}> ; ipkg:ordinal ?n }} ORDER BY ?n""")
    assert [r["n"] for r in rows] == list(range(1, articles + 1))
    rows = kg.rows(f"""SELECT ?n WHERE {{ ?a a ipkg:Chapter ; eli:is_part_of <instrument/{slug}> ; ipkg:ordinal ?n }} ORDER BY ?n""")
    assert [r["n"] for r in rows] == list(range(1, chapters + 1))


@pytest.mark.parametrize("slug", list(INSTR))
def test_articles_start_on_their_heading_and_stay_in_range(kg, slug):
    """Each article's first line is its heading 第n条 in the source; ranges do not overlap and stay in the text."""
    lines = source_lines()
    _, _, first, last = INSTR[slug]
    rows = kg.rows(f"""SELECT ?n ?l ?e WHERE {{ ?a a ipkg:Article ; eli:is_part_of <instrument/{slug}> ;
                       ipkg:ordinal ?n ; ipkg:line ?l ; ipkg:lineEnd ?e ; ipkg:inDocument <doc/cn-local-regulations-ch4> }} ORDER BY ?n""")
    prev_end = first
    for r in rows:
        assert re.match(rf"^第\s*{r['n']}\s*条", lines[r["l"] - 1]), (slug, r)
        assert prev_end <= r["l"] <= r["e"] <= last, (slug, r)
        prev_end = r["e"]


@pytest.mark.parametrize("slug", [s for s, v in INSTR.items() if v[1]])
def test_chapters_start_on_their_heading_and_contain_their_articles(kg, slug):
    lines = source_lines()
    rows = kg.rows(f"""SELECT ?n ?l ?e WHERE {{ ?ch a ipkg:Chapter ; eli:is_part_of <instrument/{slug}> ; ipkg:ordinal ?n ;
                       ipkg:line ?l ; ipkg:lineEnd ?e }} ORDER BY ?n""")
    for r in rows:
        assert re.match(rf"^第\s*{r['n']}\s*章", lines[r["l"] - 1]), (slug, r)
    bad = kg.rows(f"""SELECT ?a WHERE {{ ?a eli:is_part_of <instrument/{slug}> ; a ipkg:Article ; ipkg:line ?l ; ipkg:lineEnd ?e .
                       OPTIONAL {{ ?a ipkg:inChapter ?ch . ?ch ipkg:line ?cl ; ipkg:lineEnd ?ce }}
                       FILTER (!BOUND(?ch) || ?l < ?cl || ?e > ?ce) }}""")
    assert bad == []


def test_chongqing_article_chapter_split(kg):
    # 第1章 arts 1-5 (2348), 第2章 6-7 (2370), 第3章 8 (2403), 第4章 9-15 (2431), 第5章 16-17 (2514), 第6章 18-20 (2533)
    rows = kg.rows(f"""SELECT ?n ?cn WHERE {{ ?a eli:is_part_of <instrument/{HT}> ; a ipkg:Article ; ipkg:ordinal ?n ;
                       ipkg:inChapter/ipkg:ordinal ?cn }}""")
    got = {r["n"]: r["cn"] for r in rows}
    expect = {**dict.fromkeys(range(1, 6), 1), 6: 2, 7: 2, 8: 3, **dict.fromkeys(range(9, 16), 4), 16: 5, 17: 5, 18: 6, 19: 6, 20: 6}
    assert got == expect


@pytest.mark.parametrize("slug,prop,value", [
    ("tianjin-patent-funding-measures", "eli:first_date_entry_in_force", "2012-08-27"),      # line 2553
    ("tianjin-patent-funding-measures", "eli:date_no_longer_in_force", "2015-12-31"),        # art. 14, line 2635
    ("shanghai-patent-funding-measures", "eli:first_date_entry_in_force", "2012-07-01"),     # art. 25, line 2797
    ("shanghai-patent-funding-measures", "eli:date_no_longer_in_force", "2017-06-30"),       # art. 25
    ("anhui-patent-funding-measures", "eli:first_date_entry_in_force", "2010-10-01"),        # art. 20, line 2946
    ("fujian-patent-funding-measures", "eli:first_date_entry_in_force", "2012-08-31"),       # line 2952
    ("fujian-patent-funding-measures", "eli:date_publication", "2012-08-31"),
    ("shanghai-patent-funding-measures-2007", "eli:first_date_entry_in_force", "2007-03-01"),  # line 2641
    ("shanghai-patent-funding-implementing-rules-2007", "eli:first_date_entry_in_force", "2007-07-01"),
])
def test_instrument_dates(kg, slug, prop, value):
    rows = kg.rows(f"SELECT ?d WHERE {{ <instrument/{slug}> {prop} ?d }}")
    assert [str(r["d"]) for r in rows] == [value]


def test_instrument_titles_and_jurisdictions(kg):
    rows = kg.rows("""SELECT ?i ?ja ?place WHERE { ?i a ipkg:LegalInstrument ; eli:title ?ja ; ipkg:jurisdiction ?place .
                      FILTER (LANG(?ja) = "ja") VALUES ?i { <instrument/chongqing-high-tech-enterprise-measures>
                      <instrument/tianjin-patent-funding-measures> <instrument/shanghai-patent-funding-measures>
                      <instrument/anhui-patent-funding-measures> <instrument/fujian-patent-funding-measures> } }""")
    got = {r["i"].rsplit("/", 1)[1]: (r["ja"], r["place"]) for r in rows}
    assert got == {
        HT: ("重慶市国家ハイテク企業認定管理弁法", CQ),                       # line 2346
        "tianjin-patent-funding-measures": ("天津市専利資金助成弁法", TJ),     # line 2555
        "shanghai-patent-funding-measures": ("上海市專利資金助成弁法", SH),    # line 2645
        "anhui-patent-funding-measures": ("安徽省專利發展專用資金管理弁法", AH),  # line 2807
        "fujian-patent-funding-measures": ("福建省專利出願資金助成弁法", FJ),   # line 2956
    }
    zh = kg.rows("""SELECT ?i WHERE { ?i eli:title ?t . FILTER (LANG(?t) = "zh") VALUES ?i { <instrument/chongqing-high-tech-enterprise-measures>
                    <instrument/tianjin-patent-funding-measures> <instrument/shanghai-patent-funding-measures>
                    <instrument/anhui-patent-funding-measures> <instrument/fujian-patent-funding-measures> } }""")
    assert len(zh) == 5


@pytest.mark.parametrize("slug,repealed", [
    (HT, {"chongqing-high-tech-enterprise-implementing-rules-2008"}),                          # art. 18
    ("tianjin-patent-funding-measures", {"tianjin-patent-funding-measures-2010"}),            # art. 14
    ("shanghai-patent-funding-measures", {"shanghai-patent-funding-measures-2007", "shanghai-patent-funding-implementing-rules-2007"}),
    ("anhui-patent-funding-measures", {"anhui-patent-application-fee-funding-measures-trial"}),  # art. 20
    ("fujian-patent-funding-measures", {"fujian-patent-application-funding-management-measures-2008"}),  # art. 16
])
def test_repeals(kg, slug, repealed):
    rows = kg.rows(f"SELECT ?r WHERE {{ <instrument/{slug}> eli:repeals ?r }}")
    assert {r["r"].rsplit("/", 1)[1] for r in rows} == repealed


def test_chongqing_based_on_national_measures(kg):
    rows = kg.rows(f"SELECT ?b ?alt WHERE {{ <instrument/{HT}> eli:based_on ?b . ?b skos:altLabel ?alt }}")
    assert {r["alt"] for r in rows} == {"国科発火[2008]172号", "国科発火[2008]362号"}  # art. 1, line 2352


# ---------------------------------------------------------------- Chongqing high-tech recognition

def atomic(kg, slug):
    rows = kg.rows(f"""SELECT ?p ?op ?t ?u ?b WHERE {{ <condition/{slug}> ipkg:constrains ?p ; ipkg:operator ?op .
                       OPTIONAL {{ <condition/{slug}> ipkg:threshold ?t }} OPTIONAL {{ <condition/{slug}> ipkg:unit ?u }}
                       OPTIONAL {{ <condition/{slug}> ipkg:booleanValue ?b }} }}""")
    assert len(rows) == 1, slug
    return rows[0]


@pytest.mark.parametrize("slug,prop,op,value", [
    ("chongqing-high-tech-company-age", "companyAgeYears", "greaterOrEqual", Decimal("1")),          # art. 2, line 2356
    ("chongqing-high-tech-core-ip", "ownsCoreIP", "equals", True),                                  # art. 8(1), line 2409
    ("chongqing-high-tech-technical-staff-share", "technicalStaffShare", "greaterOrEqual", Decimal("0.30")),  # line 2413
    ("chongqing-high-tech-rd-staff-share", "rdStaffShare", "greaterOrEqual", Decimal("0.10")),      # line 2413
    ("chongqing-high-tech-domestic-rd-share", "domesticRdSpendingShare", "greaterOrEqual", Decimal("0.60")),  # line 2423
    ("chongqing-high-tech-revenue-share", "highTechRevenueShare", "greaterOrEqual", Decimal("0.60")),  # line 2425
])
def test_chongqing_thresholds(kg, slug, prop, op, value):
    r = atomic(kg, slug)
    assert r["p"] == f"https://w3id.org/ipkg/def/{prop}" and r["op"] == f"https://w3id.org/ipkg/def/{op}"
    assert (r["b"] if isinstance(value, bool) else r["t"]) == value


def test_chongqing_top_requirement_has_all_conditions(kg):
    rows = kg.rows("""SELECT ?o WHERE { <programme/chongqing-high-tech-enterprise-recognition> cv:holdsRequirement ?top .
                      ?top a ipkg:AllOf ; ipkg:operand ?o }""")
    assert len(rows) == 11
    props = kg.rows("""SELECT DISTINCT ?p WHERE { <programme/chongqing-high-tech-enterprise-recognition> cv:holdsRequirement/ipkg:operand+ ?c .
                       ?c ipkg:constrains ?p }""")
    names = {r["p"].rsplit("/", 1)[1] for r in props}
    assert {"companyAgeYears", "ownsCoreIP", "rdStaffShare", "rdSpendingShare", "highTechRevenueShare", "revenue",
            "technicalStaffShare", "domesticRdSpendingShare", "domicileRegion", "applicantKind"} == names


def test_hightech_rd_intensity_query(kg):
    """Lines 2417-2421: <50M yuan ≥6%; 50M-200M ≥4%; ≥200M (written 2万万元) ≥3%."""
    rows = [r for r in kg.catalog("hightech-rd-intensity-thresholds") if r["place"] == CQ]
    got = {(r.get("revenueFrom"), r.get("revenueBelow"), r["minRdShare"], r["currency"]) for r in rows}
    assert len(rows) == 3
    assert got == {
        (None, Decimal("50000000"), Decimal("0.06"), "CNY"),
        (Decimal("50000000"), Decimal("200000000"), Decimal("0.04"), "CNY"),
        (Decimal("200000000"), None, Decimal("0.03"), "CNY"),
    }
    assert {r.get("revenueBelowStatedAs") for r in rows} == {"5,000万元未満", "2万万元", None}
    assert kg.ask("""ASK { <condition/chongqing-high-tech-revenue-from-200m> ipkg:statedAs "2万万元以上" ; ipkg:dataQualityNote ?n }""")


def test_chongqing_programme_facts(kg):
    rows = kg.rows("""SELECT ?v ?r WHERE { <programme/chongqing-high-tech-enterprise-recognition> ipkg:validityPeriod ?v ; ipkg:renewable ?r }""")
    assert [(str(x["v"]), x["r"]) for x in rows] == [("P3Y", True)]                     # art. 11, line 2489
    steps = kg.rows("""SELECT ?o WHERE { <programme/chongqing-high-tech-enterprise-recognition> ipkg:hasProcedureStep/ipkg:ordinal ?o } ORDER BY ?o""")
    assert [s["o"] for s in steps] == list(range(1, 15))
    ban = kg.rows("""SELECT ?y (COUNT(DISTINCT ?t) AS ?n) WHERE { <sanction/chongqing-high-tech-revocation> ipkg:banYears ?y ; ipkg:triggeredBy ?t } GROUP BY ?y""")
    assert [(b["y"], b["n"]) for b in ban] == [(5, 4)]                                   # art. 16, lines 2522-2527
    dl = kg.rows("""SELECT ?d WHERE { <deadline/chongqing-high-tech-major-change-report> ipkg:duration ?d }""")
    assert [str(d["d"]) for d in dl] == ["P15D"]                                          # art. 14, line 2501
    docs = kg.rows("""SELECT ?e WHERE { <evidence/chongqing-high-tech-application-documents> cv:specifiesEvidenceType ?e }""")
    assert len(docs) == 6                                                                # art. 10(1)6, lines 2455-2465


# ---------------------------------------------------------------- funding amounts

def benefit(kg, slug):
    rows = kg.rows(f"""SELECT ?v ?min ?max ?cur ?rate ?stated ?unit ?mc ?capmax WHERE {{
        <benefit/{slug}> a ipkg:Benefit .
        OPTIONAL {{ <benefit/{slug}> ipkg:amount ?m . OPTIONAL {{ ?m schema:value ?v }} OPTIONAL {{ ?m schema:minValue ?min }}
                    OPTIONAL {{ ?m schema:maxValue ?max }} OPTIONAL {{ ?m schema:currency ?cur }} }}
        OPTIONAL {{ <benefit/{slug}> ipkg:rate ?rate }} OPTIONAL {{ <benefit/{slug}> ipkg:statedAs ?stated }}
        OPTIONAL {{ <benefit/{slug}> ipkg:perUnit ?unit }} OPTIONAL {{ <benefit/{slug}> ipkg:maxCount ?mc }}
        OPTIONAL {{ <benefit/{slug}> ipkg:cap/schema:maxValue ?capmax }} }}""")
    assert len(rows) == 1, (slug, rows)
    return rows[0]


D = Decimal
AMOUNTS = [
    # slug, value, max, rate, unit, maxCount, cap     (source line)
    ("tianjin-funding-invention-domestic-key-organisation", None, D(1500), None, "application", None, D(300000)),  # 2589
    ("tianjin-funding-utility-model-domestic-key-organisation", None, D(500), None, "application", None, D(300000)),  # 2589
    ("tianjin-funding-invention-domestic-organisation", None, D(1000), None, "application", None, D(5000)),    # 2599
    ("tianjin-funding-invention-domestic-individual", None, D(1000), None, "application", None, D(2000)),      # 2599
    ("tianjin-funding-utility-model-domestic-organisation", None, D(500), None, "application", None, D(5000)),
    ("tianjin-funding-design-domestic-individual", None, D(400), None, "application", None, D(2000)),
    ("tianjin-funding-invention-domestic-sme-first-filing", D(2000), None, None, "application", 1, None),      # 2601
    ("tianjin-funding-invention-maintenance", None, D(500), None, "year", None, D(300000)),                   # 2603
    ("tianjin-funding-award-china-patent-gold", D(100000), None, None, "item", None, None),                   # 2609
    ("tianjin-funding-award-tianjin-patent", D(30000), None, None, "item", None, None),
    ("tianjin-funding-award-tianjin-patent-excellence", D(10000), None, None, "item", None, None),
    ("tianjin-funding-total-per-applicant", None, None, None, None, None, D(1000000)),                      # 2583
    ("shanghai-funding-invention-domestic-filing-fees", None, None, D("0.8"), "application", None, None),     # 2700
    ("shanghai-funding-invention-domestic-examination-grant-fees", None, None, D("1.0"), "grant", None, None),  # 2701
    ("shanghai-funding-invention-domestic-annuities", None, None, D("0.8"), "year", None, None),              # 2702
    ("shanghai-funding-invention-domestic-agency-fee", None, D(2000), None, "grant", None, None),             # 2703
    ("shanghai-funding-utility-model-domestic", None, None, D("0.5"), "grant", None, None),                   # 2709
    ("shanghai-funding-design-domestic", None, None, D("0.6"), "grant", None, None),
    ("shanghai-funding-invention-hk-macao-taiwan", None, D(5000), None, "grant", None, None),                 # 2715-2717
    ("shanghai-funding-invention-foreign", None, D(30000), None, "country", 5, D(1000000)),                  # 2723-2727
    ("shanghai-funding-design-foreign", None, D(3000), None, "country", 3, D(1000000)),
    ("shanghai-funding-special-pilot", None, D(400000), None, "enterprise", None, None),                     # 2755
    ("shanghai-funding-special-model", None, D(600000), None, "enterprise", None, None),                     # 2757
    ("anhui-funding-invention-domestic-granted", D(5000), None, None, "grant", None, None),                   # 2873
    ("anhui-funding-invention-foreign-granted", D(20000), None, None, "grant", 2, None),                      # 2873
    ("fujian-funding-invention-domestic-service-granted", D(5000), None, None, "grant", None, None),          # 2986
    ("fujian-funding-invention-domestic-non-service-granted", D(2500), None, None, "grant", None, None),      # 2988
    ("fujian-funding-invention-pct-international-service", D(5000), None, None, "application", None, None),   # 2992
    ("fujian-funding-invention-pct-international-non-service", D(2500), None, None, "application", None, None),  # 2994
    ("fujian-funding-invention-foreign-granted", D(20000), None, None, "grant", 2, None),                     # 3000, 3006
    ("fujian-funding-utility-model-foreign-granted", D(15000), None, None, "grant", 2, None),                 # 3002
    ("fujian-funding-design-foreign-granted", D(10000), None, None, "grant", 2, None),                        # 3004
]


@pytest.mark.parametrize("slug,value,maxv,rate,unit,maxcount,cap", AMOUNTS)
def test_funding_amounts(kg, slug, value, maxv, rate, unit, maxcount, cap):
    r = benefit(kg, slug)
    assert r.get("v") == value and r.get("max") == maxv and r.get("rate") == rate
    assert r.get("unit") == (c("unit", unit) if unit else None)
    assert r.get("mc") == maxcount and r.get("capmax") == cap
    if value is not None or maxv is not None:
        assert r["cur"] == "CNY"


def test_tianjin_project_funding_ranges(kg):
    for slug in ("tianjin-funding-pilot-model-projects", "tianjin-funding-information-platform-projects"):  # 2591, 2593
        r = benefit(kg, slug)
        assert (r["min"], r["max"], r["stated"]) == (D(50000), D(200000), "5～20 万円")


def test_yen_amounts_have_quality_notes(kg):
    """Amounts the translation writes with 円 carry a data-quality note (Tianjin arts. 5-8)."""
    rows = kg.rows("""SELECT ?b (COUNT(?n) AS ?notes) WHERE { ?p ipkg:hasBenefit ?b . ?b ipkg:statedAs ?s .
                      FILTER (CONTAINS(?s, "円")) OPTIONAL { ?b ipkg:dataQualityNote ?n }
                      VALUES ?p { <programme/tianjin-patent-funding> <programme/shanghai-patent-funding>
                                  <programme/anhui-patent-funding> <programme/fujian-patent-funding> } } GROUP BY ?b""")
    assert len(rows) == 9
    assert all(r["notes"] >= 1 for r in rows)


def test_benefit_dimensions(kg):
    def dims(slug, prop):
        return {r["x"] for r in kg.rows(f"SELECT ?x WHERE {{ <benefit/{slug}> ipkg:{prop} ?x }}")}
    assert dims("shanghai-funding-invention-hk-macao-taiwan", "forCountry") == {f"{ID}place/cn-hong-kong", f"{ID}place/cn-macao", f"{ID}place/cn-taiwan"}
    assert dims("tianjin-funding-invention-domestic-key-organisation", "capPer") == {c("unit", "applicant"), c("unit", "year")}
    assert dims("tianjin-funding-invention-pct", "forRoute") == {c("filing-route", "pct-international"), c("filing-route", "pct-national")}
    assert dims("fujian-funding-invention-pct-international-service", "forServiceInvention") == {True}
    assert dims("fujian-funding-invention-pct-international-service", "forApplicantKind") == set()
    assert dims("fujian-funding-invention-pct-international-service", "forStatus") == {c("filing-status", "filed")}
    assert dims("anhui-funding-invention-foreign-granted", "forStatus") == {c("filing-status", "granted")}
    assert dims("tianjin-funding-invention-maintenance", "yearFrom") == {4} and dims("tianjin-funding-invention-maintenance", "yearTo") == {6}
    assert dims("shanghai-funding-invention-domestic-annuities", "yearFrom") == {2}


@pytest.mark.parametrize("prov,covers", [("tianjin", True), ("fujian", True), ("shanghai", False), ("anhui", False)])
def test_pct_coverage_is_queryable(kg, prov, covers):
    # Tianjin art. 4(1) and 7(4) (lines 2573, 2605); Fujian art. 4(2) (line 2976); none in Shanghai or Anhui.
    assert kg.ask(f"ASK {{ <programme/{prov}-patent-funding> ipkg:coversRoute <concept/filing-route/pct-international> }}") is covers


def test_pct_amounts_query(kg):
    rows = [r for r in kg.catalog("funding-pct-amounts") if r["place"] in PROG.values()]
    assert {r["place"] for r in rows} == {TJ, FJ}
    fj = {(r["serviceInvention"], r["amount"], r["currency"]) for r in rows if r["place"] == FJ}
    # Fujian art. 5: 職務出願は1件あたり5,000元, non-service 2,500 yuan
    assert fj == {(True, D(5000), "CNY"), (False, D(2500), "CNY")}
    tj = [r for r in rows if r["place"] == TJ]
    assert {r["benefit"] for r in tj} == {f"{ID}benefit/tianjin-funding-invention-pct"}
    assert all("amount" not in r and "maxAmount" not in r and r["description"] for r in tj)   # amounts left to separate rules


def test_invention_grant_query(kg):
    rows = [r for r in kg.catalog("funding-invention-grant-by-jurisdiction") if r["place"] in PROG.values()]
    by_place = {}
    for r in rows:
        by_place.setdefault(r["place"], set()).add(r["benefit"].rsplit("/", 1)[1])
    assert by_place[AH] == {"anhui-funding-invention-domestic-granted", "anhui-funding-invention-foreign-granted"}
    assert by_place[FJ] == {"fujian-funding-invention-domestic-service-granted", "fujian-funding-invention-domestic-non-service-granted",
                            "fujian-funding-invention-foreign-granted"}
    assert by_place[SH] == {"shanghai-funding-invention-domestic-examination-grant-fees", "shanghai-funding-invention-domestic-annuities",
                            "shanghai-funding-invention-domestic-agency-fee", "shanghai-funding-invention-hk-macao-taiwan",
                            "shanghai-funding-invention-foreign"}
    assert "tianjin-funding-invention-domestic-organisation" in by_place[TJ]
    sh_foreign = {(r.get("maxAmount"), r.get("maxCount"), r.get("capAmount")) for r in rows if r["benefit"].endswith("shanghai-funding-invention-foreign")}
    assert sh_foreign == {(D(30000), 5, D(1000000))}
    countries = {r["country"] for r in rows if "country" in r and r["place"] == SH}
    assert countries == {f"{ID}place/cn-hong-kong", f"{ID}place/cn-macao", f"{ID}place/cn-taiwan"}


def test_refunds_and_bans_query(kg):
    rows = [r for r in kg.catalog("funding-refunds-and-bans") if r["place"] in PROG.values()]
    got = {r["sanction"].rsplit("/", 1)[1]: (r["refund"], r["ban"], r.get("banYears")) for r in rows}
    assert got == {
        "tianjin-funding-fraud": (1, 1, None),                   # art. 12: 翌年度及び翌年度以降, no number of years
        "tianjin-funding-abnormal-filing-refund": (1, 0, None),  # art. 12
        "shanghai-funding-applicant-fraud": (1, 1, 2),           # art. 20, line 2775
        "anhui-funding-fraud": (1, 1, 5),                        # art. 18, line 2936
        "fujian-funding-fraud": (1, 0, None),                    # art. 8, line 3060
        "fujian-funding-abnormal-application": (1, 1, 5),        # art. 9, line 3064
        "fujian-funding-unreturned-funding": (0, 1, None),       # art. 9
    }
    articles = {r["sanction"].rsplit("/", 1)[1]: r["firstArticle"].rsplit("/", 1)[1] for r in rows}
    assert articles["shanghai-funding-applicant-fraud"] == "20" and articles["anhui-funding-fraud"] == "18"


def test_other_sanctions(kg):
    def kinds(slug):
        return {r["k"].rsplit("/", 1)[1] for r in kg.rows(f"SELECT ?k WHERE {{ <sanction/{slug}> ipkg:sanctionKind ?k }}")}
    assert kinds("shanghai-funding-applicant-fraud") == {"refund", "reapplication-ban", "credit-record", "legal-liability"}
    assert kinds("shanghai-funding-agency-fraud") == {"suspension", "credit-record", "legal-liability"}   # art. 21
    assert kinds("tianjin-funding-criminal-liability") == {"criminal-referral"}                           # art. 12
    assert kinds("fujian-funding-fraud") == {"refund", "public-notice"}                                    # art. 8


@pytest.mark.parametrize("slug,duration", [("shanghai-funding-decision-special", "P2M"), ("chongqing-high-tech-reexamination-request", "P6M")])
def test_deadlines(kg, slug, duration):
    rows = kg.rows(f"SELECT ?d WHERE {{ <deadline/{slug}> ipkg:duration ?d }}")
    assert [str(r["d"]) for r in rows] == [duration]


def test_anhui_documents(kg):
    # art. 13 (lines 2895-2900) and art. 14 (lines 2906-2911): six items each
    for lst in ("anhui-funding-domestic-documents", "anhui-funding-foreign-documents"):
        assert len(kg.rows(f"SELECT ?e WHERE {{ <evidence/{lst}> cv:specifiesEvidenceType ?e }}")) == 6


def test_fujian_eligibility_excludes_separately_planned_city(kg):
    assert kg.ask("""ASK { <programme/fujian-patent-funding> cv:holdsRequirement ?top . ?top ipkg:operand ?c .
                       ?c ipkg:constrains ipkg:domicileRegion ; ipkg:operator ipkg:isNotA ; ipkg:conceptValue <place/cn-fujian-xiamen> }""")


def test_every_fact_in_my_programmes_cites_its_own_instrument(kg):
    rows = kg.rows("""SELECT ?p ?x WHERE {
        VALUES (?p ?i) { (<programme/chongqing-high-tech-enterprise-recognition> <instrument/chongqing-high-tech-enterprise-measures>)
                         (<programme/tianjin-patent-funding> <instrument/tianjin-patent-funding-measures>)
                         (<programme/shanghai-patent-funding> <instrument/shanghai-patent-funding-measures>)
                         (<programme/anhui-patent-funding> <instrument/anhui-patent-funding-measures>)
                         (<programme/fujian-patent-funding> <instrument/fujian-patent-funding-measures>) }
        ?p ipkg:hasBenefit|ipkg:hasSanction|ipkg:hasProcedureStep ?x .
        FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?a . ?a eli:is_part_of ?i } }""")
    assert rows == []
