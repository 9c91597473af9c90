"""The finance office's assumptions behind the frames (B3-B6), edited in the application:
indices, cost shares, population, kronor per inhabitant and frame adjustments.

Every change is validated, saved and followed by the recomputation of the year's preliminary
frames in one transaction: if the frames cannot be computed with the change, nothing is saved.
A set of rows edited in one form carries one version (the newest history record of the set), so
a second concurrent save is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from budget.frames import services as frames
from budget.models import (
    AdjustmentKind,
    AgeGroup,
    CostShare,
    CostType,
    Driftbudgetram,
    FrameAdjustment,
    FrameComputation,
    FrameStage,
    IndexRate,
    Population,
    Recomputation,
    VolumeRate,
)
from styrmodell.errors import DomainError
from styrmodell.formatting import number
from styrmodell.models import NAMND_LIKE_KINDS, BudgetYear, BudgetYearStatus, OrganisationUnit
from styrmodell.versioning import (
    check_submitted_version,
    check_version,
    first_save,
    set_version,
)

HUNDRED = Decimal("100")


def namnder():
    return OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS,
                                           is_active=True).order_by("path")


def population_years(year: int) -> list[int]:
    """The years shown with a budget year: two back (actuals for B4), the year, two plan years."""
    return list(range(year - 2, year + 3))


# --- versions of sets of rows ------------------------------------------------------------------


def index_version(budget_year: BudgetYear) -> str:
    return set_version(IndexRate.history.filter(budget_year_id=budget_year.pk))


def cost_share_version() -> str:
    return set_version(CostShare.history.all())


def population_version(years: list[int]) -> str:
    return set_version(Population.history.filter(year__in=years))


def volume_rate_version() -> str:
    return set_version(VolumeRate.history.all())


# --- recomputation and what it changed ---------------------------------------------------------


@dataclass(frozen=True)
class FrameChange:
    namnd: OrganisationUnit
    old: Decimal | None
    new: Decimal

    @property
    def difference(self) -> Decimal:
        return self.new - (self.old or Decimal("0"))


def _recompute(budget_year: BudgetYear, by, reason: str) -> None:
    """Recompute the year's preliminary frames; a year already decided or closed is left alone."""
    if budget_year.status != BudgetYearStatus.PLANNING:
        return
    frames.recompute_all(budget_year=budget_year, by=by, reason=reason)


def last_run(budget_year: BudgetYear) -> Recomputation | None:
    return (Recomputation.objects.filter(budget_year=budget_year)
            .select_related("computed_by").first())


def run_changes(run: Recomputation) -> list[FrameChange]:
    """Old → new total per nämnd for one recomputation, against each frame's version before."""
    versions = list(FrameComputation.objects.filter(run=run)
                    .select_related("frame__namnd").order_by("frame__namnd__path"))
    previous = {}
    for version in (FrameComputation.objects
                    .filter(frame__in=[v.frame_id for v in versions],
                            run__computed_at__lte=run.computed_at)
                    .exclude(run=run).order_by("run__computed_at", "pk")):
        previous[version.frame_id] = version.total  # the last one before this run wins
    return [FrameChange(v.frame.namnd, previous.get(v.frame_id), v.total) for v in versions]


# --- services ----------------------------------------------------------------------------------


@transaction.atomic
def save_indices(*, budget_year: BudgetYear, version: str | None, general: Decimal,
                 by_type: dict[int, Decimal | None], by=None) -> None:
    """B5: the general index and the differentiated index per cost type (None: the general)."""
    # The year's row is the lock: with no index saved yet there is no index row to lock, and a
    # second first save must wait for the first and then meet its new version.
    BudgetYear.objects.select_for_update().get(pk=budget_year.pk)
    list(IndexRate.objects.select_for_update().filter(budget_year=budget_year))
    check_submitted_version(index_version(budget_year), version)
    if general is None:
        raise DomainError("Ange det allmänna indexet.", field="general")
    changed = []
    rate = IndexRate.objects.filter(budget_year=budget_year, cost_type=None).first()
    if rate is None or rate.percent != general:
        changed.append(f"allmänt index {number(general)} %")
        if rate is None:
            with first_save():  # the year's first indices, saved at once by two people
                IndexRate.objects.create(budget_year=budget_year, cost_type=None,
                                         percent=general)
        else:
            rate.percent = general
            rate.save()
    types = {cost_type.pk: cost_type for cost_type in CostType.objects.all()}
    existing = {rate.cost_type_id: rate for rate in
                IndexRate.objects.filter(budget_year=budget_year, cost_type__isnull=False)}
    for type_id, percent in by_type.items():
        cost_type = types[type_id]
        rate = existing.get(type_id)
        if percent is None:
            if rate is not None:
                rate.delete()
                changed.append(f"{cost_type.name.lower()} följer allmänt index")
        elif rate is None or rate.percent != percent:
            if rate is None:
                with first_save():
                    IndexRate.objects.create(budget_year=budget_year, cost_type=cost_type,
                                             percent=percent)
            else:
                rate.percent = percent
                rate.save()
            changed.append(f"{cost_type.name.lower()} {number(percent)} %")
    _recompute(budget_year, by, "Index: " + ", ".join(changed) if changed else "Index sparade")


@transaction.atomic
def save_cost_shares(*, budget_year: BudgetYear, version: str | None,
                     shares: dict[tuple[int, int], Decimal | None], by=None) -> None:
    """B5: the part of each nämnd's frame that each cost type is (None: not given)."""
    list(CostShare.objects.select_for_update().all())
    check_submitted_version(cost_share_version(), version)
    totals: dict[int, Decimal] = {}
    for (namnd_id, _type_id), percent in shares.items():
        if percent is not None:
            if percent < 0:
                raise DomainError("En kostnadsandel kan inte vara negativ.")
            totals[namnd_id] = totals.get(namnd_id, Decimal("0")) + percent
    names = {unit.pk: str(unit) for unit in namnder()}
    for namnd_id, total in totals.items():
        if total > HUNDRED:
            raise DomainError(f"Kostnadsandelarna för {names.get(namnd_id, namnd_id)} blir "
                              f"{number(total)} %, mer än 100 %.")
    existing = {(share.namnd_id, share.cost_type_id): share for share in CostShare.objects.all()}
    for key, percent in shares.items():
        share = existing.get(key)
        if percent is None:
            if share is not None:
                share.delete()
        elif share is None:
            with first_save():
                CostShare.objects.create(namnd_id=key[0], cost_type_id=key[1], percent=percent)
        elif share.percent != percent:
            share.percent = percent
            share.save()
    _recompute(budget_year, by, "Kostnadsandelar ändrade")


@transaction.atomic
def save_population(*, budget_year: BudgetYear, version: str | None,
                    rows: dict[tuple[int, int], tuple[int | None, int | None]], by=None) -> None:
    """B4: forecast and, once known, actual inhabitants per age group and year."""
    years = sorted({year for _group, year in rows})
    list(Population.objects.select_for_update().filter(year__in=years))
    check_submitted_version(population_version(years), version)
    groups = {group.pk: group for group in AgeGroup.objects.all()}
    existing = {(p.age_group_id, p.year): p for p in Population.objects.filter(year__in=years)}
    for (group_id, year), (forecast, actual) in sorted(rows.items()):
        row = existing.get((group_id, year))
        if forecast is None:
            if actual is not None or row is not None:
                raise DomainError(f"Ange prognosen för {groups[group_id]} {year}.",
                                  field=f"forecast_{group_id}_{year}")
            continue
        if row is None:
            with first_save():
                Population.objects.create(age_group_id=group_id, year=year, forecast=forecast,
                                          actual=actual)
        elif (row.forecast, row.actual) != (forecast, actual):
            row.forecast, row.actual = forecast, actual
            row.save()
    _recompute(budget_year, by, "Befolkningsprognos ändrad")


@transaction.atomic
def save_volume_rates(*, budget_year: BudgetYear, version: str | None,
                      rates: dict[tuple[int, int], Decimal | None], by=None) -> None:
    """B4: kronor per inhabitant of an age group for each nämnd (None: no volume for it)."""
    list(VolumeRate.objects.select_for_update().all())
    check_submitted_version(volume_rate_version(), version)
    existing = {(rate.namnd_id, rate.age_group_id): rate for rate in VolumeRate.objects.all()}
    for key, amount in rates.items():
        rate = existing.get(key)
        if amount is not None and amount < 0:
            raise DomainError("Kronor per invånare kan inte vara negativt.")
        if amount is None:
            if rate is not None:
                rate.delete()
        elif rate is None:
            with first_save():
                VolumeRate.objects.create(namnd_id=key[0], age_group_id=key[1], amount=amount)
        elif rate.amount != amount:
            rate.amount = amount
            rate.save()
    _recompute(budget_year, by, "Kronor per invånare ändrade")


POLITICAL_KINDS = frozenset({AdjustmentKind.PRIORITY, AdjustmentKind.EARMARKED})


def permission_kind(adjustment_kind: str) -> str:
    """Priorities and earmarks are the budgetberedning's; change requirements the finance
    office's calculation (see the permission table)."""
    return "frame_priority" if adjustment_kind in POLITICAL_KINDS else "budget_assumption"


def validate_adjustment(*, kind: str, namnd: OrganisationUnit | None, reason: str,
                        amount: Decimal | None, percent: Decimal | None) -> None:
    """B3, B6: a percent OR an amount, never both; priorities and earmarks need a nämnd."""
    if kind not in AdjustmentKind.values:
        raise DomainError("Välj typ av justering.", field="kind")
    if not (reason or "").strip():
        raise DomainError("Skriv en motivering.", field="reason")
    if namnd is not None and namnd.kind not in NAMND_LIKE_KINDS:
        raise DomainError("Välj en nämnd.", field="namnd")
    if amount is not None and percent is not None:
        raise DomainError("Ange antingen procent eller belopp, inte båda.", field="percent")
    if kind in POLITICAL_KINDS:
        if namnd is None:
            raise DomainError("Politiska prioriteringar och specificerade budgettillskott gäller "
                              "en nämnd: välj nämnd.", field="namnd")
        if amount is None:
            raise DomainError("Ange beloppet i kronor.", field="amount")
        if percent is not None:
            raise DomainError("Prioriteringar och riktade tillskott anges som belopp, inte "
                              "procent.", field="percent")
    else:
        if amount is None and percent is None:
            raise DomainError("Ange förändringsuppdraget antingen i procent av basen eller som "
                              "belopp.", field="percent")
        if (amount is not None and amount <= 0) or (percent is not None and percent <= 0):
            raise DomainError("Ange förändringsuppdraget som ett positivt tal; det dras från "
                              "ramen.", field="percent" if percent is not None else "amount")
        if percent is not None and percent > HUNDRED:
            raise DomainError("Procenten kan inte vara mer än 100.", field="percent")


def _require_planning(budget_year: BudgetYear) -> None:
    if budget_year.status != BudgetYearStatus.PLANNING:
        raise DomainError(f"Budgetår {budget_year.year} planeras inte längre: dess ramar är "
                          "beslutade och justeringarna ändras inte.")


@transaction.atomic
def create_adjustment(*, budget_year: BudgetYear, kind: str, namnd: OrganisationUnit | None,
                      reason: str, amount: Decimal | None, percent: Decimal | None,
                      by=None) -> FrameAdjustment:
    _require_planning(budget_year)
    validate_adjustment(kind=kind, namnd=namnd, reason=reason, amount=amount, percent=percent)
    adjustment = FrameAdjustment.objects.create(
        budget_year=budget_year, kind=kind, namnd=namnd, reason=reason.strip(), amount=amount,
        percent=percent)
    _recompute(budget_year, by, f"Ny justering: {adjustment.reason}")
    return adjustment


@transaction.atomic
def update_adjustment(*, adjustment: FrameAdjustment, version: str | None, kind: str,
                      namnd: OrganisationUnit | None, reason: str, amount: Decimal | None,
                      percent: Decimal | None, by=None) -> FrameAdjustment:
    adjustment = FrameAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    check_version(adjustment, version)
    _require_planning(adjustment.budget_year)
    if permission_kind(kind) != permission_kind(adjustment.kind):
        raise DomainError("En justering byter inte mellan politisk prioritering och "
                          "förändringsuppdrag; ta bort den och lägg in en ny.", field="kind")
    validate_adjustment(kind=kind, namnd=namnd, reason=reason, amount=amount, percent=percent)
    adjustment.kind, adjustment.namnd, adjustment.reason = kind, namnd, reason.strip()
    adjustment.amount, adjustment.percent = amount, percent
    adjustment.save()
    _recompute(adjustment.budget_year, by, f"Ändrad justering: {adjustment.reason}")
    return adjustment


@transaction.atomic
def delete_adjustment(*, adjustment: FrameAdjustment, by=None) -> None:
    _require_planning(adjustment.budget_year)
    reason = adjustment.reason
    adjustment.delete()
    _recompute(adjustment.budget_year, by, f"Borttagen justering: {reason}")


def decided_frames_untouched(budget_year: BudgetYear):
    """The decided frames of the year, for the page to say they are left as KF decided them."""
    return Driftbudgetram.objects.filter(budget_year=budget_year, stage=FrameStage.DECIDED)
