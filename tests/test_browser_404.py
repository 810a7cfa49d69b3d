"""The 404 page a browser gets for an IRI that names nothing, in real headless Chromium (the session's, tests/conftest.py).

In English and in Japanese, on a desktop and a phone viewport: the closest resource is offered and leads
to its page, the search form and the site's navigation are there, the favicon loads from this server,
nothing overflows the phone's width, and nothing leaves this machine. Screenshots in tests/artifacts/.
"""

from __future__ import annotations

import pytest

from conftest import shot

TYPO = "/id/programme/cnipa-patent-fee-reductoin"
MEANT = "/id/programme/cnipa-patent-fee-reduction"
HEADINGS = {"en": "404 Not found", "ja": "404 見つかりません"}
LABELS = {"en": "CNIPA patent fee reduction", "ja": "料金減免"}


@pytest.mark.parametrize("viewport", [(1400, 1000), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_not_found_page_in_a_browser(server, new_page, lang, viewport) -> None:
    width, height = viewport
    page = new_page(width, lang, height=height)
    response = page.goto(server + TYPO)
    assert response.status == 404 and response.headers["content-type"].startswith("text/html")
    assert page.locator("h1").inner_text() == HEADINGS[lang]
    assert page.locator("html").get_attribute("lang") == lang
    first = page.locator("#suggestions li a").first
    assert first.get_attribute("href") == MEANT and first.inner_text() == LABELS[lang]
    search = page.locator("main form[role=search]")
    assert search.get_attribute("action") == "/search" and page.locator("#q").input_value().endswith("reductoin")
    assert page.locator("nav[aria-label=site] a").count() >= 5
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(server + icon).status == 200
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the {width}px viewport"
    shot(page, f"not-found-{lang}-{width}x{height}")
    with page.expect_navigation():
        first.click()
    assert page.url == server + MEANT + ".html"  # the 303 to the thing's page
    assert LABELS["en"] in page.content() or LABELS["ja"] in page.content()
    assert not page.outside_requests, f"the page reached outside this machine: {page.outside_requests}"
    assert not page.js_errors, page.js_errors
