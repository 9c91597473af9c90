"""Tables a user may take away, as .xlsx (openpyxl): one helper so every export looks alike.

Amounts go in as Decimal and are written as numbers in kronor with a Swedish-readable number
format, so the sheet can still be summed; nothing passes through float on our side.

Text is always written as a text cell, never as a formula: a user's text that begins with
`=`, `+`, `-` or `@` (`=HYPERLINK(...)`, `=cmd|...`) is shown as it was typed and is marked
with Excel's quote prefix, so that editing the cell does not turn it into a formula either.
Characters a workbook cannot hold (control characters pasted with a text) are dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KRONOR_FORMAT = "#,##0"
KRONOR_WITH_ORE_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00"
# Dates stay date cells (sortable, filterable), shown as the pages show them: "20 nov 2026" in
# a Swedish Excel.
DATE_CELL_FORMAT = "d mmm yyyy"
MOMENT_CELL_FORMAT = "d mmm yyyy hh:mm"
# Sheet titles may not hold these characters and are at most 31 long.
FORBIDDEN_IN_TITLE = re.compile(r"[\[\]\*\?/\\:]")
# What spreadsheet programs read as the start of a formula when a text is typed into a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, (str, int, Decimal, dt.date)):
        return value
    return str(value)


def _put(worksheet, row: int, column: int, value: object):
    """Write one value: numbers and dates as themselves, everything else as a text cell."""
    cell = worksheet.cell(row=row, column=column)
    value = _cell_value(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        # Assigning a text that starts with "=" makes openpyxl write a formula: undo that.
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, dt.datetime):
            cell.number_format = MOMENT_CELL_FORMAT
        elif isinstance(value, dt.date):
            cell.number_format = DATE_CELL_FORMAT
    return cell


def _put_row(worksheet, row: int, values: Sequence[object]) -> list:
    return [_put(worksheet, row, column, value) for column, value in enumerate(values, start=1)]


def column_format(header: str, values: Sequence[Decimal]) -> str:
    """One number format for a whole column, so −2 and −5,33 in it read alike: a percentage
    (its header says %) with two decimals, kronor whole unless some amount has öre."""
    if "%" in header:
        return PERCENT_FORMAT
    if any(value != value.to_integral_value() for value in values):
        return KRONOR_WITH_ORE_FORMAT
    return KRONOR_FORMAT


def _write_sheet(workbook: Workbook, sheet: Sheet, first: bool) -> None:
    worksheet = workbook.active if first else workbook.create_sheet()
    title = ILLEGAL_CHARACTERS_RE.sub("", FORBIDDEN_IN_TITLE.sub("-", str(sheet.title)))
    worksheet.title = title.strip("'")[:31] or "Blad"
    row = 0
    for line in sheet.caption:
        row += 1
        _put(worksheet, row, 1, line)
    if sheet.caption:
        worksheet.cell(row=1, column=1).font = Font(bold=True)
        row += 1
    row += 1
    header_row = row
    for cell in _put_row(worksheet, header_row, list(sheet.headers)):
        cell.font = Font(bold=True)
    widths = [len(str(header)) for header in sheet.headers]
    numbers: dict[int, list] = {}  # column: its Decimal cells, formatted once all are known
    for values in sheet.rows:
        values = list(values)
        row += 1
        for column, (value, cell) in enumerate(zip(values, _put_row(worksheet, row, values),
                                                   strict=True), start=1):
            if isinstance(value, Decimal):
                numbers.setdefault(column, []).append((value, cell))
            if column <= len(widths):
                widths[column - 1] = max(widths[column - 1], len(str(value or "")))
    headers = list(sheet.headers)
    for column, cells in numbers.items():
        header = str(headers[column - 1]) if column <= len(headers) else ""
        number_format = column_format(header, [value for value, _cell in cells])
        for _value, cell in cells:
            cell.number_format = number_format
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
