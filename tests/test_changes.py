"""GET /api/changes and GET /changes: what changed between two dates, each change cited, at two dates per fact.

The facts: the Jilin famous-trademark regulation's 2010-11-26 amendment cut the years of use from 3 to
1 (doc/cn-local-regulations-ch4 lines 10-13); the Yunnan funding measures' 2009-04-06 amendment raised
the grant per invention from 1,270 to 1,570 yuan (service inventions) and from 760 to 1,060 (others);
the JPO's PCT international-application grant ended 2023-12-31 and the WIPO-fee support measure
succeeded it on 2024-01-01; the pre-2019 JPO fee reduction was succeeded on 2019-04-01; two JPO
dispatch projects were merged into the university IP support project (the sources give no date).
"""

from __future__ import annotations

import pytest

from ipkg.changes import VALUES
from ipkg.web.changes import VALUE_NAMES

ID = "https://w3id.org/ipkg/id/"


def _changes(client, start: str, end: str) -> dict:
    r = client.get("/api/changes", query_string={"from": start, "to": end})
    assert r.status_code == 200, r.data
    return r.get_json()


def _find(body: dict, change: str, subject: str) -> dict | None:
    return next((c for c in body["changes"] if c["change"] == change and c["subject"] == ID + subject), None)


def test_jilin_years_of_use_cut_from_three_to_one(client):
    body = _changes(client, "2010-11-01", "2010-11-30")
    amendment = _find(body, "amended", "condition/jilin-ftm-years-in-use-2007")
    assert amendment and amendment["date"] == "2010-11-26" and amendment["other"] == ID + "condition/jilin-ftm-years-in-use"
    assert amendment["values"] == [{"what": "threshold", "from": "3", "to": "1"}]
    lines = {s["line"] for s in amendment["sources"] if s["document"] == ID + "doc/cn-local-regulations-ch4"}
    assert {10, 13} <= lines
    assert _find(body, "amended", "instrument/jilin-famous-trademark-regulation")
    # the day before and the day after the amendment's date, nothing of it
    assert not _find(_changes(client, "2010-11-27", "2010-12-31"), "amended", "condition/jilin-ftm-years-in-use-2007")
    assert not _find(_changes(client, "2010-01-01", "2010-11-25"), "amended", "condition/jilin-ftm-years-in-use-2007")


def test_yunnan_grant_per_invention_rose_in_2009(client):
    body = _changes(client, "2009-04-06", "2009-04-06")
    service = _find(body, "amended", "benefit/yunnan-funding-invention-domestic-service-granted-2004")
    other = _find(body, "amended", "benefit/yunnan-funding-invention-domestic-non-service-granted-2004")
    assert service["values"] == [{"what": "amount", "from": "1270", "to": "1570"}]
    assert other["values"] == [{"what": "amount", "from": "760", "to": "1060"}]
    assert 3586 in {s["line"] for s in service["sources"]}  # 1,270元/件 in the original text
    assert not _find(_changes(client, "2009-04-07", "2009-12-31"), "amended", "benefit/yunnan-funding-invention-domestic-service-granted-2004")


def test_the_wipo_fee_support_replaced_the_grant_on_2024_01_01(client):
    body = _changes(client, "2023-12-31", "2024-01-01")
    assert _find(body, "ended", "programme/international-application-promotion-grant")["date"] == "2023-12-31"
    succession = _find(body, "succeeded", "programme/international-application-promotion-grant")
    assert succession["date"] == "2024-01-01" and succession["other"] == ID + "programme/pct-wipo-fee-support-measure"
    assert succession["sources"]
    assert _find(body, "started", "programme/pct-wipo-fee-support-measure")["date"] == "2024-01-01"
    assert not _find(_changes(client, "2024-01-02", "2024-12-31"), "succeeded", "programme/international-application-promotion-grant")


def test_jpo_fee_reduction_succeeded_in_2019_and_merged_projects_are_undated(client):
    body = _changes(client, "2019-03-31", "2019-04-01")
    assert _find(body, "succeeded", "programme/jp-patent-fee-reduction-pre-2019")["other"] == ID + "programme/jp-patent-fee-reduction"
    assert _find(body, "ended", "programme/jp-patent-fee-reduction-pre-2019")["date"] == "2019-03-31"
    merged = {(u["subject"], u["other"]) for u in body["undated"] if u["change"] == "merged"}
    assert (ID + "programme/ip-strategy-designer-dispatch", ID + "programme/iaca") in merged
    assert (ID + "programme/industry-academia-startup-advisor", ID + "programme/iaca") in merged


def test_instruments_replaced_and_no_longer_in_force(client):
    body = _changes(client, "2012-11-30", "2012-11-30")
    assert _find(body, "no-longer-in-force", "instrument/fujian-patent-application-funding-management-measures-2008")
    replaced = _find(_changes(client, "2012-06-01", "2012-06-01"), "replaced", "instrument/chongqing-famous-trademark-measures-1997")
    assert replaced["other"] == ID + "instrument/chongqing-famous-trademark-regulation"


def test_every_change_is_cited_and_in_the_range(client):
    body = _changes(client, "2000-01-01", "2026-12-31")
    assert len(body["changes"]) > 100
    for c in body["changes"]:
        assert "2000-01-01" <= c["date"] <= "2026-12-31"
        assert c["sources"], c


def test_answers_name_the_release(client):
    r = client.get("/api/changes", query_string={"from": "2024-01-01", "to": "2024-01-01"})
    assert r.get_json()["datasetVersion"] == r.headers["X-Dataset-Version"]


@pytest.mark.parametrize("params, says", [
    ({}, "from is required"),
    ({"from": "2024-01-01"}, "to is required"),
    ({"from": "2024-13-01", "to": "2024-12-31"}, "YYYY-MM-DD"),
    ({"from": "2025-01-01", "to": "2024-01-01"}, "is after"),
    ({"from": "2024-01-01", "to": "2024-12-31", "asof": "x"}, "unknown parameter"),
])
def test_bad_ranges_are_400(client, params, says):
    r = client.get("/api/changes", query_string=params)
    assert r.status_code == 400 and any(says in p for p in r.get_json()["problems"])
    page = client.get("/changes", query_string=params or {"from": ""})
    assert page.status_code == 400 and 'role="alert"' in page.data.decode() and says in page.data.decode()


def test_the_page_lists_the_changes_in_japanese_and_english(client):
    ja = client.get("/changes", query_string={"from": "2010-11-26", "to": "2010-11-26", "lang": "ja"}).data.decode()
    assert "改正" in ja and 'data-subject="' + ID + 'condition/jilin-ftm-years-in-use-2007"' in ja and "閾値: 3 → 1" in ja  # the ontology's ja name of ipkg:threshold
    en = client.get("/changes", query_string={"from": "2024-01-01", "to": "2024-01-01"}, headers={"Accept-Language": "en"}).data.decode()
    assert "succeeded by" in en and "/id/programme/pct-wipo-fee-support-measure" in en
    assert client.get("/changes").status_code == 200  # the form alone


def test_a_programme_page_as_of_a_date_shows_the_versions_in_force(client):
    r = client.get("/id/programme/jilin-famous-trademark-recognition", query_string={"asOf": "2009-01-01", "lang": "ja"})
    assert r.status_code == 303 and r.headers["Location"].endswith(".html?asOf=2009-01-01&lang=ja")
    before = client.get("/id/programme/jilin-famous-trademark-recognition.html?asOf=2009-01-01").data.decode()
    after = client.get("/id/programme/jilin-famous-trademark-recognition.html?asOf=2011-01-01").data.decode()

    def state(page: str, part: str) -> str:
        start = page.index(f'data-part="{ID}condition/{part}"')
        return page[start:start + 200].split('data-in-force="', 1)[1].split('"', 1)[0]

    assert (state(before, "jilin-ftm-years-in-use-2007"), state(before, "jilin-ftm-years-in-use")) == ("true", "false")  # 3 years
    assert (state(after, "jilin-ftm-years-in-use-2007"), state(after, "jilin-ftm-years-in-use")) == ("false", "true")  # 1 year


def test_a_programme_that_ended_is_not_in_force_after_its_end(client):
    def own(day: str) -> str:
        page = client.get(f"/id/programme/international-application-promotion-grant.html?asOf={day}").data.decode()
        return page.split('id="as-of-state"', 1)[1].split('data-in-force="', 1)[1].split('"', 1)[0]

    assert own("2023-12-31") == "true" and own("2024-01-01") == "false"


def test_the_timeline_lists_versions_events_and_successors(client):
    page = client.get("/id/programme/international-application-promotion-grant.html").data.decode()
    timeline = page.split('id="timeline"', 1)[1].split("</section>", 1)[0]
    assert "2023-12-31" in timeline and 'data-change="succeeded"' in timeline and "/id/programme/pct-wipo-fee-support-measure" in timeline
    assert "/id/event/2024-01-01-pct-grant-replaced-by-support-measure" in timeline
    successor = client.get("/id/programme/pct-wipo-fee-support-measure.html").data.decode()
    assert 'data-change="succeeds"' in successor and "/id/programme/international-application-promotion-grant" in successor
    yunnan = client.get("/id/programme/yunnan-patent-funding.html").data.decode().split('id="timeline"', 1)[1]
    assert yunnan.index("2009-04-05") < yunnan.index("2009-04-06")  # the 2004 amounts end, the amended ones begin


def test_a_bad_as_of_date_is_400(client):
    r = client.get("/id/programme/jilin-famous-trademark-recognition.html?asOf=2009-13-01")
    assert r.status_code == 400 and "asOf must be a date" in r.data.decode()


def test_every_changed_value_has_a_name_in_japanese_and_english():
    assert set(VALUE_NAMES) == set(VALUES.values())
    assert all(set(names) == {"ja", "en"} and all(names.values()) for names in VALUE_NAMES.values())
