"""The month totals of outcome (`UtfallManad`, and `UtfallVerksamhetManad` per verksamhet): a
nämnd's net outcome per month, kept beside the Utfall rows by what writes them, so the follow-up
pages read a row per nämnd (and verksamhet) and month whatever the size of the ledger. They must
always equal the rows' sums: after the demo, after an import, after a re-import that replaces
some months, and for real ledger files."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from budget.followup.selectors import last_outcome_month, municipality_followup, namnd_followup
from budget.ledger import outcomes
from budget.ledger.selectors import outcome_of_namnd
from budget.ledger.totals import refresh_every_year, refresh_month_totals
from budget.models import Utfall, UtfallManad, UtfallVerksamhetManad
from styrmodell.models import BudgetYear, User

from .test_outcomes import DEMO_SIE, HEAD


def _summed(**filters) -> dict[tuple[int, int, int], tuple[Decimal, int]]:
    return {(row["namnd_id"], row["year"], row["month"]): (row["amount"], row["count"])
            for row in Utfall.objects.filter(**filters).values("namnd_id", "year", "month")
            .annotate(amount=Sum("amount"), count=Count("pk")).order_by()}


def _kept(**filters) -> dict[tuple[int, int, int], tuple[Decimal, int]]:
    """The nämnd totals, after checking that the verksamhet totals are the rows' sums too."""
    assert _kept_by_verksamhet(**filters) == _summed_by_verksamhet(**filters)
    return {(t.namnd_id, t.year, t.month): (t.amount, t.rows)
            for t in UtfallManad.objects.filter(**filters)}


def _summed_by_verksamhet(**filters) -> dict[tuple, Decimal]:
    return {(row["namnd_id"], row["verksamhet_id"], row["year"], row["month"]): row["amount"]
            for row in Utfall.objects.filter(**filters)
            .values("namnd_id", "verksamhet_id", "year", "month")
            .annotate(amount=Sum("amount")).order_by()}


def _kept_by_verksamhet(**filters) -> dict[tuple, Decimal]:
    kept = list(UtfallVerksamhetManad.objects.filter(**filters))
    found = {(t.namnd_id, t.verksamhet_id, t.year, t.month): t.amount for t in kept}
    assert len(found) == len(kept)  # one total per nämnd, verksamhet and month
    return found


@pytest.fixture
def ekonom(municipality):
    return User.objects.get(username="ekonom")


def test_the_demo_keeps_a_total_for_every_namnd_and_month_it_has_outcome_for(municipality):
    assert _kept() and _kept() == _summed()


def test_an_import_counts_the_months_it_writes_and_leaves_the_others(ekonom):
    earlier = _kept(month__lt=11)
    outcomes.import_sie(file=DEMO_SIE.open("rb"), file_name=DEMO_SIE.name, user=ekonom)
    assert _kept() == _summed()
    assert _kept(month__lt=11) == earlier


def test_a_re_import_of_one_month_replaces_its_totals_and_a_namnd_without_rows_has_none(
        ekonom):
    data = ("\r\n".join([*HEAD, '#KONTO 6110 "Lokalhyror"', '#DIM 1 "Ansvar"',
                         '#OBJEKT 1 "410" "Grundskola"',
                         '#VER A 1 20261115 "Hyra november"', "{",
                         '#TRANS 6110 {1 "410"} 1200.00', "#TRANS 1930 {} -1200.00", "}"])
            + "\r\n").encode("cp437")
    outcomes.import_sie(file=io.BytesIO(data), file_name="nov.se", user=ekonom)
    november = _kept(year=2026, month=11)
    assert [amount for amount, _rows in november.values()] == [Decimal("1200.00")]
    assert november == _summed(year=2026, month=11)
    assert _kept() == _summed()


def test_refreshing_some_months_touches_only_those(municipality):
    bun_march = UtfallManad.objects.filter(year=2026, month=3).first()
    UtfallManad.objects.filter(pk=bun_march.pk).update(amount=Decimal(1))
    one_verksamhet = UtfallVerksamhetManad.objects.filter(year=2026, month=3).first()
    UtfallVerksamhetManad.objects.filter(pk=one_verksamhet.pk).update(amount=Decimal(1))
    refresh_month_totals(year=2026, months=[4])
    assert UtfallManad.objects.get(pk=bun_march.pk).amount == Decimal(1)
    assert UtfallVerksamhetManad.objects.get(pk=one_verksamhet.pk).amount == Decimal(1)
    refresh_month_totals(year=2026, months=[3])
    assert _kept(year=2026, month=3) == _summed(year=2026, month=3)


def test_refreshing_every_year_drops_the_totals_of_a_year_with_no_rows_left(municipality):
    Utfall.objects.filter(year=2025).delete()
    refresh_every_year()
    assert not UtfallManad.objects.filter(year=2025).exists()
    assert not UtfallVerksamhetManad.objects.filter(year=2025).exists()
    assert _kept() == _summed()


def test_the_overview_and_the_last_month_read_the_totals(municipality):
    year = BudgetYear.objects.get(year=2026)
    overview = municipality_followup(budget_year=year)
    by_namnd: dict[int, Decimal] = {}
    for (namnd, _y, _m), (amount, _r) in _summed(year=2026).items():
        by_namnd[namnd] = by_namnd.get(namnd, Decimal(0)) + amount
    assert by_namnd and {row.namnd.pk: row.outcome_to_date for row in overview.rows
                     if row.namnd.pk in by_namnd} == by_namnd
    assert last_outcome_month(year=2026) == max(m for (_n, _y, m) in _summed(year=2026))
    # Rows that are not in the totals are not read: the pages trust the totals.
    Utfall.objects.filter(year=2026).update(amount=Decimal(0))
    assert municipality_followup(budget_year=year).rows[0].outcome_to_date == \
        overview.rows[0].outcome_to_date


def test_a_namnds_outcome_per_verksamhet_reads_the_verksamhet_totals(municipality):
    year = BudgetYear.objects.get(year=2026)
    bun = municipality["bun"]
    summed: dict[int | None, Decimal] = {}
    for (_n, verksamhet, _y, _m), amount in _summed_by_verksamhet(namnd=bun, year=2026).items():
        summed[verksamhet] = summed.get(verksamhet, Decimal(0)) + amount
    followup = namnd_followup(namnd=bun, budget_year=year)
    shown = {row.verksamhet.pk: row.outcome_to_date for row in followup.verksamheter}
    assert summed and {pk: shown[pk] for pk in summed if pk is not None} == {
        pk: amount for pk, amount in summed.items() if pk is not None}
    assert followup.unassigned_outcome == summed.get(None, Decimal(0))
    by_verksamhet, _by_account = outcome_of_namnd(year=2026, namnd=bun)
    assert by_verksamhet.total == sum(summed.values())
    # The rows themselves are not read for it: the page trusts the totals.
    Utfall.objects.filter(namnd=bun, year=2026).update(amount=Decimal(0))
    again = namnd_followup(namnd=bun, budget_year=year)
    assert [row.outcome_to_date for row in again.verksamheter] == \
        [row.outcome_to_date for row in followup.verksamheter]
