"""End to end in a real headless Chromium: `ipkg serve` (granian) over the session build, driven by Playwright.

What only a browser can show: that YASGUI really loads from our static folder, offers the
catalogue as a menu, runs a query against this endpoint and draws the results; that the ontology
pages link up; and that nothing the pages do reaches beyond this machine. The browser is the session's
(tests/conftest.py: Debian's /usr/bin/chromium, never a downloaded one; the tests skip when it or
Playwright is missing). Screenshots go to tests/artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import PHONE, WIDE, shot
from ipkg.web import assets


def _get(url: str, accept: str = "text/html") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _example_with_rows(base: str) -> tuple[dict, dict]:
    """The first catalogue example that returns rows on this build, and its first row (as SPARQL JSON)."""
    status, html = _get(base + "/sparql")
    assert status == 200
    start = html.index('<script id="ipkg-examples" type="application/json">') if 'id="ipkg-examples"' in html else -1
    if start < 0:  # no YASGUI: read the catalogue from the API instead
        examples = [{"title": q["title"], "text": None, "name": q["name"]}
                    for q in json.loads(_get(base + "/api/queries", "application/json")[1])["queries"]]
    else:
        body = html[html.index(">", start) + 1: html.index("</script>", start)]
        examples = json.loads(body)
    for ex in examples:
        if ex.get("text") is None:
            continue
        data = urllib.parse.urlencode({"query": ex["text"]}).encode()
        request = urllib.request.Request(base + "/sparql", data=data, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            result = json.loads(response.read())
        if result.get("results", {}).get("bindings"):
            return ex, result
    pytest.fail("no catalogue example returns rows on this build")


def test_yasgui_runs_a_catalogue_example_against_this_endpoint(server: str, page) -> None:
    if not assets.available():
        pytest.skip("YASGUI is not installed (run `ipkg assets`); test_plain_form_fallback covers the page")
    example, expected = _example_with_rows(server)
    page.goto(server + "/sparql")
    page.wait_for_selector("#yasgui[data-ready=true]", timeout=15_000)
    assert page.locator("#plain").is_hidden(), "the plain form should give way to YASGUI"
    assert page.locator(".tabsList .tab").count() == 1, "the catalogue is a menu, not a tab per query"
    menu_names = page.eval_on_selector_all("#catalogue-menu a.item", "as => as.map(a => a.dataset.name)")
    for name in [e["name"] for e in json.loads(page.locator("#ipkg-examples").text_content())]:
        assert name in menu_names, f"catalogue query {name!r} is not in the menu ({menu_names})"
    completers = page.evaluate("window.ipkgYasgui.getTab().getYasqe().config.autocompleters")
    assert "class" not in completers and "property" not in completers, completers  # they would call LOV
    page.locator("#catalogue-menu > summary").click()
    page.locator(f"#catalogue-menu a.item[data-name='{example['name']}']").click()
    editor = page.evaluate("window.ipkgYasgui.getTab().getYasqe().getValue()")
    assert editor == example["text"]
    endpoint = page.evaluate("window.ipkgYasgui.getTab().getEndpoint()")
    assert endpoint == server + "/sparql"
    rows = page.locator(".tabPanel.active .yasr_results table tbody tr")
    rows.first.wait_for(timeout=20_000)
    shot(page, "sparql-yasgui-results")
    shown = page.locator(".tabPanel.active .yasr_results").inner_text()
    first = expected["results"]["bindings"][0]
    literals = [v["value"] for v in first.values() if v["type"] == "literal" and v["value"].strip()]
    assert literals, f"expected a literal in the first row of {example['title']!r}"
    assert any(value in shown for value in literals), f"none of {literals} shown in the YASR table"
    assert rows.count() >= min(len(expected["results"]["bindings"]), 10)
    assert not page.outside_requests, f"the page reached outside this machine: {page.outside_requests}"
    assert not page.js_errors, page.js_errors


def test_plain_form_fallback_without_javascript(server: str, new_page) -> None:
    """The no-JS path: the form alone runs a query and the server answers with results."""
    page = new_page(1280, height=720, javascript=False)  # Playwright's default viewport
    page.goto(server + "/sparql")
    assert page.locator("#plain-form").is_visible()
    page.fill("#query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    page.select_option("#format", "json")
    with page.expect_navigation() as navigation:
        page.locator("#plain-form button[type=submit]").click()
    assert navigation.value.status == 200
    shot(page, "sparql-plain-form-results")
    result = json.loads(page.locator("body").inner_text())
    assert result["head"]["vars"] == ["n"]
    assert int(result["results"]["bindings"][0]["n"]["value"]) > 1000


def test_ontology_docs_link_to_the_schemes(server: str, page) -> None:
    page.goto(server + "/def/")
    assert page.locator("#shapes").count() == 1
    assert page.locator("#shapes .shape").count() >= 10
    shot(page, "def-index")
    page.get_by_role("link", name="the schemes page").click()
    page.wait_for_url("**/def/schemes.html")
    assert page.locator("h1").inner_text() == "ipkg concept schemes"
    assert page.locator("section[id^=scheme-]").count() >= 5
    page.locator("nav a").first.click()  # an in-page link to the first scheme
    assert page.url.split("#", 1)[1].startswith("scheme-")
    shot(page, "def-schemes")
    assert not page.outside_requests, f"the docs reached outside this machine: {page.outside_requests}"


def test_eligibility_form_submits(server: str, page) -> None:
    """The full form (all fields at once, the no-JS path) still posts and answers with verdicts."""
    page.goto(server + "/eligibility?lang=en")
    page.locator("#everything summary").click()
    form = page.locator("#full-form")
    assert form.count() == 1, "the eligibility page should have the full form"
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    shot(page, "eligibility-result")
    body = page.locator("body").inner_text().lower()
    assert "eligible" in body, body[:500]
    assert not page.outside_requests, f"the page reached outside this machine: {page.outside_requests}"


# ---- the eligibility questionnaire (static/eligibility.js over the two APIs) ----------------------

ANSWERS = {"kind": "small-enterprise", "country": "JP", "office": "JP", "ipRight": "patent", "region": "JP-13", "route": "domestic"}


def _post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _answer_one(page, sections: dict[str, str], profile: dict, skip: bool) -> str:
    """Answer the question on screen (or say "I don't know") and record it in `profile` as the API reads it."""
    question = page.locator("#question")
    field, kind = question.get_attribute("data-field"), question.get_attribute("data-type")
    if skip:
        page.click("#btn-unknown")
        profile.setdefault("unknown", []).append(field)
        return field
    if question.locator("select").count():
        values = [v for v in question.locator("select option").evaluate_all("os => os.map(o => o.value)") if v]
        value = ANSWERS.get(field) if ANSWERS.get(field) in values else values[0]
        question.locator("select").first.select_option(value)
    elif question.locator("input[type=radio]").count():
        values = question.locator("input[type=radio]").evaluate_all("rs => rs.map(r => r.value)")
        value = ANSWERS.get(field) if ANSWERS.get(field) in values else values[0]
        question.locator(f"input[type=radio][value='{value}']").check()
        value = {"true": True, "false": False}.get(value, value) if kind == "boolean" else value
    elif kind == "date":
        page.fill(f"#q-{field}", "2025-04-01")
        value = "2025-04-01"
    else:
        page.fill(f"#q-{field}", "12")
        value = {"money": None, "share": 0.12, "count": 12}.get(kind, 12)
        if kind == "money":
            value = {"value": 12, "currency": question.locator(f"[name={field}Currency]").first.input_value()}
    profile.setdefault(sections[field], {})[field] = value
    page.click("#btn-answer")
    return field


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_eligibility_questionnaire_in_the_browser(server: str, page, lang: str) -> None:
    schema = json.loads(_get(server + "/api/eligibility/schema.json", "application/json")[1])
    sections = {k: s for s in ("applicant", "filing") for k in schema["properties"][s]["properties"]}
    page.set_viewport_size(WIDE)
    page.goto(f"{server}/eligibility?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    first = _post_json(server + "/api/eligibility/next-question", {"applicant": {}})["question"]
    assert page.locator("#question legend").inner_text() == first["label"][lang]  # the graph's label, in the page's language
    assert page.locator("#question .help").inner_text().startswith(first["help"][lang])
    shot(page, f"eligibility-{lang}-question-wide")
    profile: dict = {"applicant": {}}
    for step in range(5):
        field = _answer_one(page, sections, profile, skip=step == 1)
        page.wait_for_function("f => !document.querySelector('#question') || document.querySelector('#question').dataset.field !== f", arg=field)
        if not page.locator("#question").count():
            break
    assert len([k for s in ("applicant", "filing") for k in profile.get(s, {})]) + len(profile.get("unknown", [])) >= 4
    answers = page.locator("#answers").inner_text()
    assert {"ja": "わからない", "en": "I don't know"}[lang] in answers
    assert "small-enterprise" not in answers  # concepts in words, not notations
    shot(page, f"eligibility-{lang}-questions-wide")
    page.set_viewport_size(PHONE)
    shot(page, f"eligibility-{lang}-questions-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the questionnaire overflows at phone width"
    page.locator("#everything summary").click()  # the full form, open
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the full form overflows at phone width"
    page.locator("#everything summary").click()
    if page.locator("#btn-results").count():
        with page.expect_navigation():
            page.click("#btn-results")
    page.wait_for_selector("#report")
    shot(page, f"eligibility-{lang}-results-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the result overflows at phone width"
    page.set_viewport_size(WIDE)
    shot(page, f"eligibility-{lang}-results-wide")
    page.emulate_media(media="print")
    shot(page, f"eligibility-{lang}-print")
    assert page.locator("#ask-form, #everything, header.site").evaluate_all("es => es.every(e => getComputedStyle(e).display === 'none')")
    page.emulate_media(media="screen")

    expected = _post_json(server + "/api/eligibility", profile)["summary"]
    shown = {k: int(page.locator(f"[data-count={k}]").inner_text()) for k in ("eligible", "undetermined", "not-eligible")}
    assert shown == {"eligible": expected["eligible"], "undetermined": expected["undetermined"], "not-eligible": expected["notEligible"]}, profile

    cite = page.locator("article.verdict details[open] a.cite").first
    href, label = cite.get_attribute("href"), cite.inner_text().strip("[]")
    with page.expect_navigation() as navigation:
        cite.click()
    assert navigation.value.status == 200
    line = re.split(r"[: ]", label)[-1]  # jpo-ip-ecosystem-2025:1301, or an instrument's "art. 6"
    assert href.rstrip("/").endswith(line) and line in page.locator("main").inner_text()
    assert not page.outside_requests, f"the page reached outside this machine: {page.outside_requests}"
    assert not page.js_errors, page.js_errors


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_eligibility_full_form_takes_an_exchange_rate(server: str, page, lang: str) -> None:
    """The rate fields of the full form (generated from the exchangeRates declaration), filled in and
    posted: the CNIPA ceiling of 1 million yuan (003:105) decided for an income in yen, the arithmetic shown."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/eligibility?lang={lang}")
    page.locator("#everything summary").click()
    form = page.locator("#full-form")
    form.locator("[name=kind]").select_option("small-enterprise")
    form.locator("[name=country]").select_option("JP")
    form.locator("[name=office]").select_option("CN")
    form.locator("[name=previousYearTaxableIncome]").fill("20000000")
    form.locator("[name=previousYearTaxableIncomeCurrency]").select_option("JPY")
    row = form.locator(".rate-row").first
    row.locator("[name=exchangeRatesFrom]").select_option("JPY")
    row.locator("[name=exchangeRates]").fill("0.048")
    row.locator("[name=exchangeRatesTo]").select_option("CNY")
    row.locator("[name=exchangeRatesDate]").fill("2025-06-01")
    form.locator("[name=asOf]").fill("2025-06-01")
    row.scroll_into_view_if_needed()
    shot(page, f"eligibility-{lang}-rate-form-wide")
    page.set_viewport_size(PHONE)
    row.scroll_into_view_if_needed()
    shot(page, f"eligibility-{lang}-rate-form-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the rate fields overflow at phone width"
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    page.wait_for_selector("#report")
    verdict = page.locator("article.verdict:has(.conversion)").first
    verdict.locator("details").evaluate("d => { d.open = true; }")
    shown = verdict.locator(".conversion").first
    shown.scroll_into_view_if_needed()
    assert shown.inner_text() == {"en": "(20,000,000 JPY × 0.048 = 960,000 CNY (rate given by the applicant, 2025-06-01))",
                                  "ja": "(20,000,000 JPY × 0.048 = 960,000 CNY(出願人が示したレート、2025-06-01))"}[lang]
    shot(page, f"eligibility-{lang}-rate-result-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the result overflows at phone width"
    page.set_viewport_size({"width": 1280, "height": 900})
    shown.scroll_into_view_if_needed()
    shot(page, f"eligibility-{lang}-rate-result-wide")
    assert not page.outside_requests and not page.js_errors
