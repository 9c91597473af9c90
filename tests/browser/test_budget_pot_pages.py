"""Ofördelad budget, lönerörelse, skattesats and bokslut in headless Chromium, with axe-core."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from budget.ledger.totals import refresh_month_totals
from budget.models import Driftbudgetram, FrameStage, Konto, Utfall
from budget.reserves import demo as demo_pot
from styrmodell.models import OrganisationUnit

pytestmark = pytest.mark.browser


def test_b7_application_from_filing_to_ks_grant(municipality, login, assert_accessible):
    page = login("bun.forvaltningschef")
    page.goto("/budget/")
    page.get_by_role("navigation", name="Budgetens delar").get_by_role(
        "link", name="Ofördelad budget").click()
    expect(page.locator("h1")).to_have_text("Ofördelad budget 2026")
    assert_accessible(page, "budget-ofordelad-2026")
    page.get_by_role("link", name="Ny ansökan").click()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "budget-ofordelad-ansokan-fel")
    page.get_by_label("Vad ansökan gäller").fill("Vattenskada i Aspaskolan")
    page.get_by_label("Sökt belopp (kr)").fill("600 000")
    page.get_by_label("(b) Oförutsedd händelse med omfattande kostnader").check()
    page.get_by_label("Motivering").fill("Skadan var oförutsedd och kostar 0,6 mnkr.")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Ansökan är inlämnad")
    application_url = page.url
    assert_accessible(page, "budget-ofordelad-ansokan")

    page = login("ekonom")
    page.goto(application_url)
    page.get_by_role("link", name="Skriv yttrande").click()
    page.get_by_label("Ja, kriterierna är uppfyllda").check()
    page.get_by_label("Yttrande").fill("Kriterium (b) är uppfyllt.")
    assert_accessible(page, "budget-ofordelad-yttrande")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Yttrandet är sparat")
    expect(page.get_by_role("link", name="Registrera KS beslut")).to_have_count(0)

    page = login("kommunsekreterare")
    page.goto(application_url)
    page.get_by_role("link", name="Registrera KS beslut").click()
    page.get_by_label("Bifall").check()
    page.get_by_label("Beviljat belopp (kr)").fill("500 000")
    page.get_by_label("Paragraf (§)").fill("130")
    assert_accessible(page, "budget-ofordelad-beslut")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".facts")).to_contain_text("Beviljad av KS")
    page.get_by_role("link", name="Se nämndens ram 2026").click()
    expect(page.get_by_text("Tilldelning ur ofördelad budget: Vattenskada i Aspaskolan"))\
        .to_be_visible()
    assert_accessible(page, "budget-ram-2026-bun-tilldelning")


def test_b10_b11_salary_reserve_and_tax_rate(municipality, login, assert_accessible):
    page = login("kommunsekreterare")
    page.goto("/budget/lonerorelse/")
    expect(page.locator("h1")).to_have_text("Lönerörelse 2026")
    assert_accessible(page, "budget-lonerorelse-2026")
    page.get_by_role("link", name="Registrera KSAU:s fördelning").click()
    assert_accessible(page, "budget-lonerorelse-fordela")
    page.goto("/budget/skattesats/")
    expect(page.locator("table")).to_contain_text("22,29")
    assert_accessible(page, "budget-skattesats")
    page.get_by_role("link", name="2027").first.click()
    page.get_by_role("link", name="Registrera KF:s beslut").click()
    page.get_by_label("Paragraf (§)").fill("98")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".facts")).to_contain_text("Beslutad av KF")
    assert_accessible(page, "budget-skattesats-2027")


def test_f4_year_end_proposals_and_kf_decision(municipality, login, assert_accessible):
    konto, _ = Konto.objects.get_or_create(number="5010", defaults={"name": "Löner"})
    for name, difference in (("Barn- och utbildningsnämnden", "-2000000"),
                             ("Socialnämnden", "3000000"), ("Kommunstyrelsen", "-150000"),
                             ("Samhällsbyggnadsnämnden", "400000"),
                             ("Kultur- och fritidsnämnden", "-50000")):
        namnd = OrganisationUnit.objects.get(name=name)
        if Utfall.objects.filter(namnd=namnd, year=2025).exists():
            continue
        frame = Driftbudgetram.objects.get(namnd=namnd, budget_year__year=2025,
                                           stage=FrameStage.DECIDED)
        Utfall.objects.create(namnd=namnd, konto=konto, year=2025, month=12,
                              amount=frame.total + Decimal(difference))
    refresh_month_totals(year=2025)
    demo_pot.seed_year_end()
    page = login("ekonomichef")
    page.goto("/budget/bokslut/")
    expect(page.locator("h1")).to_contain_text("Bokslut 2025")
    assert_accessible(page, "budget-bokslut-2025")
    page.get_by_role("link", name="Lämna förslag för Kommunstyrelsen").click()
    page.get_by_label("Överföring av del av överskott").check()
    page.get_by_label("Belopp (kr)").fill("100 000")
    page.get_by_label("Motivering").fill("Överskottet beror på vakanser.")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#error-summary")).to_contain_text("mål, uppdrag och prestationer")
    assert_accessible(page, "budget-bokslut-forslag-fel")

    page = login("kommunsekreterare")
    page.goto("/budget/bokslut/2025/")
    page.get_by_role("link", name="Registrera beslut för Socialnämnden").click()
    page.get_by_label("Bifall").check()
    page.get_by_label("Paragraf (§)").fill("45")
    assert_accessible(page, "budget-bokslut-beslut")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("table").first).to_contain_text("Beslutad av KF")
    page.goto(f"/budget/ramar/2027/{OrganisationUnit.objects.get(name='Socialnämnden').pk}/")
    expect(page.get_by_text("Återställande av underskott 2025").first).to_be_visible()


def test_b3_the_forvaltningschef_accounts_for_an_earmark_on_the_bokslut_page(
        municipality, login, assert_accessible):
    page = login("sn.forvaltningschef")
    page.goto("/budget/bokslut/2025/")
    expect(page.locator("#tillskottstabell")).to_be_visible()
    assert_accessible(page, "budget-bokslut-tillskott")
    expect(page.get_by_role("button", name="Spara redovisningen Läxhjälp och lovskola")) \
        .to_have_count(0)  # another nämnd's earmark
    form = page.locator("form", has_text="Heltidsresan i hemtjänsten")
    form.get_by_label("Använt (kr)").fill("")
    form.get_by_label("Hur medlen använts").fill("")
    form.get_by_role("button", name="Spara redovisningen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "budget-bokslut-tillskott-fel")
    page.get_by_label("Använt (kr)").fill("800 000")
    page.get_by_label("Hur medlen använts").fill("Alla tjänster i hemtjänsten är nu heltid.")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Heltidsresan i hemtjänsten")
    expect(page.get_by_role("table", name="Redovisning av specificerade")).to_contain_text(
        "Helt använt.")


def test_pot_pages_reflow_at_320_css_pixels_and_work_without_javascript(municipality, login,
                                                                        assert_accessible):
    """WCAG 1.4.10 on our pages; and a form saved with JavaScript off."""
    from tests.browser.test_pages_as_every_role import OVERFLOWING

    page = login("revisor", javascript=False)
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/budget/ofordelad/2026/", "/budget/lonerorelse/2026/", "/budget/skattesats/",
                 "/budget/bokslut/2025/"]:
        page.goto(path)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        overflowing = page.evaluate(OVERFLOWING) if scroll_width > 320 else []
        assert scroll_width <= 320, f"{path} är {scroll_width} px bred: {overflowing}"
    page = login("ksau.ledamot", javascript=False)
    page.goto("/budget/skattesats/2027/forslag/")
    page.get_by_label("Skattesats (kronor per 100 kr)").fill("22,19")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".facts")).to_contain_text("22,19")
    page = login("ekonom")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/budget/ofordelad/2026/")
    assert_accessible(page, "budget-ofordelad-2026-320px")
