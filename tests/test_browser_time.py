"""In headless Chromium (the session's, tests/conftest.py): the cite box of a resource page and a citation followed
to its line on the source document's page, in Japanese and English, at desktop and phone sizes.

Screenshots go to tests/artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import json

import pytest

from conftest import ARTIFACTS

SIZES = {"desktop": (1400, 1000), "phone": (390, 844)}
FEE = "/id/fee/cn-annual-invention-years-1-3.html"


def _fits(page) -> bool:
    """No horizontal scrolling: the page is as wide as the viewport."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_cite_box_and_the_cited_line(live_server: str, new_page, lang: str, size: str) -> None:
    width, height = SIZES[size]
    page = new_page(width, height=height)
    response = page.goto(f"{live_server}{FEE}?lang={lang}")
    version = response.headers["x-dataset-version"]
    box = page.locator("section.cite")
    heading = {"ja": "この資料の引用", "en": "Cite this"}[lang]
    assert box.locator("h2").inner_text() == heading
    assert page.locator('[data-cite="version"]').inner_text() == version
    text = page.locator('[data-cite="text"]').inner_text()
    title = {"ja": "発明特許年金(1~3年目)", "en": "Invention patent annual fee, years 1–3"}[lang]
    assert title in text and "lines 27, 56, 58, 59" in text
    box.locator("summary", has_text="CSL-JSON").click()
    csl = json.loads(page.locator('[data-cite="csl"]').inner_text())
    assert csl["version"] == version and csl["URL"].endswith("/id/fee/cn-annual-invention-years-1-3")
    box.locator("summary", has_text="BibTeX").click()
    assert page.locator('[data-cite="bibtex"]').is_visible()
    assert _fits(page)
    ARTIFACTS.mkdir(exist_ok=True)
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"cite-box-{lang}-{size}.png"))
    # follow the source line 59 (1~3年目:毎年900) to the document's page
    page.locator('[data-cite="sources"] a').first.click()
    page.wait_for_url("**/id/doc/cnipa-fee-guide-2025**")
    page.goto(f"{live_server}/id/doc/cnipa-fee-guide-2025.html?lang={lang}#line-59")
    row = page.locator("tr#line-59")
    assert row.is_visible() and row.locator('a[href="/id/fee/cn-annual-invention-years-1-3"]').count() == 1
    assert _fits(page)
    page.screenshot(path=str(ARTIFACTS / f"doc-lines-{lang}-{size}.png"))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_changes_page_walk(live_server: str, new_page, lang: str, size: str) -> None:
    width, height = SIZES[size]
    page = new_page(width, height=height)
    page.goto(f"{live_server}/changes?lang={lang}")
    page.fill('input[name="from"]', "2009-01-01")
    page.fill('input[name="to"]', "2010-12-31")
    page.locator('form.range button[type="submit"]').click()
    page.wait_for_url("**/changes?from=2009-01-01&to=2010-12-31**")
    jilin = page.locator('tr[data-change="amended"][data-subject$="/condition/jilin-ftm-years-in-use-2007"]')
    assert jilin.locator('[data-value="threshold"]').inner_text() == {"ja": "閾値: 3 → 1", "en": "threshold: 3 → 1"}[lang]
    yunnan = page.locator('tr[data-change="amended"][data-subject$="/benefit/yunnan-funding-invention-domestic-service-granted-2004"]')
    assert "1270 → 1570" in yunnan.inner_text()
    assert {"ja": "改正", "en": "amended"}[lang] in jilin.inner_text()
    assert _fits(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"changes-{lang}-{size}.png"))
    jilin.locator("td").nth(3).locator("a").first.click()  # a cited line, on the document's page
    page.wait_for_url("**/id/doc/cn-local-regulations-ch4.html#line-**")
    line = page.url.rsplit("#line-", 1)[-1]
    assert page.locator(f"tr#line-{line}").locator('a[href$="/condition/jilin-ftm-years-in-use-2007"]').count() == 1


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_timeline_and_as_of_walk(live_server: str, new_page, lang: str, size: str) -> None:
    width, height = SIZES[size]
    page = new_page(width, height=height)
    page.goto(f"{live_server}/id/programme/jilin-famous-trademark-recognition?lang={lang}")  # 303 to the page, lang kept
    page.fill('input[name="asOf"]', "2009-01-01")
    page.locator('section[aria-labelledby="asof"] button[type="submit"]').click()
    page.wait_for_url("**asOf=2009-01-01**")
    old = page.locator('li[data-part$="/condition/jilin-ftm-years-in-use-2007"] [data-in-force]')
    new = page.locator('li[data-part$="/condition/jilin-ftm-years-in-use"] [data-in-force]')
    assert (old.get_attribute("data-in-force"), new.get_attribute("data-in-force")) == ("true", "false")
    assert old.inner_text() == {"ja": "有効", "en": "in force"}[lang]
    timeline = page.locator("ol.timeline")
    assert timeline.locator('li[data-change="version-ended"]').first.inner_text().startswith("2010-11-25")
    assert _fits(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#asof").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"timeline-{lang}-{size}.png"))
    # the other version, as of the same date, from the list
    page.locator('li[data-part$="/condition/jilin-ftm-years-in-use"] a').click()
    page.wait_for_url("**/id/condition/jilin-ftm-years-in-use.html?asOf=2009-01-01**")
    assert page.locator("#as-of-state [data-in-force]").get_attribute("data-in-force") == "false"
