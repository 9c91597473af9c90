"""Frame build-up (B2-B6): last year's frame plus index and volume, priorities, earmarked
allocations, minus change requirements; every component a line, the total their sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from styrmodell.errors import DomainError
from styrmodell.models import NAMND_LIKE_KINDS, BudgetYear, OrganisationUnit

from .models import (
    ONE_OFF_LINE_KINDS,
    AdjustmentKind,
    CostShare,
    Driftbudgetram,
    FrameAdjustment,
    FrameComputation,
    FrameStage,
    IndexRate,
    LineKind,
    Population,
    Recomputation,
    VolumeRate,
)

KRONA = Decimal("1")
HUNDRED = Decimal("100")


def kronor(amount: Decimal) -> Decimal:
    return amount.quantize(KRONA, rounding=ROUND_HALF_UP)


def sv(value: Decimal) -> str:
    """A number as Swedish readers write it in a line's label: 3,4 and 158 000."""
    text = format(value.normalize(), "f")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u00a0")
    return sign + grouped + ("," + fraction if fraction else "")


@dataclass(frozen=True)
class Line:
    kind: str
    label: str
    amount: Decimal
    earmarked: bool = False


def base_frame(*, namnd: OrganisationUnit, year: int) -> Decimal:
    """B2: the starting point is the frame KF decided for the year before, with the year's
    salary compensation (B10) but without its one-off grants from the ofördelad budget (B7)."""
    previous = Driftbudgetram.objects.filter(
        namnd=namnd, budget_year__year=year - 1, stage=FrameStage.DECIDED
    ).first()
    if previous is None:
        raise DomainError(f"{namnd} saknar en beslutad ram för {year - 1} att utgå från.")
    one_off = previous.lines.filter(kind__in=ONE_OFF_LINE_KINDS).aggregate(
        total=Sum("amount"))["total"] or Decimal("0")
    return previous.total - one_off


def index_lines(*, namnd: OrganisationUnit, budget_year: BudgetYear, base: Decimal) -> list[Line]:
    """B5: the general index on the whole base, or per cost type where the nämnd's cost
    structure is known and a differentiated index is set (the rest at the general index)."""
    rates = {rate.cost_type_id: rate for rate in
             IndexRate.objects.filter(budget_year=budget_year).select_related("cost_type")}
    general = rates.get(None)
    if general is None:
        raise DomainError(f"Allmänt index saknas för {budget_year}.")
    shares = list(CostShare.objects.filter(namnd=namnd).select_related("cost_type"))
    lines, covered = [], Decimal("0")
    for share in shares:
        rate = rates.get(share.cost_type_id, general)
        part = base * share.percent / HUNDRED
        covered += share.percent
        sign = -1 if share.cost_type.is_revenue else 1
        lines.append(Line(LineKind.INDEX,
                          f"Index {share.cost_type.name.lower()} {sv(rate.percent)} % "
                          f"på {sv(share.percent)} % av ramen",
                          kronor(sign * part * rate.percent / HUNDRED)))
    if covered > HUNDRED:
        raise DomainError(f"Kostnadsandelarna för {namnd} är mer än 100 %.")
    rest = HUNDRED - covered
    if rest > 0:
        label = "Allmänt index" if not shares else f"Allmänt index på övriga {sv(rest)} %"
        lines.append(Line(LineKind.INDEX, f"{label}: {sv(general.percent)} %",
                          kronor(base * rest / HUNDRED * general.percent / HUNDRED)))
    return lines


def volume_lines(*, namnd: OrganisationUnit, year: int) -> list[Line]:
    """B4: volymtillskott follow the latest population forecast: the change in each age group
    from last year's forecast to this year's, times the nämnd's kronor per inhabitant."""
    rates = list(VolumeRate.objects.filter(namnd=namnd).select_related("age_group"))
    population = {(p.year, p.age_group_id): p for p in Population.objects.filter(
        year__in=[year - 1, year], age_group__in=[rate.age_group for rate in rates])}
    lines = []
    for rate in rates:
        now = population.get((year, rate.age_group_id))
        before = population.get((year - 1, rate.age_group_id))
        if now is None or before is None:
            raise DomainError(f"Befolkningsprognos saknas för {rate.age_group} {year - 1}–{year}.")
        change = now.forecast - before.forecast
        if change:
            lines.append(Line(LineKind.VOLUME,
                              f"{rate.age_group}: {change:+d} invånare × {sv(rate.amount)} kr",
                              kronor(Decimal(change) * rate.amount)))
    return lines


def adjustment_lines(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                     base: Decimal) -> list[Line]:
    """Political priorities, earmarked allocations (B3) and change requirements (B6)."""
    adjustments = FrameAdjustment.objects.filter(budget_year=budget_year).filter(
        namnd__in=[namnd]) | FrameAdjustment.objects.filter(budget_year=budget_year,
                                                             namnd__isnull=True)
    lines = []
    for adjustment in adjustments.order_by("kind", "pk"):
        if adjustment.kind == AdjustmentKind.EFFICIENCY:
            amount = -(adjustment.amount or Decimal("0"))
            if adjustment.percent is not None:
                amount = -(base * adjustment.percent / HUNDRED)
            lines.append(Line(LineKind.EFFICIENCY, adjustment.reason, kronor(amount)))
        elif adjustment.namnd_id is None:
            # A priority or earmarked sum without a nämnd would vanish from every frame.
            raise DomainError(f"”{adjustment.reason}” saknar nämnd: prioriteringar och riktade "
                              "tillskott gäller en nämnd.")
        else:
            kind = (LineKind.EARMARKED if adjustment.kind == AdjustmentKind.EARMARKED
                    else LineKind.PRIORITY)
            lines.append(Line(kind, adjustment.reason, kronor(adjustment.amount or Decimal("0")),
                              earmarked=adjustment.kind == AdjustmentKind.EARMARKED))
    return lines


def build_lines(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> list[Line]:
    base = base_frame(namnd=namnd, year=budget_year.year)
    label = f"Beslutad ram {budget_year.year - 1}"
    if Driftbudgetram.objects.filter(namnd=namnd, budget_year__year=budget_year.year - 1,
                                     stage=FrameStage.DECIDED,
                                     lines__kind__in=ONE_OFF_LINE_KINDS).exists():
        label += " utom engångstilldelning ur ofördelad budget"
    return [
        Line(LineKind.BASE, label, base),
        *index_lines(namnd=namnd, budget_year=budget_year, base=base),
        *volume_lines(namnd=namnd, year=budget_year.year),
        *adjustment_lines(namnd=namnd, budget_year=budget_year, base=base),
    ]


@transaction.atomic
def compute_frame(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                  stage: str = FrameStage.PRELIMINARY) -> Driftbudgetram:
    """Compute a nämnd's frame from its build-up; the total is always the sum of the lines."""
    if namnd.kind not in NAMND_LIKE_KINDS:
        raise DomainError("Driftbudgetramar sätts per nämnd.")
    lines = build_lines(namnd=namnd, budget_year=budget_year)
    frame, _ = Driftbudgetram.objects.select_for_update().get_or_create(
        namnd=namnd, budget_year=budget_year, stage=stage)
    if stage == FrameStage.DECIDED and frame.lines.exists():
        raise DomainError("En beslutad ram räknas inte om; ett nytt beslut ger en ny ram.")
    _replace_lines(frame, lines)
    frame.total = sum((line.amount for line in lines), Decimal("0"))
    frame.save()
    return frame


def _replace_lines(frame: Driftbudgetram, lines) -> None:
    frame.lines.all().delete()
    frame.lines.bulk_create([
        frame.lines.model(frame=frame, kind=line.kind, label=line.label, amount=line.amount,
                          earmarked=line.earmarked, position=position)
        for position, line in enumerate(lines)
    ])


@transaction.atomic
def recompute_all(*, budget_year: BudgetYear, by=None, reason: str = "") -> list[Driftbudgetram]:
    """After an index or forecast changes, every preliminary frame of the year is rebuilt.

    A nämnd whose frame KF has already decided for the year keeps its frames as they are (B1).
    Each run is kept as a version of every frame it computed, so versions can be compared.
    """
    decided = Driftbudgetram.objects.filter(budget_year=budget_year, stage=FrameStage.DECIDED)
    namnder = OrganisationUnit.objects.filter(
        frames__budget_year__year=budget_year.year - 1, frames__stage=FrameStage.DECIDED
    ).exclude(pk__in=decided.values("namnd_id")).distinct().order_by("path")
    computed = [compute_frame(namnd=namnd, budget_year=budget_year) for namnd in namnder]
    if computed:
        record_versions(budget_year=budget_year, frames=computed, by=by, reason=reason)
    return computed


def record_versions(*, budget_year: BudgetYear, frames: list[Driftbudgetram], by=None,
                    reason: str = "", at=None) -> Recomputation:
    """B1: keep each recomputed frame as it came out, line by line."""
    run = Recomputation.objects.create(budget_year=budget_year, computed_at=at or timezone.now(),
                                       computed_by=by, reason=reason[:300])
    FrameComputation.objects.bulk_create([
        FrameComputation(run=run, frame=frame, total=frame.total, lines=[
            {"kind": line.kind, "label": line.label, "amount": str(line.amount),
             "earmarked": line.earmarked} for line in frame.lines.all()])
        for frame in frames
    ])
    return run


@dataclass(frozen=True)
class Shortfall:
    age_group: str
    forecast: int
    actual: int
    amount: Decimal


def population_true_up(*, namnd: OrganisationUnit, year: int) -> list[Shortfall]:
    """B4: where fewer people live in an age group than forecast, the nämnd must deliver a
    surplus of (forecast − actual) × its kronor per inhabitant of that group."""
    rates = {rate.age_group_id: rate for rate in
             VolumeRate.objects.filter(namnd=namnd).select_related("age_group")}
    shortfalls = []
    for population in Population.objects.filter(year=year, age_group_id__in=rates,
                                                actual__isnull=False):
        missing = population.forecast - population.actual
        if missing > 0:
            rate = rates[population.age_group_id]
            shortfalls.append(Shortfall(str(rate.age_group), population.forecast,
                                        population.actual, kronor(missing * rate.amount)))
    return shortfalls


NEXT_STAGE = {FrameStage.PRELIMINARY: FrameStage.PROPOSAL, FrameStage.PROPOSAL: FrameStage.DECIDED}


@transaction.atomic
def advance_frame(*, frame: Driftbudgetram) -> Driftbudgetram:
    """B1: the budgetberedning makes the preliminary frame its proposal; KF's decision makes the
    proposal the decided frame. Each stage is kept, so they can be compared side by side."""
    target = NEXT_STAGE.get(frame.stage)
    if target is None:
        raise DomainError("Ramen är redan beslutad av KF.")
    existing = Driftbudgetram.objects.filter(namnd=frame.namnd, budget_year=frame.budget_year,
                                             stage=target).first()
    if existing is not None and existing.stage == FrameStage.DECIDED:
        raise DomainError("En beslutad ram räknas inte om; ett nytt beslut ger en ny ram.")
    new, _ = Driftbudgetram.objects.update_or_create(
        namnd=frame.namnd, budget_year=frame.budget_year, stage=target,
        defaults={"total": frame.total})
    _replace_lines(new, list(frame.lines.all()))
    return new
