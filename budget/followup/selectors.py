"""Reads of the economic follow-up: frame, outcome to date, forecasts and their variance,
per nämnd and for the whole municipality. Every figure is summed in SQL; the number of
queries does not grow with the number of outcome rows, forecasts or nämnder.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Prefetch, Sum

from budget.followup.forecasts import ForecastVariance, forecast_variance
from budget.models import (
    Driftbudgetram,
    FrameStage,
    Prognos,
    Prognosrad,
    UtfallManad,
    UtfallVerksamhetManad,
    Verksamhet,
)
from styrmodell.calendar import FOLLOW_UP_STEPS
from styrmodell.models import (
    FOLLOW_UP_ORDER,
    NAMND_LIKE_KINDS,
    BudgetYear,
    CalendarEvent,
    FollowUpPeriod,
    OrganisationUnit,
)

ZERO = Decimal("0")
MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
               "september", "oktober", "november", "december")
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
                       "nov", "dec")


def decided_frames(*, budget_year: BudgetYear,
                   namnd_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """Each nämnd's frame (or only these nämnders') as KF decided it, at its current total
    (grants during the year included): the frame a forecast is measured against."""
    frames = Driftbudgetram.objects.filter(budget_year=budget_year, stage=FrameStage.DECIDED)
    if namnd_ids is not None:
        frames = frames.filter(namnd_id__in=list(namnd_ids))
    return dict(frames.values_list("namnd_id", "total"))


def last_outcome_month(*, year: int) -> int | None:
    """The last month of the year whose outcome has been imported, for any nämnd."""
    return UtfallManad.objects.filter(year=year).aggregate(last=Max("month"))["last"]


def _latest(forecasts: list[Prognos]) -> Prognos | None:
    return max(forecasts, key=lambda f: FOLLOW_UP_ORDER.index(f.period), default=None)


def variance_of(*, forecast: Prognos) -> ForecastVariance | None:
    """The variance of one forecast from its nämnd's decided frame (None without a frame)."""
    frame = (Driftbudgetram.objects.filter(namnd_id=forecast.namnd_id,
                                           budget_year_id=forecast.budget_year_id,
                                           stage=FrameStage.DECIDED)
             .values_list("total", flat=True).first())
    return forecast_variance_of(forecast, frame=frame, namnd=forecast.namnd,
                                budget_year=forecast.budget_year)


def forecast_variance_of(forecast: Prognos, *, frame: Decimal | None,
                         namnd: OrganisationUnit, budget_year: BudgetYear
                         ) -> ForecastVariance | None:
    """A saved forecast's variance from the given frame, naming its nämnd, year and period
    (passed in, so a list reads no nämnd or year per forecast)."""
    return forecast_variance(frame=frame, forecast=forecast.total, namnd=namnd,
                             budget_year=budget_year, period=forecast.period)


@dataclass
class MonthRow:
    month: int
    outcome: Decimal | None  # None: not imported yet
    cumulative: Decimal | None
    budget_cumulative: Decimal | None  # the frame spread evenly: frame × month / 12

    @property
    def name(self) -> str:
        return MONTH_NAMES[self.month - 1]

    @property
    def difference(self) -> Decimal | None:
        """Budget to date − outcome to date: positive is below the straight line."""
        if self.cumulative is None or self.budget_cumulative is None:
            return None
        return self.budget_cumulative - self.cumulative


@dataclass
class ForecastRow:
    forecast: Prognos
    variance: ForecastVariance | None


@dataclass
class VerksamhetRow:
    verksamhet: Verksamhet
    outcome_to_date: Decimal
    forecast: Decimal | None


@dataclass
class NamndFollowUp:
    namnd: OrganisationUnit
    budget_year: BudgetYear
    frame: Decimal | None
    last_month: int | None
    months: list[MonthRow]
    forecasts: list[ForecastRow]
    verksamheter: list[VerksamhetRow]
    unassigned_outcome: Decimal = ZERO  # outcome booked on no verksamhet

    @property
    def outcome_to_date(self) -> Decimal:
        return sum((row.outcome or ZERO for row in self.months), ZERO)

    @property
    def latest(self) -> ForecastRow | None:
        return self.forecasts[-1] if self.forecasts else None

    @property
    def last_month_name(self) -> str:
        return MONTH_NAMES[self.last_month - 1] if self.last_month else ""

    def forecast_for(self, period: str) -> Prognos | None:
        return next((row.forecast for row in self.forecasts if row.forecast.period == period),
                    None)


def namnd_followup(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> NamndFollowUp:
    """One nämnd's year: frame, outcome by month (and cumulative), every forecast with its
    variance, and outcome and latest forecast per verksamhet. Seven queries."""
    frame = (Driftbudgetram.objects.filter(namnd=namnd, budget_year=budget_year,
                                           stage=FrameStage.DECIDED)
             .values_list("total", flat=True).first())
    year = budget_year.year
    last_month = last_outcome_month(year=year)
    by_month = dict(UtfallManad.objects.filter(namnd=namnd, year=year)
                    .values_list("month", "amount"))
    months, running = [], ZERO
    for month in range(1, 13):
        imported = last_month is not None and month <= last_month
        value = by_month.get(month, ZERO) if imported else None
        if value is not None:
            running += value
        months.append(MonthRow(
            month=month, outcome=value, cumulative=running if imported else None,
            budget_cumulative=None if frame is None else frame * month / 12,
        ))
    forecasts = sorted(
        Prognos.objects.filter(namnd=namnd, budget_year=budget_year)
        .select_related("written_by", "budget_year")
        .prefetch_related(Prefetch("lines", Prognosrad.objects.select_related("verksamhet"))),
        key=lambda f: FOLLOW_UP_ORDER.index(f.period),
    )
    latest = forecasts[-1] if forecasts else None
    latest_lines = {line.verksamhet_id: line.amount for line in latest.lines.all()} if latest \
        else {}
    by_verksamhet = dict(UtfallVerksamhetManad.objects.filter(namnd=namnd, year=year)
                         .values("verksamhet").annotate(sum=Sum("amount"))
                         .values_list("verksamhet", "sum"))
    verksamheter = [
        VerksamhetRow(verksamhet=v, outcome_to_date=by_verksamhet.get(v.pk, ZERO),
                      forecast=latest_lines.get(v.pk))
        for v in Verksamhet.objects.filter(namnd=namnd).order_by("code")
    ]
    return NamndFollowUp(
        namnd=namnd, budget_year=budget_year, frame=frame, last_month=last_month,
        months=months,
        forecasts=[ForecastRow(f, forecast_variance_of(f, frame=frame, namnd=namnd,
                                                       budget_year=budget_year))
                   for f in forecasts],
        verksamheter=verksamheter,
        unassigned_outcome=by_verksamhet.get(None, ZERO),
    )


@dataclass
class OverviewRow:
    namnd: OrganisationUnit
    frame: Decimal | None
    outcome_to_date: Decimal
    latest: Prognos | None
    variance: ForecastVariance | None


@dataclass
class Overview:
    budget_year: BudgetYear
    last_month: int | None
    rows: list[OverviewRow] = field(default_factory=list)

    @property
    def last_month_name(self) -> str:
        return MONTH_NAMES[self.last_month - 1] if self.last_month else ""

    @property
    def common_period_label(self) -> str:
        """The follow-up every nämnd's latest forecast comes from, if they share one."""
        periods = {row.latest.period for row in self.rows if row.latest}
        if len(periods) == 1 and all(row.latest for row in self.rows):
            return next(row.latest.period_label for row in self.rows)
        return ""

    @property
    def frame_total(self) -> Decimal:
        return sum((row.frame or ZERO for row in self.rows), ZERO)

    @property
    def outcome_total(self) -> Decimal:
        return sum((row.outcome_to_date for row in self.rows), ZERO)

    @property
    def forecast_total(self) -> Decimal:
        return sum((row.latest.total for row in self.rows if row.latest), ZERO)

    @property
    def complete(self) -> bool:
        """Every nämnd with a frame has a forecast (so the totals compare like with like)."""
        return all(row.variance is not None for row in self.rows if row.frame is not None)

    @property
    def variance(self) -> ForecastVariance | None:
        """The municipality's variance, over the nämnder that have both frame and forecast."""
        measured = [row.variance for row in self.rows if row.variance is not None]
        if not measured:
            return None
        return ForecastVariance(frame=sum((v.frame for v in measured), ZERO),
                                forecast=sum((v.forecast for v in measured), ZERO),
                                budget_year=self.budget_year)


def municipality_followup(*, budget_year: BudgetYear) -> Overview:
    """Every nämnd side by side: frame, outcome to date, latest forecast and its variance.
    Four queries whatever the number of nämnder, outcome rows or forecasts."""
    frames = decided_frames(budget_year=budget_year)
    outcome_rows = (UtfallManad.objects.filter(year=budget_year.year).values("namnd")
                    .annotate(sum=Sum("amount"), last=Max("month")).order_by())
    outcomes, last_month = {}, None
    for row in outcome_rows:
        outcomes[row["namnd"]] = row["sum"]
        last_month = max(last_month or 0, row["last"])
    forecasts: dict[int, list[Prognos]] = defaultdict(list)
    for forecast in (Prognos.objects.filter(budget_year=budget_year)
                     .select_related("written_by")):
        forecasts[forecast.namnd_id].append(forecast)
    overview = Overview(budget_year=budget_year, last_month=last_month)
    namnder = OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS).order_by("path")
    for namnd in namnder:
        if namnd.pk not in frames and namnd.pk not in outcomes and namnd.pk not in forecasts:
            continue
        latest = _latest(forecasts.get(namnd.pk, []))
        frame = frames.get(namnd.pk)
        overview.rows.append(OverviewRow(
            namnd=namnd, frame=frame, outcome_to_date=outcomes.get(namnd.pk, ZERO),
            latest=latest,
            variance=forecast_variance_of(latest, frame=frame, namnd=namnd,
                                          budget_year=budget_year) if latest else None,
        ))
    return overview


# --- At a glance (the start page) ---------------------------------------------------------------


@dataclass
class VarianceRow:
    """One nämnd's latest forecast of the year against its decided frame."""

    namnd: OrganisationUnit
    frame: Decimal | None
    latest: Prognos | None
    variance: ForecastVariance | None


def latest_variances(*, budget_year: BudgetYear) -> list[VarianceRow]:
    """Each nämnd's latest forecast and its variance from the decided frame: the rows and
    figures of the overview (`municipality_followup`) without the outcome, which is not summed.
    Three queries whatever the number of nämnder, outcome rows or forecasts."""
    frames = decided_frames(budget_year=budget_year)
    forecasts: dict[int, list[Prognos]] = defaultdict(list)
    for forecast in (Prognos.objects.filter(budget_year=budget_year)
                     .only("pk", "namnd_id", "budget_year_id", "period", "total")):
        forecasts[forecast.namnd_id].append(forecast)
    has_outcome = Exists(UtfallManad.objects.filter(namnd=OuterRef("pk"),
                                                    year=budget_year.year))
    namnder = (OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS)
               .annotate(has_outcome=has_outcome).order_by("path"))
    rows = []
    for namnd in namnder:
        if namnd.pk not in frames and not namnd.has_outcome and namnd.pk not in forecasts:
            continue
        latest = _latest(forecasts.get(namnd.pk, []))
        frame = frames.get(namnd.pk)
        rows.append(VarianceRow(
            namnd=namnd, frame=frame, latest=latest,
            variance=forecast_variance_of(latest, frame=frame, namnd=namnd,
                                          budget_year=budget_year) if latest else None))
    return rows


def sum_of_variances(rows: Iterable[VarianceRow], *, budget_year: BudgetYear
                     ) -> ForecastVariance | None:
    """The municipality's variance over the nämnder with both frame and forecast, as the
    overview's total (`Overview.variance`)."""
    measured = [row.variance for row in rows if row.variance is not None]
    if not measured:
        return None
    return ForecastVariance(frame=sum((v.frame for v in measured), ZERO),
                            forecast=sum((v.forecast for v in measured), ZERO),
                            budget_year=budget_year)


@dataclass(frozen=True)
class CurrentFollowUp:
    """The follow-up whose forecasts are due now, with its report deadline from the calendar
    (per nämnd where a nämnd has its own date, else the one for every nämnd)."""

    budget_year: BudgetYear
    period: str
    deadlines: dict[int | None, dt.date]

    @property
    def label(self) -> str:
        return FollowUpPeriod(self.period).label

    @property
    def last_month(self) -> int:
        return FollowUpPeriod(self.period).last_month

    @property
    def last_month_name(self) -> str:
        return MONTH_NAMES[self.last_month - 1]

    def deadline_for(self, namnd_id: int | None = None) -> dt.date | None:
        return self.deadlines.get(namnd_id, self.deadlines.get(None))


def month_is_over(year: int, month: int, today: dt.date) -> bool:
    return (year, month) < (today.year, today.month)


def current_follow_up(*, budget_year: BudgetYear, today: dt.date) -> CurrentFollowUp | None:
    """The latest follow-up of the year whose last month is over by today (its outcome can be
    in and its forecast written); None before February is over. One query (the deadlines)."""
    over = [period for period in FOLLOW_UP_ORDER
            if month_is_over(budget_year.year, FollowUpPeriod(period).last_month, today)]
    if not over:
        return None
    period = over[-1]
    events = (CalendarEvent.objects.filter(budget_year=budget_year,
                                           code=FOLLOW_UP_STEPS[period])
              .values_list("unit_id", "date"))
    return CurrentFollowUp(budget_year=budget_year, period=period, deadlines=dict(events))


@dataclass(frozen=True)
class MissingForecast:
    namnd: OrganisationUnit
    follow_up: CurrentFollowUp

    @property
    def deadline(self) -> dt.date | None:
        return self.follow_up.deadline_for(self.namnd.pk)


def forecast_states(*, follow_up: CurrentFollowUp, namnd_ids: Iterable[int] | None = None
                    ) -> list[tuple[OrganisationUnit, bool]]:
    """The active nämnder (or only these) with whether their forecast for the follow-up is
    written, in the organisation's order; one query."""
    written = Exists(Prognos.objects.filter(namnd=OuterRef("pk"),
                                            budget_year=follow_up.budget_year,
                                            period=follow_up.period))
    namnder = OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS, is_active=True)
    if namnd_ids is not None:
        namnder = namnder.filter(pk__in=list(namnd_ids))
    return [(namnd, namnd.written)
            for namnd in namnder.annotate(written=written).order_by("path")]


def missing_forecasts(*, follow_up: CurrentFollowUp, namnd_ids: Iterable[int] | None = None
                      ) -> list[MissingForecast]:
    """The active nämnder (or only these) that have written no forecast for the follow-up;
    one query."""
    return [MissingForecast(namnd, follow_up)
            for namnd, written in forecast_states(follow_up=follow_up, namnd_ids=namnd_ids)
            if not written]
