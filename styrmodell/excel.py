"""Tables a user may take away, as .xlsx (openpyxl): one helper so every export looks alike.

Amounts go in as Decimal and are written as numbers in kronor with a Swedish-readable number
format, so the sheet can still be summed; nothing passes through float on our side.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KRONOR_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00"
# Sheet titles may not hold these characters and are at most 31 long.
FORBIDDEN_IN_TITLE = re.compile(r"[\[\]\*\?/\\:]")


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    # Lines above the table: what it is, for which year, when it was taken out.
    caption: Sequence[str] = field(default_factory=tuple)


def _cell_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, (str, int, Decimal, dt.date)):
        return value
    return str(value)


def _write_sheet(workbook: Workbook, sheet: Sheet, first: bool) -> None:
    worksheet = workbook.active if first else workbook.create_sheet()
    worksheet.title = FORBIDDEN_IN_TITLE.sub("-", sheet.title)[:31] or "Blad"
    for line in sheet.caption:
        worksheet.append([line])
    if sheet.caption:
        worksheet.cell(row=1, column=1).font = Font(bold=True)
        worksheet.append([])
    worksheet.append(list(sheet.headers))
    header_row = worksheet.max_row
    for cell in worksheet[header_row]:
        cell.font = Font(bold=True)
    widths = [len(str(header)) for header in sheet.headers]
    for row in sheet.rows:
        worksheet.append([_cell_value(value) for value in row])
        for column, value in enumerate(row, start=1):
            cell = worksheet.cell(row=worksheet.max_row, column=column)
            if isinstance(value, Decimal):
                cell.number_format = (KRONOR_FORMAT if value == value.to_integral_value()
                                      else PERCENT_FORMAT)
            if column <= len(widths):
                widths[column - 1] = max(widths[column - 1], len(str(value or "")))
    worksheet.freeze_panes = worksheet.cell(row=header_row + 1, column=1)
    for column, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook()
    for index, sheet in enumerate(sheets):
        _write_sheet(workbook, sheet, first=index == 0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """An .xlsx download; `filename` without extension, ASCII-safe."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", filename).strip("-") or "export"
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{safe}.xlsx"'
    return response
