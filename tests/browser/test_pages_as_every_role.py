"""The pages in headless Chromium, as every demo role: they load, read right and pass axe-core.

Each page visited is saved as a full-page screenshot in test-artifacts/screenshots/ and checked
against WCAG 2.1 A and AA with axe-core.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from styrmodell import demo
from tests.browser.conftest import VIEWPORT, save_screenshot

pytestmark = pytest.mark.browser

BUN = "Barn- och utbildningsnämnden"


@pytest.mark.parametrize("username", demo.DEMO_LOGINS)
def test_start_organisation_and_namnd_pages_for_every_role(username, login, assert_accessible):
    page = login(username)
    expect(page.locator("h1")).to_have_text("Mina uppgifter")
    assert_accessible(page, f"{username}-start")
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        save_screenshot(page, f"{username}-start-{width}")
    page.set_viewport_size(VIEWPORT)

    main_menu = page.get_by_role("navigation", name="Huvudmeny")
    main_menu.get_by_role("link", name="Organisation").click()
    expect(page.locator("h1")).to_have_text("Organisation")
    assert_accessible(page, f"{username}-organisation")

    page.get_by_role("link", name=BUN, exact=True).click()
    expect(page.locator("h1")).to_contain_text(BUN)
    expect(page.get_by_role("heading", name="Roller i dag")).to_be_visible()
    assert_accessible(page, f"{username}-bun")


ADMIN_PAGES = [
    ("personer", "/personer/", "Personer"),
    ("budgetar", "/budgetar/", "Budgetår och kalender"),
    ("budgetar-2026", "/budgetar/2026/", "Budgetår 2026"),
    ("mandatperioder", "/mandatperioder/", "Mandatperioder"),
    ("behorigheter", "/behorigheter/", "Behörigheter"),
    ("organisation-ny", "/organisation/ny/", "Ny organisationsenhet"),
]


def test_admin_pages(login, assert_accessible):
    page = login("admin")
    for name, path, heading in ADMIN_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response}"
        expect(page.locator("h1")).to_contain_text(heading)
        assert_accessible(page, f"admin-{name}")


# Wider than the viewport by more than rounding: what makes the page itself scroll sideways.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.closest('.table-wrap'))
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
    .slice(0, 10);
}"""


def test_pages_reflow_at_320_css_pixels(municipality, login, assert_accessible):
    """WCAG 1.4.10: at 320 px (400 % zoom) nothing but a data table scrolls sideways."""
    page = login("admin")
    page.set_viewport_size({"width": 320, "height": 640})
    pages = [
        ("start", "/"),
        ("organisation", "/organisation/"),
        ("bun", municipality["bun"].get_absolute_url()),
        ("budgetar", "/budgetar/"),
        ("budgetar-2026", "/budgetar/2026/"),
        ("behorigheter", "/behorigheter/"),
        ("organisation-ny", "/organisation/ny/"),
    ]
    for name, path in pages:
        page.goto(path)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        overflowing = page.evaluate(OVERFLOWING) if scroll_width > 320 else []
        assert scroll_width <= 320, f"{path} är {scroll_width} px bred: {overflowing}"
        assert_accessible(page, f"admin-320px-{name}")


def test_empty_form_shows_an_accessible_error_summary(login, assert_accessible):
    page = login("admin")
    page.goto("/organisation/ny/")
    page.get_by_role("button", name="Spara").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Något behöver rättas")
    expect(summary.get_by_role("link", name="Namn: Detta fält måste fyllas i.")).to_be_visible()
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "admin-organisation-ny-fel")

    summary.get_by_role("link", name="Namn: Detta fält måste fyllas i.").click()
    expect(page.locator("#id_name")).to_be_focused()


def test_failed_login_says_so_in_swedish(municipality, new_page, assert_accessible):
    page = new_page()
    page.goto("/logga-in/")
    assert_accessible(page, "anonym-logga-in")

    page.fill("#id_username", "admin")
    page.fill("#id_password", "fel-lösenord")
    page.get_by_role("button", name="Logga in").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Ange ett korrekt användarnamn och lösenord")
    expect(page.locator("h1")).to_have_text("Logga in")
    expect(page.locator("#id_username")).to_have_value("admin")
    assert_accessible(page, "anonym-logga-in-fel")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "utan-js"])
def test_dialogue_comment_on_the_namnd_page(
    javascript, municipality, login, assert_accessible, screenshot
):
    page = login("bun.ordforande", javascript=javascript)
    page.goto(municipality["bun"].get_absolute_url())
    dialogue = page.locator("#dialog")
    expect(dialogue.get_by_text("Inga inlägg ännu.")).to_be_visible()
    send = dialogue.get_by_role("button", name="Skicka inlägg")
    if javascript:
        # Marks this document: it survives an htmx swap, not a full page load.
        page.evaluate("() => { window.sameDocument = true; }")
        send.click()
        expect(dialogue.locator("#error-summary")).to_contain_text("Detta fält måste fyllas i.")
        expect(dialogue.get_by_label("Ditt inlägg")).to_have_attribute("aria-invalid", "true")
        assert_accessible(page, "bun.ordforande-bun-dialog-fel")

    text = "Hur går det med lokalförsörjningen för förskolan?"
    dialogue.get_by_label("Ditt inlägg").fill(text)
    send.click()

    entry = dialogue.locator(".dialogue__entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(text)
    expect(entry).to_contain_text("Britt Ulfsdotter")
    expect(dialogue.get_by_label("Ditt inlägg")).to_have_value("")
    expect(dialogue.locator("#error-summary")).to_have_count(0)
    if javascript:
        assert page.evaluate("() => window.sameDocument === true"), "htmx bytte inte ut avsnittet"
        expect(send).to_be_focused()  # keyboard users stay where they were
        assert_accessible(page, "bun.ordforande-bun-dialog")
    else:
        # Without JS the form posts normally and the server sends the browser back to #dialog.
        assert page.url.endswith("#dialog")
        screenshot(page, "bun.ordforande-bun-dialog-utan-js")



def test_the_main_menu_folds_on_a_phone_and_opens_without_script(login):
    """WCAG 1.4.10: on a phone the menu folds behind "Meny"; it opens and closes by links to
    itself (:target), so it works with JavaScript off."""
    page = login("ekonomichef", javascript=False)
    menu = page.get_by_role("navigation", name="Huvudmeny")
    budget = menu.get_by_role("link", name="Budget", exact=True)
    expect(budget).to_be_visible()
    expect(menu.get_by_role("link", name="Meny")).to_be_hidden()

    page.set_viewport_size({"width": 390, "height": 844})
    expect(budget).to_be_hidden()
    menu.get_by_role("link", name="Meny").click()
    expect(budget).to_be_visible()
    expect(menu.get_by_role("link", name="Stäng menyn")).to_be_visible()
    save_screenshot(page, "ekonomichef-meny-390")
    budget.click()
    page.wait_for_url("**/budget/**")
    expect(page.get_by_role("navigation", name="Huvudmeny")
           .get_by_role("link", name="Budget", exact=True)).to_be_hidden()
