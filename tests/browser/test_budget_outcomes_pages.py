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


def test_unmapped_object_is_mapped_from_the_refusal_and_the_file_read_again(
        municipality, login, assert_accessible, tmp_path):
    data = DEMO_SIE.read_bytes().replace(
        b'#OBJEKT 1 "320"', b'#OBJEKT 1 "330" "Musikhuset"\r\n#OBJEKT 1 "320"').replace(
        b'#TRANS 6110 {1 "320"}', b'#TRANS 6110 {1 "330"}')
    path = tmp_path / "ekbacka-2026-11-ny-enhet.se"
    path.write_bytes(data)
    page = login("ekonom")
    page.goto("/budget/utfall/")
    page.get_by_label("Fil från redovisningen").set_input_files(path)
    page.get_by_role("button", name="Läs in utfall").click()
    expect(page.locator("#error-summary")).to_contain_text("1:330 Musikhuset")
    assert_accessible(page, "budget-utfall-okopplat")

    page.get_by_role("link", name="koppla objekt 330").click()
    expect(page.get_by_label("Objekt i redovisningen")).to_have_value("330")
    expect(page.get_by_label("Benämning")).to_have_value("Musikhuset")
    page.get_by_label("Nämnd").select_option(label="Kultur- och fritidsnämnden")
    page.get_by_role("button", name="Spara koppling").click()
    expect(page.locator(".messages")).to_contain_text("Objekt 330 är kopplat")

    page.goto("/budget/utfall/")
    page.get_by_label("Fil från redovisningen").set_input_files(path)
    page.get_by_role("button", name="Läs in utfall").click()
    expect(page.locator("h1")).to_contain_text("ekbacka-2026-11-ny-enhet.se")


def test_mapping_rules_edited_as_one_table_and_the_import_rules_beside_it(
        municipality, login, assert_accessible):
    page = login("ekonom")
    page.goto("/budget/utfall/kopplingar/")
    assert_accessible(page, "budget-utfall-kopplingstabell")

    rows = page.locator("table.table--form tbody tr")
    count = rows.count()
    row = rows.nth(count - 1)  # the last of the empty rows
    row.locator("select[name$='-kind']").select_option(label="Intervall")
    row.locator("input[name$='-object_id']").fill("9000")
    row.locator("input[name$='-object_to']").fill("8000")
    row.locator("select[name$='-namnd']").select_option(label="Socialnämnden")
    page.get_by_role("button", name="Spara kopplingarna").click()
    expect(page.locator("#tabell-fel")).to_contain_text("slutar (8000) före sin början (9000)")
    assert_accessible(page, "budget-utfall-kopplingstabell-fel")

    row = page.locator("table.table--form tbody tr").nth(count - 1)
    row.locator("input[name$='-object_to']").fill("9999")
    page.get_by_role("button", name="Spara kopplingarna").click()
    expect(page.locator(".messages")).to_contain_text("Kopplingarna är sparade")
    assert page.locator("input[name$='-object_to'][value='9999']").count() == 1

    page.get_by_label("Belopp utan ansvar förs till").select_option(label="Kommunstyrelsen")
    page.get_by_role("button", name="Spara reglerna").click()
    expect(page.locator(".messages")).to_contain_text("Reglerna för utfallsimporten är sparade")


def test_a_refused_file_with_many_unmapped_objects_is_mapped_in_one_form(
        municipality, login, assert_accessible, tmp_path):
    data = DEMO_SIE.read_bytes()
    for old, new in ((b'{1 "320"}', b'{1 "330"}'), (b'{1 "410"}', b'{1 "431"}')):
        data = data.replace(b"#TRANS 6110 " + old, b"#TRANS 6110 " + new)
    path = tmp_path / "ekbacka-2026-11-nya.se"
    path.write_bytes(data)
    page = login("ekonom")
    page.goto("/budget/utfall/")
    page.get_by_label("Fil från redovisningen").set_input_files(path)
    page.get_by_role("button", name="Läs in utfall").click()
    expect(page.get_by_role("table", name="objekt utan koppling")).to_be_visible()
    assert_accessible(page, "budget-utfall-okopplade")
    page.get_by_label("Nämnd för objekt 330").select_option(label="Kultur- och fritidsnämnden")
    page.get_by_label("Nämnd för objekt 431").select_option(label="Barn- och utbildningsnämnden")
    page.get_by_role("button", name="Spara kopplingarna").click()
    expect(page.locator(".messages")).to_contain_text("2 objekt är kopplade")
    page.get_by_label("Fil från redovisningen").set_input_files(path)
    page.get_by_role("button", name="Läs in utfall").click()
    expect(page.locator("h1")).to_contain_text("ekbacka-2026-11-nya.se")
