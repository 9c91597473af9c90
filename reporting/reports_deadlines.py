"""Deadlines of the report sections (F1): remind before, escalate after, each once.

Those who have not submitted their section are reminded REMINDER_DAYS before the deadline; when
it has passed, the kommundirektör is told. `notify_once` keys make the hourly task safe to run
twice or late.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from deviations.detection import holders
from styrmodell.notifications import notify_once

from .models import PeriodStatus, Rapportavsnitt, SectionStatus

WRITERS = {"forvaltningschef"}
ESCALATE_TO = {"kommundirektor"}


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
            roles = WRITERS | ({"kommundirektor"} if section.namnd.kind == "ks" else set())
            people = holders(roles=roles, namnd=section.namnd, today=today)
            key, subject = "paminnelse", (f"Påminnelse: {section.period}, avsnittet för "
                                          f"{section.namnd} senast {deadline:%Y-%m-%d}")
        for person in people:
            sent += notify_once(recipient=person, key=f"rapportavsnitt:{section.pk}:{key}",
                                subject=subject, body=f"Sista dag {deadline:%Y-%m-%d} (F1).",
                                url=url)
    return sent
