"""The open pages as the public sees them: every page reachable from /oppen/ without a login, at
320 CSS pixels and through axe-core, and at 1366 and 390 px as screenshots."""

from __future__ import annotations

import pytest

from tests.browser.conftest import RUN_AXE, WCAG_AA_TAGS, format_violations
from tests.browser.test_every_reachable_page import OVERFLOWING, PHONE, crawl

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def no_cache(settings):
    settings.OPEN_PAGES_CACHE_SECONDS = 0


def test_every_open_page_reflows_and_passes_axe(municipality, new_page, live_server,
                                                axe_source):
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto("/oppen/")
    problems, visited = [], []
    for url, referrer in crawl(page, live_server.url, start="/oppen/"):
        if not url.startswith("/oppen/"):
            continue  # the login page is the signed-in crawl's
        response = page.goto(url)
        visited.append(url)
        if response is None or response.status != 200:
            problems.append(f"{url} (länk från {referrer}) svarade "
                            f"{response.status if response else None}")
            continue
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{url} är {width} px bred vid 320 px: {page.evaluate(OVERFLOWING)}")
        page.evaluate(axe_source)
        violations = page.evaluate(RUN_AXE, WCAG_AA_TAGS)
        if violations:
            problems.append(format_violations(url, violations))
    assert len(visited) >= 8, visited
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_open_pages_at_desktop_and_phone_width(municipality, new_page, screenshot, width):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    for path, name in (("/oppen/", "oppen-start"), ("/oppen/mal/2026/", "oppen-mal"),
                       ("/oppen/budget/2026/", "oppen-budget"),
                       ("/oppen/tillganglighet/", "oppen-tillganglighet")):
        page.goto(path)
        screenshot(page, f"{name}-{width}")
    # On a phone the menu folds behind "Meny" and opens without script.
    if width == 390:
        page.get_by_role("link", name="Meny").click()
        page.get_by_role("link", name="Öppna data").first.click()
        assert page.url.endswith("/oppen/data/")
