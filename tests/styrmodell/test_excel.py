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
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Ramar- 2027"]
    assert sheet["A1"].value == "Driftbudgetramar 2027"
    assert [cell.value for cell in sheet[3]] == ["Nämnd", "Ram (kr)", "Avvikelse (%)"]
    assert sheet["B4"].value == 281700000
    assert sheet["B4"].number_format == "#,##0"
    assert sheet["C4"].value == -1.25
    assert workbook.sheetnames == ["Ramar- 2027", "Andra"]
