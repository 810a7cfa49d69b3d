"""The CNIPA 2025 official-fee guide (doc/cnipa-fee-guide-2025, source file 003_88367d768192d5e6.txt) in the graph.

Every expected value below was read off the source with `cat -n` (line numbers in the comments).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

ID = "https://w3id.org/ipkg/id/"
DOC = "doc/cnipa-fee-guide-2025"
# PAT: China's 专利 (invention, utility model or design), concept/ip-right/patent-cn since 1.2.0
INV, UM, DES, PAT = (f"{ID}concept/ip-right/{s}" for s in ("invention-patent", "utility-model", "design", "patent-cn"))
RED_SINGLE = f"{ID}benefit/cnipa-fee-reduction-single"
RED_JOINT = f"{ID}benefit/cnipa-fee-reduction-joint"

# (fee slug, category, rights, amount or None, row line) — lines 29-89 of the guide, one resource per row and right.
FEES = [
    ("cn-application-invention", "application-fee", {INV}, 900, 32),
    ("cn-application-utility-model", "application-fee", {UM}, 500, 33),
    ("cn-application-design", "application-fee", {DES}, 500, 34),
    ("cn-additional-claim", "additional-claim-fee", {PAT}, 150, 36),
    ("cn-excess-page-above-30", "excess-page-fee", {PAT}, 50, 37),
    ("cn-excess-page-above-300", "excess-page-fee", {PAT}, 100, 38),
    ("cn-publication-invention", "publication-fee", {INV}, 50, 39),
    ("cn-priority-claim", "priority-claim-fee", {PAT}, 80, 40),
    ("cn-examination-invention", "examination-fee", {INV}, 2500, 44),
    ("cn-reexamination-invention", "reexamination-fee", {INV}, 1000, 48),
    ("cn-reexamination-utility-model", "reexamination-fee", {UM}, 300, 49),
    ("cn-reexamination-design", "reexamination-fee", {DES}, 300, 50),
    ("cn-registration", "registration-fee", {INV, UM, DES}, None, 52),
    ("cn-annual-invention-years-1-3", "annual-fee", {INV}, 900, 59),
    ("cn-annual-invention-years-4-6", "annual-fee", {INV}, 1200, 60),
    ("cn-annual-invention-years-7-9", "annual-fee", {INV}, 2000, 61),
    ("cn-annual-invention-years-10-12", "annual-fee", {INV}, 4000, 62),
    ("cn-annual-invention-years-13-15", "annual-fee", {INV}, 6000, 63),
    ("cn-annual-invention-years-16-20", "annual-fee", {INV}, 8000, 64),
    *[(f"cn-annual-{r}-years-{a}-{b}", "annual-fee", {iri}, v, ln)
      for r, iri in (("utility-model", UM), ("design", DES))
      for a, b, v, ln in ((1, 3, 600, 66), (4, 5, 900, 67), (6, 8, 1200, 68), (9, 10, 2000, 69), (11, 15, 3000, 70))],
    ("cn-invalidation-invention", "invalidation-fee", {INV}, 3000, 74),
    ("cn-invalidation-utility-model", "invalidation-fee", {UM}, 1500, 75),
    ("cn-invalidation-design", "invalidation-fee", {DES}, 1500, 76),
    ("cn-late-payment", "late-payment-fee", {PAT}, None, 80),
    ("cn-restoration", "restoration-fee", {PAT}, 1000, 81),
    ("cn-extension-first", "extension-fee", {PAT}, 300, 83),
    ("cn-extension-second", "extension-fee", {PAT}, 2000, 84),
    ("cn-change-bibliographic", "change-fee", {PAT}, 200, 86),
    ("cn-evaluation-report-utility-model", "evaluation-report-fee", {UM}, 2400, 88),
    ("cn-evaluation-report-design", "evaluation-report-fee", {DES}, 2400, 89),
]

REDUCIBLE = {
    "cn-application-invention", "cn-application-utility-model", "cn-application-design",  # line 97
    "cn-examination-invention",  # line 98
    "cn-annual-invention-years-1-3", "cn-annual-invention-years-4-6", "cn-annual-invention-years-7-9",
    "cn-annual-invention-years-10-12",  # line 99: straddles year 10, included (see the benefit's note)
    *{f"cn-annual-{r}-years-{a}-{b}" for r in ("utility-model", "design") for a, b in ((1, 3), (4, 5), (6, 8), (9, 10))},
    "cn-reexamination-invention", "cn-reexamination-utility-model", "cn-reexamination-design",  # line 100
}


def cnipa_fees(kg) -> list[dict]:
    return kg.rows(f"""
        SELECT DISTINCT ?fee WHERE {{
          ?fee a ipkg:OfficialFee ; ipkg:chargedBy <authority/cnipa> ; prov:wasDerivedFrom/ipkg:inDocument <{DOC}> .
        }}""")


def test_fee_count_matches_the_rows_of_the_guide(kg):
    # 34 rows with a fee (lines 32-89) incl. the registration entry (52-54); the 5 utility-model/design rows (66-70) give two fees each.
    assert len(FEES) == 39
    assert {r["fee"] for r in cnipa_fees(kg)} == {f"{ID}fee/{slug}" for slug, *_ in FEES}


@pytest.mark.parametrize("slug,category,rights,amount,line", FEES, ids=[f[0] for f in FEES])
def test_each_fee(kg, slug, category, rights, amount, line):
    rows = kg.rows(f"""
        SELECT ?cat ?right ?value ?cur ?by WHERE {{
          <fee/{slug}> ipkg:feeCategory ?cat ; ipkg:forIPRight ?right ; ipkg:chargedBy ?by .
          OPTIONAL {{ <fee/{slug}> cv:hasValue ?value ; ipkg:currency ?cur }}
        }}""")
    assert {r["cat"] for r in rows} == {f"{ID}concept/fee-category/{category}"}
    assert {r["right"] for r in rows} == rights
    assert {r["by"] for r in rows} == {f"{ID}authority/cnipa"}
    if amount is None:
        assert all("value" not in r for r in rows)
    else:
        assert {r["value"] for r in rows} == {Decimal(amount)}
        assert {r["cur"] for r in rows} == {f"{ID}concept/currency/cny"}
    assert kg.ask(f"ASK {{ <fee/{slug}> prov:wasDerivedFrom/ipkg:line {line} ; ipkg:statedAs ?s ; rdfs:label ?ja , ?en . "
                  f"FILTER (LANG(?ja) = 'ja' && LANG(?en) = 'en') }}")


def test_invention_application_fee_900_at_line_32(kg):
    rows = kg.rows(f"""
        SELECT ?v ?stated ?line WHERE {{
          <fee/cn-application-invention> cv:hasValue ?v ; ipkg:statedAs ?stated ; prov:wasDerivedFrom ?loc .
          ?loc ipkg:inDocument <{DOC}> ; ipkg:line ?line . }}""")
    assert {r["v"] for r in rows} == {Decimal("900")}
    assert {r["stated"] for r in rows} == {"発明900"}
    assert 32 in {r["line"] for r in rows}


def test_every_fee_has_a_line_locator_in_the_guide(kg):
    missing = kg.rows(f"""
        SELECT ?fee WHERE {{
          ?fee a ipkg:OfficialFee ; ipkg:chargedBy <authority/cnipa> .
          FILTER NOT EXISTS {{ ?fee prov:wasDerivedFrom ?loc . ?loc ipkg:inDocument <{DOC}> ; ipkg:line ?n .
                               FILTER (?n >= 29 && ?n <= 89) }} }}""")
    assert missing == []


def test_per_unit_fees(kg):
    rows = kg.rows("""
        SELECT ?fee ?unit ?above WHERE {
          VALUES ?fee { <fee/cn-additional-claim> <fee/cn-excess-page-above-30> <fee/cn-excess-page-above-300>
                        <fee/cn-priority-claim> <fee/cn-extension-first> <fee/cn-extension-second> }
          ?fee ipkg:perUnit ?unit . OPTIONAL { ?fee ipkg:appliesAbove ?above } }""")
    got = {r["fee"].rsplit("/", 1)[1]: (r["unit"].rsplit("/", 1)[1], r.get("above")) for r in rows}
    assert got == {
        "cn-additional-claim": ("claim", 10),  # line 36
        "cn-excess-page-above-30": ("page", 30),  # line 37
        "cn-excess-page-above-300": ("page", 300),  # line 38
        "cn-priority-claim": ("priority-claim", None),  # line 40
        "cn-extension-first": ("month", None),  # line 83
        "cn-extension-second": ("month", None),  # line 84
    }


def test_late_payment_fee_is_5_percent_per_month(kg):
    rows = kg.rows("SELECT ?rate ?unit ?of WHERE { <fee/cn-late-payment> ipkg:rate ?rate ; ipkg:perUnit ?unit ; ipkg:rateOf ?of }")
    assert rows == [{"rate": Decimal("0.05"), "unit": f"{ID}concept/unit/month", "of": f"{ID}concept/fee-category/annual-fee"}]
    assert kg.ask("ASK { <fee/cn-late-payment> ipkg:dataQualityNote ?n FILTER (CONTAINS(?n, '5-25%') && CONTAINS(?n, 'line 138')) }")


def test_registration_entry_has_no_invented_amount(kg):
    # lines 52-54: 参加登録 / 交付年度の年金(下表参照)。 — the annual fee for the year of grant, no amount of its own.
    rows = kg.rows("SELECT ?rate ?of ?v WHERE { <fee/cn-registration> ipkg:rate ?rate ; ipkg:rateOf ?of . OPTIONAL { <fee/cn-registration> cv:hasValue ?v } }")
    assert rows == [{"rate": Decimal("1.0"), "of": f"{ID}concept/fee-category/annual-fee"}]
    stated = {r["s"] for r in kg.rows("SELECT ?s WHERE { <fee/cn-registration> ipkg:statedAs ?s }")}
    assert stated == {"参加登録", "交付年度の年金(下表参照)。"}
    assert kg.ask("ASK { <fee/cn-registration> ipkg:dataQualityNote ?n FILTER (CONTAINS(?n, '参加登録')) }")


def test_annual_fee_bands_complete(kg):
    rows = kg.rows("""
        SELECT ?right ?from ?to ?v WHERE {
          ?fee ipkg:feeCategory <concept/fee-category/annual-fee> ; ipkg:chargedBy <authority/cnipa> ;
               ipkg:forIPRight ?right ; ipkg:yearFrom ?from ; ipkg:yearTo ?to ; cv:hasValue ?v ; ipkg:perUnit <concept/unit/year> . }""")
    bands = {(r["right"], r["from"], r["to"], r["v"]) for r in rows}
    assert len(rows) == 16
    assert {b for b in bands if b[0] == INV} == {
        (INV, 1, 3, 900), (INV, 4, 6, 1200), (INV, 7, 9, 2000), (INV, 10, 12, 4000), (INV, 13, 15, 6000), (INV, 16, 20, 8000)}
    for right in (UM, DES):
        assert {b for b in bands if b[0] == right} == {
            (right, 1, 3, 600), (right, 4, 5, 900), (right, 6, 8, 1200), (right, 9, 10, 2000), (right, 11, 15, 3000)}


@pytest.mark.parametrize("right,year,amount,band,line", [
    (INV, 7, 2000, (7, 9), 61),
    (UM, 9, 2000, (9, 10), 69),
    (DES, 11, 3000, (11, 15), 70),
    (INV, 20, 8000, (16, 20), 64),
    (INV, 1, 900, (1, 3), 59),
])
def test_annual_fee_for_year(kg, right, year, amount, band, line):
    rows = kg.catalog("cnipa-annual-fee-for-year", right=right, year=year)
    assert len(rows) == 1
    assert (rows[0]["amount"], rows[0]["yearFrom"], rows[0]["yearTo"], rows[0]["line"]) == (Decimal(amount), *band, line)
    assert rows[0]["currency"] == "CNY"


def test_annual_fee_query_defaults_and_out_of_range(kg):
    assert [r["amount"] for r in kg.catalog("cnipa-annual-fee-for-year")] == [Decimal(2000)]  # invention, year 7
    assert kg.catalog("cnipa-annual-fee-for-year", right=UM, year=16) == []  # utility models end at year 15 (line 70)


def test_fee_schedule_query_lists_every_fee_in_order(kg):
    rows = kg.catalog("cnipa-fee-schedule")
    assert len(rows) == 39
    assert [r["line"] for r in rows] == sorted(r["line"] for r in rows)
    assert rows[0]["fee"] == f"{ID}fee/cn-application-invention" and rows[0]["amount"] == Decimal(900)
    by_fee = {r["fee"].rsplit("/", 1)[1]: r for r in rows}
    assert by_fee["cn-late-payment"]["rate"] == Decimal("0.05")
    assert (by_fee["cn-annual-design-years-11-15"]["yearFrom"], by_fee["cn-annual-design-years-11-15"]["yearTo"]) == (11, 15)


def test_programme(kg):
    rows = kg.rows("""
        SELECT ?kind ?auth ?place ?req WHERE {
          <programme/cnipa-patent-fee-reduction> a ipkg:Programme ; ipkg:programmeKind ?kind ; cv:hasCompetentAuthority ?auth ;
             ipkg:jurisdiction ?place ; cv:holdsRequirement ?req . }""")
    assert rows == [{"kind": f"{ID}concept/programme-kind/fee-reduction", "auth": f"{ID}authority/cnipa",
                     "place": f"{ID}place/cn", "req": f"{ID}condition/cnipa-reduction-foreign-applicant-readings"}]
    rights = {r["r"] for r in kg.rows("SELECT ?r WHERE { <programme/cnipa-patent-fee-reduction> ipkg:coversIPRight ?r }")}
    assert rights == {INV, UM, DES}
    kinds = {r["k"] for r in kg.rows("SELECT ?k WHERE { <programme/cnipa-patent-fee-reduction> ipkg:targetApplicantKind ?k }")}
    assert kinds == {f"{ID}concept/applicant-kind/individual", f"{ID}concept/applicant-kind/small-enterprise"}
    # foreign applicants (line 122) and the refund policy (line 161) are notes, not conditions
    assert kg.ask("ASK { <programme/cnipa-patent-fee-reduction> ipkg:dataQualityNote ?n FILTER (CONTAINS(?n, 'line 122')) }")
    assert kg.ask("ASK { <programme/cnipa-patent-fee-reduction> skos:note ?n ; prov:wasDerivedFrom/ipkg:line 161 "
                  "FILTER (LANG(?n) = 'en' && CONTAINS(LCASE(?n), 'refund')) }")
    assert not kg.ask("""ASK { <condition/cnipa-reduction-eligibility> (ipkg:operand)* ?c .
                               ?c ipkg:constrains ?p . FILTER (?p IN (ipkg:domicileCountry, ipkg:domicileRegion)) }""")


def test_eligibility_thresholds(kg):
    rows = kg.rows("""
        SELECT ?c ?prop ?op ?t ?unit ?line WHERE {
          <condition/cnipa-reduction-eligibility> a ipkg:AnyOf ; ipkg:operand ?all .
          ?all a ipkg:AllOf ; ipkg:operand ?c .
          ?c ipkg:constrains ?prop ; ipkg:operator ?op ; ipkg:threshold ?t ; ipkg:unit ?unit ; prov:wasDerivedFrom/ipkg:line ?line . }""")
    got = {(r["prop"].rsplit("/", 1)[1], r["op"].rsplit("/", 1)[1], r["t"], r["unit"].rsplit("/", 1)[1], r["line"]) for r in rows}
    assert got == {("annualIncome", "lessOrEqual", Decimal("60000"), "cny", 104),
                   ("previousYearTaxableIncome", "lessOrEqual", Decimal("1000000"), "cny", 105)}
    kinds = {r["k"] for r in kg.rows("""SELECT ?k WHERE { <condition/cnipa-reduction-eligibility> ipkg:operand/ipkg:operand ?c .
                                                            ?c ipkg:constrains ipkg:applicantKind ; ipkg:operator ipkg:isA ; ipkg:conceptValue ?k }""")}
    assert kinds == {f"{ID}concept/applicant-kind/individual", f"{ID}concept/applicant-kind/small-enterprise"}


def test_reduction_rates_and_tiers(kg):
    rows = kg.rows("""
        SELECT ?b ?rate ?n WHERE {
          <programme/cnipa-patent-fee-reduction> ipkg:hasBenefit ?b . ?b a ipkg:FeeReduction ; ipkg:rate ?rate ; ipkg:hasCondition ?tier .
          ?tier a ipkg:AllOf ; ipkg:operand <condition/cnipa-reduction-eligibility> , ?count .
          ?count ipkg:constrains ipkg:jointApplicants ; ipkg:operator ipkg:equals ; ipkg:threshold ?n . }""")
    assert {(r["b"], r["rate"], r["n"]) for r in rows} == {(RED_SINGLE, Decimal("0.85"), Decimal("1")),
                                                         (RED_JOINT, Decimal("0.75"), Decimal("2"))}
    assert kg.ask(f"ASK {{ <{RED_JOINT}> ipkg:dataQualityNote ?n ; prov:wasDerivedFrom/ipkg:line 107 FILTER (CONTAINS(?n, '2名とも')) }}")


def test_reducible_fees_complete(kg):
    rows = kg.catalog("cnipa-reducible-fees")
    for benefit, rate in ((RED_SINGLE, Decimal("0.85")), (RED_JOINT, Decimal("0.75"))):
        fees = {r["fee"].rsplit("/", 1)[1] for r in rows if r["benefit"] == benefit}
        assert fees == REDUCIBLE
        assert {r["rate"] for r in rows if r["benefit"] == benefit} == {rate}
    assert len(REDUCIBLE) == 19
    # not reducible: publication fee and additional fees (line 97), annual fees beyond year 10 (line 99)
    for slug in ("cn-publication-invention", "cn-additional-claim", "cn-excess-page-above-30", "cn-priority-claim",
                 "cn-annual-invention-years-13-15", "cn-annual-utility-model-years-11-15", "cn-annual-design-years-11-15"):
        assert slug not in {r["fee"].rsplit("/", 1)[1] for r in rows}
    assert kg.ask(f"ASK {{ <{RED_SINGLE}> ipkg:dataQualityNote ?n FILTER (CONTAINS(?n, '10-12')) }}")


def test_required_documents(kg):
    rows = kg.rows("""
        SELECT ?list ?ev ?ja ?line WHERE {
          <condition/cnipa-reduction-eligibility> cv:hasEvidenceTypeList ?list .
          ?list a ipkg:EvidenceTypeList ; cv:specifiesEvidenceType ?ev .
          ?ev a ipkg:EvidenceType ; rdfs:label ?ja ; prov:wasDerivedFrom/ipkg:line ?line . FILTER (LANG(?ja) = 'ja') }""")
    lists = {}
    for r in rows:
        lists.setdefault(r["list"].rsplit("/", 1)[1], set()).add((r["ja"], r["line"]))
    assert lists == {
        "cnipa-reduction-enterprise-documents": {("営業許可証の封印されたコピー", 114), ("前年度の確定申告書", 115)},
        "cnipa-reduction-individual-documents": {("署名入りの身分証明書のコピー", 117), ("銀行取引明細書", 118),
                                                 ("CN社会保険証明書", 119), ("雇用主が発行する所得証明書", 120)},
    }
    inputs = kg.rows("SELECT ?e WHERE { <programme/cnipa-patent-fee-reduction> cv:hasInputType ?e }")
    assert len(inputs) == 6


DEADLINES = {
    # deadline slug: (duration, line, fees that point to it)
    "cn-application-fee-payment": ("P2M", 127, {"cn-application-invention", "cn-application-utility-model", "cn-application-design"}),
    "cn-examination-fee-payment": ("P3Y", 128, {"cn-examination-invention"}),
    "cn-reexamination-fee-payment": ("P3M", 129, {"cn-reexamination-invention", "cn-reexamination-utility-model", "cn-reexamination-design"}),
    "cn-registration-fee-payment": ("P2M", 130, {"cn-registration"}),
    "cn-annual-fee-payment": (None, 131, {slug for slug, cat, *_ in FEES if cat == "annual-fee"}),
    "cn-invalidation-fee-payment": ("P2M", 132, {"cn-invalidation-invention", "cn-invalidation-utility-model", "cn-invalidation-design"}),
    "cn-annual-fee-late-payment": ("P6M", 138, {slug for slug, cat, *_ in FEES if cat == "annual-fee"} | {"cn-late-payment"}),
    "cn-annual-fee-restoration": ("P2M", 142, {"cn-restoration"}),
    "cn-patent-loss": ("P2M", 146, set()),
}


@pytest.mark.parametrize("slug", sorted(DEADLINES))
def test_deadline(kg, slug):
    duration, line, fees = DEADLINES[slug]
    rows = kg.rows(f"""
        SELECT ?d ?from ?line WHERE {{
          <deadline/{slug}> a ipkg:Deadline ; ipkg:countedFrom ?from ; prov:wasDerivedFrom/ipkg:line ?line .
          OPTIONAL {{ <deadline/{slug}> ipkg:duration ?d }} FILTER (LANG(?from) = 'en') }}""")
    assert line in {r["line"] for r in rows}
    assert {r.get("d") for r in rows} == {duration}
    got = {r["f"].rsplit("/", 1)[1] for r in kg.rows(f"SELECT ?f WHERE {{ ?f a ipkg:OfficialFee ; ipkg:hasDeadline <deadline/{slug}> }}")}
    assert got == fees


def test_payment_deadlines_query(kg):
    rows = kg.catalog("cnipa-payment-deadlines")
    assert {r["deadline"].rsplit("/", 1)[1] for r in rows} == set(DEADLINES)
    by = {r["deadline"].rsplit("/", 1)[1]: r for r in rows}
    assert by["cn-examination-fee-payment"]["duration"] == "P3Y"
    assert by["cn-annual-fee-payment"]["feeCount"] == 16


def test_late_payment_consequences(kg):
    for slug in ("cn-annual-fee-late-payment", "cn-annual-fee-restoration", "cn-patent-loss"):
        assert kg.ask(f"ASK {{ <deadline/{slug}> ipkg:consequence ?c FILTER (LANG(?c) = 'en') }}")
    assert kg.ask("ASK { <deadline/cn-annual-fee-restoration> ipkg:dataQualityNote ?n FILTER (CONTAINS(?n, 'ヶ月を超え')) }")
    rows = kg.rows("""SELECT ?kind ?by WHERE { <sanction/cn-patent-lapse-unpaid-annual-fee> a ipkg:Sanction ;
                       ipkg:sanctionKind ?kind ; ipkg:imposedBy ?by ; prov:wasDerivedFrom/ipkg:line 146 . }""")
    assert rows == [{"kind": f"{ID}concept/sanction-kind/lapse-of-right", "by": f"{ID}authority/cnipa"}]


@pytest.mark.parametrize("subject,word", [
    ("fee/cn-examination-invention", "受験料"),  # lines 16, 128
    ("deadline/cn-examination-fee-payment", "受験料"),  # line 128
    ("fee/cn-reexamination-invention", "再試験料"),  # lines 17, 100
    ("fee/cn-reexamination-utility-model", "再試験料"),
    ("fee/cn-reexamination-design", "再試験料"),
    ("benefit/cnipa-fee-reduction-single", "再試験料"),  # line 100
    ("fee/cn-annual-invention-years-1-3", "年会費"),
    ("fee/cn-annual-design-years-4-5", "メンテナンス料金"),
    ("fee/cn-registration", "参加登録"),
    ("fee/cn-additional-claim", "追加申告料"),
    ("fee/cn-publication-invention", "論文掲載料"),
    ("fee/cn-application-design", "デザイン"),
    ("fee/cn-evaluation-report-design", "デザイン"),
    ("benefit/cnipa-fee-reduction-single", "発行手数料"),
])
def test_quirk_notes(kg, subject, word):
    assert kg.ask(f"ASK {{ <{subject}> ipkg:dataQualityNote ?n FILTER (LANG(?n) = 'en' && CONTAINS(?n, '{word}')) }}")


def test_machine_translated_names_kept_as_stated(kg):
    assert kg.ask("ASK { <deadline/cn-examination-fee-payment> ipkg:statedAs '受験料出願日から3年以内。' }")
    assert kg.ask("ASK { <fee/cn-publication-invention> ipkg:statedAs '論文掲載料(発明の場合のみ)50' }")
    assert kg.ask("ASK { <fee/cn-annual-invention-years-7-9> ipkg:statedAs '7~9年:毎年2000' }")
