"""The finance office's mapping rules: which nämnd (and verksamhet) the ledger's objects belong
to, kept as one table, with the import's settings (the ansvar and verksamhet dimensions, and
where money without an object goes).

The table is always saved whole: every row is checked, every error is named with its row at
once, and only a table without errors replaces the rules, in one transaction. The same check
serves the page's table, the mapping of a refused file's objects and a table read from Excel or
CSV, which is the form a city's thousands of kostnadsställen arrive in.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import IO

from django.db import transaction

from budget.ledger.outcomes import range_key
from budget.models import MappingKind, Objektkoppling, Utfallsregler, Verksamhet
from styrmodell import uploads
from styrmodell.errors import DomainError
from styrmodell.models import NAMND_LIKE_KINDS, OrganisationUnit

MAX_ERRORS = 30
EXISTING = 0  # the line of a rule already saved, when new rows are checked beside it
MAX_TITLE_LINES = 10
COLUMNS = ("Regel", "Objekt", "Till och med", "Benämning", "Nämnd", "Verksamhet")
KIND_BY_LABEL = {str(label).lower(): value for value, label in MappingKind.choices} | {
    value: value for value in MappingKind.values
}


@dataclass
class MappingRow:
    """One row of the table as typed or read: `line` is its row number for messages."""

    kind: str
    object_id: str
    object_to: str
    name: str
    namnd: OrganisationUnit | None
    verksamhet: Verksamhet | None
    line: int


class MappingTableError(DomainError):
    """The table has errors; `row_errors` are all of them, each naming its row."""

    def __init__(self, errors: list[str], count: int) -> None:
        more = f" (och {count - len(errors)} fel till)" if count > len(errors) else ""
        super().__init__("Kopplingarna sparades inte: " + "; ".join(errors) + more + ".")
        self.row_errors = errors


# --- Checking -------------------------------------------------------------------------------


def _row_errors(row: MappingRow) -> list[str]:
    errors = []
    if not row.object_id:
        errors.append("objekt saknas")
    if row.namnd is None:
        errors.append("nämnd saknas")
    if row.kind == MappingKind.RANGE:
        if not row.object_to:
            errors.append("ett intervall behöver ett objekt att sluta med (till och med)")
        elif row.object_id:
            low, high = range_key(row.object_id), range_key(row.object_to)
            if low[0] != high[0]:
                errors.append(
                    "ett intervall går från ett nummer till ett nummer, eller från en "
                    "text till en text"
                )
            elif high < low:
                errors.append(
                    f"intervallet slutar ({row.object_to}) före sin början ({row.object_id})"
                )
    elif row.object_to:
        errors.append("bara ett intervall har ett till och med-objekt")
    if (
        row.verksamhet is not None
        and row.namnd is not None
        and row.verksamhet.namnd_id != row.namnd.pk
    ):
        errors.append(f"verksamheten {row.verksamhet} hör inte till {row.namnd}")
    return errors


def _table_errors(rows: list[MappingRow]) -> list[str]:
    errors = [f"rad {row.line}: {error}" for row in rows for error in _row_errors(row)]
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.kind, row.object_id)
        if row.object_id and key in seen:
            errors.append(f"rad {row.line}: objektet {row.object_id} har redan en koppling"
                          if seen[key] == EXISTING else
                          f"rad {row.line}: samma regel som rad {seen[key]}")
        seen.setdefault(key, row.line)
    ranges = sorted(
        (
            (range_key(row.object_id), range_key(row.object_to), row)
            for row in rows
            if row.kind == MappingKind.RANGE
            and row.object_id
            and row.object_to
            and not _row_errors(row)
        ),
        key=lambda item: (item[0], item[2].line),
    )
    for (_low, high, row), (next_low, _high, later) in zip(ranges, ranges[1:], strict=False):
        if next_low <= high:
            errors.append(
                f"rad {later.line}: intervallet {later.object_id}–{later.object_to} "
                f"överlappar intervallet {row.object_id}–{row.object_to} på rad "
                f"{row.line}"
            )
    return errors


# --- Saving ---------------------------------------------------------------------------------


def replace_mappings(rows: list[MappingRow]) -> list[Objektkoppling]:
    """The table replaces every rule of the ansvar dimension, or nothing changes."""
    _refuse_errors(_table_errors(rows))
    return _create(rows, replace=True)


def add_mappings(rows: list[MappingRow]) -> list[Objektkoppling]:
    """Add rules beside the existing ones (the objects of a refused file), all or none."""
    existing = [MappingRow(mapping.kind, mapping.object_id, mapping.object_to, mapping.name,
                           mapping.namnd, mapping.verksamhet, EXISTING)
                for mapping in current_mappings()]
    _refuse_errors([error for error in _table_errors([*existing, *rows])
                    if not error.startswith(f"rad {EXISTING}:")])
    return _create(rows, replace=False)


def _refuse_errors(errors: list[str]) -> None:
    if errors:
        raise MappingTableError(errors[:MAX_ERRORS], len(errors))


def _create(rows: list[MappingRow], *, replace: bool) -> list[Objektkoppling]:
    dimension = Utfallsregler.current().ansvar_dimension
    with transaction.atomic():
        if replace:
            Objektkoppling.objects.filter(dimension=dimension).delete()
        return [Objektkoppling.objects.create(
            dimension=dimension, kind=row.kind, object_id=row.object_id,
            object_to=row.object_to, name=row.name[:100], namnd=row.namnd,
            verksamhet=row.verksamhet) for row in rows]


def save_rules(
    *,
    ansvar_dimension: int,
    verksamhet_dimension: int | None,
    unplaced_namnd: OrganisationUnit | None,
) -> Utfallsregler:
    if verksamhet_dimension is not None and verksamhet_dimension == ansvar_dimension:
        raise DomainError(
            "Verksamheten ska ligga i en annan dimension än ansvaret.", field="verksamhet_dimension"
        )
    with transaction.atomic():
        rules = Utfallsregler.objects.select_for_update().first() or Utfallsregler()
        previous = rules.ansvar_dimension
        rules.ansvar_dimension = ansvar_dimension
        rules.verksamhet_dimension = verksamhet_dimension
        rules.unplaced_namnd = unplaced_namnd
        rules.save()
        if previous != ansvar_dimension:
            # The table is the ansvar's: it follows the ansvar to its new dimension.
            Objektkoppling.objects.filter(dimension=ansvar_dimension).delete()
            Objektkoppling.objects.filter(dimension=previous).update(dimension=ansvar_dimension)
    return rules


def current_mappings(rules: Utfallsregler | None = None):
    dimension = (rules or Utfallsregler.current()).ansvar_dimension
    return (
        Objektkoppling.objects.filter(dimension=dimension)
        .select_related("namnd", "verksamhet")
        .order_by("kind", "object_id")
    )


# --- The table as a file --------------------------------------------------------------------


def table_rows() -> list[list[str]]:
    """The rules as the rows of an Excel or CSV file, in the columns `read_table` reads."""
    return [
        [
            mapping.get_kind_display(),
            mapping.object_id,
            mapping.object_to,
            mapping.name,
            mapping.namnd.short_name or mapping.namnd.name,
            mapping.verksamhet.code if mapping.verksamhet else "",
        ]
        for mapping in current_mappings()
    ]


def csv_bytes() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(table_rows())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _namnder_by_name() -> dict[str, OrganisationUnit]:
    units = OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS, is_active=True)
    found: dict[str, OrganisationUnit] = {}
    for unit in units:
        for name in (unit.name, unit.short_name):
            if name:
                found[name.strip().lower()] = unit
    return found


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def read_table(file: IO[bytes], file_name: str) -> list[MappingRow]:
    """The rows of an Excel (.xlsx) or CSV file with the columns of COLUMNS (the first row),
    every error named with its row; nothing is saved here."""
    values = list(_excel_rows(file) if file_name.lower().endswith(".xlsx") else _csv_rows(file))
    if not values:
        raise DomainError("Filen är tom.", field="file")
    # The export has a title and a date above its header: skip such lines.
    start = next(
        (
            index
            for index, cells in enumerate(values[:MAX_TITLE_LINES])
            if {"objekt", "nämnd"} <= {_text(cell).lower() for cell in cells}
        ),
        0,
    )
    values = values[start:]
    header = [_text(cell).lower() for cell in values[0]]
    missing = [name for name in ("objekt", "nämnd") if name not in header]
    if missing:
        raise DomainError(
            "Filen lästes inte in: första raden ska vara en rubrikrad med "
            "kolumnerna " + ", ".join(COLUMNS) + "; saknas: " + ", ".join(missing) + ".",
            field="file",
        )
    position = {name: header.index(name) for name in (c.lower() for c in COLUMNS) if name in header}
    namnder = _namnder_by_name()
    verksamheter = {(v.namnd_id, v.code): v for v in Verksamhet.objects.all()}
    rows, errors = [], []
    for line, cells in enumerate(values[1:], start + 2):

        def cell(name: str, cells=cells) -> str:
            index = position.get(name)
            return _text(cells[index]) if index is not None and index < len(cells) else ""

        if not any(_text(value) for value in cells):
            continue
        kind = KIND_BY_LABEL.get(cell("regel").lower() or MappingKind.EXACT)
        namnd = namnder.get(cell("nämnd").lower())
        if kind is None:
            errors.append(
                f'rad {line}: okänd regel "{cell("regel")}" (Objekt, Börjar med eller Intervall)'
            )
        if namnd is None and cell("nämnd"):
            errors.append(f'rad {line}: nämnden "{cell("nämnd")}" finns inte')
        verksamhet = None
        if cell("verksamhet") and namnd is not None:
            verksamhet = verksamheter.get((namnd.pk, cell("verksamhet")))
            if verksamhet is None:
                errors.append(
                    f'rad {line}: verksamheten "{cell("verksamhet")}" finns inte hos {namnd}'
                )
        rows.append(
            MappingRow(
                kind or MappingKind.EXACT,
                cell("objekt"),
                cell("till och med"),
                cell("benämning"),
                namnd,
                verksamhet,
                line,
            )
        )
    errors += _table_errors(
        [row for row in rows if row.namnd is not None or not row.object_id] if errors else rows
    )
    if errors:
        raise MappingTableError(sorted(set(errors), key=_line_of)[:MAX_ERRORS], len(errors))
    return rows


def _line_of(error: str) -> int:
    number = error.split(":", 1)[0].removeprefix("rad ")
    return int(number) if number.isdigit() else 0


def _csv_rows(file: IO[bytes]):
    """A mapping table is small (it is bounded by the upload limit): read it whole, as UTF-8 or
    as the Windows-1252 that Swedish Excel writes."""
    raw = file.read()
    for encoding in ("utf-8-sig", "windows-1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    lines = text.splitlines()
    if not lines:
        return
    delimiter = max((";", "\t", ","), key=lines[0].count)
    yield from csv.reader(lines, delimiter=delimiter)


def _excel_rows(file: IO[bytes]):
    from openpyxl import load_workbook

    uploads.check_xlsx(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same words
        raise DomainError("Filen kan inte läsas som en Excel-fil (.xlsx).", field="file") from None
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()
