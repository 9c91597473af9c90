"""The follow-up pages in headless Chromium, checked with axe-core: the finance office writes
a forecast; a nämnd politician reads the figures and the chart and comments."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_followup_pages_as_the_finance_office(municipality, login, assert_accessible):
    page = login("ekonom")
    page.goto("/budget/")
    page.get_by_role("navigation", name="Budgetens delar").get_by_role(
        "link", name="Uppföljning och prognoser").click()
    expect(page.locator("h1")).to_contain_text("Ekonomisk uppföljning 2026")
    expect(page.locator("tfoot")).to_contain_text("Summa")
    assert_accessible(page, "budget-uppfoljning-2026")
    page.get_by_role("link", name="Socialnämnden").click()
    expect(page.locator("h1")).to_contain_text("Socialnämnden")
    expect(page.locator("svg.chart title")).to_contain_text("Ackumulerat utfall")
    assert_accessible(page, "budget-uppfoljning-sn")
    page.get_by_label("Förvaltningens kommentar").fill("Placeringarna fortsätter att öka.")
    page.get_by_role("button", name="Spara prognosen").click()
    expect(page.locator(".messages")).to_contain_text("Prognosen för uppföljning per oktober")
    expect(page.get_by_role("region", name="Helårsprognoser 2026")).to_contain_text(
        "Placeringarna fortsätter att öka.")


def test_followup_pages_as_a_namnd_politician(municipality, login, assert_accessible):
    page = login("sn.ordforande")
    page.goto("/budget/uppfoljning/2026/")
    expect(page.get_by_role("region", name="Ram, utfall och prognos")).to_contain_text(
        "Underskott")
    assert_accessible(page, "budget-uppfoljning-2026-politiker")
    page.get_by_role("link", name="Socialnämnden").click()
    expect(page.get_by_role("button", name="Spara prognosen")).to_have_count(0)
    page.get_by_label("Ditt inlägg").fill("Vilka åtgärder föreslår förvaltningen?")
    page.get_by_role("button", name="Skicka inlägg").click()
    expect(page.locator("#dialog")).to_contain_text("Vilka åtgärder föreslår förvaltningen?")
    assert_accessible(page, "budget-uppfoljning-sn-politiker")
