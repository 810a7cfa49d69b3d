"""GET /api/calendar: the deadline calendar of one filing, as JSON and as iCalendar parsed back with `icalendar`.

The amounts are the CNIPA fee guide's (doc/cnipa-fee-guide-2025): annual fees for inventions 900 (years
1-3), 1200 (4-6), 2000 (7-9), 4000 (10-12), 6000 (13-15), 8000 (16-20) CNY (lines 59-64); the deadline
table (lines 127-131); the 6-month grace period (line 138), the 5 % monthly surcharge (line 80) and the
1000 CNY restoration fee (line 81, line 142).
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

INVENTION = {"filingDate": "2023-03-15", "grantDate": "2025-06-10", "right": "invention-patent", "office": "CN"}


def _json(client, **params) -> dict:
    r = client.get("/api/calendar", query_string={**INVENTION, **params})
    assert r.status_code == 200, r.data
    return r.get_json()


def _by_uid(events: list[dict]) -> dict[str, dict]:
    return {e["uid"]: e for e in events}


def _lines(event: dict) -> set[int]:
    return {s["line"] for s in event["sources"] if s["document"].endswith("/doc/cnipa-fee-guide-2025")}


def test_annual_fees_are_due_on_each_anniversary_after_the_year_of_grant(client):
    events = _by_uid(_json(client)["events"])
    # granted in patent year 3 (2025-03-15 .. 2026-03-14): year 3 is paid at registration, year 4 on 2026-03-15
    assert "annual-fee-year-3" not in events
    year4, year7, year20 = events["annual-fee-year-4"], events["annual-fee-year-7"], events["annual-fee-year-20"]
    assert (year4["start"], year4["amount"]) == ("2026-03-15", {"value": 1200.0, "currency": "CNY"})
    assert (year7["start"], year7["amount"]["value"]) == ("2029-03-15", 2000.0)
    assert (year20["start"], year20["amount"]["value"]) == ("2042-03-15", 8000.0)
    assert "annual-fee-year-21" not in events  # the guide's table ends with year 20
    assert year4["about"].endswith("/fee/cn-annual-invention-years-4-6")
    assert {131, 60} <= _lines(year4)  # the deadline row and the fee row


def test_registration_pays_the_annual_fee_of_the_year_of_grant_within_two_months(client):
    registration = next(e for e in _json(client)["events"] if e["deadline"].endswith("/deadline/cn-registration-fee-payment"))
    assert registration["start"] == "2025-08-10" and registration["year"] == 3
    assert registration["amount"] == {"value": 900.0, "currency": "CNY"}  # years 1-3: 900 a year (line 59)
    assert 130 in _lines(registration)


def test_surcharge_and_restoration_windows_follow_each_due_date(client):
    events = _by_uid(_json(client)["events"])
    late = events["late-payment-year-4"]
    assert (late["start"], late["end"]) == ("2026-03-16", "2026-09-15")  # 6 months after the due date
    assert late["amount"] == {"value": 60.0, "currency": "CNY"}  # 5 % of 1200 per month late
    assert {80, 138} <= _lines(late)
    restoration = events["restoration-year-4"]
    assert (restoration["start"], restoration["end"]) == ("2026-09-16", "2026-11-15")
    assert restoration["amount"]["value"] == 1000.0 and 142 in _lines(restoration)
    assert "notice of lapse" in restoration["note"]


def test_filing_date_deadlines_application_and_substantive_examination(client):
    events = _json(client)["events"]
    application = next(e for e in events if e["deadline"].endswith("/cn-application-fee-payment"))
    examination = next(e for e in events if e["deadline"].endswith("/cn-examination-fee-payment"))
    assert (application["start"], application["amount"]["value"]) == ("2023-05-15", 900.0)
    assert (examination["start"], examination["amount"]["value"]) == ("2026-03-15", 2500.0)
    assert 128 in _lines(examination)


def test_deadlines_counted_from_events_not_given_are_listed_undated(client):
    undated = {u["deadline"].rsplit("/", 1)[-1]: u for u in _json(client)["undated"]}
    assert {"cn-reexamination-fee-payment", "cn-invalidation-fee-payment"} <= set(undated)
    assert [s["line"] for s in undated["cn-reexamination-fee-payment"]["sources"]] == [129]


def test_without_a_grant_date_annual_fees_are_not_dated(client):
    body = _json(client, grantDate="")
    assert not any(e["uid"].startswith("annual-fee-year-") for e in body["events"])
    assert any("grantDate" in note for note in body["notes"])


def test_designs_end_with_year_15_and_a_leap_day_filing_falls_due_on_28_february(client):
    events = _by_uid(_json(client, right="design", filingDate="2024-02-29", grantDate="2024-11-01")["events"])
    assert events["annual-fee-year-2"]["start"] == "2025-02-28"
    assert events["annual-fee-year-2"]["amount"]["value"] == 600.0
    assert events["annual-fee-year-15"]["amount"]["value"] == 3000.0 and "annual-fee-year-16" not in events
    assert not any(e["deadline"].endswith("/cn-examination-fee-payment") for e in events.values())  # inventions only


def test_funding_application_windows_of_the_years_of_filing_and_grant(client):
    events = _json(client)["events"]
    windows = {(e["about"].rsplit("/", 1)[-1], e["start"], e["end"]) for e in events if e["kind"] == "application-period"}
    assert ("guangxi-patent-funding", "2023-12-31", "2023-12-31") in windows  # apply within the year (art. 6)
    assert ("yunnan-patent-funding", "2025-01-01", "2025-12-31") in windows
    only_yunnan = _json(client, region="cn-yunnan")["events"]
    assert {e["about"].rsplit("/", 1)[-1] for e in only_yunnan if e["kind"] == "application-period"} == {"yunnan-patent-funding"}


def test_icalendar_parses_back_with_the_same_events(client):
    json_events = _json(client)["events"]
    r = client.get("/api/calendar", query_string={**INVENTION, "format": "ics", "lang": "ja"})
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(r.data)
    assert str(cal["version"]) == "2.0" and cal["prodid"]
    vevents = {str(v["uid"]): v for v in cal.walk("VEVENT")}
    assert len(vevents) == len(json_events)
    year4 = vevents["annual-fee-year-4-2023-03-15@ipkg"]
    assert year4.decoded("dtstart") == dt.date(2026, 3, 15) and year4.decoded("dtend") == dt.date(2026, 3, 16)
    assert str(year4["summary"]) == "第4年度の年金"
    assert "1200 CNY" in str(year4["description"]) and "line 131" in str(year4["description"])
    assert r.headers["X-Dataset-Version"] in str(year4["description"])
    late = vevents["late-payment-year-4-2023-03-15@ipkg"]
    assert late.decoded("dtend") == dt.date(2026, 9, 16)  # exclusive end: the day after the last day


def test_accept_header_chooses_icalendar(client):
    r = client.get("/api/calendar", query_string=INVENTION, headers={"Accept": "text/calendar"})
    assert r.mimetype == "text/calendar" and icalendar.Calendar.from_ical(r.data).walk("VEVENT")


def test_answers_name_the_release(client):
    r = client.get("/api/calendar", query_string=INVENTION)
    assert r.get_json()["datasetVersion"] == r.headers["X-Dataset-Version"]


@pytest.mark.parametrize("params, says", [
    ({"filingDate": None}, "filingDate is required"),
    ({"filingDate": "2023-02-30"}, "YYYY-MM-DD"),
    ({"grantDate": "15/06/2025"}, "YYYY-MM-DD"),
    ({"grantDate": "2022-01-01"}, "before filingDate"),
    ({"right": "copyright"}, "right must be one of"),
    ({"right": None}, "right is required"),
    ({"office": "XX"}, "office must be"),
    ({"office": "CN-GX"}, "office must be"),
    ({"region": "atlantis"}, "region must be a place"),
    ({"region": "cn> } ; DROP"}, "region must be a place"),
    ({"bogus": "1"}, "unknown parameter"),
    ({"lang": "fr"}, "lang must be"),
])
def test_bad_input_is_400_with_a_readable_problem(client, params, says):
    query = {k: v for k, v in {**INVENTION, **params}.items() if v is not None}
    r = client.get("/api/calendar", query_string=query)
    assert r.status_code == 400
    assert any(says in p for p in r.get_json()["problems"]), r.get_json()


def test_unacceptable_media_type_is_406(client):
    assert client.get("/api/calendar", query_string=INVENTION, headers={"Accept": "image/png"}).status_code == 406


def test_a_format_the_calendar_does_not_have_is_a_406_naming_the_ones_it_has(client):
    """format= is content negotiation's override, so an unknown one is a 406 as on every route (ipkg.media)."""
    r = client.get("/api/calendar", query_string={**INVENTION, "format": "pdf"})
    assert r.status_code == 406
    assert r.get_json()["problems"] == ["format 'pdf' does not fit the calendar; use one of json, ics (application/json, text/calendar)"]
    assert client.get("/api/calendar", query_string={**INVENTION, "format": "ical"}).mimetype == "text/calendar"
