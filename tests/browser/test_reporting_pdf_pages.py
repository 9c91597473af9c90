"""F3's meeting status page and the PDF progress page in headless Chromium, checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reporting.meeting_status import namnd_meetings

pytestmark = pytest.mark.browser


def _meeting(municipality, key: str, date: str):
    return namnd_meetings().get(unit=municipality[key], date=date)


def test_f3_forvaltningschef_opens_the_status_from_the_calendar_makes_the_pdf_and_records_it(
        municipality, login, assert_accessible, screenshot):
    meeting = _meeting(municipality, "sn", "2026-11-16")
    page = login("sn.forvaltningschef")
    page.goto(f"/kalender/{meeting.pk}/")
    page.get_by_role("link", name="Ekonomisk lägesrapport för sammanträdet").click()
    expect(page.locator("h1")).to_contain_text("Ekonomisk lägesrapport")
    expect(page.locator("h1")).to_contain_text("Socialnämnden")
    goals = page.get_by_role("heading", name="Indikatorer för KF:s prioriterade mål")
    expect(goals).to_be_visible()
    assert_accessible(page, "f3-lagesrapport-sn")

    page.get_by_role("button", name="Skapa PDF").click()
    expect(page.locator("h1")).to_contain_text("PDF")
    expect(page.get_by_role("heading", name="Klar")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert_accessible(page, "f3-pdf-klar")

    page.get_by_role("link", name="Tillbaka till sidan").click()
    page.get_by_label("Paragraf i protokollet").fill("§ 87")
    page.get_by_role("button", name="Registrera som föredragen").click()
    expect(page.locator(".messages")).to_contain_text("registrerad som föredragen")
    expect(page.locator(".facts").first).to_contain_text("§ 87")
    assert_accessible(page, "f3-lagesrapport-foredragen")


def test_f3_revisor_reads_without_the_form(municipality, login, assert_accessible):
    meeting = _meeting(municipality, "bun", "2026-11-16")
    page = login("revisor")
    page.goto(f"/rapporter/sammantrade/{meeting.pk}/")
    expect(page.locator("h1")).to_contain_text("Barn- och utbildningsnämnden")
    expect(page.get_by_role("button", name="Registrera som föredragen")).to_have_count(0)
    assert_accessible(page, "f3-lagesrapport-revisor")


def test_f3_a_meeting_to_come_without_javascript(municipality, login, screenshot):
    meeting = _meeting(municipality, "kfn", "2026-12-18")
    page = login("kfn.forvaltningschef", javascript=False)
    page.goto(f"/rapporter/sammantrade/{meeting.pk}/")
    expect(page.get_by_text("Sammanträdet har inte hållits ännu")).to_be_visible()
    page.get_by_role("button", name="Skapa PDF").click()
    expect(page.get_by_role("heading", name="Klar")).to_be_visible()
    screenshot(page, "f3-pdf-utan-js")
