"""The one budget variance of a forecast (frame − forecast), as deviations and reporting get it."""

from decimal import Decimal

import pytest

from budget.followup.forecasts import DEFICIT_LIMIT_PERCENT, ForecastVariance, forecast_variance
from budget.followup.selectors import municipality_followup, namnd_followup, variance_of
from budget.models import Prognos
from styrmodell.models import BudgetYear

FRAME = Decimal("100000000")


def test_b2_variance_sign_deficit_is_negative_surplus_positive():
    deficit = ForecastVariance(frame=FRAME, forecast=FRAME + 500)
    surplus = ForecastVariance(frame=FRAME, forecast=FRAME - 500)
    assert deficit.amount == Decimal("-500") and deficit.is_deficit and not deficit.is_surplus
    assert surplus.amount == Decimal("500") and surplus.is_surplus and not surplus.is_deficit
    assert deficit.percent < 0 < surplus.percent


def test_b2_variance_of_zero_is_according_to_frame():
    even = ForecastVariance(frame=FRAME, forecast=FRAME)
    assert even.amount == 0 and even.percent == 0
    assert not even.is_deficit and not even.is_surplus and even.label == "Enligt ram"
    assert not even.is_significant_deficit


def test_d1_variance_of_exactly_the_threshold_is_not_significant():
    assert DEFICIT_LIMIT_PERCENT == Decimal("1.0")
    at_limit = ForecastVariance(frame=FRAME, forecast=FRAME * Decimal("1.01"))
    assert at_limit.percent == Decimal("-1") and not at_limit.is_significant_deficit
    just_over = ForecastVariance(frame=FRAME, forecast=FRAME * Decimal("1.01") + 1)
    assert just_over.is_significant_deficit


def test_d1_no_variance_without_a_frame_and_no_per_cent_of_a_zero_frame():
    assert forecast_variance(frame=None, forecast=FRAME) is None
    zero = ForecastVariance(frame=Decimal("0"), forecast=Decimal("5"))
    assert zero.percent is None and zero.is_deficit and not zero.is_significant_deficit


@pytest.mark.django_db
def test_d1_variance_names_its_namnd_year_and_period(unit, municipality):
    year = BudgetYear.objects.get(year=2026)
    forecast = Prognos.objects.get(namnd=unit("sn"), budget_year=year, period="okt")
    variance = variance_of(forecast=forecast)
    assert (variance.namnd, variance.budget_year, variance.period) == (unit("sn"), year, "okt")
    assert variance.is_significant_deficit  # the demo's Socialnämnden: −1,6 %
    other = variance_of(forecast=Prognos.objects.get(namnd=unit("bun"), budget_year=year,
                                                     period="okt"))
    assert other.namnd == unit("bun") and not other.is_significant_deficit  # −0,9 %


@pytest.mark.django_db
def test_f1_each_follow_up_forecast_and_the_latest_carry_the_same_variance(unit, municipality):
    year = BudgetYear.objects.get(year=2026)
    followup = namnd_followup(namnd=unit("sn"), budget_year=year)
    for row in followup.forecasts:
        assert row.variance == variance_of(forecast=row.forecast)
        assert row.variance.period == row.forecast.period
    overview_row = next(r for r in municipality_followup(budget_year=year).rows
                        if r.namnd == unit("sn"))
    assert overview_row.variance == followup.latest.variance


@pytest.mark.django_db
def test_b2_a_plan_year_without_decided_frame_has_no_variance(unit, municipality):
    plan = BudgetYear.objects.filter(year__gt=2026).order_by("year").first()
    if plan is None:
        pytest.skip("the demo has no plan year")
    forecast = Prognos(namnd=unit("sn"), budget_year=plan, period="okt",
                       total=Decimal("1000"))
    assert variance_of(forecast=forecast) is None
