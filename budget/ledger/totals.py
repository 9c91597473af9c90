"""The month totals of outcome (`UtfallManad`): counted again from the Utfall rows by whatever
writes them, so the pages read a row per nämnd and month whatever the size of the ledger."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Sum

from .models import Utfall, UtfallManad


@transaction.atomic
def refresh_month_totals(*, year: int, months: Iterable[int] | None = None) -> int:
    """Count a year's totals (or those of some of its months) again from its outcome rows;
    returns how many totals there are now. One delete, one grouped read, one insert."""
    rows, totals = Utfall.objects.filter(year=year), UtfallManad.objects.filter(year=year)
    if months is not None:
        months = sorted(set(months))
        rows, totals = rows.filter(month__in=months), totals.filter(month__in=months)
    totals.delete()
    fresh = [UtfallManad(namnd_id=row["namnd_id"], year=year, month=row["month"],
                         amount=row["amount"], rows=row["count"])
             for row in rows.values("namnd_id", "month")
             .annotate(amount=Sum("amount"), count=Count("pk")).order_by()]
    UtfallManad.objects.bulk_create(fresh, batch_size=1000)
    return len(fresh)


def refresh_every_year() -> int:
    """Every year's totals (after a bulk load that wrote Utfall directly)."""
    years = set(Utfall.objects.values_list("year", flat=True).distinct().order_by())
    UtfallManad.objects.exclude(year__in=years).delete()
    return sum(refresh_month_totals(year=year) for year in sorted(years))
