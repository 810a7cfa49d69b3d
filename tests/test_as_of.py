"""`asOf=YYYY-MM-DD`, the one name for a point in time: the catalogue, the SPARQL endpoint and search.

The facts, each at two dates:
- Jilin's famous-trademark regulation required 3 years of use until its 2010-11-26 amendment cut it
  to 1 (cn-local-regulations-ch4:10);
- Yunnan's grant per granted service invention was 1,270 yuan in the 2004 text and 1,570 yuan from
  2009-04-06 (cn-local-regulations-ch4:3586);
- the JPO's international-application promotion grant ended on 2023-12-31 and the WIPO-fee support
  measure took over on 2024-01-01 (jpo-annual-report-ch5:457).
"""

from __future__ import annotations

import pytest

from ipkg.namespaces import ID

JILIN = "condition/jilin-ftm-years-in-use"
YUNNAN = "benefit/yunnan-funding-invention-domestic-service-granted"
GRANT, SUPPORT = "programme/international-application-promotion-grant", "programme/pct-wipo-fee-support-measure"


def _rows(client, name: str, **params) -> dict[str, dict[str, str]]:
    r = client.get(f"/api/queries/{name}", query_string=params)
    assert r.status_code == 200, r.get_data(as_text=True)
    return {row["thing"]["value"][len(str(ID)):]: {k: v["value"] for k, v in row.items()} for row in r.get_json()["results"]["bindings"]}


def _problem(response) -> str:
    assert response.status_code == 400, response.get_data(as_text=True)
    return "; ".join(response.get_json()["problems"]) if response.is_json else response.get_data(as_text=True)


@pytest.mark.parametrize(("day", "years", "version"), [("2009-01-01", "3", JILIN + "-2007"), ("2011-01-01", "1", JILIN)])
def test_jilin_years_of_use_on_each_side_of_the_amendment(client, day, years, version):
    rows = _rows(client, "in-force-on", asOf=day)
    jilin = {k: v for k, v in rows.items() if k.startswith(JILIN)}
    assert list(jilin) == [version] and jilin[version]["threshold"] == years


@pytest.mark.parametrize(("day", "amount", "version"), [("2008-06-01", "1270", YUNNAN + "-2004"), ("2009-04-06", "1570", YUNNAN)])
def test_yunnan_grant_per_invention_before_and_after_2009(client, day, amount, version):
    rows = _rows(client, "in-force-on", asOf=day)
    yunnan = {k: v for k, v in rows.items() if k.startswith(YUNNAN)}
    assert list(yunnan) == [version]
    assert float(yunnan[version]["amount"]) == float(amount) and yunnan[version]["currency"] == "CNY"


def test_the_wipo_fee_grant_gives_way_to_the_support_measure_on_2024_01_01(client):
    before, after = _rows(client, "in-force-on", asOf="2023-12-31"), _rows(client, "in-force-on", asOf="2024-01-01")
    assert GRANT in before and SUPPORT not in before
    assert SUPPORT in after and GRANT not in after
    assert before[GRANT]["until"] == "2023-12-31" and after[SUPPORT]["from"] == "2024-01-01"


def test_the_catalogue_says_which_parameter_asof_sets(client):
    described = {q["name"]: q["asOf"] for q in client.get("/api/queries").get_json()["queries"]}
    assert described["in-force-on"] == "asOf"
    assert described["instruments-in-force-on"] == "date"  # its one date parameter
    assert described["cnipa-fee-schedule"] is None


def test_asof_sets_a_dated_querys_own_date_parameter(client):
    by_date = client.get("/api/queries/instruments-in-force-on", query_string={"date": "2009-01-01"}).get_json()
    by_as_of = client.get("/api/queries/instruments-in-force-on", query_string={"asOf": "2009-01-01"}).get_json()
    assert by_as_of == by_date and by_date["results"]["bindings"]
    both = client.get("/api/queries/instruments-in-force-on", query_string={"date": "2009-01-01", "asOf": "2009-01-01"})
    assert both.get_json() == by_date


@pytest.mark.parametrize(("name", "params", "says"), [
    ("instruments-in-force-on", {"date": "2009-01-01", "asOf": "2013-01-01"}, "asOf sets date"),
    ("cnipa-fee-schedule", {"asOf": "2025-01-01"}, "takes no asOf"),
    ("in-force-on", {"asOf": "1st of May"}, "must be date: '1st of May'"),
])
def test_catalogue_asof_errors_say_what_to_change(client, name, params, says):
    assert says in _problem(client.get(f"/api/queries/{name}", query_string=params))


JILIN_YEARS = """SELECT ?years WHERE {
  ?c ipkg:constrains ipkg:yearsInUse ; ipkg:threshold ?years ; ipkg:validFrom ?from .
  OPTIONAL { ?c ipkg:validUntil ?until }
  FILTER(STRSTARTS(STR(?c), STR(<condition/jilin-ftm-years-in-use>)))
  FILTER(?from <= ?asOf && (!BOUND(?until) || ?asOf <= ?until)) }"""


def _years(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [b["years"]["value"] for b in response.get_json()["results"]["bindings"]]


@pytest.mark.parametrize(("day", "years"), [("2009-01-01", ["3"]), ("2010-11-26", ["1"])])
def test_sparql_binds_asof_as_an_xsd_date_by_get_form_and_body(client, day, years):
    json = {"Accept": "application/sparql-results+json"}
    assert _years(client.get("/sparql", query_string={"query": JILIN_YEARS, "asOf": day}, headers=json)) == years
    assert _years(client.post("/sparql", data={"query": JILIN_YEARS, "asOf": day}, headers=json)) == years
    assert _years(client.post(f"/sparql?asOf={day}", data=JILIN_YEARS.encode(),
                              headers={**json, "Content-Type": "application/sparql-query"})) == years


def test_sparql_asof_is_projected_when_the_query_selects_it(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?asOf WHERE {}", "asOf": "2024-01-01"},
                   headers={"Accept": "application/sparql-results+json"})
    [row] = r.get_json()["results"]["bindings"]
    assert row["asOf"] == {"type": "literal", "value": "2024-01-01", "datatype": "http://www.w3.org/2001/XMLSchema#date"}


@pytest.mark.parametrize(("params", "says"), [
    ({"query": JILIN_YEARS, "asOf": "2009-13-01"}, "asOf must be a date as YYYY-MM-DD"),
    ({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "asOf": "2009-01-01"}, "this query has none"),
    ({"query": JILIN_YEARS, "asOf": ["2009-01-01", "2011-01-01"]}, "at most once"),
    ({"query": "SELECT (1 AS ?asOf) WHERE {}", "asOf": "2009-01-01"}, "assigns ?asOf itself"),
])
def test_sparql_asof_errors_are_400_with_a_reason(client, params, says):
    assert says in _problem(client.get("/sparql", query_string=params))


def test_search_takes_asof_as_inforceon(client):
    def hits(**params):
        r = client.get("/api/search", query_string={"q": "助成", **params})
        assert r.status_code == 200, r.get_data(as_text=True)
        return [h["iri"] for h in r.get_json()["hits"]]
    assert hits(asOf="2024-01-01") == hits(inForceOn="2024-01-01") != hits()
    assert hits(asOf="2024-01-01", inForceOn="2024-01-01") == hits(asOf="2024-01-01")
    assert "give one" in _problem(client.get("/api/search", query_string={"q": "助成", "asOf": "2024-01-01", "inForceOn": "2020-01-01"}))
    assert "asOf must be a date" in _problem(client.get("/api/search", query_string={"q": "助成", "asOf": "soon"}))
