"""Search and browse in a real headless Chromium, as a person would: search in three scripts, click a
facet, open a result; the browse pages; screenshots at 1400x1000 and 390x844 in Japanese and English
(tests/artifacts/search-*.png, browse-*.png), in the session's Chromium (tests/conftest.py); skips when it is missing."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from conftest import DEADLINE, LOCAL_HOSTS, PHONE, WIDE, shot

SEARCHES = [("ja", "著名商標"), ("zh", "专利"), ("en", "famous trademark")]


def _api(base: str, **params) -> dict:
    with urllib.request.urlopen(f"{base}/api/search?{urllib.parse.urlencode(params)}", timeout=DEADLINE) as response:
        return json.loads(response.read())


def _page_lang(script: str) -> str:
    return "en" if script == "en" else "ja"


@pytest.mark.parametrize("script, q", SEARCHES)
def test_search_click_a_facet_open_a_result(server: str, page, script: str, q: str) -> None:
    lang = _page_lang(script)
    page.set_viewport_size(WIDE)
    page.goto(f"{server}/search?lang={lang}")
    box = page.locator("main form[role=search] input[name=q]")
    box.fill(q)
    box.press("Enter")
    page.wait_for_selector("ol.hits li")
    assert page.locator("html").get_attribute("lang") == lang
    expected = _api(server, q=q, lang=lang)
    assert page.locator("ol.hits li a.title").first.inner_text() == expected["hits"][0]["label"]
    assert str(expected["total"]) in page.locator("#summary").inner_text()
    assert page.locator("ol.hits mark").count() > 0
    shot(page, f"search-{script}-{lang}-wide")

    facet = page.locator("nav.facets a[data-facet=jurisdiction]").first
    value, count = facet.get_attribute("data-value"), int(facet.locator("xpath=following-sibling::span").inner_text())
    facet.click()
    page.wait_for_url(f"**jurisdiction={value}**")
    filtered = _api(server, q=q, lang=lang, jurisdiction=value)
    assert filtered["total"] == count
    assert str(count) in page.locator("#summary").inner_text()
    assert page.locator(f"nav.facets a[data-value={value}][aria-current=true]").count() == 1
    page.locator("ul.chips a").first.click()  # the chip takes the filter off again
    page.wait_for_function("() => !location.search.includes('jurisdiction=')")
    assert str(expected["total"]) in page.locator("#summary").inner_text()

    page.set_viewport_size(PHONE)
    shot(page, f"search-{script}-{lang}-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing wider than the phone

    first = page.locator("ol.hits li a.title").first
    label, href = first.inner_text(), first.get_attribute("href")
    first.click()
    page.wait_for_url(f"**{href}*")
    assert page.locator("h1").first.inner_text().strip() != ""
    assert label in page.content() or href.rsplit("/", 1)[-1] in page.content()
    assert urllib.parse.urlsplit(page.url).hostname in LOCAL_HOSTS and not page.outside_requests and not page.js_errors


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_browse_programmes_by_facet(server: str, page, lang: str) -> None:
    page.set_viewport_size(WIDE)
    page.goto(f"{server}/browse?lang={lang}")
    shot(page, f"browse-{lang}-wide")
    page.locator(".card a[href*='/browse/programmes?jurisdiction=cn&']").first.click()
    page.wait_for_selector("ol.items li")
    page.locator("nav.facets a[data-facet=right][data-value=patent-cn]").first.click()
    page.wait_for_url("**right=patent-cn**")
    page.fill("form.date input[name=inForceOn]", "2024-01-01")
    page.locator("form.date button").click()
    page.wait_for_url("**inForceOn=2024-01-01**")
    assert "jurisdiction=cn" in page.url and "right=patent-cn" in page.url  # the date keeps the facets
    assert page.locator("ol.items li").count() > 0
    shot(page, f"browse-programmes-{lang}-wide")
    page.set_viewport_size(PHONE)
    shot(page, f"browse-programmes-{lang}-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not page.outside_requests and not page.js_errors
