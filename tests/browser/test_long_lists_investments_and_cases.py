"""The investment overview and KS's register of cases at more than one page, filtered and paged
through in headless Chromium, checked with axe-core at desktop and phone width."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from budget.models import Investeringsprojekt, ProjectKind, ProjectStatus
from deviations.models import Avvikelse, CaseKind, CaseStatus
from styrmodell.models import BudgetYear

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def many_kfn_projects(municipality):
    Investeringsprojekt.objects.bulk_create(
        Investeringsprojekt(namnd=municipality["kfn"], name=f"Idrottshall etapp {number:02}",
                            kind=ProjectKind.NEW, status=ProjectStatus.DECIDED,
                            total_budget=Decimal("2500000"), start_year=2026, end_year=2027,
                            depreciation_years=20, consequences="Inga.")
        for number in range(1, 61))


@pytest.fixture
def many_kfn_cases(municipality):
    day = dt.date(2026, 10, 20)
    Avvikelse.objects.bulk_create(
        Avvikelse(kind=CaseKind.INVESTMENT, namnd=municipality["kfn"],
                  budget_year=BudgetYear.objects.get(year=2026), period="okt",
                  status=CaseStatus.CLOSED, opened_on=day, closed_on=day,
                  budget_amount=Decimal("2500000"), forecast_amount=Decimal("2900000"))
        for _ in range(60))


def _both_widths(page, name, assert_accessible):
    page.set_viewport_size(DESKTOP)
    assert_accessible(page, f"{name}-1366")
    page.set_viewport_size(PHONE)
    assert_accessible(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_the_investments_are_filtered_and_paged(many_kfn_projects, login, assert_accessible):
    page = login("ekonom")
    page.goto("/budget/investeringar/2026/")
    pages = page.get_by_role("navigation", name="Investeringsprojekt: sidor")
    expect(pages).to_contain_text("Visar 1–50 av")
    _both_widths(page, "investeringar-sida-1", assert_accessible)
    page.select_option("#id_namnd", label="Kultur- och fritidsnämnden")
    page.select_option("#id_kind", label="Nyinvestering")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("h1")).to_contain_text("Kultur- och fritidsnämnden")
    expect(pages).to_contain_text("Visar 1–50 av")
    pages.get_by_role("link", name="Nästa").click()
    expect(pages).to_contain_text("Sida 2 av 2")
    expect(page.locator("#id_kind")).to_have_value(ProjectKind.NEW)
    expect(page.get_by_role("link", name="Idrottshall etapp 60")).to_be_visible()
    expect(page.get_by_role("link", name="Idrottshall etapp 01")).to_have_count(0)
    _both_widths(page, "investeringar-kfn-sida-2", assert_accessible)


def test_the_register_is_filtered_and_paged(many_kfn_cases, login, assert_accessible):
    page = login("ks.ordforande")
    page.goto("/avvikelser/")
    pages = page.get_by_role("navigation", name="Avvikelseärenden: sidor")
    expect(pages).to_contain_text("Visar 1–50 av")
    _both_widths(page, "avvikelser-sida-1", assert_accessible)
    page.select_option("#id_namnd", label="Kultur- och fritidsnämnden")
    page.select_option("#id_status", label="Avslutat")
    page.get_by_role("button", name="Visa").click()
    expect(pages).to_contain_text("Sida 1 av 2")
    pages.get_by_role("link", name="Sista").click()
    expect(pages).to_contain_text("Sida 2 av 2")
    expect(page.locator("#id_status")).to_have_value("stangt")
    rows = page.locator("#arendetabell").locator("xpath=..").locator("tbody tr")
    expect(rows.first).to_contain_text("Kultur- och fritidsnämnden")
    _both_widths(page, "avvikelser-kfn-sida-2", assert_accessible)
