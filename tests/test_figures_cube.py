"""Figures as W3C Data Cube observations: data sets, measure concepts, typed periods, dimensions, checked against the sources."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

ID = "https://w3id.org/ipkg/id/"
NEWS, DECK, CH5 = "jetro-beijing-ip-news-532", "jpo-ip-ecosystem-2025", "jpo-annual-report-ch5"


def test_observations_per_data_set(kg):
    rows = kg.rows("""SELECT ?ds (COUNT(?f) AS ?n) WHERE { ?f a ipkg:Figure ; qb:dataSet ?ds } GROUP BY ?ds""")
    got = {r["ds"].removeprefix(ID + "dataset/"): r["n"] for r in rows}
    assert got == {f"{NEWS}-figures": 52, f"{DECK}-figures": 122, f"{CH5}-figures": 68}


def test_each_data_set_has_the_structure_and_its_source(kg):
    rows = kg.rows("""SELECT ?ds ?doc WHERE { ?ds a qb:DataSet ; qb:structure ipkg:figureStructure ; dct:source ?doc .
                      ?doc a ipkg:SourceDocument }""")
    assert {(r["ds"].removeprefix(ID + "dataset/"), r["doc"].removeprefix(ID + "doc/")) for r in rows} == {
        (f"{s}-figures", s) for s in (NEWS, DECK, CH5)}


def test_every_figure_is_in_its_sources_graph_data_set(kg):
    rows = kg.rows("""SELECT ?f WHERE { GRAPH ?g { ?f a ipkg:Figure ; qb:dataSet ?ds }
                      FILTER (STRAFTER(STR(?ds), "/dataset/") != CONCAT(STRAFTER(STR(?g), "/graph/"), "-figures")) }""")
    assert rows == []


def test_every_figure_is_an_observation_with_all_dimensions(kg):
    rows = kg.rows("""SELECT ?f WHERE { ?f a ipkg:Figure .
        FILTER NOT EXISTS { ?f a qb:Observation ; qb:measureType ?m ; ipkg:refArea ?a ; ipkg:refPeriod ?p ;
                            ipkg:procedureStage ?s ; ipkg:applicantCategory ?c ; ipkg:rightKind ?r ; ipkg:unit ?u ;
                            prov:wasDerivedFrom ?l . ?m skos:inScheme <concept/measure> . ?a a ipkg:Place } }""")
    assert rows == []
    assert kg.rows("SELECT (COUNT(?f) AS ?n) WHERE { ?f a ipkg:Figure }")[0]["n"] == 242


def test_every_figure_has_a_typed_period_or_says_it_has_none(kg):
    untyped = kg.rows("""SELECT ?f WHERE { ?f a ipkg:Figure ; ipkg:refPeriod ?p .
        FILTER NOT EXISTS { ?p time:hasBeginning?/time:inXSDDate ?d FILTER (DATATYPE(?d) = xsd:date) }
        FILTER NOT EXISTS { ?p time:hasEnd/time:inXSDDate ?e FILTER (DATATYPE(?e) = xsd:date) }
        FILTER NOT EXISTS { ?f ipkg:refPeriod <period/not-stated> ; ipkg:dataQualityNote ?n } }""")
    assert untyped == []
    n = kg.rows("SELECT (COUNT(?f) AS ?n) WHERE { ?f ipkg:refPeriod <period/not-stated> }")[0]["n"]
    assert n == 30  # "2025 deck" 15, the chart's unstated year 6, "as reported in chapter 5" 2, no period 1, per year / per period / per startup 6


def test_the_measure_property_carries_the_value(kg):
    rows = kg.rows("""SELECT ?f WHERE { ?f a ipkg:Figure ; qb:measureType ?m ; schema:value ?v . FILTER NOT EXISTS { ?f ?m ?v } }""")
    assert rows == []


def test_measure_concepts_and_periods(kg):
    row = kg.rows("""SELECT (COUNT(DISTINCT ?m) AS ?m) (COUNT(DISTINCT ?used) AS ?u) WHERE {
        ?m skos:inScheme <concept/measure> ; a qb:MeasureProperty ; skos:prefLabel ?en , ?ja .
        FILTER (LANG(?en) = "en" && LANG(?ja) = "ja")
        OPTIONAL { ?f qb:measureType ?m BIND (?m AS ?used) }
        FILTER EXISTS { ipkg:figureStructure qb:component/qb:measure ?m } }""")[0]
    assert row["m"] == row["u"] == 72
    assert kg.rows("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?f ipkg:refPeriod ?p }")[0]["n"] == 33


def test_japanese_fiscal_year_runs_april_to_march(kg):
    row = kg.rows("""SELECT ?b ?e ?u WHERE { <period/fy2023> a time:Interval ; time:hasBeginning/time:inXSDDate ?b ;
                     time:hasEnd/time:inXSDDate ?e ; time:unitType ?u }""")[0]
    assert (row["b"], row["e"], row["u"]) == (dt.date(2023, 4, 1), dt.date(2024, 3, 31), "http://www.w3.org/2006/time#unitYear")


FIGURE = """SELECT ?value ?unit ?measure ?area ?stage ?applicant ?right ?begin ?end ?line WHERE {
    <figure/%s> schema:value ?value ; ipkg:unit ?unit ; qb:measureType ?measure ; ipkg:refArea ?area ;
        ipkg:procedureStage ?stage ; ipkg:applicantCategory ?applicant ; ipkg:rightKind ?right ; ipkg:refPeriod ?p ;
        prov:wasDerivedFrom/ipkg:line ?line .
    OPTIONAL { ?p time:hasBeginning?/time:inXSDDate ?begin }
    OPTIONAL { ?p time:hasEnd/time:inXSDDate ?e0 } OPTIONAL { ?p time:inXSDDate ?i0 }
    BIND (COALESCE(?e0, ?i0) AS ?end) }"""

CASES = [
    # 000:698 "特許取得数は 4 万 8900 件で、同 14.32％増加" (Beijing, January to June 2023)
    ("beijing-2023-h1-invention-patents-granted", 48900, "unit/item", "measure/rights-granted", "place/cn-beijing",
     "procedure-stage/grant", "applicant-kind/applicant", "ip-right/invention-patent", (2023, 1, 1), (2023, 6, 30), 698),
    # 000:666 "全国の 18.4%を占める 584.5 万件" (Guangdong, cumulative patents of all three kinds, end of June 2023)
    ("guangdong-2023-06-cumulative-patents-granted", 5845000, "unit/item", "measure/rights-granted-cumulative", "place/cn-guangdong",
     "procedure-stage/grant", "applicant-kind/applicant", "ip-right/patent", (2023, 6, 30), (2023, 6, 30), 666),
    # 004:493 "2023年度の相談件数は、118,902件。" (INPIT IP comprehensive support desks)
    ("inpit-ip-desk-consultations-fy2023", 118902, "unit/item", "measure/consultations", "place/jp",
     "procedure-stage/any", "applicant-kind/applicant", "ip-right/ip-right", (2023, 4, 1), (2024, 3, 31), 493),
    # 004:412 "2024年3月末時点で、登録件数は18,537件（うち…大学・TLO：6,878件…）"
    ("open-patent-database-records-universities-2024-03", 6878, "unit/item", "measure/database-records", "place/jp",
     "procedure-stage/any", "applicant-kind/university", "ip-right/patent", (2024, 3, 31), (2024, 3, 31), 412),
    # 002:1259 chart row "9.4 9.3 9.3 9.5 10.2 10.1 10.0 9.4" (FY2016..FY2023), the last the JPO's FY2023 first-action pendency
    ("jpo-patent-first-action-pendency-fy2023", Decimal("9.4"), "unit/month", "measure/examination-pendency", "place/jp",
     "procedure-stage/first-action", "applicant-kind/applicant", "ip-right/patent", (2023, 4, 1), (2024, 3, 31), 1259),
    # 002:1961 "中小企業 17.6％" of the patent applications by domestic applicants, 2023
    ("jp-sme-share-of-domestic-patent-applications-2023", Decimal("17.6"), "unit/percent", "measure/share-of-applications", "place/jp",
     "procedure-stage/filing", "applicant-kind/sme", "ip-right/patent", (2023, 1, 1), (2023, 12, 31), 1961),
    # 000:581 "電解コンデンサを 152 万点押収" (Dongguan customs)
    ("dongguan-customs-murata-capacitors-seized", 1520000, "unit/item", "measure/goods-seized", "place/cn-guangdong-dongguan",
     "procedure-stage/any", "applicant-kind/applicant", "ip-right/trademark", (2023, 1, 1), (2023, 12, 31), 581),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_figure_matches_its_source_line(kg, case):
    slug, value, unit, measure, area, stage, applicant, right, begin, end, line = case
    rows = kg.rows(FIGURE % slug)
    assert rows, slug
    r = rows[0]
    assert r["value"] == value
    assert (r["unit"], r["measure"], r["area"]) == (ID + "concept/" + unit, ID + "concept/" + measure, ID + area)
    assert (r["stage"], r["applicant"], r["right"]) == (ID + "concept/" + stage, ID + "concept/" + applicant, ID + "concept/" + right)
    assert (r["begin"], r["end"]) == (dt.date(*begin), dt.date(*end))
    assert line in {x["line"] for x in rows}


def test_a_figure_without_a_stated_period_says_so(kg):
    # 002:1175 the EPO's chart value "19.9" (10,000s of applications); the extracted text has no application year
    r = kg.rows("""SELECT ?p ?area ?note WHERE { <figure/ip5-patent-applications-epo> ipkg:refPeriod ?p ; ipkg:refArea ?area ;
                   ipkg:dataQualityNote ?note }""")[0]
    assert (r["p"], r["area"]) == (ID + "period/not-stated", ID + "place/europe")
    assert "not stated" in r["note"]


@pytest.mark.parametrize("measure, sources", [
    ("beneficiaries-supported", {DECK, CH5}),            # IPAS startups: 19 in FY2023 (004:11), 114 over 2018-2024 (002:2314)
    ("support-duration", {DECK, CH5}),                   # IPAS: 5 months (004:11, 002:2297)
    ("experts-and-staff-assigned", {DECK, CH5}),
    ("database-records", {NEWS, DECK, CH5}),             # Lhasa platform, WIPO GREEN, J-PlatPat
    ("regions-designated", {NEWS, DECK}),                # pilot regions (000:267), model regions (002:2048)
    ("network-members", {NEWS, DECK}),
    ("applications-filed", {DECK}),
])
def test_a_shared_measure_links_figures_of_several_sources(kg, measure, sources):
    rows = kg.rows(f"""SELECT DISTINCT ?ds WHERE {{ ?f qb:measureType <concept/measure/{measure}> ; qb:dataSet ?ds }}""")
    assert {r["ds"].removeprefix(ID + "dataset/").removesuffix("-figures") for r in rows} == sources


def test_ipas_startups_supported_across_sources(kg):
    rows = kg.rows("""SELECT ?f ?v ?ds WHERE { ?f qb:measureType <concept/measure/beneficiaries-supported> ;
                      ipkg:applicantCategory <concept/applicant-kind/startup> ; dct:subject <programme/ipas> ; schema:value ?v ; qb:dataSet ?ds }""")
    got = {r["f"].removeprefix(ID + "figure/"): r["v"] for r in rows}
    assert got == {"ipas-startups-supported-fy2023": 19, "ipas-startups-2018-2024": 114, "ipas-startups-per-year": 20}


def test_typed_period_query_returns_what_the_string_query_returned(kg):
    before = kg.rows("""SELECT ?f WHERE { ?f a ipkg:Figure ; ipkg:period ?p FILTER (STR(?p) = "FY2023") }""")
    after = kg.rows("""SELECT ?f WHERE { ?f a ipkg:Figure ; ipkg:refPeriod ?p .
        ?p time:hasBeginning/time:inXSDDate ?b ; time:hasEnd/time:inXSDDate ?e ; time:unitType time:unitYear .
        FILTER (?b = "2023-04-01"^^xsd:date && ?e = "2024-03-31"^^xsd:date) }""")
    assert {r["f"] for r in before} == {r["f"] for r in after}
    assert len(after) == 59


def test_as_of_dates_are_instants(kg):
    before = kg.rows("""SELECT ?f WHERE { ?f ipkg:period ?p FILTER (STR(?p) = "as of 2024-03-31") }""")
    after = kg.rows("""SELECT ?f WHERE { ?f ipkg:refPeriod ?p . ?p a time:Instant ; time:inXSDDate "2024-03-31"^^xsd:date }""")
    assert {r["f"] for r in before} == {r["f"] for r in after} and len(after) == 11


def test_compare_catalogue_query_pendency_by_fiscal_year(kg):
    rows = kg.catalog("figures-compare", measure=ID + "concept/measure/examination-pendency", start="2016-01-01",
                      end="2024-12-31", area=ID + "place/jp")
    patent_fa = [(r["periodBegin"], r["value"]) for r in rows
                 if r["rightKind"] == ID + "concept/ip-right/patent" and r["stage"] == ID + "concept/procedure-stage/first-action"]
    assert patent_fa[0] == (dt.date(2016, 4, 1), Decimal("9.4")) and patent_fa[-1] == (dt.date(2023, 4, 1), Decimal("9.4"))
    assert len(patent_fa) == 8
    assert all(r["brokenDown"] for r in rows)


def test_compare_catalogue_query_area_filter(kg):
    rows = kg.catalog("figures-compare", measure=ID + "concept/measure/rights-granted", start="2023-01-01", end="2023-06-30",
                      area=ID + "place/cn")
    areas = {r["refArea"].removeprefix(ID + "place/") for r in rows}
    assert areas == {"cn-beijing", "cn-guangdong"}
    everywhere = kg.catalog("figures-compare", measure=ID + "concept/measure/applications-filed", start="1800-01-01", end="2030-12-31",
                            area=ID + "place/world")
    assert {r["refArea"].removeprefix(ID + "place/") for r in everywhere} >= {"cn", "us", "europe", "kr", "jp"}


def test_figures_by_region_finds_figures_by_reference_area(kg):
    rows = kg.catalog("news-figures-by-region", place=ID + "place/cn-guangdong")
    got = {r["figure"].removeprefix(ID + "figure/"): r for r in rows}
    assert got["dongguan-customs-murata-capacitors-seized"]["via"] == "reference area in the place"
    h1 = got["guangdong-2023-h1-patents-granted"]
    assert (h1["periodBegin"], h1["periodEnd"]) == (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    assert h1["measureConcept"] == ID + "concept/measure/rights-granted"
