"""The 404 page a browser gets for an IRI that names nothing, in real headless Chromium (see test_browser.py).

In English and in Japanese, on a desktop and a phone viewport: the closest resource is offered and leads
to its page, the search form and the site's navigation are there, the favicon loads from this server,
nothing overflows the phone's width, and nothing leaves this machine. Screenshots in tests/artifacts/.
"""

from __future__ import annotations

import pytest

from test_browser import ARTIFACTS, LOCAL_HOSTS, browser, server  # noqa: F401  (fixtures, and the module's skip conditions)

TYPO = "/id/programme/cnipa-patent-fee-reductoin"
MEANT = "/id/programme/cnipa-patent-fee-reduction"
HEADINGS = {"en": "404 Not found", "ja": "404 見つかりません"}
LABELS = {"en": "CNIPA patent fee reduction", "ja": "料金減免"}


@pytest.mark.parametrize("viewport", [(1400, 1000), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_not_found_page_in_a_browser(server, browser, lang, viewport) -> None:  # noqa: F811
    import urllib.parse

    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP" if lang == "ja" else "en-US")
    outside: list[str] = []

    def guard(route) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host not in LOCAL_HOSTS:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
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
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"not-found-{lang}-{width}x{height}.png"), full_page=False)
        with page.expect_navigation():
            first.click()
        assert page.url == server + MEANT + ".html"  # the 303 to the thing's page
        assert LABELS["en"] in page.content() or LABELS["ja"] in page.content()
        assert not outside, f"the page reached outside this machine: {outside}"
        assert not errors, errors
    finally:
        context.close()
