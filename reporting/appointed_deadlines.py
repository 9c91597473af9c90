"""A målansvarig's deadlines in Mina frister and the feed: each follow-up's assessment of the
goals the person is appointed to answer for (styrmodell.appointments), until it is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from goals.models import DecisionStatus, Namndmal
from styrmodell import appointments
from styrmodell.calendar import REPORT_STEP_PERIODS
from styrmodell.models import CalendarEvent, User

from .deadlines_feed import UID_DOMAIN, Deadline, FeedContext, register_source


@register_source
def appointed_assessments(user: User, today: dt.date,
                          context: FeedContext) -> Iterable[Deadline]:
    goals = list(appointments.answered_by(user, Namndmal.objects.filter(
        status=DecisionStatus.ADOPTED)).prefetch_related("assessments"))
    if not goals:
        return
    steps = CalendarEvent.objects.filter(
        budget_year__in={goal.budget_year_id for goal in goals}, unit__isnull=True,
        code__in=list(REPORT_STEP_PERIODS), date__lte=context.last_day)
    for step in steps:
        period = REPORT_STEP_PERIODS[step.code]
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
