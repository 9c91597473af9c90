"""Lönerörelse (B10): a central salary reserve per budget year, set in KF's budget; KSAU decides
how much of it is used in the year and distributes it over the nämnder, each share a visible
line on the nämnd's decided frame. The sum distributed never exceeds the reserve.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from budget.models import LineKind, Lonefordelning, Lonereserv
from budget.reserves.pot import (
    ZERO,
    add_line_to_decided_frame,
    require_decision,
    require_namnd,
)
from styrmodell.errors import DomainError
from styrmodell.formatting import date_text, number
from styrmodell.models import BudgetYear, OrganisationUnit, User
from styrmodell.versioning import check_version, first_save


def distributed(reserve: Lonereserv) -> Decimal:
    return reserve.distributions.aggregate(total=Sum("amount"))["total"] or ZERO


def ceiling(reserve: Lonereserv) -> Decimal:
    """What may be distributed: the part KSAU decided to use this year, else the reserve."""
    return reserve.used_in_year if reserve.used_in_year is not None else reserve.amount


@transaction.atomic
def set_reserve(*, budget_year: BudgetYear, amount: Decimal, decided_on: dt.date,
                paragraph: str, case_number: str = "", version: str | None = None
                ) -> Lonereserv:
    if amount is None or amount < ZERO:
        raise DomainError("Beloppet kan inte vara negativt.", field="amount")
    require_decision(decided_on=decided_on, paragraph=paragraph)
    reserve = Lonereserv.objects.select_for_update().filter(budget_year=budget_year).first()
    if reserve is None:
        reserve = Lonereserv(budget_year=budget_year)
    else:
        check_version(reserve, version)
        already = distributed(reserve)
        if amount < already:
            raise DomainError(f"{number(already)} kr är redan fördelat; reserven kan inte bli "
                              "mindre än så.", field="amount")
        if reserve.used_in_year is not None and amount < reserve.used_in_year:
            raise DomainError("Reserven kan inte bli mindre än det KSAU beslutat ska användas "
                              "i år.", field="amount")
    reserve.amount = amount
    reserve.decided_on = decided_on
    reserve.paragraph = paragraph.strip()
    reserve.case_number = (case_number or "").strip()
    with first_save():
        reserve.save()
    return reserve


@transaction.atomic
def decide_use_in_year(*, reserve: Lonereserv, amount: Decimal, decided_on: dt.date,
                       paragraph: str, version: str | None) -> Lonereserv:
    """B10: KSAU decides how much of the reserve is used in the current year."""
    reserve = Lonereserv.objects.select_for_update().get(pk=reserve.pk)
    check_version(reserve, version)
    require_decision(decided_on=decided_on, paragraph=paragraph)
    if amount is None or amount < ZERO or amount > reserve.amount:
        raise DomainError(f"Ange ett belopp mellan 0 och reserven, {number(reserve.amount)} kr.",
                          field="amount")
    already = distributed(reserve)
    if amount < already:
        raise DomainError(f"{number(already)} kr är redan fördelat till nämnderna.", field="amount")
    reserve.used_in_year = amount
    reserve.ksau_decided_on = decided_on
    reserve.ksau_paragraph = paragraph.strip()
    reserve.save()
    return reserve


@transaction.atomic
def distribute(*, reserve: Lonereserv, amounts: dict[OrganisationUnit, Decimal],
               decided_on: dt.date, paragraph: str, case_number: str = "",
               recorder: User) -> list[Lonefordelning]:
    """B10: KSAU's distribution over the nämnder (recorded by the kommunsekreterare); each share
    becomes a line on the nämnd's decided frame. The reserve row is locked, so the sum
    distributed never exceeds it, whoever records at the same time."""
    reserve = (Lonereserv.objects.select_for_update(of=("self",)).select_related("budget_year")
               .get(pk=reserve.pk))
    require_decision(decided_on=decided_on, paragraph=paragraph)
    shares = {namnd: amount for namnd, amount in amounts.items() if amount}
    if not shares:
        raise DomainError("Ange belopp för minst en nämnd.")
    for namnd, amount in shares.items():
        require_namnd(namnd)
        if amount < ZERO:
            raise DomainError(f"Beloppet för {namnd} kan inte vara negativt.")
    total = sum(shares.values(), ZERO)
    left = ceiling(reserve) - distributed(reserve)
    if total > left:
        raise DomainError(f"Fördelningen, {number(total)} kr, är större än det som finns kvar i "
                          f"reserven, {number(left)} kr.")
    year = reserve.budget_year.year
    label = f"Lönekompensation ur lönerörelsen {year}, KSAU {date_text(decided_on)} §" \
            f"{paragraph.strip()}"
    created = []
    for namnd, amount in sorted(shares.items(), key=lambda item: item[0].path):
        line = add_line_to_decided_frame(namnd=namnd, budget_year=reserve.budget_year,
                                         kind=LineKind.SALARY, label=label, amount=amount)
        created.append(Lonefordelning.objects.create(
            reserve=reserve, namnd=namnd, amount=amount, frame_line=line,
            decided_on=decided_on, paragraph=paragraph.strip(),
            case_number=(case_number or "").strip(), recorded_by=recorder))
    return created
