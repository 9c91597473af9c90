"""Year-end (F4): each nämnd's result for a closed year (decided frame − full-year outcome);
the finance office proposes to carry part of a surplus over (through next year's ofördelad
budget, earmarked for the nämnd, where goals, tasks and output are fulfilled) or to restore a
deficit in a coming year's frame; KF decides, and only then does anything move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, BudgetYearStatus, OrganisationUnit, User
from styrmodell.versioning import check_version, first_save

from . import frames
from .frames import sv
from .models import (
    AdjustmentKind,
    DispositionKind,
    DispositionStatus,
    Driftbudgetram,
    FrameAdjustment,
    FrameStage,
    MovementKind,
    OfordeladBudget,
    PotMovement,
    Utfall,
    YearEndDisposition,
)
from .pot import ZERO, day_label, require_decision, require_positive

GOALS_CONDITION = "mål, uppdrag och prestationer uppfyllda"


@dataclass
class Result:
    namnd: OrganisationUnit
    frame: Decimal
    outcome: Decimal
    disposition: YearEndDisposition | None = None

    @property
    def result(self) -> Decimal:
        """Positive: a surplus (spent less than the frame); negative: a deficit."""
        return self.frame - self.outcome

    @property
    def percent_of_frame(self) -> Decimal | None:
        if not self.frame:
            return None
        return (self.result * 100 / self.frame).quantize(Decimal("0.1"))


def outcome_of(*, namnd: OrganisationUnit, year: int) -> Decimal:
    return (Utfall.objects.filter(namnd=namnd, year=year)
            .aggregate(total=Sum("amount"))["total"] or ZERO)


def result_of(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> Result:
    frame = Driftbudgetram.objects.filter(namnd=namnd, budget_year=budget_year,
                                          stage=FrameStage.DECIDED).first()
    if frame is None:
        raise DomainError(f"{namnd} saknar en av KF beslutad ram för {budget_year.year}.")
    return Result(namnd, frame.total, outcome_of(namnd=namnd, year=budget_year.year))


def results(*, budget_year: BudgetYear) -> list[Result]:
    """Every nämnd with a decided frame: frame, outcome, result and its disposition (3 queries)."""
    outcomes = dict(Utfall.objects.filter(year=budget_year.year).values("namnd")
                    .annotate(total=Sum("amount")).values_list("namnd", "total"))
    dispositions = {d.namnd_id: d for d in YearEndDisposition.objects.filter(
        budget_year=budget_year).select_related("target_year")}
    return [
        Result(frame.namnd, frame.total, outcomes.get(frame.namnd_id) or ZERO,
               dispositions.get(frame.namnd_id))
        for frame in Driftbudgetram.objects.filter(budget_year=budget_year,
                                                   stage=FrameStage.DECIDED)
        .select_related("namnd").order_by("namnd__path")
    ]


def has_outcomes(*, budget_year: BudgetYear) -> bool:
    return Utfall.objects.filter(year=budget_year.year).exists()


def restore_year(*, namnd: OrganisationUnit, year: int) -> BudgetYear:
    """A deficit is restored in the first coming year whose frame KF has not yet decided."""
    decided = set(Driftbudgetram.objects.filter(namnd=namnd, stage=FrameStage.DECIDED)
                  .values_list("budget_year__year", flat=True))
    target = (BudgetYear.objects.filter(year__gt=year).exclude(year__in=decided)
              .order_by("year").first())
    if target is None:
        raise DomainError(f"Det finns inget kommande budgetår utan beslutad ram för {namnd} "
                          "att återställa underskottet i.")
    return target


def _check(*, kind: str, amount: Decimal, result: Result, goals_fulfilled: bool) -> None:
    require_positive(amount)
    if kind == DispositionKind.CARRY_OVER:
        if result.result <= ZERO:
            raise DomainError(f"{result.namnd} har inget överskott att föra över.", field="kind")
        if amount > result.result:
            raise DomainError(f"Högst överskottet, {sv(result.result)} kr, kan föras över.",
                              field="amount")
        if not goals_fulfilled:
            raise DomainError(f"Ett överskott förs bara över när {GOALS_CONDITION}.",
                              field="goals_fulfilled")
    elif kind == DispositionKind.RESTORE:
        if result.result >= ZERO:
            raise DomainError(f"{result.namnd} har inget underskott att återställa.",
                              field="kind")
        if amount > -result.result:
            raise DomainError(f"Högst underskottet, {sv(-result.result)} kr, återställs.",
                              field="amount")
    else:
        raise DomainError("Välj överföring eller återställande.", field="kind")


@transaction.atomic
def propose(*, budget_year: BudgetYear, namnd: OrganisationUnit, kind: str, amount: Decimal,
            goals_fulfilled: bool, motivation: str, proposed_by: User,
            version: str | None = None) -> YearEndDisposition:
    """F4: the finance office's proposal for one nämnd's result (made again until KF decides)."""
    if budget_year.status != BudgetYearStatus.CLOSED:
        raise DomainError(f"{budget_year.year} är inte avslutat; bokslutet görs för ett "
                          "avslutat år.")
    if not (motivation or "").strip():
        raise DomainError("Motivera förslaget.", field="motivation")
    result = result_of(namnd=namnd, budget_year=budget_year)
    _check(kind=kind, amount=amount, result=result, goals_fulfilled=goals_fulfilled)
    if kind == DispositionKind.CARRY_OVER:
        target = BudgetYear.objects.filter(year=budget_year.year + 1).first()
        if target is None:
            raise DomainError(f"Budgetår {budget_year.year + 1} saknas.")
    else:
        target = restore_year(namnd=namnd, year=budget_year.year)
    disposition = (YearEndDisposition.objects.select_for_update()
                   .filter(budget_year=budget_year, namnd=namnd).first())
    if disposition is None:
        disposition = YearEndDisposition(budget_year=budget_year, namnd=namnd)
    else:
        if disposition.status != DispositionStatus.PROPOSED:
            raise DomainError("KF har redan beslutat om nämndens resultat.")
        check_version(disposition, version)
    disposition.kind = kind
    disposition.amount = amount
    disposition.goals_fulfilled = kind == DispositionKind.CARRY_OVER and goals_fulfilled
    disposition.motivation = motivation.strip()
    disposition.target_year = target
    disposition.frame_total = result.frame
    disposition.outcome = result.outcome
    disposition.proposed_by = proposed_by
    with first_save():
        disposition.save()
    return disposition


@transaction.atomic
def decide(*, disposition: YearEndDisposition, approve: bool, decided_amount: Decimal | None,
           decided_on: dt.date, paragraph: str, case_number: str = "",
           recorder: User) -> YearEndDisposition:
    """F4: KF's decision, recorded by the kommunsekreterare. Only an approval moves money: a
    carried-over surplus into next year's pot, earmarked for the nämnd; a restored deficit
    into a frame adjustment of the coming year, whose preliminary frame is recomputed."""
    disposition = (YearEndDisposition.objects.select_for_update(of=("self",))
                   .select_related("namnd", "budget_year", "target_year").get(pk=disposition.pk))
    if disposition.status != DispositionStatus.PROPOSED:
        raise DomainError("KF har redan beslutat om nämndens resultat.")
    require_decision(decided_on=decided_on, paragraph=paragraph)
    disposition.decided_on = decided_on
    disposition.paragraph = paragraph.strip()
    disposition.case_number = (case_number or "").strip()
    disposition.recorded_by = recorder
    if not approve:
        disposition.status = DispositionStatus.REJECTED
        disposition.save()
        return disposition
    result = result_of(namnd=disposition.namnd, budget_year=disposition.budget_year)
    _check(kind=disposition.kind, amount=decided_amount, result=result,
           goals_fulfilled=disposition.goals_fulfilled)
    if decided_amount > disposition.amount:
        raise DomainError(f"KF kan inte besluta mer än de föreslagna {sv(disposition.amount)} kr.",
                          field="decided_amount")
    year = disposition.budget_year.year
    reference = f"KF {day_label(decided_on)} §{disposition.paragraph}"
    if disposition.kind == DispositionKind.CARRY_OVER:
        pot = (OfordeladBudget.objects.select_for_update()
               .filter(budget_year=disposition.target_year).first())
        if pot is None:
            raise DomainError(f"Ofördelad budget för {disposition.target_year.year} är inte "
                              "registrerad; registrera KF:s belopp först.")
        disposition.movement = PotMovement.objects.create(
            pot=pot, kind=MovementKind.CARRY_OVER, namnd=disposition.namnd,
            amount=decided_amount, decided_on=decided_on,
            label=f"Överfört överskott {year} för {disposition.namnd}, {reference}")
    else:
        disposition.adjustment = FrameAdjustment.objects.create(
            budget_year=disposition.target_year, namnd=disposition.namnd,
            kind=AdjustmentKind.EFFICIENCY, amount=decided_amount,
            reason=f"Återställande av underskott {year}, {reference}")
        _recompute_preliminary(disposition.namnd, disposition.target_year)
    disposition.status = DispositionStatus.DECIDED
    disposition.decided_amount = decided_amount
    disposition.save()
    return disposition


def _recompute_preliminary(namnd: OrganisationUnit, budget_year: BudgetYear) -> None:
    """The coming year's preliminary frame shows the restoration at once, where it can be
    computed; otherwise the finance office's next recomputation picks it up."""
    if not Driftbudgetram.objects.filter(namnd=namnd, budget_year=budget_year,
                                         stage=FrameStage.PRELIMINARY).exists():
        return
    try:
        with transaction.atomic():
            frames.compute_frame(namnd=namnd, budget_year=budget_year)
    except DomainError:
        pass
