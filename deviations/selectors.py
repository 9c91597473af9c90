"""Reads of deviation cases: KS's register across the nämnder (uppsikt) and one case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext as _

from budget.followup.selectors import NamndFollowUp, namnd_followup
from styrmodell.permissions import Action, restrict

from .deadlines import Obligation, is_overdue, next_deadline, obligations
from .models import Atgard, Avvikelse, CaseKind, CaseStatus


@dataclass
class RegisterRow:
    case: Avvikelse
    next_deadline: dt.date | None
    overdue: bool
    obligations: list[Obligation]


def readable_cases(user) -> QuerySet[Avvikelse]:
    """The cases the user may read; a filter narrows these, never more."""
    return restrict(Avvikelse.objects.all(), user, "deviation", Action.VIEW, unit_field="namnd")


# The register's order in SQL (so a page is one LIMIT) follows `obligations`: the nearest
# deadline of an obligation not yet done; overdue when an open case has one past.
NO_DEADLINE = dt.date(9999, 12, 31)


def _unless_done(done: Q, due) -> Coalesce:
    return Coalesce(Case(When(~done, then=due), output_field=DateField()), Value(NO_DEADLINE))


def _nearest_deadline() -> Least:
    deficit = Q(kind=CaseKind.DEFICIT)
    measured = Exists(Atgard.objects.filter(case=OuterRef("pk")))
    return Least(
        _unless_done(~deficit | measured, F("measures_due")),
        _unless_done(~deficit | Q(decided_on__isnull=False), F("decision_meeting__date")),
        _unless_done(Q(ksau_informed_on__isnull=False), F("ksau_due")),
        _unless_done(deficit | Q(namnd_informed_on__isnull=False), F("ksau_due")),
        output_field=DateField())


def in_register_order(cases: QuerySet[Avvikelse], today: dt.date) -> QuerySet[Avvikelse]:
    """Overdue first, then open ones, then by the nearest deadline, newest first at a tie."""
    return cases.annotate(
        nearest_deadline=_nearest_deadline(),
    ).annotate(
        overdue=Case(When(status=CaseStatus.OPEN, nearest_deadline__lt=today, then=True),
                     default=False, output_field=BooleanField()),
        closed=Case(When(status=CaseStatus.OPEN, then=False), default=True,
                    output_field=BooleanField()),
    ).order_by("-overdue", "closed", "nearest_deadline", "-pk")


def case_register(*, cases: QuerySet[Avvikelse], today: dt.date,
                  only_overdue: bool = False) -> QuerySet[Avvikelse]:
    """The given cases (the readable ones, filtered) in the register's order; `register_rows`
    makes rows of the ones shown."""
    ordered = in_register_order(cases, today)
    if only_overdue:
        ordered = ordered.filter(overdue=True)
    return ordered.select_related("namnd", "budget_year", "decision_meeting").prefetch_related(
        "measures")


def register_rows(cases, today: dt.date) -> list[RegisterRow]:
    """Rows of cases from `case_register` (all of them, or one page), a fixed number of
    queries."""
    return [RegisterRow(case, next_deadline(case, today), is_overdue(case, today),
                        obligations(case, today)) for case in cases]


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
