"""/eligibility without JavaScript: the questionnaire posts, the server asks the next question (the
answers so far in hidden fields), "I don't know" skips a field, and the result cites its sources.
Labels come from the graph in the chosen language. tests/test_browser.py drives the JavaScript path."""

from __future__ import annotations

import re
from html import unescape

from werkzeug.datastructures import MultiDict

from ipkg.web.eligibility_page import UI


def _question(html: str) -> str | None:
    match = re.search(r'<fieldset id="question" data-field="([^"]+)"', html)
    return match.group(1) if match else None


def _hidden(html: str) -> list[tuple[str, str]]:
    form = html[html.index('<div id="carried">'):html.index("</div>", html.index('<div id="carried">'))]
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)


def _counts(html: str) -> dict[str, int]:
    return {k: int(n) for k, n in re.findall(r'data-count="([^"]+)">(\d+)<', html)}


def test_japanese_page_shows_the_graphs_labels(client, app):
    html = client.get("/eligibility?lang=ja").get_data(as_text=True)
    assert '<html lang="ja">' in html
    assert "出願人の種類" in html  # the label of ipkg:kind in the graph
    assert "出願人の種類(出願人種別の概念)。" in html  # and its definition, as the question's help
    assert "小規模企業" in html  # a concept label as a choice
    assert UI["unknown"]["ja"] in html and UI["results_now"]["ja"] in html
    assert "companyAgeYears" not in re.sub(r'(name|id|for|data-field|value)="[^"]*"|<script.*?</script>', "", html, flags=re.DOTALL)
    assert "設立後年数" in html  # the full form offers every field, labelled from the graph


def test_language_from_accept_language(client):
    assert '<html lang="ja">' in client.get("/eligibility", headers={"Accept-Language": "ja,en;q=0.5"}).get_data(as_text=True)
    english = client.get("/eligibility", headers={"Accept-Language": "fr, en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "applicant kind" in english


def test_posting_an_answer_shows_the_next_question_carrying_the_answers(client):
    first = client.get("/eligibility?lang=en").get_data(as_text=True)
    asked = _question(first)
    assert asked == "kind"
    response = client.post("/eligibility", data={"lang": "en", "action": "answer", "field": "kind", "kind": "small-enterprise"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    nxt = _question(html)
    assert nxt and nxt != "kind"
    assert ("kind", "small-enterprise") in _hidden(html)
    assert "small enterprise" in html  # the answer so far, in words


def test_i_dont_know_skips_a_field(client):
    data = {"lang": "ja", "action": "answer", "field": "kind", "kind": "small-enterprise"}
    html = client.post("/eligibility", data=data).get_data(as_text=True)
    skipped = _question(html)
    form = _hidden(html) + [("lang", "ja"), ("action", "unknown"), ("field", skipped)]
    html = client.post("/eligibility", data=MultiDict(form)).get_data(as_text=True)
    assert ("unknown", skipped) in _hidden(html)
    assert _question(html) not in (None, skipped, "kind")
    assert UI["unknown"]["ja"] in html


def test_results_list_cited_conditions_and_advice(client, app):
    form = {"lang": "ja", "action": "results", "kind": "small-enterprise", "country": "CN", "region": "CN-JL", "employees": "50",
            "rdSpendingShare": "5"}  # 5 %
    response = client.post("/eligibility", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    body = {"applicant": {"kind": "small-enterprise", "country": "CN", "region": "CN-JL", "employees": 50, "rdSpendingShare": 0.05}}
    expected = client.post("/api/eligibility", json=body).get_json()["summary"]
    assert _counts(html) == {"eligible": expected["eligible"], "undetermined": expected["undetermined"], "not-eligible": expected["notEligible"]}
    cites = re.findall(r'<a class="cite" href="(/id/[^"]+)">', html)
    assert cites and all("/line/" in c or "/art/" in c or "/instrument/" in c or "/doc/" in c for c in cites)
    assert client.get(cites[0]).status_code in (200, 303)
    assert UI["to_become"]["ja"] in html and UI["profile_used"]["ja"] in html
    assert "5 %" in html and "吉林" in html  # the profile used, in words
    assert 'data-can-change="' in html


def test_full_form_still_evaluates_without_javascript(client):
    response = client.post("/eligibility", data={"kind": "small-enterprise", "country": "JP", "capital": "10000000",
                                                 "capitalCurrency": "JPY", "employees": "10"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="report"' in html
    assert 'data-verdict="eligible"' in html


def test_a_bad_answer_is_reported_in_the_chosen_language(client):
    response = client.post("/eligibility", data={"lang": "ja", "action": "evaluate", "employees": "-3"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert UI["problems"]["ja"] in html and "従業員数" in html


def test_an_empty_answer_asks_again(client):
    html = client.post("/eligibility", data={"lang": "en", "action": "answer", "field": "kind"}).get_data(as_text=True)
    assert UI["please_answer"]["en"] in html and _question(html) == "kind"


def test_share_answers_are_percentages(client):
    html = client.post("/eligibility", data={"lang": "en", "action": "results", "rdSpendingShare": "12.5"}).get_data(as_text=True)
    assert '"rdSpendingShare": 0.125' in unescape(html) and "12.5 %" in html


RATE_FORM = MultiDict([("kind", "small-enterprise"), ("country", "JP"), ("office", "CN"), ("jointApplicants", "1"),
                       ("previousYearTaxableIncome", "20000000"), ("previousYearTaxableIncomeCurrency", "JPY"),
                       ("exchangeRatesFrom", "JPY"), ("exchangeRates", "0.048"), ("exchangeRatesTo", "CNY"),
                       ("exchangeRatesDate", "2025-06-01"), ("asOf", "2025-06-01")])


def test_the_full_form_offers_the_exchange_rate_fields(client):
    for lang, label in (("ja", "為替レート"), ("en", "exchange rates")):
        html = client.get(f"/eligibility?lang={lang}").get_data(as_text=True)
        assert f'<label for="f-exchangeRates">{label}</label>' in html
        for name in ("exchangeRates", "exchangeRatesFrom", "exchangeRatesTo", "exchangeRatesDate"):
            assert f'name="{name}"' in html
        assert UI["rate_date"][lang] in html


def test_a_rate_from_the_form_decides_the_cnipa_threshold_and_the_page_shows_the_arithmetic(client):
    # 20,000,000 JPY × 0.048 = 960,000 CNY: within the 1 million yuan of 003:105
    html = unescape(client.post("/eligibility?lang=en", data=RATE_FORM).get_data(as_text=True))
    assert 'id="report"' in html
    assert "(20,000,000 JPY × 0.048 = 960,000 CNY (rate given by the applicant, 2025-06-01))" in html
    ja = unescape(client.post("/eligibility?lang=ja", data=RATE_FORM).get_data(as_text=True))
    assert "(20,000,000 JPY × 0.048 = 960,000 CNY(出願人が示したレート、2025-06-01))" in ja
    assert "1 JPY = 0.048 CNY (2025-06-01)" in html  # the profile used, as the applicant gave it
    # the rate is carried to the next page with its parts
    assert ("exchangeRates", "0.048") in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)


def test_a_bad_rate_from_the_form_is_a_400_that_names_it(client):
    bad = RATE_FORM.copy()
    bad.setlist("exchangeRatesTo", ["JPY"])
    response = client.post("/eligibility", data=bad)
    assert response.status_code == 400
    assert "must be two different ISO 4217 codes" in unescape(response.get_data(as_text=True))


def test_without_a_rate_the_advice_on_the_page_names_the_rate(client):
    form = RATE_FORM.copy()
    for name in ("exchangeRates", "exchangeRatesFrom", "exchangeRatesTo", "exchangeRatesDate"):
        form.poplist(name)
    html = unescape(client.post("/eligibility?lang=en", data=form).get_data(as_text=True))
    assert "a rate from JPY to CNY would decide it (met by a rate ≤ 0.05)" in html
    assert "exchange rates: (not given) → 1 JPY ≤ 0.05 CNY" in html
