"""The budget frame pages in headless Chromium, checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_frame_pages_as_the_finance_office(municipality, login, assert_accessible):
    page = login("ekonom")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    menu.get_by_role("link", name="Budget", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Driftbudgetramar 2027")
    assert_accessible(page, "budget-ramar")
    page.get_by_role("button", name="Räkna om preliminära ramar").click()
    expect(page.locator(".messages")).to_contain_text("preliminära ramar är omräknade")
    page.get_by_role("link", name="Barn- och utbildningsnämnden").click()
    expect(page.locator("h1")).to_contain_text("Driftbudgetram 2027")
    assert_accessible(page, "budget-ram-bun")
