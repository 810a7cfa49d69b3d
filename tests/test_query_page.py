"""The query page that scales (/sparql's catalogue menu, /queries pages, /api/terms) and the compare form, as a person
uses them: server-rendered pages through the Flask client, then the same pages in headless Chromium with Playwright.

The browser tests use the session's Chromium (tests/conftest.py: Debian's /usr/bin/chromium, every request that
would leave this machine recorded and blocked), screenshots at 1400×1000 and 390×844 (ja and en) in tests/artifacts/. They skip,
saying why, when chromium or Playwright is missing; the client tests run regardless.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from conftest import DEADLINE, PHONE, WIDE, shot
from ipkg import catalog
from ipkg.web import assets
from ipkg.web.queries_page import declared, shorten

ID = "https://w3id.org/ipkg/id/"
WAIT_MS = int(DEADLINE * 2000)  # a hang guard for a query and its drawing, never a speed requirement


# ---- server-rendered, without a browser ------------------------------------------------------------

def test_shortening_uses_the_query_prefixes_then_its_base():
    prefixes, base = declared("PREFIX ipkg: <https://w3id.org/ipkg/def/>\nPREFIX : <http://example.org/>\nBASE <https://w3id.org/ipkg/id/>\nSELECT")
    assert prefixes == {"ipkg": "https://w3id.org/ipkg/def/", "": "http://example.org/"} and base == ID
    assert shorten("https://w3id.org/ipkg/def/Programme", prefixes, base) == "ipkg:Programme"
    assert shorten(ID + "fee/cn-application-invention", prefixes, base) == "<fee/cn-application-invention>"
    assert shorten("http://www.w3.org/2001/XMLSchema#integer", {}, None) == "xsd:integer"  # the project's prefixes next
    assert shorten("http://example.org/a/b", prefixes, base) == "<http://example.org/a/b>"  # a path is not a local name


def test_the_catalogue_page_groups_every_query_by_source_and_theme(client, built):
    page = html.unescape(client.get("/queries").get_data(as_text=True))
    queries = catalog.load(built.root / "queries")
    for q in queries.values():
        assert f'href="/queries/{q.name}"' in page and q.title in page
    for family in {q.family for q in queries.values()}:
        assert f"<h2>{family}</h2>" in page
    assert queries["cnipa-fee-schedule"].family == "CNIPA fee guide (source 003)"
    assert queries["ftm-fines"].theme == "Sanctions"
    found = client.get("/queries", query_string={"q": "annual fee"}).get_data(as_text=True)
    assert "/queries/cnipa-annual-fee-for-year" in found and "/queries/ftm-fines" not in found


def test_a_catalogue_query_runs_on_its_page_without_javascript(client):
    r = client.get("/queries/cnipa-annual-fee-for-year", query_string={"year": "7", "run": "1"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="results-table"' in page
    table = page[page.index('id="results-table"'):page.index("</table>", page.index('id="results-table"'))]
    assert '<a class="iri" href="/id/fee/cn-annual-invention-years-7-9"' in table  # the local page, same origin
    assert "&lt;fee/cn-annual-invention-years-7-9&gt;" in table  # shortened by the query's BASE
    assert "<td>2000</td>" in table and "7~9年:毎年2000" in table  # 003:61
    assert "w3id.org" not in table.replace('title="https://w3id.org', "") and "_blank" not in table
    assert 'href="/api/queries/cnipa-annual-fee-for-year?right=' in page and "format=csv" in page and "format=json" in page
    share = re.search(r'href="(/queries/cnipa-annual-fee-for-year\?[^"]*run=1)" id="share"', page)
    assert share and "year=7" in html.unescape(share.group(1))
    other = client.get("/queries/cnipa-annual-fee-for-year", query_string={"year": "4", "right": ID + "concept/ip-right/design", "run": "1"})
    assert "cn-annual-design-years-4-5" in other.get_data(as_text=True)  # 900 for years 4–5 of a design (003:66)


def test_bad_parameters_and_unknown_queries_are_said(client):
    r = client.get("/queries/cnipa-annual-fee-for-year", query_string={"year": "seven", "run": "1"})
    assert r.status_code == 400 and "parameter &#39;year&#39; must be integer" in r.get_data(as_text=True)
    r = client.get("/queries/cnipa-annual-fee-for-year", query_string={"colour": "red", "run": "1"})
    assert r.status_code == 400 and "unknown parameter(s) colour" in r.get_data(as_text=True)
    missing = client.get("/queries/no-such-query")
    assert missing.status_code == 404 and "no catalogue query named" in missing.get_data(as_text=True)


def test_terms_for_the_editor_are_the_graphs_own(client):
    terms = client.get("/api/terms").get_json()
    assert terms["prefixes"]["ipkg"] == "https://w3id.org/ipkg/def/" and terms["prefixes"]["id"] == ID
    assert "https://w3id.org/ipkg/def/Programme" in terms["classes"] and "https://w3id.org/ipkg/def/OfficialFee" in terms["classes"]
    assert "http://data.europa.eu/m8g/hasValue" in terms["properties"] and "https://w3id.org/ipkg/def/feeCategory" in terms["properties"]
    assert not any("prefix.cc" in v or "lov.linkeddata" in v for v in terms["prefixes"].values())


def test_the_sparql_page_offers_a_grouped_menu_and_no_tab_per_query(client, built):
    page = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="catalogue-menu"' in page and 'id="catalogue-filter"' in page
    for q in catalog.load(built.root / "queries").values():
        assert f'data-name="{q.name}"' in page
    assert "addTab" not in page and "static/query.js" in page


def test_pages_without_chart_js_say_so_and_keep_their_tables(client, monkeypatch):
    monkeypatch.setattr(assets, "extra_available", lambda extra, vendor_root=assets.VENDOR.parent: False)
    page = client.get("/queries/funding-pct-amounts", query_string={"run": "1"}).get_data(as_text=True)
    assert 'id="no-chart"' in page and 'id="results-table"' in page and "chart.umd.min.js" not in page
    compare = client.get("/compare", query_string={"right": "invention-patent", "applicantKind": "individual"}).get_data(as_text=True)
    assert 'id="no-chart"' in compare and 'id="costs-table"' in compare


def test_assets_copies_the_pinned_chart_library(tmp_path):
    project = tmp_path / "p"
    for package, build, files in (("@zazuko/yasgui", "build", assets.FILES), ("chart.js", "dist", assets.CHART.files)):
        folder = project / "node_modules" / package
        (folder / build).mkdir(parents=True)
        (folder / "package.json").write_text(json.dumps({"version": "4.6.2" if package.startswith("@") else "4.6.1"}))
        for name in files:
            (folder / build / name).write_text(f"/* {name} */")
    (project / "package.json").write_text(json.dumps({"dependencies": {"@zazuko/yasgui": "4.6.2", "chart.js": "4.6.1"}}))
    vendor = tmp_path / "vendor" / "yasgui"
    assets.install(project, run_npm=False, vendor=vendor)
    assert assets.extra_available(assets.CHART, vendor.parent)
    assert (vendor.parent / "chartjs" / "VERSION").read_text().strip() == "4.6.1"
    (project / "package.json").write_text(json.dumps({"dependencies": {"@zazuko/yasgui": "4.6.2", "chart.js": "^4.6.1"}}))
    with pytest.raises(assets.AssetError, match="exact version"):
        assets.install(project, run_npm=False, vendor=vendor)


def test_the_pinned_versions_are_in_package_json(built):
    spec = json.loads((built.root / "package.json").read_text())["dependencies"]
    assert spec["chart.js"] == "4.6.1" and spec["@zazuko/yasgui"][:1].isdigit()


# ---- in the browser --------------------------------------------------------------------------------

def _fits(page, viewport: dict) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide in a {viewport['width']} px viewport"


@pytest.fixture()
def yasgui_installed() -> None:
    if not assets.available() or not assets.extra_available(assets.CHART):
        pytest.skip("YASGUI or Chart.js is not installed (run `ipkg assets`); the client tests cover the pages without them")


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400", "390"])
def test_run_a_catalogue_query_from_the_menu_chart_it_and_follow_an_iri(live_server, new_page, yasgui_installed, viewport):
    page = new_page(viewport["width"], "en-GB", height=viewport["height"])
    page.goto(live_server + "/sparql")
    page.wait_for_selector("#yasgui[data-ready=true]", timeout=WAIT_MS)
    page.locator("#catalogue-menu > summary").click()
    page.locator("#catalogue-filter").fill("annual fee")
    visible = page.eval_on_selector_all("#catalogue-menu li:not([hidden]) a.item", "as => as.map(a => a.dataset.name)")
    assert "cnipa-annual-fee-for-year" in visible and "ftm-fines" not in visible
    shot(page, f"query-page-menu-{viewport['width']}")
    page.locator("#catalogue-menu a.item[data-name=cnipa-annual-fee-for-year]").click()
    cell = page.locator(".tabPanel.active .yasr_results a.iri[href='/id/fee/cn-annual-invention-years-7-9']")
    cell.first.wait_for(timeout=WAIT_MS)
    assert cell.first.inner_text() == "fee/cn-annual-invention-years-7-9" and cell.first.get_attribute("target") is None
    assert "2000" in page.locator(".tabPanel.active .yasr_results").inner_text()  # 003:61
    _fits(page, viewport)
    shot(page, f"query-page-results-{viewport['width']}")
    page.locator(".tabPanel.active .select_chart").click()
    page.wait_for_selector("#yasr-chart[data-ready=true]", timeout=WAIT_MS)
    assert page.locator(".tabPanel.active .chart-value").input_value() == "amount"  # not the source line number
    page.locator(".tabPanel.active .chart-kind").select_option("line")
    page.wait_for_selector("#yasr-chart[data-kind=line]", timeout=WAIT_MS)
    _fits(page, viewport)
    shot(page, f"query-page-chart-{viewport['width']}")
    page.locator(".tabPanel.active .select_table").click()
    with page.expect_navigation():
        page.locator(".tabPanel.active .yasr_results a.iri[href='/id/fee/cn-annual-invention-years-7-9']").first.click()
    assert page.url.startswith(live_server + "/id/fee/cn-annual-invention-years-7-9")  # the local page, not w3id.org
    assert "Invention patent annual fee, years 7–9" in page.locator("body").inner_text()
    assert not page.outside_requests, f"the page reached outside this machine: {page.outside_requests}"
    assert not page.js_errors, page.js_errors


def test_share_link_reopens_the_query_and_the_editor_completes_local_terms(live_server, new_page, yasgui_installed):
    page = new_page(WIDE["width"], "en-GB", height=WIDE["height"])
    page.goto(live_server + "/sparql")
    page.wait_for_selector("#yasgui[data-ready=true]", timeout=WAIT_MS)
    query = "PREFIX ipkg: <https://w3id.org/ipkg/def/>\nSELECT (COUNT(?f) AS ?fees) WHERE { ?f a ipkg:OfficialFee }"
    page.evaluate("q => { window.ipkgYasgui.getTab().setQuery(q); }", query)
    page.locator("#share-button").click()
    link = page.locator("#share-link").input_value()
    assert link.startswith(live_server + "/sparql#query=")
    other = page.context.new_page()
    other.goto(link)
    other.wait_for_selector("#yasgui[data-ready=true]", timeout=WAIT_MS)
    assert other.evaluate("window.ipkgYasgui.getTab().getYasqe().getValue()") == query
    other.locator(".tabPanel.active .yasr_results table tbody tr").first.wait_for(timeout=WAIT_MS)
    assert "46" in other.locator(".tabPanel.active .yasr_results").inner_text()  # the official fees of the graph
    # autocompletion of the graph's own classes, read from /api/terms (never LOV or prefix.cc)
    completers = page.evaluate("window.ipkgYasgui.getTab().getYasqe().config.autocompleters")
    assert completers == ["ipkgPrefixes", "ipkgClasses", "ipkgProperties", "variables"]
    page.evaluate("""() => { const y = window.ipkgYasgui.getTab().getYasqe();
        y.setValue('PREFIX ipkg: <https://w3id.org/ipkg/def/>\\nSELECT * WHERE { ?s a ipkg:OfficialF');
        y.focus(); y.setCursor(y.lineCount() - 1, 1000); y.autocomplete(); }""")
    hint = page.locator(".CodeMirror-hints li", has_text="ipkg:OfficialFee")
    hint.first.wait_for(timeout=WAIT_MS)
    assert page.evaluate("performance.getEntriesByType('resource').some(e => e.name.endsWith('/api/terms'))")
    assert not page.outside_requests, f"the editor reached outside this machine: {page.outside_requests}"
    assert not page.js_errors, page.js_errors


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400", "390"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_fill_the_compare_form(live_server, new_page, viewport, lang):
    page = new_page(viewport["width"], "ja-JP" if lang == "ja" else "en-GB", height=viewport["height"])
    page.goto(f"{live_server}/compare?lang={lang}")
    page.select_option("#f-right", "invention-patent")
    page.select_option("#f-applicantKind", "individual")
    page.fill("#f-claims", "15")
    page.fill("#f-years", "3")
    page.select_option("#f-status", "granted")
    page.fill("#f-asOf", "2025-06-01")
    for key in ("cn", "jp", "cn-anhui", "cn-shandong"):
        page.locator(f"input[name=jurisdiction][value='{key}']").check()
    shot(page, f"compare-form-{lang}-{viewport['width']}")
    with page.expect_navigation():
        page.locator("#compare-submit").click()
    net = {cell.get_attribute("data-key"): cell.inner_text() for cell in page.locator("#costs-table td.net").all()}
    assert "6,900 CNY" in net["cn"] and "1,900 CNY" in net["cn-anhui"]  # CNIPA fees; less Anhui's 5,000 on grant
    assert ("missing" if lang == "en" else "不明") in net["jp"]  # the JPO's amounts are not in the sources
    _fits(page, viewport)
    page.locator("#costs").scroll_into_view_if_needed()
    shot(page, f"compare-costs-{lang}-{viewport['width']}")
    if assets.extra_available(assets.CHART):
        page.wait_for_selector("#compare-chart[data-ready=true]", timeout=WAIT_MS)
        page.locator("#chart").scroll_into_view_if_needed()
        shot(page, f"compare-chart-{lang}-{viewport['width']}")
    page.locator("#conditions").scroll_into_view_if_needed()
    shot(page, f"compare-conditions-{lang}-{viewport['width']}")
    with page.expect_response(lambda r: "/api/compare" in r.url and "format=csv" in r.url) as csv_response:
        page.locator("#dl-csv").click()
    assert csv_response.value.status == 200
    assert not page.outside_requests, f"the page reached outside this machine: {page.outside_requests}"
    assert not page.js_errors, page.js_errors


def test_a_catalogue_page_runs_and_charts_in_the_browser(live_server, new_page, yasgui_installed):
    page = new_page(PHONE["width"], "en-GB", height=PHONE["height"])
    page.goto(live_server + "/queries")
    page.locator("#q-funding-pct-amounts a").click()
    with page.expect_navigation():
        page.locator("#run").click()
    assert page.locator("#results-table tbody tr").count() > 0
    page.wait_for_selector("#results-chart[data-ready=true]", timeout=WAIT_MS)
    _fits(page, PHONE)
    shot(page, "queries-page-390")
    assert not page.outside_requests and not page.js_errors, (page.outside_requests, page.js_errors)
