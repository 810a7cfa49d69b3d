"""Structure over prose: deadline and step kinds with typed lengths and dates, one date pattern, and 特許 ≠ 专利.

Facts are checked against the source lines they cite (sources in /work/shared/sources; line numbers as in
`cat -n`): the Jilin objection period (001:55-57, art. 8), the CNIPA payment table (003:127-138), the
Yunnan and Guizhou validity periods (001:1826, art. 9; Guizhou art. 21), the Shanghai funding decision in
working days (001:2731, art. 14), the Chongqing high-tech application windows (001:2435, art. 9).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from ipkg.eligibility import Engine, Rulebook
from ipkg.eligibility.profile import parse

ID = "https://w3id.org/ipkg/id/"
DK = ID + "concept/deadline-kind/"
ROOT = Path(__file__).resolve().parents[1]
D = dt.date


def deadline(kg, slug: str) -> dict:
    rows = kg.rows(f"""SELECT ?kind ?duration ?wd ?back ?source WHERE {{ <deadline/{slug}> ipkg:deadlineKind ?kind ;
        prov:wasDerivedFrom ?source .
        OPTIONAL {{ <deadline/{slug}> ipkg:duration ?duration }} OPTIONAL {{ <deadline/{slug}> ipkg:workingDays ?wd }}
        OPTIONAL {{ <deadline/{slug}> ipkg:countsBackward ?back }} }}""")
    assert rows, slug
    out = {k: v for k, v in rows[0].items() if k != "source"}
    out["sources"] = {r["source"].removeprefix(ID) for r in rows}
    return out


# ---------------------------------------------------------------- facts from the sources

def test_jilin_objection_period_is_20_days_from_publication_art_8(kg):
    d = deadline(kg, "jilin-ftm-objection-period")
    assert d["kind"] == DK + "objection-period" and d["duration"] == "P20D"
    assert d["sources"] == {"instrument/jilin-famous-trademark-regulation/art/8"}
    # the article the deadline cites spans the source lines that say 公示の日から20日以内
    assert kg.rows("""SELECT ?l ?e WHERE { <instrument/jilin-famous-trademark-regulation/art/8> ipkg:line ?l ; ipkg:lineEnd ?e }""") == [
        {"l": 51, "e": 59}]
    assert kg.ask("ASK { <step/jilin-ftm-3-publication> ipkg:hasDeadline <deadline/jilin-ftm-objection-period> ; "
                  "ipkg:stepKind <concept/step-kind/publication> }")


def test_cnipa_payment_deadlines_have_kind_and_duration(kg):
    app = deadline(kg, "cn-application-fee-payment")
    assert app["kind"] == DK + "payment-deadline" and app["duration"] == "P2M"
    assert app["sources"] == {"doc/cnipa-fee-guide-2025/line/127"}
    assert deadline(kg, "cn-examination-fee-payment")["duration"] == "P3Y"          # 003:128
    assert deadline(kg, "cn-reexamination-fee-payment")["duration"] == "P3M"        # 003:129
    late = deadline(kg, "cn-annual-fee-late-payment")
    assert late["kind"] == DK + "grace-period" and late["duration"] == "P6M"       # 003:136-138
    assert deadline(kg, "cn-annual-fee-restoration")["kind"] == DK + "restoration-period"
    # the fees point at their deadline
    assert kg.ask("ASK { <fee/cn-application-invention> ipkg:hasDeadline <deadline/cn-application-fee-payment> }")
    # the annual fee's due date has no length in the guide: said so, not invented (003:131)
    assert kg.ask("ASK { <deadline/cn-annual-fee-payment> ipkg:lengthNotStated true FILTER NOT EXISTS "
                  "{ <deadline/cn-annual-fee-payment> ipkg:duration ?d } }")


def test_chinese_recognition_validity_periods_in_years(kg):
    yunnan = deadline(kg, "yunnan-ftm-validity")
    assert yunnan["kind"] == DK + "validity-period" and yunnan["duration"] == "P5Y"  # 001:1826 有効期間は5年
    # art. 9 states the five years; 001:1751 the amendment's date (2010-09-01) from which they apply
    assert yunnan["sources"] == {"instrument/yunnan-famous-trademark-measures/art/9", "doc/cn-local-regulations-ch4/line/1751"}
    assert deadline(kg, "yunnan-ftm-validity-before-2010")["duration"] == "P3Y"
    assert deadline(kg, "guizhou-ftm-validity")["duration"] == "P4Y"
    rows = kg.rows(f"""SELECT ?d ?dur WHERE {{ ?d ipkg:deadlineKind <{DK}validity-period> ; ipkg:duration ?dur }}""")
    assert len(rows) == 11 and all(r["dur"].endswith("Y") for r in rows)
    # every recognition programme's ipkg:validityPeriod is also a validity-period deadline of its procedure
    assert not kg.ask(f"""ASK {{ ?p ipkg:validityPeriod ?v FILTER NOT EXISTS {{
        ?p ipkg:hasProcedureStep/ipkg:hasDeadline ?d . ?d ipkg:deadlineKind <{DK}validity-period> ; ipkg:duration ?v }} }}""")
    assert deadline(kg, "anhui-ftm-validity")["sources"] == {"instrument/anhui-famous-trademark-regulation/art/14"}  # 001:693


def test_working_days_are_not_calendar_durations(kg):
    d = deadline(kg, "shanghai-funding-decision-domestic")
    assert d == {"kind": DK + "decision-deadline", "wd": 15,
                 "sources": {"instrument/shanghai-patent-funding-measures/art/14"}}  # 001:2731 15 営業日以内
    assert deadline(kg, "shanghai-funding-decision-foreign")["wd"] == 30
    assert deadline(kg, "chongqing-high-tech-publication-period") == {
        "kind": DK + "publicity-period", "wd": 15, "sources": {"instrument/chongqing-high-tech-enterprise-measures/art/10"}}
    rows = kg.rows("SELECT ?d WHERE { ?d ipkg:workingDays ?n }")
    assert len(rows) == 7
    assert not kg.ask("ASK { ?d ipkg:workingDays ?n ; ipkg:duration ?x }")


def test_renewal_windows_count_backward_from_expiry(kg):
    d = deadline(kg, "shanghai-ftm-renewal-window")
    assert d["kind"] == DK + "renewal-window" and d["duration"] == "P6M" and d["back"] is True
    assert not kg.ask(f"ASK {{ ?d ipkg:deadlineKind <{DK}validity-period> ; ipkg:countsBackward true }}")


def test_application_windows_are_calendar_days(kg):
    rows = kg.rows("""SELECT ?o ?c WHERE { <deadline/chongqing-high-tech-window-spring> ipkg:opensOn ?o ; ipkg:closesOn ?c }""")
    assert rows == [{"o": "--04-01", "c": "--04-20"}]                               # 001:2435 4月1日～4月20日
    assert kg.ask('ASK { <deadline/chongqing-high-tech-window-spring> ipkg:opensOn ?o FILTER (DATATYPE(?o) = xsd:gMonthDay) }')
    assert kg.rows("SELECT ?d WHERE { <deadline/fujian-funding-transition-report> ipkg:dueDate ?d }") == [{"d": D(2012, 11, 30)}]
    quarterly = kg.rows("SELECT ?c WHERE { <deadline/fujian-funding-quarterly-review> ipkg:closesOn ?c } ORDER BY ?c")
    assert [r["c"] for r in quarterly] == ["--03-10", "--06-10", "--09-10", "--12-10"]


# ---------------------------------------------------------------- every deadline and step

def test_every_deadline_has_one_kind_from_the_scheme(kg):
    rows = kg.rows("""SELECT ?d (COUNT(DISTINCT ?k) AS ?n) WHERE { ?d a ipkg:Deadline .
        OPTIONAL { ?d ipkg:deadlineKind ?k . ?k skos:inScheme <concept/deadline-kind> } } GROUP BY ?d""")
    assert len(rows) == 134  # 131, and since 1.3.0 the yearly recognition rounds of Anhui, Guizhou and Shanghai
    assert all(r["n"] == 1 for r in rows), [r["d"] for r in rows if r["n"] != 1]


def test_every_deadline_has_a_typed_length_or_date(kg):
    assert not kg.ask("""ASK { ?d a ipkg:Deadline
        FILTER NOT EXISTS { ?d ipkg:duration ?x FILTER (DATATYPE(?x) = xsd:duration) }
        FILTER NOT EXISTS { ?d ipkg:workingDays ?w }
        FILTER NOT EXISTS { ?d ipkg:opensOn|ipkg:closesOn|ipkg:inMonth|ipkg:dueDate ?t }
        FILTER NOT EXISTS { ?d ipkg:lengthNotStated true } }""")
    assert not kg.ask("ASK { ?d ipkg:duration ?x FILTER (DATATYPE(?x) != xsd:duration) }")
    # the deadlines without a stated length are few and each says why in its label or description
    rows = kg.rows("SELECT ?d WHERE { ?d ipkg:lengthNotStated true }")
    assert len(rows) == 7


def test_deadline_kinds_by_group(kg):
    rows = kg.rows("""SELECT ?top (COUNT(?d) AS ?n) WHERE { ?d ipkg:deadlineKind/skos:broader ?top } GROUP BY ?top""")
    got = {r["top"].removeprefix(DK): r["n"] for r in rows}
    # period-of-effect: 21, and since 1.3.0 three recurrence intervals (yearly recognition rounds, 001:204, 693, 1626)
    assert got == {"applicant-time-limit": 63, "authority-time-limit": 47, "period-of-effect": 24}
    assert sum(got.values()) == 134


def test_scheme_concepts_have_labels_and_definitions(kg):
    for scheme in ("deadline-kind", "step-kind", "date-precision"):
        assert not kg.ask(f"""ASK {{ ?c skos:inScheme <concept/{scheme}> .
            FILTER NOT EXISTS {{ ?c skos:prefLabel ?en FILTER (LANG(?en) = "en") }}
            FILTER NOT EXISTS {{ ?c skos:prefLabel ?ja FILTER (LANG(?ja) = "ja") }} }}"""), scheme
        assert not kg.ask(f"""ASK {{ ?c skos:inScheme <concept/{scheme}> FILTER NOT EXISTS {{ ?c skos:definition ?d }} }}"""), scheme


def test_every_procedure_step_has_a_kind(kg):
    assert not kg.ask("""ASK { ?s a ipkg:ProcedureStep FILTER NOT EXISTS {
        ?s ipkg:stepKind ?k . ?k skos:inScheme <concept/step-kind> } }""")
    assert kg.rows("SELECT (COUNT(?s) AS ?n) WHERE { ?s a ipkg:ProcedureStep }") == [{"n": 127}]


def test_shacl_rejects_a_deadline_without_kind_or_typed_duration():
    from pyshacl import validate

    shapes = Graph().parse(ROOT / "shapes" / "ipkg-shapes.ttl")
    data = Graph().parse(ROOT / "ontology" / "schemes" / "schemes.ttl")
    ipkg, prov = Namespace("https://w3id.org/ipkg/def/"), Namespace("http://www.w3.org/ns/prov#")
    bad = URIRef(ID + "deadline/test-bad")
    data.add((bad, RDF.type, ipkg.Deadline))
    data.add((bad, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("A deadline", lang="en")))
    data.add((bad, ipkg.duration, Literal("30 days")))
    data.add((bad, prov.wasDerivedFrom, URIRef(ID + "doc/cnipa-fee-guide-2025/line/127")))
    conforms, _report, text = validate(data, shacl_graph=shapes, inference="none")
    assert not conforms
    assert "exactly one kind" in text and "xsd:duration" in text


# ---------------------------------------------------------------- one date pattern


def test_no_date_property_carries_a_mix_of_datatypes(kg):
    rows = kg.rows("""SELECT ?p (GROUP_CONCAT(DISTINCT STR(DATATYPE(?o)); separator=" ") AS ?types) WHERE {
        ?s ?p ?o FILTER (isLiteral(?o) && DATATYPE(?o) IN (xsd:date, xsd:dateTime, xsd:gYear, xsd:gYearMonth)) } GROUP BY ?p""")
    assert rows
    mixed = {r["p"]: r["types"] for r in rows if " " in r["types"]}
    assert not mixed
    assert {r["types"] for r in rows} == {str(XSD.date)}


def test_no_year_or_month_literals_are_left(kg):
    assert not kg.ask("ASK { ?s ?p ?o FILTER (isLiteral(?o) && DATATYPE(?o) IN (xsd:gYear, xsd:gYearMonth)) }")
    assert not kg.ask("ASK { ?s time:inXSDgYear|time:inXSDgYearMonth|ipkg:startYear ?o }")


def test_month_year_and_fiscal_year_dates_carry_their_precision(kg):
    rows = kg.rows("SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ipkg:datePrecision ?p } GROUP BY ?p")
    got = {r["p"].rsplit("/", 1)[1]: r["n"] for r in rows}
    # resources (56 month, 59 year, 24 fiscal-year values in data/; the build merges the identical
    # membership instants, 7 of a month and 35 of a year, into 2 and 5)
    assert got == {"month": 51, "year": 29, "fiscal-year": 24}
    # each is the first day of its month, year or fiscal year (1 April)
    assert not kg.ask("""ASK { ?s ipkg:datePrecision <concept/date-precision/month> ; ?p ?d
        FILTER (DATATYPE(?d) = xsd:date && DAY(?d) != 1) }""")
    assert not kg.ask("""ASK { ?s ipkg:datePrecision <concept/date-precision/year> ; ?p ?d
        FILTER (DATATYPE(?d) = xsd:date && (DAY(?d) != 1 || MONTH(?d) != 1)) }""")
    assert not kg.ask("""ASK { ?s ipkg:datePrecision <concept/date-precision/fiscal-year> ; ?p ?d
        FILTER (DATATYPE(?d) = xsd:date && (DAY(?d) != 1 || MONTH(?d) != 4)) }""")
    # a resource has one precision for its dates
    assert not kg.ask("ASK { ?s ipkg:datePrecision ?a , ?b FILTER (?a != ?b) }")


def test_month_only_dates_filter_as_dates(kg):
    # 2024年7月 events: found by comparing dates, no STR()
    rows = kg.rows("""SELECT ?e WHERE { ?e dct:date ?d ; ipkg:datePrecision <concept/date-precision/month>
        FILTER (?d >= "2024-07-01"^^xsd:date && ?d < "2024-08-01"^^xsd:date) }""")
    assert rows
    pass_start = kg.rows("SELECT ?d ?p WHERE { <programme/pass> ipkg:startDate ?d ; ipkg:datePrecision ?p }")
    assert pass_start == [{"d": D(2024, 4, 1), "p": ID + "concept/date-precision/month"}]   # 2024年4月に開始
    fy = kg.rows("SELECT ?d WHERE { <event/fy2023-tsunagaru-tokkyocho-events> dct:date ?d }")
    assert fy == [{"d": D(2023, 4, 1)}]                                                         # 2023年度


def test_catalogue_queries_keep_the_stated_precision(kg):
    rows = kg.catalog("news-members", group=ID + "network/12-provinces-ip-administrative-protection-cooperation-mechanism")
    assert {(r["since"], r["sinceDate"], r["precision"].rsplit("/", 1)[1]) for r in rows} == {("2019", D(2019, 1, 1), "year")}
    rows = kg.catalog("news-events-in-range", start="2022-06-30", end="2022-07-02",
                      kind=ID + "concept/event-kind/designation")
    assert ID + "event/2022-06-cnipa-ip-dispute-rapid-handling-pilot-batch-1" in {r["event"] for r in rows}
    rows = kg.catalog("news-events-in-range", start="2022-07-01", end="2022-07-02",
                      kind=ID + "concept/event-kind/designation")
    assert ID + "event/2022-06-cnipa-ip-dispute-rapid-handling-pilot-batch-1" not in {r["event"] for r in rows}


# ---------------------------------------------------------------- 特許 is not 专利

@pytest.fixture(scope="module")
def engine(kg) -> Engine:
    return Engine(Rulebook(kg.store))


def benefits(engine: Engine, body: dict, programme: str) -> tuple[str, set[str]]:
    answer = engine.evaluate(parse({**body, "programme": ID + "programme/" + programme}, engine.rules))
    v = answer["verdicts"][0]
    return v["verdict"], {b["benefit"].rsplit("/", 1)[1] for b in v.get("benefit", {}).get("items", [])}


def test_ip_right_hierarchy(kg):
    R = ID + "concept/ip-right/"
    assert not kg.ask(f"ASK {{ <{R}design> skos:broader+ <{R}patent> }}")
    assert not kg.ask(f"ASK {{ <{R}utility-model> skos:broader+ <{R}patent> }}")
    for right in ("invention-patent", "utility-model", "design"):
        assert kg.ask(f"ASK {{ <{R}{right}> skos:broader+ <{R}patent-cn> }}"), right
    assert kg.ask(f"ASK {{ <{R}invention-patent> skos:broader <{R}patent> }}")
    assert kg.rows(f'SELECT ?l WHERE {{ <{R}patent-cn> skos:prefLabel ?l FILTER (LANG(?l) = "zh") }}') == [{"l": "专利"}]


def test_jpo_patent_measures_are_not_reached_from_design(kg):
    rows = kg.rows("""SELECT DISTINCT ?p WHERE { ?p ipkg:coversIPRight ?r ; ipkg:jurisdiction <place/jp> .
        <concept/ip-right/design> skos:broader* ?r }""")
    got = {r["p"].removeprefix(ID + "programme/") for r in rows}
    assert "grip" in got                                   # names designs
    assert not got & {"jp-patent-fee-reduction", "jp-pct-fee-reduction", "ipas", "startup-accelerated-examination"}


def test_jpo_per_patent_cap_does_not_apply_to_a_design(engine):
    # 002:3083 特150万, 実・意・商60万: a design filing abroad gets the 600,000-yen case cap, not the patent one
    body = {"applicant": {"kind": "sme", "country": "JP"}, "filing": {"ipRight": "design", "route": "foreign", "office": "JP"},
            "asOf": "2025-06-01"}
    verdict, got = benefits(engine, body, "foreign-filing-support")
    assert verdict == "eligible"
    assert "foreign-filing-support-fy2025-per-other-case" in got and "foreign-filing-support-fy2025-per-patent" not in got
    body["filing"]["ipRight"] = "invention-patent"
    _, got = benefits(engine, body, "foreign-filing-support")
    assert "foreign-filing-support-fy2025-per-patent" in got and "foreign-filing-support-fy2025-per-other-case" not in got


def test_chinese_patent_funding_still_applies_to_a_utility_model(engine):
    # Hunan funds PCT filings of 专利 (art. 6): a utility model is a 专利
    body = {"applicant": {"kind": ["enterprise", "service-invention-applicant"], "country": "CN", "region": "CN-HN"},
            "filing": {"ipRight": "utility-model", "route": "pct-international", "status": "filed"}, "asOf": "2012-06-01"}
    verdict, got = benefits(engine, body, "hunan-patent-funding")
    assert verdict == "eligible" and "hunan-funding-patent-pct-international-service" in got
    # the China Patent Award honours 专利 of any kind
    body = {"applicant": {"kind": "enterprise", "country": "CN"}, "filing": {"ipRight": "utility-model", "office": "CN"},
            "asOf": "2023-08-01"}
    answer = engine.evaluate(parse({**body, "programme": ID + "programme/cn-china-patent-award"}, engine.rules))
    conditions = {c["condition"].rsplit("/", 1)[1]: c["outcome"] for c in answer["verdicts"][0]["conditions"]}
    assert conditions["cn-china-patent-award-right-is-patent"] == "true"
