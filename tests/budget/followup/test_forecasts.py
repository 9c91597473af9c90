"""Forecasts: the deviation from the frame, lines per verksamhet, no lost update, the signal."""

from decimal import Decimal

import pytest

from budget.followup.forecasts import (
    ForecastVariance,
    forecast_variance,
    save_forecast,
)
from budget.followup.selectors import variance_of
from budget.models import Prognos, Verksamhet
from budget.signals import forecast_saved
from styrmodell.errors import DomainError
from styrmodell.formatting import percent
from styrmodell.models import BudgetYear, BudgetYearStatus, User
from styrmodell.versioning import STALE_MESSAGE, current_version


@pytest.fixture
def year_2026(municipality):
    return BudgetYear.objects.get(year=2026)


@pytest.fixture
def ekonom(municipality):
    return User.objects.get(username="ekonom")


def test_b2_deviation_is_frame_minus_forecast_in_kronor_and_exact_per_cent():
    d = ForecastVariance(frame=Decimal("281700000"), forecast=Decimal("286207200"))
    assert d.amount == Decimal("-4507200")
    assert d.percent == Decimal("-1.6")
    assert d.percent_text == "\u22121,60\u00a0%"
    assert d.is_deficit and d.label == "Underskott"
    surplus = ForecastVariance(frame=Decimal("22700000"), forecast=Decimal("22586500"))
    assert surplus.amount == Decimal("113500") and surplus.percent == Decimal("0.5")
    assert surplus.label == "Överskott" and surplus.percent_text == "0,50\u00a0%"


def test_d1_deviation_per_cent_is_not_rounded_before_it_is_compared():
    # 1,004 % is shown as 1,00 % but stays above exactly 1 %, as D1 needs to tell them apart.
    d = ForecastVariance(frame=Decimal("100000000"), forecast=Decimal("101004000"))
    assert d.percent == Decimal("-1.004")
    assert d.percent_rounded == Decimal("-1.00")
    assert -d.percent > Decimal("1.0")
    assert ForecastVariance(frame=Decimal("100000000"), forecast=Decimal("101000000")).percent == -1
    assert percent(Decimal("-1.245")) == "\u22121,25\u00a0%"  # half up, Swedish comma


def test_no_deviation_without_a_frame_or_a_forecast():
    assert forecast_variance(frame=None, forecast=Decimal("1")) is None
    assert forecast_variance(frame=Decimal("1"), forecast=None) is None
    assert ForecastVariance(frame=Decimal("0"), forecast=Decimal("5")).percent is None


def test_demo_d1_socialnamnden_above_and_bun_just_under_one_per_cent(unit, year_2026):
    sn = Prognos.objects.get(namnd=unit("sn"), budget_year=year_2026, period="okt")
    bun = Prognos.objects.get(namnd=unit("bun"), budget_year=year_2026, period="okt")
    assert variance_of(forecast=sn).percent == Decimal("-1.6")
    assert variance_of(forecast=bun).percent == Decimal("-0.9")
    for period in ("feb", "apr"):  # the spring follow-ups of the issue
        assert Prognos.objects.filter(budget_year=year_2026, period=period).count() == 5
    april = {name: variance_of(forecast=Prognos.objects.get(
        namnd=unit(name), budget_year=year_2026, period="apr")).percent for name in ("sn", "bun")}
    assert april == {"sn": Decimal("-1.2"), "bun": Decimal("-0.95")}


def test_b2_the_frame_used_is_the_decided_frame_at_its_current_total(unit, year_2026):
    from budget.models import Driftbudgetram

    forecast = Prognos.objects.get(namnd=unit("sn"), budget_year=year_2026, period="okt")
    frame = Driftbudgetram.objects.get(namnd=unit("sn"), budget_year=year_2026,
                                       stage="beslutad")
    frame.total = forecast.total  # a grant from the ofördelad budget covers the deficit
    frame.save()
    assert variance_of(forecast=forecast).amount == 0


def test_b2_lines_per_verksamhet_make_the_total(unit, year_2026, ekonom):
    verksamheter = list(Verksamhet.objects.filter(namnd=unit("kfn")).order_by("code"))
    amounts = [Decimal("8000000"), Decimal("10500000.50"), Decimal("4200000")]
    forecast = save_forecast(namnd=unit("kfn"), budget_year=year_2026, period="ar",
                             author=ekonom, version="",
                             lines=dict(zip(verksamheter, amounts, strict=True)))
    assert forecast.total == Decimal("22700000.50")
    assert sorted(line.amount for line in forecast.lines.all()) == sorted(amounts)


def test_a_total_that_disagrees_with_the_lines_is_refused(unit, year_2026, ekonom):
    [first, *_] = Verksamhet.objects.filter(namnd=unit("kfn")).order_by("code")
    with pytest.raises(DomainError, match="summan av verksamheterna"):
        save_forecast(namnd=unit("kfn"), budget_year=year_2026, period="ar", author=ekonom,
                      version="", total=Decimal("5"), lines={first: Decimal("4")})
    assert not Prognos.objects.filter(namnd=unit("kfn"), period="ar").exists()


def test_a_line_of_another_namnds_verksamhet_is_refused(unit, year_2026, ekonom):
    foreign = Verksamhet.objects.filter(namnd=unit("sn")).first()
    with pytest.raises(DomainError, match="hör inte till"):
        save_forecast(namnd=unit("bun"), budget_year=year_2026, period="ar", author=ekonom,
                      version="", lines={foreign: Decimal("1000")})


@pytest.mark.parametrize("total", [Decimal("-1"), None, Decimal("1.234")])
def test_negative_missing_or_sub_ore_forecasts_are_refused(unit, year_2026, ekonom, total):
    with pytest.raises(DomainError):
        save_forecast(namnd=unit("bun"), budget_year=year_2026, period="ar", author=ekonom,
                      version="", total=total)


def test_a_closed_year_takes_no_forecast(unit, ekonom):
    closed = BudgetYear.objects.get(year=2025)
    assert closed.status == BudgetYearStatus.CLOSED
    with pytest.raises(DomainError, match="avslutat"):
        save_forecast(namnd=unit("bun"), budget_year=closed, period="okt", author=ekonom,
                      version="", total=Decimal("312000000"))


def test_p5_a_forecast_is_per_namnd_not_per_forvaltning(unit, year_2026, ekonom):
    with pytest.raises(DomainError, match="ingen nämnd"):
        save_forecast(namnd=unit("buf"), budget_year=year_2026, period="ar", author=ekonom,
                      version="", total=Decimal("1"))


def test_two_people_editing_the_same_forecast_the_second_save_is_refused(unit, year_2026):
    forecast = Prognos.objects.get(namnd=unit("bun"), budget_year=year_2026, period="okt")
    opened = current_version(forecast)  # both open the form at this version
    first = User.objects.get(username="ekonom")
    second = User.objects.get(username="bun.forvaltningschef")
    save_forecast(namnd=unit("bun"), budget_year=year_2026, period="okt", author=first,
                  version=opened, total=Decimal("328000000"), comment="Ekonomens bild.")
    with pytest.raises(DomainError) as refused:
        save_forecast(namnd=unit("bun"), budget_year=year_2026, period="okt", author=second,
                      version=opened, total=Decimal("330000000"), comment="Min bild.")
    assert refused.value.message == STALE_MESSAGE
    forecast.refresh_from_db()
    assert forecast.total == Decimal("328000000") and forecast.written_by == first
    assert forecast.history.filter(total=Decimal("330000000")).count() == 0


def test_a_forecast_created_meanwhile_by_someone_else_is_not_overwritten(unit, year_2026,
                                                                         ekonom):
    save_forecast(namnd=unit("sbn"), budget_year=year_2026, period="ar", author=ekonom,
                  version="", total=Decimal("56000000"))
    with pytest.raises(DomainError, match="Någon annan"):
        save_forecast(namnd=unit("sbn"), budget_year=year_2026, period="ar",
                      author=User.objects.get(username="sbn.forvaltningschef"), version="",
                      total=Decimal("57000000"))


def test_the_signal_is_sent_once_per_save_after_commit(unit, year_2026, ekonom,
                                                       django_capture_on_commit_callbacks):
    received = []

    def listener(sender, forecast, created, **kwargs):
        received.append((sender, forecast.pk, created))

    forecast_saved.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            forecast = save_forecast(namnd=unit("kfn"), budget_year=year_2026, period="ar",
                                     author=ekonom, version="", total=Decimal("22000000"))
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert received == [(Prognos, forecast.pk, True)]
        with django_capture_on_commit_callbacks(execute=True):
            save_forecast(namnd=unit("kfn"), budget_year=year_2026, period="ar", author=ekonom,
                          version=current_version(forecast), total=Decimal("22100000"))
        assert received == [(Prognos, forecast.pk, True), (Prognos, forecast.pk, False)]
    finally:
        forecast_saved.disconnect(listener)


def test_a_refused_save_sends_no_signal(unit, year_2026, ekonom,
                                        django_capture_on_commit_callbacks):
    received = []

    def listener(sender, forecast, created, **kwargs):
        received.append(forecast.pk)

    forecast_saved.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
            save_forecast(namnd=unit("kfn"), budget_year=year_2026, period="okt", author=ekonom,
                          version="0", total=Decimal("22000000"))
        assert received == []
        with django_capture_on_commit_callbacks(execute=True):  # the listener does listen
            save_forecast(namnd=unit("kfn"), budget_year=year_2026, period="ar", author=ekonom,
                          version="", total=Decimal("22000000"))
        assert len(received) == 1
    finally:
        forecast_saved.disconnect(listener)
