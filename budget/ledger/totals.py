"""The month totals of outcome (`UtfallManad` per nämnd, `UtfallVerksamhetManad` per nämnd and
verksamhet): counted again from the Utfall rows by whatever writes them, so the pages read a row
per nämnd (and verksamhet) and month whatever the size of the ledger."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Sum

from .models import Utfall, UtfallManad, UtfallVerksamhetManad


@transaction.atomic
def refresh_month_totals(*, year: int, months: Iterable[int] | None = None) -> int:
    """Count a year's totals (or those of some of its months) again from its outcome rows;
    returns how many nämnd totals there are now. Per kind of total one delete, one grouped
    read and one insert."""
    rows = Utfall.objects.filter(year=year)
    totals = UtfallManad.objects.filter(year=year)
    by_verksamhet = UtfallVerksamhetManad.objects.filter(year=year)
    if months is not None:
        months = sorted(set(months))
        rows, totals = rows.filter(month__in=months), totals.filter(month__in=months)
        by_verksamhet = by_verksamhet.filter(month__in=months)
    totals.delete()
    by_verksamhet.delete()
    fresh = [UtfallManad(namnd_id=row["namnd_id"], year=year, month=row["month"],
                         amount=row["amount"], rows=row["count"])
             for row in rows.values("namnd_id", "month")
             .annotate(amount=Sum("amount"), count=Count("pk")).order_by()]
    UtfallManad.objects.bulk_create(fresh, batch_size=1000)
    UtfallVerksamhetManad.objects.bulk_create(
        (UtfallVerksamhetManad(namnd_id=row["namnd_id"], verksamhet_id=row["verksamhet_id"],
                               year=year, month=row["month"], amount=row["amount"])
         for row in rows.values("namnd_id", "verksamhet_id", "month")
         .annotate(amount=Sum("amount")).order_by()),
        batch_size=1000)
    return len(fresh)


def refresh_every_year() -> int:
    """Every year's totals (after a bulk load that wrote Utfall directly)."""
    years = set(Utfall.objects.values_list("year", flat=True).distinct().order_by())
    UtfallManad.objects.exclude(year__in=years).delete()
    UtfallVerksamhetManad.objects.exclude(year__in=years).delete()
    return sum(refresh_month_totals(year=year) for year in sorted(years))
