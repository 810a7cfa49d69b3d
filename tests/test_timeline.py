"""GET /api/timeline and GET /timeline: a jurisdiction's or an IP right's dated changes and events, each cited and linked.

The facts: the Jilin famous-trademark regulation entered into force on 2007-11-01 and was amended on
2010-11-26, cutting the years of use from 3 to 1 (doc/cn-local-regulations-ch4 lines 10-13); the Yunnan
funding measures' 2009-04-06 amendment raised the grant per service invention from 1,270 yuan (line 3586)
to 1,570 (Article 7 of the amended text, line 3633); the JPO's PCT international-application grant ended
2023-12-31 and the WIPO-fee support measure succeeded it on 2024-01-01 (doc/jpo-annual-report-ch5 line 457);
two JPO dispatch projects were merged into the university IP support project, on a date the sources do not give.
"""

from __future__ import annotations

import pytest

ID = "https://w3id.org/ipkg/id/"
LOCAL_REGULATIONS = ID + "doc/cn-local-regulations-ch4"


def _timeline(client, **params: str) -> dict:
    r = client.get("/api/timeline", query_string=params)
    assert r.status_code == 200, r.data
    return r.get_json()


def _entries(body: dict, change: str, subject: str) -> list[dict]:
    return [e for e in body["events"] if e["change"] == change and e["subject"] == ID + subject]


def _cites(entry: dict, document: str, line: int) -> bool:
    return any(s["document"] == document and s["line"] <= line <= s["lineEnd"] for s in entry["sources"])


def test_jilin_timeline_in_order_with_the_2010_amendment(client):
    body = _timeline(client, jurisdiction="cn-jilin")
    assert body["scope"] == {"jurisdiction": {"value": "cn-jilin", "label": {"ja": "吉林省", "en": "Jilin"}}}
    dates = [e["date"] for e in body["events"]]
    assert dates == sorted(dates)
    [in_force] = _entries(body, "entered-into-force", "instrument/jilin-famous-trademark-regulation")
    assert in_force["date"] == "2007-11-01" and in_force["page"] == "/id/instrument/jilin-famous-trademark-regulation"
    [amendment] = _entries(body, "amended", "condition/jilin-ftm-years-in-use-2007")
    assert amendment["date"] == "2010-11-26" and amendment["values"] == [{"what": "threshold", "from": "3", "to": "1"}]
    assert amendment["other"] == ID + "condition/jilin-ftm-years-in-use" and amendment["otherPage"] == "/id/condition/jilin-ftm-years-in-use"
    assert _cites(amendment, LOCAL_REGULATIONS, 10) and _cites(amendment, LOCAL_REGULATIONS, 13)
    assert _entries(body, "amended", "instrument/jilin-famous-trademark-regulation")[0]["date"] == "2010-11-26"
    assert _entries(body, "event", "event/2010-11-26-jilin-famous-trademark-regulation-amendment")
    assert dates.index("2007-11-01") < dates.index("2010-11-26")
    # nothing of another province
    assert not [e for e in body["events"] if "yunnan" in e["subject"] or "shanghai" in e["subject"]]


def test_yunnan_grant_per_invention_rose_from_1270_to_1570(client):
    body = _timeline(client, jurisdiction="cn-yunnan")
    [service] = _entries(body, "amended", "benefit/yunnan-funding-invention-domestic-service-granted-2004")
    assert service["date"] == "2009-04-06" and service["values"] == [{"what": "amount", "from": "1270", "to": "1570"}]
    assert _cites(service, LOCAL_REGULATIONS, 3586) and _cites(service, LOCAL_REGULATIONS, 3633)  # 1,270元/件; 1,570元/件
    [earlier] = _entries(body, "version-in-force", "benefit/yunnan-funding-invention-domestic-service-granted-2004")
    assert earlier["date"] == "2004-07-22"
    [other] = _entries(body, "amended", "benefit/yunnan-funding-invention-domestic-non-service-granted-2004")
    assert other["values"] == [{"what": "amount", "from": "760", "to": "1060"}]
    # the instruments: the 2003 trial measures promulgated, then replaced and no longer in force on 2004-07-22
    assert _entries(body, "promulgated", "instrument/yunnan-patent-funding-trial-measures-2003")[0]["date"] == "2003-09-09"
    replaced = _entries(body, "replaced", "instrument/yunnan-patent-funding-trial-measures-2003")[0]
    assert replaced["date"] == "2004-07-22" and replaced["other"] == ID + "instrument/yunnan-patent-funding-interim-measures"


def test_japan_timeline_has_the_2024_switch_and_the_undated_merger(client):
    body = _timeline(client, jurisdiction="jp")
    [ended] = _entries(body, "ended", "programme/international-application-promotion-grant")
    [succession] = _entries(body, "succeeded", "programme/international-application-promotion-grant")
    assert ended["date"] == "2023-12-31" and succession["date"] == "2024-01-01"
    assert succession["other"] == ID + "programme/pct-wipo-fee-support-measure"
    assert _cites(succession, ID + "doc/jpo-annual-report-ch5", 457)
    [event] = _entries(body, "event", "event/2024-01-01-pct-grant-replaced-by-support-measure")
    assert event["date"] == "2024-01-01" and event["kind"] == "event" and _cites(event, ID + "doc/jpo-annual-report-ch5", 457)
    assert body["events"].index(ended) < body["events"].index(succession)
    merged = {(u["subject"], u["other"]) for u in body["undated"] if u["change"] == "merged"}
    assert (ID + "programme/ip-strategy-designer-dispatch", ID + "programme/iaca") in merged
    assert all(u["page"].startswith("/id/programme/") for u in body["undated"])
    assert not [e for e in body["events"] if "/cn-" in e["subject"] or "jilin" in e["subject"]]


def test_tianjin_2010_measures_repealed_by_those_of_2012(client):
    body = _timeline(client, jurisdiction="cn-tianjin")
    [repeal] = _entries(body, "repealed", "instrument/tianjin-patent-funding-measures-2010")
    assert repeal["date"] == "2012-08-27" and repeal["other"] == ID + "instrument/tianjin-patent-funding-measures"
    assert repeal["sources"] and repeal["otherPage"] == "/id/instrument/tianjin-patent-funding-measures"
    [promulgated] = _entries(body, "promulgated", "instrument/tianjin-patent-funding-measures")
    assert promulgated["date"] == "2012-08-27"
    assert _entries(body, "no-longer-in-force", "instrument/tianjin-patent-funding-measures")[0]["date"] == "2015-12-31"
    page = client.get("/id/instrument/tianjin-patent-funding-measures.html").data.decode().split('id="timeline"', 1)[1]
    assert 'data-change="repeals"' in page and "/id/instrument/tianjin-patent-funding-measures-2010" in page
    # where the data also says dct:replaces, the change stays "replaced" (Yunnan's 2003 trial measures)
    assert not _entries(_timeline(client, jurisdiction="cn-yunnan"), "repealed", "instrument/yunnan-patent-funding-trial-measures-2003")


def test_a_theme_and_a_jurisdiction_together(client):
    trademark = _timeline(client, theme="trademark")
    subjects = {e["subject"] for e in trademark["events"]}
    assert ID + "condition/jilin-ftm-years-in-use-2007" in subjects  # the famous-trademark regulations: trademarks
    assert ID + "benefit/yunnan-funding-invention-domestic-service-granted-2004" not in subjects  # an invention-patent grant
    both = _timeline(client, jurisdiction="cn-yunnan", theme="trademark")
    assert {e["subject"] for e in both["events"]} <= subjects
    assert ID + "instrument/yunnan-famous-trademark-measures" in {e["subject"] for e in both["events"]}
    assert not [e for e in both["events"] if "funding" in e["subject"]]
    assert set(both["scope"]) == {"jurisdiction", "theme"}


def test_a_province_is_part_of_its_country(client):
    china = {e["subject"] for e in _timeline(client, jurisdiction="cn")["events"]}
    assert {e["subject"] for e in _timeline(client, jurisdiction="cn-jilin")["events"]} <= china


def test_every_entry_is_cited_and_linked(client):
    for params in ({"jurisdiction": "cn"}, {"jurisdiction": "jp"}, {"theme": "patent-cn"}):
        body = _timeline(client, **params)
        assert body["events"]
        for e in body["events"]:
            assert e["sources"], e
            assert e["page"] == e["subject"].replace("https://w3id.org/ipkg", "")


def test_without_a_scope_the_values_that_have_a_timeline(client):
    r = client.get("/api/timeline")
    body = r.get_json()
    assert body["datasetVersion"] == r.headers["X-Dataset-Version"]
    jurisdictions = {v["value"]: v for v in body["jurisdictions"]}
    assert {"cn", "jp", "cn-jilin", "cn-yunnan"} <= set(jurisdictions)
    assert jurisdictions["cn-jilin"]["label"] == {"ja": "吉林省", "en": "Jilin"}
    assert jurisdictions["cn-jilin"]["count"] == len(_timeline(client, jurisdiction="cn-jilin")["events"])
    themes = {v["value"] for v in body["themes"]}
    assert {"trademark", "patent-cn", "design"} <= themes and "ip-right" not in themes  # the root tells nothing


def test_an_empty_value_is_the_forms_any(client):
    body = _timeline(client, jurisdiction="cn-jilin", theme="")
    assert set(body["scope"]) == {"jurisdiction"} and body["events"]
    assert "jurisdictions" in _timeline(client, jurisdiction="", theme="")


def test_answers_name_the_release(client):
    r = client.get("/api/timeline", query_string={"jurisdiction": "cn-jilin"})
    assert r.get_json()["datasetVersion"] == r.headers["X-Dataset-Version"]


@pytest.mark.parametrize("params, status, says", [
    ({"jurisdiction": "atlantis"}, 404, "no timeline for jurisdiction 'atlantis'; the jurisdictions with a timeline are cn,"),
    ({"theme": "cooking"}, 404, "no timeline for theme 'cooking'; the themes with a timeline are"),
    ({"jurisdiction": "cn-jilin", "theme": "cooking"}, 404, "no timeline for theme 'cooking'"),
    ({"jurisdiction": "CN/jilin"}, 400, "jurisdiction must be a slug such as cn-jilin"),
    ({"jurisdiction": ["cn", "jp"]}, 400, "give jurisdiction at most once"),
    ({"place": "cn"}, 400, "unknown parameter 'place'"),
])
def test_bad_scopes_are_4xx_with_a_readable_message(client, params, status, says):
    r = client.get("/api/timeline", query_string=params)
    assert r.status_code == status and any(says in p for p in r.get_json()["problems"]), r.get_json()
    page = client.get("/timeline", query_string=params, headers={"Accept": "text/html"})
    text = page.data.decode()
    assert page.status_code == status and 'role="alert"' in text and says.replace("'", "&#39;") in text
    assert 'data-scope-list="jurisdiction"' in text and 'data-value="cn-jilin"' in text  # the page offers what there is


def test_the_page_in_japanese_and_english(client):
    ja = client.get("/timeline", query_string={"jurisdiction": "cn-jilin", "lang": "ja"}).data.decode()
    assert '<html lang="ja">' in ja and "年表: <span data-scope=\"jurisdiction\">吉林省</span>" in ja and "改正" in ja
    assert 'data-subject="' + ID + 'condition/jilin-ftm-years-in-use-2007"' in ja and "閾値: 3 → 1" in ja
    assert 'href="/id/condition/jilin-ftm-years-in-use-2007?lang=ja"' in ja and 'href="/id/doc/cn-local-regulations-ch4#line-10"' in ja
    assert ja.index('id="year-2007"') < ja.index('id="year-2010"')
    en = client.get("/timeline", query_string={"jurisdiction": "jp"}, headers={"Accept-Language": "en"}).data.decode()
    assert "Timeline: <span" in en and "succeeded by" in en and "/id/programme/pct-wipo-fee-support-measure" in en
    assert "Reorganisations the graph gives no date for" in en
    index = client.get("/timeline", headers={"Accept-Language": "ja"})
    text = index.data.decode()
    assert index.status_code == 200 and "年表のある法域" in text and "年表のあるテーマ" in text
    assert 'href="/timeline?jurisdiction=cn-jilin&amp;lang=ja"' in text and 'href="/timeline?theme=trademark&amp;lang=ja"' in text


def test_openapi_describes_the_timeline(client):
    doc = client.get("/api/openapi.json").get_json()
    operation = doc["paths"]["/api/timeline"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"jurisdiction", "theme", "from", "to"}
    assert {p["schema"].get("format") for p in operation["parameters"] if p["name"] in ("from", "to")} == {"date"}
    assert {"200", "400", "404"} <= set(operation["responses"])


def test_a_date_range_keeps_the_entries_between_its_ends_both_included(client):
    """Jilin's regulation entered into force 2007-11-01 and was amended 2010-11-26 (001:10-13): a range
    starting on the amendment's day keeps it and drops the entry into force; one ending the day before drops it."""
    since = _timeline(client, jurisdiction="cn-jilin", **{"from": "2010-11-26"})
    assert _entries(since, "amended", "condition/jilin-ftm-years-in-use-2007")  # from is included
    assert not _entries(since, "entered-into-force", "instrument/jilin-famous-trademark-regulation")
    assert min(e["date"] for e in since["events"]) >= "2010-11-26"
    before = _timeline(client, jurisdiction="cn-jilin", to="2010-11-25")
    assert _entries(before, "entered-into-force", "instrument/jilin-famous-trademark-regulation")
    assert not _entries(before, "amended", "condition/jilin-ftm-years-in-use-2007")
    # the JPO's switch (004:457): the grant ended 2023-12-31, the support measure succeeded it 2024-01-01
    day = _timeline(client, jurisdiction="jp", **{"from": "2024-01-01", "to": "2024-01-01"})
    assert {e["date"] for e in day["events"]} == {"2024-01-01"}  # to is included
    assert _entries(day, "succeeded", "programme/international-application-promotion-grant")
    assert not _entries(day, "ended", "programme/international-application-promotion-grant")
    whole = _timeline(client, jurisdiction="jp")
    assert _timeline(client, jurisdiction="jp", **{"from": "", "to": ""}) == whole  # empty ends: the form's "any"


@pytest.mark.parametrize(("params", "problem"), [
    ({"from": "2024-13-01"}, "from must be a date YYYY-MM-DD such as 2024-01-01, not '2024-13-01'"),
    ({"to": "2024/01/01"}, "to must be a date YYYY-MM-DD such as 2024-01-01, not '2024/01/01'"),
    ({"from": "2024-01-02", "to": "2024-01-01"}, "from (2024-01-02) is after to (2024-01-01)"),
])
def test_a_bad_date_range_is_a_400_naming_the_parameter(client, params, problem):
    r = client.get("/api/timeline", query_string={"jurisdiction": "jp", **params})
    assert r.status_code == 400 and problem in r.get_data(as_text=True)
