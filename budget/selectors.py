"""Reads of budget frames: the municipality's overview and one nämnd's build-up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from styrmodell.models import BudgetYear, OrganisationUnit

from .models import Driftbudgetram, FrameStage


@dataclass
class FrameRow:
    namnd: OrganisationUnit
    by_stage: dict[str, Driftbudgetram] = field(default_factory=dict)

    def cells(self) -> list[Driftbudgetram | None]:
        return [self.by_stage.get(stage) for stage in FrameStage.values]


def frame_overview(*, budget_year: BudgetYear) -> tuple[list[FrameRow], list[Decimal]]:
    """Every nämnd's frame at each stage side by side, with totals per stage; one query."""
    rows: dict[int, FrameRow] = {}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for frame in (Driftbudgetram.objects.filter(budget_year=budget_year)
                  .select_related("namnd").order_by("namnd__path")):
        rows.setdefault(frame.namnd_id, FrameRow(frame.namnd)).by_stage[frame.stage] = frame
        totals[frame.stage] += frame.total
    return list(rows.values()), [totals.get(stage) for stage in FrameStage.values]


def frames_of(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> list[Driftbudgetram]:
    return list(Driftbudgetram.objects.filter(namnd=namnd, budget_year=budget_year)
                .prefetch_related("lines").order_by("stage"))
