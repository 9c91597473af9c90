"""Skattesats (B11): KF decides the municipal tax rate per budget year, one per year, recorded
by the kommunsekreterare; until then the budget's proposal stands. History is kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from budget.models import Skattesats, TaxRateStatus
from budget.reserves.pot import require_decision
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear
from styrmodell.versioning import check_version, first_save

CENT = Decimal("0.01")


def _validate(percent: Decimal | None) -> Decimal:
    if percent is None or not Decimal("0") < percent < Decimal("100"):
        raise DomainError("Ange skattesatsen i kronor per 100 kronor, t.ex. 22,04.",
                          field="percent")
    if percent != percent.quantize(CENT):
        raise DomainError("Skattesatsen anges med högst två decimaler.", field="percent")
    return percent.quantize(CENT)


def _locked(budget_year: BudgetYear, version: str | None) -> Skattesats | None:
    rate = Skattesats.objects.select_for_update().filter(budget_year=budget_year).first()
    if rate is not None:
        check_version(rate, version)
    return rate


@transaction.atomic
def propose(*, budget_year: BudgetYear, percent: Decimal, version: str | None = None
            ) -> Skattesats:
    """The budget proposal's tax rate; once KF has decided, only a new decision changes it."""
    percent = _validate(percent)
    rate = _locked(budget_year, version)
    if rate is None:
        with first_save():
            return Skattesats.objects.create(budget_year=budget_year, percent=percent)
    if rate.status == TaxRateStatus.DECIDED:
        raise DomainError(f"KF har redan beslutat skattesatsen för {budget_year.year}; "
                          "registrera ett nytt beslut i stället.")
    rate.percent = percent
    rate.save()
    return rate


@transaction.atomic
def decide(*, budget_year: BudgetYear, percent: Decimal, decided_on: dt.date, paragraph: str,
           case_number: str = "", version: str | None = None) -> Skattesats:
    """B11: KF's decision (a later decision replaces it; both stay in the history)."""
    percent = _validate(percent)
    require_decision(decided_on=decided_on, paragraph=paragraph)
    rate = _locked(budget_year, version) or Skattesats(budget_year=budget_year)
    rate.percent = percent
    rate.status = TaxRateStatus.DECIDED
    rate.decided_on = decided_on
    rate.paragraph = paragraph.strip()
    rate.case_number = (case_number or "").strip()
    with first_save():
        rate.save()
    return rate
