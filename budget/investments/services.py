"""Investments (B8, B9): capital costs, KF's decisions on appropriations, ombudgetering,
follow-up of outcome and final-cost forecast, exploatering over its whole life, and the
expected overrun that the deviations app reports on (D7, D8).

Capital cost convention (B8). Each year's appropriation is activated (added to the asset's
book value) at the end of the later of its own year and the year the project is taken into
use (`in_use_year`, by default the end year). Depreciation is straight-line over the project's
depreciation period and starts the year after activation: amount / N per year in whole kronor,
the last year taking the rounding remainder so the years sum exactly to the amount.
Internränta of a year is that year's rate on the book value at the start of the year (activated
amounts less depreciation of earlier years), in whole kronor. A year without its own rate uses
the latest earlier rate. Capital costs are computed on the appropriations (the budget), since
they are what the nämnd's frame is compensated with. Exploatering is land for sale, not a
fixed asset, and carries no capital cost.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from budget.investments import kept_figures
from budget.models import (
    Anslag,
    Arsredovisningsbeslut,
    Internranta,
    Investeringsprojekt,
    Investeringsutfall,
    Ombudgetering,
    ProjectKind,
    ProjectStatus,
    Slutkostnadsprognos,
    larger_project_threshold,  # noqa: F401 - re-exported for the deviations app (D8)
)
from styrmodell.errors import DomainError
from styrmodell.formatting import kronor as kronor_text
from styrmodell.models import NAMND_LIKE_KINDS, FollowUpPeriod, OrganisationUnit
from styrmodell.permissions import restrict
from styrmodell.versioning import (
    check_new_row_version,
    check_version,
    first_save,
)

ZERO = Decimal("0")
HUNDRED = Decimal("100")
KRONA = Decimal("1")
TENTH = Decimal("0.1")
# The spread of years an appropriation may be moved within, around its project.
MAX_PROJECT_YEARS = 30


def kronor(amount: Decimal) -> Decimal:
    return amount.quantize(KRONA, rounding=ROUND_HALF_UP)


# --- capital costs (B8) --------------------------------------------------------------------


@dataclass(frozen=True)
class CapitalCost:
    year: int
    avskrivning: Decimal
    internranta: Decimal
    book_value_start: Decimal

    @property
    def total(self) -> Decimal:
        return self.avskrivning + self.internranta


def rate_for(year: int, rates: Mapping[int, Decimal]) -> Decimal:
    """The internränta of a year, or the latest earlier one; 0 when none is set yet."""
    known = [rate_year for rate_year in rates if rate_year <= year]
    return rates[max(known)] if known else ZERO


def depreciation_plan(amount: Decimal, years: int) -> list[Decimal]:
    """Straight-line in whole kronor; the last year takes the remainder, so the sum is exact."""
    if years <= 0:
        return []
    yearly = kronor(amount / years)
    return [yearly] * (years - 1) + [amount - yearly * (years - 1)]


def tranche_in_year(amount: Decimal, depreciation_years: int | None, activated: int,
                    year: int) -> tuple[Decimal, Decimal]:
    """B8: (avskrivning, book value at the start of the year) of one amount activated at the
    end of `activated`, following its `depreciation_plan` without listing it."""
    if not amount or activated >= year:
        return ZERO, ZERO
    years = depreciation_years or 0
    if years <= 0:
        return ZERO, amount
    done = min(year - activated - 1, years)
    if done == years:
        return ZERO, ZERO
    yearly = kronor(amount / years)
    avskrivning = yearly if done < years - 1 else amount - yearly * (years - 1)
    return avskrivning, amount - yearly * done


def capital_cost_schedule(*, tranches: Mapping[int, Decimal], depreciation_years: int | None,
                          rates: Mapping[int, Decimal], years: Iterable[int]) -> list[CapitalCost]:
    """B8: avskrivning and internränta per year of amounts activated at the end of each
    tranche's year (see the module docstring for the convention)."""
    schedule = []
    for year in years:
        book_value = ZERO
        avskrivning = ZERO
        for activated, amount in tranches.items():
            depreciated, book = tranche_in_year(amount, depreciation_years, activated, year)
            avskrivning += depreciated
            book_value += book
        interest = kronor(book_value * rate_for(year, rates) / HUNDRED)
        schedule.append(CapitalCost(year, avskrivning, interest, book_value))
    return schedule


def tranches_of(project: Investeringsprojekt,
                appropriations: Iterable[Anslag]) -> dict[int, Decimal]:
    """Each appropriation's amount by the year it is activated."""
    tranches: dict[int, Decimal] = defaultdict(Decimal)
    for anslag in appropriations:
        tranches[max(anslag.year, project.activation_year)] += anslag.amount
    return dict(tranches)


def all_rates() -> dict[int, Decimal]:
    return dict(Internranta.objects.values_list("year", "percent"))


def project_capital_costs(project: Investeringsprojekt, years: Iterable[int],
                          rates: Mapping[int, Decimal] | None = None) -> list[CapitalCost]:
    """A project's capital costs for the given years; none for exploatering.

    Uses `project.appropriations.all()`, so a prefetched list costs no query.
    """
    years = list(years)
    if project.is_exploitation or not project.depreciation_years:
        return [CapitalCost(year, ZERO, ZERO, ZERO) for year in years]
    return capital_cost_schedule(
        tranches=tranches_of(project, project.appropriations.all()),
        depreciation_years=project.depreciation_years,
        rates=all_rates() if rates is None else rates, years=years)


@dataclass
class NamndCapitalCosts:
    namnd: OrganisationUnit
    by_year: dict[int, Decimal] = field(default_factory=dict)
    amounts: list[Decimal] = field(default_factory=list)  # in the order of the years asked

    def cells(self, years: Sequence[int]) -> list[Decimal]:
        return [self.by_year.get(year, ZERO) for year in years]


def capital_costs_by_namnd(projects: Iterable[Investeringsprojekt], years: Sequence[int],
                           rates: Mapping[int, Decimal]) -> tuple[list[NamndCapitalCosts],
                                                                   list[Decimal]]:
    """B8: the capital cost each nämnd is compensated for in its frame, per year, with totals."""
    rows: dict[int, NamndCapitalCosts] = {}
    totals = [ZERO] * len(years)
    for project in projects:
        if project.status == ProjectStatus.PROPOSAL:
            continue  # not decided: no compensation in the frame yet
        row = rows.setdefault(project.namnd_id, NamndCapitalCosts(project.namnd))
        for index, cost in enumerate(project_capital_costs(project, years, rates)):
            row.by_year[cost.year] = row.by_year.get(cost.year, ZERO) + cost.total
            totals[index] += cost.total
    ordered = sorted(rows.values(), key=lambda row: row.namnd.path)
    for row in ordered:
        row.amounts = row.cells(years)
    return [row for row in ordered if any(row.amounts)], totals


def capital_costs_of(projects: QuerySet[Investeringsprojekt], years: Sequence[int],
                     rates: Mapping[int, Decimal]) -> tuple[list[NamndCapitalCosts],
                                                            list[Decimal]]:
    """B8: `capital_costs_by_namnd` of a queryset, with the tranches summed in the database
    (see `_capital_costs_per_namnd`), the nämnder read afresh in one more query."""
    by_namnd, totals = _capital_costs_per_namnd(projects, years, rates)
    return _capital_rows(by_namnd, years), totals


def _capital_rows(by_namnd: Mapping[int, list[Decimal]],
                  years: Sequence[int]) -> list[NamndCapitalCosts]:
    rows = []
    for namnd in OrganisationUnit.objects.filter(pk__in=[
            namnd_id for namnd_id, costs in by_namnd.items() if any(costs)]).order_by("path"):
        amounts = by_namnd[namnd.pk]
        rows.append(NamndCapitalCosts(namnd, dict(zip(years, amounts, strict=True)), amounts))
    return rows


def _capital_costs_per_namnd(projects: QuerySet[Investeringsprojekt], years: Sequence[int],
                             rates: Mapping[int, Decimal]) -> tuple[dict[int, list[Decimal]],
                                                                    list[Decimal]]:
    """B8: each nämnd's capital costs in the years (by the nämnd's id), and their totals.

    One row per project and activation year, whatever the number of appropriations. Only
    tranches being written off in the years are read: one activated in the last year or later
    has no cost yet, one activated more than its depreciation period before the first year is
    written off already."""
    written_off = projects.filter(depreciation_years__gt=0).exclude(
        status=ProjectStatus.PROPOSAL).exclude(kind=ProjectKind.EXPLOITATION)
    tranches = (Anslag.objects.filter(project__in=written_off.values("pk"))
                .annotate(activated=Greatest("year", Coalesce("project__in_use_year",
                                                              "project__end_year")))
                .filter(activated__lt=max(years),
                        activated__gte=min(years) - F("project__depreciation_years"))
                .order_by().values("project_id", "project__namnd_id",
                                   "project__depreciation_years", "activated")
                .annotate(total=Sum("amount")))
    book_values: dict[int, list[Decimal]] = {}
    by_namnd: dict[int, list[Decimal]] = {}
    namnd_of: dict[int, int] = {}
    for tranche in tranches:
        project_id, namnd_id = tranche["project_id"], tranche["project__namnd_id"]
        namnd_of[project_id] = namnd_id
        books = book_values.setdefault(project_id, [ZERO] * len(years))
        costs = by_namnd.setdefault(namnd_id, [ZERO] * len(years))
        for index, year in enumerate(years):
            avskrivning, book = tranche_in_year(tranche["total"],
                                                tranche["project__depreciation_years"],
                                                tranche["activated"], year)
            books[index] += book
            costs[index] += avskrivning
    # Internränta is rounded per project and year, on the project's whole book value.
    year_rates = [rate_for(year, rates) for year in years]
    for project_id, books in book_values.items():
        costs = by_namnd[namnd_of[project_id]]
        for index, book in enumerate(books):
            costs[index] += kronor(book * year_rates[index] / HUNDRED)
    totals = [sum((costs[index] for costs in by_namnd.values()), ZERO)
              for index in range(len(years))]
    return by_namnd, totals


# --- expected overrun (for D7/D8 in the deviations app) ------------------------------------


@dataclass(frozen=True)
class ExpectedOverrun:
    """A project's latest final-cost forecast against its total budget.

    `amount` = forecast − total budget in kronor (negative when under budget); `percent` is the
    exact share of the budget (for display use `percent_display`); compare against a limit with
    `exceeds(...)`, which does not round (10.04 % exceeds 10 %, exactly 10 % does not).
    """

    project: Investeringsprojekt
    total_budget: Decimal
    spent_to_date: Decimal
    forecast: Decimal
    forecast_made_on: dt.date
    forecast_period: str

    @property
    def amount(self) -> Decimal:
        return self.forecast - self.total_budget

    @property
    def percent(self) -> Decimal:
        if not self.total_budget:
            return ZERO
        return self.amount * HUNDRED / self.total_budget

    @property
    def percent_display(self) -> Decimal:
        return self.percent.quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def is_overrun(self) -> bool:
        return self.amount > 0

    def exceeds(self, percent_limit: Decimal) -> bool:
        """True when the overrun is *more than* `percent_limit` % of the total budget."""
        return self.amount * HUNDRED > self.total_budget * percent_limit


def latest_forecast(project: Investeringsprojekt) -> Slutkostnadsprognos | None:
    """The newest follow-up's forecast; uses `project.forecasts.all()` (prefetch it)."""
    forecasts = list(project.forecasts.all())
    return max(forecasts, key=lambda forecast: forecast.sort_key) if forecasts else None


def spent_to_date(project: Investeringsprojekt) -> Decimal:
    """All years' outcome; uses `project.outcomes.all()` (prefetch it)."""
    return sum((outcome.amount for outcome in project.outcomes.all()), ZERO)


def expected_overrun(project: Investeringsprojekt) -> ExpectedOverrun | None:
    """The expected overrun of a project, or None while it has no final-cost forecast.

    Reads `project.forecasts` and `project.outcomes`; prefetch them for lists
    (`with_follow_up(queryset)`).
    """
    forecast = latest_forecast(project)
    if forecast is None:
        return None
    return ExpectedOverrun(project=project, total_budget=project.total_budget,
                           spent_to_date=spent_to_date(project), forecast=forecast.amount,
                           forecast_made_on=forecast.made_on, forecast_period=forecast.period)


def with_follow_up(queryset: QuerySet[Investeringsprojekt]) -> QuerySet[Investeringsprojekt]:
    """Projects with their nämnd, appropriations, outcomes and forecasts fetched up front."""
    return queryset.select_related("namnd").prefetch_related(
        Prefetch("appropriations", queryset=Anslag.objects.order_by("year")),
        Prefetch("outcomes", queryset=Investeringsutfall.objects.order_by("year")),
        Prefetch("forecasts", queryset=Slutkostnadsprognos.objects.select_related("made_by")),
    )


def projects_with_expected_overrun(
    *, projects: QuerySet[Investeringsprojekt] | None = None,
) -> list[ExpectedOverrun]:
    """Every project (or those of `projects`) whose latest final-cost forecast is above its
    total budget, ordered by nämnd and name; four queries whatever the number of projects.

    The deviations app picks its cases from this list, e.g. D8:
    `[o for o in projects_with_expected_overrun() if o.total_budget > larger_project_threshold()
    and o.exceeds(Decimal("10"))]`.
    """
    queryset = Investeringsprojekt.objects.all() if projects is None else projects
    found = []
    for project in with_follow_up(queryset.order_by("namnd__path", "name")):
        overrun = expected_overrun(project)
        if overrun is not None and overrun.is_overrun:
            found.append(overrun)
    return found


# --- the year's overview -------------------------------------------------------------------


@dataclass
class ProjectRow:
    project: Investeringsprojekt
    appropriation: Decimal
    spent: Decimal
    spent_to_date: Decimal
    overrun: ExpectedOverrun | None

    @property
    def forecast(self) -> Decimal | None:
        return self.overrun.forecast if self.overrun else None


@dataclass
class ExploitationRow:
    project: Investeringsprojekt
    costs: Decimal
    income: Decimal
    spent: Decimal
    received: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.costs

    @property
    def outcome_net(self) -> Decimal:
        return self.received - self.spent


@dataclass
class YearOverview:
    year: int
    rows: ProjectRows
    totals: dict[str, Decimal]
    capital_years: list[int]
    capital_rows: list[NamndCapitalCosts]
    capital_totals: list[Decimal]
    rates: dict[int, Decimal]


def visible_projects(user) -> QuerySet[Investeringsprojekt]:
    """The projects a user may read; `user=None` for a document every reader gets alike (a
    published report), which may hold only what every role reads: the investment budget is
    readable everywhere (see the permission table)."""
    if user is None:
        return Investeringsprojekt.objects.all()
    return restrict(Investeringsprojekt.objects.all(), user, "investment", unit_field="namnd")


def may_be_written_off_in(years: Sequence[int]) -> Q:
    """B8: the decided projects that may carry a capital cost in one of the years, finished
    ones included: one taken into use is written off after its end year, until its last year
    of depreciation. An appropriation is activated at the latest in the end year (ombudgetering
    moves the end year with it), so no project has a capital cost after end year plus the
    depreciation period; the schedule itself says which of those years still carry one."""
    return (Q(depreciation_years__gt=0, start_year__lte=max(years),
              end_year__gte=min(years) - F("depreciation_years"))
            & ~Q(status=ProjectStatus.PROPOSAL) & ~Q(kind=ProjectKind.EXPLOITATION))


def project_rows_of(*, user, year: int, namnd_ids: Iterable[int]) -> list[ProjectRow]:
    """The lines of the projects running in the year for these nämnder only, as a report
    section shows them (no capital costs, no exploatering): one query, whatever the number
    of projects of the other nämnder."""
    queryset = visible_projects(user).filter(start_year__lte=year, end_year__gte=year,
                                             namnd_id__in=list(namnd_ids))
    return [year_row(project) for project in
            with_year_figures(queryset, year).order_by("namnd__path", "name", "pk")]


DECIMAL = DecimalField(max_digits=16, decimal_places=2)


def _sum_per_project(model, field_name: str, **filters) -> Coalesce:
    """The sum of one field of a project's rows (appropriations, outcomes), 0 without any."""
    rows = (model.objects.filter(project=OuterRef("pk"), **filters).order_by()
            .values("project").annotate(total=Sum(field_name)).values("total"))
    return Coalesce(Subquery(rows, output_field=DECIMAL), Value(ZERO), output_field=DECIMAL)


def _latest_forecast_field(field_name: str, output_field) -> Subquery:
    """A field of the project's latest final-cost forecast, in the order of
    `Slutkostnadsprognos.sort_key` (year, then the follow-up's last month)."""
    last_month = Case(*(When(period=period.value, then=Value(period.last_month))
                        for period in FollowUpPeriod), output_field=IntegerField())
    latest = (Slutkostnadsprognos.objects.filter(project=OuterRef("pk"))
              .annotate(last_month=last_month).order_by("-year", "-last_month"))
    return Subquery(latest.values(field_name)[:1], output_field=output_field)


def with_year_figures(queryset: QuerySet[Investeringsprojekt],
                      year: int) -> QuerySet[Investeringsprojekt]:
    """Projects with their nämnd and, computed in the database, what a `ProjectRow` and an
    `ExploitationRow` show: the year's appropriation and outcome, the outcome of all years,
    the latest forecast and the lifetime budget (one query for any number of projects)."""
    forecast = Slutkostnadsprognos._meta
    return queryset.select_related("namnd").annotate(
        year_appropriation=_sum_per_project(Anslag, "amount", year=year),
        year_spent=_sum_per_project(Investeringsutfall, "amount", year=year),
        total_spent=_sum_per_project(Investeringsutfall, "amount"),
        total_received=_sum_per_project(Investeringsutfall, "income"),
        total_appropriated=_sum_per_project(Anslag, "amount"),
        total_income=_sum_per_project(Anslag, "income"),
        latest_forecast=_latest_forecast_field("amount", DECIMAL),
        latest_forecast_made_on=_latest_forecast_field("made_on",
                                                       forecast.get_field("made_on")),
        latest_forecast_period=_latest_forecast_field("period", forecast.get_field("period")),
    )


def year_row(project: Investeringsprojekt) -> ProjectRow:
    """A project's line of the year, from the figures `with_year_figures` fetches: what
    `spent_to_date` and `expected_overrun` give for the project, made in the database."""
    overrun = None
    if project.latest_forecast is not None:
        overrun = ExpectedOverrun(
            project=project, total_budget=project.total_budget,
            spent_to_date=project.total_spent, forecast=project.latest_forecast,
            forecast_made_on=project.latest_forecast_made_on,
            forecast_period=project.latest_forecast_period)
    return ProjectRow(project, project.year_appropriation, project.year_spent,
                      project.total_spent, overrun)


class ProjectRows(Sequence):
    """The year's project lines, read as they are asked for: a page (a slice) fetches only
    its own projects, so the paginator's page costs one query whatever the number of
    projects; iterating gives every line (the Excel export) in chunks."""

    def __init__(self, queryset: QuerySet[Investeringsprojekt], count: int | None = None):
        self.queryset = queryset
        self._count = count

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:
        return self.count() > 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [year_row(project) for project in self.queryset[index]]
        return year_row(self.queryset[index])

    def __iter__(self):
        for project in self.queryset.iterator(chunk_size=500):
            yield year_row(project)


def exploitation_rows(rows: Iterable[ProjectRow]) -> list[ExploitationRow]:
    """B8: the exploatering projects among the year's lines, over their whole life (the same
    sums as `exploitation_totals`, made in the database by `with_year_figures`)."""
    return [ExploitationRow(row.project, costs=row.project.total_appropriated,
                            income=row.project.total_income, spent=row.project.total_spent,
                            received=row.project.total_received)
            for row in rows if row.project.is_exploitation]


def _year_totals(projects: QuerySet[Investeringsprojekt]) -> tuple[dict[str, Decimal], int]:
    """The sums of the year's lines over every page, and their number; the forecast sum
    counts the total budget of a project without a forecast."""
    zero = Value(ZERO, output_field=DECIMAL)
    found = projects.aggregate(
        budget=Coalesce(Sum("total_budget"), zero),
        appropriation=Coalesce(Sum("year_appropriation"), zero),
        spent=Coalesce(Sum("year_spent"), zero),
        spent_to_date=Coalesce(Sum("total_spent"), zero),
        forecast=Coalesce(Sum(Coalesce("latest_forecast", "total_budget",
                                       output_field=DECIMAL)), zero),
        count=Count("pk"))
    count = found.pop("count")
    return (found if count else {}), count


def year_overview(*, user, year: int, namnd: OrganisationUnit | None = None,
                  projects: QuerySet[Investeringsprojekt] | None = None) -> YearOverview:
    """B8: the year's projects with appropriation, outcome, forecast and expected overrun; the
    capital costs per nämnd for the year and its two plan years; exploatering over its whole
    life. A project finished before the year is still in the capital costs while it is being
    written off (B8). `namnd` and `projects` (a reader's filter) narrow what the user may
    read, in the query.

    The sums are made in the database and `rows` are read as they are asked for (a page, or
    all of them for an export), so the overview costs a fixed number of queries and its work
    follows what is shown, whatever the number of projects; the exploatering of the rows
    shown is `exploitation_rows(...)`."""
    capital_years = [year, year + 1, year + 2]
    in_year = Q(start_year__lte=year, end_year__gte=year)
    queryset = visible_projects(user).filter(in_year | may_be_written_off_in(capital_years))
    if namnd is not None:
        queryset = queryset.filter(namnd=namnd)
    if projects is not None:
        queryset = queryset & projects
    of_year = with_year_figures(queryset.filter(in_year), year).order_by("namnd__path", "name",
                                                                        "pk")
    # Both span every project of the year, not the page: kept until a source row changes.
    version, projects_key = kept_figures.figures_version(), kept_figures.key_of(queryset)
    totals, count = kept_figures.kept("year-totals", version=version, projects_key=projects_key,
                                      years=(year,), compute=lambda: _year_totals(of_year))
    rates = all_rates()
    by_namnd, capital_totals = kept_figures.kept(
        "capital-costs", version=version, projects_key=projects_key, years=tuple(capital_years),
        compute=lambda: _capital_costs_per_namnd(queryset, capital_years, rates))
    return YearOverview(year, ProjectRows(of_year, count), totals, capital_years,
                        _capital_rows(by_namnd, capital_years), capital_totals, rates)


# --- exploatering over its whole life (B8) -------------------------------------------------


@dataclass(frozen=True)
class LifetimeYear:
    year: int
    costs: Decimal
    income: Decimal
    spent: Decimal
    received: Decimal
    anslag: Anslag | None = None

    @property
    def net(self) -> Decimal:
        return self.income - self.costs

    @property
    def outcome_net(self) -> Decimal:
        return self.received - self.spent


def exploitation_lifetime(project: Investeringsprojekt) -> list[LifetimeYear]:
    """B8: every year of the project, budget (costs, income from land sales) and outcome."""
    budget = {a.year: a for a in project.appropriations.all()}
    outcome = {o.year: o for o in project.outcomes.all()}
    first = min([project.start_year, *budget, *outcome])
    last = max([project.end_year, *budget, *outcome])
    lifetime = []
    for year in range(first, last + 1):
        planned, actual = budget.get(year), outcome.get(year)
        lifetime.append(LifetimeYear(
            year, planned.amount if planned else ZERO, planned.income if planned else ZERO,
            actual.amount if actual else ZERO, actual.income if actual else ZERO, planned))
    return lifetime


def exploitation_totals(project: Investeringsprojekt) -> ExploitationRow:
    years = exploitation_lifetime(project)
    return ExploitationRow(
        project,
        costs=sum((y.costs for y in years), ZERO), income=sum((y.income for y in years), ZERO),
        spent=sum((y.spent for y in years), ZERO), received=sum((y.received for y in years), ZERO))


# --- the project page ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectYear:
    year: int
    anslag: Anslag | None
    outcome: Investeringsutfall | None
    capital: CapitalCost


def project_years(project: Investeringsprojekt, rates: Mapping[int, Decimal]) -> list[ProjectYear]:
    """Each year from the start to two years past the end: appropriation, outcome and the
    capital cost (which runs on after the project is finished)."""
    budget = {a.year: a for a in project.appropriations.all()}
    outcome = {o.year: o for o in project.outcomes.all()}
    first = min([project.start_year, *budget, *outcome])
    last = max([project.end_year, *budget, *outcome]) + 2
    years = list(range(first, last + 1))
    capital = project_capital_costs(project, years, rates)
    return [ProjectYear(year, budget.get(year), outcome.get(year), cost)
            for year, cost in zip(years, capital, strict=True)]


def get_project(pk: int) -> Investeringsprojekt:
    return with_follow_up(Investeringsprojekt.objects.filter(pk=pk)).get()


# --- changes by the finance office (proposals) ---------------------------------------------


PROJECT_FIELDS = ("namnd", "objekt", "name", "kind", "total_budget", "start_year", "end_year",
                  "in_use_year", "depreciation_years", "description", "consequences")


def _clean_project(fields: dict) -> dict:
    namnd = fields.get("namnd")
    if namnd is None or namnd.kind not in NAMND_LIKE_KINDS:
        raise DomainError("Välj den nämnd som projektet hör till.", field="namnd")
    if not (fields.get("name") or "").strip():
        raise DomainError("Ange projektets namn.", field="name")
    budget = fields.get("total_budget")
    if budget is None or budget <= 0:
        raise DomainError("Totalbudgeten ska vara större än noll kronor.", field="total_budget")
    start, end = fields.get("start_year"), fields.get("end_year")
    if start is None or end is None or end < start:
        raise DomainError("Slutåret kan inte vara före startåret.", field="end_year")
    if end - start >= MAX_PROJECT_YEARS:
        raise DomainError(f"Ett projekt kan löpa högst {MAX_PROJECT_YEARS} år.", field="end_year")
    in_use = fields.get("in_use_year")
    if in_use is not None and not start <= in_use <= end:
        raise DomainError("Året då projektet tas i bruk ska ligga mellan start- och slutåret.",
                          field="in_use_year")
    if fields.get("kind") == ProjectKind.EXPLOITATION:
        fields["depreciation_years"] = None
    elif not fields.get("depreciation_years"):
        raise DomainError("Ange avskrivningstiden: kapitalkostnaden räknas på den (B8).",
                          field="depreciation_years")
    cleaned = {name: fields.get(name) for name in PROJECT_FIELDS}
    for text in ("objekt", "description", "consequences"):
        cleaned[text] = (cleaned[text] or "").strip()
    cleaned["name"] = cleaned["name"].strip()
    return cleaned


@transaction.atomic
def create_project(**fields) -> Investeringsprojekt:
    """A project proposal prepared by the finance office; KF decides it later (B8)."""
    return Investeringsprojekt.objects.create(**_clean_project(fields))


@transaction.atomic
def update_project(*, project: Investeringsprojekt, version: str | None,
                   status: str | None = None, **fields) -> Investeringsprojekt:
    """Change a project's description; once KF has decided, its total budget and years are
    changed only by a new decision (ombudgetering moves years, B9)."""
    project = Investeringsprojekt.objects.select_for_update().get(pk=project.pk)
    check_version(project, version)
    cleaned = _clean_project(fields)
    if project.status != ProjectStatus.PROPOSAL:
        locked = [name for name in ("namnd", "kind", "total_budget")
                  if cleaned[name] != getattr(project, name)]
        if locked:
            raise DomainError("Nämnd, typ och totalbudget för ett beslutat projekt ändras bara "
                              "genom ett nytt beslut i KF.")
    if status is not None and status != project.status:
        if ProjectStatus.PROPOSAL in (status, project.status):
            raise DomainError("Ett projekt blir beslutat när kommunsekreteraren registrerar "
                              "KF:s beslut.", field="status")
        project.status = status
    for name, value in cleaned.items():
        setattr(project, name, value)
    project.save()
    return project


@transaction.atomic
def propose_appropriation(*, project: Investeringsprojekt, year: int, amount: Decimal,
                          income: Decimal = ZERO, version: str | None) -> Anslag:
    """The finance office's proposal of a year's appropriation; a decided one is changed only
    by KF (ombudgetering, B9)."""
    project = Investeringsprojekt.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.PROPOSAL:
        raise DomainError("KF har beslutat projektets anslag; de ändras bara genom ett nytt "
                          "beslut i KF, till exempel ombudgetering (B9).")
    if amount is None or amount < 0 or (income or ZERO) < 0:
        raise DomainError("Beloppen kan inte vara negativa.", field="amount")
    if not project.start_year <= year <= project.end_year:
        raise DomainError(f"Året ska ligga inom projektets år {project.start_year}–"
                          f"{project.end_year}.", field="year")
    if income and not project.is_exploitation:
        raise DomainError("Inkomster av markförsäljning förs bara på exploateringsprojekt.",
                          field="income")
    anslag = Anslag.objects.select_for_update().filter(project=project, year=year).first()
    if anslag is None:
        if version not in (None, "", "0"):
            raise DomainError("Anslaget har tagits bort medan du redigerade. Ladda om sidan.")
        with first_save():
            return Anslag.objects.create(project=project, year=year, amount=amount,
                                         income=income or ZERO)
    check_version(anslag, version)
    if anslag.is_decided:
        raise DomainError(f"Anslaget för {year} är beslutat av KF och ändras bara genom "
                          "ombudgetering i KF (B9).")
    anslag.amount, anslag.income = amount, income or ZERO
    anslag.save()
    return anslag


# --- KF's decisions, recorded by the kommunsekreterare -------------------------------------


@transaction.atomic
def record_decision(*, project: Investeringsprojekt, decided_on: dt.date,
                    paragraph: str) -> list[Anslag]:
    """B8: KF decides the project and its proposed appropriations; the consequences for the
    driftbudget must have been shown and the years must add up to the total budget."""
    project = Investeringsprojekt.objects.select_for_update().get(pk=project.pk)
    if not (paragraph or "").strip():
        raise DomainError("Ange paragrafen i KF:s protokoll.", field="paragraph")
    if decided_on is None:
        raise DomainError("Ange datum för KF:s beslut.", field="decided_on")
    if not project.consequences.strip():
        raise DomainError("Konsekvenserna för driften (följdkostnader och intäkter) ska visas "
                          "innan KF beslutar (B8). Be ekonomiavdelningen beskriva dem först.")
    appropriations = list(project.appropriations.select_for_update().order_by("year"))
    proposed = [anslag for anslag in appropriations if not anslag.is_decided]
    if not proposed:
        raise DomainError("Det finns inga föreslagna anslag att besluta.")
    total = sum((anslag.amount for anslag in appropriations), ZERO)
    if total != project.total_budget:
        raise DomainError(f"Anslagen summerar till {kronor_text(total)} men totalbudgeten är "
                          f"{kronor_text(project.total_budget)}: rätta förslaget först.")
    for anslag in proposed:
        anslag.decided_on, anslag.paragraph = decided_on, paragraph.strip()
        anslag.save()
    if project.status == ProjectStatus.PROPOSAL:
        project.status = ProjectStatus.DECIDED
        project.save()
    return proposed


@transaction.atomic
def record_annual_report_decision(*, budget_year, decided_on: dt.date, paragraph: str = "",
                                  case_number: str = "",
                                  recorded_by=None) -> Arsredovisningsbeslut:
    """B9: KF's decision on the årsredovisning of `budget_year`, which reporting hands over when
    the kommunsekreterare records it; the decision ombudgeteringar of the year are part of."""
    if decided_on is None:
        raise DomainError("Ange datum för KF:s beslut.", field="decided_on")
    decision, _ = Arsredovisningsbeslut.objects.update_or_create(
        budget_year=budget_year,
        defaults={"decided_on": decided_on, "paragraph": (paragraph or "").strip(),
                  "case_number": (case_number or "").strip(), "recorded_by": recorded_by})
    return decision


def annual_report_decisions() -> QuerySet[Arsredovisningsbeslut]:
    """KF's recorded decisions on årsredovisningar, newest year first."""
    return Arsredovisningsbeslut.objects.select_related("budget_year").order_by(
        "-budget_year__year")


@transaction.atomic
def ombudgetera(*, project: Investeringsprojekt, from_year: int, to_year: int, amount: Decimal,
                reason: str, annual_report: Arsredovisningsbeslut | None,
                recorded_by=None) -> Ombudgetering:
    """B9: KF moves an appropriation between years only as part of its decision on the
    årsredovisning, for a stated special reason; never a reinvestment appropriation. The
    årsredovisning's year is one of the two (the year closed: a delayed project moves money
    out of it, one brought forward into it). The amount leaves `from_year` and is added to
    `to_year`; both appropriations keep their history, and the move is linked to the decision."""
    project = Investeringsprojekt.objects.select_for_update().get(pk=project.pk)
    if project.kind == ProjectKind.REINVESTMENT:
        raise DomainError("Reinvesteringsanslag får inte ombudgeteras till ett annat år: det som "
                          "inte används under året förfaller (B9).")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Ange det särskilda skälet till ombudgeteringen, till exempel att "
                          "projektet är försenat eller tidigarelagt (B9).", field="reason")
    if annual_report is None or annual_report.decided_on is None:
        raise DomainError("Ombudgetering mellan år beslutas av KF i samband med behandlingen av "
                          "årsredovisningen. Välj KF:s beslut om årsredovisningen; finns det "
                          "inte, registreras det först på årsredovisningen.",
                          field="annual_report")
    if from_year == to_year:
        raise DomainError("Välj ett annat år att flytta anslaget till.", field="to_year")
    report_year = annual_report.budget_year.year
    if report_year not in (from_year, to_year):
        raise DomainError(f"Med årsredovisningen för {report_year} ombudgeteras anslag från "
                          f"eller till {report_year}.", field="from_year")
    if abs(to_year - project.start_year) >= MAX_PROJECT_YEARS:
        raise DomainError("Året ligger för långt från projektets år.", field="to_year")
    source = (Anslag.objects.select_for_update()
              .filter(project=project, year=from_year).first())
    if source is None or not source.is_decided:
        raise DomainError(f"Projektet har inget av KF beslutat anslag för {from_year}.",
                          field="from_year")
    if amount is None or amount <= 0:
        raise DomainError("Beloppet ska vara större än noll kronor.", field="amount")
    if amount > source.amount:
        raise DomainError("Det går inte att flytta mer än årets anslag, "
                          f"{kronor_text(source.amount)}.", field="amount")
    target = Anslag.objects.select_for_update().filter(project=project, year=to_year).first()
    if target is not None and not target.is_decided:
        raise DomainError(f"Anslaget för {to_year} är ännu bara ett förslag; KF beslutar det "
                          "först.", field="to_year")
    paragraph = annual_report.paragraph
    source.amount -= amount
    source.save()
    if target is None:
        target = Anslag(project=project, year=to_year, amount=ZERO)
    target.amount += amount
    target.decided_on, target.paragraph = annual_report.decided_on, paragraph
    target.save()
    project.start_year = min(project.start_year, to_year)
    project.end_year = max(project.end_year, to_year)
    project.save()
    return Ombudgetering.objects.create(
        project=project, from_year=from_year, to_year=to_year, amount=amount, reason=reason,
        decided_on=annual_report.decided_on, paragraph=paragraph,
        with_annual_report=True, annual_report=annual_report, recorded_by=recorded_by)


# --- follow-up by the finance office and the förvaltningschef ------------------------------


@transaction.atomic
def record_follow_up(*, project: Investeringsprojekt, year: int, period: str,
                     spent: Decimal, received: Decimal = ZERO, forecast: Decimal,
                     comment: str = "", spent_version: str | None,
                     forecast_version: str | None, made_by=None,
                     made_on: dt.date | None = None) -> Slutkostnadsprognos:
    """A follow-up of a project: the year's outcome so far and the forecast of the final cost
    (F1: April, August, October). Two people saving at once: the second is refused."""
    project = Investeringsprojekt.objects.select_for_update().get(pk=project.pk)
    if project.status == ProjectStatus.PROPOSAL:
        raise DomainError("Ett projekt som KF inte har beslutat har inget utfall att följa upp.")
    if spent is None or spent < 0 or (received or ZERO) < 0:
        raise DomainError("Utfallet kan inte vara negativt.", field="spent")
    if forecast is None or forecast < 0:
        raise DomainError("Ange prognosen för slutkostnaden i kronor.", field="forecast")
    if received and not project.is_exploitation:
        raise DomainError("Inkomster av markförsäljning förs bara på exploateringsprojekt.",
                          field="received")
    FollowUpPeriod(period)
    if not project.start_year <= year <= timezone.localdate().year:
        raise DomainError(f"Utfall förs för åren {project.start_year}–"
                          f"{timezone.localdate().year}.", field="year")
    outcome = Investeringsutfall.objects.select_for_update().filter(
        project=project, year=year).first()
    _check_row_version(outcome, spent_version)
    prognos = Slutkostnadsprognos.objects.select_for_update().filter(
        project=project, year=year, period=period).first()
    _check_row_version(prognos, forecast_version)
    if outcome is None:
        outcome = Investeringsutfall(project=project, year=year)
    outcome.amount, outcome.income = spent, received or ZERO
    if prognos is None:
        prognos = Slutkostnadsprognos(project=project, year=year, period=period)
    prognos.amount, prognos.comment = forecast, (comment or "").strip()
    prognos.made_by, prognos.made_on = made_by, made_on or timezone.localdate()
    with first_save():
        outcome.save()
        prognos.save()
    return prognos


def _check_row_version(row, version: str | None) -> None:
    if row is None:
        check_new_row_version(version)
        return
    check_version(row, version)


def default_period(today: dt.date | None = None) -> str:
    """The follow-up investments are reported in now (F1: April, August, October)."""
    month = (today or timezone.localdate()).month
    for period in (FollowUpPeriod.OCTOBER, FollowUpPeriod.AUGUST, FollowUpPeriod.APRIL):
        if month >= period.last_month:
            return period.value
    return FollowUpPeriod.YEAR.value


@dataclass(frozen=True)
class AppropriationChange:
    when: dt.datetime
    who: str
    year: int
    amount: Decimal
    decided: bool
    what: str


def appropriation_log(project: Investeringsprojekt) -> list[AppropriationChange]:
    """Every change of the project's appropriations, newest first (B9: a move shows as one
    year going down and another going up)."""
    records = (Anslag.history.filter(project_id=project.pk).select_related("history_user")
               .order_by("-history_date", "-history_id"))
    kinds = {"+": "Föreslaget", "~": "Ändrat", "-": "Borttaget"}
    return [AppropriationChange(record.history_date,
                                str(record.history_user) if record.history_user else "Systemet",
                                record.year, record.amount, record.decided_on is not None,
                                kinds.get(record.history_type, record.history_type))
            for record in records[:100]]
