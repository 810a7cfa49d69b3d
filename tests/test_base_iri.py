"""A deployment under another base IRI (IPKG_BASE) answers exactly as the default one, IRIs aside.

The data is written against https://w3id.org/ipkg/id/ and the build moves the things to
`{IPKG_BASE}id/`. Every query the service writes with relative IRIs (`<concept/ip-right>`) takes the
store's namespace as its BASE (`Store.ids`), and the catalogue's queries move with the data; a query
left on the default namespace finds nothing under another base, so an answer that differs from the
default deployment's, once its IRIs are moved back, is such a query.
"""

from __future__ import annotations

import json

import pytest

from conftest import REBASED
from ipkg.config import DEFAULT_BASE
from ipkg.eligibility import Engine, Rulebook
from ipkg.eligibility.profile import parse
from ipkg.store import EmbeddedStore

INDIVIDUAL = {"kind": "individual", "country": "CN", "annualIncome": {"value": 50000, "currency": "CNY"}, "jointApplicants": 1}
FILING = {"ipRight": "invention-patent", "route": "domestic", "office": "CN", "claims": 15, "pages": 35}

# (method, path, query string or JSON body): every answer of the core that reads the graph by IRI
REQUESTS = [
    ("GET", "/api/calendar", {"filingDate": "2023-03-15", "grantDate": "2025-06-10", "right": "invention-patent", "office": "CN"}),
    ("GET", "/api/calendar", {"filingDate": "2023-03-15", "right": "invention-patent", "office": "CN", "region": "cn-guangxi"}),
    ("GET", "/api/compare", {"right": "invention-patent", "applicantKind": "individual", "claims": "15", "years": "3",
                             "status": "granted", "asOf": "2025-06-01"}),
    ("GET", "/api/changes", {"from": "2010-01-01", "to": "2011-12-31"}),
    ("GET", "/api/timeline", {"jurisdiction": "cn-jilin"}),
    ("GET", "/api/timeline", {"theme": "trademark", "jurisdiction": "cn"}),
    ("GET", "/api/search", {"q": "专利"}),
    ("GET", "/api/search", {"q": "特許", "jurisdiction": "cn"}),
    ("GET", "/api/queries/cnipa-annual-fee-for-year", {}),
    ("GET", "/api/queries/figures-compare", {}),
    ("POST", "/api/eligibility", {"applicant": INDIVIDUAL, "filing": FILING, "asOf": "2025-06-01"}),
    ("POST", "/api/eligibility/next-question", {"applicant": {"country": "CN"}, "filing": {"office": "CN"}, "asOf": "2025-06-01"}),
]


@pytest.fixture(scope="module")
def rebased_client(rebased):
    from ipkg.web import create_app

    app = create_app(rebased, workers=False)
    yield app.test_client()
    app.extensions["ipkg"].close()


def _answer(client, method: str, path: str, params: dict):
    r = client.post(path, json=params) if method == "POST" else client.get(path, query_string=params)
    assert r.status_code == 200, (path, r.get_data(as_text=True)[:500])
    body = r.get_json()
    body.pop("datasetVersion", None)
    return body


@pytest.mark.parametrize(("method", "path", "params"), REQUESTS, ids=[f"{m} {p} {sorted(q)}" for m, p, q in REQUESTS])
def test_an_answer_under_another_base_is_the_default_answer_with_its_iris_moved(client, rebased_client, method, path, params):
    default = _answer(client, method, path, params)
    moved = json.dumps(_answer(rebased_client, method, path, params), ensure_ascii=False, sort_keys=True)
    if "next-question" not in path:  # a question names profile properties, not things
        assert REBASED + "id/" in moved
    assert DEFAULT_BASE + "id/" not in moved  # not one thing left on the default namespace
    assert json.loads(moved.replace(REBASED, DEFAULT_BASE)) == default


def test_the_rebased_answers_state_the_sources_facts(rebased_client):
    """Not only equal to the default answers: the facts themselves, found under the new base."""
    fees = _answer(rebased_client, "GET", "/api/queries/cnipa-annual-fee-for-year", {"year": "13"})
    assert fees["results"]["bindings"], fees
    compare = _answer(rebased_client, *REQUESTS[2][:2], REQUESTS[2][2])
    [cn] = [c for c in compare["jurisdictions"] if c["key"] == "cn"]
    assert cn["netCost"]["fees"] == {"CNY": "6900"}  # 900 + 2500 + 2700 + 750 + 50
    changes = json.dumps(_answer(rebased_client, "GET", "/api/changes", {"from": "2010-01-01", "to": "2011-12-31"}))
    assert '"2010-11-26"' in changes and f'"{REBASED}id/condition/jilin-ftm-years-in-use-2007"' in changes


def test_the_engine_over_a_rebased_store_decides_as_over_the_default_one(rebased):
    """The currency scheme moves with the data: a USD income is never compared with the CNIPA's
    60,000 yuan threshold (undetermined), a CNY one still is (regression: it answered eligible)."""
    rules = Rulebook(EmbeddedStore(rebased.store_path, ids=rebased.ids))
    engine = Engine(rules)
    programme = REBASED + "id/programme/cnipa-patent-fee-reduction"
    income = next(c for c in rules.conditions.values() if c.iri.endswith("cnipa-reduction-individual-income"))
    assert income.unit_is_currency and income.unit_notation == "CNY"
    for currency, expected in (("USD", "undetermined"), ("CNY", "eligible")):
        body = {"applicant": {**INDIVIDUAL, "annualIncome": {"value": 50000, "currency": currency}}, "filing": FILING,
                "asOf": "2025-06-01", "programme": programme}
        (v,) = engine.evaluate(parse(body, rules))["verdicts"]
        assert v["verdict"] == expected, v["reason"]
        if currency == "USD":
            assert "annualIncome in CNY" in v["missing"]


@pytest.mark.parametrize("path", ["/id/doc/cn-local-regulations-ch4", "/id/place/cn-jilin", "/id/programme/cnipa-patent-fee-reduction",
                                  "/browse/programmes", "/search?q=专利",
                                  "/timeline?jurisdiction=cn-jilin"])
def test_pages_under_another_base_are_the_default_pages_with_their_links_moved(client, rebased_client, path):
    html = {"Accept": "text/html"}
    default = client.get(path, headers=html, follow_redirects=True)
    moved = rebased_client.get(path, headers=html, follow_redirects=True)
    assert default.status_code == moved.status_code == 200
    assert DEFAULT_BASE + "id/" not in moved.get_data(as_text=True)
    assert moved.get_data(as_text=True).replace(REBASED, DEFAULT_BASE) == default.get_data(as_text=True)
