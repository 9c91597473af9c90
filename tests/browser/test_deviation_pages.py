"""A deviation case in headless Chromium, from both sides, checked with axe-core (D2, D3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budget.followup.forecasts import ForecastVariance
from deviations import detection
from deviations.models import Avvikelse
from styrmodell.models import BudgetYear

pytestmark = pytest.mark.browser


@pytest.fixture
def bun_case(municipality):
    bun = municipality["bun"]
    Avvikelse.objects.filter(namnd=bun).delete()
    variance = ForecastVariance(
        namnd=bun, budget_year=BudgetYear.objects.get(year=2026), period="okt",
        frame=Decimal("324900000"), forecast=Decimal("330100000"))
    return detection.open_deficit_case(variance=variance, today=timezone.localdate())


def test_a_case_from_measure_to_decision(bun_case, login, assert_accessible):
    chef = login("bun.forvaltningschef")
    chef.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Avvikelser").click()
    expect(chef.locator("h1")).to_have_text("Avvikelseärenden")
    assert_accessible(chef, "avvikelser-register")
    bun_row = chef.get_by_role("row").filter(has_text="Barn- och utbildningsnämnden")
    bun_row.get_by_role("link", name="Väsentligt underskott").click()
    expect(chef.locator("h1")).to_contain_text("Barn- och utbildningsnämnden")
    assert_accessible(chef, "avvikelse-arende-oppet")
    chef.get_by_role("link", name="Redovisa en åtgärd").click()
    chef.get_by_role("button", name="Spara").click()
    expect(chef.locator("#error-summary")).to_be_visible()
    assert_accessible(chef, "avvikelse-atgard-fel")
    chef.get_by_label("Åtgärd:", exact=True).fill("Samordna vikarier mellan skolorna")
    chef.get_by_label("Förväntad effekt i år (kr)").fill("2 400 000")
    chef.get_by_label("Ansvarig").fill("Rektorerna")
    chef.get_by_role("button", name="Spara").click()
    expect(chef.locator(".messages")).to_contain_text("Åtgärden är sparad")
    expect(chef.get_by_role("link", name="Registrera nämndens beslut")).to_have_count(0)

    chair = login("bun.ordforande")
    chair.goto(bun_case.get_absolute_url())
    expect(chair.get_by_role("link", name="Redovisa en åtgärd")).to_have_count(0)
    chair.get_by_role("link", name="Registrera nämndens beslut").click()
    chair.get_by_label("Sammanträdesdatum").fill(timezone.localdate().isoformat())
    chair.get_by_label("Paragraf (§)").fill("87")
    chair.get_by_label("Nämndens beslut").fill("Nämnden antar förvaltningens åtgärder.")
    chair.get_by_role("button", name="Spara").click()
    expect(chair.locator(".messages")).to_contain_text("Nämndens beslut är registrerat")
    expect(chair.locator("#fristerna")).to_be_visible()
    assert_accessible(chair, "avvikelse-arende-beslutat")


def test_the_demo_case_as_the_namnd_chair_and_ks(login, assert_accessible):
    chair = login("sn.ordforande")
    chair.goto("/avvikelser/?status=oppen&kind=underskott")
    chair.get_by_role("link", name="Väsentligt underskott").first.click()
    expect(chair.locator("h1")).to_contain_text("Socialnämnden")
    expect(chair.get_by_role("img", name="Utfall")).to_be_visible()
    expect(chair.get_by_role("link", name="Registrera nämndens beslut")).to_be_visible()
    assert_accessible(chair, "avvikelse-demo-socialnamnden")
    ks = login("ks.ordforande")
    ks.goto("/avvikelser/?kind=investering")
    expect(ks.get_by_role("table")).to_contain_text("återrapporteras till KF")
    assert_accessible(ks, "avvikelser-investeringar")


def test_the_deviation_pages_in_english_for_a_reader_who_chose_it(bun_case, login,
                                                                   assert_accessible):
    """The language chosen in the footer; the longer English labels must fit the same layout,
    down to 320 px."""
    from tests.browser.test_pages_as_every_role import OVERFLOWING

    chef = login("bun.forvaltningschef")
    chef.get_by_label("Språk").select_option("en")
    chef.get_by_role("button", name="Byt").click()
    expect(chef.locator("html")).to_have_attribute("lang", "en")
    chef.get_by_role("navigation", name="Main menu").get_by_role("link", name="Deviations").click()
    expect(chef.locator("h1")).to_have_text("Deviation cases")
    assert_accessible(chef, "avvikelser-register-engelska")
    bun_row = chef.get_by_role("row").filter(has_text="Barn- och utbildningsnämnden")
    bun_row.get_by_role("link", name="Significant deficit").click()
    expect(chef.get_by_role("heading", name="What is to be done")).to_be_visible()
    chef.get_by_role("link", name="Present a measure").click()
    chef.get_by_role("button", name="Save").click()
    expect(chef.locator("#error-summary")).to_contain_text("Something needs correcting")
    assert_accessible(chef, "avvikelse-atgard-fel-engelska")
    chef.get_by_label("Measure:", exact=True).fill("Samordna vikarier mellan skolorna")
    chef.get_by_label("Expected effect this year (SEK)").fill("2 400 000")
    chef.get_by_label("Responsible").fill("Rektorerna")
    chef.get_by_role("button", name="Save").click()
    expect(chef.locator(".messages")).to_contain_text("The measure is saved")
    expect(chef.get_by_role("heading", name="Change history")).to_be_visible()
    expect(chef.get_by_role("heading", name="Dialogue")).to_be_visible()
    assert_accessible(chef, "avvikelse-arende-engelska")
    chef.set_viewport_size({"width": 320, "height": 640})
    for path in ("/avvikelser/", bun_case.get_absolute_url()):
        chef.goto(path)
        scroll_width = chef.evaluate("() => document.documentElement.scrollWidth")
        overflowing = chef.evaluate(OVERFLOWING) if scroll_width > 320 else []
        assert scroll_width <= 320, f"{path} is {scroll_width} px wide: {overflowing}"
    assert_accessible(chef, "avvikelse-arende-engelska-320px")
