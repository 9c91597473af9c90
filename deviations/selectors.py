"""Reads of deviation cases: KS's register across the nämnder (uppsikt) and one case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from budget.followup.selectors import NamndFollowUp, namnd_followup
from styrmodell.permissions import Action, restrict

from .deadlines import Obligation, is_overdue, next_deadline, obligations
from .models import Avvikelse, CaseKind, CaseStatus


@dataclass
class RegisterRow:
    case: Avvikelse
    next_deadline: dt.date | None
    overdue: bool
    obligations: list[Obligation]


def readable_cases(user) -> QuerySet[Avvikelse]:
    """The cases the user may read; a filter narrows these, never more."""
    return restrict(Avvikelse.objects.all(), user, "deviation", Action.VIEW, unit_field="namnd")


def case_register(*, cases: QuerySet[Avvikelse], today: dt.date,
                  only_overdue: bool = False) -> list[RegisterRow]:
    """The given cases (the readable ones, filtered) as the register's rows; overdue first, then
    by the nearest deadline. A fixed number of queries whatever the number of cases."""
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
    forecast: Decimal
    variance: Decimal
    percent: Decimal | None
    effect: Decimal | None
    assessment: str


def namnd_year(case: Avvikelse) -> NamndFollowUp | None:
    """The nämnd's year month by month (outcome, frame to date, forecasts), for a deficit."""
    if case.kind != CaseKind.DEFICIT:
        return None
    return namnd_followup(namnd=case.namnd, budget_year=case.budget_year)


def forecast_path(case: Avvikelse, year: NamndFollowUp | None) -> list[PathPoint]:
    """D6: the nämnd's forecast at each follow-up of the year against the frame, with the
    effect of the measures as reported then (at opening: the measures presented)."""
    if year is None:
        return []
    reports = {report.period: report for report in case.effect_reports.all()}
    presented = sum((m.expected_effect for m in case.measures.all()), Decimal(0))
    points = []
    for row in year.forecasts:
        period = row.forecast.period
        report = reports.get(period)
        if report is not None:
            effect, assessment = report.expected_effect, report.get_assessment_display()
        elif period == case.period:
            effect, assessment = presented, _("Åtgärder redovisade") if presented else ""
        else:
            effect, assessment = None, ""
        points.append(PathPoint(
            label=row.forecast.period_label, forecast=row.forecast.total,
            variance=row.variance.amount if row.variance else Decimal(0),
            percent=row.variance.percent if row.variance else None,
            effect=effect, assessment=assessment))
    return points
