"""The start page's reporting panels in Chromium: they pass axe-core and reflow at 320 px,
for the roles they serve, with a section waiting on a meeting's agenda."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reporting.models import Rapportavsnitt, SectionStatus

pytestmark = pytest.mark.browser

# Wider than the viewport by more than rounding: what makes the page itself scroll sideways.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.closest('.table-wrap'))
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
    .slice(0, 10);
}"""


@pytest.mark.parametrize("username", ["sbn.ordforande", "ks.ordforande", "ekonom",
                                      "sn.forvaltningschef"])
def test_the_start_page_panels_read_right_and_reflow_at_320_px(username, login,
                                                               assert_accessible):
    assert Rapportavsnitt.objects.filter(status=SectionStatus.SUBMITTED).exists()
    page = login(username)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    expect(page.locator(".start-panels h2").first).to_be_visible()
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    overflowing = page.evaluate(OVERFLOWING) if scroll_width > 320 else []
    assert scroll_width <= 320, f"/ är {scroll_width} px bred: {overflowing}"
    assert_accessible(page, f"{username}-320px-start-panels")


def test_the_report_list_flags_late_reports_and_passes_axe(login, assert_accessible):
    page = login("ekonom")
    page.goto("/rapporter/")
    late = page.locator("tr", has_text="Uppföljning per oktober 2026").locator(".state--late")
    expect(late).to_have_text("⚠ Försenad")
    assert_accessible(page, "ekonom-rapporter-forsenad")
