"""Year-end (F4): each nämnd's result for a closed year (decided frame − full-year outcome);
the finance office proposes to carry part of a surplus over (through next year's ofördelad
budget, earmarked for the nämnd, where goals, tasks and output are fulfilled) or to restore a
deficit in a coming year's frame; KF decides, and only then does anything move.

Every earmarked allocation of the year's decided frames is accounted for in the bokslut (B3):
the förvaltning says how much was used and for what. What was not used is not free money, so
it is never part of a surplus that is carried over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum

from budget.frames import services as frames
from budget.models import (
    AdjustmentKind,
    DispositionKind,
    DispositionStatus,
    Driftbudgetram,
    EarmarkAccounting,
    FrameAdjustment,
    FrameStage,
    MovementKind,
    OfordeladBudget,
    PotMovement,
    Ramrad,
    Resultatdisposition,
    UtfallManad,
)
from budget.reserves.pot import ZERO, require_decision, require_positive
from styrmodell.errors import DomainError
from styrmodell.formatting import date_text, number
from styrmodell.models import BudgetYear, BudgetYearStatus, OrganisationUnit, User
from styrmodell.versioning import (
    check_new_row_version,
    check_version,
    first_save,
)

GOALS_CONDITION = "mål, uppdrag och prestationer uppfyllda"


@dataclass
class Earmark:
    """An earmarked allocation (specificerat budgettillskott) of a decided frame and the
    förvaltning's account of it (B3). Until it is accounted for, all of it counts as unused."""

    line: Ramrad
    accounting: EarmarkAccounting | None

    @property
    def namnd(self) -> OrganisationUnit:
        return self.line.frame.namnd

    @property
    def allocated(self) -> Decimal:
        return self.line.amount

    @property
    def is_accounted(self) -> bool:
        return self.accounting is not None

    @property
    def used(self) -> Decimal | None:
        return self.accounting.used_amount if self.accounting else None

    @property
    def unused(self) -> Decimal:
        """The part that is not free money: never carried over with a surplus."""
        if self.accounting is None:
            return self.allocated
        return max(self.allocated - self.accounting.used_amount, ZERO)

    @property
    def overused(self) -> Decimal:
        if self.accounting is None:
            return ZERO
        return max(self.accounting.used_amount - self.allocated, ZERO)

    @property
    def is_fully_used(self) -> bool:
        return self.is_accounted and self.unused == ZERO and self.overused == ZERO

    @property
    def is_partly_used(self) -> bool:
        return self.is_accounted and ZERO < self.unused < self.allocated

    @property
    def is_unused(self) -> bool:
        return self.is_accounted and self.used == ZERO

    @property
    def is_overused(self) -> bool:
        return self.overused > ZERO


def earmarks(*, budget_year: BudgetYear,
             namnd_ids: list[int] | None = None) -> list[Earmark]:
    """B3: the earmarked allocations of the year's decided frames with their accounts, by
    nämnd and line (one query)."""
    lines = (Ramrad.objects.filter(frame__budget_year=budget_year,
                                      frame__stage=FrameStage.DECIDED, earmarked=True)
             .select_related("frame__namnd", "frame__budget_year", "accounting__written_by")
             .order_by("frame__namnd__path", "position", "pk"))
    if namnd_ids is not None:
        lines = lines.filter(frame__namnd_id__in=namnd_ids)
    return [Earmark(line, getattr(line, "accounting", None)) for line in lines]


def earmark_versions(marks: list[Earmark]) -> dict[int, str]:
    """The version (newest history id) of each earmark's account by line, in one query; "0"
    for one not yet accounted for."""
    ids = [mark.accounting.pk for mark in marks if mark.accounting]
    newest = dict(EarmarkAccounting.history.filter(id__in=ids).values("id")
                  .annotate(newest=Max("history_id")).values_list("id", "newest"))
    return {mark.line.pk: str(newest.get(mark.accounting.pk, 0)) if mark.accounting else "0"
            for mark in marks}


def unused_earmarks(marks: list[Earmark]) -> Decimal:
    return sum((mark.unused for mark in marks), ZERO)


@dataclass
class Result:
    namnd: OrganisationUnit
    frame: Decimal
    outcome: Decimal
    disposition: Resultatdisposition | None = None
    # B3: earmarked money the nämnd did not use (or has not accounted for): not free.
    unused_earmarks: Decimal = ZERO
    unaccounted_earmarks: list[Earmark] | None = None

    @property
    def result(self) -> Decimal:
        """Positive: a surplus (spent less than the frame); negative: a deficit."""
        return self.frame - self.outcome

    @property
    def free_surplus(self) -> Decimal:
        """The part of a surplus that may be carried over: not the unused earmarks (B3)."""
        return max(self.result - self.unused_earmarks, ZERO)

    @property
    def percent_of_frame(self) -> Decimal | None:
        if not self.frame:
            return None
        return (self.result * 100 / self.frame).quantize(Decimal("0.1"))


def outcome_of(*, namnd: OrganisationUnit, year: int) -> Decimal:
    return (UtfallManad.objects.filter(namnd=namnd, year=year)
            .aggregate(total=Sum("amount"))["total"] or ZERO)


def result_of(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> Result:
    frame = Driftbudgetram.objects.filter(namnd=namnd, budget_year=budget_year,
                                          stage=FrameStage.DECIDED).first()
    if frame is None:
        raise DomainError(f"{namnd} saknar en av KF beslutad ram för {budget_year.year}.")
    marks = earmarks(budget_year=budget_year, namnd_ids=[namnd.pk])
    return Result(namnd, frame.total, outcome_of(namnd=namnd, year=budget_year.year),
                  unused_earmarks=unused_earmarks(marks),
                  unaccounted_earmarks=[mark for mark in marks if not mark.is_accounted])


def results(*, budget_year: BudgetYear, marks: list[Earmark] | None = None) -> list[Result]:
    """Every nämnd with a decided frame: frame, outcome, result, its disposition and what of
    its earmarked allocations is unused (4 queries, 3 when the year's `marks` are given)."""
    outcomes = dict(UtfallManad.objects.filter(year=budget_year.year).values("namnd")
                    .annotate(total=Sum("amount")).order_by().values_list("namnd", "total"))
    dispositions = {d.namnd_id: d for d in Resultatdisposition.objects.filter(
        budget_year=budget_year).select_related("target_year")}
    by_namnd: dict[int, list[Earmark]] = {}
    for mark in earmarks(budget_year=budget_year) if marks is None else marks:
        by_namnd.setdefault(mark.line.frame.namnd_id, []).append(mark)
    return [
        Result(frame.namnd, frame.total, outcomes.get(frame.namnd_id) or ZERO,
               dispositions.get(frame.namnd_id),
               unused_earmarks(by_namnd.get(frame.namnd_id, [])),
               [mark for mark in by_namnd.get(frame.namnd_id, []) if not mark.is_accounted])
        for frame in Driftbudgetram.objects.filter(budget_year=budget_year,
                                                   stage=FrameStage.DECIDED)
        .select_related("namnd").order_by("namnd__path")
    ]


def has_outcomes(*, budget_year: BudgetYear) -> bool:
    return UtfallManad.objects.filter(year=budget_year.year).exists()


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
            raise DomainError(f"Högst överskottet, {number(result.result)} kr, kan föras över.",
                              field="amount")
        if result.unaccounted_earmarks:
            names = ", ".join(f"”{mark.line.label}”" for mark in result.unaccounted_earmarks)
            raise DomainError(f"Ett överskott förs inte över förrän förvaltningen har redovisat "
                              f"hur de specificerade budgettillskotten använts: {names}.",
                              field="kind")
        if amount > result.free_surplus:
            unused = number(result.unused_earmarks)
            if result.free_surplus == ZERO:
                raise DomainError(f"Överskottet består av outnyttjade specificerade "
                                  f"budgettillskott ({unused} kr). De är inte fria medel och "
                                  "förs inte över.", field="amount")
            raise DomainError(f"Högst {number(result.free_surplus)} kr kan föras över: {unused} kr "
                              "av överskottet är outnyttjade specificerade budgettillskott, "
                              "som inte är fria medel.", field="amount")
        if not goals_fulfilled:
            raise DomainError(f"Ett överskott förs bara över när {GOALS_CONDITION}.",
                              field="goals_fulfilled")
    elif kind == DispositionKind.RESTORE:
        if result.result >= ZERO:
            raise DomainError(f"{result.namnd} har inget underskott att återställa.",
                              field="kind")
        if amount > -result.result:
            raise DomainError(f"Högst underskottet, {number(-result.result)} kr, återställs.",
                              field="amount")
    else:
        raise DomainError("Välj överföring eller återställande.", field="kind")


@transaction.atomic
def propose(*, budget_year: BudgetYear, namnd: OrganisationUnit, kind: str, amount: Decimal,
            goals_fulfilled: bool, motivation: str, proposed_by: User,
            version: str | None = None) -> Resultatdisposition:
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
    disposition = (Resultatdisposition.objects.select_for_update()
                   .filter(budget_year=budget_year, namnd=namnd).first())
    if disposition is None:
        disposition = Resultatdisposition(budget_year=budget_year, namnd=namnd)
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
def decide(*, disposition: Resultatdisposition, approve: bool, decided_amount: Decimal | None,
           decided_on: dt.date, paragraph: str, case_number: str = "",
           recorder: User) -> Resultatdisposition:
    """F4: KF's decision, recorded by the kommunsekreterare. Only an approval moves money: a
    carried-over surplus into next year's pot, earmarked for the nämnd; a restored deficit
    into a frame adjustment of the coming year, whose preliminary frame is recomputed."""
    disposition = (Resultatdisposition.objects.select_for_update(of=("self",))
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
        raise DomainError(f"KF kan inte besluta mer än de föreslagna "
                          f"{number(disposition.amount)} kr.",
                          field="decided_amount")
    year = disposition.budget_year.year
    reference = f"KF {date_text(decided_on)} §{disposition.paragraph}"
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


@transaction.atomic
def account_for_earmark(*, line: Ramrad, used_amount: Decimal | None, used_for: str,
                        written_by: User, version: str | None = None) -> EarmarkAccounting:
    """B3: the förvaltning's account in the bokslut of how an earmarked allocation was used:
    how much and for what. Written again until KF has decided on the nämnd's result."""
    line = (Ramrad.objects.select_for_update(of=("self",))
            .select_related("frame__namnd", "frame__budget_year").get(pk=line.pk))
    frame = line.frame
    if not line.earmarked or frame.stage != FrameStage.DECIDED:
        raise DomainError("Bara ett specificerat budgettillskott i en av KF beslutad ram "
                          "redovisas i bokslutet.")
    if frame.budget_year.status != BudgetYearStatus.CLOSED:
        raise DomainError(f"{frame.budget_year.year} är inte avslutat; tillskotten redovisas i "
                          "bokslutet för ett avslutat år.")
    if Resultatdisposition.objects.filter(budget_year=frame.budget_year, namnd=frame.namnd).exclude(
            status=DispositionStatus.PROPOSED).exists():
        raise DomainError("KF har redan beslutat om nämndens resultat; redovisningen av "
                          "tillskotten ändras inte längre.")
    if used_amount is None or used_amount < ZERO:
        raise DomainError("Ange hur mycket av tillskottet som använts, noll kronor eller mer.",
                          field="used_amount")
    used_for = (used_for or "").strip()
    if not used_for:
        raise DomainError("Redovisa vad medlen använts till"
                          + (" och varför de inte använts." if used_amount == ZERO else "."),
                          field="used_for")
    accounting = EarmarkAccounting.objects.select_for_update().filter(line=line).first()
    if accounting is None:
        check_new_row_version(version)
        accounting = EarmarkAccounting(line=line)
    else:
        check_version(accounting, version)
    accounting.used_amount = used_amount
    accounting.used_for = used_for
    accounting.written_by = written_by
    accounting.save()
    return accounting
