"""Reads of outcomes: the import log, one import's result, and a year's outcome per nämnd."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from styrmodell.models import OrganisationUnit
from styrmodell.permissions import restrict

from .models import Objektkoppling, Utfall, Utfallsimport
from .models.outcomes import MONTH_ABBREVIATIONS

MONTHS = list(range(1, 13))
IMPORTS_SHOWN = 200


@dataclass
class MonthRow:
    namnd: OrganisationUnit
    cells: list[Decimal | None]
    total: Decimal


@dataclass
class MonthTable:
    """Amounts per nämnd (rows) and month (columns), with totals both ways."""

    months: list[int]
    rows: list[MonthRow]
    month_totals: list[Decimal | None]
    total: Decimal

    @property
    def month_labels(self) -> list[str]:
        return [MONTH_ABBREVIATIONS[month - 1] for month in self.months]


def _month_table(amounts: Iterable[tuple[int, int, Decimal]], months: list[int]) -> MonthTable:
    """(nämnd id, month, amount) rows into a MonthTable; one query for the nämnder."""
    by_namnd: dict[int, dict[int, Decimal]] = {}
    for namnd_id, month, amount in amounts:
        cells = by_namnd.setdefault(namnd_id, {})
        cells[month] = cells.get(month, Decimal(0)) + amount
    units = OrganisationUnit.objects.filter(pk__in=by_namnd).order_by("path") if by_namnd else []
    rows = []
    month_totals: dict[int, Decimal] = {}
    for unit in units:
        cells = by_namnd[unit.pk]
        rows.append(MonthRow(unit, [cells.get(month) for month in months],
                             sum(cells.values(), Decimal(0))))
        for month, amount in cells.items():
            month_totals[month] = month_totals.get(month, Decimal(0)) + amount
    return MonthTable(months, rows, [month_totals.get(month) for month in months],
                      sum(month_totals.values(), Decimal(0)))


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
    rows = restrict(Utfall.objects.filter(year=year), user, "outcome", unit_field="namnd")
    sums = (rows.values("namnd_id", "month").annotate(amount=Sum("amount"))
            .values_list("namnd_id", "month", "amount"))
    return _month_table(sums, MONTHS)


def outcome_years() -> list[int]:
    return list(Utfall.objects.order_by("-year").values_list("year", flat=True).distinct())


def mappings() -> QuerySet[Objektkoppling]:
    return Objektkoppling.objects.select_related("namnd", "verksamhet").order_by(
        "dimension", "namnd__path", "object_id")
