"""Reads of outcomes: the import log, one import's result, and a year's outcome per nämnd."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet, Sum

from budget.ledger.models import MONTH_ABBREVIATIONS, UploadStatus
from budget.models import (
    Konto,
    Objektkoppling,
    Utfall,
    UtfallManad,
    Utfallsfil,
    Utfallsimport,
    UtfallVerksamhetManad,
    Verksamhet,
)
from styrmodell.models import OrganisationUnit
from styrmodell.permissions import restrict

MONTHS = list(range(1, 13))
IMPORTS_SHOWN = 200
OPEN_UPLOAD_STATUSES = [UploadStatus.QUEUED, UploadStatus.READING, UploadStatus.PREVIEW,
                        UploadStatus.WRITING, UploadStatus.REFUSED, UploadStatus.FAILED]


@dataclass
class MonthRow:
    label: object  # a nämnd, a verksamhet or an account; shown with str()
    cells: list[Decimal | None]
    total: Decimal


@dataclass
class MonthTable:
    """Amounts per nämnd, verksamhet or account (rows) and month (columns), totals both ways."""

    months: list[int]
    rows: list[MonthRow]
    month_totals: list[Decimal | None]
    total: Decimal

    @property
    def month_labels(self) -> list[str]:
        return [MONTH_ABBREVIATIONS[month - 1] for month in self.months]


def _month_table(amounts: Iterable[tuple[int | None, int, Decimal]], months: list[int],
                 labels: Callable[[set], Iterable[tuple[int | None, object]]] | None = None,
                 ) -> MonthTable:
    """(row id, month, amount) rows into a MonthTable; `labels` gives (id, label) in the order
    of the rows from the ids (one query); by default the ids are nämnder."""
    by_row: dict[int | None, dict[int, Decimal]] = {}
    for row_id, month, amount in amounts:
        cells = by_row.setdefault(row_id, {})
        cells[month] = cells.get(month, Decimal(0)) + amount
    labels = labels or _namnd_labels
    rows = []
    month_totals: dict[int, Decimal] = {}
    for row_id, label in (labels(set(by_row)) if by_row else []):
        cells = by_row[row_id]
        rows.append(MonthRow(label, [cells.get(month) for month in months],
                             sum(cells.values(), Decimal(0))))
        for month, amount in cells.items():
            month_totals[month] = month_totals.get(month, Decimal(0)) + amount
    return MonthTable(months, rows, [month_totals.get(month) for month in months],
                      sum(month_totals.values(), Decimal(0)))


def _namnd_labels(ids: set) -> list[tuple[int, OrganisationUnit]]:
    return [(unit.pk, unit) for unit in OrganisationUnit.objects.filter(pk__in=ids)
            .order_by("path")]


def _verksamhet_labels(ids: set) -> list[tuple[int | None, object]]:
    labels: list[tuple[int | None, object]] = [
        (verksamhet.pk, verksamhet)
        for verksamhet in Verksamhet.objects.filter(pk__in=ids - {None}).order_by("code")]
    if None in ids:
        labels.append((None, "Utan verksamhet"))
    return labels


def _account_labels(ids: set) -> list[tuple[int, Konto]]:
    return [(konto.pk, konto) for konto in Konto.objects.filter(pk__in=ids).order_by("number")]


def import_log(*, user) -> QuerySet[Utfallsimport]:
    """The newest imports, with who imported them and what replaced them; one query."""
    return (Utfallsimport.objects.select_related("imported_by", "replaced_by")
            .order_by("-imported_at", "-pk")[:IMPORTS_SHOWN])


def import_result(*, utfallsimport: Utfallsimport, user) -> MonthTable:
    """What one import wrote, per nämnd and month (the nämnder the user may read)."""
    sums = restrict(utfallsimport.sums.all(), user, "outcome", unit_field="namnd")
    return _month_table(sums.values_list("namnd_id", "month", "amount"),
                        sorted(utfallsimport.months))


def outcome_by_month(*, year: int, user) -> MonthTable:
    """A year's net outcome per nämnd and month, summed in SQL; two queries."""
    totals = restrict(UtfallManad.objects.filter(year=year), user, "outcome",
                      unit_field="namnd")
    return _month_table(totals.values_list("namnd_id", "month", "amount"), MONTHS)


def outcome_of_namnd(*, year: int, namnd: OrganisationUnit) -> tuple[MonthTable, MonthTable]:
    """One nämnd's year per verksamhet and per account, by month; four queries."""
    rows = Utfall.objects.filter(year=year, namnd=namnd)
    by_verksamhet = (UtfallVerksamhetManad.objects.filter(year=year, namnd=namnd)
                     .values_list("verksamhet_id", "month", "amount"))
    by_account = (rows.values("konto_id", "month").annotate(amount=Sum("amount"))
                  .values_list("konto_id", "month", "amount"))
    return (_month_table(by_verksamhet, MONTHS, _verksamhet_labels),
            _month_table(by_account, MONTHS, _account_labels))


def outcome_years() -> list[int]:
    """The years that have outcome, newest first.

    A DISTINCT reads every outcome row of every year; this asks the year index for the next
    year down, once per year there is (a "loose index scan", which neither database does on its
    own).
    """
    table = connection.ops.quote_name(Utfall._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE years(year) AS ("
            f" SELECT MAX(year) FROM {table}"
            f" UNION ALL SELECT (SELECT MAX(year) FROM {table} WHERE year < years.year)"
            f" FROM years WHERE years.year IS NOT NULL)"
            f" SELECT year FROM years WHERE year IS NOT NULL")
        return [year for (year,) in cursor.fetchall()]


def mappings() -> QuerySet[Objektkoppling]:
    return Objektkoppling.objects.select_related("namnd", "verksamhet").order_by(
        "dimension", "namnd__path", "object_id")


def open_uploads() -> list[Utfallsfil]:
    """Uploads still being read, waiting for confirmation, or refused (newest first)."""
    return list(Utfallsfil.objects.select_related("uploaded_by")
                .filter(status__in=OPEN_UPLOAD_STATUSES)[:20])


@dataclass
class ReplacedRow:
    namnd: OrganisationUnit
    month_label: str
    before: Decimal | None
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - (self.before or Decimal(0))


def replaced_by_import(*, utfallsimport: Utfallsimport, user) -> list[ReplacedRow]:
    """What the import replaced, per nämnd and month: the outcome stored before (as the
    confirmed preview showed it) beside what the import wrote. Empty for a first import."""
    sums = restrict(utfallsimport.sums.select_related("namnd"), user, "outcome",
                    unit_field="namnd")
    rows = list(sums.order_by("namnd__path", "month"))
    if not any(row.amount_before is not None for row in rows):
        return []
    return [ReplacedRow(row.namnd, f"{MONTH_ABBREVIATIONS[row.month - 1]} {utfallsimport.year}",
                        row.amount_before, row.amount) for row in rows]
