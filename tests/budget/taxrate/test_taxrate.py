"""Skattesats (B11): one per year, decided by KF, a Decimal with two decimals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from budget.models import Skattesats, TaxRateStatus
from budget.taxrate import services as taxrate
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear
from styrmodell.versioning import STALE_MESSAGE, current_version


def test_b11_demo_has_one_rate_per_year_decided_2025_2026_and_proposed_2027(municipality):
    rates = {
        rate.budget_year.year: rate for rate in Skattesats.objects.select_related("budget_year")
    }
    assert rates[2025].percent == Decimal("22.04") and rates[2025].status == "beslutad"
    assert rates[2026].percent == Decimal("22.04")
    assert rates[2027].percent == Decimal("22.29") and rates[2027].status == "forslag"
    assert isinstance(rates[2027].percent, Decimal)


def test_b11_one_rate_per_year(municipality):
    with pytest.raises(IntegrityError), transaction.atomic():
        Skattesats.objects.create(
            budget_year=BudgetYear.objects.get(year=2026), percent=Decimal("21.00")
        )


def test_b11_kf_decides_with_two_decimals_and_history_is_kept(municipality):
    budget_year = BudgetYear.objects.get(year=2027)
    rate = Skattesats.objects.get(budget_year=budget_year)
    with pytest.raises(DomainError, match="två decimaler"):
        taxrate.decide(
            budget_year=budget_year,
            percent=Decimal("22.295"),
            decided_on=dt.date(2026, 11, 23),
            paragraph="98",
            version=current_version(rate),
        )
    with pytest.raises(DomainError, match="t.ex. 22,04"):
        taxrate.propose(
            budget_year=budget_year, percent=Decimal("0"), version=current_version(rate)
        )
    decided = taxrate.decide(
        budget_year=budget_year,
        percent=Decimal("22.29"),
        decided_on=dt.date(2026, 11, 23),
        paragraph="98",
        version=current_version(rate),
    )
    assert decided.pk == rate.pk and decided.status == TaxRateStatus.DECIDED
    assert decided.decision_reference == "KF 23 november 2026, § 98"
    assert decided.history.count() >= 2
    with pytest.raises(DomainError, match="redan beslutat"):
        taxrate.propose(
            budget_year=budget_year, percent=Decimal("22.50"), version=current_version(decided)
        )
    with pytest.raises(DomainError) as stale:
        taxrate.decide(
            budget_year=budget_year,
            percent=Decimal("22.40"),
            decided_on=dt.date(2026, 11, 23),
            paragraph="99",
            version="1",
        )
    assert stale.value.message == STALE_MESSAGE
