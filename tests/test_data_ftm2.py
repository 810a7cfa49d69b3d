"""Famous-trademark instruments, part 2 (Guangdong, Chongqing, Guizhou, Yunnan, Qinghai, Ningxia) from
doc/cn-local-regulations-ch4 (source file 001_3e9a67c1c4e78796.txt, lines 989-2335).

Every expected value was read off the source with `cat -n`; the line numbers are in the comments.
Article counts were taken by matching the article headings (第N条) within each instrument's line range.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

ID = "https://w3id.org/ipkg/id/"
DOC = "doc/cn-local-regulations-ch4"

# slug, kind, place, articles, chapters, entry into force, first and last line of the instrument
INSTRUMENTS = [
    ("guangdong-famous-trademark-provisions", "provisions", "cn-guangdong", 30, 0, dt.date(2009, 1, 1), 989, 1246),   # art 30, l.1243
    ("chongqing-famous-trademark-regulation", "local-regulation", "cn-chongqing", 35, 5, dt.date(2012, 6, 1), 1247, 1499),  # art 35, l.1496
    ("guizhou-famous-trademark-measures", "measures", "cn-guizhou", 39, 6, dt.date(2012, 5, 1), 1500, 1746),  # art 39, l.1745
    ("yunnan-famous-trademark-measures", "measures", "cn-yunnan", 21, 0, dt.date(1999, 6, 15), 1747, 1900),  # l.1751
    ("qinghai-famous-trademark-measures", "measures", "cn-qinghai", 31, 5, dt.date(2012, 3, 1), 1901, 2109),  # art 31, l.2108; "全5章31条" l.1905
    ("ningxia-famous-trademark-measures", "measures", "cn-ningxia", 40, 5, dt.date(2009, 6, 1), 2110, 2335),  # art 40, l.2334
]
PROVINCES = ["guangdong", "chongqing", "guizhou", "yunnan", "qinghai", "ningxia"]


@pytest.mark.parametrize("slug,kind,place,n_art,n_ch,in_force,first,last", INSTRUMENTS)
def test_instrument_facts(kg, slug, kind, place, n_art, n_ch, in_force, first, last):
    rows = kg.rows(f"""SELECT ?kind ?place ?force ?ja WHERE {{
        <instrument/{slug}> a ipkg:LegalInstrument ; eli:type_document ?kind ; ipkg:jurisdiction ?place ;
            eli:first_date_entry_in_force ?force ; eli:title ?ja ; eli:cites <instrument/cn-trademark-law> .
        FILTER(lang(?ja) = "ja") }}""")
    assert len(rows) == 1
    assert rows[0]["kind"] == f"{ID}concept/instrument-kind/{kind}"
    assert rows[0]["place"] == f"{ID}place/{place}"
    assert rows[0]["force"] == in_force


@pytest.mark.parametrize("slug,kind,place,n_art,n_ch,in_force,first,last", INSTRUMENTS)
def test_article_and_chapter_counts(kg, slug, kind, place, n_art, n_ch, in_force, first, last):
    rows = kg.rows(f"""SELECT (COUNT(DISTINCT ?a) AS ?n) (MIN(?o) AS ?lo) (MAX(?o) AS ?hi) (MIN(?l) AS ?minl) (MAX(?e) AS ?maxe) WHERE {{
        ?a a ipkg:Article ; eli:is_part_of <instrument/{slug}> ; ipkg:ordinal ?o ; ipkg:line ?l ; ipkg:lineEnd ?e ;
           ipkg:inDocument <{DOC}> . }}""")
    assert rows[0]["n"] == n_art
    assert (rows[0]["lo"], rows[0]["hi"]) == (1, n_art)
    assert first <= rows[0]["minl"] and rows[0]["maxe"] <= last
    chapters = kg.rows(f"""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a ipkg:Chapter ; eli:is_part_of <instrument/{slug}> }}""")
    assert chapters[0]["n"] == n_ch
    if n_ch:  # every article sits in exactly one chapter
        assert not kg.ask(f"""ASK {{ ?a a ipkg:Article ; eli:is_part_of <instrument/{slug}> .
            FILTER NOT EXISTS {{ ?a ipkg:inChapter ?c }} }}""")




def test_specific_article_lines(kg):
    # Guangdong art 6 (conditions) l.1025-1041; Chongqing art 7 l.1289-1300; Ningxia art 16 l.2212-2218
    for iri, line, end in [("guangdong-famous-trademark-provisions/art/6", 1025, 1041),
                           ("chongqing-famous-trademark-regulation/art/7", 1289, 1300),
                           ("ningxia-famous-trademark-measures/art/16", 2212, 2218),
                           ("guizhou-famous-trademark-measures/chapter/3", 1634, 1651)]:
        rows = kg.rows(f"SELECT ?l ?e WHERE {{ <instrument/{iri}> ipkg:line ?l ; ipkg:lineEnd ?e }}")
        assert rows == [{"l": line, "e": end}], iri


def test_every_article_has_summaries(kg):
    rows = kg.rows("""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
        ?a a ipkg:Article ; eli:is_part_of ?i ; dct:abstract ?en , ?ja .
        FILTER(lang(?en) = "en" && lang(?ja) = "ja")
        VALUES ?i { <instrument/guangdong-famous-trademark-provisions> <instrument/chongqing-famous-trademark-regulation>
                    <instrument/guizhou-famous-trademark-measures> <instrument/yunnan-famous-trademark-measures>
                    <instrument/qinghai-famous-trademark-measures> <instrument/ningxia-famous-trademark-measures> } }""")
    assert rows[0]["n"] == 30 + 35 + 39 + 21 + 31 + 40


def test_yunnan_amendment(kg):
    # l.1751: in force 1999-06-15, amended 2010-09-01; l.1760: validity 3 years -> 5 years
    rows = kg.rows("""SELECT ?d WHERE { <instrument/yunnan-famous-trademark-measures> ipkg:amendedOn ?d }""")
    assert [r["d"] for r in rows] == [dt.date(2010, 9, 1)]
    rows = kg.rows("""SELECT ?dur ?from ?until WHERE {
        VALUES ?dl { <deadline/yunnan-ftm-validity> <deadline/yunnan-ftm-validity-before-2010> }
        ?dl ipkg:duration ?dur . OPTIONAL { ?dl ipkg:validFrom ?from } OPTIONAL { ?dl ipkg:validUntil ?until } } ORDER BY ?dur""")
    got = {(str(r["dur"]), r.get("from"), r.get("until")) for r in rows}
    assert got == {("P5Y", dt.date(2010, 9, 1), None), ("P3Y", None, dt.date(2010, 8, 31))}
    assert kg.ask("""ASK { ?e a ipkg:Event ; dct:subject <instrument/yunnan-famous-trademark-measures> ;
                           dct:date "2010-09-01"^^xsd:date }""")


def test_predecessor_instruments(kg):
    # l.993 (2003 Guangdong interim measures), l.1251 (1997 Chongqing), l.1504 (2006 Guizhou), l.1905 (2004 Qinghai)
    rows = kg.rows("""SELECT ?old ?new WHERE { ?new dct:replaces ?old .
        ?new ipkg:jurisdiction ?p . FILTER(?p IN (<place/cn-guangdong>, <place/cn-chongqing>, <place/cn-guizhou>, <place/cn-qinghai>)) }""")
    assert {r["new"].rsplit("/", 1)[1] for r in rows} == {
        "guangdong-famous-trademark-provisions", "chongqing-famous-trademark-regulation",
        "guizhou-famous-trademark-measures", "qinghai-famous-trademark-measures"}
    assert kg.rows("""SELECT ?d WHERE { <instrument/chongqing-famous-trademark-measures-1997> eli:first_date_entry_in_force ?d }""") == [{"d": dt.date(1997, 11, 1)}]
    assert kg.rows("""SELECT ?d WHERE { <instrument/guizhou-famous-trademark-interim-provisions> eli:first_date_entry_in_force ?d }""") == [{"d": dt.date(2006, 3, 15)}]


# ---------------------------------------------------------------- programmes

# province -> validity period (None: not stated), review body slug or None
PROGRAMMES = {
    "guangdong": ("P3Y", "guangdong-famous-trademark-review-committee"),   # art 16 l.1127; art 11
    "chongqing": ("P3Y", "chongqing-famous-trademark-review-committee"),   # art 15 l.1356; art 11
    "guizhou": ("P4Y", "guizhou-famous-trademark-review-committee"),       # art 20 l.1628; art 6
    "yunnan": ("P5Y", None),                                               # art 9 l.1826 (no committee)
    "qinghai": (None, "qinghai-famous-trademark-recognition-body"),        # no validity stated; art 3
    "ningxia": ("P2Y", "ningxia-famous-trademark-recognition-committee"),  # art 16 l.2214; art 13
}


@pytest.mark.parametrize("prov", PROVINCES)
def test_programme(kg, prov):
    validity, review = PROGRAMMES[prov]
    rows = kg.rows(f"""SELECT ?auth ?v ?rb ?req ?reqtype ?place WHERE {{
        <programme/{prov}-famous-trademark-recognition> a ipkg:Programme ; cv:hasCompetentAuthority ?auth ;
            ipkg:programmeKind <concept/programme-kind/recognition> ; ipkg:jurisdiction ?place ;
            cv:holdsRequirement ?req . ?req a ?reqtype . FILTER(?reqtype = ipkg:AllOf)
        OPTIONAL {{ <programme/{prov}-famous-trademark-recognition> ipkg:validityPeriod ?v }}
        OPTIONAL {{ <programme/{prov}-famous-trademark-recognition> ipkg:reviewBody ?rb }} }}""")
    assert rows
    assert {r["place"] for r in rows} == {f"{ID}place/cn-{prov}"}
    assert f"{ID}authority/{prov}-aic" in {r["auth"] for r in rows}
    assert {str(r["v"]) if "v" in r else None for r in rows} == {validity}
    assert {r.get("rb") for r in rows} == {f"{ID}authority/{review}" if review else None}


# (condition slug, profile property, operator, threshold or boolean or concept)
ATOMIC = [
    ("guangdong-ftm-years-in-use", "yearsInUse", "greaterOrEqual", Decimal("3")),        # art 6(1) l.1029
    ("guangdong-ftm-no-violations", "hadSeriousViolationInPeriod", "equals", False),    # art 6(6) l.1039
    ("guangdong-ftm-domicile", "domicileRegion", "isA", f"{ID}place/cn-guangdong"),       # art 6 l.1027
    ("chongqing-ftm-years-in-use", "yearsInUse", "greaterOrEqual", Decimal("3")),        # art 7(3) l.1295
    ("chongqing-ftm-no-ownership-dispute", "hasOwnershipDispute", "equals", False),      # art 7(1) l.1293
    ("chongqing-ftm-domicile", "domicileRegion", "isA", f"{ID}place/cn-chongqing"),       # art 7(2) l.1294
    ("chongqing-ftm-no-violations", "hadSeriousViolationInPeriod", "equals", False),    # art 7(6) l.1298
    ("guizhou-ftm-years-in-use", "yearsInUse", "greaterOrEqual", Decimal("2")),          # art 10(2) l.1569
    ("guizhou-ftm-years-registered", "yearsRegistered", "greaterOrEqual", Decimal("2")),
    ("guizhou-ftm-no-ownership-dispute", "hasOwnershipDispute", "equals", False),
    ("guizhou-ftm-domicile", "domicileRegion", "isA", f"{ID}place/cn-guizhou"),           # art 10(1) l.1568
    ("yunnan-ftm-years-in-use", "yearsInUse", "greaterOrEqual", Decimal("2")),           # art 5(2) l.1794
    ("yunnan-ftm-domicile", "domicileRegion", "isA", f"{ID}place/cn-yunnan"),             # art 5(1) l.1793
    ("qinghai-ftm-years-in-use", "yearsInUse", "greaterOrEqual", Decimal("2")),          # art 5(1) l.1939
    ("qinghai-ftm-domicile", "domicileRegion", "isA", f"{ID}place/cn-qinghai"),           # art 5(2) l.1941
    ("ningxia-ftm-years-in-use", "yearsInUse", "greaterOrEqual", Decimal("3")),          # art 8(2) l.2157
    ("ningxia-ftm-no-ownership-dispute", "hasOwnershipDispute", "equals", False),
    ("ningxia-ftm-no-violations", "hadSeriousViolationInPeriod", "equals", False),      # art 8(5) l.2160
    ("ningxia-ftm-domicile", "domicileRegion", "isA", f"{ID}place/cn-ningxia"),           # art 8(1) l.2156
]


@pytest.mark.parametrize("slug,prop,op,value", ATOMIC)
def test_atomic_conditions(kg, slug, prop, op, value):
    rows = kg.rows(f"""SELECT ?prop ?op ?t ?b ?c ?unit ?art WHERE {{
        <condition/{slug}> a ipkg:AtomicCondition ; ipkg:constrains ?prop ; ipkg:operator ?op ; prov:wasDerivedFrom ?art .
        ?art a ipkg:Article .
        OPTIONAL {{ <condition/{slug}> ipkg:threshold ?t ; ipkg:unit ?unit }}
        OPTIONAL {{ <condition/{slug}> ipkg:booleanValue ?b }}
        OPTIONAL {{ <condition/{slug}> ipkg:conceptValue ?c }} }}""")
    assert rows, slug
    r = rows[0]
    assert r["prop"] == f"https://w3id.org/ipkg/def/{prop}"
    assert r["op"] == f"https://w3id.org/ipkg/def/{op}"
    if isinstance(value, bool):
        assert r["b"] is value
    elif isinstance(value, Decimal):
        assert r["t"] == value and r["unit"] == f"{ID}concept/unit/year"
    else:
        assert r["c"] == value
    # the condition is an operand (directly or via AnyOf) of the programme's requirement
    prov_ = slug.split("-")[0]
    assert kg.ask(f"""ASK {{ <programme/{prov_}-famous-trademark-recognition> cv:holdsRequirement ?top .
        ?top ipkg:operand+ <condition/{slug}> }}""")


# years-in-use threshold per province (the key comparative fact)
def test_years_in_use_thresholds(kg):
    rows = kg.rows("""SELECT ?p ?t WHERE { ?prog a ipkg:Programme ; ipkg:jurisdiction ?p ; cv:holdsRequirement ?top .
        ?top ipkg:operand+ ?c . ?c ipkg:constrains ipkg:yearsInUse ; ipkg:threshold ?t .
        FILTER(STRSTARTS(STR(?prog), "https://w3id.org/ipkg/id/programme/") && CONTAINS(STR(?prog), "famous-trademark")) }""")
    got = {r["p"].rsplit("/", 1)[1]: r["t"] for r in rows}
    for p, t in {"cn-guangdong": 3, "cn-chongqing": 3, "cn-guizhou": 2, "cn-yunnan": 2, "cn-qinghai": 2, "cn-ningxia": 3}.items():
        assert got[p] == Decimal(t), p


def test_judgement_conditions(kg):
    rows = kg.rows("""SELECT ?prog (COUNT(DISTINCT ?c) AS ?n) WHERE { ?prog cv:holdsRequirement ?top .
        ?top ipkg:operand+ ?c . ?c a ipkg:JudgementCondition .
        FILTER(STRSTARTS(STR(?prog), "https://w3id.org/ipkg/id/programme/") && CONTAINS(STR(?prog), "famous-trademark")) } GROUP BY ?prog""")
    got = {r["prog"].rsplit("/", 1)[1].split("-")[0]: r["n"] for r in rows}  # the famous-trademark programmes only
    # Guangdong art 6 (2)(3)(4)(5)(7); Chongqing art 7 (4)(5)(6 system); Guizhou art 10 (3)(4)(5);
    # Yunnan art 5 (3)(4)(5)(6); Qinghai art 5 production place,(3)(4)(5); Ningxia art 8 production place,(3)(4)(6)(7)
    assert {p: got.get(p) for p in PROVINCES} == {"guangdong": 5, "chongqing": 3, "guizhou": 3, "yunnan": 4, "qinghai": 4, "ningxia": 5}


def test_qinghai_location_is_any_of(kg):
    # art 5(2) l.1941: domicile OR main production place in Qinghai
    assert kg.ask("""ASK { <condition/qinghai-ftm-location> a ipkg:AnyOf ;
        ipkg:operand <condition/qinghai-ftm-domicile> , <condition/qinghai-ftm-production-place> }""")


# ---------------------------------------------------------------- documents, steps, deadlines

def test_evidence_counts(kg):
    # Guangdong art 7: form + 9 items (l.1045-1063); Chongqing art 8: form + proofs; Guizhou art 13: 6 items + art 23 renewal (2 extra);
    # Yunnan art 6: form + 5 items; Qinghai art 6: 7 items; Ningxia art 9: 7 items
    rows = kg.rows("""SELECT ?prog (COUNT(DISTINCT ?e) AS ?n) WHERE { ?prog cv:hasInputType ?e .
        FILTER(STRSTARTS(STR(?prog), "https://w3id.org/ipkg/id/programme/") && CONTAINS(STR(?prog), "famous-trademark")) } GROUP BY ?prog""")
    got = {r["prog"].rsplit("/", 1)[1].split("-")[0]: r["n"] for r in rows}
    assert {p: got.get(p) for p in PROVINCES} == {"guangdong": 10, "chongqing": 2, "guizhou": 8, "yunnan": 6, "qinghai": 7, "ningxia": 7}


DEADLINES = [
    ("guangdong-ftm-objection-period", "P15D"),   # art 14 l.1111
    ("guangdong-ftm-renewal-window", "P6M"),      # art 16 l.1129
    ("guangdong-ftm-pre-examination", "P30D"),    # art 8 l.1069
    ("chongqing-ftm-publication-period", "P15D"), # art 12 l.1336
    ("chongqing-ftm-pre-examination", "P20D"),    # art 9 l.1312
    ("guizhou-ftm-office-examination", "P60D"),   # art 16 l.1606
    ("guizhou-ftm-correction", "P5D"),            # art 15 l.1602
    ("guizhou-ftm-licence-filing", "P60D"),       # art 28 l.1679
    ("yunnan-ftm-objection-period", "P30D"),      # art 8 l.1820
    ("yunnan-ftm-renewal-grace-period", "P3M"),   # art 9 l.1826
    ("qinghai-ftm-publication-period", "P20D"),   # art 10 l.1987
    ("qinghai-ftm-reinvestigation", "P2Y"),       # art 23 l.2068
    ("qinghai-ftm-licence-filing", "P3M"),        # art 19 l.2037
    ("ningxia-ftm-objection-period", "P30D"),     # art 12 l.2190
    ("ningxia-ftm-recognition-cycle", "P2Y"),     # art 9 l.2166
    ("ningxia-ftm-change-filing", "P15D"),        # art 27 l.2278
]


@pytest.mark.parametrize("slug,dur", DEADLINES)
def test_deadlines(kg, slug, dur):
    rows = kg.rows(f"SELECT ?d WHERE {{ <deadline/{slug}> a ipkg:Deadline ; ipkg:duration ?d ; prov:wasDerivedFrom ?src }}")
    assert {str(r["d"]) for r in rows} == {dur}


def test_steps_are_ordered(kg):
    rows = kg.rows("""SELECT ?prog (COUNT(DISTINCT ?s) AS ?n) (COUNT(DISTINCT ?o) AS ?no) WHERE {
        ?prog ipkg:hasProcedureStep ?s . ?s ipkg:ordinal ?o .
        FILTER(STRSTARTS(STR(?prog), "https://w3id.org/ipkg/id/programme/") && CONTAINS(STR(?prog), "famous-trademark")) } GROUP BY ?prog""")
    got = {r["prog"].rsplit("/", 1)[1].split("-")[0]: (r["n"], r["no"]) for r in rows}
    assert {p: got.get(p) for p in PROVINCES} == {"guangdong": (9, 9), "chongqing": (8, 8), "guizhou": (9, 9),
                                                   "yunnan": (6, 6), "qinghai": (8, 8), "ningxia": (7, 7)}


# ---------------------------------------------------------------- benefits

def test_trade_name_protections(kg):
    # Guangdong art 21, Chongqing art 23, Guizhou art 31(1), Yunnan art 10(3), Qinghai art 18, Ningxia art 20
    rows = kg.rows("""SELECT ?prog ?b WHERE { ?prog ipkg:hasBenefit ?b . ?b a ipkg:LegalProtection ;
        ipkg:benefitKind <concept/benefit-kind/trade-name-protection> }""")
    found = {r["prog"].rsplit("/", 1)[1].split("-")[0] for r in rows}
    # one kind across both curators' instruments: these six and Anhui, Henan, Jilin, Shanghai
    assert found == set(PROVINCES) | {"anhui", "henan", "jilin", "shanghai"}


# ---------------------------------------------------------------- sanctions

# sanction slug, kinds (subset), ban years, fine min, fine max
SANCTIONS = [
    ("guangdong-ftm-fraud-revocation", {"revocation", "reapplication-ban"}, 3, None, None),              # art 24 l.1197
    ("guangdong-ftm-unauthorised-wording-fine", {"fine", "order-to-correct"}, None, 5000, 300000000),    # art 25 l.1201 "30,000万元"
    ("chongqing-ftm-fraud-revocation", {"revocation", "reapplication-ban"}, 3, None, None),              # art 25 l.1428
    ("chongqing-ftm-fraud-fine", {"fine"}, None, 10000, 50000),                                          # art 27 l.1448
    ("chongqing-ftm-unauthorised-wording-fine", {"fine", "order-to-correct"}, None, 10000, 50000),       # art 28 l.1452
    ("chongqing-ftm-dissimilar-goods-use", {"confiscation"}, None, None, None),                          # art 29 l.1456
    ("guizhou-ftm-revocation", {"revocation", "reapplication-ban"}, 3, None, None),                      # art 29 l.1693
    ("guizhou-ftm-wording-misuse-fine", {"fine"}, None, 5000, 30000),                                    # art 34 l.1721
    ("guizhou-ftm-filing-failure", {"warning", "fine"}, None, 1000, 5000),                               # art 35 l.1725
    ("guizhou-ftm-domain-name-fine", {"fine"}, None, 5000, 30000),                                       # art 36 l.1729
    ("yunnan-ftm-infringement-fine", {"warning", "fine"}, None, 1000, 20000),                            # art 16 l.1871
    ("yunnan-ftm-misconduct-withdrawal", {"revocation", "reapplication-ban", "criminal-referral"}, 3, 2000, 30000),  # arts 17-18
    ("qinghai-ftm-fraud-revocation", {"revocation", "reapplication-ban"}, 2, None, None),                # art 28 l.2094
    ("qinghai-ftm-misuse-revocation", {"revocation", "reapplication-ban"}, 2, None, None),
    ("qinghai-ftm-filing-failure", {"order-to-correct", "warning"}, None, None, None),                   # art 26 l.2082
    ("ningxia-ftm-unauthorised-wording-fine", {"fine", "confiscation"}, None, 1000, 30000),              # art 30 l.2292
    ("ningxia-ftm-fraud-revocation", {"revocation", "fine"}, 3, 1000, 300000000),                        # art 31 l.2296 "3万万元"
    ("ningxia-ftm-scope-excess", {"fine", "revocation"}, None, 1000, 30000),                             # art 32 l.2300
    ("ningxia-ftm-filing-failure", {"fine"}, None, 1000, 5000),                                          # art 35 l.2312
    ("ningxia-ftm-revocation-ban", {"reapplication-ban"}, 3, None, None),                                # art 36 l.2316
]


@pytest.mark.parametrize("slug,kinds,ban,fmin,fmax", SANCTIONS)
def test_sanctions(kg, slug, kinds, ban, fmin, fmax):
    rows = kg.rows(f"""SELECT ?k ?ban ?min ?max ?cur WHERE {{
        <sanction/{slug}> a ipkg:Sanction ; ipkg:sanctionKind ?k ; ipkg:triggeredBy ?t ; prov:wasDerivedFrom ?art .
        ?art a ipkg:Article .
        OPTIONAL {{ <sanction/{slug}> ipkg:banYears ?ban }}
        OPTIONAL {{ <sanction/{slug}> ipkg:fine ?f . ?f schema:minValue ?min ; schema:maxValue ?max ; schema:currency ?cur }} }}""")
    assert rows, slug
    assert kinds <= {r["k"].rsplit("/", 1)[1] for r in rows}
    assert {r.get("ban") for r in rows} == {ban}
    if fmin is None:
        assert not any("min" in r for r in rows)
    else:
        assert {(r["min"], r["max"], r["cur"]) for r in rows} == {(Decimal(fmin), Decimal(fmax), "CNY")}


def test_implausible_fines_are_flagged(kg):
    for slug, stated in [("guangdong-ftm-unauthorised-wording-fine", "5,000元以上30,000万元以下"),
                         ("ningxia-ftm-fraud-revocation", "1,000 元以上 3 万万元以下")]:
        rows = kg.rows(f"""SELECT ?s ?n WHERE {{ <sanction/{slug}> ipkg:statedAs ?s ; ipkg:dataQualityNote ?n }}""")
        assert rows and rows[0]["s"] == stated


def test_ban_years_by_province(kg):
    rows = kg.rows("""SELECT ?prog (MAX(?b) AS ?ban) WHERE { ?prog ipkg:hasSanction ?s . ?s ipkg:banYears ?b .
        FILTER(STRSTARTS(STR(?prog), "https://w3id.org/ipkg/id/programme/") && CONTAINS(STR(?prog), "famous-trademark")) } GROUP BY ?prog""")
    got = {r["prog"].rsplit("/", 1)[1].split("-")[0]: r["ban"] for r in rows}
    assert {p: got.get(p) for p in PROVINCES} == {"guangdong": 3, "chongqing": 3, "guizhou": 3, "yunnan": 3, "qinghai": 2, "ningxia": 3}


def test_official_and_committee_sanctions(kg):
    # every instrument disciplines officials (GD 27, CQ 30, GZ 37, YN 19, QH 29, NX 38)
    rows = kg.rows("""SELECT DISTINCT ?prog WHERE { ?prog ipkg:hasSanction ?s .
        ?s ipkg:sanctionKind <concept/sanction-kind/disciplinary-action> .
        FILTER(CONTAINS(STR(?prog), "famous-trademark-recognition")) }""")
    assert set(PROVINCES) <= {r["prog"].rsplit("/", 1)[1].split("-")[0] for r in rows}
    # committee members: warnings in Guangdong (art 28) and Chongqing (art 31)
    for s in ("guangdong-ftm-committee-member-misconduct", "chongqing-ftm-committee-member-misconduct"):
        assert kg.ask(f"ASK {{ <sanction/{s}> ipkg:sanctionKind <concept/sanction-kind/warning> }}")


def test_one_benefit_kind_vocabulary_across_both_curator_groups(kg):
    """CHANGELOG 1.2.0: the status itself is recognition; its effects have their own kinds."""
    rows = kg.rows("""SELECT ?k (COUNT(?b) AS ?n) WHERE { ?b ipkg:benefitKind ?c . ?c skos:notation ?k
        FILTER(?k IN ("recognition", "legal-protection", "trade-name-protection", "cross-regional-assistance",
                      "extended-mark-protection", "emblem-use", "protection-listing", "award")) } GROUP BY ?k""")
    assert {r["k"]: r["n"] for r in rows} == {"recognition": 5, "trade-name-protection": 12, "cross-regional-assistance": 9,
                                              "extended-mark-protection": 9, "emblem-use": 6, "protection-listing": 2, "award": 5}
