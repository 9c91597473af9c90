"""The investment pages (B8, B9) in headless Chromium, checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_investment_pages_as_the_finance_office(municipality, login, assert_accessible):
    page = login("ekonom")
    page.goto("/budget/")
    page.get_by_role("navigation", name="Budgetens delar").get_by_role(
        "link", name="Investeringar").click()
    expect(page.locator("h1")).to_contain_text("Investeringar 2026")
    expect(page.locator("#projekttabell")).to_be_visible()
    assert_accessible(page, "budget-investeringar")
    page.select_option("#id_namnd", label="Samhällsbyggnadsnämnden")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("h1")).to_contain_text("Samhällsbyggnadsnämnden")
    assert_accessible(page, "budget-investeringar-sbn")
    page.get_by_role("link", name="Exploatering Ekbacka äng, etapp 1").first.click()
    expect(page.locator("h2#livstid")).to_have_text("Exploatering – hela projektet")
    assert_accessible(page, "budget-investering-exploatering")
    page.goto("/budget/investeringar/2026/")
    page.get_by_role("link", name="Ny F–6-skola i Norrby").click()
    expect(page.locator(".kf-notice")).to_contain_text("Beräknad överskridelse")
    assert_accessible(page, "budget-investering-skola")
    page.get_by_role("link", name="Utfall och prognos").click()
    page.fill("#id_forecast", "55 000 000")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Utfall och prognos för slutkostnaden")
    expect(page.locator(".kf-notice")).to_contain_text("7 000 tkr")
    page.goto("/budget/investeringar/projekt/nytt/")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "budget-investering-nytt-fel")


def test_investment_pages_as_the_kommunsekreterare(municipality, login, assert_accessible):
    page = login("kommunsekreterare")
    page.goto("/budget/investeringar/2026/")
    page.get_by_role("link", name="Ny F–6-skola i Norrby").click()
    expect(page.get_by_role("button", name="Registrera ombudgetering")).to_be_visible()
    assert_accessible(page, "budget-investering-skola-sekreterare")
    page.fill("#id_from_year", "2025")
    page.fill("#id_to_year", "2026")
    page.fill("#id_amount", "1 000 000")
    choice = page.get_by_label("KF:s beslut om årsredovisningen")
    expect(choice.locator("option").nth(1)).to_contain_text(
        "Årsredovisningen 2025, KF 27 april 2026")
    choice.select_option(index=1)
    page.get_by_role("button", name="Registrera ombudgetering").click()
    expect(page.locator("#error-summary")).to_contain_text("Ange det särskilda skälet")
    assert_accessible(page, "budget-ombudgetering-fel")
    page.fill("#id_reason", "Projektet försenat: stommen levereras senare.")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Ombudgeteringen från 2025 till 2026")
    expect(page.locator("#ombtabell")).to_be_visible()
    page.goto("/budget/investeringar/2027/")
    page.get_by_role("link", name="Tillbyggnad av trygghetsboende").click()
    page.get_by_role("link", name="Registrera KF:s beslut").click()
    assert_accessible(page, "budget-investering-beslut")


def test_investment_overview_works_without_javascript(municipality, login, screenshot):
    page = login("revisor", javascript=False)
    page.goto("/budget/investeringar/2027/")
    expect(page.locator("h1")).to_contain_text("Investeringar 2027")
    expect(page.locator("#kapitaltabell")).to_be_visible()
    screenshot(page, "budget-investeringar-2027-utan-js")
