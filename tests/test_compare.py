"""GET /api/compare and /compare: one filing across the jurisdictions of the graph, with figures from the sources.

Every amount asserted here is one the sources state (the CNIPA 2025 fee guide, the provincial funding
measures), checked against the text of the line or article the comparison cites for it. No currency is
converted unless the caller gives a rate and its date; a figure the graph lacks is said to be missing.
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata

import pytest

from ipkg.compare import CONDITION_COLUMNS, COST_COLUMNS
from ipkg.sources import sources_dir

ID = "https://w3id.org/ipkg/id/"
FILING = {"right": "invention-patent", "applicantKind": "individual", "claims": "15", "years": "3", "status": "granted",
          "asOf": "2025-06-01"}


def _get(client, **params):
    args = {**FILING, **params}
    return client.get("/api/compare", query_string=args)


def _column(answer: dict, key: str) -> dict:
    [col] = [c for c in answer["jurisdictions"] if c["key"] == key]
    return col


def _by(items: list[dict], slug: str, key: str = "fee") -> dict:
    [item] = [i for i in items if i[key] == ID + slug]
    return item


@pytest.fixture(scope="module")
def source_text(kg):
    """The text a locator IRI points at (a line, or an article's line range), read from the source file."""
    folder = sources_dir(kg.settings)
    if not folder.is_dir():
        pytest.skip(f"source documents not found in {folder}")

    def text(locator: str) -> str:
        [row] = kg.rows(f"""SELECT ?file ?first ?last WHERE {{ <{locator}> ipkg:inDocument/ipkg:fileName ?file ; ipkg:line ?first .
                             OPTIONAL {{ <{locator}> ipkg:lineEnd ?last }} }}""")
        lines = (folder / row["file"]).read_text(encoding="utf-8").splitlines()
        return unicodedata.normalize("NFKC", "".join(lines[row["first"] - 1: row.get("last", row["first"])])).replace(" ", "")
    return text


def test_cnipa_fees_of_an_invention_filing_with_their_lines(client, source_text):
    answer = _get(client, jurisdiction="cn").get_json()
    cn = _column(answer, "cn")
    fees = cn["fees"]["items"]
    application = _by(fees, "fee/cn-application-invention")
    assert (application["amount"], application["currency"]) == ("900", "CNY")
    assert "発明900" in source_text(ID + "doc/cnipa-fee-guide-2025/line/32")
    assert ID + "doc/cnipa-fee-guide-2025/line/32" in application["sources"]
    examination = _by(fees, "fee/cn-examination-invention")
    assert examination["amount"] == "2500" and ID + "doc/cnipa-fee-guide-2025/line/44" in examination["sources"]
    annual = _by(fees, "fee/cn-annual-invention-years-1-3")  # three years at 900 (003:59 "1~3年目:毎年900")
    assert (annual["units"], annual["unitAmount"], annual["amount"]) == (3, "900", "2700")
    assert annual["arithmetic"] == "years 1–3: 3 × 900 = 2700 CNY"
    assert "1~3年目:毎年900" in source_text(ID + "doc/cnipa-fee-guide-2025/line/59")
    claims = _by(fees, "fee/cn-additional-claim")  # 15 claims: 5 beyond the tenth at 150
    assert claims["arithmetic"] == "claims beyond 10: 5 × 150 = 750 CNY"
    assert _by(fees, "fee/cn-publication-invention")["amount"] == "50"
    assert cn["netCost"]["fees"] == {"CNY": "6900"}  # 900 + 2500 + 2700 + 750 + 50
    assert {f["fee"].rsplit("/", 1)[-1] for f in fees} == {"cn-application-invention", "cn-examination-invention",
                                                         "cn-annual-invention-years-1-3", "cn-additional-claim", "cn-publication-invention"}


def test_later_annual_fee_bands_follow_the_years(client):
    fees = _column(_get(client, years="7", jurisdiction="cn").get_json(), "cn")["fees"]["items"]
    assert _by(fees, "fee/cn-annual-invention-years-4-6")["amount"] == "3600"  # 3 × 1200 (003:60)
    assert _by(fees, "fee/cn-annual-invention-years-7-9")["arithmetic"] == "years 7–7: 1 × 2000 = 2000 CNY"  # 003:61


def test_the_cnipa_reduction_comes_from_the_engine_and_waits_for_the_income(client, source_text):
    cn = _column(_get(client, jurisdiction="cn").get_json(), "cn")
    single = _by(cn["reductions"], "benefit/cnipa-fee-reduction-single", "benefit")
    assert single["rate"] == "0.85" and single["status"] == "may-apply"
    assert "annualIncome" in single["because"]  # the engine's reason: the individual's income is not given
    on = {o["fee"].rsplit("/", 1)[-1]: o for o in single["onFees"]}
    assert on["cn-application-invention"]["arithmetic"] == "900 × 0.85 = 765 CNY"
    assert "cn-additional-claim" not in on  # claim fees are not reducible
    assert ID + "doc/cnipa-fee-guide-2025/line/104" in single["sources"]
    assert "85%" in source_text(ID + "doc/cnipa-fee-guide-2025/line/104")
    assert cn["netCost"]["amounts"] == {"CNY": "6900"}  # what only may apply is not subtracted
    assert cn["netCost"]["mayApply"]["reductions"] == 2


def test_a_provincial_subsidy_that_applies_lowers_the_net_cost(client, source_text):
    anhui = _column(_get(client, jurisdiction="cn-anhui").get_json(), "cn-anhui")
    assert anhui["layers"] == [ID + "place/cn", ID + "place/cn-anhui"]
    grant = _by(anhui["subsidies"], "benefit/anhui-funding-invention-domestic-granted", "benefit")
    assert (grant["status"], grant["amount"], grant["currency"], grant["per"]) == ("applies", "5000", "CNY", "grant")
    assert grant["sources"] == [ID + "instrument/anhui-patent-funding-measures/art/10"]
    article = source_text(grant["source"])
    assert "5000" in article or "5,000" in article or "5千" in article, article[:200]
    assert anhui["netCost"]["amounts"] == {"CNY": "1900"}  # 6900 in fees less the 5000 granted
    assert anhui["fees"]["items"] == _column(_get(client, jurisdiction="cn").get_json(), "cn")["fees"]["items"]  # CNIPA's fees


def test_a_subsidy_per_country_is_capped_at_its_stated_count(client):
    answer = _get(client, route="foreign", countries="7", applicantKind="enterprise", jurisdiction="cn-shandong").get_json()
    shandong = _column(answer, "cn-shandong")
    foreign = _by(shandong["subsidies"], "benefit/shandong-funding-invention-foreign-granted", "benefit")
    assert foreign["amount"] == "100000" and foreign["arithmetic"] == "5 countries (at most 5) × 20000 = 100000 CNY"
    assert "Qingdao" in foreign["because"] or "region" in foreign["because"]  # the separately planned city is not ruled out
    assert shandong["fees"]["items"] == [] and "offices abroad" in shandong["fees"]["missing"]
    assert "no net cost" in shandong["netCost"]["missing"]


def test_japan_names_its_fees_without_amounts_and_says_so(client):
    jp = _column(_get(client, jurisdiction="jp").get_json(), "jp")
    exam = _by(jp["fees"]["items"], "fee/jp-examination-request-fee")
    assert exam["amount"] is None and "states no amount" in exam["missing"]
    assert ID + "doc/jpo-annual-report-ch5/line/430" in exam["sources"]
    assert "no amounts" in jp["fees"]["missing"]
    assert jp["netCost"]["amounts"] == {} and "no net cost" in jp["netCost"]["missing"]
    half = [r for r in jp["reductions"] if r["rate"] == "0.5"]
    assert half and all(o["saving"] is None for r in half for o in r["onFees"])  # a rate, never an invented saving


def test_pct_route_brings_the_international_fees(client):
    jp = _column(_get(client, route="pct-international", applicantKind="sme", jurisdiction="jp").get_json(), "jp")
    names = {f["fee"].rsplit("/", 1)[-1] for f in jp["fees"]["items"]}
    assert {"jp-pct-transmittal-fee", "jp-pct-search-fee", "wipo-pct-international-filing-fee", "wipo-pct-handling-fee"} <= names
    assert "jp-examination-request-fee" not in names


def test_no_currency_is_converted_without_a_stated_rate(client):
    plain = _get(client, jurisdiction="cn").get_data(as_text=True)
    assert "converted" not in plain.replace('"conversion":null', "")
    answer = _get(client, jurisdiction="cn", rate="21.3", rateFrom="cny", rateTo="JPY", rateDate="2025-06-02").get_json()
    assert answer["conversion"]["rate"] == "21.3" and answer["conversion"]["date"] == "2025-06-02"
    application = _by(_column(answer, "cn")["fees"]["items"], "fee/cn-application-invention")
    assert application["amount"] == "900" and application["currency"] == "CNY"  # its own currency first
    assert application["converted"] == {"amount": "19170", "currency": "JPY"}
    assert _column(answer, "cn")["netCost"]["converted"] == {"amount": "146970", "currency": "JPY"}


@pytest.mark.parametrize("params,needle", [
    ({"right": ""}, "right is required"),
    ({"applicantKind": "dragon"}, "applicantKind: 'dragon' is not a known applicant-kind"),
    ({"right": "poem"}, "right: 'poem' is not a known ip-right"),
    ({"route": "pigeon"}, "route: 'pigeon' is not a known filing-route"),
    ({"claims": "many"}, "claims: 'many' is not a whole number"),
    ({"claims": "0"}, "claims: 0 is out of range"),
    ({"years": "21"}, "years: 21 is out of range (0 to 20)"),
    ({"asOf": "2025-02-30"}, "asOf: '2025-02-30' is not a date"),
    ({"serviceInvention": "maybe"}, "serviceInvention: 'maybe' must be true or false"),
    ({"jurisdiction": "atlantis"}, "jurisdiction: 'atlantis' not covered by the graph"),
    ({"rate": "20"}, "missing: rateFrom, rateTo, rateDate"),
    ({"rate": "-1", "rateFrom": "CNY", "rateTo": "JPY", "rateDate": "2025-06-01"}, "rate: '-1' is not a positive number"),
    ({"rate": "20", "rateFrom": "CNY", "rateTo": "CNY", "rateDate": "2025-06-01"}, "two different ISO 4217 codes"),
    ({"colour": "red"}, "unknown parameter(s) colour"),
    ({"table": "chairs"}, "table: 'chairs' must be costs or conditions"),
])
def test_bad_input_is_a_400_that_says_why(client, params, needle):
    r = _get(client, **params)
    assert r.status_code == 400
    body = r.get_json()
    assert body["status"] == 400 and any(needle in p for p in body["problems"]), body


def test_a_format_the_comparison_does_not_have_is_a_406_naming_the_ones_it_has(client):
    r = _get(client, format="xml")
    assert r.status_code == 406
    assert r.get_json()["problems"] == ["format 'xml' does not fit the comparison; use one of json, csv (application/json, text/csv)"]
    assert client.get("/api/compare", query_string=FILING, headers={"Accept": "image/png"}).status_code == 406


def test_every_problem_is_reported_at_once(client):
    r = client.get("/api/compare", query_string={"claims": "x", "years": "99"})
    problems = r.get_json()["problems"]
    assert r.status_code == 400 and len(problems) >= 4  # right, applicantKind, claims, years


def test_csv_of_the_costs_has_one_shape(client):
    r = _get(client, format="csv", jurisdiction=["cn", "cn-anhui", "jp"])
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert tuple(rows[0]) == COST_COLUMNS
    assert all(len(row) == len(COST_COLUMNS) for row in rows)
    records = [dict(zip(COST_COLUMNS, row)) for row in rows[1:]]
    net = {(r["jurisdiction"], r["currency"]): r["amount"] for r in records if r["section"] == "net-cost" and r["status"] == "computed"}
    assert net == {("cn", "CNY"): "6900", ("cn-anhui", "CNY"): "1900"}
    assert any(r["jurisdiction"] == "jp" and r["section"] == "net-cost" and r["status"] == "missing" for r in records)
    fee = next(r for r in records if r["item"] == ID + "fee/cn-application-invention" and r["jurisdiction"] == "cn")
    assert (fee["amount"], fee["currency"], fee["source"]) == ("900", "CNY", ID + "doc/cnipa-fee-guide-2025/line/27")
    assert client.get("/api/compare", query_string=FILING, headers={"Accept": "text/csv"}).mimetype == "text/csv"


def test_conditions_side_by_side_one_row_per_kind(client, source_text):
    answer = _get(client).get_json()
    rows = {r["kind"]: r for r in answer["conditions"]["rows"]}
    assert {"yearsInUse", "annualIncome", "rdSpendingShare"} <= set(rows)
    assert set(rows["yearsInUse"]["cells"]) == {c["key"] for c in answer["jurisdictions"]}
    jilin = rows["yearsInUse"]["cells"]["cn-jilin"]
    assert [e["text"] for e in jilin] == ["≥ 1 year"]
    income = rows["annualIncome"]["cells"]["cn"]
    assert [e["text"] for e in income] == ["≤ 60000 CNY"]
    assert ID + "doc/cnipa-fee-guide-2025/line/104" in income[0]["programmes"][0]["sources"]
    assert "60,000" in source_text(ID + "doc/cnipa-fee-guide-2025/line/104")
    assert "≥ 0.06 ratio" in [e["text"] for e in rows["rdSpendingShare"]["cells"]["cn-chongqing"]]
    assert rows["rdSpendingShare"]["cells"]["jp"] == []  # no Japanese programme states an R&D share
    csv_rows = list(csv.reader(io.StringIO(_get(client, format="csv", table="conditions").get_data(as_text=True))))
    assert tuple(csv_rows[0]) == CONDITION_COLUMNS and all(len(r) == len(CONDITION_COLUMNS) for r in csv_rows)
    assert any(r[0] == "yearsInUse" and r[1] == "cn-jilin" and r[5] == "1" for r in csv_rows[1:])


def test_the_page_renders_the_comparison_without_javascript(client):
    r = client.get("/compare", query_string={**FILING, "jurisdiction": ["cn", "cn-anhui", "jp"], "lang": "en"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'id="costs-table"' in page and 'id="conditions-table"' in page
    assert "1,900 CNY" in page and "6,900 CNY" in page
    assert 'href="/id/doc/cnipa-fee-guide-2025/line/27"' in page  # citations open the local page
    assert "no fee amount of this filing is in the graph" in page  # Japan, said
    switch = re.search(r'<a href="(\?[^"]*lang=ja)"', page)
    assert switch and "right=invention-patent" in switch.group(1) and "jurisdiction=cn-anhui" in html.unescape(switch.group(1))
    ja = client.get("/compare", query_string={**FILING, "lang": "ja"}).get_data(as_text=True)
    assert "正味の負担額" in ja and "出願料(発明特許)" in ja


def test_the_page_says_what_is_wrong_with_a_400(client):
    r = client.get("/compare", query_string={"right": "invention-patent", "applicantKind": "dragon", "claims": "-3"})
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and 'id="problems"' in page
    assert "&#39;dragon&#39; is not a known applicant-kind" in page and "claims: -3 is out of range" in page
    empty = client.get("/compare")
    assert empty.status_code == 200 and 'id="compare-form"' in empty.get_data(as_text=True)


def test_openapi_describes_compare_and_terms(client):
    doc = client.get("/api/openapi.json").get_json()
    compare = doc["paths"]["/api/compare"]["get"]
    assert {p["name"] for p in compare["parameters"]} >= {"right", "applicantKind", "claims", "countries", "asOf", "rate", "rateDate"}
    assert set(compare["responses"]["200"]["content"]) == {"application/json", "text/csv"} and "400" in compare["responses"]
    assert "/api/terms" in doc["paths"]
