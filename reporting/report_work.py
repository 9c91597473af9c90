"""Who acts next on the reports (F1, F2): what waits for a body's decision, what the förvaltning
must write or rework, what the finance office compiles, and which reports are late.

There is no agenda in the data: a decision waiting for a body belongs at that body's next
meeting. A section waits for its nämnd from its submission; a compiled report waits for KS and,
once KS has dealt with it, for KF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from styrmodell.models import UnitKind

from .models import PeriodStatus, Rapportavsnitt, Rapportperiod, SectionStatus

# The bodies that decide on a compiled report, and the status the report waits in for them.
WAITS_FOR_BODY = {UnitKind.KS: PeriodStatus.COMPILED, UnitKind.KF: PeriodStatus.KS}
TO_WRITE = (SectionStatus.DRAFT, SectionStatus.RETURNED)


def period_is_late(period: Rapportperiod, today: dt.date) -> bool:
    """Late: the nämnder's sections are not all in and compiled by the deadline, or KF has not
    approved the report by the day it must (the årsredovisning's decision_due)."""
    if period.status == PeriodStatus.OPEN and period.deadline < today:
        return True
    return bool(period.decision_due and period.decision_due < today
                and period.status != PeriodStatus.KF)


def section_is_late(section: Rapportavsnitt, today: dt.date) -> bool:
    """A section not approved by its nämnd when the report's deadline has passed."""
    return (section.status != SectionStatus.APPROVED
            and section.period.status == PeriodStatus.OPEN and section.period.deadline < today)


def sections_waiting_for_namnder(namnd_ids: Iterable[int]) -> list[Rapportavsnitt]:
    """Submitted sections their nämnd has neither approved nor returned."""
    namnd_ids = list(namnd_ids)
    if not namnd_ids:
        return []
    return list(Rapportavsnitt.objects
                .filter(namnd_id__in=namnd_ids, status=SectionStatus.SUBMITTED,
                        period__status=PeriodStatus.OPEN)
                .select_related("period__budget_year", "namnd")
                .order_by("period__deadline", "namnd__path"))


def periods_waiting_for_bodies(body_kinds: Iterable[str]) -> list[Rapportperiod]:
    """Compiled reports waiting for KS, or for KF after KS, as the bodies asked for."""
    statuses = [WAITS_FOR_BODY[kind] for kind in body_kinds if kind in WAITS_FOR_BODY]
    if not statuses:
        return []
    return list(Rapportperiod.objects.filter(status__in=statuses)
                .select_related("budget_year").order_by("deadline"))


def deciding_body_kind(period: Rapportperiod) -> str | None:
    """KS or KF: the body a compiled report waits for."""
    for kind, status in WAITS_FOR_BODY.items():
        if period.status == status:
            return kind
    return None


def sections_to_write(*, namnd_ids: Iterable[int], ks: bool = False) -> list[Rapportavsnitt]:
    """The nämnder's sections of open reports not yet submitted: drafts and returned ones.
    `ks` adds KS's own section (the kommundirektör's förvaltning writes it)."""
    whose = Q(namnd_id__in=list(namnd_ids))
    if ks:
        whose |= Q(namnd__kind=UnitKind.KS)
    return list(Rapportavsnitt.objects
                .filter(whose, status__in=TO_WRITE, period__status=PeriodStatus.OPEN)
                .select_related("period__budget_year", "namnd")
                .order_by("period__deadline", "namnd__path"))


@dataclass(frozen=True)
class PeriodProgress:
    period: Rapportperiod
    sections: int
    approved: int
    late: bool

    @property
    def ready_to_compile(self) -> bool:
        return self.sections > 0 and self.approved == self.sections


def open_periods_progress(today: dt.date) -> list[PeriodProgress]:
    """Every open report with how many of its sections the nämnder have approved: one query."""
    periods = (Rapportperiod.objects.filter(status=PeriodStatus.OPEN)
               .select_related("budget_year")
               .annotate(section_count=Count("sections"),
                         approved_count=Count("sections",
                                              filter=Q(sections__status=SectionStatus.APPROVED)))
               .order_by("deadline"))
    return [PeriodProgress(period=p, sections=p.section_count, approved=p.approved_count,
                           late=period_is_late(p, today)) for p in periods]
