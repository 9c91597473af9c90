"""Forecasts: writing a nämnd's full-year forecast, and its budget variance from the frame.

The variance is frame − forecast: positive is a surplus, negative a deficit, in kronor and in
per cent of the frame (`ForecastVariance`, with the D1 threshold check). Whether to open a
deviation case is the deviations app's to decide; it hears of every saved forecast through
`budget.signals.forecast_saved`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from budget.models import Prognos, Prognosrad, Verksamhet
from budget.signals import forecast_saved
from styrmodell.errors import DomainError
from styrmodell.formatting import percent
from styrmodell.models import (
    NAMND_LIKE_KINDS,
    BudgetYear,
    BudgetYearStatus,
    FollowUpPeriod,
    OrganisationUnit,
    User,
)
from styrmodell.versioning import (
    check_new_row_version,
    check_version,
    first_save,
)

HUNDRED = Decimal("100")
CENT = Decimal("0.01")
# DecimalField(max_digits=16, decimal_places=2): below 10^14 kronor.
LARGEST = Decimal("99999999999999.99")


def percent_of(amount: Decimal, base: Decimal) -> Decimal | None:
    """`amount` in per cent of `base`, unrounded; None for a base of zero."""
    if not base:
        return None
    return amount * HUNDRED / base


def rounded_percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


# D1: a forecast deficit is väsentligt when it exceeds this share of the frame (exactly is not).
DEFICIT_LIMIT_PERCENT = Decimal("1.0")


@dataclass(frozen=True)
class ForecastVariance:
    """A forecast's budget variance: the one place it is computed, handed whole to the
    deviations app and the reports.

    Sign convention: `amount` = frame − forecast. Positive is a surplus (överskott), negative a
    deficit (underskott), zero is "enligt ram"; the same sign in kronor and in per cent of the
    frame, as the pages show it ("Avvikelse mot ram"). `namnd`, `budget_year` and `period` say
    whose forecast it is; they are None for a sum over several nämnder.
    """

    frame: Decimal
    forecast: Decimal
    namnd: OrganisationUnit | None = None
    budget_year: BudgetYear | None = None
    period: str | None = None

    @property
    def amount(self) -> Decimal:
        return self.frame - self.forecast

    @property
    def percent(self) -> Decimal | None:
        """The variance in per cent of the frame, unrounded (None for a frame of zero)."""
        return percent_of(self.amount, self.frame)

    @property
    def percent_rounded(self) -> Decimal | None:
        return rounded_percent(self.percent)

    @property
    def percent_text(self) -> str:
        return percent(self.percent)

    @property
    def is_deficit(self) -> bool:
        return self.amount < 0

    @property
    def is_surplus(self) -> bool:
        return self.amount > 0

    @property
    def is_significant_deficit(self) -> bool:
        """D1: the deficit exceeds 1.0 % of the frame, compared exactly (1.0 % is not, 1.01 %
        is); a frame of zero or less has no per cent to exceed."""
        if self.frame <= 0:
            return False
        return -self.amount * HUNDRED > DEFICIT_LIMIT_PERCENT * self.frame

    @property
    def label(self) -> str:
        if self.is_deficit:
            return "Underskott"
        if self.is_surplus:
            return "Överskott"
        return "Enligt ram"


def forecast_variance(*, frame: Decimal | None, forecast: Decimal | None,
                      namnd: OrganisationUnit | None = None,
                      budget_year: BudgetYear | None = None,
                      period: str | None = None) -> ForecastVariance | None:
    """The variance of a forecast from a frame; None when either is missing."""
    if frame is None or forecast is None:
        return None
    return ForecastVariance(frame=frame, forecast=forecast, namnd=namnd,
                            budget_year=budget_year, period=period)


def _check_amount(amount: Decimal, *, what: str, field: str) -> Decimal:
    if amount < 0:
        raise DomainError(f"{what} kan inte vara negativ: ange nettokostnaden i kronor.",
                          field=field)
    if amount > LARGEST:
        raise DomainError(f"{what} är orimligt stor.", field=field)
    if amount != amount.quantize(CENT):
        raise DomainError(f"{what} anges i kronor med högst två decimaler.", field=field)
    return amount


@transaction.atomic
def save_forecast(
    *,
    namnd: OrganisationUnit,
    budget_year: BudgetYear,
    period: str,
    author: User,
    version: str | None,
    total: Decimal | None = None,
    lines: Mapping[Verksamhet, Decimal] | None = None,
    comment: str = "",
) -> Prognos:
    """Write or update the nämnd's full-year forecast for a follow-up period.

    With lines per verksamhet the total is their sum (a total given as well must agree). A
    closed year takes no forecasts. The form carries the version it was opened at; a save
    against an older one is refused (no lost update). `forecast_saved` is sent on commit.
    """
    if period not in FollowUpPeriod.values:
        raise DomainError("Okänd uppföljning.", field="period")
    if namnd.kind not in NAMND_LIKE_KINDS:
        raise DomainError(f"{namnd} är ingen nämnd: prognoser lämnas per nämnd.")
    if budget_year.status == BudgetYearStatus.CLOSED:
        raise DomainError(f"Budgetåret {budget_year.year} är avslutat: prognoser kan inte "
                          "längre lämnas eller ändras.")
    lines = {verksamhet: amount for verksamhet, amount in (lines or {}).items()
             if amount is not None}
    for verksamhet, amount in lines.items():
        if verksamhet.namnd_id != namnd.pk:
            raise DomainError(f"Verksamheten {verksamhet} hör inte till {namnd}.")
        _check_amount(amount, what=f"Prognosen för {verksamhet.name}",
                      field=f"verksamhet_{verksamhet.pk}")
    if lines:
        line_sum = sum(lines.values(), Decimal("0"))
        if total is not None and total != line_sum:
            raise DomainError("Totalen stämmer inte med summan av verksamheterna. Lämna totalen "
                              "tom så räknas den fram.", field="total")
        total = line_sum
    if total is None:
        raise DomainError("Ange helårsprognosen, totalt eller per verksamhet.", field="total")
    _check_amount(total, what="Helårsprognosen", field="total")

    forecast = (Prognos.objects.select_for_update()
                .filter(namnd=namnd, budget_year=budget_year, period=period).first())
    created = forecast is None
    if created:
        check_new_row_version(version)
        forecast = Prognos(namnd=namnd, budget_year=budget_year, period=period)
    else:
        check_version(forecast, version)
    forecast.total = total
    forecast.comment = (comment or "").strip()
    forecast.written_by = author
    forecast.written_at = timezone.now()
    with first_save():
        forecast.save()
        _replace_lines(forecast, lines)
    transaction.on_commit(
        lambda: forecast_saved.send(sender=Prognos, forecast=forecast, created=created)
    )
    return forecast


def _replace_lines(forecast: Prognos, lines: Mapping[Verksamhet, Decimal]) -> None:
    """Update the lines in place (each change in its history), drop those no longer given."""
    existing = {line.verksamhet_id: line for line in forecast.lines.all()}
    for verksamhet, amount in lines.items():
        line = existing.pop(verksamhet.pk, None)
        if line is None:
            Prognosrad.objects.create(prognos=forecast, verksamhet=verksamhet, amount=amount)
        elif line.amount != amount:
            line.amount = amount
            line.save()
    for line in existing.values():
        line.delete()
