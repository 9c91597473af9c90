"""Tables a user may take away, as .xlsx (openpyxl): one helper so every export looks alike.

Amounts go in as Decimal and are written as numbers in kronor with a Swedish-readable number
format, so the sheet can still be summed; nothing passes through float on our side.

Text is always written as a text cell, never as a formula: a user's text that begins with
`=`, `+`, `-` or `@` (`=HYPERLINK(...)`, `=cmd|...`) is shown as it was typed and is marked
with Excel's quote prefix, so that editing the cell does not turn it into a formula either.
Characters a workbook cannot hold (control characters pasted with a text) are dropped.

The workbook is written in openpyxl's write-only mode, row by row, to a temporary file that the
response streams in chunks: a list of a big city's every project or case goes out whole without
holding its cells in memory.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A workbook larger than this is spooled to disk before it is streamed.
SPOOL_IN_MEMORY_BYTES = 4 * 1024 * 1024
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


def _cell(worksheet, value: object, *, number_format: str | None = None,
          bold: bool = False) -> WriteOnlyCell:
    """One value: numbers and dates as themselves, everything else as a text cell."""
    value = _cell_value(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        # A text that starts with "=" would be written as a formula: keep it a text.
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    elif isinstance(value, dt.datetime):
        cell.number_format = MOMENT_CELL_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_CELL_FORMAT
    if number_format is not None:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def column_format(header: str, values: Sequence[Decimal]) -> str:
    """One number format for a whole column, so −2 and −5,33 in it read alike: a percentage
    (its header says %) with two decimals, kronor whole unless some amount has öre."""
    if "%" in header:
        return PERCENT_FORMAT
    if any(value != value.to_integral_value() for value in values):
        return KRONOR_WITH_ORE_FORMAT
    return KRONOR_FORMAT


def _column_formats(headers: list[str], rows: list[list[object]]) -> dict[int, str]:
    numbers: dict[int, list[Decimal]] = {}
    for values in rows:
        for column, value in enumerate(values):
            if isinstance(value, Decimal):
                numbers.setdefault(column, []).append(value)
    return {column: column_format(headers[column] if column < len(headers) else "", values)
            for column, values in numbers.items()}


def _widths(headers: list[str], rows: list[list[object]]) -> list[int]:
    widths = [len(header) for header in headers]
    for values in rows:
        for column, value in enumerate(values[:len(widths)]):
            widths[column] = max(widths[column], len(str(value or "")))
    return [min(max(width + 2, 8), 60) for width in widths]


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    """Write-only: the sheet's rows go to disk as they are written, not kept as cells. The
    values are read once first, for each column's one number format and its width."""
    worksheet = workbook.create_sheet()
    title = ILLEGAL_CHARACTERS_RE.sub("", FORBIDDEN_IN_TITLE.sub("-", str(sheet.title)))
    worksheet.title = title.strip("'")[:31] or "Blad"
    headers = [str(header) for header in sheet.headers]
    rows = [list(values) for values in sheet.rows]
    formats = _column_formats(headers, rows)
    for column, width in enumerate(_widths(headers, rows), start=1):
        worksheet.column_dimensions[get_column_letter(column)].width = width
    header_row = len(sheet.caption) + (2 if sheet.caption else 1)
    worksheet.freeze_panes = f"A{header_row + 1}"
    for index, line in enumerate(sheet.caption):
        worksheet.append([_cell(worksheet, line, bold=index == 0)])
    if sheet.caption:
        worksheet.append([])
    worksheet.append([_cell(worksheet, header, bold=True) for header in sheet.headers])
    for values in rows:
        worksheet.append([_cell(worksheet, value, number_format=formats.get(column)
                                if isinstance(value, Decimal) else None)
                          for column, value in enumerate(values)])


def _write_workbook(sheets: Sequence[Sheet], target) -> None:
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    workbook.save(target)


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> FileResponse:
    """An .xlsx download; `filename` without extension, ASCII-safe. The file is written to a
    temporary file (in memory while small) and streamed from there in chunks."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", filename).strip("-") or "export"
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)
    _write_workbook(sheets, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{safe}.xlsx",
                        content_type=XLSX_TYPE)
