"""Deadlines of the report sections (F1): remind before, escalate after, each once.

Those who have not submitted their section are reminded REMINDER_DAYS before the deadline; when
it has passed, the kommundirektör is told. `notify_once` keys make the hourly task safe to run
twice or late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from deviations.detection import holders
from styrmodell.formatting import date_text
from styrmodell.models import UnitKind, User
from styrmodell.notifications import notify_once
from styrmodell.roles import FORVALTNINGSCHEF, KOMMUNDIREKTOR

from .deadlines_feed import UID_DOMAIN, Deadline, FeedContext, register_source
from .models import PeriodStatus, Rapportavsnitt, SectionStatus

WRITERS = {FORVALTNINGSCHEF}
ESCALATE_TO = {KOMMUNDIREKTOR}


def chase_sections(today: dt.date) -> int:
    horizon = today + dt.timedelta(days=settings.REMINDER_DAYS)
    sections = (Rapportavsnitt.objects
                .filter(period__status=PeriodStatus.OPEN, period__deadline__lte=horizon,
                        status__in=[SectionStatus.DRAFT, SectionStatus.RETURNED])
                .select_related("period__budget_year", "namnd"))
    sent = 0
    for section in sections:
        deadline = section.period.deadline
        url = section.get_absolute_url()
        if today > deadline:
            people = holders(roles=ESCALATE_TO, namnd=section.namnd, today=today)
            key, subject = "eskalering", (f"Försenat: {section.namnd} har inte lämnat in sitt "
                                          f"avsnitt till {section.period}")
        else:
            roles = WRITERS | ({KOMMUNDIREKTOR} if section.namnd.kind == "ks" else set())
            people = holders(roles=roles, namnd=section.namnd, today=today)
            key, subject = "paminnelse", (f"Påminnelse: {section.period}, avsnittet för "
                                          f"{section.namnd} senast {date_text(deadline)}")
        for person in people:
            sent += notify_once(recipient=person, key=f"rapportavsnitt:{section.pk}:{key}",
                                subject=subject, body=f"Sista dag {date_text(deadline)}.",
                                url=url)
    return sent


@register_source
def report_sections(user: User, today: dt.date, context: FeedContext) -> Iterable[Deadline]:
    """The report sections the person is to write and submit (F1), in their own calendar."""
    namnder, writes_for_ks = set(), False
    for assignment in context.assignments:
        if assignment.role.code in WRITERS:
            namnder.add(context.namnd_of(assignment).pk)
        elif assignment.role.code == KOMMUNDIREKTOR:
            writes_for_ks = True
    if not namnder and not writes_for_ks:
        return  # a person appointed to write one section: reporting.appointed_deadlines
    whose = Q(namnd__in=namnder) | (Q(namnd__kind=UnitKind.KS) if writes_for_ks else Q())
    sections = Rapportavsnitt.objects.filter(
        whose, period__status=PeriodStatus.OPEN,
        status__in=[SectionStatus.DRAFT, SectionStatus.RETURNED],
        period__deadline__lte=context.last_day).select_related("period__budget_year", "namnd")
    for section in sections:
        yield Deadline(
            uid=f"rapportavsnitt-{section.pk}@{UID_DOMAIN}",
            title=_("Lämna in %(period)s: %(namnd)s") % {"period": section.period,
                                                       "namnd": section.namnd},
            date=section.period.deadline, url=section.get_absolute_url(),
            description=_("Förvaltningens avsnitt skrivs och lämnas in till nämnden."),
            category=_("Rapport"), still_owed=True)
