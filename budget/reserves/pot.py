"""KS's ofördelad budget (B7): KF sets the pot, a nämnd applies citing criterion (a) or (b),
the ekonomiavdelning writes its yttrande, KS decides, and a grant moves the money from the pot
to a visible line of the nämnd's decided frame — never more than the pot holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from budget.models import (
    Ansokan,
    ApplicationStatus,
    Criterion,
    Driftbudgetram,
    FrameStage,
    LineKind,
    MovementKind,
    OfordeladBudget,
    PotMovement,
    Ramrad,
)
from styrmodell.errors import DomainError
from styrmodell.formatting import date_text, number
from styrmodell.models import NAMND_LIKE_KINDS, BudgetYear, OrganisationUnit, User
from styrmodell.versioning import check_version, first_save

ZERO = Decimal("0")


def require_decision(*, decided_on: dt.date | None, paragraph: str) -> None:
    if not decided_on:
        raise DomainError("Ange beslutsdatum.", field="decided_on")
    if not (paragraph or "").strip():
        raise DomainError("Ange paragraf i protokollet.", field="paragraph")


def require_positive(amount: Decimal | None, field_name: str = "amount") -> None:
    if amount is None or amount <= ZERO:
        raise DomainError("Beloppet ska vara större än noll.", field=field_name)


def require_namnd(namnd: OrganisationUnit) -> None:
    if namnd.kind not in NAMND_LIKE_KINDS:
        raise DomainError("Välj en nämnd.", field="namnd")


def add_line_to_decided_frame(*, namnd: OrganisationUnit, budget_year: BudgetYear, kind: str,
                              label: str, amount: Decimal) -> Ramrad:
    """A decided frame grows by a visible line; the total stays the sum of its lines.

    A frame decided without a recorded build-up first gets its decided total as a line, so the
    sum still holds.
    """
    frame = (Driftbudgetram.objects.select_for_update()
             .filter(namnd=namnd, budget_year=budget_year, stage=FrameStage.DECIDED).first())
    if frame is None:
        raise DomainError(f"{namnd} saknar en av KF beslutad ram för {budget_year.year}.")
    positions = list(frame.lines.values_list("position", flat=True))
    if not positions and frame.total:
        Ramrad.objects.create(frame=frame, kind=LineKind.BASE, position=0,
                                 label=f"Ram enligt KF:s budgetbeslut {budget_year.year}",
                                 amount=frame.total)
        positions = [0]
    line = Ramrad.objects.create(frame=frame, kind=kind, label=label[:200], amount=amount,
                                    position=max(positions, default=-1) + 1)
    frame.total = frame.lines.aggregate(total=Sum("amount"))["total"] or ZERO
    frame.save()
    return line


# --- the pot ---------------------------------------------------------------------------------

@dataclass
class Balance:
    amount: Decimal = ZERO
    carried_over: Decimal = ZERO
    granted: Decimal = ZERO
    # Carried-over surpluses not yet drawn on, per nämnd id (F4).
    earmarks_left: dict[int, Decimal] = field(default_factory=dict)

    @property
    def remaining(self) -> Decimal:
        return self.amount + self.carried_over - self.granted

    @property
    def earmarked_left(self) -> Decimal:
        return sum(self.earmarks_left.values(), ZERO)

    @property
    def unearmarked_left(self) -> Decimal:
        return self.remaining - self.earmarked_left

    def available_to(self, namnd_id: int) -> Decimal:
        """A nämnd may draw on the general part and on its own carried-over surplus."""
        return self.unearmarked_left + self.earmarks_left.get(namnd_id, ZERO)


def balance(pot: OfordeladBudget, movements: list[PotMovement] | None = None) -> Balance:
    """The pot's sums from its movements (one query unless they are given)."""
    if movements is None:
        movements = list(pot.movements.all())
    result = Balance(amount=pot.amount)
    earmarked: dict[int, Decimal] = defaultdict(Decimal)
    drawn: dict[int, Decimal] = defaultdict(Decimal)
    for movement in movements:
        if movement.kind == MovementKind.CARRY_OVER:
            result.carried_over += movement.amount
            earmarked[movement.namnd_id] += movement.amount
        else:
            result.granted -= movement.amount
            drawn[movement.namnd_id] -= movement.amount
    result.earmarks_left = {namnd_id: sum_in - min(sum_in, drawn[namnd_id])
                            for namnd_id, sum_in in earmarked.items()
                            if sum_in > drawn[namnd_id]}
    return result


@transaction.atomic
def set_pot(*, budget_year: BudgetYear, amount: Decimal, decided_on: dt.date | None = None,
            paragraph: str = "", case_number: str = "", version: str | None = None
            ) -> OfordeladBudget:
    """KF's budget decision sets the pot (recorded by the kommunsekreterare); until KF has
    decided, the budget proposal's amount stands without date and §. A later decision may
    change it, but never below what has already been granted from it."""
    if amount is None or amount < ZERO:
        raise DomainError("Beloppet kan inte vara negativt.", field="amount")
    if decided_on or (paragraph or "").strip():
        require_decision(decided_on=decided_on, paragraph=paragraph)
    pot = OfordeladBudget.objects.select_for_update().filter(budget_year=budget_year).first()
    if pot is None:
        pot = OfordeladBudget(budget_year=budget_year)
    else:
        check_version(pot, version)
        current = balance(pot)
        current.amount = amount
        if current.unearmarked_left < ZERO:
            raise DomainError(
                f"Av potten är redan {number(current.granted)} kr beviljat; beloppet kan inte bli "
                "lägre än det som redan är fördelat.", field="amount")
    pot.amount = amount
    pot.decided_on = decided_on
    pot.paragraph = (paragraph or "").strip()
    pot.case_number = (case_number or "").strip()
    with first_save():
        pot.save()
    return pot


# --- applications ------------------------------------------------------------------------------

def _validate_application(*, title: str, amount: Decimal, criterion: str, motivation: str) -> None:
    if not (title or "").strip():
        raise DomainError("Ange vad ansökan gäller.", field="title")
    require_positive(amount)
    if criterion not in Criterion.values:
        raise DomainError("Ange vilket kriterium, (a) eller (b), ansökan bygger på.",
                          field="criterion")
    if not (motivation or "").strip():
        raise DomainError("Motivera ansökan: hur uppfylls kriteriet?", field="motivation")


@transaction.atomic
def file_application(*, pot: OfordeladBudget, namnd: OrganisationUnit, title: str,
                     amount: Decimal, criterion: str, motivation: str, filed_by: User,
                     namnd_decision: str = "") -> Ansokan:
    """B7: a nämnd applies, through its förvaltning, citing criterion (a) or (b)."""
    require_namnd(namnd)
    _validate_application(title=title, amount=amount, criterion=criterion, motivation=motivation)
    return Ansokan.objects.create(
        pot=pot, namnd=namnd, title=title.strip(), amount=amount, criterion=criterion,
        motivation=motivation.strip(), namnd_decision=(namnd_decision or "").strip(),
        filed_by=filed_by)


@transaction.atomic
def update_application(*, application: Ansokan, version: str | None, title: str,
                       amount: Decimal, criterion: str, motivation: str,
                       namnd_decision: str = "") -> Ansokan:
    """The förvaltning may correct its application until the ekonomiavdelning has answered."""
    application = Ansokan.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.FILED:
        raise DomainError("Ansökan har redan ett yttrande och kan inte längre ändras.")
    check_version(application, version)
    _validate_application(title=title, amount=amount, criterion=criterion, motivation=motivation)
    application.title = title.strip()
    application.amount = amount
    application.criterion = criterion
    application.motivation = motivation.strip()
    application.namnd_decision = (namnd_decision or "").strip()
    application.save()
    return application


@transaction.atomic
def write_statement(*, application: Ansokan, criteria_met: bool, statement: str,
                    author: User, version: str | None) -> Ansokan:
    """B7: the ekonomiavdelning checks the criteria and writes its yttrande (until KS decides)."""
    application = Ansokan.objects.select_for_update().get(pk=application.pk)
    if application.is_decided:
        raise DomainError("KS har redan beslutat om ansökan; yttrandet kan inte ändras.")
    check_version(application, version)
    if criteria_met is None:
        raise DomainError("Ange om kriterierna är uppfyllda.", field="criteria_met")
    if not (statement or "").strip():
        raise DomainError("Skriv yttrandet.", field="statement")
    application.criteria_met = criteria_met
    application.statement = statement.strip()
    application.statement_by = author
    application.statement_at = timezone.now()
    application.status = ApplicationStatus.STATEMENT
    application.save()
    return application


@transaction.atomic
def decide_application(*, application: Ansokan, grant: bool,
                       granted_amount: Decimal | None, decided_on: dt.date, paragraph: str,
                       case_number: str = "", recorder: User) -> Ansokan:
    """B7: KS decides (recorded by the kommunsekreterare). A grant moves the amount from the pot
    to a line of the nämnd's decided frame; the pot row is locked first, so two grants at the
    same time cannot together take more than it holds."""
    pot = OfordeladBudget.objects.select_for_update().get(pk=application.pot_id)
    application = (Ansokan.objects.select_for_update(of=("self",)).select_related("namnd")
                   .get(pk=application.pk))
    if application.is_decided:
        raise DomainError("KS har redan beslutat om ansökan.")
    if application.status != ApplicationStatus.STATEMENT:
        raise DomainError("Ansökan kan inte beslutas innan ekonomiavdelningen har lämnat sitt "
                          "yttrande.")
    require_decision(decided_on=decided_on, paragraph=paragraph)
    application.decided_on = decided_on
    application.paragraph = paragraph.strip()
    application.case_number = (case_number or "").strip()
    application.recorded_by = recorder
    if not grant:
        application.status = ApplicationStatus.REJECTED
        application.granted_amount = ZERO
        application.save()
        return application
    require_positive(granted_amount, "granted_amount")
    if pot.decided_on is None:
        raise DomainError(f"KF har inte beslutat den ofördelade budgeten för "
                          f"{pot.budget_year.year} ännu; inget kan beviljas ur den.")
    if granted_amount > application.amount:
        raise DomainError(f"KS kan inte bevilja mer än de sökta {number(application.amount)} kr.",
                          field="granted_amount")
    available = balance(pot).available_to(application.namnd_id)
    if granted_amount > available:
        raise DomainError(
            f"Den ofördelade budgeten räcker inte: {number(available)} kr finns kvar att bevilja "
            f"{application.namnd}, sökt beviljande är {number(granted_amount)} kr.",
            field="granted_amount")
    reference = f"KS {date_text(decided_on)} §{application.paragraph}"
    label = f"Tilldelning ur ofördelad budget: {application.title}, {reference}"
    line = add_line_to_decided_frame(namnd=application.namnd, budget_year=pot.budget_year,
                                     kind=LineKind.POT_GRANT, label=label, amount=granted_amount)
    PotMovement.objects.create(pot=pot, kind=MovementKind.GRANT, namnd=application.namnd,
                               amount=-granted_amount, label=label, frame_line=line,
                               decided_on=decided_on)
    application.status = ApplicationStatus.GRANTED
    application.granted_amount = granted_amount
    application.save()
    return application
