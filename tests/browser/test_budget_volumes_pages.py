"""The volume pages in headless Chromium, checked with axe-core: Socialnämndens
förvaltningschef enters October's volumes and adds a measure, a bad figure is explained; a
politician reads the overview, the nämnd's page and the volumes in its report section."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_volume_pages_as_socialnamndens_forvaltningschef(municipality, login, assert_accessible):
    page = login("sn.forvaltningschef")
    page.goto("/budget/")
    page.get_by_role("navigation", name="Budgetens delar").get_by_role(
        "link", name="Volymer").click()
    expect(page.locator("h1")).to_contain_text("Verksamhetens volymer 2026")
    expect(page.get_by_role("region", name="Volymer per nämnd")).to_contain_text(
        "Placeringsdygn HVB")
    assert_accessible(page, "budget-volymer-2026")
    page.get_by_role("link", name="Socialnämnden").click()
    expect(page.locator("h1")).to_contain_text("Socialnämnden")
    assert_accessible(page, "budget-volymer-sn")

    # A bad figure is explained and nothing is saved.
    page.get_by_label("Helårsprognos, Placeringsdygn HVB, barn och unga (dygn)").fill("−20")
    page.get_by_role("button", name="Spara volymerna").click()
    expect(page.locator("#error-summary")).to_contain_text("kan inte vara negativ")
    assert_accessible(page, "budget-volymer-sn-fel")

    page.get_by_label("Helårsprognos, Placeringsdygn HVB, barn och unga (dygn)").fill("2 250")
    page.get_by_label("Kommentar, Placeringsdygn HVB, barn och unga (dygn)").fill(
        "En ny placering i november.")
    page.get_by_role("button", name="Spara volymerna").click()
    expect(page.locator(".messages")).to_contain_text("Volymerna för uppföljning per oktober")
    table = page.get_by_role("region", name="Verksamhetens volymer, uppföljning per oktober")
    expect(table).to_contain_text("2 250")
    expect(page.locator(".volume-comments")).to_contain_text("En ny placering i november.")

    page.get_by_label("Mått:", exact=True).fill("Dygn i familjehem")
    page.get_by_label("Enhet:", exact=True).fill("dygn")
    page.get_by_label("Budgeterad volym:", exact=True).fill("3 650")
    page.get_by_label("Budgeterad kostnad per enhet (kr):", exact=True).fill("1 100")
    page.get_by_role("button", name="Lägg till måttet").click()
    expect(page.locator(".messages")).to_contain_text("Måttet ”Dygn i familjehem” är tillagt")
    page.locator("table:has(caption#volymtabell)").get_by_role(
        "link", name="Dygn i familjehem").click()
    expect(page.locator("h1")).to_contain_text("Dygn i familjehem")
    assert_accessible(page, "budget-volymer-matt")


def test_volume_pages_and_report_as_a_politician(municipality, login, assert_accessible, unit):
    page = login("sn.ordforande")
    page.goto(f"/budget/volymer/2026/{unit('sn').pk}/?period=aug")
    expect(page.get_by_role("button", name="Spara volymerna")).to_have_count(0)
    expect(page.get_by_role("region", name="Befolkning 2026")).to_contain_text("80 år och äldre")
    assert_accessible(page, "budget-volymer-sn-politiker")
    page.goto(f"/rapporter/2026-okt/{unit('sn').pk}/")
    volumes = page.get_by_role("region", name="Verksamhetens volymer, uppföljning per oktober")
    expect(volumes).to_contain_text("+730")
    assert_accessible(page, "rapport-2026-okt-sn-volymer")


def test_the_volume_entry_page_reflows_at_320_css_pixels(municipality, login, unit,
                                                         assert_accessible):
    """WCAG 1.4.10: only the data tables scroll sideways, the forms and text do not."""
    from .test_pages_as_every_role import OVERFLOWING

    page = login("sn.forvaltningschef")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/budget/volymer/2026/{unit('sn').pk}/")
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    overflowing = page.evaluate(OVERFLOWING) if scroll_width > 320 else []
    assert scroll_width <= 320, f"Sidan är {scroll_width} px bred: {overflowing}"
    assert_accessible(page, "budget-volymer-sn-320px")
