"""Verksamhetens volymer (F1; §2, §6): a nämnd's volume measures, their budgeted volume, and the
outcome and full-year forecast reported in each follow-up, with the variance from budget.

The variance is forecast − budget: positive means more volume than budgeted (and, with a cost
per unit, a higher cost), in units and in per cent of the budget. Beside the measures stands the
population the nämnd's volymtillskott follow (B4): forecast against actual per age group, and
the surplus the nämnd must deliver where fewer people live there than forecast.

Reads (`volumes_for`) fetch every nämnd asked for in a fixed number of queries; writes are
services that validate everything before they save anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from budget.followup.forecasts import percent_of, rounded_percent
from budget.models import Population, VolumeRate, Volymmatt, Volymuppfoljning
from styrmodell.errors import DomainError
from styrmodell.formatting import number, percent
from styrmodell.models import (
    FOLLOW_UP_ORDER,
    NAMND_LIKE_KINDS,
    BudgetYear,
    BudgetYearStatus,
    FollowUpPeriod,
    OrganisationUnit,
    User,
)
from styrmodell.versioning import (
    check_submitted_version,
    check_version,
    first_save,
    set_version,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
KRONA = Decimal("1")
# A volume is stored and shown with at most two decimals: "1 190", "12,5".
VOLUME_PLACES = 2
# DecimalField(max_digits=14, decimal_places=2): below 10^12.
LARGEST = Decimal("999999999999.99")
YEAR = FollowUpPeriod.YEAR.value


# --- the variance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VolumeVariance:
    """Forecast − budget: positive is more volume than budgeted, negative less."""

    budget: Decimal
    forecast: Decimal

    @property
    def amount(self) -> Decimal:
        return self.forecast - self.budget

    @property
    def percent(self) -> Decimal | None:
        """The variance in per cent of the budgeted volume, unrounded (None for a budget of 0)."""
        return percent_of(self.amount, self.budget)

    @property
    def percent_rounded(self) -> Decimal | None:
        return rounded_percent(self.percent)

    @property
    def text(self) -> str:
        return number(self.amount, max_places=VOLUME_PLACES, signed=True)

    @property
    def percent_text(self) -> str:
        return percent(self.percent, signed=True)

    def cost(self, cost_per_unit: Decimal | None) -> Decimal | None:
        """What the variance costs at the budgeted cost per unit, in whole kronor."""
        if cost_per_unit is None:
            return None
        return (self.amount * cost_per_unit).quantize(KRONA, rounding=ROUND_HALF_UP)


def volume_variance(*, budget: Decimal | None, forecast: Decimal | None
                    ) -> VolumeVariance | None:
    if budget is None or forecast is None:
        return None
    return VolumeVariance(budget=budget, forecast=forecast)


# --- reads ------------------------------------------------------------------------------------


@dataclass
class VolumeRow:
    """One measure with what was reported for it in the period shown (None: nothing yet)."""

    measure: Volymmatt
    entry: Volymuppfoljning | None
    # Every period's report of the measure, in the order of the year.
    entries: list[Volymuppfoljning] = field(default_factory=list)

    @property
    def outcome(self) -> Decimal | None:
        return self.entry.outcome if self.entry else None

    @property
    def forecast(self) -> Decimal | None:
        return self.entry.forecast if self.entry else None

    @property
    def variance(self) -> VolumeVariance | None:
        return volume_variance(budget=self.measure.budget, forecast=self.forecast)

    @property
    def cost_effect(self) -> Decimal | None:
        variance = self.variance
        return variance.cost(self.measure.cost_per_unit) if variance else None

    @property
    def comment(self) -> str:
        return self.entry.comment if self.entry else ""

    def forecast_for(self, period: str) -> Decimal | None:
        return next((e.forecast for e in self.entries if e.period == period), None)

    def by_period(self) -> list[tuple[str, Decimal | None]]:
        return [(period, self.forecast_for(period)) for period in FOLLOW_UP_ORDER]


@dataclass(frozen=True)
class PopulationRow:
    """B4: an age group whose volymtillskott the nämnd receives, forecast against actual."""

    age_group: str
    forecast: int | None
    actual: int | None
    rate: Decimal  # kronor per inhabitant

    @property
    def difference(self) -> int | None:
        """Actual − forecast: negative is fewer inhabitants than the frame was built on."""
        if self.forecast is None or self.actual is None:
            return None
        return self.actual - self.forecast

    @property
    def difference_text(self) -> str:
        return number(self.difference, signed=True)

    @property
    def surplus_required(self) -> Decimal | None:
        """The surplus the nämnd must deliver: (forecast − actual) × kronor per inhabitant
        where fewer live there than forecast; zero where as many or more; None until known."""
        if self.difference is None:
            return None
        if self.difference >= 0:
            return ZERO
        return (-self.difference * self.rate).quantize(KRONA, rounding=ROUND_HALF_UP)


@dataclass
class NamndVolumes:
    namnd: OrganisationUnit
    budget_year: BudgetYear
    period: str | None  # None: the latest report of each measure
    rows: list[VolumeRow] = field(default_factory=list)
    population: list[PopulationRow] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return FollowUpPeriod(self.period).label if self.period else "Senaste uppföljningen"

    @property
    def is_annual(self) -> bool:
        return self.period == YEAR

    @property
    def reported(self) -> bool:
        return any(row.entry for row in self.rows)

    @property
    def missing(self) -> list[VolumeRow]:
        return [row for row in self.rows if row.entry is None]

    @property
    def commented(self) -> list[VolumeRow]:
        return [row for row in self.rows if row.comment]

    @property
    def has_cost(self) -> bool:
        return any(row.measure.cost_per_unit is not None for row in self.rows)

    @property
    def cost_effect(self) -> Decimal | None:
        """The sum of the cost effects of the measures that have one."""
        effects = [row.cost_effect for row in self.rows if row.cost_effect is not None]
        return sum(effects, ZERO) if effects else None

    @property
    def population_known(self) -> bool:
        return any(row.actual is not None for row in self.population)

    @property
    def surplus_required(self) -> Decimal | None:
        """B4: the surplus over every age group whose actual population is known."""
        known = [row.surplus_required for row in self.population
                 if row.surplus_required is not None]
        return sum(known, ZERO) if known else None


def _pick(entries: list[Volymuppfoljning], period: str | None) -> Volymuppfoljning | None:
    if period:
        return next((e for e in entries if e.period == period), None)
    return entries[-1] if entries else None


def volumes_for(*, budget_year: BudgetYear, namnder: Iterable[OrganisationUnit],
                period: str | None, population: bool = True) -> dict[int, NamndVolumes]:
    """Each nämnd's measures with the period's reports (None: each measure's latest), and the
    population its volymtillskott follow. Four queries whatever the number of nämnder."""
    namnder = list(namnder)
    result = {n.pk: NamndVolumes(namnd=n, budget_year=budget_year, period=period)
              for n in namnder}
    if not namnder:
        return result
    measures = (Volymmatt.objects.filter(namnd_id__in=result, budget_year=budget_year)
                .order_by("namnd__path", "position", "pk")
                .prefetch_related("followups"))
    for measure in measures:
        entries = sorted(measure.followups.all(), key=lambda e: FOLLOW_UP_ORDER.index(e.period))
        result[measure.namnd_id].rows.append(
            VolumeRow(measure=measure, entry=_pick(entries, period), entries=entries))
    if population:
        for namnd_id, rows in population_rows(year=budget_year.year,
                                              namnd_ids=list(result)).items():
            result[namnd_id].population = rows
    return result


def namnd_volumes(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                  period: str | None) -> NamndVolumes:
    return volumes_for(budget_year=budget_year, namnder=[namnd], period=period)[namnd.pk]


def population_rows(*, year: int, namnd_ids: list[int]) -> dict[int, list[PopulationRow]]:
    """B4 per nämnd: every age group it has kronor per inhabitant for, with the year's
    population forecast and, once known, actual. Two queries."""
    rates = list(VolumeRate.objects.filter(namnd_id__in=namnd_ids).select_related("age_group")
                 .order_by("age_group__min_age"))
    people = {p.age_group_id: p for p in Population.objects.filter(
        year=year, age_group_id__in={rate.age_group_id for rate in rates})}
    rows: dict[int, list[PopulationRow]] = defaultdict(list)
    for rate in rates:
        found = people.get(rate.age_group_id)
        rows[rate.namnd_id].append(PopulationRow(
            age_group=str(rate.age_group), forecast=found.forecast if found else None,
            actual=found.actual if found else None, rate=rate.amount))
    return rows


def latest_reported_period(*, budget_year: BudgetYear) -> str | None:
    """The latest follow-up of the year any nämnd has reported volumes in."""
    periods = set(Volymuppfoljning.objects.filter(measure__budget_year=budget_year)
                  .values_list("period", flat=True).distinct())
    reached = [p for p in FOLLOW_UP_ORDER if p in periods]
    return reached[-1] if reached else None


def namnder_with_volumes(*, budget_year: BudgetYear) -> list[OrganisationUnit]:
    """Every active nämnd, and any other that has measures this year, in the organisation's
    order (one query)."""
    has_measures = Exists(Volymmatt.objects.filter(namnd=OuterRef("pk"),
                                                   budget_year=budget_year))
    return list(OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS)
                .filter(Q(is_active=True) | Q(has_measures)).order_by("path"))


# --- versions -----------------------------------------------------------------------------------


def followups_version(*, namnd: OrganisationUnit, budget_year: BudgetYear, period: str) -> str:
    """The newest history record of the nämnd's reports in the period (deleted ones too): the
    version the entry form carries, so two people saving the same period never overwrite."""
    measure_ids = list(Volymmatt.objects.filter(namnd=namnd, budget_year=budget_year)
                       .values_list("pk", flat=True))
    return set_version(Volymuppfoljning.history.filter(measure_id__in=measure_ids, period=period))


# --- validation -------------------------------------------------------------------------------


def _require_open(budget_year: BudgetYear) -> None:
    if budget_year.status == BudgetYearStatus.CLOSED:
        raise DomainError(f"Budgetåret {budget_year.year} är avslutat: volymerna kan läsas men "
                          "inte ändras.")


def _require_namnd(namnd: OrganisationUnit) -> None:
    if namnd.kind not in NAMND_LIKE_KINDS:
        raise DomainError(f"{namnd} är ingen nämnd: volymer redovisas per nämnd.")


def _check_volume(value: Decimal | None, *, what: str, field: str,
                  required: bool = True) -> Decimal | None:
    if value is None:
        if required:
            raise DomainError(f"Ange {what}.", field=field)
        return None
    subject = what[:1].upper() + what[1:]
    if value < 0:
        raise DomainError(f"{subject} kan inte vara negativ.", field=field)
    if value > LARGEST:
        raise DomainError(f"{subject} är orimligt stor.", field=field)
    if value != value.quantize(CENT):
        raise DomainError(f"{subject} anges med högst två decimaler.", field=field)
    return value


def _clean_measure(*, name: str, unit: str, budget: Decimal | None,
                   cost_per_unit: Decimal | None) -> tuple[str, str]:
    name, unit = (name or "").strip(), (unit or "").strip()
    if not name:
        raise DomainError("Skriv vad som mäts, till exempel Antal elever i grundskolan.",
                          field="name")
    if len(name) > 200:
        raise DomainError("Måttets namn får vara högst 200 tecken.", field="name")
    if not unit:
        raise DomainError("Ange enheten, till exempel elever, dygn eller timmar.", field="unit")
    if len(unit) > 40:
        raise DomainError("Enheten får vara högst 40 tecken.", field="unit")
    _check_volume(budget, what="den budgeterade volymen", field="budget")
    _check_volume(cost_per_unit, what="kostnaden per enhet", field="cost_per_unit",
                  required=False)
    return name, unit


def _name_taken(namnd: OrganisationUnit, budget_year: BudgetYear, name: str,
                exclude: int | None = None) -> bool:
    found = Volymmatt.objects.filter(namnd=namnd, budget_year=budget_year, name__iexact=name)
    if exclude:
        found = found.exclude(pk=exclude)
    return found.exists()


def _taken_message(namnd: OrganisationUnit, budget_year: BudgetYear, name: str) -> str:
    return f"{namnd} har redan måttet ”{name}” för {budget_year.year}."


# --- services ---------------------------------------------------------------------------------


@transaction.atomic
def add_measure(*, namnd: OrganisationUnit, budget_year: BudgetYear, name: str, unit: str,
                budget: Decimal | None, cost_per_unit: Decimal | None = None) -> Volymmatt:
    """A new measure for the nämnd's year, last in its order."""
    _require_namnd(namnd)
    _require_open(budget_year)
    name, unit = _clean_measure(name=name, unit=unit, budget=budget, cost_per_unit=cost_per_unit)
    if _name_taken(namnd, budget_year, name):
        raise DomainError(_taken_message(namnd, budget_year, name), field="name")
    last = (Volymmatt.objects.filter(namnd=namnd, budget_year=budget_year)
            .aggregate(last=Max("position"))["last"])
    try:
        with transaction.atomic():
            return Volymmatt.objects.create(
                namnd=namnd, budget_year=budget_year, name=name, unit=unit, budget=budget,
                cost_per_unit=cost_per_unit, position=(last or 0) + 1)
    except IntegrityError as error:  # the same name saved a moment ago by someone else
        raise DomainError(_taken_message(namnd, budget_year, name), field="name") from error


@transaction.atomic
def update_measure(*, measure: Volymmatt, version: str | None, name: str, unit: str,
                   budget: Decimal | None, cost_per_unit: Decimal | None = None) -> Volymmatt:
    """Rename a measure or change its budgeted volume or cost per unit (no lost update)."""
    measure = Volymmatt.objects.select_for_update().select_related(
        "namnd", "budget_year").get(pk=measure.pk)
    check_version(measure, version)
    _require_open(measure.budget_year)
    name, unit = _clean_measure(name=name, unit=unit, budget=budget, cost_per_unit=cost_per_unit)
    if _name_taken(measure.namnd, measure.budget_year, name, exclude=measure.pk):
        raise DomainError(_taken_message(measure.namnd, measure.budget_year, name), field="name")
    measure.name, measure.unit, measure.budget = name, unit, budget
    measure.cost_per_unit = cost_per_unit
    measure.save()
    return measure


@transaction.atomic
def delete_measure(*, measure: Volymmatt) -> None:
    """Remove a measure added by mistake; one already reported on stays (the reports and the
    nämnd's approved figures refer to it)."""
    measure = Volymmatt.objects.select_for_update().select_related("budget_year").get(
        pk=measure.pk)
    _require_open(measure.budget_year)
    if measure.followups.exists():
        raise DomainError(f"”{measure.name}” har redan utfall och prognos i en uppföljning och "
                          "kan inte tas bort. Ändra namnet eller budgeten i stället.")
    measure.delete()


@dataclass(frozen=True)
class Entry:
    """What the form gives for one measure in one period."""

    outcome: Decimal | None
    forecast: Decimal | None
    comment: str = ""


@transaction.atomic
def save_followups(*, namnd: OrganisationUnit, budget_year: BudgetYear, period: str,
                   version: str | None, entries: Mapping[int, Entry], by: User | None
                   ) -> int:
    """Write the outcome and full-year forecast of the nämnd's measures for one follow-up.

    A measure needs both figures or neither (neither removes what was there). In the
    årsredovisning the outcome is the year's and the forecast is set to it. Every entry is
    checked before anything is written; a form opened at an older version is refused. Returns
    the number of measures whose report changed.
    """
    if period not in FollowUpPeriod.values:
        raise DomainError("Välj en av årets uppföljningar (februari, april, augusti, oktober "
                          "eller årsredovisningen).", field="period")
    _require_namnd(namnd)
    _require_open(budget_year)
    measures = {m.pk: m for m in Volymmatt.objects.select_for_update()
                .filter(namnd=namnd, budget_year=budget_year)}
    check_submitted_version(
        followups_version(namnd=namnd, budget_year=budget_year, period=period), version)
    unknown = set(entries) - set(measures)
    if unknown:
        raise DomainError(f"Ett av måtten hör inte till {namnd} {budget_year.year}.")
    cleaned: dict[int, Entry | None] = {}
    for pk, entry in entries.items():
        measure = measures[pk]
        outcome, forecast = entry.outcome, entry.forecast
        if period == YEAR:
            if forecast is not None and outcome is not None and forecast != outcome:
                raise DomainError(f"I årsredovisningen är helåret känt: ange bara utfallet för "
                                  f"”{measure.name}”.", field=f"forecast_{pk}")
            forecast = outcome
        if outcome is None and forecast is None:
            if entry.comment.strip():
                raise DomainError(f"Ange utfall och prognos för ”{measure.name}”, eller ta bort "
                                  "kommentaren.", field=f"outcome_{pk}")
            cleaned[pk] = None
            continue
        _check_volume(outcome, what=f"utfallet för ”{measure.name}”", field=f"outcome_{pk}")
        _check_volume(forecast, what=f"helårsprognosen för ”{measure.name}”",
                      field=f"forecast_{pk}")
        cleaned[pk] = Entry(outcome, forecast, entry.comment.strip())
    existing = {e.measure_id: e for e in Volymuppfoljning.objects.select_for_update()
                .filter(measure_id__in=list(measures), period=period)}
    changed, now = 0, timezone.now()
    for pk, entry in cleaned.items():
        current = existing.get(pk)
        if entry is None:
            if current is not None:
                current.delete()
                changed += 1
            continue
        if current is None:
            with first_save():
                Volymuppfoljning.objects.create(
                    measure=measures[pk], period=period, outcome=entry.outcome,
                    forecast=entry.forecast, comment=entry.comment, written_by=by,
                    written_at=now)
            changed += 1
        elif (current.outcome, current.forecast, current.comment) != (
                entry.outcome, entry.forecast, entry.comment):
            current.outcome, current.forecast = entry.outcome, entry.forecast
            current.comment, current.written_by, current.written_at = entry.comment, by, now
            current.save()
            changed += 1
    return changed


@transaction.atomic
def copy_measures(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> list[Volymmatt]:
    """Start the year from last year's measures: name, unit, budgeted volume and cost per
    unit, in the same order, for the förvaltning to adjust. Measures the year already has (by
    name) are left as they are. Returns the measures added."""
    _require_namnd(namnd)
    _require_open(budget_year)
    previous = list(Volymmatt.objects.filter(namnd=namnd, budget_year__year=budget_year.year - 1)
                    .order_by("position", "pk"))
    if not previous:
        raise DomainError(f"{namnd} har inga volymmått för {budget_year.year - 1} att kopiera.")
    present = {name.lower() for name in Volymmatt.objects.select_for_update()
               .filter(namnd=namnd, budget_year=budget_year).values_list("name", flat=True)}
    last = (Volymmatt.objects.filter(namnd=namnd, budget_year=budget_year)
            .aggregate(last=Max("position"))["last"]) or 0
    added = []
    for measure in previous:
        if measure.name.lower() in present:
            continue
        last += 1
        with first_save():  # another copy of the same year a moment ago
            added.append(Volymmatt.objects.create(
                namnd=namnd, budget_year=budget_year, name=measure.name, unit=measure.unit,
                budget=measure.budget, cost_per_unit=measure.cost_per_unit, position=last))
    if not added:
        raise DomainError(f"{namnd} har redan alla måtten från {budget_year.year - 1}.")
    return added
