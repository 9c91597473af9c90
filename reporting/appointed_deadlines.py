"""What a person appointed to answer for an object (styrmodell.appointments) still owes, in
Mina frister and the feed, and the reminders of it.

A målansvarig owes each follow-up's assessment of the goal, a section's writer its texts by the
report's deadline, a measure's writer its outcome and forecast in each follow-up, and the
person answering for a deficit case's measures those measures by their date (D2). Each is owed
until it is written. Asking costs one query for the kinds the person holds, and one for each
kind held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from budget.models import Volymmatt, Volymuppfoljning
from deviations.models import Avvikelse, CaseKind, CaseStatus
from goals.models import DecisionStatus, Namndmal
from styrmodell import appointments
from styrmodell.calendar import REPORT_STEP_PERIODS
from styrmodell.formatting import date_text
from styrmodell.models import BudgetYearStatus, CalendarEvent, User
from styrmodell.notifications import notify_once

from .deadlines_feed import UID_DOMAIN, Deadline, FeedContext, register_source
from .models import PeriodStatus, Rapportavsnitt, SectionStatus

Owed = Callable[[User, FeedContext], Iterable[Deadline]]
OWED: dict[str, Owed] = {}


def owes(model_label: str) -> Callable[[Owed], Owed]:
    def add(owed: Owed) -> Owed:
        OWED[model_label] = owed
        return owed
    return add


@register_source
def appointed_work(user: User, today: dt.date, context: FeedContext) -> Iterable[Deadline]:
    for label in sorted(appointments.kinds_held_by(user, today)):
        owed = OWED.get(label)
        if owed is not None:
            yield from owed(user, context)


def _follow_up_steps(budget_year_ids: set[int], context: FeedContext):
    """The follow-ups' report deadlines of those years, with the period each reports."""
    steps = CalendarEvent.objects.filter(
        budget_year__in=budget_year_ids, unit__isnull=True,
        code__in=list(REPORT_STEP_PERIODS), date__lte=context.last_day)
    return [(step, REPORT_STEP_PERIODS[step.code]) for step in steps]


@owes("goals.namndmal")
def appointed_assessments(user: User, context: FeedContext) -> Iterable[Deadline]:
    goals = list(appointments.answered_by(user, Namndmal.objects.filter(
        status=DecisionStatus.ADOPTED), context.today).prefetch_related("assessments"))
    for step, period in _follow_up_steps({goal.budget_year_id for goal in goals}, context):
        for goal in goals:
            if goal.budget_year_id != step.budget_year_id:
                continue
            if any(a.period == period for a in goal.assessments.all()):
                continue
            yield Deadline(
                uid=f"malansvar-{goal.pk}-{period}@{UID_DOMAIN}",
                title=_("Bedöm målet: %(goal)s") % {"goal": goal.title},
                date=step.date, url=reverse("goals:assessment_edit", args=[goal.pk, period]),
                description=_("Du är målansvarig för målet i %(namnd)s.") % {"namnd": goal.namnd},
                category=_("Målbedömning"), still_owed=True)


@owes("reporting.rapportavsnitt")
def appointed_sections(user: User, context: FeedContext) -> Iterable[Deadline]:
    sections = appointments.answered_by(user, Rapportavsnitt.objects.filter(
        period__status=PeriodStatus.OPEN,
        status__in=[SectionStatus.DRAFT, SectionStatus.RETURNED],
        period__deadline__lte=context.last_day), context.today
    ).select_related("period__budget_year", "namnd")
    for section in sections:
        yield Deadline(
            uid=f"rapportavsnitt-{section.pk}@{UID_DOMAIN}",
            title=_("Skriv texterna i %(period)s: %(namnd)s") % {"period": section.period,
                                                                "namnd": section.namnd},
            date=section.period.deadline, url=section.get_absolute_url(),
            description=_("Du är utsedd att skriva avsnittets texter; förvaltningschefen "
                          "lämnar in det till nämnden."),
            category=_("Rapport"), still_owed=True)


@owes("budget.volymmatt")
def appointed_volumes(user: User, context: FeedContext) -> Iterable[Deadline]:
    measures = list(appointments.answered_by(user, Volymmatt.objects.exclude(
        budget_year__status=BudgetYearStatus.CLOSED), context.today)
        .select_related("namnd", "budget_year"))
    reported = set(Volymuppfoljning.objects.filter(measure__in=measures)
                   .values_list("measure_id", "period")) if measures else set()
    for step, period in _follow_up_steps({m.budget_year_id for m in measures}, context):
        for measure in measures:
            if measure.budget_year_id != step.budget_year_id or (measure.pk, period) in reported:
                continue
            url = reverse("budget:volumes_namnd", args=[measure.budget_year.year,
                                                        measure.namnd_id])
            yield Deadline(
                uid=f"volymansvar-{measure.pk}-{period}@{UID_DOMAIN}",
                title=_("Fyll i volymen: %(measure)s, %(period)s") % {
                    "measure": measure.name, "period": period.label.lower()},
                date=step.date, url=f"{url}?period={period}#volymformular",
                description=_("Du är ansvarig för måttets utfall och prognos i %(namnd)s.")
                % {"namnd": measure.namnd},
                category=_("Volymer"), still_owed=True)


@owes("deviations.avvikelse")
def appointed_case_measures(user: User, context: FeedContext) -> Iterable[Deadline]:
    cases = appointments.answered_by(user, Avvikelse.objects.filter(
        status=CaseStatus.OPEN, kind=CaseKind.DEFICIT, measures_due__isnull=False,
        measures__isnull=True, decided_on__isnull=True), context.today).select_related("namnd")
    for case in cases:
        yield Deadline(
            uid=f"atgardsansvar-{case.pk}@{UID_DOMAIN}",
            title=_("Redovisa åtgärder: %(namnd)s") % {"namnd": case.namnd},
            date=case.measures_due, url=case.get_absolute_url(),
            description=_("Du är ansvarig för åtgärderna i ärendet: %(case)s.") % {"case": case},
            category=_("Avvikelse"), still_owed=True)


def remind_the_appointed(today: dt.date) -> int:
    """Remind each appointed person of what the object owes within REMINDER_DAYS; once each."""
    horizon = today + dt.timedelta(days=settings.REMINDER_DAYS)
    sent = 0
    for person in appointments.people_appointed_on(today):
        context = FeedContext(user=person, today=today, assignments=[])
        for deadline in appointed_work(person, today, context):
            if not today <= deadline.date <= horizon:
                continue
            sent += notify_once(
                recipient=person, key=f"ansvar-paminnelse:{deadline.uid}",
                subject=_("Påminnelse: %(title)s senast %(day)s") % {
                    "title": deadline.title, "day": date_text(deadline.date)},
                body=deadline.description, url=deadline.url)
    return sent
