"""Facts from the JETRO Beijing China IP newsletter No. 532 (2023-08-07), each checked against the source text.

Source: /work/shared/sources/000_4a25ec3d30997a62.txt (doc slug jetro-beijing-ip-news-532).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

ID = "https://w3id.org/ipkg/id/"
G = "https://w3id.org/ipkg/graph/jetro-beijing-ip-news-532"
D = dt.date

# Headline lines of the 19 news items in the table of contents (lines 31-130), by section.
SECTIONS = {
    "central-government": [33, 37, 39, 43, 47],
    "local-government": [55, 57, 63, 70, 76],
    "courts": [84, 86, 88],
    "counterfeits": [96, 100],
    "companies": [108],
    "statistics": [116, 120],
    "other": [128],
}
ALLIANCE_12 = {
    "cn-beijing", "cn-tianjin", "cn-hebei", "cn-shanghai", "cn-jiangsu", "cn-shandong",
    "cn-guangdong", "cn-chongqing", "cn-sichuan", "cn-hubei", "cn-zhejiang", "cn-anhui",
}
BATCH_2 = {
    "cn-hebei", "cn-inner-mongolia", "cn-heilongjiang", "cn-fujian", "cn-gansu",            # the 5 provinces / ARs
    "cn-liaoning-shenyang", "cn-zhejiang-hangzhou", "cn-zhejiang-wenzhou", "cn-fujian-xiamen",  # 4 of 12 cities named
    "cn-zhejiang-jiaxing-haining", "cn-zhejiang-lishui-yunhe", "cn-zhejiang-huzhou-anji",     # 3 of 5 counties named
}


def one(kg, sparql):
    rows = kg.rows(sparql)
    assert len(rows) == 1, rows
    return rows[0]


def figure(kg, slug):
    return one(kg, f"""SELECT ?value ?unit ?period ?approx ?stated WHERE {{
        <figure/{slug}> a ipkg:Figure ; schema:value ?value ; ipkg:unit ?unit ; ipkg:period ?period ; ipkg:statedAs ?stated .
        OPTIONAL {{ <figure/{slug}> ipkg:approximate ?approx }} }}""")


# ---------------------------------------------------------------- completeness of the news items

def test_nineteen_news_items_one_per_headline():
    assert sum(len(v) for v in SECTIONS.values()) == 19


def test_every_headline_has_exactly_one_news_event(kg):
    rows = kg.rows(f"""SELECT ?line (COUNT(DISTINCT ?e) AS ?n) WHERE {{
        GRAPH <{G}> {{ ?e ipkg:reportedBy ?src }}
        ?e a ipkg:Event ; prov:wasDerivedFrom ?loc .
        ?loc ipkg:inDocument <doc/jetro-beijing-ip-news-532> ; ipkg:line ?line .
        FILTER (?line >= 31 && ?line <= 130)
        FILTER NOT EXISTS {{ ?e ipkg:eventKind <concept/event-kind/publication> }}
    }} GROUP BY ?line ORDER BY ?line""")
    by_line = {r["line"]: r["n"] for r in rows}
    headline_lines = sorted(x for v in SECTIONS.values() for x in v)
    assert {line: by_line.get(line) for line in headline_lines} == dict.fromkeys(headline_lines, 1)


def test_news_item_count_is_nineteen(kg):
    row = one(kg, f"""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{
        GRAPH <{G}> {{ ?e ipkg:reportedBy ?src ; ipkg:reportDate ?d }}
        FILTER NOT EXISTS {{ ?e ipkg:eventKind <concept/event-kind/publication> }} }}""")
    assert row["n"] == 19


def test_every_news_item_has_kind_description_and_source(kg):
    rows = kg.rows(f"""SELECT ?e WHERE {{
        GRAPH <{G}> {{ ?e ipkg:reportedBy ?src }}
        FILTER NOT EXISTS {{ ?e ipkg:eventKind ?k ; ipkg:reportDate ?d ; dct:description ?desc ; rdfs:label ?l . FILTER (LANG(?desc) = "en") }} }}""")
    assert rows == []


def test_report_dates_and_outlets(kg):
    rows = kg.rows(f"""SELECT ?e ?src ?d WHERE {{ GRAPH <{G}> {{ ?e ipkg:reportedBy ?src ; ipkg:reportDate ?d }} }}""")
    got = {r["e"].removeprefix(ID + "event/"): (r["src"], r["d"]) for r in rows}
    assert got["2023-07-26-hangzhou-bioeconomy-tribunal-established"] == ("中国法院網", D(2023, 7, 27))
    assert got["2023-08-01-12-provinces-ip-administrative-protection-alliance-founded"] == ("広東省市場監督管理局公式サイト", D(2023, 8, 2))
    assert got["beijing-2023-h1-patent-statistics"] == ("北京市知識産権局 wechat 公式アカウント", D(2023, 7, 27))
    assert got["2023-07-28-wuhan-jianghan-cross-district-ip-memorandum"] == ("湖北省人民政府", D(2023, 8, 2))
    assert got["lhasa-ip-public-service-platform-launch"] == ("中国知識産権資訊網", D(2023, 7, 4))
    assert got["cnipa-ip-dispute-rapid-handling-pilot-batch-2"] == ("中国保護知識産権網", D(2023, 7, 28))
    # outlets cited across the 19 items
    outlets = {v[0] for k, v in got.items() if k != "jetro-hk-report-2023-ip-powerhouse-plan"}
    assert outlets == {"国家知識産権網", "中国保護知識産権網", "中国知識産権資訊網", "江蘇省政府公式サイト",
                       "広東省市場監督管理局公式サイト", "湖北省人民政府", "中国法院網", "杭州市政府公式サイト",
                       "北京市知識産権局 wechat 公式アカウント"}


def test_event_dates_given_in_the_bodies(kg):
    rows = kg.rows(f"""SELECT ?e ?d WHERE {{ GRAPH <{G}> {{ ?e ipkg:reportedBy ?s ; dct:date ?d }} }}""")
    got = {r["e"].removeprefix(ID + "event/"): r["d"] for r in rows}
    assert got == {
        "2023-07-24-china-central-asia-ip-heads-meeting": D(2023, 7, 24),
        "2023-07-27-china-russia-ip-working-group-14th-meeting": D(2023, 7, 27),
        "2023-07-28-ip-powerhouse-promotion-plan-2023-issued": D(2023, 7, 28),
        "2023-07-25-jingjinji-ip-coordinated-development-conference": D(2023, 7, 25),
        "2023-07-28-guangdong-data-ip-platform-launch": D(2023, 7, 28),
        "2023-07-28-wuhan-jianghan-cross-district-ip-memorandum": D(2023, 7, 28),
        "2023-07-31-guangzhou-ip-dispute-resolution-cooperation-base": D(2023, 7, 31),
        "2023-07-26-hangzhou-bioeconomy-tribunal-established": D(2023, 7, 26),
        "2023-08-01-12-provinces-ip-administrative-protection-alliance-founded": D(2023, 8, 1),
        "2023-07-24-china-central-asia-ip-cooperation-forum": D(2023, 7, 24),
    }


def test_undated_items_say_so(kg):
    rows = kg.rows(f"""SELECT ?e WHERE {{ GRAPH <{G}> {{ ?e ipkg:reportedBy ?s }}
        FILTER NOT EXISTS {{ ?e dct:date ?d }}
        FILTER NOT EXISTS {{ ?e ipkg:dataQualityNote ?n FILTER (CONTAINS(?n, "report date") || CONTAINS(?n, "issue date")) }} }}""")
    assert rows == []


def test_platform_launch_reported_before_it_happened_is_flagged(kg):
    row = one(kg, """SELECT ?d ?rd ?note WHERE { <event/2023-07-28-guangdong-data-ip-platform-launch> dct:date ?d ;
        ipkg:reportDate ?rd ; ipkg:dataQualityNote ?note }""")
    assert row["d"] == D(2023, 7, 28) and row["rd"] == D(2023, 7, 12)
    assert "12 July" in row["note"] and "28 July" in row["note"]


# ---------------------------------------------------------------- notice, plan, instruments

def test_jetro_notice_is_a_publication_about_the_plan(kg):
    row = one(kg, """SELECT ?who ?url WHERE { <event/jetro-hk-report-2023-ip-powerhouse-plan> a ipkg:Event ;
        ipkg:eventKind <concept/event-kind/publication> ; dct:subject <instrument/cn-2023-ip-powerhouse-promotion-plan> ;
        ipkg:participant ?who ; schema:url ?url }""")
    assert row["who"] == ID + "authority/jetro-hong-kong-ip-department"
    assert row["url"].endswith("report_20230731.pdf")


def test_2023_plan_instrument(kg):
    row = one(kg, """SELECT ?pub ?by ?kind WHERE { <instrument/cn-2023-ip-powerhouse-promotion-plan> a ipkg:LegalInstrument ;
        eli:date_publication ?pub ; eli:passed_by ?by ; eli:type_document ?kind }""")
    assert row == {"pub": D(2023, 7, 28), "by": ID + "authority/cn-ip-strategy-joint-conference-office",
                   "kind": ID + "concept/instrument-kind/plan"}
    assert kg.ask("""ASK { <instrument/cn-2023-ip-powerhouse-promotion-plan> ipkg:implements <instrument/cn-ip-powerhouse-outline> , <instrument/cn-14th-five-year-ip-plan> ;
        ipkg:dataQualityNote ?n }""")
    # its three Japanese titles: label + two alternative labels
    row = one(kg, """SELECT (COUNT(?a) AS ?n) WHERE { <instrument/cn-2023-ip-powerhouse-promotion-plan> skos:altLabel ?a FILTER (LANG(?a) = "ja" && STRLEN(?a) > 10) }""")
    assert row["n"] == 2


def test_plan_counts_139_tasks_in_7_areas(kg):
    rows = kg.rows("""SELECT ?v ?m WHERE { ?f a ipkg:Figure ; dct:subject <instrument/cn-2023-ip-powerhouse-promotion-plan> ;
        schema:value ?v ; ipkg:measure ?m FILTER (LANG(?m) = "en") } ORDER BY ?v""")
    assert [r["v"] for r in rows] == [7, 139]


def test_plan_item_reports_the_plan(kg):
    assert kg.ask("""ASK { <event/2023-07-28-ip-powerhouse-promotion-plan-2023-issued> ipkg:eventKind <concept/event-kind/policy-issuance> ;
        dct:subject <instrument/cn-2023-ip-powerhouse-promotion-plan> }""")


def test_zhejiang_patent_navigation_measures(kg):
    row = one(kg, """SELECT ?kind ?j WHERE { <instrument/zhejiang-patent-navigation-measures> eli:type_document ?kind ; ipkg:jurisdiction ?j ;
        rdfs:label "浙江省専利導航管理弁法"@ja }""")
    assert row == {"kind": ID + "concept/instrument-kind/measures", "j": ID + "place/cn-zhejiang"}
    rows = kg.rows("""SELECT ?by WHERE { <instrument/zhejiang-patent-navigation-measures> eli:passed_by ?by } ORDER BY ?by""")
    assert [r["by"] for r in rows] == [ID + "authority/zhejiang-amr", ID + "authority/zhejiang-ip-office"]
    assert kg.ask("""ASK { <event/cnipa-publishes-zhejiang-patent-navigation-measures> dct:subject <instrument/zhejiang-patent-navigation-measures> ,
        <instrument/cnipa-notice-forwarding-zhejiang-patent-navigation-measures> ; ipkg:participant <authority/cnipa> .
        <instrument/cnipa-notice-forwarding-zhejiang-patent-navigation-measures> eli:type_document <concept/instrument-kind/notice> ;
        eli:cites <instrument/zhejiang-patent-navigation-measures> }""")


def test_agreements_dated_and_signed(kg):
    rows = kg.rows("""SELECT ?i ?d WHERE { ?i eli:type_document <concept/instrument-kind/agreement> ; eli:date_document ?d } ORDER BY ?d ?i""")
    got = {r["i"].removeprefix(ID + "instrument/"): r["d"] for r in rows}
    assert got["jingjinji-ip-development-cooperation-agreement"] == D(2023, 7, 25)
    assert got["wuhan-cross-district-ip-enforcement-memorandum"] == D(2023, 7, 28)
    assert got["guangzhou-baiyun-ip-cooperative-protection-agreement"] == D(2023, 7, 31)
    rows = kg.rows("""SELECT ?by WHERE { <instrument/wuhan-cross-district-ip-enforcement-memorandum> eli:passed_by ?by }""")
    assert len(rows) == 4
    assert figure(kg, "wuhan-memorandum-cooperation-areas")["value"] == 7


# ---------------------------------------------------------------- pilots and alliances

def test_second_batch_of_dispute_pilot(kg):
    rows = kg.catalog("news-members", group=ID + "event/cnipa-ip-dispute-rapid-handling-pilot-batch-2")
    assert {r["member"].removeprefix(ID + "place/") for r in rows} == BATCH_2
    assert {r["how"] for r in rows} == {"designated"}
    row = one(kg, """SELECT ?b ?p WHERE { <event/cnipa-ip-dispute-rapid-handling-pilot-batch-2> a ipkg:Designation ;
        ipkg:batch ?b ; ipkg:underProgramme ?p }""")
    assert row == {"b": 2, "p": ID + "programme/cn-ip-dispute-rapid-handling-pilot"}
    # counts as stated: 5 provinces/ARs, 12 cities, 5 counties (only 4 cities and 3 counties are named)
    assert figure(kg, "cn-ip-dispute-pilot-batch-2-provinces")["value"] == 5
    assert figure(kg, "cn-ip-dispute-pilot-batch-2-cities")["value"] == 12
    assert figure(kg, "cn-ip-dispute-pilot-batch-2-counties")["value"] == 5
    kinds = {r["member"].removeprefix(ID + "place/"): r.get("placeKind", "").rsplit("/", 1)[-1] for r in rows}
    assert sorted(kinds.values()).count("county") == 3 and sorted(kinds.values()).count("city") == 4
    assert kg.ask("ASK { <event/cnipa-ip-dispute-rapid-handling-pilot-batch-2> ipkg:dataQualityNote ?n FILTER CONTAINS(?n, 'four') }")


def test_first_batch_of_dispute_pilot(kg):
    row = one(kg, """SELECT ?d ?p ?b WHERE { <event/2022-06-cnipa-ip-dispute-rapid-handling-pilot-batch-1> dct:date ?d ;
        ipkg:datePrecision ?p ; ipkg:batch ?b }""")
    # a month-only date: the first of the month, with its precision (ontology/README.md, "Dates")
    assert row == {"d": D(2022, 6, 1), "p": ID + "concept/date-precision/month", "b": 1}
    vals = [figure(kg, f"cn-ip-dispute-pilot-batch-1-{s}")["value"] for s in ("provinces", "cities", "counties", "total")]
    assert vals == [9, 16, 3, 28] and sum(vals[:3]) == vals[3]
    f = figure(kg, "cn-ip-dispute-pilot-disputes-handled")
    assert f["value"] == 4000 and f["approx"] is True
    f = figure(kg, "cn-ip-dispute-pilot-time-saved")
    assert f["value"] == 50 and f["approx"] is True and f["unit"] == ID + "concept/unit/percent"


def test_data_ip_pilot_first_batch(kg):
    rows = kg.catalog("news-members", group=ID + "event/2022-11-cnipa-data-ip-pilot-batch-1")
    assert [r["member"] for r in rows] == [ID + "place/cn-guangdong"]
    assert rows[0]["since"] == "2022-11"
    assert figure(kg, "cn-data-ip-pilot-batch-1-provinces")["value"] == 8


def test_alliance_has_all_twelve_members_from_1_august_2023(kg):
    rows = kg.catalog("news-members", group=ID + "network/12-provinces-ip-administrative-protection-alliance")
    assert len(rows) == 12
    assert {r["member"].removeprefix(ID + "place/") for r in rows} == ALLIANCE_12
    assert {r["since"] for r in rows} == {"2023-08-01"}
    assert all(r["partOf"] == ID + "place/cn" for r in rows)
    assert figure(kg, "12-provinces-alliance-members")["value"] == 12


def test_alliance_founding_event(kg):
    row = one(kg, """SELECT ?d ?p ?chair WHERE { ?e dct:subject <network/12-provinces-ip-administrative-protection-alliance> ;
        ipkg:eventKind <concept/event-kind/establishment> ; dct:date ?d ; ipkg:place ?p ; ipkg:participant ?chair }""")
    assert row == {"d": D(2023, 8, 1), "p": ID + "place/cn-guangdong-guangzhou", "chair": ID + "authority/guangdong-amr"}
    assert [figure(kg, f"12-provinces-alliance-{s}")["value"] for s in
            ("infringement-information-exchanged", "key-protected-trademarks", "key-protected-gis")] == [254, 360, 240]


def test_2019_cooperation_mechanism(kg):
    rows = kg.catalog("news-members", group=ID + "network/12-provinces-ip-administrative-protection-cooperation-mechanism")
    assert {r["member"].removeprefix(ID + "place/") for r in rows} == ALLIANCE_12
    assert {r["since"] for r in rows} == {"2019"}


# ---------------------------------------------------------------- courts

def test_bioeconomy_tribunal(kg):
    row = one(kg, """SELECT ?parent ?j ?start WHERE { <authority/hangzhou-intermediate-court-bioeconomy-tribunal> a ipkg:Court ;
        org:subOrganizationOf ?parent ; ipkg:jurisdiction ?j ; ipkg:startDate ?start ; dct:description ?d FILTER (LANG(?d) = "en") }""")
    assert row == {"parent": ID + "authority/hangzhou-intermediate-court", "j": ID + "place/cn-zhejiang-hangzhou", "start": D(2023, 7, 26)}
    assert kg.ask("""ASK { <event/2023-07-26-hangzhou-bioeconomy-tribunal-established> ipkg:eventKind <concept/event-kind/establishment> ;
        dct:subject <authority/hangzhou-intermediate-court-bioeconomy-tribunal> ; dct:date "2023-07-26"^^xsd:date }""")


def test_courts_named_have_jurisdictions(kg):
    rows = kg.rows(f"""SELECT ?c ?j WHERE {{ GRAPH <{G}> {{ ?c a ipkg:Court ; ipkg:jurisdiction ?j }} }}""")
    got = {r["c"].removeprefix(ID + "authority/"): r["j"].removeprefix(ID + "place/") for r in rows}
    assert got["wuhan-jianghan-court"] == "cn-hubei-wuhan-jianghan"
    assert got["guangzhou-baiyun-court"] == "cn-guangdong-guangzhou-baiyun"
    assert got["ru-ip-court"] == "ru"
    assert len(got) == 7


# ---------------------------------------------------------------- enforcement

def test_customs_seizure_of_murata_capacitors(kg):
    f = figure(kg, "dongguan-customs-murata-capacitors-seized")
    assert f["value"] == 1520000 and f["unit"] == ID + "concept/unit/item" and f["stated"] == "152 万点"
    assert kg.ask("""ASK { <event/dongguan-customs-murata-counterfeit-capacitor-seizure> ipkg:eventKind <concept/event-kind/enforcement> ;
        ipkg:participant <authority/cn-dongguan-customs> , <authority/murata-manufacturing> ; ipkg:place <place/cn-guangdong-dongguan> ;
        dct:subject <programme/dongguan-customs-longteng-action-2023> .
        <figure/dongguan-customs-murata-capacitors-seized> dct:subject <authority/murata-manufacturing> .
        <programme/dongguan-customs-longteng-action-2023> ipkg:startDate "2023-03-01"^^xsd:date ;
        cv:hasCompetentAuthority <authority/cn-dongguan-customs> .
        <authority/cn-dongguan-customs> org:subOrganizationOf <authority/cn-huangpu-customs> }""")


# ---------------------------------------------------------------- statistics

def test_beijing_first_half_2023(kg):
    expected = {
        "beijing-2023-h1-patents-granted": 95060, "beijing-2023-h1-invention-patents-granted": 48900,
        "beijing-2023-06-valid-invention-patents": 520018, "beijing-2023-06-invention-patents-per-10000": Decimal("238.1"),
        "beijing-2023-h1-trademark-registrations": 112000, "beijing-2023-06-valid-registered-trademarks": 2986000,
        "beijing-2023-h1-patents-granted-yoy": Decimal("-6.27"), "beijing-2023-h1-invention-patents-granted-yoy": Decimal("14.32"),
        "beijing-2023-06-valid-invention-patents-yoy": Decimal("17.74"), "beijing-2023-06-invention-patents-per-10000-yoy": Decimal("17.99"),
        "beijing-2023-h1-trademark-registrations-yoy": Decimal("-51.51"), "beijing-2023-06-valid-registered-trademarks-yoy": Decimal("7.37"),
    }
    for slug, v in expected.items():
        f = figure(kg, slug)
        assert f["value"] == v, slug
        assert "approx" not in f, slug
    assert figure(kg, "beijing-2023-h1-patents-granted")["period"] == "2023-01/2023-06"
    assert figure(kg, "beijing-2023-06-invention-patents-per-10000")["unit"] == ID + "concept/unit/per-10000-population"


def test_guangdong_first_half_2023(kg):
    f = figure(kg, "guangdong-2023-h1-patents-granted")
    assert f["value"] == 381000 and f["approx"] is True and f["stated"] == "約 38.1 万件"
    f = figure(kg, "guangdong-2023-h1-invention-patents-granted")
    assert f["value"] == 66000 and "approx" not in f
    assert figure(kg, "guangdong-2023-h1-patents-granted-yoy")["value"] == Decimal("-12.4")
    assert figure(kg, "guangdong-2023-h1-invention-patents-granted-yoy")["value"] == Decimal("16.7")
    assert figure(kg, "guangdong-2023-06-cumulative-patents-granted")["value"] == 5845000
    assert figure(kg, "guangdong-2023-06-cumulative-invention-patents-granted")["value"] == 714000
    assert figure(kg, "guangdong-2023-06-cumulative-patents-national-share")["value"] == Decimal("18.4")
    assert figure(kg, "guangdong-2023-06-cumulative-invention-patents-national-share")["value"] == Decimal("15.5")
    # headline (特許 38.1万) and body (専利 38.1万, 特許 6.6万) differ: noted on the event and the figure
    assert kg.ask("""ASK { <event/guangdong-2023-h1-patent-statistics> ipkg:dataQualityNote ?n .
        <figure/guangdong-2023-h1-patents-granted> ipkg:dataQualityNote ?m }""")


def test_lhasa_platform_holdings(kg):
    got = {s: figure(kg, f"lhasa-platform-{s}")["value"] for s in
           ("world-patent-records", "standards-records", "trademark-records", "copyright-records", "foreign-ip-records")}
    assert got == {"world-patent-records": 160000000, "standards-records": 1754600, "trademark-records": 41479700,
                   "copyright-records": 5247900, "foreign-ip-records": 1252}


def test_china_patent_award(kg):
    f = figure(kg, "hangzhou-24th-china-patent-award-winners")
    assert f["value"] == 33
    assert kg.ask("""ASK { <event/24th-china-patent-award-alibaba-cloud-gold> ipkg:eventKind <concept/event-kind/award> ;
        ipkg:participant <authority/alibaba-cloud> ; dct:subject <programme/cn-china-patent-award> .
        <authority/alibaba-cloud> org:subOrganizationOf <authority/alibaba-group> }""")
    assert figure(kg, "alibaba-cloud-storage-customers")["approx"] is True


def test_approximate_figures_are_exactly_those_stated_so(kg):
    rows = kg.rows(f"""SELECT ?f ?s WHERE {{ GRAPH <{G}> {{ ?f a ipkg:Figure ; ipkg:approximate true ; ipkg:statedAs ?s }} }}""")
    assert len(rows) == 6  # 約38.1万, 4000件以上, 50%以上, 4倍以上, 400万以上, 9億回以上
    assert all(any(w in r["s"] for w in ("約", "以上")) for r in rows)


# ---------------------------------------------------------------- places

def test_places_hierarchy(kg):
    for county, prov in [("cn-zhejiang-jiaxing-haining", "cn-zhejiang"), ("cn-zhejiang-lishui-yunhe", "cn-zhejiang"),
                         ("cn-zhejiang-huzhou-anji", "cn-zhejiang"), ("cn-hubei-wuhan-qiaokou", "cn-hubei"),
                         ("cn-guangdong-guangzhou-baiyun", "cn-guangdong"), ("cn-tibet-lhasa", "cn-tibet"),
                         ("cn-xinjiang-urumqi", "cn-xinjiang")]:
        assert kg.ask(f"ASK {{ <place/{county}> ipkg:partOf <place/{prov}> , <place/cn> }}"), county


def test_places_added_have_ja_zh_en_labels(kg):
    rows = kg.rows(f"""SELECT ?p WHERE {{ GRAPH <{G}> {{ ?p a ipkg:Place }}
        FILTER NOT EXISTS {{ ?p rdfs:label ?ja , ?zh , ?en FILTER (LANG(?ja) = "ja" && LANG(?zh) = "zh" && LANG(?en) = "en") }} }}""")
    assert rows == []
    assert one(kg, f"SELECT (COUNT(?p) AS ?n) WHERE {{ GRAPH <{G}> {{ ?p a ipkg:Place }} }}")["n"] == 24


# ---------------------------------------------------------------- provenance

def test_every_resource_is_cited_in_the_newsletter(kg):
    rows = kg.rows(f"""SELECT ?s ?t WHERE {{
        GRAPH <{G}> {{ ?s a ?t FILTER (?t IN (ipkg:Event, ipkg:Designation, ipkg:Figure, ipkg:LegalInstrument, ipkg:Programme,
                                         ipkg:Network, ipkg:Authority, ipkg:Court, org:Membership)) }}
        FILTER NOT EXISTS {{ ?s prov:wasDerivedFrom ?loc . ?loc ipkg:inDocument <doc/jetro-beijing-ip-news-532> ; ipkg:line ?n }} }}""")
    assert rows == []


# ---------------------------------------------------------------- catalogue queries

def test_events_in_range_one_day(kg):
    rows = kg.catalog("news-events-in-range", start="2023-07-24", end="2023-07-24")
    assert {r["event"].removeprefix(ID + "event/") for r in rows} >= {
        "2023-07-24-china-central-asia-ip-heads-meeting", "2023-07-24-china-central-asia-ip-cooperation-forum"}
    assert all(r["date"] == D(2023, 7, 24) for r in rows if "jetro" not in r["event"] and r["event"].startswith(ID + "event/2023-07-24"))


def test_events_in_range_by_kind(kg):
    rows = kg.catalog("news-events-in-range", start="2023-07-01", end="2023-08-31",
                      kind=ID + "concept/event-kind/establishment")
    got = {r["event"].removeprefix(ID + "event/") for r in rows}
    assert {"2023-07-26-hangzhou-bioeconomy-tribunal-established", "2023-07-28-guangdong-data-ip-platform-launch",
            "2023-07-31-guangzhou-ip-dispute-resolution-cooperation-base", "lhasa-ip-public-service-platform-launch",
            "2023-08-01-12-provinces-ip-administrative-protection-alliance-founded"} <= got
    assert "2023-07-24-china-central-asia-ip-heads-meeting" not in got
    lhasa = next(r for r in rows if r["event"].endswith("lhasa-ip-public-service-platform-launch"))
    assert lhasa["dateBasis"] == "report date" and lhasa["date"] == D(2023, 7, 4)


def test_events_in_range_default_kind_counts_all_items(kg):
    rows = kg.catalog("news-events-in-range", start="2023-07-01", end="2023-08-07")
    items = set(_news_items(kg))
    assert len(items) == 19
    assert items <= {r["event"] for r in rows}
    later = kg.catalog("news-events-in-range", start="2023-08-08", end="2023-12-31")
    assert not items & {r["event"] for r in later}


def _news_items(kg):
    return [r["e"] for r in kg.rows(f"""SELECT ?e WHERE {{ GRAPH <{G}> {{ ?e ipkg:reportedBy ?s }}
        FILTER NOT EXISTS {{ ?e ipkg:eventKind <concept/event-kind/publication> }} }}""")]


def test_events_in_range_month_precision(kg):
    rows = kg.catalog("news-events-in-range", start="2022-06-15", end="2022-06-15",
                      kind=ID + "concept/event-kind/designation")
    assert [r["event"] for r in rows] == [ID + "event/2022-06-cnipa-ip-dispute-rapid-handling-pilot-batch-1"]


def test_figures_by_region_beijing(kg):
    rows = kg.catalog("news-figures-by-region", place=ID + "place/cn-beijing")
    slugs = {r["figure"].removeprefix(ID + "figure/") for r in rows}
    assert {"beijing-2023-h1-invention-patents-granted", "beijing-2023-06-valid-registered-trademarks"} <= slugs
    assert not any(s.startswith("guangdong-") for s in slugs)


def test_figures_by_region_includes_cities_and_platforms(kg):
    rows = kg.catalog("news-figures-by-region", place=ID + "place/cn-zhejiang")
    assert ID + "figure/hangzhou-24th-china-patent-award-winners" in {r["figure"] for r in rows}
    rows = kg.catalog("news-figures-by-region", place=ID + "place/cn-tibet")
    lhasa = {r["figure"] for r in rows if "lhasa-platform" in r["figure"]}
    assert len(lhasa) == 5
    rows = kg.catalog("news-figures-by-region", place=ID + "place/cn-guangdong")
    assert ID + "figure/guangdong-2023-h1-patents-granted" in {r["figure"] for r in rows}


def test_place_overview_zhejiang(kg):
    rows = kg.catalog("place-overview", place=ID + "place/cn-zhejiang")
    items = {(r["category"], r["item"].removeprefix(ID)) for r in rows}
    assert ("event", "event/cnipa-ip-dispute-rapid-handling-pilot-batch-2") in items            # designates Hangzhou etc.
    assert ("event", "event/2023-07-26-hangzhou-bioeconomy-tribunal-established") in items       # held in Hangzhou
    assert ("instrument", "instrument/zhejiang-patent-navigation-measures") in items
    assert ("network", "network/12-provinces-ip-administrative-protection-alliance") in items
    assert ("figure", "figure/hangzhou-24th-china-patent-award-winners") in items
    assert ("authority", "authority/hangzhou-intermediate-court-bioeconomy-tribunal") in items
    assert not any(i == "event/2023-07-31-guangzhou-ip-dispute-resolution-cooperation-base" for _, i in items)


def test_place_overview_city_only_sees_itself(kg):
    rows = kg.catalog("place-overview", place=ID + "place/cn-hubei-wuhan")
    items = {r["item"].removeprefix(ID) for r in rows}
    assert "event/2023-07-28-wuhan-jianghan-cross-district-ip-memorandum" in items
    assert "instrument/wuhan-cross-district-ip-enforcement-memorandum" in items
    assert "network/12-provinces-ip-administrative-protection-alliance" not in items   # Hubei is the member, not Wuhan
