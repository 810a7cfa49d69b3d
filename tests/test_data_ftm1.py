"""Famous-trademark instruments, part 1 (source 001, lines 7-988): Jilin, Shanghai (measures and
implementing rules), Anhui, Henan. Every expected value was checked against the source text."""

from datetime import date
from decimal import Decimal

import pytest

ID = "https://w3id.org/ipkg/id/"
JL = "instrument/jilin-famous-trademark-regulation"
SHM = "instrument/shanghai-famous-trademark-measures"
SHR = "instrument/shanghai-famous-trademark-implementing-rules"
AH = "instrument/anhui-famous-trademark-regulation"
HN = "instrument/henan-famous-trademark-measures"

# (instrument, articles, chapters, first line, last line) counted with grep on `第N条` / `第N章` in the source
INSTRUMENTS = [
    (JL, 22, 0, 15, 126),
    (SHM, 32, 5, 134, 357),
    (SHR, 34, 5, 367, 585),
    (AH, 35, 5, 593, 808),
    (HN, 27, 5, 816, 987),
]
PROGRAMMES = {
    "jilin": "programme/jilin-famous-trademark-recognition",
    "shanghai": "programme/shanghai-famous-trademark-recognition",
    "anhui": "programme/anhui-famous-trademark-recognition",
    "henan": "programme/henan-famous-trademark-recognition",
}


@pytest.mark.parametrize("inst,n_art,n_ch,first,last", INSTRUMENTS)
def test_every_article_and_chapter(kg, inst, n_art, n_ch, first, last):
    arts = kg.rows(f"""SELECT ?a ?n ?l ?e WHERE {{ ?a a ipkg:Article ; eli:is_part_of <{inst}> ; ipkg:ordinal ?n ;
        ipkg:line ?l ; ipkg:lineEnd ?e ; dct:abstract ?abs . FILTER(LANG(?abs) = "en") }}""")
    assert sorted(r["n"] for r in arts) == list(range(1, n_art + 1))
    assert all(first <= r["l"] <= r["e"] <= last for r in arts)
    chs = kg.rows(f"SELECT ?c ?n WHERE {{ ?c a ipkg:Chapter ; eli:is_part_of <{inst}> ; ipkg:ordinal ?n }}")
    assert sorted(r["n"] for r in chs) == list(range(1, n_ch + 1))
    if n_ch:
        # every article sits in exactly one chapter of the same instrument
        rows = kg.rows(f"""SELECT ?a (COUNT(?c) AS ?k) WHERE {{ ?a a ipkg:Article ; eli:is_part_of <{inst}> .
            OPTIONAL {{ ?a ipkg:inChapter ?c . ?c eli:is_part_of <{inst}> }} }} GROUP BY ?a""")
        assert len(rows) == n_art and all(r["k"] == 1 for r in rows)


def test_article_line_anchors(kg):
    # spot checks: Jilin Art. 6 (use period), Shanghai measures Art. 27 (revocation), Anhui Art. 14, Henan Art. 22
    for art, line in [(f"{JL}/art/6", 39), (f"{SHM}/art/27", 312), (f"{SHR}/art/34", 583), (f"{AH}/art/14", 691), (f"{HN}/art/22", 946)]:
        assert kg.rows(f"SELECT ?l WHERE {{ <{art}> ipkg:line ?l }}") == [{"l": line}]
    assert kg.rows(f"SELECT ?c WHERE {{ <{SHM}/art/27> ipkg:inChapter ?c }}") == [{"c": ID + f"{SHM}/chapter/4"}]
    assert kg.rows(f"SELECT ?c WHERE {{ <{SHR}/art/10> ipkg:inChapter ?c }}") == [{"c": ID + f"{SHR}/chapter/3"}]


def test_instrument_kinds_places_and_dates(kg):
    rows = kg.rows("""SELECT ?i ?kind ?place ?inforce WHERE { VALUES ?i { <%s> <%s> <%s> <%s> <%s> }
        ?i eli:type_document ?kind ; ipkg:jurisdiction ?place ; eli:first_date_entry_in_force ?inforce }""" % (JL, SHM, SHR, AH, HN))  # noqa: UP031 -- SPARQL braces
    got = {r["i"][len(ID):]: (r["kind"].rsplit("/", 1)[1], r["place"].rsplit("/", 1)[1], r["inforce"]) for r in rows}
    assert got == {
        JL: ("local-regulation", "cn-jilin", date(2007, 11, 1)),
        SHM: ("measures", "cn-shanghai", date(2012, 5, 1)),
        SHR: ("implementing-rules", "cn-shanghai", date(2012, 11, 8)),
        AH: ("local-regulation", "cn-anhui", date(2009, 3, 1)),
        HN: ("measures", "cn-henan", date(2010, 2, 1)),
    }
    assert kg.rows(f"SELECT ?d WHERE {{ <{JL}> ipkg:amendedOn ?d }}") == [{"d": date(2010, 11, 26)}]
    assert kg.rows(f"SELECT ?d WHERE {{ <{SHR}> eli:date_no_longer_in_force ?d }}") == [{"d": date(2017, 11, 7)}]
    assert kg.rows("SELECT ?d WHERE { <instrument/shanghai-famous-trademark-interim-measures> eli:date_publication ?d }") == [{"d": date(1996, 8, 14)}]


def test_titles(kg):
    rows = kg.rows(f"SELECT ?t WHERE {{ <{SHR}> eli:title ?t }}")
    assert {r["t"] for r in rows} >= {"上海市著名商標認定及び保護弁法実施細則", "上海市著名商标认定和保护办法实施细则"}
    assert kg.ask(f'ASK {{ <{AH}> rdfs:label "安徽省著名商標認定及び保護条例"@ja ; rdfs:label "安徽省著名商标认定和保护条例"@zh }}')


def test_relations_between_instruments(kg):
    assert kg.ask(f"ASK {{ <{SHR}> ipkg:implements <{SHM}> ; eli:repeals <instrument/shanghai-famous-trademark-interim-measures> }}")
    for inst in (JL, SHM, AH, HN):
        assert kg.ask(f"ASK {{ <{inst}> eli:cites <instrument/cn-trademark-law> }}"), inst
    for inst in (SHM, AH, HN):
        assert kg.ask(f"ASK {{ <{inst}> eli:cites <instrument/cn-anti-unfair-competition-law> }}"), inst
    assert kg.ask(f"ASK {{ <{HN}> eli:cites <instrument/cn-trademark-law-implementing-regulations> }}")
    assert kg.ask("ASK { <instrument/cn-trademark-law> a ipkg:LegalInstrument ; eli:type_document <concept/instrument-kind/law> ; rdfs:label \"中華人民共和国商標法\"@ja }")


def test_jilin_amendment_is_time_aware(kg):
    rows = kg.rows("""SELECT ?c ?t ?from ?until WHERE { <condition/jilin-ftm-eligibility> ipkg:operand ?c .
        ?c ipkg:constrains ipkg:yearsInUse ; ipkg:threshold ?t ; ipkg:validFrom ?from . OPTIONAL { ?c ipkg:validUntil ?until } }""")
    got = sorted((r["t"], r["from"], r.get("until")) for r in rows)
    assert got == [(Decimal("1.0"), date(2010, 11, 26), None), (Decimal("3.0"), date(2007, 11, 1), date(2010, 11, 25))]
    assert kg.ask("""ASK { <event/2010-11-26-jilin-famous-trademark-regulation-amendment> dct:date "2010-11-26"^^xsd:date ;
        dct:subject <instrument/jilin-famous-trademark-regulation> , <condition/jilin-ftm-years-in-use> }""")
    before = kg.catalog("ftm-minimum-years-of-use-as-of", date="2009-06-30")
    after = kg.catalog("ftm-minimum-years-of-use-as-of", date="2011-01-01")
    pick = lambda rows, place: sorted(r["minYears"] for r in rows if r["place"] == ID + place)
    assert pick(before, "place/cn-jilin") == [Decimal("3.0")]
    assert pick(after, "place/cn-jilin") == [Decimal("1.0")]
    assert pick(after, "place/cn-anhui") == [Decimal("3.0")]


def _operands(kg, prog):
    return kg.rows(f"""SELECT ?c ?kind ?prop ?op ?t ?b ?v WHERE {{ <{prog}> cv:holdsRequirement ?top . ?top a ipkg:AllOf ; ipkg:operand+ ?c .
        ?c a ?kind . VALUES ?kind {{ ipkg:AtomicCondition ipkg:JudgementCondition ipkg:AnyOf }}
        OPTIONAL {{ ?c ipkg:constrains ?prop ; ipkg:operator ?op }} OPTIONAL {{ ?c ipkg:threshold ?t }}
        OPTIONAL {{ ?c ipkg:booleanValue ?b }} OPTIONAL {{ ?c ipkg:conceptValue ?v }} }}""")


def test_conditions_with_thresholds(kg):
    IP = "https://w3id.org/ipkg/def/"
    sh = _operands(kg, PROGRAMMES["shanghai"])
    th = {(r["prop"][len(IP):], r["op"][len(IP):]): r["t"] for r in sh if "t" in r}
    assert th == {("yearsRegistered", "greaterOrEqual"): Decimal("2.0"), ("yearsInUse", "greaterOrEqual"): Decimal("3.0")}
    assert {r["prop"][len(IP):] for r in sh if r.get("b") is False} == {"hasOwnershipDispute", "hadSeriousViolationInPeriod"}
    assert {r["v"] for r in sh if r.get("prop") == IP + "domicileRegion"} == {ID + "place/cn-shanghai"}
    assert {r["v"] for r in sh if r.get("prop") == IP + "applicantKind"} == {ID + "concept/applicant-kind/non-profit"}
    assert len({r["c"] for r in sh if r["kind"] == IP + "JudgementCondition"}) == 5

    ah = _operands(kg, PROGRAMMES["anhui"])
    assert {(r["prop"][len(IP):], r["t"]) for r in ah if "t" in r} == {("yearsInUse", Decimal("3.0"))}
    assert {r["prop"][len(IP):] for r in ah if r.get("b") is False} == {"hasOwnershipDispute", "hadQualitySafetyIncidentInPeriod"}
    assert {r["v"] for r in ah if r.get("prop") == IP + "domicileRegion"} == {ID + "place/cn-anhui"}
    assert len({r["c"] for r in ah if r["kind"] == IP + "JudgementCondition"}) == 3

    hn = _operands(kg, PROGRAMMES["henan"])
    assert {(r["prop"][len(IP):], r["t"]) for r in hn if "t" in r} == {("yearsInUse", Decimal("3.0"))}
    assert {r["prop"][len(IP):] for r in hn if r.get("b") is False} == {"hasOwnershipDispute", "hadSeriousViolationInPeriod"}
    assert {r["v"] for r in hn if r.get("prop") == IP + "domicileRegion"} == {ID + "place/cn-henan"}
    assert len({r["c"] for r in hn if r["kind"] == IP + "JudgementCondition"}) == 3

    jl = _operands(kg, PROGRAMMES["jilin"])
    assert {r["v"] for r in jl if r.get("prop") == IP + "domicileRegion"} == {ID + "place/cn-jilin"}
    assert len({r["c"] for r in jl if r["kind"] == IP + "JudgementCondition"}) == 3


def test_required_documents(kg):
    counts = {k: kg.rows(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ <{p}> cv:hasInputType ?e . ?e a ipkg:EvidenceType }}")[0]["n"]
              for k, p in PROGRAMMES.items()}
    # Shanghai rules Art. 10: form + 8 items; Anhui Art. 8: 7 items; Henan Art. 7: 7 items; Jilin names none
    assert counts == {"jilin": 1, "shanghai": 9, "anhui": 7, "henan": 7}


def test_procedure_deadlines(kg):
    rows = kg.rows("""SELECT ?d ?dur WHERE { ?p ipkg:hasProcedureStep/ipkg:hasDeadline ?d . ?d ipkg:duration ?dur .
        FILTER(STRENDS(STR(?p), "-famous-trademark-recognition")) }""")
    got = {r["d"][len(ID) + len("deadline/"):]: r["dur"] for r in rows}
    expected = {
        "jilin-ftm-objection-period": "P20D", "jilin-ftm-reapplication-wait": "P1Y",
        "shanghai-ftm-acceptance-decision": "P30D", "shanghai-ftm-forwarding": "P10D", "shanghai-ftm-verification": "P3M",
        "shanghai-ftm-objection-period": "P15D", "shanghai-ftm-objection-investigation": "P30D", "shanghai-ftm-renewal-window": "P6M",
        "anhui-ftm-preliminary-review": "P20D", "anhui-ftm-re-review": "P15D", "anhui-ftm-provincial-examination": "P20D",
        "anhui-ftm-publication-period": "P20D", "anhui-ftm-decision": "P60D", "anhui-ftm-expiry-notice": "P4M",
        "anhui-ftm-renewal-application": "P3M",
        "henan-ftm-preliminary-review": "P30D", "henan-ftm-renewal-window": "P3M",
        # validity periods as deadlines of kind validity-period (1.2.0): Shanghai art. 15, Anhui art. 14, Henan art. 11
        "shanghai-ftm-validity": "P3Y", "anhui-ftm-validity": "P4Y", "henan-ftm-validity": "P3Y",
    }
    assert {k: v for k, v in got.items() if k.startswith(("jilin", "shanghai", "anhui", "henan"))} == expected


def test_validity_periods_query(kg):
    rows = kg.catalog("ftm-validity-periods")
    got = {r["place"][len(ID):]: (r.get("validityPeriod"), r.get("renewable")) for r in rows
           if r["place"][len(ID):] in ("place/cn-jilin", "place/cn-shanghai", "place/cn-anhui", "place/cn-henan")}
    assert got == {"place/cn-jilin": (None, None), "place/cn-shanghai": ("P3Y", True),
                   "place/cn-anhui": ("P4Y", True), "place/cn-henan": ("P3Y", True)}


def test_reapplication_bans_query(kg):
    rows = kg.catalog("ftm-reapplication-bans")
    mine = [r for r in rows if r["place"][len(ID):] in ("place/cn-jilin", "place/cn-shanghai", "place/cn-anhui", "place/cn-henan")]
    got = sorted((r["place"][len(ID) + 9:], r.get("banYears", 0), r.get("permanent", False)) for r in mine)
    assert got == sorted([("anhui", 3, False)] * 3 + [("shanghai", 5, False)] * 2 + [("shanghai", 0, True)] * 3)
    assert all(r["article"] in (ID + f"{AH}/art/32", ID + f"{SHM}/art/27") for r in mine)


def test_minimum_years_of_use_query(kg):
    rows = kg.catalog("ftm-minimum-years-of-use")
    use = sorted((r["place"][len(ID) + 9:], r["minYears"], r.get("validFrom")) for r in rows
                 if r["property"].endswith("yearsInUse") and r["place"][len(ID) + 9:] in ("jilin", "shanghai", "anhui", "henan"))
    assert use == [("anhui", Decimal("3.0"), None), ("henan", Decimal("3.0"), None),
                   ("jilin", Decimal("1.0"), date(2010, 11, 26)), ("jilin", Decimal("3.0"), date(2007, 11, 1)),
                   ("shanghai", Decimal("3.0"), None)]
    reg = [(r["place"], r["minYears"]) for r in rows if r["property"].endswith("yearsRegistered") and r["place"] == ID + "place/cn-shanghai"]
    assert reg == [(ID + "place/cn-shanghai", Decimal("2.0"))]


def test_fines_query(kg):
    rows = kg.catalog("ftm-fines")
    N = Decimal(-1)  # stands for "not stated", so tuples sort
    def fines(inst):
        return sorted((r["articleNumber"], r.get("minValue", N), r.get("maxValue", N), r.get("multipleMin", N), r.get("multipleMax", N))
                      for r in rows if r["instrument"] == ID + inst)
    D = Decimal
    assert fines(JL) == sorted([
        (17, N, N, N, D("3.0")), (17, D("30000.0"), D("100000.0"), N, N), (17, D("10000.0"), D("20000.0"), N, N),
        (18, N, N, D("2.0"), D("3.0")), (18, D("30000.0"), D("100000.0"), N, N),
        (19, D("3000.0"), D("20000.0"), N, N), (20, D("5000.0"), D("10000.0"), N, N)])
    assert fines(SHM) == [(28, D("1000.0"), D("5000.0"), N, N), (28, D("5000.0"), D("10000.0"), N, N),
                          (28, D("10000.0"), D("30000.0"), N, N)]
    assert fines(SHR) == []
    assert fines(AH) == sorted([(30, D("10000.0"), D("30000.0"), N, N), (31, N, N, D("1.0"), D("3.0")),
                                (31, D("50000.0"), D("100000.0"), N, N)])
    assert fines(HN) == [(22, D("5000.0"), D("30000.0"), N, N), (23, D("10000.0"), D("30000.0"), N, N)]
    assert all(r["currency"] == "CNY" for r in rows if "minValue" in r and r["instrument"] in (ID + JL, ID + SHM, ID + AH, ID + HN))


def test_administering_authorities_query(kg):
    rows = kg.catalog("ftm-administering-authorities")
    got = {(r["place"][len(ID):], r["authority"][len(ID):], r.get("reviewBody", ID)[len(ID):]) for r in rows
           if r["place"][len(ID):] in ("place/cn-jilin", "place/cn-shanghai", "place/cn-anhui", "place/cn-henan")}
    assert got == {("place/cn-jilin", "authority/jilin-aic", ""),
                   ("place/cn-shanghai", "authority/shanghai-aic", "authority/shanghai-ftm-review-committee"),
                   ("place/cn-anhui", "authority/anhui-aic", "authority/anhui-ftm-review-committee"),
                   ("place/cn-henan", "authority/henan-aic", "authority/henan-ftm-expert-panel")}
    for inst, auth in [(JL, "jilin-aic"), (SHM, "shanghai-aic"), (SHR, "shanghai-aic"), (AH, "anhui-aic"), (HN, "henan-aic")]:
        assert kg.ask(f"ASK {{ <{inst}> ipkg:administeredBy <authority/{auth}> }}"), inst


def test_sanctions(kg):
    counts = {k: kg.rows(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ <{p}> ipkg:hasSanction ?s . ?s a ipkg:Sanction }}")[0]["n"]
              for k, p in PROGRAMMES.items()}
    assert counts == {"jilin": 11, "shanghai": 10, "anhui": 10, "henan": 9}
    # revocations per programme (Jilin Art. 13: 2; Shanghai Art. 27: 5; Anhui Arts. 28, 32: 4; Henan Art. 22: 5)
    rev = {k: kg.rows(f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ <{p}> ipkg:hasSanction ?s .
        ?s ipkg:sanctionKind <concept/sanction-kind/revocation> }}""")[0]["n"] for k, p in PROGRAMMES.items()}
    assert rev == {"jilin": 2, "shanghai": 5, "anhui": 4, "henan": 5}
    # criminal referral for officials in Jilin, Shanghai, Henan (not in Anhui Art. 33)
    crim = {k for k, p in PROGRAMMES.items() if kg.ask(f"""ASK {{ <{p}> ipkg:hasSanction ?s .
        ?s ipkg:sanctionKind <concept/sanction-kind/disciplinary-action> , <concept/sanction-kind/criminal-referral> }}""")}
    assert crim == {"jilin", "shanghai", "henan"}
    assert kg.ask("ASK { <sanction/anhui-ftm-unfiled-licence-warning> ipkg:sanctionKind <concept/sanction-kind/warning> }")


def test_benefits(kg):
    for k, p in PROGRAMMES.items():
        assert kg.ask(f"ASK {{ <{p}> ipkg:hasBenefit ?b . ?b a ipkg:LegalProtection ; ipkg:benefitKind <concept/benefit-kind/recognition> }}"), k
    # enterprise-name protection exists in all four jurisdictions
    rows = kg.rows("""SELECT DISTINCT ?p WHERE { ?p ipkg:hasBenefit ?b . ?b a ipkg:LegalProtection ;
        ipkg:benefitKind <concept/benefit-kind/trade-name-protection> }""")
    assert {PROGRAMMES[k] for k in PROGRAMMES} <= {r["p"][len(ID):] for r in rows}
