"""The outcome pages in headless Chromium: the demo SIE file imported through the real form."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DEMO_SIE = Path(__file__).resolve().parents[2] / "demo" / "sie" / "ekbacka-2026-11.se"


def test_outcome_import_as_the_finance_office(municipality, login, assert_accessible):
    page = login("ekonom")
    page.goto("/budget/utfall/")
    expect(page.locator("h1")).to_have_text("Utfall från redovisningen")
    assert_accessible(page, "budget-utfall")

    page.get_by_role("button", name="Läs in utfall").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "budget-utfall-fel")

    page.get_by_label("Fil från redovisningen").set_input_files(DEMO_SIE)
    page.get_by_role("button", name="Läs in utfall").click()
    expect(page.locator("h1")).to_contain_text("ekbacka-2026-11.se")
    expect(page.locator(".messages")).to_contain_text("nov 2026")
    table = page.get_by_role("table", name="Inläst utfall per nämnd och månad")
    expect(table).to_contain_text("Barn- och utbildningsnämnden")
    expect(table).to_contain_text("27 075")
    assert_accessible(page, "budget-utfall-import")

    page.get_by_role("link", name="Hela årets utfall 2026").click()
    expect(page.locator("h1")).to_have_text("Utfall 2026")
    assert_accessible(page, "budget-utfall-2026")

    page.get_by_role("link", name="Barn- och utbildningsnämnden").click()
    expect(page.locator("h1")).to_contain_text("Barn- och utbildningsnämnden")
    expect(page.get_by_role("table", name="Utfall per verksamhet")).to_contain_text("Grundskola")
    assert_accessible(page, "budget-utfall-2026-bun")

    page.goto("/budget/utfall/kopplingar/")
    expect(page.locator("h1")).to_have_text("Objektkopplingar")
    assert_accessible(page, "budget-utfall-kopplingar")


def test_outcome_pages_as_a_politician_without_the_upload(municipality, login,
                                                           assert_accessible):
    page = login("bun.ordforande")
    page.goto("/budget/utfall/")
    expect(page.get_by_role("button", name="Läs in utfall")).to_have_count(0)
    assert_accessible(page, "budget-utfall-politiker")
