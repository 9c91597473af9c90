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
    expect(page.get_by_role("heading", name="Filen lästes inte in")).to_be_visible()
    expect(page.locator("#inlasning")).to_contain_text("1:330 Musikhuset")
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
    page.get_by_role("button", name="Spara kopplingarna och läs in filen igen").click()
    # The same upload is read again at once: no second upload of the file.
    expect(page.locator(".messages")).to_contain_text("2 objekt är kopplade")
    expect(page.locator(".messages")).to_contain_text("ekbacka-2026-11-nya.se är inläst")
    expect(page.locator("h1")).to_contain_text("ekbacka-2026-11-nya.se")


def _sie(*vouchers: tuple[str, str]) -> bytes:
    """A small November file of the demo municipality: one voucher per (object, rent)."""
    body = "".join(
        f'#VER A {number} 20261105 "Hyra"\r\n{{\r\n#TRANS 6110 {{1 "{obj}"}} {amount}\r\n'
        f"#TRANS 1930 {{}} -{amount}\r\n}}\r\n"
        for number, (obj, amount) in enumerate(vouchers, 1))
    return ("#FLAGGA 0\r\n#SIETYP 4\r\n#ORGNR 212000-9999\r\n" + body).encode("cp437")


def test_a_reimport_is_previewed_per_namnd_and_month_and_replaces_only_when_confirmed(
        municipality, login, assert_accessible, screenshot, tmp_path):
    first, second = tmp_path / "november.se", tmp_path / "november-rattad.se"
    # 410 is BUN, 500 SN, 300 KFN; the corrected file has BUN higher and no KFN at all.
    first.write_bytes(_sie(("410", "1000000.00"), ("500", "2000000.00"), ("300", "300000.00")))
    second.write_bytes(_sie(("410", "1500000.00"), ("500", "2000000.00")))
    page = login("ekonom")
    page.goto("/budget/utfall/")
    page.get_by_label("Fil från redovisningen").set_input_files(first)
    page.get_by_role("button", name="Läs in utfall").click()
    expect(page.locator(".messages")).to_contain_text("november.se är inläst")

    page.goto("/budget/utfall/")
    page.get_by_label("Fil från redovisningen").set_input_files(second)
    page.get_by_role("button", name="Läs in utfall").click()
    expect(page.get_by_role("heading", name="Granska innan utfallet ersätts")).to_be_visible()
    table = page.get_by_role("table", name="Utfall per nämnd och månad, inläst i dag")
    expect(table.get_by_role("row", name="Kultur- och fritidsnämnden")).to_contain_text(
        "Saknas, tas bort")
    expect(table.get_by_role("row", name="Barn- och utbildningsnämnden")).to_contain_text(
        "1 500 000 kr")
    expect(page.locator(".kf-notice")).to_contain_text("Kultur- och fritidsnämnden")
    assert_accessible(page, "budget-utfall-forhandsvisning")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "budget-utfall-forhandsvisning-390")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("button", name="Bekräfta och ersätt utfallet").click()
    expect(page.locator(".messages")).to_contain_text("november-rattad.se är inläst")
    before_after = page.get_by_role("table", name="Utfall före och efter inläsningen")
    expect(before_after.get_by_role("row", name="Kultur- och fritidsnämnden")).to_contain_text(
        "300 000 kr")
    assert_accessible(page, "budget-utfall-fore-efter")

    page.goto("/budget/utfall/")
    expect(page.get_by_role("table", name="Inlästa filer")).to_contain_text("Ersatt")


def test_the_progress_of_a_reading_as_the_finance_office_sees_it(municipality, login,
                                                                  assert_accessible):
    from django.utils import timezone

    from budget.models import UploadStatus, Utfallsfil
    from styrmodell.models import User

    upload = Utfallsfil.objects.create(
        file_name="ekbacka-2026-helar.se", format="sie", size=61_000_000,
        status=UploadStatus.READING, progress=42, started_at=timezone.now(),
        uploaded_by=User.objects.get(username="ekonom"))
    page = login("ekonom")
    page.goto(upload.get_absolute_url())
    expect(page.get_by_role("heading", name="Filen läses")).to_be_visible()
    expect(page.get_by_label("Förlopp")).to_have_attribute("value", "42")
    assert_accessible(page, "budget-utfall-forlopp")
    # The page follows the reading by itself: a change is shown without reloading.
    Utfallsfil.objects.filter(pk=upload.pk).update(progress=77)
    expect(page.get_by_label("Förlopp")).to_have_attribute("value", "77", timeout=5000)
