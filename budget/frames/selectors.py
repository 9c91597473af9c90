"""Reads of budget frames: the municipality's overview and one nämnd's build-up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from budget.frames.services import starting_plan
from budget.models import Driftbudgetram, FrameStage, Planram
from styrmodell.models import BudgetYear, OrganisationUnit


@dataclass
class FrameRow:
    namnd: OrganisationUnit
    by_stage: dict[str, Driftbudgetram] = field(default_factory=dict)

    def cells(self) -> list[Driftbudgetram | None]:
        return [self.by_stage.get(stage) for stage in FrameStage.values]

    def plans(self) -> list[Planram | None]:
        """B2: the plan frames KF decided with the year's frame, for the two plan years."""
        decided = self.by_stage.get(FrameStage.DECIDED)
        if decided is None:
            return [None, None]
        by_year = {plan.year: plan for plan in decided.plan_frames.all()}
        return [by_year.get(year) for year in decided.budget_year.plan_years]


def plan_totals(rows: list[FrameRow]) -> list[Decimal | None]:
    """The sum of each plan year over the nämnder that have a plan frame for it."""
    totals: list[Decimal | None] = [None, None]
    for row in rows:
        for position, plan in enumerate(row.plans()):
            if plan is not None:
                totals[position] = (totals[position] or Decimal("0")) + plan.total
    return totals


def frame_overview(*, budget_year: BudgetYear) -> tuple[list[FrameRow], list[Decimal]]:
    """Every nämnd's frame at each stage side by side, with totals per stage, and the plan
    frames decided with it; two queries."""
    rows: dict[int, FrameRow] = {}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for frame in (Driftbudgetram.objects.filter(budget_year=budget_year)
                  .select_related("namnd", "budget_year")
                  .prefetch_related(Prefetch("plan_frames",
                                             queryset=Planram.objects.order_by("year")))
                  .order_by("namnd__path")):
        rows.setdefault(frame.namnd_id, FrameRow(frame.namnd)).by_stage[frame.stage] = frame
        totals[frame.stage] += frame.total
    return list(rows.values()), [totals.get(stage) for stage in FrameStage.values]


def frames_of(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> list[Driftbudgetram]:
    return list(Driftbudgetram.objects.filter(namnd=namnd, budget_year=budget_year)
                .prefetch_related("lines").order_by("stage"))


@dataclass(frozen=True)
class PlanYearRow:
    """One year of the budget year and its plan years, split as the plan frames are built."""

    year: int
    is_plan_year: bool
    base: Decimal
    index: Decimal
    volume: Decimal
    other: Decimal
    total: Decimal


STARTING_KINDS = ("planram", "bas")


def _row(year: int, is_plan_year: bool, lines: list[tuple[str, Decimal]],
         total: Decimal) -> PlanYearRow:
    def of(*kinds: str) -> Decimal:
        return sum((amount for kind, amount in lines if kind in kinds), Decimal("0"))

    base, index, volume = of(*STARTING_KINDS), of("index"), of("volym")
    return PlanYearRow(year, is_plan_year, base, index, volume,
                       total - base - index - volume, total)


@dataclass
class PlanYears:
    """B2 on a nämnd's frame page: the plan frames decided with the year's frame, and the plan
    frame its preliminary frame starts from."""

    decided: list[Planram]
    starting: Planram | None
    frame: Driftbudgetram | None = None

    def rows(self) -> list[PlanYearRow]:
        """The decided budget year beside its plan years, in the same columns."""
        if self.frame is None or not self.decided:
            return []
        return [_row(self.frame.budget_year.year, False,
                     [(line.kind, line.amount) for line in self.frame.lines.all()],
                     self.frame.total),
                *[_row(plan.year, True,
                       [(line["kind"], Decimal(line["amount"])) for line in plan.lines],
                       plan.total) for plan in self.decided]]


def plan_years_of(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                  frames_by_stage: list[Driftbudgetram]) -> PlanYears:
    """A query only for what the page has: plans of a decided frame, the start of a
    preliminary one."""
    stages = {frame.stage: frame for frame in frames_by_stage}
    decided = stages.get(FrameStage.DECIDED)
    return PlanYears(
        decided=list(decided.plan_frames.order_by("year")) if decided else [],
        starting=(starting_plan(namnd=namnd, year=budget_year.year)
                  if FrameStage.PRELIMINARY in stages else None),
        frame=decided)
