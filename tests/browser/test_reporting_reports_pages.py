"""The report pages in headless Chromium, checked with axe-core: a politician reads the
municipality's report and a section, a förvaltningschef writes and submits a section, the
ordförande approves it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_politician_reads_the_reports(municipality, login, assert_accessible):
    page = login("sn.ordforande")  # SN's returned section is SN's own until approved (P5)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Rapporter").click()
    expect(page.locator("h1")).to_have_text("Rapporter")
    assert_accessible(page, "rapporter-lista")
    page.get_by_role("link", name="Delårsrapport per augusti 2026").click()
    expect(page.locator("h1")).to_contain_text("Delårsrapport per augusti 2026")
    expect(page.locator("#rapportens-innehall")).to_be_visible()
    assert_accessible(page, "rapporter-delarsrapport")
    page.get_by_role("heading", name="Socialnämnden").get_by_role("link").click()
    expect(page.locator(".message--error")).to_contain_text("återremitterade")
    expect(page.locator("svg.chart, figure svg").first).to_be_visible()
    assert_accessible(page, "rapporter-avsnitt-sn")
    page.get_by_role("link", name="Vad har ändrats sedan").click()
    expect(page.locator("h1")).to_contain_text("Vad har ändrats")
    assert_accessible(page, "rapporter-andringar-sn")
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet
    page.goto(page.url.replace("andringar/", ""))
    assert_accessible(page, "rapporter-avsnitt-sn-surfplatta")


def test_the_forvaltning_writes_and_the_namnd_approves(municipality, login, assert_accessible):
    page = login("kfn.forvaltningschef")
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + "/rapporter/")
    page.get_by_role("link", name="Delårsrapport per augusti 2026").click()
    page.get_by_role("heading", name="Kultur- och fritidsnämnden").get_by_role("link").click()
    page.get_by_role("link", name="Skriv texterna").click()
    assert_accessible(page, "rapporter-skriv")
    page.get_by_label("Sammanfattning").fill("Fler besökare än i fjol och ekonomin i balans.")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Texterna är sparade")
    page.get_by_role("link", name="Lämna in till nämnden").click()
    page.get_by_label("Avsnittet är klart att lämnas till nämnden").check()
    page.get_by_role("button", name="Lämna in").click()
    expect(page.locator(".facts").first).to_contain_text("Inlämnad till nämnden")
    section_url = page.url

    chair = login("kfn.ordforande")
    chair.goto(section_url)
    chair.get_by_role("link", name="Registrera nämndens beslut").click()
    assert_accessible(chair, "rapporter-namndens-beslut")
    chair.get_by_label("Godkänner avsnittet").check()
    chair.get_by_label("Paragraf").fill("77")
    chair.get_by_role("button", name="Registrera beslutet").click()
    expect(chair.locator(".facts").first).to_contain_text("(låst)")
    expect(chair.get_by_role("link", name="Skriv texterna")).to_have_count(0)
    assert_accessible(chair, "rapporter-godkant")


def test_the_reports_in_english_for_a_reader_who_chose_it(municipality, login, assert_accessible):
    """The language chosen in the footer; the longer English labels must fit the same layout,
    down to 320 px where the Swedish pages do."""
    from tests.browser.test_pages_as_every_role import OVERFLOWING

    page = login("sn.ordforande")  # SN's returned section is SN's own until approved (P5)
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Reports").click()
    expect(page.locator("h1")).to_have_text("Reports")
    assert_accessible(page, "rapporter-lista-engelska")
    page.get_by_role("link", name="Delårsrapport per augusti 2026").click()
    expect(page.get_by_role("heading", name="The municipality's summary")).to_be_visible()
    expect(page.get_by_role("button", name="Download as PDF")).to_be_visible()
    assert_accessible(page, "rapporter-delarsrapport-engelska")
    page.get_by_role("heading", name="Socialnämnden").get_by_role("link").click()
    expect(page.locator(".message--error")).to_contain_text("referred the section back")
    expect(page.get_by_role("heading", name="Financial outcome and full-year forecast")
           ).to_be_visible()
    assert_accessible(page, "rapporter-avsnitt-sn-engelska")
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/rapporter/", page.url + "andringar/", "/rapporter/mina-frister/"):
        page.goto(path)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        overflowing = page.evaluate(OVERFLOWING) if scroll_width > 320 else []
        assert scroll_width <= 320, f"{path} är {scroll_width} px bred: {overflowing}"
    assert_accessible(page, "rapporter-mina-frister-engelska-320px")


def test_the_report_pages_reflow_at_320_css_pixels(municipality, login, assert_accessible):
    """WCAG 1.4.10 on a phone or at 400 % zoom: a long nämnd name breaks instead of widening the
    page, and only data tables (in their own scrollable region) scroll sideways."""
    from reporting.models import Rapportperiod
    from tests.browser.test_pages_as_every_role import OVERFLOWING

    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    section = august.sections.get(namnd=municipality["sn"])
    page = login("sn.ordforande")
    page.set_viewport_size({"width": 320, "height": 640})
    for name, path in (("delarsrapport", august.get_absolute_url()),
                       ("avsnitt-sn", section.get_absolute_url()),
                       ("arsredovisning", "/rapporter/2025-ar/")):
        page.goto(path)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        overflowing = page.evaluate(OVERFLOWING) if scroll_width > 320 else []
        assert scroll_width <= 320, f"{path} är {scroll_width} px bred: {overflowing}"
        assert_accessible(page, f"rapporter-{name}-320px")
