"""In headless Chromium (the session's browser, tests/conftest.py): from /timeline to Jilin's timeline to the resource page of
its 2010-11-26 amendment, in Japanese and English, at desktop (1280) and phone (390) widths.

Screenshots go to tests/artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
OLD = "/condition/jilin-ftm-years-in-use-2007"


def _fits(page) -> bool:
    """No horizontal scrolling: the page is as wide as the viewport."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_timeline_walk(live_server: str, new_page, lang: str, size: str) -> None:
    width, height = SIZES[size]
    page = new_page(width, height=height)  # the session's browser (conftest); requests leaving the machine are blocked
    try:
        page.goto(f"{live_server}/timeline?lang={lang}")
        heading = {"ja": "年表のある法域", "en": "Jurisdictions with a timeline"}[lang]
        assert page.locator("#list-jurisdiction").inner_text() == heading
        assert page.locator('[data-scope-list="theme"] a[data-value="trademark"]').count() == 1
        assert _fits(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"timeline-index-{lang}-{size}.png"))
        page.locator('[data-scope-list="jurisdiction"] a[data-value="cn-jilin"]').click()
        page.wait_for_url("**/timeline?jurisdiction=cn-jilin**")
        assert page.locator('[data-scope="jurisdiction"]').inner_text() == {"ja": "吉林省", "en": "Jilin"}[lang]
        assert page.locator('select[name="jurisdiction"]').input_value() == "cn-jilin"
        amendment = page.locator(f'tr[data-change="amended"][data-subject$="{OLD}"]')
        assert amendment.get_attribute("data-date") == "2010-11-26"
        assert amendment.locator('[data-value="threshold"]').inner_text() == {"ja": "閾値: 3 → 1", "en": "threshold: 3 → 1"}[lang]
        assert {"ja": "改正", "en": "amended"}[lang] in amendment.inner_text()
        years = [int(h) for h in page.locator("section h2[id^=year-]").all_inner_texts()]
        assert years == sorted(years) and {2007, 2010} <= set(years)
        assert _fits(page)
        page.screenshot(path=str(ARTIFACTS / f"timeline-jilin-{lang}-{size}.png"), full_page=True)
        amendment.locator(f'a[href*="{OLD}?"]').first.click()  # the event's resource page
        page.wait_for_url(lambda url: url.endswith(f"{OLD}.html?lang={lang}"))
        history = page.locator("ol.timeline")
        assert history.locator('li[data-change="version-ended"]').first.inner_text().startswith("2010-11-25")
        assert _fits(page)
        page.screenshot(path=str(ARTIFACTS / f"timeline-resource-{lang}-{size}.png"))
        assert not page.outside_requests, page.outside_requests
    finally:
        page.context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_timeline_period_form(live_server: str, new_page, lang: str, size: str) -> None:
    """The form's two date fields narrow Jilin's timeline to 2010, the year of its amendment, and the page
    keeps the period in its fields, its count line and its JSON link."""
    width, height = SIZES[size]
    page = new_page(width, height=height)
    try:
        page.goto(f"{live_server}/timeline?jurisdiction=cn-jilin&lang={lang}")
        assert page.locator("section h2#year-2007").count() == 1
        page.locator('input[name="from"]').fill("2010-01-01")
        page.locator('input[name="to"]').fill("2010-12-31")
        page.locator("form.range button[type=submit]").click()
        page.wait_for_url(lambda url: "from=2010-01-01&to=2010-12-31" in url)  # the form also sends theme= ("any") and lang
        assert page.locator('input[name="from"]').input_value() == "2010-01-01"
        assert page.locator('input[name="to"]').input_value() == "2010-12-31"
        dates = page.locator("tr[data-date]").evaluate_all("rows => rows.map(r => r.dataset.date)")
        assert dates and all(d.startswith("2010-") for d in dates), dates
        assert page.locator(f'tr[data-change="amended"][data-subject$="{OLD}"]').get_attribute("data-date") == "2010-11-26"
        assert page.locator("section h2[id^=year-]").all_inner_texts() == ["2010"]
        period = {"ja": "(2010-01-01〜2010-12-31)", "en": "(from 2010-01-01 to 2010-12-31)"}[lang]
        assert page.locator("#period").inner_text() == period
        assert page.locator('#count a[type="application/json"]').get_attribute("href") == \
            "/api/timeline?jurisdiction=cn-jilin&from=2010-01-01&to=2010-12-31"
        other = {"ja": "en", "en": "ja"}[lang]
        assert "from=2010-01-01&to=2010-12-31" in (page.locator(f'.switch a[hreflang="{other}"]').get_attribute("href") or "")
        assert _fits(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"timeline-period-{lang}-{size}.png"), full_page=True)
        assert not page.outside_requests, page.outside_requests
    finally:
        page.context.close()
