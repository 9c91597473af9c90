"""The budget cycle pages in headless Chromium, checked with axe-core: the finance office edits
an index and sees the frames recomputed, the förvaltning writes its budgetunderlag, the nämnd's
secretary records the distribution, and versions are compared on the frame page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_assumptions_as_the_finance_office(municipality, login, assert_accessible):
    page = login("ekonom")
    page.goto("/budget/cykel/2027/")
    expect(page.locator("h1")).to_contain_text("Budgetprocessen 2027")
    assert_accessible(page, "budget-cykel-2027")
    page.get_by_role("link", name="Antaganden för ramarna 2027").click()
    expect(page.locator("h1")).to_contain_text("Antaganden för ramarna 2027")
    assert_accessible(page, "budget-antaganden-2027")
    page.get_by_role("link", name="Ändra index").click()
    assert_accessible(page, "budget-antaganden-index")
    page.get_by_label("Allmänt index (%)").fill("2,6")
    page.get_by_role("button", name="Spara och räkna om ramarna").click()
    expect(page.locator(".messages")).to_contain_text("De preliminära ramarna är omräknade")
    expect(page.locator("#omrakning")).to_be_visible()
    expect(page.get_by_role("table", name="Preliminär ram per nämnd före och efter omräkningen")
           ).to_contain_text("Barn- och utbildningsnämnden")
    assert_accessible(page, "budget-antaganden-omraknad")
    page.get_by_role("link", name="Ändra befolkning").click()
    assert_accessible(page, "budget-antaganden-befolkning")
    page.goto("/budget/antaganden/2027/justering/ny/")
    page.get_by_label("Motivering").fill("Lokaleffektivisering")
    page.get_by_label("Procent av basen").fill("0,5")
    page.get_by_label("Belopp (kr)").fill("100000")
    page.get_by_role("button", name="Spara och räkna om ramarna").click()
    expect(page.locator("#error-summary")).to_contain_text("inte båda")
    assert_accessible(page, "budget-antaganden-justering-fel")


def test_budgetunderlag_written_by_the_forvaltning(municipality, login, assert_accessible):
    page = login("sn.forvaltningschef")
    page.goto("/budget/underlag/2027/")
    assert_accessible(page, "budget-underlag-lista")
    page.get_by_role("link", name="Socialnämnden").click()
    expect(page.locator("h1")).to_contain_text("Budgetunderlag 2027")
    page.get_by_role("link", name="Ändra underlaget").click()
    assert_accessible(page, "budget-underlag-form")
    page.get_by_label("Förväntat index personal (%)").fill("3,8")
    page.get_by_label("Motivering personal").fill("Bemanningsavtal inom äldreomsorgen.")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Budgetunderlaget är sparat")
    expect(page.locator("#avvikande")).to_be_visible()
    assert_accessible(page, "budget-underlag-sn")


def test_distribution_and_versions_on_the_frame_page(municipality, login, assert_accessible):
    page = login("bun.sekreterare")
    page.goto("/budget/fordelning/2026/" + str(municipality["bun"].pk) + "/")
    expect(page.locator("h1")).to_contain_text("Fördelning på verksamheter 2026")
    assert_accessible(page, "budget-fordelning-form")
    page.get_by_label("410 Grundskola").fill("1")
    page.get_by_role("button", name="Registrera fördelningen").click()
    expect(page.locator("#error-summary")).to_contain_text("Summan ska vara exakt lika med ramen")
    assert_accessible(page, "budget-fordelning-fel")
    page.goto("/budget/ramar/2027/" + str(municipality["bun"].pk) + "/")
    page.get_by_label("Jämför version").select_option(index=2)
    page.get_by_role("button", name="Jämför").click()
    expect(page.get_by_role("table", name="Två beräkningar av den preliminära ramen sida vid "
                                          "sida (tkr)")).to_be_visible()
    assert_accessible(page, "budget-ram-versioner")
