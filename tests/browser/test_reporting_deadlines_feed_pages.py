"""The page "Mina frister" in headless Chromium, checked with axe-core, and its feed fetched
without a session, as Outlook fetches it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_my_deadlines_from_the_start_page_to_a_new_address(login, new_page, assert_accessible):
    chair = login("sn.ordforande")
    # The panel's link to the whole list: "Alla 16 frister i Mina frister" in the demo.
    chair.get_by_role("region", name="Att göra").get_by_role(
        "link", name=re.compile(r"^Alla \d+ frister i Mina frister$")).click()
    expect(chair.locator("h1")).to_have_text("Mina frister")
    expect(chair.get_by_role("table").first).to_contain_text("Socialnämnden")
    chair.get_by_role("button", name="Skapa kalenderadress").click()
    expect(chair.locator(".messages")).to_contain_text("Din kalenderadress är skapad")
    address = chair.get_by_label("Din kalenderadress")
    old_url = address.input_value()
    assert "/rapporter/kalender/" in old_url and old_url.endswith(".ics")
    webcal = chair.get_by_role("link", name="Öppna i kalenderprogrammet")
    assert webcal.get_attribute("href").startswith("webcal://")
    assert_accessible(chair, "mina-frister")

    outlook = new_page()  # no session: the address alone is the key
    response = outlook.request.get(old_url)
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "BEGIN:VEVENT" in response.text()

    chair.get_by_role("button", name="Skapa ny adress").click()
    expect(chair.locator(".messages")).to_contain_text("Den gamla fungerar inte längre")
    new_url = chair.get_by_label("Din kalenderadress").input_value()
    assert new_url != old_url
    assert_accessible(chair, "mina-frister-ny-adress")
    assert outlook.request.get(old_url).status == 404
    assert outlook.request.get(new_url).status == 200
    chair.goto("/rapporter/mina-frister/")  # shown once: stored only as its hash
    expect(chair.get_by_label("Din kalenderadress")).to_have_count(0)
    expect(chair.get_by_text("Du har en kalenderadress")).to_be_visible()


def test_my_deadlines_as_the_ekonomichef_without_javascript(login, screenshot):
    chef = login("ekonomichef", javascript=False)
    chef.goto("/rapporter/mina-frister/")
    expect(chef.locator("h1")).to_have_text("Mina frister")
    expect(chef.locator("#kommande-tabell")).to_be_visible()
    expect(chef.get_by_role("link", name="Delårsrapport per augusti")).to_be_visible()
    screenshot(chef, "mina-frister-ekonomichef")
