"""In headless Chromium (as tests/test_query_page.py): /releases, the query page's share link with the release (a
link made on another release says so), the "cite these results" box after a query, and a source document's facts,
in Japanese and English at 1280 and 390 px. Every request that would leave this machine is blocked and recorded.

Screenshots go to tests/artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest

from conftest import DEADLINE
from ipkg.web import assets

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SIZES = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
WAIT_MS = int(DEADLINE * 2000)  # a hang guard for a query and its drawing, never a speed requirement
QUERY = "PREFIX ipkg: <https://w3id.org/ipkg/def/>\nSELECT (COUNT(?f) AS ?fees) WHERE { ?f a ipkg:OfficialFee }"
OTHER = "2025-01-01+0123456789ab"  # a release this server does not hold


@pytest.fixture()
def yasgui_installed() -> None:
    if not assets.available():
        pytest.skip("YASGUI is not installed (run `ipkg assets`); tests/test_releases.py covers the page without it")


def _page(new_page, viewport: dict, lang: str):
    """A page of the shared browser (conftest.new_page) in this file's locales, with what it records."""
    page = new_page(viewport["width"], "ja" if lang == "ja" else "en-GB", height=viewport["height"])
    return page.context, page, page.outside_requests, page.js_errors


def _shot(page, name: str, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def _fits(page, viewport: dict) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide in a {viewport['width']} px viewport"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_releases_page(live_server, new_page, lang, size):
    viewport = SIZES[size]
    context, page, outside, errors = _page(new_page, viewport, lang)
    try:
        response = page.goto(f"{live_server}/releases?lang={lang}")
        version = response.headers["x-dataset-version"]
        assert page.locator("h1").inner_text() == {"ja": "リリースと変更履歴", "en": "Releases and release notes"}[lang]
        assert page.locator('[data-release="version"]').inner_text() == version
        assert page.locator("table.graphs tbody tr").count() == 10
        assert page.locator('table.tools tr[data-tool="rdflib"]').count() == 1
        assert page.locator("article.entry").first.get_attribute("data-version") == "1.6.1"
        assert page.locator('[data-duplicate="1.3.0"]').is_visible()  # the CHANGELOG's two 1.3.0 entries, said
        _fits(page, viewport)
        _shot(page, f"releases-{lang}-{size}")
        page.locator("#v1\\.4\\.0").scroll_into_view_if_needed()
        before = page.locator('#v1\\.4\\.0 .query-block[data-role="before"] .role')
        assert before.inner_text() == {"ja": "変更前", "en": "Before"}[lang]
        _shot(page, f"releases-notes-{lang}-{size}")
        with page.expect_navigation():
            page.locator("#v1\\.4\\.0 a.run").first.click()  # "Open in the query page": the Now query of the change
        assert page.url.startswith(f"{live_server}/sparql")
        page.wait_for_selector("#yasgui[data-ready=true]", timeout=WAIT_MS)
        assert page.evaluate("window.ipkgYasgui.getTab().getYasqe().getValue()") == "SELECT ?x WHERE { ?x a ipkg:Company }"
        page.locator(".tabPanel.active .yasr_results table tbody tr").nth(9).wait_for(timeout=WAIT_MS)  # the ten firms
        assert not outside, f"the page reached outside this machine: {outside}"
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_results_are_cited_and_the_share_link_names_the_release(live_server, new_page, yasgui_installed, lang, size):
    viewport = SIZES[size]
    context, page, outside, errors = _page(new_page, viewport, lang)
    try:
        response = page.goto(f"{live_server}/sparql?lang={lang}")
        held = response.headers["x-dataset-version"]
        page.wait_for_selector("#yasgui[data-ready=true]", timeout=WAIT_MS)
        assert page.locator("#release-mismatch").is_hidden()  # no shared link, nothing to warn about
        page.evaluate("q => { const t = window.ipkgYasgui.getTab(); t.setQuery(q); t.getYasqe().query(); }", QUERY)
        page.locator(".tabPanel.active .yasr_results table tbody tr").first.wait_for(timeout=WAIT_MS)
        box = page.locator("#cite-results")
        box.wait_for(state="visible", timeout=WAIT_MS)
        assert box.locator("h2").inner_text() == {"ja": "この結果の引用", "en": "Cite these results"}[lang]
        assert box.locator('[data-cite="version"]').inner_text() == held
        assert box.locator('[data-cite="endpoint"]').inner_text() == "https://w3id.org/ipkg/sparql"
        text = box.locator('[data-cite="text"]').inner_text()
        assert f"release {held}" in text and "(accessed " in text
        box.locator("summary", has_text="BibTeX").click()
        assert box.locator('[data-cite="bibtex"]').inner_text().startswith("@misc{ipkg-query-")
        box.locator("summary", has_text="CSL-JSON").click()
        csl = json.loads(box.locator('[data-cite="csl"]').inner_text())
        assert csl["type"] == "dataset" and csl["version"] == held and csl["custom"]["query"] == QUERY
        assert box.get_attribute("data-query") == QUERY
        box.scroll_into_view_if_needed()
        _fits(page, viewport)
        _shot(page, f"query-cite-{lang}-{size}")
        # the share link carries the release, encoded so that "+" survives
        page.locator("#share-button").click()
        link = page.locator("#share-link").input_value()
        fragment = urllib.parse.parse_qs(link.split("#", 1)[1])
        assert fragment == {"query": [QUERY], "release": [held]}
        assert "&release=" + urllib.parse.quote(held, safe="") in link
        assert not outside, f"the page reached outside this machine: {outside}"
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_link_shared_from_another_release_says_so(live_server, new_page, yasgui_installed, lang, size):
    viewport = SIZES[size]
    context, page, outside, errors = _page(new_page, viewport, lang)
    try:
        fragment = "query=" + urllib.parse.quote(QUERY, safe="") + "&release=" + urllib.parse.quote(OTHER, safe="")
        response = page.goto(f"{live_server}/sparql?lang={lang}#{fragment}")
        held = response.headers["x-dataset-version"]
        page.wait_for_selector("#yasgui[data-ready=true]", timeout=WAIT_MS)
        note = page.locator("#release-mismatch")
        assert note.is_visible()
        said = note.inner_text()
        assert OTHER in said and held in said
        assert {"ja": "結果が異なる場合があります", "en": "the results may differ"}[lang] in said
        assert note.locator("a").get_attribute("href") == f"/releases?lang={lang}"
        page.locator(".tabPanel.active .yasr_results table tbody tr").first.wait_for(timeout=WAIT_MS)  # it still runs
        _fits(page, viewport)
        _shot(page, f"query-other-release-{lang}-{size}")
        # the same link from this release: no warning ("+" typed unencoded arrives as a space, and is read back)
        same = page.context.new_page()
        same.goto(f"{live_server}/sparql?lang={lang}#query=" + urllib.parse.quote(QUERY, safe="") + "&release=" + held)
        same.wait_for_selector("#yasgui[data-ready=true]", timeout=WAIT_MS)
        assert same.locator("#release-mismatch").is_hidden()
        with page.expect_navigation():
            note.locator("a").click()
        assert page.url == f"{live_server}/releases?lang={lang}"
        assert not outside, f"the page reached outside this machine: {outside}"
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_document_page_says_what_the_document_states(live_server, new_page, lang, size):
    viewport = SIZES[size]
    context, page, outside, errors = _page(new_page, viewport, lang)
    try:
        page.goto(f"{live_server}/id/doc/jetro-beijing-ip-news-532.html?lang={lang}")
        facts = page.locator("#document-facts")
        assert facts.locator("h2").inner_text() == {"ja": "この文書について", "en": "About this document"}[lang]
        assert "2023-08-07" in facts.locator('[data-doc="issued"]').inner_text()
        assert facts.locator('[data-doc="publisher"] a').get_attribute("href") == "/id/authority/jetro-beijing-ip-department"
        facts.scroll_into_view_if_needed()
        _fits(page, viewport)
        _shot(page, f"document-facts-{lang}-{size}")
        assert not outside, f"the page reached outside this machine: {outside}"
        assert not errors, errors
    finally:
        context.close()
