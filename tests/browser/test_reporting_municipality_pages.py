"""The municipality's own part of the report in headless Chromium, checked with axe-core: the
finance office records a financial goal's outcome from the report (G3, A3) and a company's year
for the årsredovisning (F1); a politician reads the consolidated accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from reporting.models import Rapportperiod, ReportKind
from styrmodell.models import BudgetYear

from .conftest import SCREENSHOT_DIR


def _close_up(locator, name: str) -> None:
    """The part of a long page a test is about, to look at beside the full-page screenshot."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=SCREENSHOT_DIR / f"{name}.png")

pytestmark = pytest.mark.browser


def test_the_finance_office_records_a_financial_goals_outcome(municipality, login,
                                                              assert_accessible):
    page = login("ekonom")
    page.goto("/rapporter/2026-okt/")
    goals = page.locator("#finansiella-mal").locator("..")
    expect(goals.get_by_text("Ej bedömt").first).to_be_visible()
    assert_accessible(page, "rapporter-finansiella-mal-okt")
    _close_up(goals, "rapporter-finansiella-mal-okt-utsnitt")
    goals.get_by_role("link", name="Registrera utfall för Nämnderna ska bedriva sin "
                                   "verksamhet inom beslutade ramar").click()
    expect(page.locator("h1")).to_contain_text("Utfall och bedömning av finansiellt mål")
    expect(page.locator("#forslag")).to_contain_text("Förslag ur budgetuppföljningen")
    assert_accessible(page, "rapporter-finansiellt-mal-utfall")
    page.get_by_label("Nej – målet är inte uppnått").check()
    page.get_by_role("button", name="Spara utfallet").click()
    expect(page.locator("#error-summary")).to_contain_text("Förklara i kommentaren")
    assert_accessible(page, "rapporter-finansiellt-mal-fel")
    page.get_by_label("Kommentar").fill("Socialnämndens åtgärder ger effekt först nästa år.")
    page.get_by_role("button", name="Spara utfallet").click()
    expect(page.locator(".messages")).to_contain_text("Utfallet och bedömningen är sparade")
    row = page.get_by_role("row", name="Nämnderna ska bedriva sin verksamhet")
    expect(row).to_contain_text("Nej")
    expect(row).to_contain_text("Socialnämndens åtgärder")
    _close_up(page.locator("#finansiella-mal").locator(".."), "rapporter-finansiella-mal-sparat")


def test_the_finance_office_enters_a_companys_year_and_a_politician_reads_the_consolidation(
        municipality, login, assert_accessible):
    Rapportperiod.objects.create(
        budget_year=BudgetYear.objects.get(year=2026), code="ar", kind=ReportKind.ARSREDOVISNING,
        period="ar", title="Årsredovisning 2026", deadline=dt.date(2027, 2, 15),
        opened_on=dt.date(2026, 11, 25))
    page = login("ekonomichef")
    page.goto("/rapporter/2026-ar/")
    page.get_by_role("link", name="Registrera uppgifter för Ekdalens Vatten AB").click()
    expect(page.locator("h1")).to_contain_text("Bokslut 2026: Ekdalens Vatten AB")
    assert_accessible(page, "rapporter-bolag-registrera")
    page.get_by_label("Omsättning (kr)").fill("86 100 000")
    page.get_by_label("Resultat efter finansiella poster (kr)").fill("−450 000")
    page.get_by_label("Eget kapital (kr)").fill("400 000 000")
    page.get_by_label("Balansomslutning (kr)").fill("371 400 000")
    page.get_by_role("button", name="Spara uppgifterna").click()
    expect(page.locator("#error-summary")).to_contain_text(
        "Det egna kapitalet kan inte vara större än balansomslutningen.")
    assert_accessible(page, "rapporter-bolag-fel")
    page.get_by_label("Eget kapital (kr)").fill("14 950 000")
    page.get_by_label("Kommentar om året").fill("Det nya vattenverket togs i drift i maj.")
    page.get_by_role("button", name="Spara uppgifterna").click()
    expect(page.locator(".messages")).to_contain_text("Ekdalens Vatten AB är sparade")
    assert_accessible(page, "rapporter-arsredovisning-2026-bolag")
    _close_up(page.locator("#bolag").locator(".."), "rapporter-arsredovisning-2026-bolag-utsnitt")

    reader = login("kf.ordforande")
    reader.goto("/rapporter/2025-ar/")
    consolidated = reader.get_by_role("table", name="Bolagens och stiftelsernas resultat och "
                                                    "eget kapital vägda med kommunens ägarandel")
    expect(consolidated).to_contain_text("4 188 tkr")
    expect(reader.get_by_role("link", name="Registrera uppgifter för Ekdalens Vatten AB")
           ).to_have_count(0)
    reader.locator("#bolag").scroll_into_view_if_needed()
    assert_accessible(reader, "rapporter-arsredovisning-2025")
    _close_up(reader.locator("#bolag").locator(".."), "rapporter-arsredovisning-2025-bolag")
    _close_up(reader.locator("#finansiella-mal").locator(".."),
              "rapporter-arsredovisning-2025-finansiella-mal")
